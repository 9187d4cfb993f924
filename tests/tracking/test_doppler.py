"""Range-rate (Doppler) track updates against FilterPy, finite differences and Monte Carlo.

Oracles written here, not taken from iadsim: the range rate ``ṙ = d·(v − w)/|d|`` and its
Jacobian row (Bar-Shalom, Li & Kirubarajan 2001, sect. 10.3), the time derivative of the
range between a moving target and a moving sensor, FilterPy's ``KalmanFilter`` and
``ExtendedKalmanFilter``, and the chi-square band of the normalised estimation error
squared (NEES; BLK sect. 5.4).
"""

import numpy as np
import pytest
from filterpy.kalman import ExtendedKalmanFilter
from filterpy.kalman import KalmanFilter as FilterPyKalman
from scipy.linalg import block_diag
from scipy.stats import chi2, norm

from iadsim.tracking.doppler import RangeRates, range_rate_update
from iadsim.tracking.ekf import (
    range_rate_measurement,
    spherical_measurement,
    spherical_measurement_jacobian,
)
from iadsim.tracking.filters import KalmanFilter
from iadsim.tracking.imm import ImmFilter
from iadsim.tracking.jpda import JpdaTracker
from iadsim.tracking.measurements import converted_measurement, enu_to_spherical
from iadsim.tracking.table import TrackTable
from iadsim.tracking.tracker import GnnTracker, TrackerConfig

# An airborne sensor: the range rate must use the velocity relative to it.
SENSOR_POSITION = np.array([2000.0, -3000.0, 500.0])
SENSOR_VELOCITY = np.array([120.0, -60.0, 5.0])


# -- oracles, from the formula ---------------------------------------------------------
def _range_rate(state, sensor_position, sensor_velocity):
    """``ṙ = d·(v − w) / |d|`` of one state, shape ``(1,)``."""
    d = state[:3] - sensor_position
    return np.array([d @ (state[3:6] - sensor_velocity) / np.linalg.norm(d)])


def _range_rate_row(state, sensor_position, sensor_velocity):
    """``[∂ṙ/∂p, ∂ṙ/∂v, 0…]`` of one state, shape ``(1, d)``."""
    d = state[:3] - sensor_position
    u = state[3:6] - sensor_velocity
    r = np.linalg.norm(d)
    H = np.zeros((1, state.size))
    H[0, :3] = u / r - (d @ u) * d / r**3
    H[0, 3:6] = d / r
    return H


def _states(rng, n, state_dim=6):
    x = np.zeros((n, state_dim))
    x[:, :2] = rng.uniform(-60e3, 60e3, (n, 2))
    x[:, 2] = rng.uniform(500.0, 12e3, n)
    x[:, 3:6] = rng.normal(0.0, 250.0, (n, 3))
    if state_dim > 6:
        x[:, 6:9] = rng.normal(0.0, 10.0, (n, 3))
    return x


def _covariances(rng, n, state_dim=6):
    scale = np.array([200.0, 200.0, 200.0, 40.0, 40.0, 40.0, 5.0, 5.0, 5.0])[:state_dim]
    A = rng.normal(size=(n, state_dim, state_dim)) * scale[None, :, None]
    return A @ np.swapaxes(A, 1, 2) / state_dim + np.diag(scale**2)


def _filterpy_range_rate_update(x, P, rate, sigma, sensor_position, sensor_velocity):
    """FilterPy's EKF update with the scalar range rate; returns the filter."""
    ekf = ExtendedKalmanFilter(dim_x=x.size, dim_z=1)
    ekf.x, ekf.P = x.copy(), P.copy()
    ekf.update(
        np.array([rate]),
        lambda s: _range_rate_row(s, sensor_position, sensor_velocity),
        lambda s: _range_rate(s, sensor_position, sensor_velocity),
        R=np.array([[sigma**2]]),
    )
    return ekf


