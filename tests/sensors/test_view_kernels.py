"""The compiled coverage kernels equal their NumPy twins to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.sensors._view_kernels import (
    horizon_kernel,
    horizon_ratio_kernel,
    horizon_reference,
    view_geometry_kernel,
    view_geometry_reference,
    view_kernel,
    view_reference,
)

RADIUS_M = 4.0 / 3.0 * 6378137.0


def _constants(rng: np.random.Generator, k: int) -> np.ndarray:
    """``k`` radars' view constants (radar_view._view's table) at random sites."""
    lat = rng.uniform(-1.4, 1.4, k)
    lon = rng.uniform(-np.pi, np.pi, k)
    constants = np.zeros((k, 21))
    constants[:, :3] = lla_to_ecef(lat, lon, rng.uniform(0.0, 10_000.0, k))
    constants[:, 3:12] = enu_rotation(lat, lon).reshape(k, 9)
    constants[:, 12:16] = [1e3, 4e5, -0.05, 1.2]
    constants[:, 19] = RADIUS_M
    constants[:, 20] = rng.uniform(0.0, 0.005, k)
    return constants


@pytest.mark.parametrize(("k", "n"), [(1, 0), (1, 1), (1, 17), (3, 63), (4, 500)])
def test_view_geometry_kernel_equals_the_numpy_frames(k, n):
    rng = np.random.default_rng(k * 1000 + n)
    constants = _constants(rng, k)
    points = constants[rng.integers(0, k, n), :3] + rng.normal(0.0, 1e5, (n, 3))
    np.testing.assert_array_equal(
        view_geometry_kernel(points, constants), view_geometry_reference(points, constants)
    )


def test_view_kernel_equals_numpy_on_random_and_edge_angles():
    rng = np.random.default_rng(5)
    k, n = 4, 2000
    bearing = rng.uniform(-np.pi, np.pi, (k, n))
    bearing[:, :6] = [0.0, -0.0, np.pi, -np.pi, -1e-18, -np.nextafter(0.0, 1.0)]
    el = rng.uniform(-0.2, 1.6, (k, n))
    geometry = rng.uniform(0.0, 6e5, (5, k, n))
    present = rng.random(n) < 0.9
    constants = _constants(rng, k)
    constants[:, 16:19] = [
        [5.9, 1.0, 1.0],  # across north
        [0.0, 2.0 * np.pi, 0.0],  # full circle
        [1.0, 0.5, 1.0],
        [2.0, 3.0, 1.0],
    ]
    looks = np.array(
        [
            [0.3, 0.6, 1.0],  # inside the sector
            [6.0, 0.7, 1.0],  # across north
            [0.0, 0.0, 0.0],  # the whole sector
            [1.5, 2.0, 1.0],
        ]
    )
    aer, visible = np.empty((k, n, 3)), np.empty((k, n), dtype=bool)
    count = view_kernel(bearing, el, geometry, present, constants, looks, aer, visible)
    assert count == visible.sum()
    expected_aer, expected_visible = view_reference(
        bearing, el, geometry, present, constants, looks
    )
    np.testing.assert_array_equal(aer, expected_aer)
    np.testing.assert_array_equal(np.signbit(aer), np.signbit(expected_aer))
    np.testing.assert_array_equal(visible, expected_visible)
    assert 0 < visible.sum() < visible.size
    assert np.all((aer[..., 0] >= 0.0) & (aer[..., 0] < 2.0 * np.pi))


def test_horizon_kernels_equal_numpy_for_each_radars_radius():
    rng = np.random.default_rng(11)
    k, n = 3, 500
    visible = rng.random((k, n)) < 0.7
    geometry = rng.uniform(0.0, 6e5, (5, k, n))
    constants = _constants(rng, k)
    constants[1, 19] = RADIUS_M * 1.1
    constants[2, 20] = 0.0
    alt_m = rng.uniform(-100.0, 2e4, n)
    alt_m[:3] = [np.nan, -0.0, 0.0]
    expected = visible.copy()
    horizon_reference(expected, geometry, constants, alt_m)
    ratio = np.empty((k, n))
    horizon_ratio_kernel(alt_m, constants, ratio)
    horizon_kernel(visible, geometry, constants, np.arccos(ratio))
    np.testing.assert_array_equal(visible, expected)
    assert 0 < visible.sum() < expected.size
