"""Where a radar stands: the values of its antenna position that its views read.

The ENU rotation, horizon terms and view-constants row of
:class:`~iadsim.sensors.radar.Radar`, as functions of the position, so that a radar built
at a site (its cached properties) and an airborne radar moved every step
(:meth:`~iadsim.sensors.radar.Radar.moved`) compute them with the same operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.geo.frames import WGS84_A_M, lla_to_ecef
from iadsim.sensors.scan_pattern import FULL_CIRCLE_RAD, AzimuthInterval

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = ["enu_rotation_at", "horizon_terms_at", "moved_view_row", "place_moved", "view_row"]


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


def moved_view_row(
    row: np.ndarray,
    pos_ecef_m: np.ndarray,
    rotation: np.ndarray,
    horizon_terms: tuple[float, np.ndarray],
) -> np.ndarray:
    """:func:`view_row` of a radar moved to a new position, from its row ``(21,)`` before
    the move: the volume and sector columns (12:19) carried over, the position, rotation
    and horizon columns copied in (no arithmetic, so the same bits as :func:`view_row`)."""
    row = row.copy()
    row[:3] = pos_ecef_m
    row[3:12] = rotation.reshape(9)
    row[19:] = horizon_terms
    return row


def place_moved(
    moved: Radar, lat_rad: float, lon_rad: float, alt_m: float, row: np.ndarray | None = None
) -> None:
    """Fill the position-dependent caches of a radar just moved
    (:meth:`~iadsim.sensors.radar.Radar.moved`): ``pos_ecef_m``, ``rotation``,
    ``_horizon_terms`` (unless carried over) and ``_view_constants``, the values their
    cached properties compute. ``row``: the radar's ``_view_constants`` (21,) before the
    move, where it had them (its sector and volume columns are carried over)."""
    cached = moved.__dict__
    pos = cached["pos_ecef_m"] = lla_to_ecef(lat_rad, lon_rad, alt_m)
    rotation = cached["rotation"] = enu_rotation_at(lat_rad, lon_rad)
    horizon = cached.get("_horizon_terms")
    if horizon is None:
        horizon = cached["_horizon_terms"] = horizon_terms_at(moved.k_factor, alt_m)
    cached["_view_constants"] = (
        view_row(pos, rotation, moved._volume, moved.sector, horizon)
        if row is None
        else moved_view_row(row, pos, rotation, horizon)
    )
