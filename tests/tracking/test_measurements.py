"""Spherical conversions and the unbiased converted measurement, checked by Monte Carlo."""

import numpy as np
import pytest

from iadsim.tracking.measurements import (
    converted_measurement,
    enu_to_spherical,
    linearised_measurement_covariance,
    spherical_jacobian,
    spherical_to_enu,
)


def test_azimuth_is_clockwise_from_north():
    east = spherical_to_enu(1000.0, np.pi / 2, 0.0)[0]
    np.testing.assert_allclose(east, [1000.0, 0.0, 0.0], atol=1e-9)
    up = spherical_to_enu(1000.0, 0.3, np.pi / 2)[0]
    np.testing.assert_allclose(up, [0.0, 0.0, 1000.0], atol=1e-9)


def test_spherical_round_trip_and_jacobian_by_finite_differences():
    rng = np.random.default_rng(1)
    r = rng.uniform(1e3, 3e5, 20)
    a = rng.uniform(-np.pi, np.pi, 20)
    e = rng.uniform(-0.2, 1.2, 20)
    r2, a2, e2 = enu_to_spherical(spherical_to_enu(r, a, e))
    np.testing.assert_allclose(r2, r, rtol=1e-12)
    np.testing.assert_allclose(np.angle(np.exp(1j * (a2 - a))), 0, atol=1e-12)
    np.testing.assert_allclose(e2, e, atol=1e-12)
    J = spherical_jacobian(r, a, e)
    steps = (1e-3, 1e-8, 1e-8)
    for k, h in enumerate(steps):
        args_hi = [r, a, e]
        args_lo = [r, a, e]
        args_hi[k] = args_hi[k] + h
        args_lo[k] = args_lo[k] - h
        numeric = (spherical_to_enu(*args_hi) - spherical_to_enu(*args_lo)) / (2 * h)
        np.testing.assert_allclose(J[:, :, k], numeric, rtol=1e-5, atol=1e-6)


def _monte_carlo(sigma_az_deg, n=100_000, seed=5):
    rng = np.random.default_rng(seed)
    r0, a0, e0 = 150e3, 0.7, 0.3
    sr, sa, se = 50.0, np.radians(sigma_az_deg), np.radians(0.75 * sigma_az_deg)
    rm = r0 + sr * rng.standard_normal(n)
    am = a0 + sa * rng.standard_normal(n)
    em = e0 + se * rng.standard_normal(n)
    truth = spherical_to_enu(r0, a0, e0)[0]
    z, R = converted_measurement(rm, am, em, sr, sa, se)
    raw = spherical_to_enu(rm, am, em)
    # E[naive conversion] = truth scaled by λa λe (horizontal) and λe (vertical)
    la, le = np.exp(-0.5 * sa**2), np.exp(-0.5 * se**2)
    naive_bias = truth * (np.array([la * le, la * le, le]) - 1.0)
    return z - truth, R, raw - truth, naive_bias


@pytest.mark.parametrize("sigma_az_deg", [1.0, 3.0])
def test_converted_measurement_is_unbiased_with_matching_covariance(sigma_az_deg):
    err, R, raw_err, naive_bias = _monte_carlo(sigma_az_deg)
    R_mean = R.mean(axis=0)
    std = np.sqrt(np.diag(R_mean))
    standard_error = std / np.sqrt(err.shape[0])
    assert np.all(np.abs(err.mean(axis=0)) < 4 * standard_error)
    # the naive conversion shows the bias that the conversion removes
    assert np.all(np.abs(raw_err.mean(axis=0) - naive_bias) < 4 * standard_error)
    assert np.abs(naive_bias).max() > 4 * standard_error.max()
    empirical = np.cov(err.T)
    # relative agreement of every entry, scaled by the diagonal (MC error ~1 %)
    scale = np.sqrt(np.outer(np.diag(empirical), np.diag(empirical)))
    assert np.abs(empirical - R_mean).max() / scale.max() < 0.03


def test_converted_covariance_tends_to_the_linearised_one_for_small_errors():
    r = np.array([80e3, 200e3])
    a = np.array([0.3, -2.0])
    e = np.array([0.05, 0.6])
    _, R = converted_measurement(r, a, e, 20.0, 1e-4, 1e-4)
    R_lin = linearised_measurement_covariance(r, a, e, 20.0, 1e-4, 1e-4)
    np.testing.assert_allclose(R, R_lin, rtol=1e-4, atol=1e-3)
