"""The compiled ECEF -> ENU conversion of one point is ecef_to_enu's, bit for bit."""

from __future__ import annotations

import numpy as np

from iadsim.geo._frame_kernels import ecef_to_enu_point_kernel
from iadsim.geo.frames import ecef_to_enu, enu_rotation, lla_to_ecef


def test_ecef_to_enu_point_kernel_is_ecef_to_enu() -> None:
    rng = np.random.default_rng(5)
    for _ in range(2000):
        lat, lon = rng.uniform(-1.5, 1.5, 2), rng.uniform(-3.1, 3.1, 2)
        origin = np.asarray(lla_to_ecef(lat[0], lon[0], rng.uniform(0.0, 3e3)), dtype=float)
        point = np.asarray(lla_to_ecef(lat[1], lon[1], rng.uniform(0.0, 2e4)), dtype=float)
        rotation = np.ascontiguousarray(enu_rotation(lat[0], lon[0]), dtype=float)
        expected = ecef_to_enu(point, origin, rotation)
        np.testing.assert_array_equal(ecef_to_enu_point_kernel(point, origin, rotation), expected)


def test_ecef_to_enu_point_kernel_on_random_rotations() -> None:
    rng = np.random.default_rng(9)
    for _ in range(2000):
        rotation = rng.normal(size=(3, 3))
        point, origin = rng.normal(size=3) * 6e6, rng.normal(size=3) * 6e6
        expected = ecef_to_enu(point, origin, rotation)
        np.testing.assert_array_equal(ecef_to_enu_point_kernel(point, origin, rotation), expected)
