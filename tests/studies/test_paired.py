"""Paired differences and McNemar's test, against hand-worked values and SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from iadsim.studies.paired import mcnemar_exact, paired_difference


def _pairs_from_table(both: int, baseline_only: int, variant_only: int, neither: int):
    """Paired 0/1 outcomes with the given 2x2 table (baseline rows, variant columns)."""
    x = [1] * both + [1] * baseline_only + [0] * variant_only + [0] * neither
    y = [1] * both + [0] * baseline_only + [1] * variant_only + [0] * neither
    return np.array(x, float), np.array(y, float)


def test_mcnemar_on_agrestis_presidential_approval_table():
    # Agresti, Categorical Data Analysis, 3rd ed., 2013, Table 11.1: approval of the
    # president's performance in two surveys a month apart, n = 1600: (approve, approve)
    # 794, (approve, disapprove) 150, (disapprove, approve) 86, (disapprove, disapprove) 570.
    # Agresti's McNemar statistic is z = (86 - 150) / sqrt(86 + 150) = -4.17.
    x, y = _pairs_from_table(794, 150, 86, 570)
    result = mcnemar_exact(x, y)
    assert (result.variant_only, result.baseline_only) == (86, 150)
    z = (86 - 150) / math.sqrt(86 + 150)
    assert z == pytest.approx(-4.17, abs=0.005)
    # Exact two-sided p-value by hand: 2 P(B <= 86), B ~ Binomial(236, 1/2).
    exact = 2 * sum(math.comb(236, i) for i in range(87)) / 2**236
    assert result.p_value == pytest.approx(exact, rel=1e-9)
    # ...and close to the chi-square approximation's 2 Phi(-4.17) = 3.1e-5.
    assert result.p_value == pytest.approx(2 * stats.norm.cdf(z), rel=0.25)


def test_mcnemar_small_table_by_hand():
    # b = 0, c = 5: p = 2 * (1/2)^5 = 0.0625; five discordant pairs cannot reach 5 %.
    x, y = _pairs_from_table(3, 5, 0, 2)
    assert mcnemar_exact(x, y).p_value == pytest.approx(0.0625)
    x, y = _pairs_from_table(3, 6, 0, 2)
    assert mcnemar_exact(x, y).p_value == pytest.approx(2 / 64)


def test_mcnemar_without_discordant_pairs_is_one_and_drops_missing_pairs():
    x = np.array([1, 0, np.nan, 1])
    y = np.array([1, 0, 1, np.nan])
    assert mcnemar_exact(x, y).p_value == 1.0
    with pytest.raises(ValueError, match="0/1"):
        mcnemar_exact(np.array([0.5]), np.array([1.0]))


def test_paired_difference_is_the_mean_of_differences_with_scipys_paired_interval():
    rng = np.random.default_rng(3)
    common = rng.normal(10.0, 5.0, 40)  # what the common random numbers share
    x = common + rng.normal(0.0, 0.5, 40)
    y = common + 1.0 + rng.normal(0.0, 0.5, 40)
    ours = paired_difference(x, y, n_resamples=9999, seed=1)
    assert ours.mean == pytest.approx(np.mean(y) - np.mean(x))
    reference = stats.bootstrap(
        (x, y),
        lambda a, b, axis=-1: np.mean(b - a, axis=axis),
        paired=True,
        n_resamples=9999,
        method="BCa",
        rng=np.random.default_rng(2),
    ).confidence_interval
    width = reference.high - reference.low
    assert ours.low == pytest.approx(reference.low, abs=0.1 * width)
    assert ours.high == pytest.approx(reference.high, abs=0.1 * width)
    assert ours.excludes_zero


def test_pairing_narrows_the_interval_when_the_variants_share_their_draws():
    rng = np.random.default_rng(4)
    common = rng.normal(0.0, 10.0, 30)
    x = common + rng.normal(0.0, 1.0, 30)
    y = common + 2.0 + rng.normal(0.0, 1.0, 30)
    paired = paired_difference(x, y)
    unpaired = stats.ttest_ind(y, x).confidence_interval()
    assert paired.high - paired.low < 0.3 * (unpaired.high - unpaired.low)


def test_a_constant_difference_has_a_degenerate_interval():
    x = np.array([1.0, 4.0, 2.0])
    result = paired_difference(x, x + 2.0)
    assert (result.mean, result.low, result.high, result.method) == (2.0, 2.0, 2.0, "degenerate")
    assert paired_difference(np.array([1.0]), np.array([np.nan])).n_pairs == 0
