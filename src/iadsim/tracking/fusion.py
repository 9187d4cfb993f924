"""Track-to-track fusion between command posts: correlation and covariance intersection.

Two posts that report the same aircraft over a data link hold two estimates whose errors are
correlated in an unknown way (common process noise, common history when tracks were
exchanged before), so the Kalman combination, which assumes independent errors, would count
the shared information twice and report a covariance that is too small.

**Covariance intersection** (Julier & Uhlmann, "A non-divergent estimation algorithm in the
presence of unknown correlations", Proc. American Control Conference 1997) fuses two
consistent estimates ``(x_a, P_a)`` and ``(x_b, P_b)`` as

    P⁻¹ = ω P_a⁻¹ + (1 − ω) P_b⁻¹
    x   = P (ω P_a⁻¹ x_a + (1 − ω) P_b⁻¹ x_b),      ω ∈ [0, 1]

which is consistent (``P`` bounds the true error covariance) for any cross-correlation.
ω is chosen to minimise ``tr P``. Since ``X ↦ X⁻¹`` is matrix-convex on positive definite
matrices and ``ω ↦ ω P_a⁻¹ + (1 − ω) P_b⁻¹`` is affine, ``tr P(ω)`` is convex in ω (Reinhardt,
Noack & Hanebeck, "Closed-form optimization of covariance intersection for low-dimensional
matrices", FUSION 2012). Diagonalising the two information matrices together turns the trace
into a sum of ``d`` fractions of ω, whose minimum a bracketed Newton search finds without
further matrix work.

**Correlation** (track-to-track association) pairs two track lists by an optimal assignment
(``scipy.optimize.linear_sum_assignment``) on the squared Mahalanobis distance of the
positions, ``d² = Δpᵀ (P_a,pp + P_b,pp)⁻¹ Δp``, inside a chi-square gate (Blackman & Popoli,
*Design and Analysis of Modern Tracking Systems*, 1999, sect. 9.3; Bar-Shalom, Willett &
Tian, *Tracking and Data Fusion*, 2011, ch. 9). Pairs made earlier are kept while they stay
inside a looser gate (hysteresis), as data-link track-number correlation does: the
association is not re-decided, and track numbers do not swap, at every update. An optional
second gate on the velocities keeps tracks that merely cross from pairing.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numba
import numpy as np
from scipy.optimize import linear_sum_assignment

from iadsim.tracking._kernels import symmetric_3x3_cofactors
from iadsim.tracking.gating import gate_threshold
from iadsim.tracking.kalman import inverse_3x3, symmetrise

__all__ = [
    "Correlation",
    "block_distance2",
    "correlate",
    "correlate_reference",
    "covariance_intersection",
    "position_distance2",
]

_UNGATED = 1.0e12
"""Cost of a pair outside the gate in the assignment (any real pair is far cheaper)."""


def _modal_terms(info_a: np.ndarray, info_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Simultaneous diagonalisation of two information matrices, batched.

    With ``I_b = L Lᵀ`` (Cholesky) and ``L⁻¹ I_a L⁻ᵀ = U Λ Uᵀ``, the matrix ``T = L⁻ᵀ U`` gives
    ``Tᵀ I_b T = 1`` and ``Tᵀ I_a T = Λ``, so that
    ``(ω I_a + (1 − ω) I_b)⁻¹ = T diag(1 / (1 + ω (λᵢ − 1))) Tᵀ`` and

        tr P(ω) = Σᵢ cᵢ / (1 + ω (λᵢ − 1)),      cᵢ = ‖T[:, i]‖².

    Returns
    -------
    lam, c : (n, d) float64
    """
    L_inv = np.linalg.inv(np.linalg.cholesky(info_b))
    lam, U = np.linalg.eigh(symmetrise(L_inv @ info_a @ np.swapaxes(L_inv, -1, -2)))
    T = np.swapaxes(L_inv, -1, -2) @ U
    return np.maximum(lam, 0.0), np.einsum("nij,nij->nj", T, T)