# -- 1. the scalar EKF update ------------------------------------------------------------
@pytest.mark.parametrize("state_dim", [6, 9])
def test_range_rate_update_matches_filterpy_ekf_with_a_moving_sensor(state_dim):
    rng = np.random.default_rng(21)
    n = 8
    x = _states(rng, n, state_dim)
    P = _covariances(rng, n, state_dim)
    truth = x + rng.multivariate_normal(np.zeros(state_dim), P[0])
    sigma = rng.uniform(1.0, 3.0, n)
    true_rates = np.array([_range_rate(s, SENSOR_POSITION, SENSOR_VELOCITY)[0] for s in truth])
    rates = true_rates + sigma * rng.standard_normal(n)
    ours = range_rate_update(x, P, RangeRates(rates, sigma, SENSOR_POSITION, SENSOR_VELOCITY))
    assert ours.innovation.shape == (n, 1)
    assert ours.innovation_covariance.shape == (n, 1, 1)
    for i in range(n):
        ekf = _filterpy_range_rate_update(
            x[i], P[i], rates[i], sigma[i], SENSOR_POSITION, SENSOR_VELOCITY
        )
        np.testing.assert_allclose(ours.state[i], ekf.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours.covariance[i], ekf.P, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours.innovation[i], ekf.y, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.innovation_covariance[i], ekf.S, rtol=1e-9)
        expected_ll = norm.logpdf(ekf.y[0], scale=np.sqrt(ekf.S[0, 0]))
        np.testing.assert_allclose(ours.log_likelihood[i], expected_ll, rtol=1e-9)
    # the update must have done something: the radial velocity variance shrinks
    assert np.all(np.linalg.eigvalsh(P - ours.covariance) > -1e-6)
    assert np.all(np.trace(ours.covariance, axis1=1, axis2=2) < np.trace(P, axis1=1, axis2=2))


# -- 2. the measurement function and its Jacobian ------------------------------------------
def test_range_rate_is_the_time_derivative_of_range_for_a_moving_sensor():
    rng = np.random.default_rng(5)
    x = _states(rng, 12)
    predicted = spherical_measurement(x, SENSOR_POSITION, True, SENSOR_VELOCITY)[:, 3]
    step = 1e-3  # s
    ahead = x[:, :3] + step * x[:, 3:6] - (SENSOR_POSITION + step * SENSOR_VELOCITY)
    behind = x[:, :3] - step * x[:, 3:6] - (SENSOR_POSITION - step * SENSOR_VELOCITY)
    numeric = (np.linalg.norm(ahead, axis=1) - np.linalg.norm(behind, axis=1)) / (2 * step)
    np.testing.assert_allclose(predicted, numeric, rtol=1e-7, atol=1e-7)
    # a sensor at rest gives a different answer: the sensor velocity is really used
    at_rest = spherical_measurement(x, SENSOR_POSITION, True)[:, 3]
    assert np.all(np.abs(at_rest - predicted) > 1e-3)


def test_range_rate_jacobian_row_matches_central_differences_with_a_moving_sensor():
    rng = np.random.default_rng(6)
    x = _states(rng, 10)
    H = spherical_measurement_jacobian(x, SENSOR_POSITION, True, SENSOR_VELOCITY)[:, 3, :]
    for i in range(x.shape[0]):
        numeric = np.empty(6)
        for k in range(6):
            step = 1e-2 if k < 3 else 1e-4  # m, m/s
            hi, lo = x[i].copy(), x[i].copy()
            hi[k] += step
            lo[k] -= step
            numeric[k] = (
                _range_rate(hi, SENSOR_POSITION, SENSOR_VELOCITY)[0]
                - _range_rate(lo, SENSOR_POSITION, SENSOR_VELOCITY)[0]
            ) / (2 * step)
        scale = np.abs(numeric[:3]).max(), np.abs(numeric[3:]).max()
        np.testing.assert_allclose(H[i, :3], numeric[:3], rtol=1e-6, atol=1e-6 * scale[0])
        np.testing.assert_allclose(H[i, 3:], numeric[3:], rtol=1e-6, atol=1e-6 * scale[1])


