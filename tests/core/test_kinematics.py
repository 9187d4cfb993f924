"""Closest approach and intercept time against hand-worked geometry and brute-force sampling."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.core.kinematics import closest_approach, intercept_time_s, vector_norm


def test_closest_approach_of_a_crossing_track():
    # 10 km west, 5 km north, flying east at 100 m/s: passes 5 km north of the origin at 100 s.
    cpa, t = closest_approach(
        np.array([[-10_000.0, 5_000.0, 0.0]]), np.array([[100.0, 0.0, 0.0]]), np.zeros((1, 3))
    )
    assert cpa.shape == (1, 1)
    assert cpa[0, 0] == pytest.approx(5_000.0)
    assert t[0, 0] == pytest.approx(100.0)


def test_opening_and_stationary_tracks_are_closest_now():
    pos = np.array([[3_000.0, 4_000.0, 0.0], [0.0, 0.0, 12_000.0]])
    vel = np.array([[30.0, 40.0, 0.0], [0.0, 0.0, 0.0]])
    cpa, t = closest_approach(pos, vel, np.zeros((1, 3)))
    np.testing.assert_allclose(cpa[:, 0], [5_000.0, 12_000.0])
    np.testing.assert_array_equal(t[:, 0], [0.0, 0.0])


def test_closest_approach_to_several_assets():
    pos = np.array([[0.0, -50_000.0, 1_000.0]])
    vel = np.array([[0.0, 250.0, 0.0]])
    assets = np.array([[0.0, 0.0, 1_000.0], [8_000.0, 10_000.0, 1_000.0], [0.0, -60_000.0, 0.0]])
    cpa, t = closest_approach(pos, vel, assets)
    np.testing.assert_allclose(cpa[0], [0.0, 8_000.0, np.hypot(10_000.0, 1_000.0)], atol=1e-6)
    np.testing.assert_allclose(t[0], [200.0, 240.0, 0.0])


def test_closest_approach_matches_brute_force_time_sampling():
    rng = np.random.default_rng(1)
    pos = rng.uniform(-100_000, 100_000, (20, 3))
    vel = rng.uniform(-400, 400, (20, 3))
    assets = rng.uniform(-50_000, 50_000, (3, 3))
    cpa, t = closest_approach(pos, vel, assets)
    dt = 0.05
    times = np.arange(0.0, 2_000.0, dt)
    for i in range(len(pos)):
        path = pos[i] + times[:, None] * vel[i]
        step_m = np.linalg.norm(vel[i]) * dt
        for k in range(len(assets)):
            distance = np.linalg.norm(path - assets[k], axis=1)
            j = np.argmin(distance)
            assert t[i, k] == pytest.approx(times[j], abs=dt)
            # The true minimum is below every sample, and within one step of the best one.
            assert cpa[i, k] <= distance[j] + 1e-6
            assert cpa[i, k] >= distance[j] - step_m


@pytest.mark.parametrize(
    ("pos", "vel", "speed", "expected"),
    [
        ((10_000.0, 0, 0), (0, 0, 0), 500.0, 20.0),  # stationary target
        ((10_000.0, 0, 0), (100.0, 0, 0), 500.0, 25.0),  # receding: 10 km / 400 m/s
        ((10_000.0, 0, 0), (-100.0, 0, 0), 500.0, 10_000.0 / 600.0),  # head-on
        ((0, 10_000.0, 0), (300.0, 0, 0), 500.0, 25.0),  # crossing: 300-400-500 triangle
        ((10_000.0, 0, 0), (-500.0, 0, 0), 500.0, 10.0),  # equal speeds, closing
        ((10_000.0, 0, 0), (500.0, 0, 0), 500.0, np.inf),  # equal speeds, receding
        ((10_000.0, 0, 0), (800.0, 0, 0), 500.0, np.inf),  # faster target running away
    ],
)
def test_intercept_time_hand_worked(pos, vel, speed, expected):
    t = intercept_time_s(np.array([pos], dtype=float), np.array([vel], dtype=float), speed)
    assert t.shape == (1,)
    assert t[0] == pytest.approx(expected)


def test_faster_target_can_still_be_met_head_on():
    # Target at 1200 m/s coming straight at a 500 m/s pursuer from 17 km: meet at 10 s.
    t = intercept_time_s(np.array([[17_000.0, 0, 0]]), np.array([[-1_200.0, 0, 0]]), 500.0)
    assert t[0] == pytest.approx(10.0)


def test_intercept_time_is_the_first_meeting_found_by_sampling():
    rng = np.random.default_rng(2)
    n = 40
    p = rng.uniform(-80_000, 80_000, (n, 3))
    v = rng.uniform(-900, 900, (n, 3))
    s = rng.uniform(300, 1_500, n)
    t = intercept_time_s(p, v, s)
    assert np.isfinite(t).any() and (~np.isfinite(t)).any()
    dt = 0.02
    times = np.arange(0.0, 3_000.0, dt)
    for i in range(n):
        # The pursuer can be at the target at tau iff |p + v tau| <= s tau.
        gap = np.linalg.norm(p[i] + times[:, None] * v[i], axis=1) - s[i] * times
        reachable = np.flatnonzero(gap <= 0.0)
        if np.isfinite(t[i]):
            assert np.linalg.norm(p[i] + v[i] * t[i]) == pytest.approx(s[i] * t[i], rel=1e-9)
            if t[i] < times[-1]:
                assert reachable.size
                assert t[i] == pytest.approx(times[reachable[0]], abs=dt)
        else:
            assert reachable.size == 0


def test_intercept_time_broadcasts_over_pursuer_speeds():
    p = np.array([[[10_000.0, 0.0, 0.0]]])  # (1, 1, 3)
    v = np.zeros((1, 1, 3))
    t = intercept_time_s(p, v, np.array([[250.0, 500.0, 1_000.0]]))
    np.testing.assert_allclose(t, [[40.0, 20.0, 10.0]])


def test_vector_norm_is_numpys_norm_bit_for_bit_and_pythagoras():
    rng = np.random.default_rng(5)
    for shape in [(0, 3), (1, 3), (257, 3), (9, 13, 3)]:
        vectors = rng.normal(0.0, 1.0, shape) * 10.0 ** rng.uniform(-3.0, 7.0, shape)
        got = vector_norm(vectors)
        assert got.tobytes() == np.linalg.norm(vectors, axis=-1).tobytes()
    assert vector_norm(np.array([[3.0, 4.0, 12.0], [0.0, 0.0, 0.0]])).tolist() == [13.0, 0.0]