def _minimise_trace(lam: np.ndarray, c: np.ndarray, tolerance: float) -> np.ndarray:
    """ω in [0, 1] minimising ``tr P(ω)`` for every pair, ``(n,)``: :func:`_minimise_trace_
    reference`, compiled for ``d < 8`` (where NumPy sums a row from left to right)."""
    if lam.shape[1] < 8:
        return _minimise_trace_kernel(lam, c, _OMEGA_GRID, tolerance)
    return _minimise_trace_reference(lam, c, tolerance)


_OMEGA_GRID = np.linspace(0.0, 1.0, 33)
_OMEGA_GRID.flags.writeable = False
"""The coarse grid of ω that brackets the minimum."""


@numba.njit(cache=True, error_model="numpy")
def _trace_derivatives(lam, c, omega):  # pragma: no cover - numba
    """``f′(ω)`` and ``f″(ω)`` of one pair (``lam``, ``c`` of shape ``(d,)``), in the
    order of operations of :func:`_minimise_trace_reference`."""
    first = 0.0
    second = 0.0
    for i in range(lam.size):
        slope = lam[i] - 1.0
        denominator = 1.0 + omega * slope
        term = c[i] * slope / (denominator * denominator)
        first += term
        second += term * slope / denominator
    return -first, 2.0 * second


@numba.njit(cache=True, error_model="numpy")
def _grid_minimum(lam, c, grid):  # pragma: no cover - numba
    """Index of the smallest ``tr P`` of one pair on ``grid`` (the first NaN, as np.argmin)."""
    best = 0
    best_trace = 0.0
    for g in range(grid.size):
        trace = 0.0
        for i in range(lam.size):
            trace += c[i] / (1.0 + grid[g] * (lam[i] - 1.0))
        if trace != trace:
            return g
        if g == 0 or trace < best_trace:
            best, best_trace = g, trace
    return best


@numba.njit(cache=True, error_model="numpy")
def _minimise_trace_kernel(lam, c, grid, tolerance):  # pragma: no cover - numba
    """:func:`_minimise_trace_reference` pair by pair, step by step in lockstep (every pair
    steps until the largest step of all is under ``tolerance``), to the bit for ``d < 8``."""
    n = lam.shape[0]
    omega = np.empty(n)
    lo = np.zeros(n)
    hi = np.ones(n)
    interior = np.zeros(n, dtype=np.bool_)
    for p in range(n):
        at_zero = _trace_derivatives(lam[p], c[p], 0.0)[0] >= 0.0
        at_one = _trace_derivatives(lam[p], c[p], 1.0)[0] <= 0.0
        interior[p] = not at_zero and not at_one
        k = _grid_minimum(lam[p], c[p], grid)
        if interior[p]:
            lo[p] = grid[max(k - 1, 0)]
            hi[p] = grid[min(k + 1, grid.size - 1)]
        omega[p] = 0.0 if at_zero else (1.0 if at_one else grid[k])
    if not interior.any():
        return omega
    for _ in range(100):
        largest = 0.0
        for p in range(n):
            first, second = _trace_derivatives(lam[p], c[p], omega[p])
            if interior[p] and first < 0.0:
                lo[p] = omega[p]
            if interior[p] and first > 0.0:
                hi[p] = omega[p]
            newton = omega[p] - first / second
            step = 0.0
            if interior[p] and first != 0.0:
                inside = second > 0.0 and newton >= lo[p] and newton <= hi[p]
                step = (newton if inside else 0.5 * (lo[p] + hi[p])) - omega[p]
            omega[p] = omega[p] + step
            size = abs(step)
            if size != size or largest != largest:
                largest = np.nan
            elif size > largest:
                largest = size
        if largest <= tolerance:
            break
    return omega