@pytest.mark.parametrize("state_dim", [6, 9])
def test_range_rate_measurement_is_the_last_spherical_row_to_the_bit(state_dim):
    rng = np.random.default_rng(7)
    x = _states(rng, 9, state_dim)
    rate, row = range_rate_measurement(x, SENSOR_POSITION, SENSOR_VELOCITY)
    full = spherical_measurement(x, SENSOR_POSITION, True, SENSOR_VELOCITY)[:, 3]
    H = spherical_measurement_jacobian(x, SENSOR_POSITION, True, SENSOR_VELOCITY)[:, 3, :]
    np.testing.assert_array_equal(rate, full)
    np.testing.assert_array_equal(row, H)


# -- 3. position then range rate on a table, against FilterPy --------------------------------
def _transition_by_hand(model, dt, q):
    """``F`` and ``Q`` of BLK eq. 6.3.2-2/-4 (CV, DWNA) or 6.3.3-2/-4 (CA, DWPA)."""
    if model == "cv":
        per_axis_F = np.array([[1.0, dt], [0.0, 1.0]])
        gamma = np.array([dt**2 / 2, dt])
    else:
        per_axis_F = np.array([[1.0, dt, dt**2 / 2], [0.0, 1.0, dt], [0.0, 0.0, 1.0]])
        gamma = np.array([dt**2 / 2, dt, 1.0])
    return np.kron(per_axis_F, np.eye(3)), np.kron(q**2 * np.outer(gamma, gamma), np.eye(3))


@pytest.mark.parametrize("model", ["cv", "ca"])
def test_position_then_range_rate_updates_on_a_table_match_filterpy(model):
    rng = np.random.default_rng(33)
    kf = KalmanFilter(model=model, process_noise_mps2=4.0, initial_speed_std_mps=250.0)
    d, n_tracks, dt = kf.state_dim, 3, 3.0
    table = TrackTable(5, state_dim=d)
    kf.prepare(table)
    slots = table.allocate(n_tracks, 0.0)
    truth = _states(rng, n_tracks, d)
    R = np.stack([np.diag(rng.uniform(30.0, 150.0, 3) ** 2) for _ in range(n_tracks)])
    z0 = truth[:, :3] + rng.normal(size=(n_tracks, 3)) * 50.0
    kf.initiate(table, slots, z0, R)

    F, Q = _transition_by_hand(model, dt, kf.process_noise_mps2)
    H = np.eye(3, d)
    refs = []
    for i in range(n_tracks):
        ref = FilterPyKalman(dim_x=d, dim_z=3)
        ref.x = np.concatenate([z0[i], np.zeros(d - 3)])
        blocks = [R[i], np.eye(3) * 250.0**2]  # single-point initiation, unknown velocity
        if model == "ca":
            blocks.append(np.eye(3) * kf.initial_accel_std_mps2**2)
        ref.P = block_diag(*blocks)
        ref.F, ref.Q, ref.H = F, Q, H
        refs.append(ref)

    order = slots[::-1]  # the table must follow slots, not rows
    for k in range(1, 5):
        truth = truth @ F.T
        z = truth[:, :3] + rng.normal(size=(n_tracks, 3)) * 60.0
        sigma = rng.uniform(1.0, 3.0, n_tracks)
        rates = np.array(
            [_range_rate(s, SENSOR_POSITION, SENSOR_VELOCITY)[0] for s in truth]
        ) + sigma * rng.standard_normal(n_tracks)
        kf.predict(table, slots, k * dt)
        kf.update(table, order, z[::-1], R[::-1])
        kf.update_range_rate(
            table, order, RangeRates(rates[::-1], sigma[::-1], SENSOR_POSITION, SENSOR_VELOCITY)
        )
        for i, ref in enumerate(refs):
            ref.predict()
            ref.update(z[i], R=R[i])
            ekf = _filterpy_range_rate_update(
                ref.x, ref.P, rates[i], sigma[i], SENSOR_POSITION, SENSOR_VELOCITY
            )
            ref.x, ref.P = ekf.x, ekf.P
            np.testing.assert_allclose(table.state[slots[i]], ref.x, rtol=1e-9, atol=1e-8)
            np.testing.assert_allclose(table.covariance[slots[i]], ref.P, rtol=1e-9, atol=1e-8)


