"""Flyout model shared by both integrator twins: parameter columns, earth, motor, drag.

Everything here works on the *active subset* of missiles, one row per missile, in the rotating
WGS-84 earth-centred earth-fixed (ECEF) frame, SI units: the layout of the per-missile
parameter rows, the flight phases and end reasons, gravity (central or J2, with the
centrifugal and Coriolis terms of the rotating frame), the motor's thrust and mass, and the
drag tables. The integrator twins are :mod:`._flyout_reference` and :mod:`._flyout_compiled`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    WGS84_B_M,
    WGS84_E2,
    WGS84_EP2,
    WGS84_GM_M3_S2,
    WGS84_J2,
)
from iadsim.weapons.atmosphere import us1976

GravityModel = Literal["j2", "central", "none"]
GRAVITY_CODES = {"none": 0, "central": 1, "j2": 2}

# Flight phases and end reasons (mirrored by the enums of the public module).
EMPTY, MIDCOURSE, TERMINAL, BALLISTIC, DONE = 0, 1, 2, 3, 4
CLOSEST_APPROACH, GROUND_IMPACT, MIN_SPEED_REACHED, MAX_TIME_REACHED = 1, 2, 3, 4

EARTH_RATE_RPS = 7.292115e-5
G0_MPS2 = 9.80665

# Columns of the per-missile parameter matrix (one row per slot, filled at launch).
LAUNCH_MASS = 0
PROPELLANT_PER_IMPULSE = 1  # kg of propellant burnt per N s of impulse (constant Isp)
BOOST_THRUST = 2
BOOST_END = 3
SUSTAIN_THRUST = 4
SUSTAIN_START = 5
SUSTAIN_END = 6
REFERENCE_AREA = 7
MAX_ACCEL = 8
MAX_FLIGHT_TIME = 9
MIN_SPEED = 10
NAV_CONSTANT = 11
LOFT_GAIN = 12
MEAN_SPEED = 13
SEEKER_RANGE = 14
ACTIVE_SEEKER = 15
TYPE_INDEX = 16
AUTOPILOT_TIME_CONSTANT = 17  # first-order lag of the achieved lateral acceleration, s
SEEKER_REFERENCE_RCS = 18  # RCS at which SEEKER_RANGE holds, m^2
SEEKER_ILLUMINATOR_RANGE = 19  # illuminator-target range at which it holds, m (0: none)
SEEKER_ANGLE_NOISE = 20  # range-independent angle noise per guidance sample, rad
SEEKER_THERMAL_NOISE = 21  # receiver angle noise at the lock-on range, rad
LAUNCH_X, LAUNCH_Y, LAUNCH_Z = 22, 23, 24  # launch site (the illuminator), ECEF m
N_PARAMS = 25

TERMINAL_GUIDANCE_STEP_S = 0.01
"""Guidance sample interval of a homing missile (100 Hz; ASSUMPTION, range 0.005-0.02 s:
seeker and autopilot rates of tactical missiles, Zarchan ch. 6 simulations use 0.01 s). In
terminal homing each flyout step is flown in as many samples of at most this length."""

MACH_STEP = 0.05
MACH_GRID = np.arange(0.0, 10.0 + MACH_STEP / 2, MACH_STEP)
"""Uniform Mach grid on which every airframe's drag table is resampled (exact for breakpoints
that are multiples of 0.05; constant beyond the table ends)."""


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


def geodetic_height_m(pos_ecef_m: np.ndarray) -> np.ndarray:
    """Height above the WGS-84 ellipsoid by Bowring's one-step latitude.

    ``tan(theta) = a z / (b p)``, ``tan(phi) = (z + e'^2 b sin^3 theta) / (p - e^2 a cos^3
    theta)``, ``h = p cos(phi) + z sin(phi) - a^2 / N(phi)`` (Bowring, *Survey Review* 23(181),
    1976; the height form stable at all latitudes is from Bowring, *Survey Review* 28(218),
    1985). Sub-millimetre against pyproj from the ground to several hundred kilometres.

    Parameters
    ----------
    pos_ecef_m : ndarray, shape (n, 3)

    Returns
    -------
    ndarray, shape (n,)
        Ellipsoidal height, m.
    """
    x, y, z = pos_ecef_m[:, 0], pos_ecef_m[:, 1], pos_ecef_m[:, 2]
    p = np.hypot(x, y)
    theta = np.arctan2(z * WGS84_A_M, p * WGS84_B_M)
    sin_t, cos_t = np.sin(theta), np.cos(theta)
    lat = np.arctan2(
        z + WGS84_EP2 * WGS84_B_M * sin_t**3,
        p - WGS84_E2 * WGS84_A_M * cos_t**3,
    )
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    a_over_n = np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)  # a / N
    return p * cos_lat + z * sin_lat - WGS84_A_M * a_over_n


def gravitation_mps2(pos_ecef_m: np.ndarray, model: int) -> np.ndarray:
    """Gravitational acceleration (no centrifugal term) of the WGS-84 earth.

    With J2 (e.g. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 8-27)::

        a_xy = -GM r_xy / r^3 [1 + 1.5 J2 (a/r)^2 (1 - 5 z^2/r^2)]
        a_z  = -GM z    / r^3 [1 + 1.5 J2 (a/r)^2 (3 - 5 z^2/r^2)]

    Parameters
    ----------
    pos_ecef_m : ndarray, shape (n, 3)
    model : int
        :data:`GRAVITY_CODES` value: 0 none, 1 central, 2 with J2.

    Returns
    -------
    ndarray, shape (n, 3)
        m/s^2.
    """
    if model == 0:
        return np.zeros_like(pos_ecef_m)
    r2 = _dot(pos_ecef_m, pos_ecef_m)
    r = np.sqrt(r2)
    scale = -WGS84_GM_M3_S2 / (r2 * r)
    if model == 1:
        return scale[:, None] * pos_ecef_m
    k = 1.5 * WGS84_J2 * WGS84_A_M**2 / r2
    z2 = pos_ecef_m[:, 2] ** 2 / r2
    out = np.empty_like(pos_ecef_m)
    out[:, :2] = (scale * (1.0 + k * (1.0 - 5.0 * z2)))[:, None] * pos_ecef_m[:, :2]
    out[:, 2] = scale * (1.0 + k * (3.0 - 5.0 * z2)) * pos_ecef_m[:, 2]
    return out


def gravity_mps2(pos_ecef_m: np.ndarray, model: int, earth_rotation: bool) -> np.ndarray:
    """Gravity felt at rest in the chosen frame: gravitation plus ``-w x (w x r)``."""
    g = gravitation_mps2(pos_ecef_m, model)
    if earth_rotation:
        w2 = EARTH_RATE_RPS**2
        g[:, 0] += w2 * pos_ecef_m[:, 0]
        g[:, 1] += w2 * pos_ecef_m[:, 1]
    return g


def thrust_and_mass(time_s: np.ndarray, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Motor thrust and vehicle mass at a time since launch.

    Boost pulse of constant thrust on ``[0, t_boost)``, optional second (sustain) pulse on
    ``[t_start, t_end)``; propellant burns at a constant specific impulse, so the mass falls in
    proportion to the impulse delivered: ``m(t) = m0 - (m_prop / I_total) I(t)``.
    """
    boost_end = params[:, BOOST_END]
    sustain_start = params[:, SUSTAIN_START]
    sustain_end = params[:, SUSTAIN_END]
    boost_thrust = params[:, BOOST_THRUST]
    sustain_thrust = params[:, SUSTAIN_THRUST]
    thrust = np.where(time_s < boost_end, boost_thrust, 0.0) + np.where(
        (time_s >= sustain_start) & (time_s < sustain_end), sustain_thrust, 0.0
    )
    impulse = boost_thrust * np.minimum(time_s, boost_end) + sustain_thrust * np.clip(
        time_s - sustain_start, 0.0, sustain_end - sustain_start
    )
    mass = params[:, LAUNCH_MASS] - params[:, PROPELLANT_PER_IMPULSE] * impulse
    return thrust, mass


