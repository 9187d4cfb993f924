"""Lethality: Carleton and cookie-cutter kill functions, reliability, classes, no double count."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from iadsim.catalog.loader import load_catalog
from iadsim.weapons.lethality import (
    BLAST_FRAGMENTATION,
    CLASS_OF_CATEGORY,
    HIT_TO_KILL,
    TARGET_CLASSES,
    Lethality,
    conditional_kill_probability,
    target_class_index,
)


def test_carleton_hand_values_at_zero_one_and_two_lethal_radii():
    pk = conditional_kill_probability([0.0, 28.0, 56.0], [BLAST_FRAGMENTATION] * 3, [28.0] * 3)
    np.testing.assert_allclose(pk, [1.0, 1.0 / math.e, math.exp(-4.0)], rtol=1e-15)


def test_hit_to_kill_needs_a_body_hit():
    pk = conditional_kill_probability([0.0, 0.59, 0.61, 5.0], [HIT_TO_KILL] * 4, [0.6] * 4)
    np.testing.assert_array_equal(pk, [1.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize("miss_sd_m", [5.0, 20.0, 60.0])
def test_mean_over_a_circular_normal_miss_matches_the_closed_form(miss_sd_m):
    """With x, y ~ N(0, s^2), E[exp(-(x^2 + y^2) / sigma^2)] = sigma^2 / (sigma^2 + 2 s^2)
    (Driels, Weaponeering, 2nd ed., ch. 9: the Carleton single-shot kill probability)."""
    sigma = 28.0

    def density_times_pk(r):
        return stats.rayleigh.pdf(r, scale=miss_sd_m) * math.exp(-((r / sigma) ** 2))

    mean_pk, _ = integrate.quad(density_times_pk, 0.0, np.inf)
    expected = sigma**2 / (sigma**2 + 2.0 * miss_sd_m**2)
    assert mean_pk == pytest.approx(expected, rel=1e-9)
    # and the vectorised function agrees with SciPy's Rayleigh sampling
    r = stats.rayleigh.rvs(scale=miss_sd_m, size=200_000, random_state=7)
    sampled = conditional_kill_probability(r, np.zeros(r.size, int), np.full(r.size, sigma))
    assert sampled.mean() == pytest.approx(expected, abs=3e-3)


def test_hit_to_kill_probability_over_a_circular_normal_miss_is_the_rayleigh_cdf():
    """P(r <= R) = 1 - exp(-R^2 / 2 s^2) for a circular normal miss (Driels ch. 9)."""
    r = stats.rayleigh.rvs(scale=0.5, size=200_000, random_state=3)
    hit = conditional_kill_probability(r, np.full(r.size, HIT_TO_KILL), np.full(r.size, 0.6))
    assert hit.mean() == pytest.approx(stats.rayleigh.cdf(0.6, scale=0.5), abs=3e-3)


def test_reliability_multiplies_once_and_no_single_shot_pk_enters():
    catalog = load_catalog()
    entry = catalog.interceptors["s400/48n6e3"]
    lethality = Lethality.from_catalog([entry])
    aircraft = TARGET_CLASSES.index("aircraft")
    pk = lethality.kill_probability([0], [aircraft], [0.0])
    # a direct hit kills with the round's reliability; the planner's Pk plays no part
    assert pk[0] == pytest.approx(entry.reliability)
    changed = Lethality.from_catalog([entry.model_copy(update={"single_shot_pk_vs_aircraft": 0.1})])
    carleton = math.exp(-((10.0 / entry.lethal_radius_vs_aircraft_m) ** 2))
    at_ten_m = changed.kill_probability([0], [aircraft], [10.0])
    assert at_ten_m[0] == pytest.approx(entry.reliability * carleton)


def test_each_target_class_uses_its_own_lethal_radius():
    entry = load_catalog().interceptors["patriot/pac2_gem_t"]
    lethality = Lethality.from_catalog([entry])
    radii = [
        entry.lethal_radius_vs_aircraft_m,
        entry.lethal_radius_vs_cruise_missile_m,
        entry.lethal_radius_vs_ballistic_missile_m,
    ]
    pk = lethality.kill_probability([0, 0, 0], [0, 1, 2], [5.0, 5.0, 5.0])
    expected = [entry.reliability * math.exp(-((5.0 / r) ** 2)) for r in radii]
    np.testing.assert_allclose(pk, expected, rtol=1e-15)
    assert pk[0] > pk[1] > pk[2]  # a ballistic warhead is the hardest to kill


def test_every_platform_category_has_a_vulnerability_class():
    catalog = load_catalog()
    for spec in catalog.air_platforms.values():
        assert CLASS_OF_CATEGORY[spec.category] in TARGET_CLASSES
        assert 0 <= target_class_index(spec.category) < len(TARGET_CLASSES)