# -- 4. IMM ----------------------------------------------------------------------------------
def _imm_table(imm, xs, Ps, mu):
    table = TrackTable(4)
    imm.prepare(table)
    slots = table.allocate(xs.shape[0], 0.0)
    table.extra["imm_state"][slots] = xs
    table.extra["imm_covariance"][slots] = Ps
    table.extra["imm_probability"][slots] = mu
    return table, slots


def test_imm_range_rate_update_with_equal_modes_equals_the_kalman_filter_update():
    rng = np.random.default_rng(44)
    imm = ImmFilter()
    n, m = 3, imm.n_modes
    x, P = _states(rng, n), _covariances(rng, n)
    mu = rng.dirichlet(np.ones(m), n)
    table, slots = _imm_table(imm, np.repeat(x[:, None], m, 1), np.repeat(P[:, None], m, 1), mu)
    table.state[slots], table.covariance[slots] = x, P
    plain = TrackTable(4)
    plain_slots = plain.allocate(n, 0.0)
    plain.state[plain_slots], plain.covariance[plain_slots] = x, P
    sigma = np.full(n, 2.0)
    rates = np.array([_range_rate(s, SENSOR_POSITION, SENSOR_VELOCITY)[0] for s in x]) + 7.0
    measured = RangeRates(rates, sigma, SENSOR_POSITION, SENSOR_VELOCITY)

    imm.update_range_rate(table, slots, measured)
    KalmanFilter().update_range_rate(plain, plain_slots, measured)
    np.testing.assert_allclose(table.state[slots], plain.state[plain_slots], rtol=1e-9)
    np.testing.assert_allclose(
        table.covariance[slots], plain.covariance[plain_slots], rtol=1e-9, atol=1e-9
    )
    assert not np.allclose(table.state[slots], x)  # the update moved the states
    mu_after = table.extra["imm_probability"][slots]
    np.testing.assert_allclose(mu_after.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(mu_after, mu, rtol=1e-9)  # equal likelihoods: no reweighting


def test_imm_range_rate_update_reweights_modes_by_their_doppler_likelihood():
    rng = np.random.default_rng(45)
    imm = ImmFilter()
    n, m = 2, imm.n_modes
    xs = _states(rng, n)[:, None] + rng.normal(size=(n, m, 6)) * [50, 50, 50, 10, 10, 10]
    Ps = _covariances(rng, n * m).reshape(n, m, 6, 6)
    mu = rng.dirichlet(np.ones(m), n)
    table, slots = _imm_table(imm, xs, Ps, mu)
    sigma = np.array([1.5, 2.5])
    rates = np.array([_range_rate(xs[i, 0], SENSOR_POSITION, SENSOR_VELOCITY)[0] for i in range(n)])
    imm.update_range_rate(table, slots, RangeRates(rates, sigma, SENSOR_POSITION, SENSOR_VELOCITY))

    for i in range(n):
        refs = [
            _filterpy_range_rate_update(
                xs[i, j], Ps[i, j], rates[i], sigma[i], SENSOR_POSITION, SENSOR_VELOCITY
            )
            for j in range(m)
        ]
        likelihood = np.array([norm.pdf(r.y[0], scale=np.sqrt(r.S[0, 0])) for r in refs])
        expected_mu = mu[i] * likelihood / (mu[i] * likelihood).sum()
        mu_after = table.extra["imm_probability"][slots[i]]
        np.testing.assert_allclose(mu_after, expected_mu, rtol=1e-9)
        assert abs(mu_after.sum() - 1.0) < 1e-12
        assert np.abs(mu_after - mu[i]).max() > 1e-3  # different modes: really reweighted
        for j, r in enumerate(refs):
            np.testing.assert_allclose(table.extra["imm_state"][slots[i], j], r.x, rtol=1e-9)
        combined = sum(mu_after[j] * refs[j].x for j in range(m))
        np.testing.assert_allclose(table.state[slots[i]], combined, rtol=1e-9, atol=1e-9)


# -- 5. benefit and consistency in a tracker ---------------------------------------------------
def test_doppler_shrinks_radial_velocity_error_and_stays_consistent():
    """Monte Carlo: 200 runs x 3 scans, one target at 40 km from a radar at the origin.

    Radar errors 30 m, 0.2°, 0.2° (converted measurements, ~140 m cross-range) and 2 m/s in
    range rate, 4 s scans. The target follows the filter's own model (nearly constant
    velocity, DWNA with 1 m/s², initial velocity drawn from the 150 m/s prior), so the NEES
    should be chi-square. Measured with this seed: radial velocity RMS error after the
    second scan 1.94 m/s with Doppler vs 10.5 m/s without (ratio 0.18; two-point
    differencing predicts sqrt(2) 30 m / 4 s = 10.6 m/s), after the first 2.1 vs 151 m/s;
    mean 6-D NEES with Doppler 6.13 and 5.73 at scans 2 and 3, inside the two-sided 99%
    band [5.39, 6.65]. Scaling the range-rate variance by 0.6 or 2 in the update pushes the
    NEES out of the band (6.76 and 5.36).
    """
    rng = np.random.default_rng(7)
    n_runs, n_scans, dt, q, speed_std = 200, 3, 4.0, 1.0, 150.0
    sigmas = (30.0, np.radians(0.2), np.radians(0.2))
    sigma_rate = 2.0
    sensor, at_rest = np.zeros(3), np.zeros(3)
    F, Q = _transition_by_hand("cv", dt, q)
    kick = np.linalg.cholesky(Q + np.eye(6) * 1e-12)
    config = TrackerConfig(process_noise_mps2=q, initial_speed_std_mps=speed_std)
    trackers = {"doppler": GnnTracker(config), "plain": GnnTracker(config)}
    radial = {name: np.empty((n_runs, n_scans)) for name in trackers}
    nees = {name: np.empty((n_runs, n_scans)) for name in trackers}
    for run in range(n_runs):
        az = rng.uniform(-np.pi, np.pi)
        x = np.array([40e3 * np.sin(az), 40e3 * np.cos(az), 6e3, 0.0, 0.0, 0.0])
        x[3:] = rng.normal(0.0, speed_std, 3)
        tables = {name: t.new_table(2) for name, t in trackers.items()}
        for k in range(n_scans):
            if k:
                x = F @ x + kick @ rng.standard_normal(6)
            r, a, e = enu_to_spherical(x[None, :3] - sensor)
            noisy = [v + s * rng.standard_normal(1) for v, s in zip((r, a, e), sigmas, strict=True)]
            z, R = converted_measurement(*noisy, *sigmas)
            los = (x[:3] - sensor) / np.linalg.norm(x[:3] - sensor)
            rate = np.array([los @ x[3:]]) + sigma_rate * rng.standard_normal(1)
            for name, tracker in trackers.items():
                table = tables[name]
                ids = tracker.step(table, k * dt, z + sensor, R)
                if name == "doppler":
                    measured = RangeRates(rate, np.array([sigma_rate]), sensor, at_rest)
                    tracker.update_range_rate(table, ids, measured)
                (slot,) = table.slots_of(ids)
                err = x - table.state[slot]
                radial[name][run, k] = los @ err[3:]
                nees[name][run, k] = err @ np.linalg.solve(table.covariance[slot], err)

    rms = {name: np.sqrt(np.mean(v**2, axis=0)) for name, v in radial.items()}
    # after the second scan, two-point differencing gives ~sqrt(2) σr / T = 10.6 m/s
    assert 8.0 < rms["plain"][1] < 13.5
    assert rms["doppler"][1] < 2.5 * sigma_rate
    assert rms["doppler"][1] < 0.3 * rms["plain"][1]
    # even the first detection gives the radial velocity to about σ_ṙ
    assert rms["doppler"][0] < 2.5 * sigma_rate < 0.1 * rms["plain"][0]
    low, high = chi2.ppf([0.005, 0.995], n_runs * 6) / n_runs
    for k in (1, 2):
        assert low <= nees["doppler"][:, k].mean() <= high, (k, nees["doppler"][:, k].mean())


# -- 6. the tracker interface -----------------------------------------------------------------
def _three_new_tracks(tracker):
    table = tracker.new_table(8)
    z = np.array([[20e3, 5e3, 3e3], [-30e3, 10e3, 8e3], [5e3, -40e3, 6e3]])
    R = np.tile(np.diag([80.0, 120.0, 60.0]) ** 2, (3, 1, 1))
    ids = tracker.step(table, 0.0, z, R)
    assert np.all(ids >= 0)
    return table, ids


@pytest.mark.parametrize("motion_model", ["cv", "imm"])
def test_gnn_range_rate_update_skips_nan_rates_and_unknown_tracks(motion_model):
    tracker = GnnTracker(TrackerConfig(motion_model=motion_model))
    table, ids = _three_new_tracks(tracker)
    slots = table.slots_of(ids)
    state, covariance = table.state.copy(), table.covariance.copy()
    probabilities = {name: column.copy() for name, column in table.extra.items()}
    detection_ids = np.array([ids[0], -1, ids[2], 999])  # 999: no such live track
    rates = np.array([-180.0, 50.0, np.nan, 20.0])
    measured = RangeRates(rates, np.full(4, 2.0), SENSOR_POSITION, SENSOR_VELOCITY)
    tracker.update_range_rate(table, detection_ids, measured)

    # track 0 took its range rate, as FilterPy would (all IMM modes start equal)
    ref = _filterpy_range_rate_update(
        state[slots[0]], covariance[slots[0]], -180.0, 2.0, SENSOR_POSITION, SENSOR_VELOCITY
    )
    np.testing.assert_allclose(table.state[slots[0]], ref.x, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(table.covariance[slots[0]], ref.P, rtol=1e-9, atol=1e-9)
    # the others (no detection, NaN rate, never associated) are untouched
    untouched = np.setdiff1d(np.arange(table.capacity), slots[:1])
    np.testing.assert_array_equal(table.state[untouched], state[untouched])
    np.testing.assert_array_equal(table.covariance[untouched], covariance[untouched])
    for name, column in table.extra.items():
        np.testing.assert_array_equal(column[untouched], probabilities[name][untouched])

    # nothing to do at all: no error, no change
    before = table.state.copy()
    tracker.update_range_rate(
        table,
        np.array([-1, ids[1]]),
        RangeRates(np.array([1.0, np.nan]), np.ones(2), *([np.zeros(3)] * 2)),
    )
    np.testing.assert_array_equal(table.state, before)


def test_jpda_tracker_range_rate_update_is_a_no_op():
    tracker = JpdaTracker(TrackerConfig())
    table, ids = _three_new_tracks(tracker)
    state, covariance = table.state.copy(), table.covariance.copy()
    measured = RangeRates(
        np.array([-180.0, 50.0, 20.0]), np.full(3, 2.0), SENSOR_POSITION, SENSOR_VELOCITY
    )
    tracker.update_range_rate(table, ids, measured)
    np.testing.assert_array_equal(table.state, state)
    np.testing.assert_array_equal(table.covariance, covariance)
