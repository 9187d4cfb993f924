"""The WGS-84 ellipsoid: its constants (the only definition in iadsim) and fast closed forms.

Constants are the defining and derived parameters of NIMA TR8350.2, *Department of Defense
World Geodetic System 1984*, 3rd ed., 2000, tables 3.1 and 3.3. The closed forms here are
NumPy twins of transformations :mod:`iadsim.geo.frames` does through pyproj, several times
faster on the million-point grids of coverage maps, and tested against pyproj:

* :func:`geodetic_to_ecef` - geodetic latitude, longitude, height to ECEF (Groves,
  *Principles of GNSS, Inertial, and Multisensor Integrated Navigation Systems*, 2nd ed.,
  2013, eq. 2.112);
* :func:`ecef_to_geodetic` - ECEF to geodetic latitude, longitude, height by Bowring's
  one-step latitude (Bowring, *Survey Review* 23(181), 1976) and the height PROJ derives from
  it, so that it agrees with pyproj to nanometres;
* :func:`sphere_destination` and :func:`sphere_ground_range_m` - great-circle destination
  and distance on the sphere of radius ``a``, the sphere terrain profiles are laid out on
  (:mod:`iadsim.geo.line_of_sight`); within 0.5 % of the ellipsoidal geodesic.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "WGS84_A_M",
    "WGS84_B_M",
    "WGS84_E2",
    "WGS84_EP2",
    "WGS84_F",
    "WGS84_GM_M3_S2",
    "WGS84_J2",
    "ecef_to_geodetic",
    "geodetic_to_ecef",
    "sphere_destination",
    "sphere_ground_range_m",
]

WGS84_A_M = 6378137.0
"""Semi-major axis, m (defining)."""
WGS84_F = 1.0 / 298.257223563
"""Flattening (defining)."""
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)
"""Semi-minor axis, m."""
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
"""First eccentricity squared."""
WGS84_EP2 = WGS84_E2 / (1.0 - WGS84_E2)
"""Second eccentricity squared."""
WGS84_GM_M3_S2 = 3.986004418e14
"""Earth's gravitational constant (atmosphere included), m^3/s^2 (defining)."""
WGS84_J2 = 1.08262982131e-3
"""Second zonal harmonic, ``-sqrt(5) C20bar`` with ``C20bar = -0.484166774985e-3`` (table 3.3)."""


def geodetic_to_ecef(
    lat_rad: ArrayLike, lon_rad: ArrayLike, alt_m: ArrayLike
) -> NDArray[np.float64]:
    """WGS-84 geodetic to ECEF in closed form.

    ``N = a / sqrt(1 - e^2 sin^2 lat)``; ``x = (N + h) cos lat cos lon``,
    ``y = (N + h) cos lat sin lon``, ``z = (N (1 - e^2) + h) sin lat`` (Groves 2013,
    eq. 2.112): the transformation of :func:`iadsim.geo.frames.lla_to_ecef` without pyproj.

    Parameters
    ----------
    lat_rad, lon_rad : array_like of float, broadcastable
        Geodetic latitude and longitude, rad.
    alt_m : array_like of float, broadcastable
        Height above the ellipsoid, m.

    Returns
    -------
    (..., 3) float64
        ECEF position, m.
    """
    lat, lon, alt = np.broadcast_arrays(
        np.asarray(lat_rad, np.float64),
        np.asarray(lon_rad, np.float64),
        np.asarray(alt_m, np.float64),
    )
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    normal = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    horizontal = (normal + alt) * cos_lat
    return np.stack(
        [
            horizontal * np.cos(lon),
            horizontal * np.sin(lon),
            (normal * (1.0 - WGS84_E2) + alt) * sin_lat,
        ],
        axis=-1,
    )


