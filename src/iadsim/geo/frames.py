"""Coordinate frames on the WGS-84 ellipsoid: geodetic (LLA), ECEF, local ENU and AER.

Geodetic <-> ECEF uses the closed forms of :mod:`iadsim.geo.ellipsoid`, compiled in
:mod:`iadsim.geo._ellipsoid_kernels` and tested against pyproj (EPSG:4979 <-> EPSG:4978) to
well under a millimetre: the engine converts a few points at a time, thousands of times a run,
where pyproj's per-call cost dominates. ECEF <-> ENU is the rotation of Bowring / the standard
local-tangent-plane construction (e.g. Groves,
*Principles of GNSS, Inertial, and Multisensor Integrated Navigation Systems*, 2nd ed.,
eq. 2.150). All functions are vectorised over leading array dimensions.
"""

from __future__ import annotations

import numpy as np

from iadsim.geo._ellipsoid_kernels import (
    ecef_to_geodetic_stacked_kernel,
    geodetic_point_to_ecef_kernel,
    geodetic_to_ecef_kernel,
)
from iadsim.geo._frame_kernels import enu_to_ecef_kernel

# Re-exported for the modules that import them from here; defined in geo.ellipsoid only.
from iadsim.geo.ellipsoid import WGS84_A_M as WGS84_A_M
from iadsim.geo.ellipsoid import WGS84_E2 as WGS84_E2
from iadsim.geo.ellipsoid import WGS84_F as WGS84_F


def lla_to_ecef(lat_rad, lon_rad, alt_m) -> np.ndarray:
    """Geodetic latitude, longitude, ellipsoidal height to ECEF.

    Three floats (a radar's or a post's site, the usual call) go straight to
    :func:`~iadsim.geo._ellipsoid_kernels.geodetic_point_to_ecef_kernel`, the same
    operations without the arrays built for them.

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
    if type(lat_rad) is float and type(lon_rad) is float and type(alt_m) is float:
        point = np.empty(3)
        geodetic_point_to_ecef_kernel(lat_rad, lon_rad, alt_m, point)
        return point
    lat = np.asarray(lat_rad, dtype=np.float64)
    lon = np.asarray(lon_rad, dtype=np.float64)
    alt = np.asarray(alt_m, dtype=np.float64)
    if not (lat.shape == lon.shape == alt.shape):
        lat, lon, alt = np.broadcast_arrays(lat, lon, alt)
    shape = lat.shape
    pos = geodetic_to_ecef_kernel(lat.ravel(), lon.ravel(), alt.ravel())
    return pos.reshape((*shape, 3))


def ecef_to_lla(pos_ecef_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ECEF to geodetic latitude (rad), longitude (rad) and ellipsoidal height (m).

    Parameters
    ----------
    pos_ecef_m : array_like, shape (..., 3)
        ECEF position, metres.

    Returns
    -------
    lat_rad, lon_rad, alt_m : ndarray, shape (...)
    """
    pos = pos_ecef_m
    if type(pos) is np.ndarray and pos.ndim == 2 and pos.shape[1] == 3 and pos.dtype == np.float64:
        lat, lon, alt = ecef_to_geodetic_stacked_kernel(pos)  # (n, 3) points, as they are
        return lat, lon, alt
    pos = np.asarray(pos_ecef_m, dtype=np.float64)
    shape = pos.shape[:-1]
    lat, lon, alt = ecef_to_geodetic_stacked_kernel(pos.reshape(-1, 3))
    if shape == (lat.size,):
        return lat, lon, alt
    return lat.reshape(shape), lon.reshape(shape), alt.reshape(shape)


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
    # Rows east, north, up written in place: np.stack's values without its four calls.
    rotation = np.empty((*zero.shape, 3, 3))
    rotation[..., 0, 0] = -sin_lon + zero
    rotation[..., 0, 1] = cos_lon + zero
    rotation[..., 0, 2] = zero
    rotation[..., 1, 0] = -sin_lat * cos_lon
    rotation[..., 1, 1] = -sin_lat * sin_lon
    rotation[..., 1, 2] = cos_lat + zero
    rotation[..., 2, 0] = cos_lat * cos_lon
    rotation[..., 2, 1] = cos_lat * sin_lon
    rotation[..., 2, 2] = sin_lat + zero
    return rotation


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
    """Inverse of :func:`ecef_to_enu` (the rotation is orthonormal, so its transpose).

    Points ``(n, 3)`` or ``(3,)`` in the frame of one origin ``(3,)`` and rotation ``(3, 3)``
    (the usual call) go through :func:`~iadsim.geo._frame_kernels.enu_to_ecef_kernel`, which
    gives the einsum's result to the bit without its per-call cost.
    """
    pos = pos_enu_m
    if (  # (n, 3) float64 points in one frame (the usual call): no conversion to check
        type(pos) is np.ndarray
        and pos.ndim == 2
        and pos.shape[1] == 3
        and pos.dtype == np.float64
        and type(rotation) is np.ndarray
        and rotation.shape == (3, 3)
        and type(origin_ecef_m) is np.ndarray
        and origin_ecef_m.shape == (3,)
    ):
        return enu_to_ecef_kernel(pos, origin_ecef_m, rotation)
    pos = np.asarray(pos_enu_m, dtype=float)
    if (
        0 < pos.ndim <= 2
        and pos.shape[-1] == 3
        and getattr(rotation, "shape", None) == (3, 3)
        and getattr(origin_ecef_m, "shape", None) == (3,)
    ):
        if pos.ndim == 1:
            return enu_to_ecef_kernel(pos.reshape(1, 3), origin_ecef_m, rotation)[0]
        return enu_to_ecef_kernel(pos, origin_ecef_m, rotation)
    return np.einsum("...ji,...j->...i", rotation, pos) + origin_ecef_m


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


def enu_to_azimuth_range(pos_enu_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The azimuth and slant range of :func:`enu_to_aer` (the same operations, so the same
    bits), without the elevation's arctangent, for callers that do not read it.

    Parameters
    ----------
    pos_enu_m : (n, 3) float64

    Returns
    -------
    az_rad : (n,) float64, in [0, 2 pi)
    range_m : (n,) float64
    """
    east, north = pos_enu_m[:, 0], pos_enu_m[:, 1]
    horizontal = np.hypot(east, north)
    az = np.mod(np.arctan2(east, north), 2.0 * np.pi)
    az[az >= 2.0 * np.pi] = 0.0  # np.where(az >= 2 pi, 0.0, az), in place
    return az, np.hypot(horizontal, pos_enu_m[:, 2])


def aer_to_enu(az_rad, el_rad, range_m) -> np.ndarray:
    """ENU vector from azimuth (from north, clockwise), elevation and slant range."""
    az = np.asarray(az_rad, dtype=float)
    el = np.asarray(el_rad, dtype=float)
    r = np.asarray(range_m, dtype=float)
    horizontal = r * np.cos(el)
    return np.stack([horizontal * np.sin(az), horizontal * np.cos(az), r * np.sin(el)], axis=-1)
