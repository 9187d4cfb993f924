"""EKF with range/azimuth/elevation/range-rate against FilterPy and finite differences."""

import numpy as np
import pytest
from filterpy.kalman import ExtendedKalmanFilter
from scipy.stats import chi2

from iadsim.tracking import models
from iadsim.tracking.ekf import (
    ekf_spherical_update,
    spherical_measurement,
    spherical_measurement_jacobian,
)
from iadsim.tracking.kalman import kalman_predict

SENSOR = np.array([1000.0, -2000.0, 30.0])


def _states(rng, n):
    x = np.empty((n, 6))
    x[:, :3] = rng.uniform(-80e3, 80e3, (n, 3))
    x[:, 2] = rng.uniform(500.0, 12e3, n)
    x[:, 3:] = rng.normal(0.0, 200.0, (n, 3))
    return x


@pytest.mark.parametrize("with_range_rate", [False, True])
def test_jacobian_matches_finite_differences(with_range_rate):
    rng = np.random.default_rng(2)
    x = _states(rng, 10)
    H = spherical_measurement_jacobian(x, SENSOR, with_range_rate)
    for k in range(6):
        step = 1e-3
        hi, lo = x.copy(), x.copy()
        hi[:, k] += step
        lo[:, k] -= step
        numeric = (
            spherical_measurement(hi, SENSOR, with_range_rate)
            - spherical_measurement(lo, SENSOR, with_range_rate)
        ) / (2 * step)
        np.testing.assert_allclose(H[:, :, k], numeric, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("with_range_rate", [False, True])
def test_ekf_update_matches_filterpy(with_range_rate):
    rng = np.random.default_rng(4)
    n = 5
    m = 4 if with_range_rate else 3
    x = _states(rng, n)
    A = rng.normal(size=(n, 6, 6))
    P = A @ np.swapaxes(A, 1, 2) * 100.0 + np.eye(6) * 400.0
    sigmas = np.array([30.0, np.radians(0.3), np.radians(0.4), 2.0])[:m]
    R = np.diag(sigmas**2)
    truth = x + rng.normal(size=(n, 6)) * 50.0
    z = spherical_measurement(truth, SENSOR, with_range_rate) + rng.normal(size=(n, m)) * sigmas
    ours = ekf_spherical_update(x, P, z, R, SENSOR)

    def residual(a, b):
        y = a - b
        y[1] = np.angle(np.exp(1j * y[1]))
        return y

    for i in range(n):
        ekf = ExtendedKalmanFilter(dim_x=6, dim_z=m)
        ekf.x, ekf.P, ekf.R = x[i].copy(), P[i].copy(), R
        ekf.update(
            z[i],
            lambda s: spherical_measurement_jacobian(s, SENSOR, with_range_rate)[0],
            lambda s: spherical_measurement(s, SENSOR, with_range_rate)[0],
            residual=residual,
        )
        np.testing.assert_allclose(ours.state[i], ekf.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours.covariance[i], ekf.P, rtol=1e-9, atol=1e-9)


def test_azimuth_innovation_wraps_across_south():
    x = np.array([[10.0, -50e3, 1000.0, 0.0, 0.0, 0.0]])  # due south, az ≈ ±π
    P = np.eye(6)[None] * 1e4
    z = spherical_measurement(x, np.zeros(3))
    z[0, 1] = -z[0, 1]  # the same direction written on the other side of ±π
    result = ekf_spherical_update(x, P, z, np.diag([25.0, 1e-6, 1e-6]), np.zeros(3))
    assert abs(result.innovation[0, 1]) < 1e-3


def test_ekf_tracking_is_consistent_over_monte_carlo_runs():
    rng = np.random.default_rng(11)
    n_runs, dt = 300, 2.0
    sigmas = np.array([20.0, np.radians(0.05), np.radians(0.05), 1.0])
    R = np.diag(sigmas**2)
    F = models.constant_velocity_transition(np.full(n_runs, dt))
    Q = models.dwna_process_noise(np.full(n_runs, dt), 1.0)
    L = np.linalg.cholesky(Q[0] + np.eye(6) * 1e-12)
    truth = np.tile([60e3, 40e3, 8e3, -150.0, 20.0, 0.0], (n_runs, 1))
    x = truth + rng.normal(size=(n_runs, 6)) * [100, 100, 100, 20, 20, 20]
    P = np.tile(np.diag([100.0, 100, 100, 20, 20, 20]) ** 2, (n_runs, 1, 1))
    nees = []
    for _ in range(25):
        truth = np.einsum("nij,nj->ni", F, truth) + rng.normal(size=(n_runs, 6)) @ L.T
        z = spherical_measurement(truth, SENSOR, True) + rng.normal(size=(n_runs, 4)) * sigmas
        x, P = kalman_predict(x, P, F, Q)
        result = ekf_spherical_update(x, P, z, R, SENSOR)
        x, P = result.state, result.covariance
        err = truth - x
        nees.append(np.einsum("ni,ni->n", err, np.linalg.solve(P, err[..., None])[..., 0]))
    nees = np.array(nees)[5:]
    low, high = chi2.ppf([0.025, 0.975], nees.size * 6) / nees.size
    assert low <= nees.mean() <= high