def resample_drag_table(mach, cd0) -> np.ndarray:
    """Zero-lift drag coefficient of a table resampled on :data:`MACH_GRID`, shape (n_grid,)."""
    return np.interp(MACH_GRID, np.asarray(mach, dtype=float), np.asarray(cd0, dtype=float))


def drag_coefficient(mach: np.ndarray, type_index: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row ``type_index`` (n,) of ``table`` (n_types, n_grid) interpolated at ``mach`` (n,)."""
    x = np.clip(mach / MACH_STEP, 0.0, MACH_GRID.size - 1.000001)
    i = x.astype(np.intp)
    f = x - i
    return table[type_index, i] * (1.0 - f) + table[type_index, i + 1] * f


def acceleration_mps2(
    pos: np.ndarray,
    vel: np.ndarray,
    time_s: np.ndarray,
    lateral_cmd: np.ndarray,
    params: np.ndarray,
    drag_table: np.ndarray,
    type_index: np.ndarray,
    gravity: int,
    earth_rotation: bool,
) -> np.ndarray:
    """Point-mass equations of motion in the rotating ECEF frame.

    ``dv/dt = (T - q S C_D0(M)) / m * u_v + a_lat + g(r) - 2 w x v - w x (w x r)``, with thrust
    along the velocity, ``q = rho V^2 / 2`` from the 1976 standard atmosphere (no wind), and
    ``a_lat`` the guidance command with its component along the current velocity removed
    (a point mass steers, it does not throttle).
    """
    speed = np.sqrt(_dot(vel, vel))
    u_v = vel / np.maximum(speed, 1e-9)[:, None]
    atmosphere = us1976(geodetic_height_m(pos))
    mach = speed / atmosphere.speed_of_sound_mps
    cd0 = drag_coefficient(mach, type_index, drag_table)
    drag = 0.5 * atmosphere.density_kg_m3 * speed * speed * params[:, REFERENCE_AREA] * cd0
    thrust, mass = thrust_and_mass(time_s, params)
    axial = (thrust - drag) / mass
    lateral = lateral_cmd - _dot(lateral_cmd, u_v)[:, None] * u_v
    acc = axial[:, None] * u_v + lateral + gravity_mps2(pos, gravity, earth_rotation)
    if earth_rotation:  # Coriolis, -2 w x v
        acc[:, 0] += 2.0 * EARTH_RATE_RPS * vel[:, 1]
        acc[:, 1] -= 2.0 * EARTH_RATE_RPS * vel[:, 0]
    return acc
