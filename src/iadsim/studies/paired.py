"""Paired comparisons of two variants run with common random numbers.

Replication ``k`` of every variant of a study runs with the same seed (common random
numbers, Law, *Simulation Modeling and Analysis*, 5th ed., 2015, sec. 11.2), so the
natural comparison is of the pairs ``(x_k, y_k)``: baseline and variant under the same
draws. The paired difference ``d_k = y_k - x_k`` removes the variation the two share, and
its interval is usually much narrower than the one of two independent means.

* **Mean difference** of any numeric measure: the mean of ``d_k`` with a bootstrap interval
  that resamples *replications* (whole pairs), the paired bootstrap of Efron & Tibshirani,
  *An Introduction to the Bootstrap*, 1993, sec. 6-7 (the same as bootstrapping the
  differences), computed by :func:`iadsim.campaigns.statistics.bootstrap_mean_ci` with a
  fixed seed so that a report is reproducible.
* **Binary outcomes** (declared ``proportion``): also McNemar's exact test of
  "the two variants have the same probability" (McNemar 1947, *Psychometrika* 12:153-157;
  Agresti, *Categorical Data Analysis*, 3rd ed., 2013, sec. 11.1). Only the discordant pairs
  count: ``b`` pairs where the variant has the event and the baseline not, ``c`` the other
  way; under the null ``b ~ Binomial(b + c, 1/2)``, and the two-sided p-value is
  :func:`scipy.stats.binomtest`'s, ``min(1, 2 P(B <= min(b, c)))``.

Pairs where either value is missing (failed replication, undefined measure) are dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iadsim.campaigns.statistics import bootstrap_mean_ci

__all__ = ["McNemar", "PairedDifference", "mcnemar_exact", "paired_difference"]


@dataclass(frozen=True)
class PairedDifference:
    """Mean paired difference (variant minus baseline) and its interval.

    Attributes
    ----------
    mean, low, high : float
        Mean of ``y_k - x_k`` and its bootstrap interval; NaN when it cannot be computed.
    n_pairs : int
        Pairs with both values present.
    method : str
        Interval method (``"bca"``, ``"percentile"``, ``"degenerate"``, ``"none"``).
    """

    mean: float
    low: float
    high: float
    n_pairs: int
    method: str

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly on one side of zero."""
        return bool(self.low > 0.0 or self.high < 0.0)


@dataclass(frozen=True)
class McNemar:
    """McNemar's exact test on paired binary outcomes.

    Attributes
    ----------
    variant_only, baseline_only : int
        Discordant pairs: event in the variant only (``b``), in the baseline only (``c``).
    p_value : float
        Two-sided exact p-value; 1 when there is no discordant pair.
    """

    variant_only: int
    baseline_only: int
    p_value: float


def _pairs(baseline: np.ndarray, variant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(baseline, dtype=np.float64)
    y = np.asarray(variant, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"paired samples must be 1-D and of one length, got {x.shape}, {y.shape}")
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def paired_difference(
    baseline: np.ndarray,
    variant: np.ndarray,
    confidence: float = 0.95,
    *,
    n_resamples: int = 4999,
    seed: int = 0,
) -> PairedDifference:
    """Mean of ``variant - baseline`` over paired replications, with a paired bootstrap CI.

    Parameters
    ----------
    baseline, variant : (n,) array_like of float
        Values of one measure, replication ``k`` of each at the same seed.
    confidence : float
        Two-sided confidence level.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        Seed of the resampling generator.

    Returns
    -------
    PairedDifference
    """
    x, y = _pairs(baseline, variant)
    estimate = bootstrap_mean_ci(y - x, confidence, n_resamples=n_resamples, seed=seed)
    return PairedDifference(estimate.mean, estimate.low, estimate.high, estimate.n, estimate.method)


def mcnemar_exact(baseline: np.ndarray, variant: np.ndarray) -> McNemar:
    """McNemar's exact test on paired 0/1 outcomes.

    Parameters
    ----------
    baseline, variant : (n,) array_like of {0, 1}
        Outcome of replication ``k`` of each (NaN: missing, dropped with its pair).

    Returns
    -------
    McNemar

    Raises
    ------
    ValueError
        If a present value is not 0 or 1.
    """
    x, y = _pairs(baseline, variant)
    if not np.all(np.isin(x, (0.0, 1.0)) & np.isin(y, (0.0, 1.0))):
        raise ValueError("McNemar's test needs 0/1 outcomes")
    variant_only = int(np.sum((y == 1.0) & (x == 0.0)))
    baseline_only = int(np.sum((x == 1.0) & (y == 0.0)))
    discordant = variant_only + baseline_only
    if discordant == 0:
        return McNemar(0, 0, 1.0)
    from scipy.stats import binomtest

    p_value = float(binomtest(variant_only, discordant, 0.5).pvalue)
    return McNemar(
        variant_only, baseline_only, min(1.0, p_value) if math.isfinite(p_value) else 1.0
    )
