"""The aspect of a radar line of sight in a target's body frame (azimuth and elevation).

What a signature is looked up at: :func:`aspect_angles` (compiled, through
:mod:`iadsim.sensors._kernels`) and its NumPy twin :func:`aspect_angles_reference`, which
the tests hold it to, bit for bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo.ellipsoid import WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_EP2
from iadsim.sensors._kernels import aspect_components_kernel, geocentric_angle_kernel

__all__ = ["aspect_angles", "aspect_angles_reference"]

# Below this speed the velocity gives no heading; below this sine the nose is vertical.
_MIN_SPEED_MPS = 1e-6
_MIN_SIN_NOSE_TO_VERTICAL = 1e-9


def _geodetic_up_north_east(
    x: NDArray[np.float64], y: NDArray[np.float64], z: NDArray[np.float64]
) -> tuple[NDArray[np.float64], ...]:
    """Local up, north and east unit vectors at WGS84 ECEF positions, as nine (n,) components.

    Geodetic latitude by Bowring's closed form (Bowring 1976, Survey Review 23(181):323-327),
    good to well under a microradian for aircraft and missile heights:
    theta = atan2(a z, b p),  lat = atan2(z + e'^2 b sin^3 theta, p - e^2 a cos^3 theta),
    evaluated through sines and cosines of the normalised arguments (no trigonometric calls).
    """
    p = np.hypot(x, y)
    theta_norm = np.hypot(WGS84_A_M * z, WGS84_B_M * p)
    sin_theta = WGS84_A_M * z / theta_norm
    cos_theta = WGS84_B_M * p / theta_norm
    lat_num = z + WGS84_EP2 * WGS84_B_M * sin_theta**3
    lat_den = p - WGS84_E2 * WGS84_A_M * cos_theta**3
    lat_norm = np.hypot(lat_num, lat_den)
    sin_lat, cos_lat = lat_num / lat_norm, lat_den / lat_norm
    on_axis = p == 0.0  # at a pole the longitude is arbitrary: take 0
    if on_axis.any():
        p_safe = np.where(on_axis, 1.0, p)
        cos_lon = np.where(on_axis, 1.0, x / p_safe)
        sin_lon = np.where(on_axis, 0.0, y / p_safe)
    else:  # the same values without the selections
        cos_lon, sin_lon = x / p, y / p
    return (
        cos_lat * cos_lon,
        cos_lat * sin_lon,
        sin_lat,
        -sin_lat * cos_lon,
        -sin_lat * sin_lon,
        cos_lat,
        -sin_lon,
        cos_lon,
        np.zeros_like(cos_lon),
    )


def _unit_or_fallback(
    vx: NDArray[np.float64],
    vy: NDArray[np.float64],
    vz: NDArray[np.float64],
    min_norm: float,
    fallback: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Normalise (vx, vy, vz), replacing vectors shorter than min_norm by a unit fallback."""
    norm = np.sqrt(vx * vx + vy * vy + vz * vz)
    usable = norm > min_norm
    if usable.all():  # the same values without the selections
        inverse = 1.0 / norm
        return vx * inverse, vy * inverse, vz * inverse
    inverse = 1.0 / np.where(usable, norm, 1.0)
    return (
        np.where(usable, vx * inverse, fallback[0]),
        np.where(usable, vy * inverse, fallback[1]),
        np.where(usable, vz * inverse, fallback[2]),
    )


def aspect_angles(
    target_pos_ecef_m: ArrayLike,
    target_vel_ecef_mps: ArrayLike,
    radar_pos_ecef_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Aspect of the radar line of sight in the target body frame.

    Body frame, level-wings assumption: nose x_b = v/|v| (pitched with the flight path),
    right wing y_b = (x_b x u)/|x_b x u| with u the local geodetic vertical (so y_b is
    horizontal), belly z_b = x_b x y_b. With l the vector from target to radar,

        az = atan2(l.y_b, l.x_b),   el = atan2(-l.z_b, hypot(l.x_b, l.y_b)),

    so az = 0 dead ahead, +pi/2 off the right wing, and el > 0 when the radar is above the
    wing plane. A target with no velocity is taken to face local north; one flying straight
    up or down has its right wing along local east.

    Parameters
    ----------
    target_pos_ecef_m : (n, 3) float64
        Target positions, ECEF, m.
    target_vel_ecef_mps : (n, 3) float64
        Target velocities, ECEF, m/s.
    radar_pos_ecef_m : (n, 3) or (3,) float64
        Radar positions, ECEF, m.

    Returns
    -------
    az_rad : (n,) float64
        Aspect azimuth in [-pi, pi], positive toward the right wing.
    el_rad : (n,) float64
        Aspect elevation in [-pi/2, pi/2].
    """
    # np.asarray(., dtype=np.float64)'s call only for what is not a float64 array already
    # (a step's columns are)
    target, velocity, radar = target_pos_ecef_m, target_vel_ecef_mps, radar_pos_ecef_m
    if not (type(target) is np.ndarray and target.dtype == np.float64):
        target = np.asarray(target, dtype=np.float64)
    if not (type(velocity) is np.ndarray and velocity.dtype == np.float64):
        velocity = np.asarray(velocity, dtype=np.float64)
    if target.ndim != 2 or velocity.ndim != 2:  # np.atleast_2d only where it changes them
        target, velocity = np.atleast_2d(target), np.atleast_2d(velocity)
    if not (type(radar) is np.ndarray and radar.dtype == np.float64):
        radar = np.asarray(radar, dtype=np.float64)
    if radar.shape != target.shape:  # one radar for all targets
        radar = np.broadcast_to(radar, target.shape)
    cubes = geocentric_angle_kernel(target) ** 3  # NumPy's power, as in the twin
    forward, starboard, upward, horizontal = aspect_components_kernel(
        target, velocity, radar, cubes, _MIN_SPEED_MPS, _MIN_SIN_NOSE_TO_VERTICAL
    )
    return np.arctan2(starboard, forward), np.arctan2(upward, horizontal)


def aspect_angles_reference(
    target_pos_ecef_m: ArrayLike,
    target_vel_ecef_mps: ArrayLike,
    radar_pos_ecef_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """NumPy twin of :func:`aspect_angles` (whose arithmetic is compiled in
    :mod:`iadsim.sensors._kernels`)."""
    target = np.atleast_2d(np.asarray(target_pos_ecef_m, dtype=np.float64))
    velocity = np.atleast_2d(np.asarray(target_vel_ecef_mps, dtype=np.float64))
    line_of_sight = np.asarray(radar_pos_ecef_m, dtype=np.float64) - target
    ux, uy, uz, *north, ex, ey, ez = _geodetic_up_north_east(
        target[:, 0], target[:, 1], target[:, 2]
    )
    nx, ny, nz = _unit_or_fallback(
        velocity[:, 0],
        velocity[:, 1],
        velocity[:, 2],
        _MIN_SPEED_MPS,
        (north[0], north[1], north[2]),
    )
    # right wing = nose x up; it vanishes when the nose is vertical
    rx, ry, rz = _unit_or_fallback(
        ny * uz - nz * uy,
        nz * ux - nx * uz,
        nx * uy - ny * ux,
        _MIN_SIN_NOSE_TO_VERTICAL,
        (ex, ey, ez),
    )
    # belly = nose x right
    bx, by, bz = ny * rz - nz * ry, nz * rx - nx * rz, nx * ry - ny * rx

    lx, ly, lz = line_of_sight[:, 0], line_of_sight[:, 1], line_of_sight[:, 2]
    forward = lx * nx + ly * ny + lz * nz
    starboard = lx * rx + ly * ry + lz * rz
    downward = lx * bx + ly * by + lz * bz
    return np.arctan2(starboard, forward), np.arctan2(-downward, np.hypot(forward, starboard))