def _minimise_trace_reference(lam: np.ndarray, c: np.ndarray, tolerance: float) -> np.ndarray:
    """ω in [0, 1] minimising ``tr P(ω) = Σᵢ cᵢ / (1 + ω (λᵢ − 1))`` for every pair, ``(n,)``.

    The trace is convex, so its derivative ``f′(ω) = −Σᵢ cᵢ (λᵢ − 1) / (1 + ω (λᵢ − 1))²``
    increases: the minimum is at 0 where ``f′(0) ≥ 0``, at 1 where ``f′(1) ≤ 0``, and
    otherwise at the root of ``f′``, bracketed on a 33-point grid and found by Newton steps
    kept inside the bracket (bisection when a step leaves it) until every step is under
    ``tolerance``.
    """
    slope = lam - 1.0

    def derivatives(omega: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        denominator = 1.0 + omega[:, None] * slope
        terms = c * slope / denominator**2
        return -terms.sum(axis=1), 2.0 * (terms * slope / denominator).sum(axis=1)

    n = len(lam)
    at_zero = derivatives(np.zeros(n))[0] >= 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        at_one = derivatives(np.ones(n))[0] <= 0.0
    interior = ~at_zero & ~at_one
    # A coarse grid brackets the root, so that Newton starts where f′ is nearly linear.
    grid = np.linspace(0.0, 1.0, 33)
    traces = np.sum(c[:, None, :] / (1.0 + grid[None, :, None] * slope[:, None, :]), axis=2)
    k = np.argmin(traces, axis=1)
    lo = np.where(interior, grid[np.maximum(k - 1, 0)], 0.0)
    hi = np.where(interior, grid[np.minimum(k + 1, grid.size - 1)], 1.0)
    omega = np.where(at_zero, 0.0, np.where(at_one, 1.0, grid[k]))
    for _ in range(100):
        if not interior.any():
            break
        first, second = derivatives(omega)
        lo = np.where(interior & (first < 0.0), omega, lo)
        hi = np.where(interior & (first > 0.0), omega, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = omega - first / second
        inside = (second > 0.0) & (newton >= lo) & (newton <= hi)
        step = np.where(interior, np.where(inside, newton, 0.5 * (lo + hi)) - omega, 0.0)
        step = np.where(first == 0.0, 0.0, step)
        omega = omega + step
        if np.max(np.abs(step)) <= tolerance:
            break
    return omega


def covariance_intersection(
    x_a: np.ndarray,
    P_a: np.ndarray,
    x_b: np.ndarray,
    P_b: np.ndarray,
    tolerance: float = 1.0e-6,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fuse pairs of estimates with unknown cross-correlation (trace-optimal ω).

    The trace is a sum of ``d`` simple fractions of ω once the two information matrices are
    diagonalised together (:func:`_modal_terms`), so the search over ω (a grid, then
    safeguarded Newton steps) costs no matrix work; the fused covariance is formed once.

    Parameters
    ----------
    x_a, x_b : (n, d) float64
        The two estimates of each pair (any consistent units, e.g. m and m/s).
    P_a, P_b : (n, d, d) float64
        Their error covariances (positive definite).
    tolerance : float
        Size of the last step in ω of the search.

    Returns
    -------
    x : (n, d) float64
        Fused estimates.
    P : (n, d, d) float64
        Fused covariances, ``(ω P_a⁻¹ + (1 − ω) P_b⁻¹)⁻¹``.
    omega : (n,) float64
        The weight of ``a`` that minimises ``tr P``.
    """
    x_a = np.asarray(x_a, dtype=float)
    x_b = np.asarray(x_b, dtype=float)
    n, d = x_a.shape
    if n == 0:
        return x_a.copy(), np.empty((0, d, d)), np.empty(0)
    info_a = symmetrise(np.linalg.inv(np.asarray(P_a, dtype=float)))
    info_b = symmetrise(np.linalg.inv(np.asarray(P_b, dtype=float)))
    lam, c = _modal_terms(info_a, info_b)
    omega = _minimise_trace(lam, c, tolerance)
    w = omega[:, None, None]
    P = symmetrise(np.linalg.inv(w * info_a + (1.0 - w) * info_b))
    weighted = omega[:, None] * np.einsum("nij,nj->ni", info_a, x_a)
    weighted += (1.0 - omega)[:, None] * np.einsum("nij,nj->ni", info_b, x_b)
    return np.einsum("nij,nj->ni", P, weighted), P, omega


@functools.lru_cache(maxsize=32)
def _chi2_gate(probability: float) -> float:
    return gate_threshold(probability, 3)


def block_distance2(
    states_a: np.ndarray,
    covs_a: np.ndarray,
    states_b: np.ndarray,
    covs_b: np.ndarray,
    first: int = 0,
    paired: bool = False,
) -> np.ndarray:
    """Squared Mahalanobis distance of every pair on a 3-vector block, ``(n_a, n_b)``.

    ``d² = Δᵀ (P_a + P_b)⁻¹ Δ`` on components ``first:first + 3`` (0: position, m; 3:
    velocity, m/s) with the matching 3 x 3 covariance blocks. With ``paired=True`` the two
    lists have one length and row ``k`` of ``a`` goes with row ``k`` of ``b``: ``(n,)``.
    """
    block = slice(first, first + 3)
    if paired:
        gap = states_a[:, block] - states_b[:, block]
        S_inv, _ = inverse_3x3(symmetrise(covs_a[:, block, block] + covs_b[:, block, block]))
        return np.einsum("ki,kij,kj->k", gap, S_inv, gap)
    n_a, n_b = len(states_a), len(states_b)
    if n_a == 0 or n_b == 0:
        return np.empty((n_a, n_b))
    gap = (states_a[:, None, block] - states_b[None, :, block]).reshape(-1, 3)
    S = (covs_a[:, None, block, block] + covs_b[None, :, block, block]).reshape(-1, 3, 3)
    S_inv, _ = inverse_3x3(symmetrise(S))
    return np.einsum("ki,kij,kj->k", gap, S_inv, gap).reshape(n_a, n_b)


def position_distance2(
    states_a: np.ndarray, covs_a: np.ndarray, states_b: np.ndarray, covs_b: np.ndarray
) -> np.ndarray:
    """Squared Mahalanobis distance of every pair's positions, ``(n_a, n_b)``.

    ``d² = (p_a − p_b)ᵀ (P_a,pp + P_b,pp)⁻¹ (p_a − p_b)`` with the first three state components
    as the position (m) and the upper-left 3 x 3 blocks of the covariances.
    """
    return block_distance2(states_a, covs_a, states_b, covs_b, 0)


class Correlation(NamedTuple):
    """Pairs of tracks judged to follow the same aircraft.

    Attributes
    ----------
    rows_a, rows_b : (k,) int64
        Row of each pair in list ``a`` and in list ``b``, sorted by ``rows_a``.
    distance2 : (k,) float64
        Squared Mahalanobis distance of each pair.
    kept : (k,) bool
        The pair was carried over from ``previous_pairs`` (hysteresis) rather than assigned.
    """

    rows_a: np.ndarray
    rows_b: np.ndarray
    distance2: np.ndarray
    kept: np.ndarray


def correlate(
    states_a: np.ndarray,
    covs_a: np.ndarray,
    states_b: np.ndarray,
    covs_b: np.ndarray,
    gate_probability: float = 0.999,
    previous_pairs: tuple[np.ndarray, np.ndarray] | None = None,
    hold_probability: float = 0.999999,
    velocity_gate_probability: float | None = None,
) -> Correlation:
    """Correlate two track lists: kept pairs first, then a gated optimal assignment.

    Parameters
    ----------
    states_a, states_b : (n_a, d), (n_b, d) float64
        Track states with the position (m) first, both at the same time and in one frame.
    covs_a, covs_b : (n_a, d, d), (n_b, d, d) float64
        Their covariances.
    gate_probability : float
        A new pair needs ``d² ≤ χ²₃⁻¹(gate_probability)``.
    previous_pairs : (rows_a, rows_b), optional
        Pairs made at the last correlation, as rows of the present lists. Each is kept while
        ``d² ≤ χ²₃⁻¹(hold_probability)`` (a looser gate), and its rows leave the assignment.
    hold_probability : float
        Probability of the hold gate; ``≥ gate_probability``.
    velocity_gate_probability : float, optional
        Also require the velocities to agree: ``d²_v ≤ χ²₃⁻¹(p)`` on the velocity blocks
        (``states[:, 3:6]``), with ``max(p, hold_probability)`` for kept pairs. Two tracks
        that cross, or a vague track near a crisp one, then pair only when their motion fits.

    Returns
    -------
    Correlation
        One-to-one pairs. Among the rows not kept, the assignment maximises the number of
        gated pairs and, among those, minimises the sum of ``d²``.
    """
    gate = _chi2_gate(gate_probability)
    hold = max(_chi2_gate(hold_probability), gate)
    check_velocity = velocity_gate_probability is not None
    v_gate = _chi2_gate(velocity_gate_probability) if check_velocity else np.inf
    v_hold = max(_chi2_gate(hold_probability), v_gate)
    if previous_pairs is None:
        previous_a = previous_b = _NO_ROWS
    else:
        previous_a = np.asarray(previous_pairs[0], dtype=np.int64)
        previous_b = np.asarray(previous_pairs[1], dtype=np.int64)
        if previous_a.shape != previous_b.shape:
            raise ValueError("previous_pairs: rows_a and rows_b differ in length")
    d2, kept_a, kept_b, cost, rows_a, rows_b = _gate_and_keep_kernel(
        states_a, covs_a, states_b, covs_b, gate, hold, check_velocity, v_gate, v_hold,
        previous_a, previous_b,
    )  # fmt: skip
    r = c = _NO_ROWS
    if cost.size:
        r, c = linear_sum_assignment(cost)
    return Correlation(*_sorted_pairs_kernel(kept_a, kept_b, rows_a[r], rows_b[c], cost[r, c], d2))


_NO_ROWS = np.empty(0, dtype=np.int64)
_NO_ROWS.flags.writeable = False


@numba.njit(cache=True)
def _pair_distance2(states_a, covs_a, i, states_b, covs_b, j, first):  # pragma: no cover
    """``d²`` of row ``i`` of ``a`` and row ``j`` of ``b`` on components ``first:first + 3``.

    The arithmetic of :func:`block_distance2`: ``S = P_a + P_b`` symmetrised, its cofactor
    inverse (:func:`~iadsim.tracking._kernels.symmetric_3x3_cofactors`, as
    :func:`~iadsim.tracking._kernels.inverse_3x3_kernel` computes it) and ``Δᵀ S⁻¹ Δ``
    summed term by term, as ``np.einsum`` sums it; on scalars, so that no pair allocates
    (the kernel meets every pair of two pictures).
    """
    p, q, r = first, first + 1, first + 2
    s00 = covs_a[i, p, p] + covs_b[j, p, p]
    s01 = covs_a[i, p, q] + covs_b[j, p, q]
    s02 = covs_a[i, p, r] + covs_b[j, p, r]
    s10 = covs_a[i, q, p] + covs_b[j, q, p]
    s11 = covs_a[i, q, q] + covs_b[j, q, q]
    s12 = covs_a[i, q, r] + covs_b[j, q, r]
    s20 = covs_a[i, r, p] + covs_b[j, r, p]
    s21 = covs_a[i, r, q] + covs_b[j, r, q]
    s22 = covs_a[i, r, r] + covs_b[j, r, r]
    # The upper triangle of 0.5 (S + Sᵀ), then its cofactors.
    a, b, c = 0.5 * (s00 + s00), 0.5 * (s01 + s10), 0.5 * (s02 + s20)
    d, e, f = 0.5 * (s11 + s11), 0.5 * (s12 + s21), 0.5 * (s22 + s22)
    A, B, C, D, E, F, dk = symmetric_3x3_cofactors(a, b, c, d, e, f)
    i00, i01, i02 = A / dk, B / dk, C / dk
    i11, i12, i22 = D / dk, E / dk, F / dk
    g0 = states_a[i, p] - states_b[j, p]
    g1 = states_a[i, q] - states_b[j, q]
    g2 = states_a[i, r] - states_b[j, r]
    total = 0.0
    total += g0 * i00 * g0
    total += g0 * i01 * g1
    total += g0 * i02 * g2
    total += g1 * i01 * g0
    total += g1 * i11 * g1
    total += g1 * i12 * g2
    total += g2 * i02 * g0
    total += g2 * i12 * g1
    total += g2 * i22 * g2
    return total


@numba.njit(cache=True)
def _gate_and_keep_kernel(
    states_a, covs_a, states_b, covs_b, gate, hold, check_velocity, v_gate, v_hold,
    previous_a, previous_b,
):  # fmt: skip  # pragma: no cover - numba
    """Position distances, gates and kept pairs of :func:`correlate`.

    Returns ``d²`` ``(n_a, n_b)``, the kept pairs ``(k,)`` int64 twice (in the order of
    ``previous``), and the cost matrix of the assignment among the rows left free with its
    rows of ``a`` and of ``b`` (:func:`_assignment_cost`).
    The velocity distance is computed only where the position passes the hold gate, as in
    :func:`correlate_reference`.
    """
    n_a, n_b = states_a.shape[0], states_b.shape[0]
    d2 = np.empty((n_a, n_b))
    may_pair = np.zeros((n_a, n_b), dtype=np.bool_)
    may_hold = np.zeros((n_a, n_b), dtype=np.bool_)
    for i in range(n_a):
        for j in range(n_b):
            distance2 = _pair_distance2(states_a, covs_a, i, states_b, covs_b, j, 0)
            d2[i, j] = distance2
            pair_ok = distance2 <= gate
            hold_ok = distance2 <= hold
            if check_velocity:
                v2 = np.inf
                if hold_ok:
                    v2 = _pair_distance2(states_a, covs_a, i, states_b, covs_b, j, 3)
                hold_ok = hold_ok and v2 <= v_hold
                pair_ok = pair_ok and v2 <= v_gate
            may_pair[i, j] = pair_ok
            may_hold[i, j] = hold_ok
    free_a = np.ones(n_a, dtype=np.bool_)
    free_b = np.ones(n_b, dtype=np.bool_)
    kept_a = np.empty(previous_a.size, dtype=np.int64)
    kept_b = np.empty(previous_a.size, dtype=np.int64)
    k = 0
    for p in range(previous_a.size):
        i, j = previous_a[p], previous_b[p]
        if 0 <= i < n_a and 0 <= j < n_b and free_a[i] and free_b[j] and may_hold[i, j]:
            kept_a[k], kept_b[k] = i, j
            free_a[i] = free_b[j] = False
            k += 1
    cost, rows_a, rows_b = _assignment_cost(d2, may_pair, free_a, free_b)
    return d2, kept_a[:k], kept_b[:k], cost, rows_a, rows_b


@numba.njit(cache=True)
def _assignment_cost(d2, may_pair, free_a, free_b):  # pragma: no cover - numba
    """Cost matrix of the assignment among free rows: ``d²`` where gated, else ``_UNGATED``.

    Only free rows and columns with some gated pair among the free ones enter it (their rows,
    ascending, are returned with it); with none, the matrix is empty.
    """
    use_a = np.zeros(free_a.size, dtype=np.bool_)
    use_b = np.zeros(free_b.size, dtype=np.bool_)
    for i in range(free_a.size):
        for j in range(free_b.size):
            if free_a[i] and free_b[j] and may_pair[i, j]:
                use_a[i] = use_b[j] = True
    rows_a, rows_b = np.flatnonzero(use_a), np.flatnonzero(use_b)
    cost = np.empty((rows_a.size, rows_b.size))
    for r in range(rows_a.size):
        for c in range(rows_b.size):
            i, j = rows_a[r], rows_b[c]
            cost[r, c] = d2[i, j] if may_pair[i, j] else _UNGATED
    return cost, rows_a, rows_b


@numba.njit(cache=True)
def _sorted_pairs_kernel(kept_a, kept_b, assigned_a, assigned_b, assigned_cost, d2):
    # pragma: no cover - numba
    """Kept pairs, then the assigned pairs inside the gate (cost under ``_UNGATED``), sorted
    by row of ``a`` (each row once), with their ``d²`` and whether each was kept."""
    n_kept = kept_a.size
    all_a = np.empty(n_kept + assigned_a.size, dtype=np.int64)
    all_b = np.empty(n_kept + assigned_a.size, dtype=np.int64)
    all_a[:n_kept], all_b[:n_kept] = kept_a, kept_b
    n = n_kept
    for k in range(assigned_a.size):
        if assigned_cost[k] < _UNGATED:
            all_a[n], all_b[n] = assigned_a[k], assigned_b[k]
            n += 1
    order = np.argsort(all_a[:n], kind="mergesort")
    rows_a, rows_b = all_a[order], all_b[order]
    distance2 = np.empty(n)
    for k in range(n):
        distance2[k] = d2[rows_a[k], rows_b[k]]
    return rows_a, rows_b, distance2, order < n_kept


def correlate_reference(
    states_a: np.ndarray,
    covs_a: np.ndarray,
    states_b: np.ndarray,
    covs_b: np.ndarray,
    gate_probability: float = 0.999,
    previous_pairs: tuple[np.ndarray, np.ndarray] | None = None,
    hold_probability: float = 0.999999,
    velocity_gate_probability: float | None = None,
) -> Correlation:
    """NumPy twin of :func:`correlate`: the same parameters, and the same pairs and
    distances, to the bit (a test compares them)."""
    n_a, n_b = len(states_a), len(states_b)
    d2 = position_distance2(states_a, covs_a, states_b, covs_b)
    gate = _chi2_gate(gate_probability)
    hold = max(_chi2_gate(hold_probability), gate)
    may_hold = d2 <= hold
    may_pair = d2 <= gate
    if velocity_gate_probability is not None:
        # Velocities only of the pairs that the position gate lets through.
        i, j = np.nonzero(may_hold)
        v2 = np.full(d2.shape, np.inf)
        v2[i, j] = block_distance2(states_a[i], covs_a[i], states_b[j], covs_b[j], 3, paired=True)
        v_gate = _chi2_gate(velocity_gate_probability)
        may_hold &= v2 <= max(_chi2_gate(hold_probability), v_gate)
        may_pair &= v2 <= v_gate
    free_a = np.ones(n_a, dtype=bool)
    free_b = np.ones(n_b, dtype=bool)
    kept_a: list[int] = []
    kept_b: list[int] = []
    if previous_pairs is not None:
        for i, j in zip(*(np.asarray(p, dtype=np.int64) for p in previous_pairs), strict=True):
            if 0 <= i < n_a and 0 <= j < n_b and free_a[i] and free_b[j] and may_hold[i, j]:
                kept_a.append(int(i))
                kept_b.append(int(j))
                free_a[i] = free_b[j] = False
    rows_a = np.flatnonzero(free_a)
    rows_b = np.flatnonzero(free_b)
    new_a = np.empty(0, dtype=np.int64)
    new_b = np.empty(0, dtype=np.int64)
    if rows_a.size and rows_b.size:
        sub = d2[np.ix_(rows_a, rows_b)]
        gated = may_pair[np.ix_(rows_a, rows_b)]
        if gated.any():
            # Only rows and columns with some gated pair enter the assignment.
            use_a = np.flatnonzero(gated.any(axis=1))
            use_b = np.flatnonzero(gated.any(axis=0))
            cost = np.where(gated, sub, _UNGATED)[np.ix_(use_a, use_b)]
            r, c = linear_sum_assignment(cost)
            ok = cost[r, c] < _UNGATED
            new_a = rows_a[use_a[r[ok]]]
            new_b = rows_b[use_b[c[ok]]]
    all_a = np.concatenate([np.array(kept_a, dtype=np.int64), new_a])
    all_b = np.concatenate([np.array(kept_b, dtype=np.int64), new_b])
    kept = np.concatenate([np.ones(len(kept_a), dtype=bool), np.zeros(new_a.size, dtype=bool)])
    order = np.argsort(all_a, kind="stable")
    return Correlation(all_a[order], all_b[order], d2[all_a[order], all_b[order]], kept[order])
