"""The Carleton damage function against hand values and a closed-form single-shot Pk."""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.weapons.lethality import kill_probability


def test_hand_values_at_zero_one_and_two_lethal_radii():
    pk = kill_probability([0.0, 28.0, 56.0], [0.7, 0.7, 0.7], [28.0, 28.0, 28.0])
    np.testing.assert_allclose(pk, [0.7, 0.7 / math.e, 0.7 * math.exp(-4.0)], rtol=1e-15)


def test_each_row_uses_its_own_pk_and_radius():
    pk = kill_probability([10.0, 10.0], [0.9, 0.5], [10.0, 5.0])
    np.testing.assert_allclose(pk, [0.9 * math.exp(-1.0), 0.5 * math.exp(-4.0)], rtol=1e-15)


@pytest.mark.parametrize("miss_sd_m", [5.0, 20.0, 60.0])
def test_mean_over_a_circular_normal_miss_matches_the_closed_form(miss_sd_m):
    """With x, y ~ N(0, s^2), E[exp(-(x^2 + y^2) / sigma^2)] = sigma^2 / (sigma^2 + 2 s^2)
    (Driels, Weaponeering, 2nd ed., ch. 9: the Carleton single-shot kill probability)."""
    rng = np.random.default_rng(7)
    offsets = rng.normal(0.0, miss_sd_m, size=(400_000, 2))
    sigma, pk0 = 28.0, 0.8
    n = len(offsets)
    mean_pk = kill_probability(np.hypot(*offsets.T), np.full(n, pk0), np.full(n, sigma)).mean()
    expected = pk0 * sigma**2 / (sigma**2 + 2.0 * miss_sd_m**2)
    assert mean_pk == pytest.approx(expected, abs=3e-3)
