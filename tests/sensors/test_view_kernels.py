"""The compiled coverage kernels agree with their NumPy definitions: the frame to the bit,
the angles to rounding (the compiled arctangents and arccos are the C library's)."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.sensors._view_kernels import (
    horizon_pass_kernel,
    horizon_reference,
    view_geometry_reference,
    view_pass_kernel,
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


def _view_of(points, present, constants, looks):
    """The compiled view pass: ``count``, ``aer``, ``visible``."""
    k, n = constants.shape[0], points.shape[0]
    aer, visible = np.empty((k, n, 3)), np.empty((k, n), dtype=bool)
    count = view_pass_kernel(points, present, constants, looks, aer, visible)
    return count, aer, visible


def _defined_view(points, present, constants, looks):
    """The same from the NumPy definitions (frame, arctangents, tests)."""
    geometry = view_geometry_reference(points, constants)
    bearing = np.arctan2(geometry[0], geometry[1])
    el = np.arctan2(geometry[2], geometry[3])
    return geometry, *view_reference(bearing, el, geometry, present, constants, looks)


@pytest.mark.parametrize(("k", "n"), [(1, 0), (1, 1), (1, 17), (3, 63), (4, 500)])
def test_the_view_pass_agrees_with_the_numpy_frames(k, n):
    rng = np.random.default_rng(k * 1000 + n)
    constants = _constants(rng, k)
    points = constants[rng.integers(0, k, n), :3] + rng.normal(0.0, 1e5, (n, 3))
    present = np.ones(n, dtype=bool)
    looks = np.zeros((k, 3))
    count, aer, visible = _view_of(points, present, constants, looks)
    geometry, expected_aer, expected_visible = _defined_view(points, present, constants, looks)
    np.testing.assert_array_equal(aer[..., 2], geometry[4])  # the frame to the bit
    np.testing.assert_allclose(aer[..., :2], expected_aer[..., :2], rtol=0.0, atol=1e-14)
    np.testing.assert_array_equal(visible, expected_visible)
    assert count == visible.sum()


def test_the_view_pass_agrees_with_numpy_on_sectors_looks_and_edge_bearings():
    rng = np.random.default_rng(5)
    k, n = 4, 2000
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
    points = constants[rng.integers(0, k, n), :3] + rng.normal(0.0, 1e5, (n, 3))
    # Due north of radar 0 (east +0.0 and -0.0) and right above it: bearings 0 and -0
    east, north, up = constants[0, 3:6], constants[0, 6:9], constants[0, 9:12]
    points[0] = constants[0, :3] + 5e4 * north + 1e3 * up
    points[1] = points[0] - 1e-9 * east
    points[2] = constants[0, :3] + 2e4 * up
    present = rng.random(n) < 0.9
    present[:3] = True
    count, aer, visible = _view_of(points, present, constants, looks)
    _, expected_aer, expected_visible = _defined_view(points, present, constants, looks)
    np.testing.assert_allclose(aer, expected_aer, rtol=1e-15, atol=1e-14)
    np.testing.assert_array_equal(visible, expected_visible)
    assert count == visible.sum()
    assert 0 < visible.sum() < visible.size
    assert np.all((aer[..., 0] >= 0.0) & (aer[..., 0] < 2.0 * np.pi))


def test_the_horizon_pass_agrees_with_numpy_for_each_radars_radius():
    rng = np.random.default_rng(11)
    k, n = 3, 500
    visible = rng.random((k, n)) < 0.7
    geometry = rng.uniform(0.0, 6e5, (5, k, n))
    aer = np.zeros((k, n, 3))
    aer[..., 2] = geometry[4]
    constants = _constants(rng, k)
    constants[1, 19] = RADIUS_M * 1.1
    constants[2, 20] = 0.0
    alt_m = rng.uniform(-100.0, 2e4, n)
    alt_m[:3] = [np.nan, -0.0, 0.0]
    expected = visible.copy()
    horizon_reference(expected, geometry, constants, alt_m)
    horizon_pass_kernel(visible, aer, constants, alt_m)
    np.testing.assert_array_equal(visible, expected)
    assert 0 < visible.sum() < expected.size
    assert not visible[:, 0].any()  # a NaN height is never in view
