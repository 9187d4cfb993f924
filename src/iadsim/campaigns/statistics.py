"""Point estimates and confidence intervals of campaign measures, per sweep point.

The statistic of a measure follows its *declared* kind (:mod:`iadsim.scoring.measures`),
never the values it happens to take:

* **proportions** (0/1 outcomes, such as "an allied aircraft was engaged"): the mean is the
  fraction ``p = x / n`` and the interval is Wilson's score interval (Wilson 1927, *JASA*
  22:209-212), which keeps good coverage near 0 and 1 and for small ``n`` where the Wald
  interval fails (Agresti & Coull 1998, *The American Statistician* 52(2):119-126;
  Newcombe 1998, *Statistics in Medicine* 17:857-872)::

      centre     = (p + z^2 / (2n)) / (1 + z^2 / n)
      half width = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))

  with ``z`` the ``1 - alpha/2`` standard normal quantile;
* **counts, durations, ranges, ratios**, and measures the replicate did not declare
  (kind ``"undeclared"``): the mean with a bootstrap interval (Efron & Tibshirani 1993,
  *An Introduction to the Bootstrap*), by default bias-corrected and accelerated (BCa),
  computed by :func:`scipy.stats.bootstrap` with a fixed seed so that a report is
  reproducible.

``any_positive`` measures (e.g. ``allied_engaged``) that are not proportions also get a
derived proportion ``P(<name>>0)``: the probability that a replication has at least one
such event.

Every row carries ``flags`` (see :data:`FLAGS`) that say when its interval should not be
read at face value: fewer than :data:`SMALL_N` values, an interval of zero width, failed
replications, or replications where the measure was undefined.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import ndtri

from iadsim.campaigns.store import SWEEP_PREFIX, measure_columns, sweep_columns
from iadsim.scoring.measures import Measure, find_measure

__all__ = [
    "FLAGS",
    "SMALL_N",
    "UNDECLARED",
    "Estimate",
    "bootstrap_mean_ci",
    "indicator_name",
    "summarize",
    "variant_label",
    "wilson_interval",
]

UNDECLARED = "undeclared"
"""Kind of a measure the replicate did not declare: reported as a plain mean."""

SMALL_N = 30
"""Fewer values than this at a sweep point flag the row ``small-n``.

