"""Numba kernels of the WGS-84 geodetic <-> ECEF conversions, twins of :mod:`~iadsim.geo.ellipsoid`.

* :func:`geodetic_to_ecef_kernel` - Groves (2013) eq. 2.112; twin
  :func:`iadsim.geo.ellipsoid.geodetic_to_ecef`; :func:`geodetic_point_to_ecef_kernel`
  converts one point into a caller's ``(3,)`` buffer (the same operations).
* :func:`ecef_to_geodetic_kernel` - Bowring's one-step latitude and PROJ's height; twin
  :func:`iadsim.geo.ellipsoid.ecef_to_geodetic`; :func:`ecef_to_geodetic_stacked_kernel`
  returns its three results as one array (for Python callers).

The engine converts one or a few points at a time (a radar site, a look's tracks, a flyout's
aim point) thousands of times per run, where pyproj's and NumPy's per-call costs dominate the
arithmetic. The kernels use the C library's ``sin``/``cos``/``atan2``, so they agree with the
NumPy twins to a few units in the last place rather than to the bit (the tests compare them).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo.ellipsoid import WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_EP2

__all__ = [
    "ecef_to_geodetic_kernel",
    "ecef_to_geodetic_stacked_kernel",
    "geodetic_point_to_ecef_kernel",
    "geodetic_to_ecef_kernel",
]


@numba.njit(cache=True)
def geodetic_to_ecef_kernel(lat_rad, lon_rad, alt_m):  # pragma: no cover - numba
    """ECEF positions ``(n, 3)`` m of ``(n,)`` latitudes, longitudes (rad) and heights (m)."""
    n = lat_rad.shape[0]
    out = np.empty((n, 3))
    for i in range(n):
        out[i, 0], out[i, 1], out[i, 2] = _geodetic_to_ecef(lat_rad[i], lon_rad[i], alt_m[i])
    return out


@numba.njit(cache=True)
def geodetic_point_to_ecef_kernel(lat_rad, lon_rad, alt_m, out):  # pragma: no cover - numba
    """Write into ``out`` ``(3,)`` the ECEF position (m) of one latitude, longitude (rad) and
    height (m), floats: :func:`geodetic_to_ecef_kernel` of one point, without the three
    arrays a Python caller would build for it nor the one it would box."""
    out[0], out[1], out[2] = _geodetic_to_ecef(lat_rad, lon_rad, alt_m)


@numba.njit(cache=True)
def _geodetic_to_ecef(lat_rad, lon_rad, alt_m):  # pragma: no cover - numba
    """ECEF x, y, z (m) of one latitude, longitude (rad) and height (m)."""
    sin_lat = math.sin(lat_rad)
    cos_lat = math.cos(lat_rad)
    normal = WGS84_A_M / math.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    horizontal = (normal + alt_m) * cos_lat
    return (
        horizontal * math.cos(lon_rad),
        horizontal * math.sin(lon_rad),
        (normal * (1.0 - WGS84_E2) + alt_m) * sin_lat,
    )


@numba.njit(cache=True)
def ecef_to_geodetic_kernel(pos_ecef_m):  # pragma: no cover - numba
    """Latitude, longitude (rad) and height (m), each ``(n,)``, of ECEF points ``(n, 3)`` m."""
    n = pos_ecef_m.shape[0]
    lat = np.empty(n)
    lon = np.empty(n)
    alt = np.empty(n)
    _ecef_to_geodetic_into(pos_ecef_m, lat, lon, alt)
    return lat, lon, alt


@numba.njit(cache=True)
def ecef_to_geodetic_stacked_kernel(pos_ecef_m):  # pragma: no cover - numba
    """:func:`ecef_to_geodetic_kernel`'s latitude, longitude (rad) and height (m) as the rows
    of one ``(3, n)`` array: one array to box for Python rather than three, each a
    Python-level call."""
    n = pos_ecef_m.shape[0]
    out = np.empty((3, n))
    _ecef_to_geodetic_into(pos_ecef_m, out[0], out[1], out[2])
    return out


@numba.njit(cache=True)
def _ecef_to_geodetic_into(pos_ecef_m, lat, lon, alt):  # pragma: no cover - numba
    """Write the latitude, longitude (rad) and height (m) of ECEF points ``(n, 3)`` m into
    ``lat``, ``lon`` and ``alt`` ``(n,)``."""
    for i in range(pos_ecef_m.shape[0]):
        x = pos_ecef_m[i, 0]
        y = pos_ecef_m[i, 1]
        z = pos_ecef_m[i, 2]
        p = math.hypot(x, y)
        theta = math.atan2(z * WGS84_A_M, p * WGS84_B_M)
        sin_t = math.sin(theta)
        cos_t = math.cos(theta)
        lat_y = z + WGS84_EP2 * WGS84_B_M * sin_t * sin_t * sin_t
        lat_x = p - WGS84_E2 * WGS84_A_M * cos_t * cos_t * cos_t
        norm = math.hypot(lat_y, lat_x)
        cos_lat = lat_x / norm
        sin_lat = lat_y / norm
        normal = WGS84_A_M / math.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
        lat[i] = math.atan2(lat_y, lat_x)
        lon[i] = math.atan2(y, x)
        if cos_lat < 1e-6:
            alt[i] = abs(z) / abs(sin_lat) - normal * (1.0 - WGS84_E2)
        else:
            alt[i] = p / cos_lat - normal
