"""The compiled aspect, signature and path kernels equal their NumPy twins to the bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.sensors._kernels import (
    fresnel_parameter_kernel,
    line_of_sight_speed_kernel,
)
from iadsim.sensors.aspect import aspect_angles, aspect_angles_reference
from iadsim.sensors.diffraction import fresnel_kirchhoff_parameter
from iadsim.sensors.doppler_notch import ground_radial_velocity_mps
from iadsim.sensors.signature import load_signatures


def test_aspect_angles_equal_their_numpy_twin_including_degenerate_cases():
    rng = np.random.default_rng(9)
    n = 3000
    lat = rng.uniform(-np.pi / 2, np.pi / 2, n)
    lat[:2] = [np.pi / 2, -np.pi / 2]
    lon = rng.uniform(-np.pi, np.pi, n)
    targets = lla_to_ecef(lat, lon, rng.uniform(0.0, 20_000.0, n))
    targets[2] = [0.0, 0.0, 6_400_000.0]  # on the axis: longitude undefined
    velocity = rng.normal(0.0, 300.0, (n, 3))
    velocity[3] = 0.0  # no heading: faces north
    velocity[4] = enu_rotation(lat[4], lon[4])[2] * 250.0  # straight up: no right wing
    radars = targets + rng.normal(0.0, 1e5, (n, 3))
    for radar in (radars, radars[7]):  # one radar per target, or one for all
        for got, want in zip(
            aspect_angles(targets, velocity, radar),
            aspect_angles_reference(targets, velocity, radar),
            strict=True,
        ):
            np.testing.assert_array_equal(got, want)


def test_rcs_db_kernel_equals_the_numpy_interpolation():
    """On a uniform aspect grid (the kernel's case: the bundled grid has extra lobe nodes,
    so this one keeps only its 15-degree nodes) the compiled interpolation is the NumPy one."""
    bundled = load_signatures()
    steps = np.degrees(bundled.az_grid_rad) / 15.0
    keep = np.flatnonzero(np.isclose(steps, np.round(steps)))
    table = dataclasses.replace(
        bundled,
        az_grid_rad=bundled.az_grid_rad[keep],
        rcs_dbsm=bundled.rcs_dbsm[..., keep],
        pattern=None,
    )
    assert table._az_grid.uniform and table._el_grid.uniform
    rng = np.random.default_rng(4)
    n = 5000
    types = rng.integers(0, table.n_types, n).astype(np.intp)
    az = np.abs(rng.uniform(-np.pi, np.pi, n))
    el = rng.uniform(-2.0, 2.0, n)  # beyond the grid: clamped
    az[:3] = [0.0, np.pi, np.nan]
    el[3:6] = [table.el_grid_rad[0], table.el_grid_rad[-1], np.nan]
    band, fraction = table._band_bracket(rng.choice([1.5e8, 1.3e9, 3.0e9, 9.4e9, 2e10], n))
    np.testing.assert_array_equal(
        table._rcs_db(types, az, el, band, fraction),
        table.rcs_db_reference(types, az, el, band, fraction),
    )


def test_rcs_of_broadcast_inputs_keeps_their_shape():
    table = load_signatures()
    az = np.linspace(-np.pi, np.pi, 12).reshape(3, 4)
    rcs = table.rcs_m2(2, az, 0.1, 3.0e9)
    assert rcs.shape == (3, 4)
    np.testing.assert_array_equal(
        rcs.ravel(), table.rcs_m2(np.full(12, 2), az.ravel(), np.full(12, 0.1), np.full(12, 3e9))
    )


@pytest.mark.parametrize("n", [0, 1, 40])
def test_fresnel_parameter_kernel_equals_the_numpy_parameter(n):
    rng = np.random.default_rng(n)
    height = rng.uniform(-500.0, 300.0, n)
    height[: n // 4] = -np.inf  # paths without an obstacle
    d1, d2 = rng.uniform(1.0, 3e5, n), rng.uniform(1.0, 3e5, n)
    for wavelength_m in (0.03, 0.1, 1.7):
        expected = fresnel_kirchhoff_parameter(height, d1, d2, wavelength_m)
        np.testing.assert_array_equal(
            fresnel_parameter_kernel(height, d1, d2, wavelength_m), expected
        )


@pytest.mark.parametrize("n", [0, 1, 5, 60])
def test_line_of_sight_speed_kernel_equals_the_numpy_range_rate(n):
    rng = np.random.default_rng(100 + n)
    for _ in range(50):
        radar = rng.uniform(-7e6, 7e6, 3)
        scale = rng.choice([0.3, 1e3, 1e5, 4e5], (n, 1))
        pos = radar + rng.normal(0.0, 1.0, (n, 3)) * scale
        vel = rng.normal(0.0, 300.0, (n, 3))
        radar_vel = rng.normal(0.0, 200.0, 3) * rng.integers(0, 2)
        line = pos - radar
        expected = np.einsum("ni,ni->n", line, vel - radar_vel) / np.maximum(
            np.sqrt(np.add.reduce(line * line, axis=-1)), 1.0
        )
        np.testing.assert_array_equal(
            line_of_sight_speed_kernel(radar, pos, vel, radar_vel), expected
        )
        np.testing.assert_array_equal(
            line_of_sight_speed_kernel(radar, pos, vel, np.zeros(3)),
            ground_radial_velocity_mps(radar, pos, vel),
        )