Thirty is the customary size below which a mean's sampling distribution is not taken to be
near normal. The bootstrap sees only the sample's own spread, so from few values its
intervals are too narrow (by about ``sqrt((n - 1) / n)`` for the percentile interval, more
for skewed data; Hesterberg 2015, *The American Statistician* 69(4):371-386); a Wilson
interval keeps its coverage but is then wide (about ±0.18 at p = 0.5 and n = 30).
"""

FLAGS = {
    "small-n": f"fewer than {SMALL_N} values: a mean's bootstrap interval is then too narrow, "
    "a proportion's Wilson interval wide",
    "degenerate": "zero-width interval: every replication gave the same value, so the "
    "interval says nothing about uncertainty; run more replications",
    "failed": "some replications at this point failed and are not in n",
    "undefined": "the measure was undefined (NaN) in some successful replications, "
    "which are left out of n (e.g. no threat detected)",
}
"""Flags of a summary row, in the order they are listed, with their meaning."""


@dataclass(frozen=True)
class Estimate:
    """A mean and its confidence interval.

    Attributes
    ----------
    mean : float
        Sample mean (for a proportion, the fraction of successes); NaN when ``n == 0``.
    low, high : float
        Interval bounds; NaN when they cannot be computed (``n < 2`` for the bootstrap).
    n : int
        Number of finite values used.
    method : str
        ``"wilson"``, ``"bca"``, ``"percentile"``, ``"basic"`` or ``"degenerate"``
        (all values equal: the interval is that value).
    """

    mean: float
    low: float
    high: float
    n: int
    method: str


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion.

    Parameters
    ----------
    successes : int
        Number of successes ``x``, ``0 <= x <= n``.
    n : int
        Number of trials.
    confidence : float
        Two-sided confidence level, e.g. 0.95.

    Returns
    -------
    low, high : float
        Bounds in [0, 1]; ``(nan, nan)`` when ``n == 0``.

    Notes
    -----
    See the module docstring for the formula (Wilson 1927; Agresti & Coull 1998).
    """
    if not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if n == 0:
        return math.nan, math.nan
    z = float(ndtri(0.5 + confidence / 2.0))
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    # Exact at the ends: the rounding of centre - half can leave 1e-17 instead of 0.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def bootstrap_mean_ci(
    values: Sequence[float] | np.ndarray,
    confidence: float = 0.95,
    *,
    n_resamples: int = 4999,
    seed: int = 0,
    method: str = "BCa",
) -> Estimate:
    """Mean of the finite values with a bootstrap confidence interval.

    Parameters
    ----------
    values : (n,) array_like of float
        Sample; NaN and infinite values are dropped (e.g. "no detection" ranges).
    confidence : float
        Two-sided confidence level.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        Seed of the resampling generator: the same seed gives the same interval.
    method : {"BCa", "percentile", "basic"}
        Interval method of :func:`scipy.stats.bootstrap`. If BCa gives NaN (it can for
        very small or very skewed samples) the percentile interval is returned instead.

    Returns
    -------
    Estimate
    """
    data = np.asarray(values, dtype=np.float64)
    data = data[np.isfinite(data)]
    n = int(data.size)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0, "none")
    mean = float(np.mean(data))
    if n < 2:
        return Estimate(mean, math.nan, math.nan, n, "none")
    if np.all(data == data[0]):
        return Estimate(mean, mean, mean, n, "degenerate")
    from scipy.stats import bootstrap  # scipy.stats takes a second to import

    # Bound the (batch, n) resample arrays, and BCa's (n, n-1) jackknife, to ~16 MB.
    batch = max(1, 2_000_000 // n)
    methods = [method] if method.lower() != "bca" else ["BCa", "percentile"]
    for current in methods:
        result = bootstrap(
            (data,),
            np.mean,
            n_resamples=n_resamples,
            confidence_level=confidence,
            method=current,
            batch=batch,
            vectorized=True,
            rng=np.random.default_rng(seed),
        )
        low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
        if math.isfinite(low) and math.isfinite(high):
            return Estimate(mean, low, high, n, current.lower())
    return Estimate(mean, math.nan, math.nan, n, "none")


def indicator_name(measure: str) -> str:
    """Name of the derived proportion ``P(measure>0)``."""
    return f"P({measure}>0)"


def variant_label(point: dict[str, Any], sweeps: Sequence[str]) -> str:
    """Name of a sweep point by its swept values: ``"raid.count=4, raid.pk=0.3"``.

    ``"scenario as written"`` when nothing is swept.
    """
    if not sweeps:
        return "scenario as written"
    return ", ".join(f"{name.removeprefix(SWEEP_PREFIX)}={point[name]}" for name in sweeps)


def summarize(
    table: pa.Table,
    *,
    declarations: Iterable[Measure] | None = None,
    measures: Iterable[str] | None = None,
    any_positive: Iterable[str] = (),
    confidence: float = 0.95,
    n_resamples: int = 4999,
    seed: int = 0,
) -> pa.Table:
    """Mean and confidence interval of each measure at each sweep point.

    Parameters
    ----------
    table : pyarrow.Table
        Campaign results (:func:`iadsim.campaigns.store.load_results`).
    declarations : iterable of Measure, optional
        What each measure is (the replicate's declarations, as in the campaign manifest).
        A measure without a declaration is summarised as kind ``"undeclared"``.
    measures : iterable of str, optional
        Measures to summarise; default all measure columns.
    any_positive : iterable of str
        Measures for which to add the proportion ``P(name>0)``; skipped when the measure
        is not among ``measures`` or is declared a proportion (it already is one).
    confidence : float
        Two-sided confidence level.
    n_resamples, seed : int
        Bootstrap settings (see :func:`bootstrap_mean_ci`).

    Returns
    -------
    pyarrow.Table
        Long format, one row per (point, measure): ``point``, the ``sweep.*`` columns,
        ``variant`` (:func:`variant_label`), ``measure``, ``kind`` (declared kind or
        ``"undeclared"``), ``unit``, ``n`` (finite values from ok replications),
        ``n_failed`` (failed replications at the point), ``mean``, ``ci_low``, ``ci_high``,
        ``method``, ``confidence``, ``flags`` (names from :data:`FLAGS` joined by ``;``,
        empty when none). Sorted by point, then measure in the order given (derived
        proportions after their measure's block).

    Raises
    ------
    KeyError
        A requested measure is not in the results.
    ValueError
        A value contradicts its declaration (a proportion not 0/1, a count not a
        non-negative whole number).
    """
    available = measure_columns(table)
    chosen = list(measures) if measures is not None else available
    missing = [name for name in chosen if name not in available]
    if missing:
        raise KeyError(f"no measure {missing} in the results; available: {available}")
    declared = list(declarations or ())
    ok_table = table.filter(pc.equal(table.column("status"), "ok"))
    sweeps = sweep_columns(table)
    all_points = np.asarray(table.column("point").to_numpy(zero_copy_only=False))
    ok_points = np.asarray(ok_table.column("point").to_numpy(zero_copy_only=False))
    point_ids = np.unique(all_points)
    first_row = {int(p): int(np.flatnonzero(all_points == p)[0]) for p in point_ids}
    sweep_values = {name: table.column(name).to_pylist() for name in sweeps}
    kinds: dict[str, tuple[str, str]] = {}
    series: dict[str, np.ndarray] = {}
    for name in chosen:
        measure = find_measure(declared, name)
        kinds[name] = (measure.kind, measure.unit) if measure else (UNDECLARED, "")
        series[name] = _as_float(ok_table.column(name))
        _check_declared(name, kinds[name][0], series[name])
    for name in any_positive:
        if name in chosen and kinds[name][0] != "proportion":
            values = series[name]
            indicator = np.where(np.isfinite(values), (values > 0).astype(np.float64), np.nan)
            kinds[indicator_name(name)] = ("proportion", "")
            series[indicator_name(name)] = indicator

    keys = ("point", *sweeps, "variant", "measure", "kind", "unit", "n", "n_failed")
    rows: dict[str, list] = {key: [] for key in keys}
    for key in ("mean", "ci_low", "ci_high", "method", "confidence", "flags"):
        rows[key] = []
    for p in point_ids:
        at_point = ok_points == p
        n_ok = int(np.sum(at_point))
        n_failed = int(np.sum(all_points == p)) - n_ok
        point_values = {sweep: sweep_values[sweep][first_row[int(p)]] for sweep in sweeps}
        for name, values in series.items():
            kind, unit = kinds[name]
            estimate = _estimate(values[at_point], kind, confidence, n_resamples, seed)
            rows["point"].append(int(p))
            for sweep in sweeps:
                rows[sweep].append(point_values[sweep])
            rows["variant"].append(variant_label(point_values, sweeps))
            rows["measure"].append(name)
            rows["kind"].append(kind)
            rows["unit"].append(unit)
            rows["n"].append(estimate.n)
            rows["n_failed"].append(n_failed)
            rows["mean"].append(estimate.mean)
            rows["ci_low"].append(estimate.low)
            rows["ci_high"].append(estimate.high)
            rows["method"].append(estimate.method)
            rows["confidence"].append(confidence)
            rows["flags"].append(";".join(_flags(estimate, n_ok, n_failed)))
    schema_types = {name: table.schema.field(name).type for name in sweeps}
    types = {**schema_types, "flags": pa.string(), "unit": pa.string(), "kind": pa.string()}
    return pa.table({key: pa.array(value, types.get(key)) for key, value in rows.items()})


def _check_declared(name: str, kind: str, values: np.ndarray) -> None:
    """Refuse values that contradict the declared kind (the report would mislead)."""
    finite = values[np.isfinite(values)]
    if kind == "proportion" and not np.all((finite == 0) | (finite == 1)):
        raise ValueError(f"measure {name!r} is declared a proportion but is not 0/1-valued")
    if kind == "count" and not np.all((finite >= 0) & (finite == np.round(finite))):
        raise ValueError(
            f"measure {name!r} is declared a count but has values that are not "
            "non-negative whole numbers"
        )


def _flags(estimate: Estimate, n_ok: int, n_failed: int) -> list[str]:
    """Names of the :data:`FLAGS` that apply to one summary row, in their order."""
    zero_width = math.isfinite(estimate.low) and estimate.low == estimate.high
    applies = {
        "small-n": estimate.n < SMALL_N,
        "degenerate": zero_width,
        "failed": n_failed > 0,
        "undefined": estimate.n < n_ok,
    }
    return [flag for flag in FLAGS if applies[flag]]


def _as_float(column: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_boolean(column.type):
        column = column.cast(pa.int8())
    return np.asarray(column.cast(pa.float64()).fill_null(math.nan).to_numpy(), dtype=np.float64)


def _estimate(
    values: np.ndarray, kind: str, confidence: float, n_resamples: int, seed: int
) -> Estimate:
    if kind == "proportion":
        finite = values[np.isfinite(values)]
        n = int(finite.size)
        successes = int(np.sum(finite != 0))
        low, high = wilson_interval(successes, n, confidence)
        return Estimate(successes / n if n else math.nan, low, high, n, "wilson")
    return bootstrap_mean_ci(values, confidence, n_resamples=n_resamples, seed=seed)
