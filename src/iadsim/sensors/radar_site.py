"""Where a radar stands: the values of its antenna position that its views read.

The ENU rotation, horizon terms and view-constants row of
:class:`~iadsim.sensors.radar.Radar`, as functions of the position, so that a radar built
at a site (its cached properties) and an airborne radar moved every step
(:meth:`~iadsim.sensors.radar.Radar.moved`) compute them with the same operations.
"""

from __future__ import annotations

import numpy as np

from iadsim.geo.frames import WGS84_A_M
from iadsim.sensors.scan_pattern import FULL_CIRCLE_RAD, AzimuthInterval

__all__ = ["enu_rotation_at", "horizon_terms_at", "view_row"]


def enu_rotation_at(lat_rad: float, lon_rad: float) -> np.ndarray:
    """ECEF to local ENU rotation ``(3, 3)`` at a latitude and longitude (rad): the
    operations of :func:`~iadsim.geo.frames.enu_rotation` on one point, without its
    stacking (an airborne radar needs a new one every step)."""
    sin_lat, cos_lat = np.sin(lat_rad), np.cos(lat_rad)
    sin_lon, cos_lon = np.sin(lon_rad), np.cos(lon_rad)
    return np.array(
        [
            [-sin_lon + 0.0, cos_lon + 0.0, 0.0],
            [-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat + 0.0],
            [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat + 0.0],
        ]
    )


def horizon_terms_at(k_factor: float, alt_m: float) -> tuple[float, np.ndarray]:
    """Effective-earth radius (m) and the share of the radar horizon (central angle, rad)
    of an antenna at height ``alt_m`` (m): :attr:`~iadsim.sensors.radar.Radar._horizon_terms`."""
    radius_m = k_factor * WGS84_A_M
    antenna_m = np.maximum(np.asarray(alt_m, dtype=np.float64), 0.0)
    return radius_m, np.arccos(radius_m / (radius_m + antenna_m))


def view_row(
    pos_ecef_m: np.ndarray,
    rotation: np.ndarray,
    volume: tuple[float, float, float, float],
    sector: AzimuthInterval,
    horizon_terms: tuple[float, np.ndarray],
) -> np.ndarray:
    """The row :attr:`~iadsim.sensors.radar.Radar._view_constants` ``(21,)`` of an antenna
    position (ECEF, m), rotation ``(3, 3)``, volume limits (m, rad), sector and horizon
    terms (m, rad)."""
    restricts = 0.0 if sector.extent_rad >= FULL_CIRCLE_RAD else 1.0  # is_full_circle
    return np.concatenate(
        [
            pos_ecef_m,
            rotation.ravel(),
            volume,
            [sector.start_rad, sector.extent_rad, restricts, *horizon_terms],
        ]
    )