def ecef_to_geodetic(
    pos_ecef_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """WGS-84 ECEF to geodetic in closed form, the way PROJ computes it.

    ``tan theta = a z / (b p)``, ``tan lat = (z + e'^2 b sin^3 theta) / (p - e^2 a cos^3
    theta)`` (Bowring 1976; Heiskanen & Moritz, *Physical Geodesy*, 1967, eqs. 5-36 and
    5-37), ``h = p / cos lat - N`` with ``p = sqrt(x^2 + y^2)``, and ``h = |z| / |sin lat| -
    N (1 - e^2)`` within 0.0001 deg of a pole: the sequence of PROJ's ``cart`` operation, so
    the result stays within nanometres of :mod:`pyproj` (EPSG:4978 -> EPSG:4979) rather than
    only within the method's own error (latitude within 2e-11 rad up to 100 km).

    Parameters
    ----------
    pos_ecef_m : array_like of float, shape (..., 3)
        ECEF position, m.

    Returns
    -------
    lat_rad, lon_rad, alt_m : float64 arrays, shape (...)
        Geodetic latitude and longitude (rad) and height above the ellipsoid (m).
    """
    pos = np.asarray(pos_ecef_m, np.float64)
    x, y, z = pos[..., 0], pos[..., 1], pos[..., 2]
    p = np.hypot(x, y)
    theta = np.arctan2(z * WGS84_A_M, p * WGS84_B_M)
    sin_t, cos_t = np.sin(theta), np.cos(theta)
    lat_y = z + WGS84_EP2 * WGS84_B_M * sin_t * sin_t * sin_t
    lat_x = p - WGS84_E2 * WGS84_A_M * cos_t * cos_t * cos_t
    lat = np.arctan2(lat_y, lat_x)
    norm = np.hypot(lat_y, lat_x)
    cos_lat, sin_lat = lat_x / norm, lat_y / norm
    normal = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        alt = np.where(
            cos_lat < 1e-6,
            np.abs(z) / np.abs(sin_lat) - normal * (1.0 - WGS84_E2),
            p / cos_lat - normal,
        )
    return lat, np.arctan2(y, x), alt


def sphere_destination(
    lat_rad: float, lon_rad: float, az_rad: ArrayLike, ground_range_m: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Great-circle destination on the sphere of radius ``a``.

    ``sin lat2 = sin lat1 cos d + cos lat1 sin d cos az``,
    ``lon2 = lon1 + atan2(sin az sin d cos lat1, cos d - sin lat1 sin lat2)``, ``d = s / a``
    (Snyder, *Map Projections - A Working Manual*, USGS PP 1395, 1987, eqs. 5-5, 5-6).

    Parameters
    ----------
    lat_rad, lon_rad : float
        Start point, rad.
    az_rad : array_like of float
        Initial azimuth, clockwise from north, rad.
    ground_range_m : array_like of float, broadcastable with ``az_rad``
        Distance along the great circle, m.

    Returns
    -------
    lat_rad, lon_rad : float64 arrays of the broadcast shape
        Destination, rad (longitude not wrapped).
    """
    az = np.asarray(az_rad, np.float64)
    angle = np.asarray(ground_range_m, np.float64) / WGS84_A_M
    sin_lat2 = np.sin(lat_rad) * np.cos(angle) + np.cos(lat_rad) * np.sin(angle) * np.cos(az)
    lat2 = np.arcsin(np.clip(sin_lat2, -1.0, 1.0))
    lon2 = lon_rad + np.arctan2(
        np.sin(az) * np.sin(angle) * np.cos(lat_rad),
        np.cos(angle) - np.sin(lat_rad) * sin_lat2,
    )
    return lat2, lon2


def sphere_ground_range_m(
    lat1_rad: ArrayLike, lon1_rad: ArrayLike, lat2_rad: ArrayLike, lon2_rad: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance on the sphere of radius ``a`` by the haversine formula, m.

    ``s = 2 a asin(sqrt(sin^2(dlat/2) + cos lat1 cos lat2 sin^2(dlon/2)))`` (Sinnott,
    *Sky & Telescope* 68, 1984), accurate at short range where the law of cosines is not.

    Parameters
    ----------
    lat1_rad, lon1_rad, lat2_rad, lon2_rad : array_like of float, broadcastable
        End points, rad.

    Returns
    -------
    float64 array of the broadcast shape
        Ground range, m.
    """
    lat1, lat2 = np.asarray(lat1_rad, np.float64), np.asarray(lat2_rad, np.float64)
    dlon = np.asarray(lon2_rad, np.float64) - np.asarray(lon1_rad, np.float64)
    half = np.sin(0.5 * (lat2 - lat1)) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(0.5 * dlon) ** 2
    return np.asarray(2.0 * WGS84_A_M * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0))))
