"""Coordinate frames on the WGS-84 ellipsoid: geodetic (LLA), ECEF, local ENU and AER.

Geodetic <-> ECEF goes through pyproj (EPSG:4979 <-> EPSG:4978). ECEF <-> ENU is the
rotation of Bowring / the standard local-tangent-plane construction (e.g. Groves,
*Principles of GNSS, Inertial, and Multisensor Integrated Navigation Systems*, 2nd ed.,
eq. 2.150). All functions are vectorised over leading array dimensions.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj

# Re-exported for the modules that import them from here; defined in geo.ellipsoid only.
from iadsim.geo.ellipsoid import WGS84_A_M as WGS84_A_M
from iadsim.geo.ellipsoid import WGS84_E2 as WGS84_E2
from iadsim.geo.ellipsoid import WGS84_F as WGS84_F


@cache
def _to_ecef() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


@cache
def _to_lla() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)


def lla_to_ecef(lat_rad, lon_rad, alt_m) -> np.ndarray:
    """Geodetic latitude, longitude, ellipsoidal height to ECEF.

    Parameters
    ----------
    lat_rad, lon_rad : array_like, shape (...)
        Geodetic latitude and longitude, radians.
    alt_m : array_like, shape (...)
        Height above the WGS-84 ellipsoid, metres.

    Returns
    -------
    ndarray, shape (..., 3)
        ECEF position, metres.
    """
    x, y, z = _to_ecef().transform(
        np.degrees(lon_rad), np.degrees(lat_rad), np.asarray(alt_m, dtype=float)
    )
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1).astype(float)


def ecef_to_lla(pos_ecef_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ECEF to geodetic latitude (rad), longitude (rad) and ellipsoidal height (m).

    Parameters
    ----------
    pos_ecef_m : array_like, shape (..., 3)
        ECEF position, metres.
    """
    pos = np.asarray(pos_ecef_m, dtype=float)
    lon_deg, lat_deg, alt_m = _to_lla().transform(pos[..., 0], pos[..., 1], pos[..., 2])
    return np.radians(lat_deg), np.radians(lon_deg), np.asarray(alt_m, dtype=float)


def enu_rotation(lat_rad, lon_rad) -> np.ndarray:
    """Rotation matrix from ECEF to local East-North-Up axes.

    Parameters
    ----------
    lat_rad, lon_rad : array_like, shape (...)
        Geodetic latitude and longitude of the local origin, radians.

    Returns
    -------
    ndarray, shape (..., 3, 3)
        Rows are the east, north and up unit vectors in ECEF; ``enu = R @ d_ecef``.
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    sin_lon, cos_lon = np.sin(lon), np.cos(lon)
    zero = np.zeros_like(sin_lat * sin_lon)
    east = np.stack([-sin_lon + zero, cos_lon + zero, zero], axis=-1)
    north = np.stack([-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat + zero], axis=-1)
    up = np.stack([cos_lat * cos_lon, cos_lat * sin_lon, sin_lat + zero], axis=-1)
    return np.stack([east, north, up], axis=-2)


def ecef_to_enu(pos_ecef_m, origin_ecef_m, rotation) -> np.ndarray:
    """Express ECEF points in the ENU frame of an origin.

    Parameters
    ----------
    pos_ecef_m : array_like, shape (..., 3)
        Points, metres.
    origin_ecef_m : array_like, shape (3,) or broadcastable (..., 3)
        Frame origin, metres.
    rotation : array_like, shape (3, 3) or (..., 3, 3)
        From :func:`enu_rotation` at the origin.

    Returns
    -------
    ndarray, shape (..., 3)
        East, north, up, metres.
    """
    delta = np.asarray(pos_ecef_m, dtype=float) - origin_ecef_m
    return np.einsum("...ij,...j->...i", rotation, delta)


def enu_to_ecef(pos_enu_m, origin_ecef_m, rotation) -> np.ndarray:
    """Inverse of :func:`ecef_to_enu` (the rotation is orthonormal, so its transpose)."""
    return np.einsum("...ji,...j->...i", rotation, np.asarray(pos_enu_m, dtype=float)) + (
        origin_ecef_m
    )


def enu_to_aer(pos_enu_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Azimuth (clockwise from north), elevation and slant range of ENU vectors.

    Parameters
    ----------
    pos_enu_m : array_like, shape (..., 3)

    Returns
    -------
    az_rad : ndarray, shape (...), in [0, 2 pi)
    el_rad : ndarray, shape (...), in [-pi/2, pi/2]
    range_m : ndarray, shape (...)
    """
    enu = np.asarray(pos_enu_m, dtype=float)
    east, north, up = enu[..., 0], enu[..., 1], enu[..., 2]
    horizontal = np.hypot(east, north)
    az = np.mod(np.arctan2(east, north), 2.0 * np.pi)
    # mod of a tiny negative angle rounds to exactly 2 pi; keep the promised [0, 2 pi).
    az = np.where(az >= 2.0 * np.pi, 0.0, az)
    return az, np.arctan2(up, horizontal), np.hypot(horizontal, up)


def aer_to_enu(az_rad, el_rad, range_m) -> np.ndarray:
    """ENU vector from azimuth (from north, clockwise), elevation and slant range."""
    az = np.asarray(az_rad, dtype=float)
    el = np.asarray(el_rad, dtype=float)
    r = np.asarray(range_m, dtype=float)
    horizontal = r * np.cos(el)
    return np.stack([horizontal * np.sin(az), horizontal * np.cos(az), r * np.sin(el)], axis=-1)
