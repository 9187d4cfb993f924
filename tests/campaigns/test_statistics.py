"""Wilson and bootstrap intervals, and the per-point summary of campaign results."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from iadsim.campaigns.statistics import (
    SMALL_N,
    bootstrap_mean_ci,
    indicator_name,
    summarize,
    variant_label,
    wilson_interval,
)
from iadsim.scoring.measures import Measure

COUNT = Measure("leakers", "count", "threats", "Threats that leaked.")
ENGAGED = Measure("allied_engaged", "count", "aircraft", "Allied aircraft engaged.")
RANGE = Measure("range_km", "range", "km", "Range of the first detection.")


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
    summary = summarize(
        _results_table(),
        declarations=[COUNT, ENGAGED, RANGE],
        any_positive=["leakers", "allied_engaged"],
        seed=2,
    )
    rows = {(r["point"], r["measure"]): r for r in summary.to_pylist()}
    assert summary.column("measure").to_pylist()[:5] == [
        "allied_engaged",
        "leakers",
        "range_km",
        "P(leakers>0)",
        "P(allied_engaged>0)",
    ]
    engaged = rows[(1, "allied_engaged")]
    # A declared count stays a count although every value is 0 or 1: a mean, not Wilson.
    assert (engaged["kind"], engaged["unit"], engaged["n"], engaged["n_failed"]) == (
        "count",
        "aircraft",
        3,
        1,
    )
    assert engaged["method"] != "wilson"
    assert engaged["mean"] == pytest.approx(2 / 3)
    any_engaged = rows[(1, indicator_name("allied_engaged"))]
    reference = stats.binomtest(2, 3).proportion_ci(method="wilson")
    assert any_engaged["kind"] == "proportion"
    assert (any_engaged["ci_low"], any_engaged["ci_high"]) == pytest.approx(
        (reference.low, reference.high)
    )
    any_leak = rows[(0, indicator_name("leakers"))]
    assert (any_leak["mean"], any_leak["n"]) == (0.5, 4)
    assert rows[(0, "range_km")]["n"] == 3
    assert rows[(0, "range_km")]["mean"] == pytest.approx(110.0)
    assert (rows[(0, "range_km")]["kind"], rows[(0, "range_km")]["unit"]) == ("range", "km")
    assert rows[(1, "leakers")]["kind"] == "count"
    assert rows[(1, "leakers")]["sweep.raid.count"] == 8
    assert rows[(1, "leakers")]["variant"] == "raid.count=8"


def _one_point(**columns):
    n = len(next(iter(columns.values())))
    return pa.table(
        {
            "point": pa.array([0] * n, pa.int32()),
            "replication": pa.array(range(n), pa.int32()),
            "seed": pa.array(range(n)),
            "status": ["ok"] * n,
            "attempts": pa.array([1] * n, pa.int32()),
            "error": pa.array([None] * n, pa.string()),
            **columns,
        }
    )


def test_a_count_that_happens_to_be_zero_or_one_is_a_mean_with_a_bootstrap_interval():
    summary = summarize(_one_point(allied_engaged=[0, 1, 0, 0]), declarations=[ENGAGED])
    row = summary.to_pylist()[0]
    assert (row["kind"], row["mean"]) == ("count", 0.25)
    assert row["method"] in ("bca", "percentile")
    # Not the Wilson interval of 1 in 4, [0.0456, 0.6994] (Newcombe 1998 method 3).
    assert (row["ci_low"], row["ci_high"]) != pytest.approx((0.0456, 0.6994), abs=1e-3)
    assert 0.0 <= row["ci_low"] <= 0.25 <= row["ci_high"] <= 1.0


def test_a_proportion_that_is_always_zero_has_a_wilson_interval_of_nonzero_width():
    declared = Measure("any_friendly_engaged", "proportion", "", "Any friend engaged.")
    summary = summarize(_one_point(any_friendly_engaged=[0, 0, 0, 0]), declarations=[declared])
    row = summary.to_pylist()[0]
    z2 = 1.959963984540054**2
    # Wilson with no successes: [0, z^2 / (n + z^2)] = [0, 3.8415 / 7.8415] for n = 4.
    assert (row["kind"], row["method"], row["mean"]) == ("proportion", "wilson", 0.0)
    assert row["ci_low"] == 0.0
    assert row["ci_high"] == pytest.approx(z2 / (4 + z2))
    assert row["ci_high"] == pytest.approx(0.4899, abs=1e-4)
    assert row["flags"] == "small-n"  # not degenerate: the interval has width


def test_an_undeclared_measure_is_a_plain_mean_whatever_its_values():
    summary = summarize(_one_point(mystery=[0, 1, 1, 0]), declarations=[COUNT])
    row = summary.to_pylist()[0]
    assert (row["kind"], row["unit"], row["mean"]) == ("undeclared", "", 0.5)
    assert row["method"] != "wilson"


def test_four_equal_values_are_flagged_small_and_degenerate():
    summary = summarize(_one_point(leakers=[2, 2, 2, 2]), declarations=[COUNT])
    row = summary.to_pylist()[0]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == (2.0, 2.0, 2.0)
    assert row["flags"] == "small-n;degenerate"


def test_thirty_varied_values_carry_no_flag_and_twenty_nine_are_small():
    values = [i % 3 for i in range(SMALL_N)]
    row = summarize(_one_point(leakers=values), declarations=[COUNT], n_resamples=200).to_pylist()
    assert (row[0]["n"], row[0]["flags"]) == (30, "")
    row = summarize(_one_point(leakers=values[:-1]), declarations=[COUNT], n_resamples=200)
    assert row.column("flags").to_pylist() == ["small-n"]


def test_failed_and_undefined_replications_are_flagged():
    summary = summarize(_results_table(), declarations=[COUNT, ENGAGED, RANGE], seed=2)
    flags = {(r["point"], r["measure"]): r["flags"] for r in summary.to_pylist()}
    assert flags[(0, "leakers")] == "small-n"
    assert flags[(1, "leakers")] == "small-n;failed"
    assert flags[(0, "range_km")] == "small-n;undefined"  # one NaN range among 4 ok runs


def test_a_family_declaration_covers_each_platform():
    family = Measure("leakers_<platform>", "count", "threats", "Leaked <platform> threats.")
    summary = summarize(_one_point(leakers_kalibr=[0, 1, 2, 1]), declarations=[family])
    row = summary.to_pylist()[0]
    assert (row["measure"], row["kind"], row["unit"]) == ("leakers_kalibr", "count", "threats")


def test_values_that_contradict_the_declaration_are_an_error():
    with pytest.raises(ValueError, match="proportion"):
        summarize(
            _results_table(),
            declarations=[Measure("leakers", "proportion", "", "Wrongly declared.")],
        )
    with pytest.raises(ValueError, match="count"):
        summarize(_one_point(leakers=[0.5, 1.0]), declarations=[COUNT])


def test_unknown_measure_is_an_error():
    with pytest.raises(KeyError, match="kills"):
        summarize(_results_table(), measures=["kills"])


def test_variant_label_names_the_swept_values():
    point = {"sweep.raid.count": 4, "sweep.catalog.f35a.rcs_scale": 0.5}
    assert variant_label(point, list(point)) == "raid.count=4, catalog.f35a.rcs_scale=0.5"
    assert variant_label({}, []) == "scenario as written"
