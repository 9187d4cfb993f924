"""Bearing intersection against known geometry, and its error against Monte Carlo."""

from __future__ import annotations

import math

import numpy as np

from iadsim.ew.triangulation import triangulate


def bearing(from_m, to_m) -> float:
    east, north = np.subtract(to_m, from_m)
    return math.atan2(east, north)


def test_two_exact_bearings_meet_at_the_emitter():
    # Sensors 25 km apart on an east-west baseline, emitter 120 km north of the first.
    sensors = np.array([[0.0, 0.0], [25_000.0, 0.0]])
    emitter = np.array([-10_000.0, 120_000.0])
    bearings = [bearing(s, emitter) for s in sensors]
    fix = triangulate(sensors, bearings, [1e-3, 1e-3])
    assert fix is not None
    np.testing.assert_allclose(fix.position_m, emitter, atol=1e-6)


def test_a_right_angle_fix_has_the_textbook_error():
    # Two bearings crossing at 90 deg, each at 100 km with 1 mrad: the error ellipse is a
    # circle of 100 m (d * sigma along each normal).
    sensors = np.array([[-100_000.0, 0.0], [0.0, -100_000.0]])
    fix = triangulate(sensors, [math.pi / 2, 0.0], [1e-3, 1e-3])
    assert fix is not None
    np.testing.assert_allclose(fix.position_m, [0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(fix.covariance_m2, np.diag([100.0**2, 100.0**2]), atol=1e-6)


def test_noisy_bearings_scatter_as_the_covariance_says():
    rng = np.random.default_rng(3)
    sensors = np.array([[0.0, 0.0], [30_000.0, 0.0], [60_000.0, 10_000.0]])
    emitter = np.array([20_000.0, 90_000.0])
    truth = np.array([bearing(s, emitter) for s in sensors])
    sigma = np.full(3, math.radians(0.2))
    fixes = []
    for _ in range(2000):
        fix = triangulate(sensors, truth + sigma * rng.standard_normal(3), sigma)
        assert fix is not None
        fixes.append(fix.position_m)
    scatter = np.cov(np.array(fixes).T)
    predicted = triangulate(sensors, truth, sigma)
    assert predicted is not None
    # Monte Carlo spread within 10 % of the predicted one (2000 draws: ~3 % sampling error).
    np.testing.assert_allclose(
        np.sqrt(np.diag(scatter)), np.sqrt(np.diag(predicted.covariance_m2)), rtol=0.1
    )
    np.testing.assert_allclose(np.mean(fixes, axis=0), emitter, atol=3 * predicted.error_m / 40)


def test_parallel_or_diverging_bearings_give_no_fix():
    sensors = np.array([[0.0, 0.0], [10_000.0, 0.0]])
    assert triangulate(sensors, [0.0, 0.0], [1e-3, 1e-3]) is None
    assert triangulate(sensors, [-0.1, 0.1], [1e-3, 1e-3]) is None  # they part ways
    assert triangulate(sensors[:1], [0.0], [1e-3]) is None
