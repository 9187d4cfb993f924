"""Terrain following: a route flown at a height above the ground instead of above the ellipsoid.

A terrain-following flight's route gives its height above ground level ``a``; its
ellipsoidal height is ``a + h_t(lat, lon)`` with ``h_t`` the terrain height (sea level where
the terrain is below it or unknown). The flight then also climbs and descends with the
terrain, at the rate ``dh_t/dt = grad(h_t) . v_ground``, which its velocity must carry for
Doppler measurements to agree with its track. The rate is taken by central differences
along the ground track, ``(h_t(p + v dt) - h_t(p - v dt)) / (2 dt)``, which on the
bilinear terrain grid is exact inside a grid cell.
"""

from __future__ import annotations

import numpy as np

from iadsim.geo.frames import ecef_to_lla, lla_to_ecef
from iadsim.geo.terrain import ElevationGrid

SLOPE_STEP_S = 0.5
"""Half-width of the central difference along the ground track, s (about 100 m at 200 m/s)."""


def follow_terrain(
    lla: np.ndarray, vel_ecef_mps: np.ndarray, grid: ElevationGrid
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lift flights from height above ground to the ellipsoid, and add the climb rate.

    Parameters
    ----------
    lla : (n, 3) float64
        Latitude (rad), longitude (rad) and height above ground (m).
    vel_ecef_mps : (n, 3) float64
        Velocity along the route, ECEF, m/s (horizontal for a level route).
    grid : ElevationGrid

    Returns
    -------
    pos_ecef_m : (n, 3) float64
    vel_ecef_mps : (n, 3) float64
        With the terrain's climb rate added along the local vertical.
    lla : (n, 3) float64
        Latitude, longitude and ellipsoidal height.
    """
    lat, lon = lla[:, 0], lla[:, 1]
    n = lat.size
    lifted = lla.copy()
    lifted[:, 2] = lla[:, 2] + grid.surface_height_m(lat, lon)
    pos = lla_to_ecef(lat, lon, lifted[:, 2])
    # Ahead and behind points in one conversion and one terrain reading (both pointwise).
    step_m = vel_ecef_mps * SLOPE_STEP_S
    ends_lat, ends_lon, _ = ecef_to_lla(np.concatenate([pos + step_m, pos - step_m]))
    ground = grid.surface_height_m(ends_lat, ends_lon)
    climb_mps = (ground[:n] - ground[n:]) / (2.0 * SLOPE_STEP_S)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    return pos, vel_ecef_mps + climb_mps[:, None] * up, lifted
