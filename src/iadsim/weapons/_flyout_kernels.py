"""Array kernels of the interceptor flyout: earth model, motor, drag, integration, fuzing.

Everything here works on the *active subset* of missiles, one row per missile, in the rotating
WGS-84 earth-centred earth-fixed (ECEF) frame, SI units. The public API is in
:mod:`iadsim.weapons.flyout`.

Two twins implement one step: :func:`advance_reference`, vectorised NumPy that reads like the
equations, and :func:`advance_compiled`, a Numba loop over missiles that is many times faster
for the small batches of envelope building and of a running engagement. A test flies both on
the same engagements and compares them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numba import njit

from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    WGS84_B_M,
    WGS84_E2,
    WGS84_EP2,
    WGS84_GM_M3_S2,
    WGS84_J2,
)
from iadsim.weapons.atmosphere import density_and_speed_of_sound, us1976
from iadsim.weapons.guidance import (
    pn_acceleration,
    pn_acceleration_scalar,
    predicted_intercept_point,
    predicted_intercept_point_scalar,
)

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
N_PARAMS = 17

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


def integrate(
    pos: np.ndarray,
    vel: np.ndarray,
    time_s: np.ndarray,
    dt_s: float,
    lateral_cmd: np.ndarray,
    params: np.ndarray,
    drag_table: np.ndarray,
    gravity: int,
    earth_rotation: bool,
    rk4: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Advance positions and velocities by one fixed step (classical RK4, or midpoint RK2).

    The guidance command is held over the step (zero-order hold, as a sampled autopilot).
    """
    type_index = params[:, TYPE_INDEX].astype(np.intp)

    def f(p: np.ndarray, v: np.ndarray, t: np.ndarray) -> np.ndarray:
        return acceleration_mps2(
            p, v, t, lateral_cmd, params, drag_table, type_index, gravity, earth_rotation
        )

    h = dt_s
    a1 = f(pos, vel, time_s)
    v2 = vel + 0.5 * h * a1
    a2 = f(pos + 0.5 * h * vel, v2, time_s + 0.5 * h)
    if not rk4:
        return pos + h * v2, vel + h * a2
    v3 = vel + 0.5 * h * a2
    a3 = f(pos + 0.5 * h * v2, v3, time_s + 0.5 * h)
    v4 = vel + h * a3
    a4 = f(pos + h * v3, v4, time_s + h)
    new_pos = pos + (h / 6.0) * (vel + 2.0 * v2 + 2.0 * v3 + v4)
    new_vel = vel + (h / 6.0) * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
    return new_pos, new_vel


