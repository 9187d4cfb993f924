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
