"""Deletion of stale, under-ground and too-fast tracks, rule by rule.

The extrapolation is checked against FilterPy's Kalman prediction (an independent library);
the masks against values worked by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from filterpy.kalman import KalmanFilter

from iadsim.tracking.pruning import (
    PruningRules,
    extrapolate,
    stale_mask,
    too_fast_mask,
    under_ground_mask,
)


def test_a_track_is_stale_only_after_more_than_k_revisits_of_its_slowest_radar():
    last = np.array([0.0, 0.0, 0.0, 50.0])
    revisit = np.array([10.0, 10.0, 1.0, 10.0])
    # now 40 s: 4 revisits of 10 s exactly is not yet stale; 4 revisits of 1 s is.
    assert stale_mask(last, revisit, 40.0, 4.0).tolist() == [False, False, True, False]
    assert stale_mask(last, revisit, 40.5, 4.0).tolist() == [True, True, True, False]


def test_extrapolation_matches_filterpy_prediction_without_process_noise():
    rng = np.random.default_rng(3)
    A = rng.normal(size=(6, 6))
    P = A @ A.T + 6 * np.eye(6)
    x = np.array([1e3, -2e3, 5e3, 200.0, -150.0, -900.0])
    dt = 7.5
    kf = KalmanFilter(dim_x=6, dim_z=3)
    kf.x, kf.P, kf.Q = x.copy(), P.copy(), np.zeros((6, 6))
    kf.F = np.block([[np.eye(3), dt * np.eye(3)], [np.zeros((3, 3)), np.eye(3)]])
    kf.predict()
    pos, pos_cov = extrapolate(x[None], P[None], np.array([dt]))
    np.testing.assert_allclose(pos[0], kf.x[:3], rtol=1e-12)
    np.testing.assert_allclose(pos_cov[0], kf.P[:3, :3], rtol=1e-12)


def test_a_track_is_under_ground_only_beyond_tolerance_and_its_own_uncertainty():
    terrain = np.full(4, 1000.0)
    height = np.array([900.0, -500.0, -500.0, 849.0])
    up_variance = np.array([0.0, 100.0**2, 600.0**2, 0.0])
    # 1: -500 + 300 = -200 < 850 -> deleted; 2: -500 + 1800 = 1300 >= 850 -> kept;
    # 3: 849 < 850 -> deleted (just past the 150 m tolerance).
    mask = under_ground_mask(height, terrain, up_variance, 150.0, 3.0)
    assert mask.tolist() == [False, True, False, True]


def test_a_track_is_too_fast_only_when_its_lower_speed_bound_exceeds_the_maximum():
    velocity = np.array([[9000.0, 0.0, 0.0], [0.0, 9000.0, 0.0], [2000.0, 0.0, -500.0]])
    cov = np.stack([np.diag([100.0**2, 1e8, 1e8]), np.diag([1e8, 400.0**2, 1.0]), np.eye(3)])
    # 9000 - 3*100 = 8700 > 8000; 9000 - 3*400 = 7800 <= 8000 (the large variance across
    # the velocity does not count); a 2 km/s ballistic missile is far below.
    assert too_fast_mask(velocity, cov, 8000.0, 3.0).tolist() == [True, False, False]


@pytest.mark.parametrize("field", ["coast_revisits", "max_speed_mps", "terrain_tolerance_m"])
def test_rules_refuse_negative_or_infinite_settings(field):
    with pytest.raises(ValueError, match=field):
        PruningRules(**{field: -1.0})
    with pytest.raises(ValueError, match=field):
        PruningRules(**{field: np.inf})


def test_a_coasting_track_under_ground_gets_no_benefit_of_its_uncertainty():
    """-500 m under a 1,000 m terrain with sigma_up 600 m: kept while fresh (-500 + 1800 >=
    850), deleted once it has gone a revisit without a detection (-500 < 850)."""
    args = (np.array([-500.0, -500.0, 900.0]), np.full(3, 1000.0), np.full(3, 600.0**2))
    coasting = np.array([False, True, True])
    assert under_ground_mask(*args, 150.0, 3.0, coasting).tolist() == [False, True, False]


def test_the_spherical_height_is_within_150_m_of_pymap3ds_geodetic_height_to_400_km():
    import pymap3d

    from iadsim.tracking.pruning import approximate_height_m

    lat0, lon0, h0 = 40.0, 32.5, 900.0
    rng = np.random.default_rng(4)
    n = 200
    az, dist = rng.uniform(0, 2 * np.pi, n), rng.uniform(0, 400e3, n)
    enu = np.stack([dist * np.sin(az), dist * np.cos(az), rng.uniform(-15e3, 30e3, n)], 1)
    _, _, height = pymap3d.enu2geodetic(*enu.T, lat0, lon0, h0)
    np.testing.assert_allclose(approximate_height_m(enu, h0), height, atol=150.0)


def _random_tracks(rng, n):
    """Tracks around a post near Ankara: level, climbing, diving, fast; some old."""
    state = np.zeros((n, 6))
    state[:, 0:2] = rng.uniform(-300e3, 300e3, (n, 2))
    state[:, 2] = rng.uniform(-12e3, 25e3, n)
    state[:, 3:6] = rng.normal(0.0, 400.0, (n, 3))
    state[::7, 3] = rng.uniform(7000.0, 10000.0, state[::7].shape[0])  # some too fast
    state[::5, 5] = -rng.uniform(200.0, 2000.0, state[::5].shape[0])  # some diving
    A = rng.normal(size=(n, 6, 6))
    scale = np.diag([300.0, 300.0, 1500.0, 30.0, 30.0, 60.0])
    covariance = scale @ (A @ np.swapaxes(A, 1, 2) / 6 + np.eye(6)) @ scale
    time_s = rng.uniform(80.0, 100.0, n)
    last_update_s = time_s - rng.uniform(0.0, 45.0, n)
    revisit_s = rng.choice([2.0, 6.0, 10.0, 30.0], n)
    return state, covariance, time_s, last_update_s, revisit_s


@pytest.mark.parametrize("with_terrain", [True, False])
def test_the_compiled_pruning_matches_its_numpy_twin(with_terrain):
    from iadsim.geo.frames import enu_rotation, lla_to_ecef
    from iadsim.geo.terrain import load_bundled
    from iadsim.tracking.pruning import (
        PostFrame,
        doomed_mask,
        doomed_reference,
        highest_ground_m,
    )

    lat, lon, alt = np.radians(40.08), np.radians(32.57), 856.0
    frame = PostFrame(lla_to_ecef(lat, lon, alt), enu_rotation(lat, lon), alt)
    terrain = load_bundled() if with_terrain else None
    rules = PruningRules()
    tracks = _random_tracks(np.random.default_rng(11), 600)
    got = doomed_mask(*tracks, 100.0, rules, frame, terrain, highest_ground_m(terrain))
    want = doomed_reference(*tracks, 100.0, rules, frame, terrain)
    state, covariance, _, last_update_s, revisit_s = tracks
    stale = stale_mask(last_update_s, revisit_s, 100.0, rules.coast_revisits)
    fast = too_fast_mask(state[:, 3:6], covariance[:, 3:6, 3:6], rules.max_speed_mps, 3.0)
    only_under_ground = want & ~stale & ~fast
    assert stale.sum() > 50 and fast.sum() > 20 and only_under_ground.sum() > 20
    assert (~want).sum() > 100
    np.testing.assert_array_equal(got, want)