def closest_approach(
    rel_start_m: np.ndarray, rel_end_m: np.ndarray, dt_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closest approach within a step, assuming constant relative velocity over the step.

    With ``r(t) = r0 + v t`` and ``v = (r1 - r0) / dt``, the range is least at
    ``t* = -r0.v / v.v``; the approach happens inside the step when the range rate changes sign
    there (``r0.v < 0 <= r1.v``), so a fast closure cannot step over the target.

    Parameters
    ----------
    rel_start_m, rel_end_m : ndarray, shape (n, 3)
        Target minus missile position at the start and end of the step, m.
    dt_s : float
        Step length, s.

    Returns
    -------
    inside : ndarray of bool, shape (n,)
        Closest approach falls in ``(0, dt]``.
    t_star_s : ndarray, shape (n,)
        Time of closest approach after the step start, clipped to ``[0, dt]``.
    miss_m : ndarray, shape (n,)
        Range at ``t_star_s``, m.
    """
    v = (rel_end_m - rel_start_m) / dt_s
    r0v = _dot(rel_start_m, v)
    vv = _dot(v, v)
    inside = (r0v < 0.0) & (r0v + vv * dt_s >= 0.0)
    t_star = np.clip(-r0v / np.maximum(vv, 1e-300), 0.0, dt_s)
    closest = rel_start_m + v * t_star[:, None]
    return inside, t_star, np.sqrt(_dot(closest, closest))


def guidance_command(
    pos, vel, phase, params, track_pos, track_vel, rel_pos, rel_vel, gravity, earth_rotation,
    gravity_compensation, true_pn,
) -> np.ndarray:  # fmt: skip
    """Limited lateral acceleration command of each missile (zero when not guided), m/s^2.

    Midcourse: PN toward a stationary aimpoint raised above the predicted intercept point (PIP)
    by ``loft_gain`` times the remaining ground distance. Terminal: PN on the true target.
    Then ``-g`` normal to the velocity is added (gravity compensation) and the magnitude is
    limited to the load-factor limit.
    """
    speed = np.sqrt(_dot(vel, vel))
    nav = params[:, NAV_CONSTANT]
    law: Literal["true", "pure"] = "true" if true_pn else "pure"
    assumed_speed = np.maximum(speed, params[:, MEAN_SPEED])
    pip, _, _ = predicted_intercept_point(track_pos, track_vel, pos, assumed_speed)
    to_pip = pip - pos
    up = pip / np.sqrt(_dot(pip, pip))[:, None]
    ground_to_go = to_pip - _dot(to_pip, up)[:, None] * up
    aim = pip + (params[:, LOFT_GAIN] * np.sqrt(_dot(ground_to_go, ground_to_go)))[:, None] * up
    midcourse = pn_acceleration(aim - pos, -vel, vel, nav, law)
    terminal = pn_acceleration(rel_pos, rel_vel, vel, nav, law)
    command = np.where((phase == TERMINAL)[:, None], terminal, midcourse)
    if gravity_compensation:
        g = gravity_mps2(pos, gravity, earth_rotation)
        u_v = vel / np.maximum(speed, 1e-9)[:, None]
        command -= g - _dot(g, u_v)[:, None] * u_v
    command[(phase != MIDCOURSE) & (phase != TERMINAL)] = 0.0
    magnitude = np.sqrt(_dot(command, command))
    limit = params[:, MAX_ACCEL]
    return command * np.where(magnitude > limit, limit / np.maximum(magnitude, 1e-12), 1.0)[:, None]


def advance_reference(
    pos, vel, time_s, phase, params, drag_table, track_pos, track_vel, valid, target_pos,
    target_vel, dt_s, gravity, earth_rotation, gravity_compensation, true_pn, rk4, arming_time_s,
):  # fmt: skip
    """One flyout step of the active missiles, vectorised NumPy reference.

    Parameters
    ----------
    pos, vel : ndarray, shape (n, 3)
        ECEF position (m) and velocity (m/s) at the step start.
    time_s : ndarray, shape (n,)
        Time since launch.
    phase : ndarray of int8, shape (n,)
    params : ndarray, shape (n, N_PARAMS)
    drag_table : ndarray, shape (n_types, n_mach)
    track_pos, track_vel : ndarray, shape (n, 3)
        Fire-control track of the target.
    valid : ndarray of bool, shape (n,)
        Track validity.
    target_pos, target_vel : ndarray, shape (n, 3)
        True target state at the step start.
    dt_s : float
    gravity : int
        :data:`GRAVITY_CODES` value.
    earth_rotation, gravity_compensation, true_pn, rk4 : bool
    arming_time_s : float

    Returns
    -------
    pos, vel : ndarray, shape (n, 3)
        State at the step end.
    mass : ndarray, shape (n,)
        Mass at the step end, kg.
    phase : ndarray of int8, shape (n,)
        New phase (``DONE`` where the flyout ended).
    command : ndarray, shape (n, 3)
        Lateral acceleration command held over the step.
    reason : ndarray of int8, shape (n,)
        End reason, 0 where the flyout goes on.
    t_event : ndarray, shape (n,)
        Time of the end after the step start (closest approach interpolated, else ``dt_s``).
    miss : ndarray, shape (n,)
        Distance to the target at the closest approach (meaningful where it ended there).
    """
    phase = phase.copy()
    rel_pos = target_pos - pos
    rel_vel = target_vel - vel
    # Track loss is permanent, except for an active seeker that is already homing.
    guided = (phase == MIDCOURSE) | (phase == TERMINAL)
    homing_alone = (phase == TERMINAL) & (params[:, ACTIVE_SEEKER] > 0)
    phase[~valid & guided & ~homing_alone] = BALLISTIC
    acquired = (phase == MIDCOURSE) & (np.sqrt(_dot(rel_pos, rel_pos)) <= params[:, SEEKER_RANGE])
    phase[acquired] = TERMINAL

    command = guidance_command(
        pos, vel, phase, params, track_pos, track_vel, rel_pos, rel_vel, gravity,
        earth_rotation, gravity_compensation, true_pn,
    )  # fmt: skip
    pos1, vel1 = integrate(
        pos, vel, time_s, dt_s, command, params, drag_table, gravity, earth_rotation, rk4
    )
    t1 = time_s + dt_s
    inside, t_star, miss = closest_approach(rel_pos, target_pos + target_vel * dt_s - pos1, dt_s)
    armed = t1 >= arming_time_s
    motor_end = np.maximum(params[:, BOOST_END], params[:, SUSTAIN_END])
    fuzed = inside & armed
    reason = np.select(
        [
            fuzed,
            armed & (geodetic_height_m(pos1) < 0.0),
            (t1 > motor_end) & (np.sqrt(_dot(vel1, vel1)) < params[:, MIN_SPEED]),
            t1 >= params[:, MAX_FLIGHT_TIME],
        ],
        [CLOSEST_APPROACH, GROUND_IMPACT, MIN_SPEED_REACHED, MAX_TIME_REACHED],
        default=0,
    ).astype(np.int8)
    phase[reason > 0] = DONE
    mass1 = thrust_and_mass(t1, params)[1]
    return pos1, vel1, mass1, phase, command, reason, np.where(fuzed, t_star, dt_s), miss


# ---------------------------------------------------------------------------------------------
# Compiled twin: the same equations, one missile at a time.


@njit(cache=True)
def _height_scalar(x: float, y: float, z: float) -> float:
    p = np.hypot(x, y)
    theta = np.arctan2(z * WGS84_A_M, p * WGS84_B_M)
    st, ct = np.sin(theta), np.cos(theta)
    lat = np.arctan2(z + WGS84_EP2 * WGS84_B_M * st**3, p - WGS84_E2 * WGS84_A_M * ct**3)
    sl, cl = np.sin(lat), np.cos(lat)
    return p * cl + z * sl - WGS84_A_M * np.sqrt(1.0 - WGS84_E2 * sl * sl)


@njit(cache=True)
def _gravity_scalar(x: float, y: float, z: float, model: int, centrifugal: bool):
    gx = gy = gz = 0.0
    if model > 0:
        r2 = x * x + y * y + z * z
        scale = -WGS84_GM_M3_S2 / (r2 * np.sqrt(r2))
        kxy = kz = 1.0
        if model == 2:
            k = 1.5 * WGS84_J2 * WGS84_A_M**2 / r2
            z2 = z * z / r2
            kxy = 1.0 + k * (1.0 - 5.0 * z2)
            kz = 1.0 + k * (3.0 - 5.0 * z2)
        gx, gy, gz = scale * kxy * x, scale * kxy * y, scale * kz * z
    if centrifugal:
        gx += EARTH_RATE_RPS**2 * x
        gy += EARTH_RATE_RPS**2 * y
    return gx, gy, gz


@njit(cache=True)
def _motor_scalar(t: float, prm) -> tuple[float, float]:
    boost_end, s0, s1 = prm[BOOST_END], prm[SUSTAIN_START], prm[SUSTAIN_END]
    thrust = 0.0
    if t < boost_end:
        thrust += prm[BOOST_THRUST]
    if s0 <= t < s1:
        thrust += prm[SUSTAIN_THRUST]
    impulse = prm[BOOST_THRUST] * min(t, boost_end) + prm[SUSTAIN_THRUST] * min(
        max(t - s0, 0.0), s1 - s0
    )
    return thrust, prm[LAUNCH_MASS] - prm[PROPELLANT_PER_IMPULSE] * impulse


@njit(cache=True)
def _accel_scalar(px, py, pz, vx, vy, vz, t, cx, cy, cz, prm, table, gravity, rotation):
    speed = np.sqrt(vx * vx + vy * vy + vz * vz)
    inv = 1.0 / max(speed, 1e-9)
    ux, uy, uz = vx * inv, vy * inv, vz * inv
    rho, sound = density_and_speed_of_sound(_height_scalar(px, py, pz))
    x = min(speed / sound / MACH_STEP, MACH_GRID.size - 1.000001)
    i = int(x)
    cd0 = table[i] * (1.0 - (x - i)) + table[i + 1] * (x - i)
    drag = 0.5 * rho * speed * speed * prm[REFERENCE_AREA] * cd0
    thrust, mass = _motor_scalar(t, prm)
    axial = (thrust - drag) / mass
    along = cx * ux + cy * uy + cz * uz
    gx, gy, gz = _gravity_scalar(px, py, pz, gravity, False)
    ax = axial * ux + cx - along * ux + gx
    ay = axial * uy + cy - along * uy + gy
    az = axial * uz + cz - along * uz + gz
    if rotation:
        w = EARTH_RATE_RPS
        ax += 2.0 * w * vy + w * w * px
        ay += -2.0 * w * vx + w * w * py
    return ax, ay, az


@njit(cache=True)
def _command_scalar(p, v, ph, prm, tp, tv, rp, rv, gravity, rotation, compensation, true_pn):
    if ph != MIDCOURSE and ph != TERMINAL:
        return 0.0, 0.0, 0.0
    nav = prm[NAV_CONSTANT]
    speed = np.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    if ph == TERMINAL:
        cx, cy, cz = pn_acceleration_scalar(
            rp[0], rp[1], rp[2], rv[0], rv[1], rv[2], v[0], v[1], v[2], nav, true_pn
        )
    else:
        assumed = max(speed, prm[MEAN_SPEED])
        qx, qy, qz, _ = predicted_intercept_point_scalar(
            tp[0], tp[1], tp[2], tv[0], tv[1], tv[2], p[0], p[1], p[2], assumed
        )
        norm = np.sqrt(qx * qx + qy * qy + qz * qz)
        ux, uy, uz = qx / norm, qy / norm, qz / norm
        dx, dy, dz = qx - p[0], qy - p[1], qz - p[2]
        up = dx * ux + dy * uy + dz * uz
        ground = np.sqrt((dx - up * ux) ** 2 + (dy - up * uy) ** 2 + (dz - up * uz) ** 2)
        lift = prm[LOFT_GAIN] * ground
        ax, ay, az = dx + lift * ux, dy + lift * uy, dz + lift * uz
        cx, cy, cz = pn_acceleration_scalar(
            ax, ay, az, -v[0], -v[1], -v[2], v[0], v[1], v[2], nav, true_pn
        )
    if compensation:
        gx, gy, gz = _gravity_scalar(p[0], p[1], p[2], gravity, rotation)
        inv = 1.0 / max(speed, 1e-9)
        along = (gx * v[0] + gy * v[1] + gz * v[2]) * inv * inv
        cx -= gx - along * v[0]
        cy -= gy - along * v[1]
        cz -= gz - along * v[2]
    magnitude = np.sqrt(cx * cx + cy * cy + cz * cz)
    if magnitude > prm[MAX_ACCEL]:
        scale = prm[MAX_ACCEL] / magnitude
        cx, cy, cz = cx * scale, cy * scale, cz * scale
    return cx, cy, cz


@njit(cache=True)
def advance_compiled(
    pos, vel, time_s, phase, params, drag_table, track_pos, track_vel, valid, target_pos,
    target_vel, dt_s, gravity, earth_rotation, gravity_compensation, true_pn, rk4, arming_time_s,
):  # fmt: skip
    """Compiled twin of :func:`advance_reference`: same arguments, same results."""
    n = pos.shape[0]
    pos1, vel1 = np.empty_like(pos), np.empty_like(vel)
    mass1 = np.empty(n)
    phase1 = phase.copy()
    command = np.zeros_like(pos)
    reason = np.zeros(n, dtype=np.int8)
    t_event = np.full(n, dt_s)
    miss = np.zeros(n)
    h = dt_s
    for i in range(n):
        prm = params[i]
        table = drag_table[int(prm[TYPE_INDEX])]
        p = (pos[i, 0], pos[i, 1], pos[i, 2])
        v = (vel[i, 0], vel[i, 1], vel[i, 2])
        t = time_s[i]
        rp = (target_pos[i, 0] - p[0], target_pos[i, 1] - p[1], target_pos[i, 2] - p[2])
        rv = (target_vel[i, 0] - v[0], target_vel[i, 1] - v[1], target_vel[i, 2] - v[2])
        ph = phase1[i]
        guided = ph in (MIDCOURSE, TERMINAL)
        if guided and not valid[i] and not (ph == TERMINAL and prm[ACTIVE_SEEKER] > 0):
            ph = BALLISTIC
        if ph == MIDCOURSE and np.sqrt(rp[0] ** 2 + rp[1] ** 2 + rp[2] ** 2) <= prm[SEEKER_RANGE]:
            ph = TERMINAL
        c = _command_scalar(
            p, v, ph, prm, track_pos[i], track_vel[i], rp, rv, gravity, earth_rotation,
            gravity_compensation, true_pn,
        )  # fmt: skip
        command[i, 0], command[i, 1], command[i, 2] = c
        a1 = _accel_scalar(*p, *v, t, *c, prm, table, gravity, earth_rotation)
        v2 = (v[0] + 0.5 * h * a1[0], v[1] + 0.5 * h * a1[1], v[2] + 0.5 * h * a1[2])
        p2 = (p[0] + 0.5 * h * v[0], p[1] + 0.5 * h * v[1], p[2] + 0.5 * h * v[2])
        a2 = _accel_scalar(*p2, *v2, t + 0.5 * h, *c, prm, table, gravity, earth_rotation)
        if rk4:
            v3 = (v[0] + 0.5 * h * a2[0], v[1] + 0.5 * h * a2[1], v[2] + 0.5 * h * a2[2])
            p3 = (p[0] + 0.5 * h * v2[0], p[1] + 0.5 * h * v2[1], p[2] + 0.5 * h * v2[2])
            a3 = _accel_scalar(*p3, *v3, t + 0.5 * h, *c, prm, table, gravity, earth_rotation)
            v4 = (v[0] + h * a3[0], v[1] + h * a3[1], v[2] + h * a3[2])
            p4 = (p[0] + h * v3[0], p[1] + h * v3[1], p[2] + h * v3[2])
            a4 = _accel_scalar(*p4, *v4, t + h, *c, prm, table, gravity, earth_rotation)
            for j in range(3):
                pos1[i, j] = p[j] + h / 6.0 * (v[j] + 2.0 * v2[j] + 2.0 * v3[j] + v4[j])
                vel1[i, j] = v[j] + h / 6.0 * (a1[j] + 2.0 * a2[j] + 2.0 * a3[j] + a4[j])
        else:
            for j in range(3):
                pos1[i, j] = p[j] + h * v2[j]
                vel1[i, j] = v[j] + h * a2[j]
        # Closest approach inside the step at constant relative velocity (see closest_approach).
        r0v = vv = 0.0
        rel_v = np.empty(3)
        for j in range(3):
            rel_v[j] = (target_pos[i, j] + target_vel[i, j] * h - pos1[i, j] - rp[j]) / h
            r0v += rp[j] * rel_v[j]
            vv += rel_v[j] * rel_v[j]
        t_star = min(max(-r0v / max(vv, 1e-300), 0.0), h)
        miss[i] = np.sqrt(
            (rp[0] + rel_v[0] * t_star) ** 2
            + (rp[1] + rel_v[1] * t_star) ** 2
            + (rp[2] + rel_v[2] * t_star) ** 2
        )
        t1 = t + h
        mass1[i] = _motor_scalar(t1, prm)[1]
        armed = t1 >= arming_time_s
        speed1 = np.sqrt(vel1[i, 0] ** 2 + vel1[i, 1] ** 2 + vel1[i, 2] ** 2)
        if armed and r0v < 0.0 <= r0v + vv * h:
            reason[i] = CLOSEST_APPROACH
            t_event[i] = t_star
        elif armed and _height_scalar(pos1[i, 0], pos1[i, 1], pos1[i, 2]) < 0.0:
            reason[i] = GROUND_IMPACT
        elif t1 > max(prm[BOOST_END], prm[SUSTAIN_END]) and speed1 < prm[MIN_SPEED]:
            reason[i] = MIN_SPEED_REACHED
        elif t1 >= prm[MAX_FLIGHT_TIME]:
            reason[i] = MAX_TIME_REACHED
        phase1[i] = DONE if reason[i] > 0 else ph
    return pos1, vel1, mass1, phase1, command, reason, t_event, miss
