"""Multi-target tracking metrics: GOSPA (with its decomposition) and OSPA.

GOSPA with ``α = 2`` (Rahmathullah, García-Fernández & Svensson, "Generalized optimal
sub-pattern assignment metric", FUSION 2017, eq. 2-3): for truth ``X`` (``m`` points),
estimates ``Y`` (``n`` points), cut-off ``c`` and order ``p``,

    d(X, Y) = ( min_γ Σ_{(i,j)∈γ} d(x_i, y_j)^p + c^p/2 (m + n − 2|γ|) )^(1/p)

over partial assignments ``γ`` of pairs closer than ``c``. It splits into localisation
``Σ d^p``, missed targets ``c^p/2 · (m − |γ|)`` and false tracks ``c^p/2 · (n − |γ|)``
(all reported in units of distance^p, like Stone Soup's ``GOSPAMetric``).

OSPA (Schuhmacher, Vo & Vo, IEEE TSP 56(8), 2008), ``m ≤ n``:

    d(X, Y) = ( (min_π Σ_i min(d(x_i, y_π(i)), c)^p + c^p (n − m)) / n )^(1/p)

Both solve the assignment with ``scipy.optimize.linear_sum_assignment`` on the cut-off
distance matrix ``min(d, c)^p`` (an assignment at the cut-off counts as missed + false,
which costs the same ``c^p``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

__all__ = ["GospaResult", "gospa", "mean_gospa", "ospa"]


class GospaResult(NamedTuple):
    """GOSPA and its parts.

    Attributes
    ----------
    distance : float
        GOSPA distance (m).
    localisation, missed, false : float
        The three parts of ``distance^p`` (m^p).
    n_assigned, n_missed, n_false : int
        Truth points matched within ``c``, unmatched truth points, unmatched estimates.
    """

    distance: float
    localisation: float
    missed: float
    false: float
    n_assigned: int
    n_missed: int
    n_false: int


def _points(points: np.ndarray) -> np.ndarray:
    """Points as a 2-D ``(count, k)`` array (an empty input gives ``(0, 1)``)."""
    points = np.asarray(points, dtype=float)
    if points.ndim == 2:
        return points
    return points.reshape(0, 1) if points.size == 0 else points.reshape(len(points), -1)


def _cutoff_assignment(truth: np.ndarray, estimate: np.ndarray, c: float, p: float):
    """Optimal assignment on ``min(d, c)^p``; returns the assigned distances below ``c``."""
    distance = cdist(truth, estimate)
    cost = np.minimum(distance, c) ** p
    rows, cols = linear_sum_assignment(cost)
    matched = distance[rows, cols]
    return matched[matched < c]


def gospa(truth: np.ndarray, estimate: np.ndarray, c: float, p: float = 2.0) -> GospaResult:
    """GOSPA metric (``α = 2``) between two point sets.

    Parameters
    ----------
    truth : (m, k) float64
        True positions (any dimension ``k``).
    estimate : (n, k) float64
        Estimated positions.
    c : float
        Cut-off distance (same unit as the points).
    p : float
        Order, ``1 ≤ p < ∞``.

    Returns
    -------
    GospaResult
    """
    truth, estimate = _points(truth), _points(estimate)
    m, n = truth.shape[0], estimate.shape[0]
    matched = _cutoff_assignment(truth, estimate, c, p) if m and n else np.empty(0, dtype=float)
    assigned = matched.size
    localisation = float(np.sum(matched**p))
    half = c**p / 2.0
    missed = half * (m - assigned)
    false = half * (n - assigned)
    total = localisation + missed + false
    return GospaResult(
        total ** (1.0 / p), localisation, missed, false, assigned, m - assigned, n - assigned
    )


def mean_gospa(
    truths: list[np.ndarray], estimates: list[np.ndarray], c: float, p: float = 2.0
) -> float:
    """Mean GOSPA distance over a sequence of scans (pairs of truth and estimate sets)."""
    values = [gospa(x, y, c, p).distance for x, y in zip(truths, estimates, strict=True)]
    return float(np.mean(values)) if values else 0.0


def ospa(truth: np.ndarray, estimate: np.ndarray, c: float, p: float = 2.0) -> float:
    """OSPA distance between two point sets (0 when both are empty).

    Parameters
    ----------
    truth : (m, k) float64
    estimate : (n, k) float64
    c : float
        Cut-off distance.
    p : float
        Order, ``1 ≤ p < ∞``.
    """
    truth, estimate = _points(truth), _points(estimate)
    m, n = truth.shape[0], estimate.shape[0]
    size = max(m, n)
    if size == 0:
        return 0.0
    if min(m, n) == 0:
        return float(c)
    distance = np.minimum(cdist(truth, estimate), c)
    rows, cols = linear_sum_assignment(distance**p)
    total = np.sum(distance[rows, cols] ** p) + c**p * (size - min(m, n))
    return float((total / size) ** (1.0 / p))
