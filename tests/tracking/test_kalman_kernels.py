"""The compiled constant-velocity prediction against its NumPy twin."""

import numpy as np

from iadsim.tracking.kalman import (
    constant_velocity_predict,
    constant_velocity_predict_reference,
)


def test_compiled_cv_prediction_matches_the_numpy_twin_to_the_bit():
    rng = np.random.default_rng(9)
    n = 50
    x = rng.normal(size=(n, 6)) * 1000.0
    A = rng.normal(size=(n, 6, 6)) * 30.0
    P = A @ np.swapaxes(A, -1, -2) + np.eye(6)
    dt = np.concatenate([rng.uniform(0.0, 12.0, n - 2), [0.0, 3.0]])
    got_x, got_P = constant_velocity_predict(x, P, dt, 15.0)
    ref_x, ref_P = constant_velocity_predict_reference(x, P, dt, 15.0)
    assert np.array_equal(got_x, ref_x)
    assert np.array_equal(got_P, ref_P)


def test_a_stationary_certain_track_gains_only_the_process_noise():
    x = np.array([[1.0, 2.0, 3.0, 0.0, 0.0, 0.0]])
    P = np.zeros((1, 6, 6))
    got_x, got_P = constant_velocity_predict(x, P, np.array([2.0]), 3.0)
    assert np.array_equal(got_x, x)
    # DWNA: sigma^2 T^4/4 = 36, sigma^2 T^3/2 = 36, sigma^2 T^2 = 36 (sigma = 3, T = 2).
    assert np.allclose(np.diagonal(got_P[0]), 36.0) and np.isclose(got_P[0, 0, 3], 36.0)
    assert got_P[0, 0, 1] == 0.0
