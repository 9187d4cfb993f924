"""Batched Kalman filter against FilterPy, and its statistical consistency (NEES, NIS)."""

import numpy as np
import pytest
from filterpy.kalman import KalmanFilter as FilterPyKalman
from scipy.stats import chi2

from iadsim.tracking import models
from iadsim.tracking.filters import KalmanFilter as TableKalman
from iadsim.tracking.kalman import (
    constant_velocity_predict,
    kalman_predict,
    kalman_update,
    position_matrix,
    position_update,
)
from iadsim.tracking.table import TrackTable


def _random_spd(rng, n, d, scale):
    A = rng.normal(size=(n, d, d)) * scale
    return A @ np.swapaxes(A, -1, -2) + np.eye(d) * scale**2


@pytest.mark.parametrize("model", ["cv", "ca"])
def test_predict_and_update_match_filterpy(model):
    rng = np.random.default_rng(3)
    n = 6
    d = 6 if model == "cv" else 9
    dt = rng.uniform(0.5, 8.0, n)
    if model == "cv":
        F, Q = models.constant_velocity_transition(dt), models.dwna_process_noise(dt, 9.0)
    else:
        F, Q = models.constant_acceleration_transition(dt), models.dwpa_process_noise(dt, 2.0)
    x = rng.normal(size=(n, d)) * 1000.0
    P = _random_spd(rng, n, d, 30.0)
    z = rng.normal(size=(n, 3)) * 1000.0
    R = _random_spd(rng, n, 3, 50.0)
    H = position_matrix(d)

    x_pred, P_pred = kalman_predict(x, P, F, Q)
    result = kalman_update(x_pred, P_pred, z, R, H)

    for i in range(n):
        kf = FilterPyKalman(dim_x=d, dim_z=3)
        kf.x, kf.P, kf.F, kf.Q, kf.H, kf.R = x[i].copy(), P[i].copy(), F[i], Q[i], H, R[i]
        kf.predict()
        np.testing.assert_allclose(x_pred[i], kf.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(P_pred[i], kf.P, rtol=1e-9, atol=1e-9)
        kf.update(z[i])
        np.testing.assert_allclose(result.state[i], kf.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(result.covariance[i], kf.P, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(result.innovation_covariance[i], kf.S, rtol=1e-9)
        np.testing.assert_allclose(result.log_likelihood[i], kf.log_likelihood, rtol=1e-9)


def _simulate_monte_carlo(rng, model, n_runs, n_steps, dt, sigma, sigma_z):
    """Truth drawn from the filter's own model (DWNA or DWPA), noisy position measurements."""
    dts = np.full(n_runs, dt)
    if model == "cv":
        F, Q = models.constant_velocity_transition(dts), models.dwna_process_noise(dts, sigma)
        prior_std = np.array([sigma_z] * 3 + [100.0] * 3)
    else:
        F, Q = models.constant_acceleration_transition(dts), models.dwpa_process_noise(dts, sigma)
        prior_std = np.array([sigma_z] * 3 + [100.0] * 3 + [5.0] * 3)
    d = prior_std.size
    L = np.linalg.cholesky(Q[0] + np.eye(d) * 1e-12)
    truth = np.zeros((n_runs, d))
    truth[:, 3:6] = [200.0, -50.0, 0.0]
    R = np.broadcast_to(np.eye(3) * sigma_z**2, (n_runs, 3, 3))
    x = truth + rng.normal(size=(n_runs, d)) * prior_std
    P = np.broadcast_to(np.diag(prior_std**2), (n_runs, d, d)).copy()
    nees, nis = [], []
    for _ in range(n_steps):
        truth = np.einsum("nij,nj->ni", F, truth) + rng.normal(size=(n_runs, d)) @ L.T
        z = truth[:, :3] + rng.normal(size=(n_runs, 3)) * sigma_z
        x, P = kalman_predict(x, P, F, Q)
        result = kalman_update(x, P, z, R, position_matrix(d))
        x, P = result.state, result.covariance
        err = truth - x
        nees.append(np.einsum("ni,ni->n", err, np.linalg.solve(P, err[..., None])[..., 0]))
        nis.append(result.nis)
    return np.array(nees), np.array(nis)


@pytest.mark.parametrize(("model", "sigma", "dim"), [("cv", 5.0, 6), ("ca", 0.5, 9)])
def test_average_nees_and_nis_inside_95_percent_chi_square_bands(model, sigma, dim):
    # BLK 2001 sect. 5.4.2: with N runs, N * mean NEES ~ chi2(N * n_x) at every step.
    rng = np.random.default_rng(20240601)
    n_runs = 200
    nees, nis = _simulate_monte_carlo(rng, model, n_runs, 30, 4.0, sigma, 50.0)
    for values, dof in ((nees, dim), (nis, 3)):
        low, high = chi2.ppf([0.025, 0.975], n_runs * dof) / n_runs
        per_step = values[5:].mean(axis=1)  # skip the initial transient
        inside = np.mean((per_step >= low) & (per_step <= high))
        # 95 % of steps expected inside; 25 steps give a binomial spread of about ±4 %
        assert inside >= 0.8, (dof, per_step)
        # and the time average, the steps taken as independent (a slightly tight band)
        n = values[5:].size
        low_all, high_all = chi2.ppf([0.005, 0.995], n * dof) / n
        assert low_all <= values[5:].mean() <= high_all


def test_nees_detects_a_mismatched_filter():
    # The same check must fail when the filter's process noise is far too small.
    rng = np.random.default_rng(7)
    n_runs = 200
    F = models.constant_velocity_transition(np.full(n_runs, 4.0))
    Q_true = models.dwna_process_noise(np.full(n_runs, 4.0), 20.0)
    Q_filter = models.dwna_process_noise(np.full(n_runs, 4.0), 0.5)
    L = np.linalg.cholesky(Q_true[0] + np.eye(6) * 1e-12)
    truth = np.zeros((n_runs, 6))
    x = truth.copy()
    P = np.eye(6)[None].repeat(n_runs, 0) * 100.0
    R = np.eye(3) * 50.0**2
    for _ in range(20):
        truth = np.einsum("nij,nj->ni", F, truth) + rng.normal(size=(n_runs, 6)) @ L.T
        z = truth[:, :3] + rng.normal(size=(n_runs, 3)) * 50.0
        x, P = kalman_predict(x, P, F, Q_filter)
        result = kalman_update(x, P, z, np.broadcast_to(R, (n_runs, 3, 3)), position_matrix())
        x, P = result.state, result.covariance
    err = truth - x
    nees = np.einsum("ni,ni->n", err, np.linalg.solve(P, err[..., None])[..., 0]).mean()
    assert nees > chi2.ppf(0.975, n_runs * 6) / n_runs


def test_fast_position_update_and_cv_predict_equal_the_general_forms():
    rng = np.random.default_rng(5)
    n = 40
    x = rng.normal(size=(n, 6)) * 1000.0
    P = _random_spd(rng, n, 6, 40.0)
    z = rng.normal(size=(n, 3)) * 1000.0
    R = _random_spd(rng, n, 3, 80.0)
    dt = rng.uniform(0.0, 10.0, n)
    fast_x, fast_P = constant_velocity_predict(x, P, dt, 6.0)
    ref_x, ref_P = kalman_predict(
        x, P, models.constant_velocity_transition(dt), models.dwna_process_noise(dt, 6.0)
    )
    np.testing.assert_allclose(fast_x, ref_x, rtol=1e-12)
    np.testing.assert_allclose(fast_P, ref_P, rtol=1e-9, atol=1e-6)
    fast = position_update(fast_x, fast_P, z, R)
    ref = kalman_update(ref_x, ref_P, z, R, position_matrix())
    for got, expected in zip(fast, ref, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-6)


def test_predicting_a_table_to_its_own_time_is_the_skipped_no_op():
    # A post's second radar looks at the same time: the filter skips the prediction, which
    # with zero elapsed time would leave states and covariances as they are.
    rng = np.random.default_rng(2)
    table = TrackTable(8)
    slots = table.allocate(5, 0.0)
    filt = TableKalman(model="cv", process_noise_mps2=15.0)
    A = rng.normal(0.0, 50.0, (5, 3, 3))
    filt.initiate(table, slots, rng.normal(0.0, 1e4, (5, 3)), A @ A.transpose(0, 2, 1))
    filt.predict(table, slots, 4.0)
    filt.update(
        table, slots, rng.normal(0.0, 1e4, (5, 3)), np.broadcast_to(np.eye(3) * 1e4, (5, 3, 3))
    )
    x, P = constant_velocity_predict(table.state[slots], table.covariance[slots], np.zeros(5), 15.0)
    np.testing.assert_array_equal(x, table.state[slots])
    np.testing.assert_array_equal(P, table.covariance[slots])
    state, covariance = table.state.copy(), table.covariance.copy()
    filt.predict(table, slots, 4.0)
    np.testing.assert_array_equal(table.state, state)
    np.testing.assert_array_equal(table.covariance, covariance)


def test_table_initiation_writes_the_state_and_covariance_of_initial_covariance():
    # The compiled row-by-row initiation against the NumPy block form, to the bit.
    from iadsim.tracking.filters import initial_covariance

    rng = np.random.default_rng(3)
    for model, dim in (("cv", 6), ("ca", 9)):
        table = TrackTable(8, state_dim=dim)
        table.state[:] = rng.normal(size=table.state.shape)
        table.covariance[:] = rng.normal(size=table.covariance.shape)
        slots = np.array([6, 1, 3])
        A = rng.normal(0.0, 50.0, (3, 3, 3))
        z, R = rng.normal(0.0, 1e4, (3, 3)), A @ A.transpose(0, 2, 1)
        filt = TableKalman(model=model, initial_accel_std_mps2=7.3)
        filt.initiate(table, slots, z, R, 333.3)
        want_x = np.zeros((3, dim))
        want_x[:, :3] = z
        np.testing.assert_array_equal(table.state[slots], want_x)
        want_P = initial_covariance(R, dim, 333.3, 7.3)
        np.testing.assert_array_equal(table.covariance[slots], want_P)
