"""Wilson and bootstrap intervals, and the per-point summary of campaign results."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from iadsim.campaigns.statistics import (
    bootstrap_mean_ci,
    indicator_name,
    is_proportion_column,
    summarize,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score
    # interval without continuity correction), 95 %.
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998_table(successes, n, low, high):
    got = wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
@pytest.mark.parametrize(("successes", "n"), [(0, 5), (3, 7), (10, 10), (37, 120), (1, 1000)])
def test_wilson_matches_scipy_binomtest(successes, n, confidence):
    reference = stats.binomtest(successes, n).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    got = wilson_interval(successes, n, confidence)
    assert got == pytest.approx((reference.low, reference.high), abs=1e-12)


def test_wilson_edge_cases():
    assert all(math.isnan(bound) for bound in wilson_interval(0, 0))
    assert wilson_interval(5, 5)[1] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


@pytest.mark.parametrize("method", ["BCa", "percentile", "basic"])
def test_bootstrap_interval_is_scipys(method):
    values = np.random.default_rng(3).gamma(2.0, 3.0, size=60)
    reference = stats.bootstrap(
        (values,), np.mean, n_resamples=2000, method=method, rng=np.random.default_rng(9)
    ).confidence_interval
    got = bootstrap_mean_ci(values, n_resamples=2000, seed=9, method=method)
    assert (got.low, got.high) == pytest.approx((reference.low, reference.high), rel=1e-12)
    assert got.mean == pytest.approx(values.mean())
    assert got.n == 60


def test_bootstrap_interval_is_close_to_the_t_interval_for_normal_data():
    values = np.random.default_rng(5).normal(10.0, 2.0, size=400)
    low_t, high_t = stats.t.interval(
        0.95, df=values.size - 1, loc=values.mean(), scale=stats.sem(values)
    )
    got = bootstrap_mean_ci(values, n_resamples=4000, seed=1)
    half_width_t = (high_t - low_t) / 2
    assert got.low == pytest.approx(low_t, abs=0.1 * half_width_t)
    assert got.high == pytest.approx(high_t, abs=0.1 * half_width_t)


def test_bootstrap_drops_nan_and_handles_degenerate_samples():
    got = bootstrap_mean_ci([1.0, np.nan, 3.0, np.inf, 2.0], n_resamples=500)
    assert got.n == 3
    assert got.mean == pytest.approx(2.0)
    constant = bootstrap_mean_ci([4.0, 4.0, 4.0])
    assert (constant.mean, constant.low, constant.high, constant.method) == (4, 4, 4, "degenerate")
    single = bootstrap_mean_ci([1.5, np.nan])
    assert single.mean == 1.5 and math.isnan(single.low)
    assert bootstrap_mean_ci([]).n == 0


def _results_table():
    # Two sweep points; point 1 has one failed replication.
    return pa.table(
        {
            "point": pa.array([0, 0, 0, 0, 1, 1, 1, 1], pa.int32()),
            "sweep.raid.count": pa.array([4, 4, 4, 4, 8, 8, 8, 8]),
            "replication": pa.array([0, 1, 2, 3, 0, 1, 2, 3], pa.int32()),
            "seed": pa.array([1, 2, 3, 4, 1, 2, 3, 4]),
            "status": ["ok", "ok", "ok", "ok", "ok", "ok", "failed", "ok"],
            "attempts": pa.array([1] * 8, pa.int32()),
            "error": [None] * 6 + ["boom", None],
            "allied_engaged": pa.array([0, 1, 0, 0, 1, 1, None, 0]),
            "leakers": pa.array([0, 2, 0, 1, 3, 0, None, 5]),
            "range_km": [100.0, 110.0, np.nan, 120.0, 90.0, 95.0, None, 85.0],
        }
    )


def test_summary_kinds_counts_and_intervals():
    summary = summarize(_results_table(), any_positive=["leakers", "allied_engaged"], seed=2)
    rows = {(r["point"], r["measure"]): r for r in summary.to_pylist()}
    assert set(summary.column("measure").to_pylist()) == {
        "allied_engaged",
        "leakers",
        "range_km",
        "P(leakers>0)",
    }  # allied_engaged is already 0/1: no derived P(allied_engaged>0)
    engaged = rows[(1, "allied_engaged")]
    assert (engaged["kind"], engaged["n"], engaged["n_failed"]) == ("proportion", 3, 1)
    reference = stats.binomtest(2, 3).proportion_ci(method="wilson")
    assert (engaged["ci_low"], engaged["ci_high"]) == pytest.approx((reference.low, reference.high))
    assert engaged["mean"] == pytest.approx(2 / 3)
    any_leak = rows[(0, indicator_name("leakers"))]
    assert (any_leak["mean"], any_leak["n"]) == (0.5, 4)
    assert rows[(0, "range_km")]["n"] == 3
    assert rows[(0, "range_km")]["mean"] == pytest.approx(110.0)
    assert rows[(1, "leakers")]["kind"] == "mean"
    assert rows[(1, "leakers")]["sweep.raid.count"] == 8


def test_declared_proportion_must_be_zero_or_one():
    with pytest.raises(ValueError, match="proportion"):
        summarize(_results_table(), proportions=["leakers"])


def test_unknown_measure_is_an_error():
    with pytest.raises(KeyError, match="kills"):
        summarize(_results_table(), measures=["kills"])


def test_proportion_detection():
    assert is_proportion_column(pa.chunked_array([[True, False]]))
    assert is_proportion_column(pa.chunked_array([[0, 1, None, 1]]))
    assert not is_proportion_column(pa.chunked_array([[0, 2]]))
    assert not is_proportion_column(pa.chunked_array([[0.0, 1.0]]))
