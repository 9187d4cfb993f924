"""Terrain following: height above ground lifted onto the terrain, climb rate in the velocity.

Oracle: a synthetic grid whose height rises linearly eastward, so the climb rate of a flight
is the hand formula ``slope * v_east``; and the velocity against central differences of
the lifted positions.
"""

from __future__ import annotations

import numpy as np
import pymap3d
import pytest

from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.terrain_following import follow_terrain

LAT0, LON0 = np.radians(39.0), np.radians(32.0)
STEP = np.radians(0.01)
RISE_M = 20.0  # per column


def ramp(rise_m: float = RISE_M) -> ElevationGrid:
    heights = np.tile(np.arange(60, dtype=np.float32) * rise_m - 100.0, (60, 1))
    return ElevationGrid(LAT0, LON0, STEP, STEP, heights)


def flight(bearing_deg: float, speed_mps: float, lat_deg=39.3, lon_deg=32.3, agl_m=150.0):
    """lla (height above ground) and ECEF velocity of a level flight on ``bearing_deg``."""
    east = speed_mps * np.sin(np.radians(bearing_deg))
    north = speed_mps * np.cos(np.radians(bearing_deg))
    vel = np.array(pymap3d.enu2uvw(east, north, 0.0, lat_deg, lon_deg))
    lla = np.array([[np.radians(lat_deg), np.radians(lon_deg), agl_m]])
    return lla, vel[None, :]


def test_height_above_ground_is_lifted_onto_the_terrain():
    lla, vel = flight(90.0, 250.0)
    pos, _, lifted = follow_terrain(lla, vel, ramp())
    column = (lla[0, 1] - LON0) / STEP
    assert lifted[0, 2] == pytest.approx(150.0 + column * RISE_M - 100.0, abs=1e-6)
    np.testing.assert_allclose(pos[0], pymap3d.geodetic2ecef(39.3, 32.3, lifted[0, 2]), atol=1e-3)


@pytest.mark.parametrize("bearing_deg", [90.0, 45.0, 270.0, 0.0])
def test_climb_rate_is_slope_times_the_eastward_speed(bearing_deg):
    lla, vel = flight(bearing_deg, 250.0)
    _, new_vel, _ = follow_terrain(lla, vel, ramp())
    east_per_column_m = STEP * 6_386_000.0 * np.cos(np.radians(39.3))  # N(39.3 deg) ~ 6386 km
    slope = RISE_M / east_per_column_m
    expected = slope * 250.0 * np.sin(np.radians(bearing_deg))
    _, _, up = pymap3d.uvw2enu(*new_vel[0], 39.3, 32.3)
    assert up == pytest.approx(expected, abs=2e-3 * abs(slope * 250.0) + 1e-9)


def test_velocity_is_the_time_derivative_of_the_lifted_position():
    lla, vel = flight(60.0, 272.0)
    grid = ramp()
    pos, new_vel, _ = follow_terrain(lla, vel, grid)
    step_s = 0.05
    shifted = []
    for sign in (1.0, -1.0):
        lat, lon, _ = pymap3d.ecef2geodetic(*(pos[0] + sign * vel[0] * step_s), deg=False)
        moved = np.array([[lat, lon, 150.0]])
        shifted.append(follow_terrain(moved, vel, grid)[0][0])
    derivative = (shifted[0] - shifted[1]) / (2.0 * step_s)
    np.testing.assert_allclose(new_vel[0], derivative, atol=0.05)


def test_over_the_sea_the_flight_stays_level():
    lla, vel = flight(90.0, 250.0, lon_deg=32.02)  # terrain -100..-60 m: sea level
    _, new_vel, lifted = follow_terrain(lla, vel, ramp())
    assert lifted[0, 2] == pytest.approx(150.0)
    np.testing.assert_allclose(new_vel, vel, atol=1e-12)
