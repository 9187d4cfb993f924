"""Threat evaluation: time to go, threatened asset, discounted value and ranking."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.threat import evaluate_threats, evaluate_threats_reference, target_class

ASSETS = np.array([[0.0, 0.0, 0.0], [50_000.0, 0.0, 0.0]])
VALUES = np.array([10.0, 4.0])


def test_the_sooner_threat_ranks_first():
    pos = np.array([[0.0, 120_000.0, 0.0], [0.0, 60_000.0, 0.0]])
    vel = np.array([[0.0, -300.0, 0.0], [0.0, -300.0, 0.0]])
    result = evaluate_threats(pos, vel, ASSETS[:1], VALUES[:1])
    np.testing.assert_allclose(result.time_to_go_s, [400.0, 200.0])
    np.testing.assert_array_equal(result.ranking(), [1, 0])


def test_values_follow_the_time_discount_by_hand():
    # 5 km up: neither ballistic nor low and fast, so the kinematic weight is 1.
    pos = np.array([[0.0, 120_000.0, 5_000.0], [50_000.0, -30_000.0, 5_000.0]])
    vel = np.array([[0.0, -300.0, 0.0], [0.0, 100.0, 0.0]])
    result = evaluate_threats(pos, vel, ASSETS, VALUES, half_value_time_s=600.0)
    np.testing.assert_array_equal(result.asset, [0, 1])
    np.testing.assert_allclose(result.time_to_go_s, [400.0, 300.0])
    np.testing.assert_allclose(result.value, [10.0 / (1 + 400 / 600), 4.0 / (1 + 300 / 600)])


def test_most_urgent_of_several_threatened_assets_is_named():
    # Flying east along y = 0 from x = -100 km: passes asset 0 at 250 s, asset 1 at 375 s.
    result = evaluate_threats(
        np.array([[-100_000.0, 0.0, 0.0]]), np.array([[400.0, 0.0, 0.0]]), ASSETS, VALUES
    )
    assert result.asset[0] == 0
    assert result.time_to_go_s[0] == pytest.approx(250.0)


def test_tracks_that_threaten_nothing_keep_a_residual_value():
    pos = np.array([[0.0, 100_000.0, 5e3], [0.0, 30_000.0, 5e3], [0.0, 100_000.0, 5e3]])
    vel = np.array([[0.0, 300.0, 0.0], [300.0, 0.0, 0.0], [0.0, -300.0, 0.0]])
    result = evaluate_threats(
        pos, vel, ASSETS, VALUES, threat_radius_m=20_000.0, residual_fraction=0.1
    )
    np.testing.assert_array_equal(result.asset, [-1, -1, 0])
    assert np.isinf(result.time_to_go_s[:2]).all()
    np.testing.assert_allclose(result.value[:2], 0.1 * 4.0)
    assert result.ranking()[0] == 2


def test_kinematics_weigh_the_value_ballistic_then_low_and_fast():
    # Three tracks on the same course and time to go; only height and speed differ.
    pos = np.array([[0.0, 60_000.0, 9_000.0], [0.0, 60_000.0, 300.0], [0.0, 60_000.0, 9_000.0]])
    speed = np.array([[300.0], [300.0], [1_500.0]])
    vel = np.array([[0.0, -1.0, 0.0]]) * speed
    result = evaluate_threats(pos, vel, ASSETS[:1], VALUES[:1])
    base = 10.0 / (1.0 + result.time_to_go_s / 600.0)
    np.testing.assert_allclose(result.value / base, [1.0, 1.5, 2.0])


def test_threat_radius_bounds_the_miss_distance():
    # Passing 19 km and 21 km from asset 0.
    pos = np.array([[19_000.0, 100_000.0, 0.0], [-21_000.0, 100_000.0, 0.0]])
    vel = np.array([[0.0, -300.0, 0.0], [0.0, -300.0, 0.0]])
    result = evaluate_threats(pos, vel, ASSETS[:1], VALUES[:1], threat_radius_m=20_000.0)
    np.testing.assert_array_equal(result.asset, [0, -1])


def test_ties_rank_the_lower_row_first():
    pos = np.array([[0.0, 60_000.0, 0.0], [60_000.0, 0.0, 0.0], [0.0, -60_000.0, 0.0]])
    vel = -pos / 200.0
    result = evaluate_threats(pos, vel, ASSETS[:1], VALUES[:1])
    np.testing.assert_array_equal(result.ranking(), [0, 1, 2])


def test_no_tracks_or_no_assets():
    empty = evaluate_threats(np.zeros((0, 3)), np.zeros((0, 3)), ASSETS, VALUES)
    assert len(empty.value) == 0
    lone = evaluate_threats(np.ones((2, 3)), np.ones((2, 3)), np.zeros((0, 3)), np.zeros(0))
    np.testing.assert_array_equal(lone.asset, [-1, -1])
    assert np.isinf(lone.time_to_go_s).all()


def test_a_given_track_class_weighs_as_the_computed_one():
    rng = np.random.default_rng(3)
    pos = rng.normal(0.0, 50_000.0, (30, 3))
    pos[:, 2] = rng.uniform(100.0, 3_000.0, 30)
    vel = rng.normal(0.0, 600.0, (30, 3))
    computed = evaluate_threats(pos, vel, ASSETS, VALUES)
    given = evaluate_threats(pos, vel, ASSETS, VALUES, track_class=target_class(vel, pos[:, 2]))
    np.testing.assert_array_equal(given.value, computed.value)
    assert len(set(target_class(vel, pos[:, 2]).tolist())) == 3  # every class weighed


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 2, 5])
def test_compiled_evaluation_matches_the_numpy_twin_bit_for_bit(seed, k):
    rng = np.random.default_rng(seed)
    n = 200
    pos = rng.normal(size=(n, 3)) * np.array([6e4, 6e4, 5e3])
    vel = rng.normal(size=(n, 3)) * np.array([400.0, 400.0, 50.0])
    vel[::11] = 0.0
    vel[5, 0] = np.nan
    assets = rng.normal(size=(k, 3)) * np.array([3e4, 3e4, 100.0])
    if k > 1:
        assets[1] = assets[0]  # equally near assets: the first is named
    values = rng.uniform(1.0, 10.0, k)
    classes = rng.integers(0, 3, n)
    for track_class in (None, classes):
        got = evaluate_threats(pos, vel, assets, values, track_class=track_class)
        want = evaluate_threats_reference(pos, vel, assets, values, track_class=track_class)
        for name in ("time_to_go_s", "asset", "value"):
            a, b = getattr(got, name), getattr(want, name)
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
        assert (got.asset >= 0).any() and (got.asset < 0).any()
