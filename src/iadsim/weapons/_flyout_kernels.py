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

import math
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
from iadsim.weapons.autopilot import lag_response, lag_scalar, limited, limited_scalar
from iadsim.weapons.fuzing import closest_approach, closest_approach_scalar
from iadsim.weapons.guidance import (
    pn_acceleration,
    pn_acceleration_scalar,
    pn_from_line_of_sight_rate,
    pn_from_line_of_sight_rate_scalar,
    predicted_intercept_point,
    predicted_intercept_point_scalar,
)
from iadsim.weapons.seeker import (
    acquisition_range_m,
    acquisition_range_scalar,
    glint_step,
    glint_step_scalar,
    measured_line_of_sight,
    measured_line_of_sight_scalar,
    noise_sigma_m,
    noise_sigma_scalar,
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


def integrate(
    pos: np.ndarray,
    vel: np.ndarray,
    time_s: np.ndarray,
    dt_s: float,
    lateral_start: np.ndarray,
    lateral_mid: np.ndarray,
    lateral_end: np.ndarray,
    params: np.ndarray,
    drag_table: np.ndarray,
    gravity: int,
    earth_rotation: bool,
    rk4: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Advance positions and velocities by one fixed step (classical RK4, or midpoint RK2).

    The achieved lateral acceleration is given at the start, middle and end of the step (the
    autopilot lag's exact response to a command held over the step, :func:`lag_response`).
    """
    type_index = params[:, TYPE_INDEX].astype(np.intp)

    def f(p: np.ndarray, v: np.ndarray, t: np.ndarray, lateral: np.ndarray) -> np.ndarray:
        return acceleration_mps2(
            p, v, t, lateral, params, drag_table, type_index, gravity, earth_rotation
        )

    h = dt_s
    a1 = f(pos, vel, time_s, lateral_start)
    v2 = vel + 0.5 * h * a1
    a2 = f(pos + 0.5 * h * vel, v2, time_s + 0.5 * h, lateral_mid)
    if not rk4:
        return pos + h * v2, vel + h * a2
    v3 = vel + 0.5 * h * a2
    a3 = f(pos + 0.5 * h * v2, v3, time_s + 0.5 * h, lateral_mid)
    v4 = vel + h * a3
    a4 = f(pos + h * v3, v4, time_s + h, lateral_end)
    new_pos = pos + (h / 6.0) * (vel + 2.0 * v2 + 2.0 * v3 + v4)
    new_vel = vel + (h / 6.0) * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
    return new_pos, new_vel


def seeker_acquisition_range(params: np.ndarray, rcs_m2: np.ndarray, target_pos: np.ndarray):
    """Lock-on range of each missile's seeker on its target, m (:mod:`..seeker`)."""
    to_target = target_pos - params[:, LAUNCH_X : LAUNCH_Z + 1]
    illuminator = np.sqrt(_dot(to_target, to_target))
    return acquisition_range_m(
        params[:, SEEKER_RANGE],
        params[:, SEEKER_REFERENCE_RCS],
        rcs_m2,
        params[:, ACTIVE_SEEKER] > 0,
        params[:, SEEKER_ILLUMINATOR_RANGE],
        illuminator,
    )


def seeker_measurement(
    rel_pos, rel_vel, previous_los, previous_glint, acquisition, params, glint, noise, dt_s
):
    """What the seeker gives terminal guidance at one sample: LOS rate, LOS and closing speed.

    The LOS is measured with white angle noise and correlated glint
    (:mod:`iadsim.weapons.seeker`; ``noise`` (n, 6): three draws for each) and its rate is
    the difference of two successive measurements over the sample interval (the ideal
    differentiator of Zarchan's single-lag homing loop); on the first sample after lock-on no
    rate is known yet and zero is used. The closing speed is the seeker's Doppler (taken as
    exact: its error scales the gain, it does not steer).

    Returns
    -------
    los_rate : (n, 3) rad/s
    los : (n, 3) measured unit LOS
    closing : (n,) m/s
    glint : (n, 3) glint offset now, m
    """
    range_m = np.sqrt(_dot(rel_pos, rel_pos))
    sigma = noise_sigma_m(
        range_m, acquisition, params[:, SEEKER_ANGLE_NOISE], params[:, SEEKER_THERMAL_NOISE],
        params[:, ACTIVE_SEEKER] > 0,
    )  # fmt: skip
    known = _dot(previous_los, previous_los) > 0.0
    glint_now = glint_step(previous_glint, glint, dt_s, noise[:, 3:6], ~known)
    los = measured_line_of_sight(rel_pos, sigma[:, None] * noise[:, 0:3] + glint_now)
    los_rate = np.where(known[:, None], np.cross(previous_los, los) / dt_s, 0.0)
    closing = -_dot(rel_pos, rel_vel) / np.maximum(range_m, 1e-9)
    return los_rate, los, closing, glint_now


def guidance_command(
    pos, vel, phase, params, track_pos, track_vel, los_rate, los, closing, gravity,
    earth_rotation, gravity_compensation, true_pn,
) -> np.ndarray:  # fmt: skip
    """Lateral acceleration command of each missile (zero when not guided), m/s^2.

    Midcourse: PN toward a stationary aimpoint raised above the predicted intercept point (PIP)
    of the fire-control track by ``loft_gain`` times the remaining ground distance. Terminal:
    PN on the seeker's measured LOS rate (:func:`seeker_measurement`). Then ``-g`` normal to
    the velocity is added (gravity compensation). The command passes through the autopilot
    lag, and the airframe achieves at most its load-factor limit (:func:`limited`): the lag
    smooths the seeker noise before the limit clips, as a flight-control system does.
    """
    speed = np.sqrt(_dot(vel, vel))
    nav = params[:, NAV_CONSTANT]
    law: Literal["true", "pure"] = "true" if true_pn else "pure"
    assumed_speed = np.maximum(speed, params[:, MEAN_SPEED])
    pip, _, _ = predicted_intercept_point(track_pos, track_vel, pos, assumed_speed)
    to_pip = pip - pos
    up = pip / np.sqrt(_dot(pip, pip))[:, None]
    ground_to_go = to_pip - _dot(to_pip, up)[:, None] * up
    ground = np.sqrt(_dot(ground_to_go, ground_to_go))
    aim = (
        pip
        + (params[:, LOFT_GAIN] * ground * loft_taper(ground, params[:, SEEKER_RANGE]))[:, None]
        * up
    )
    midcourse = pn_acceleration(aim - pos, -vel, vel, nav, law)
    terminal = pn_from_line_of_sight_rate(los_rate, los, closing, vel, nav, law)
    command = np.where((phase == TERMINAL)[:, None], terminal, midcourse)
    if gravity_compensation:
        g = gravity_mps2(pos, gravity, earth_rotation)
        u_v = vel / np.maximum(speed, 1e-9)[:, None]
        command -= g - _dot(g, u_v)[:, None] * u_v
    command[(phase != MIDCOURSE) & (phase != TERMINAL)] = 0.0
    return command


def loft_taper(ground_to_go_m: np.ndarray, handover_m: np.ndarray) -> np.ndarray:
    """Fraction of the midcourse loft kept at a ground distance to go, (n,).

    The loft comes down linearly from twice the seeker's nominal lock-on range to that range,
    so that the missile flies at the predicted intercept point, with the target ahead of its
    seeker, when it hands over to terminal homing: ``clip((g - R_acq) / R_acq, 0, 1)``
    (1 everywhere when the seeker homes from launch).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        taper = np.clip((ground_to_go_m - handover_m) / handover_m, 0.0, 1.0)
    return np.where(np.isfinite(handover_m), taper, 1.0)


def guidance_samples(dt_s: float) -> int:
    """Guidance samples per flyout step in terminal homing (:data:`TERMINAL_GUIDANCE_STEP_S`)."""
    return max(1, math.ceil(dt_s / TERMINAL_GUIDANCE_STEP_S - 1e-9))


def advance_reference(
    pos, vel, time_s, phase, params, drag_table, track_pos, track_vel, valid, target_pos,
    target_vel, lateral, los, glint_state, target_rcs, glint, noise, dt_s, gravity,
    earth_rotation, gravity_compensation, true_pn, rk4, arming_time_s,
):  # fmt: skip
    """One flyout step of the active missiles, vectorised NumPy reference.

    Missiles in terminal homing fly the step in ``noise.shape[1]`` guidance samples, the
    others in one; the guidance command of each sample goes through the autopilot lag
    (:func:`lag_response`), and fuzing looks for the closest approach inside every sample
    (:func:`closest_approach`).

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
        Fire-control track of the target (midcourse guidance).
    valid : ndarray of bool, shape (n,)
        Track validity.
    target_pos, target_vel : ndarray, shape (n, 3)
        True target state at the step start: what the seeker looks at (through its noise),
        and the fuze.
    lateral : ndarray, shape (n, 3)
        Achieved lateral acceleration at the step start (autopilot lag state), m/s^2.
    los : ndarray, shape (n, 3)
        Seeker's last measured LOS (zeros: none yet).
    glint_state : ndarray, shape (n, 3)
        Glint offset at the last sample, ECEF, m.
    target_rcs : ndarray, shape (n,)
        Target RCS the seeker sees, m^2.
    glint : ndarray, shape (n,)
        One-sigma glint of the target, m.
    noise : ndarray, shape (n, n_samples, 6)
        Standard normal draws of the seeker's noise per guidance sample: angle noise (3),
        glint (3).
    dt_s : float
    gravity : int
        :data:`GRAVITY_CODES` value.
    earth_rotation, gravity_compensation, true_pn, rk4 : bool
    arming_time_s : float

    Returns
    -------
    pos, vel : ndarray, shape (n, 3)
        State at the step end, or at the closest approach where the flyout ended there.
    mass : ndarray, shape (n,)
        Mass at that instant, kg.
    phase : ndarray of int8, shape (n,)
        New phase (``DONE`` where the flyout ended).
    command : ndarray, shape (n, 3)
        Lateral acceleration command of the last guidance sample.
    lateral : ndarray, shape (n, 3)
        Autopilot lag state at that instant (the achieved acceleration before the airframe's
        limit).
    los : ndarray, shape (n, 3)
        Seeker's last measured LOS.
    glint_state : ndarray, shape (n, 3)
    reason : ndarray of int8, shape (n,)
        End reason, 0 where the flyout goes on.
    t_event : ndarray, shape (n,)
        Time of the end after the step start (closest approach interpolated, else ``dt_s``).
    miss : ndarray, shape (n,)
        Distance to the target at the closest approach (meaningful where it ended there).
    """
    phase = phase.copy()
    n = pos.shape[0]
    rel_pos = target_pos - pos
    # Track loss is permanent, except for an active seeker that is already homing.
    guided = (phase == MIDCOURSE) | (phase == TERMINAL)
    homing_alone = (phase == TERMINAL) & (params[:, ACTIVE_SEEKER] > 0)
    phase[~valid & guided & ~homing_alone] = BALLISTIC
    acquisition = seeker_acquisition_range(params, target_rcs, target_pos)
    acquired = (phase == MIDCOURSE) & (np.sqrt(_dot(rel_pos, rel_pos)) <= acquisition)
    phase[acquired] = TERMINAL
    los = np.where((phase == TERMINAL)[:, None], los, 0.0)
    glint_state = glint_state.copy()

    pos1, vel1, lateral1 = pos.copy(), vel.copy(), lateral.copy()
    command = np.zeros_like(pos)
    fuzed = np.zeros(n, dtype=bool)
    t_event = np.full(n, dt_s)
    miss = np.zeros(n)
    tau = params[:, AUTOPILOT_TIME_CONSTANT]
    terminal = phase == TERMINAL
    samples = noise.shape[1]
    for rows, count in ((np.flatnonzero(~terminal), 1), (np.flatnonzero(terminal), samples)):
        h = dt_s / count
        for j in range(count):
            rows = rows[~fuzed[rows]]
            offset = j * h
            p, v, prm = pos1[rows], vel1[rows], params[rows]
            tv = target_vel[rows]
            rel = target_pos[rows] + tv * offset - p
            los_rate, measured, closing, glint_now = seeker_measurement(
                rel, tv - v, los[rows], glint_state[rows], acquisition[rows], prm, glint[rows],
                noise[rows, j], h,
            )  # fmt: skip
            los[rows] = np.where(terminal[rows, None], measured, 0.0)
            glint_state[rows] = glint_now
            c = guidance_command(
                p, v, phase[rows], prm, track_pos[rows], track_vel[rows], los_rate, measured,
                closing, gravity, earth_rotation, gravity_compensation, true_pn,
            )  # fmt: skip
            a0 = lateral1[rows]
            mid = lag_response(a0, c, 0.5 * h, tau[rows])
            end = lag_response(a0, c, h, tau[rows])
            most = prm[:, MAX_ACCEL]
            p1, v1 = integrate(
                p, v, time_s[rows] + offset, h, limited(a0, most), limited(mid, most),
                limited(end, most), prm, drag_table, gravity, earth_rotation, rk4,
            )  # fmt: skip
            rel1 = target_pos[rows] + tv * (offset + h) - p1
            inside, t_star, rel_at, rel_vel = closest_approach(rel, tv - v, rel1, tv - v1, h)
            hit = inside & (time_s[rows] + offset + h >= arming_time_s)
            command[rows], lateral1[rows] = c, end
            pos1[rows], vel1[rows] = p1, v1
            done = rows[hit]
            t_hit = t_star[hit]
            fuzed[done] = True
            t_event[done] = offset + t_hit
            miss[done] = np.sqrt(_dot(rel_at[hit], rel_at[hit]))
            pos1[done] = target_pos[done] + tv[hit] * (offset + t_hit)[:, None] - rel_at[hit]
            vel1[done] = tv[hit] - rel_vel[hit]
            lateral1[done] = lag_response(a0[hit], c[hit], t_hit, tau[done])
    t1 = time_s + dt_s
    armed = t1 >= arming_time_s
    motor_end = np.maximum(params[:, BOOST_END], params[:, SUSTAIN_END])
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
    mass1 = thrust_and_mass(time_s + t_event, params)[1]
    return pos1, vel1, mass1, phase, command, lateral1, los, glint_state, reason, t_event, miss


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
def _command_scalar(p, v, ph, prm, tp, tv, w, u, closing, gravity, rotation, compensation, true_pn):
    if ph != MIDCOURSE and ph != TERMINAL:
        return 0.0, 0.0, 0.0
    nav = prm[NAV_CONSTANT]
    speed = np.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    if ph == TERMINAL:
        cx, cy, cz = pn_from_line_of_sight_rate_scalar(
            w[0], w[1], w[2], u[0], u[1], u[2], closing, v[0], v[1], v[2], nav, true_pn
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
        handover = prm[SEEKER_RANGE]
        taper = min(max((ground - handover) / handover, 0.0), 1.0) if handover < np.inf else 1.0
        lift = prm[LOFT_GAIN] * ground * taper
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
    return cx, cy, cz


@njit(cache=True)
def advance_compiled(
    pos, vel, time_s, phase, params, drag_table, track_pos, track_vel, valid, target_pos,
    target_vel, lateral, los, glint_state, target_rcs, glint, noise, dt_s, gravity,
    earth_rotation, gravity_compensation, true_pn, rk4, arming_time_s,
):  # fmt: skip
    """Compiled twin of :func:`advance_reference`: same arguments, same results."""
    n = pos.shape[0]
    pos1, vel1 = pos.copy(), vel.copy()
    lateral1, los1, glint1 = lateral.copy(), los.copy(), glint_state.copy()
    mass1 = np.empty(n)
    phase1 = phase.copy()
    command = np.zeros_like(pos)
    reason = np.zeros(n, dtype=np.int8)
    t_event = np.full(n, dt_s)
    miss = np.zeros(n)
    samples = noise.shape[1]
    r0, v0, r1, v1 = np.empty(3), np.empty(3), np.empty(3), np.empty(3)
    for i in range(n):
        prm = params[i]
        table = drag_table[int(prm[TYPE_INDEX])]
        p = (pos[i, 0], pos[i, 1], pos[i, 2])
        v = (vel[i, 0], vel[i, 1], vel[i, 2])
        t = time_s[i]
        tp, tv = target_pos[i], target_vel[i]
        ph = phase1[i]
        guided = ph in (MIDCOURSE, TERMINAL)
        if guided and not valid[i] and not (ph == TERMINAL and prm[ACTIVE_SEEKER] > 0):
            ph = BALLISTIC
        active = prm[ACTIVE_SEEKER] > 0
        illuminator = np.sqrt(
            (tp[0] - prm[LAUNCH_X]) ** 2
            + (tp[1] - prm[LAUNCH_Y]) ** 2
            + (tp[2] - prm[LAUNCH_Z]) ** 2
        )
        acquisition = acquisition_range_scalar(
            prm[SEEKER_RANGE], prm[SEEKER_REFERENCE_RCS], target_rcs[i], active,
            prm[SEEKER_ILLUMINATOR_RANGE], illuminator,
        )  # fmt: skip
        range0 = np.sqrt((tp[0] - p[0]) ** 2 + (tp[1] - p[1]) ** 2 + (tp[2] - p[2]) ** 2)
        if ph == MIDCOURSE and range0 <= acquisition:
            ph = TERMINAL
        lx, ly, lz = (los[i, 0], los[i, 1], los[i, 2]) if ph == TERMINAL else (0.0, 0.0, 0.0)
        g = (glint_state[i, 0], glint_state[i, 1], glint_state[i, 2])
        count = samples if ph == TERMINAL else 1
        h = dt_s / count
        a0 = (lateral[i, 0], lateral[i, 1], lateral[i, 2])
        tau = prm[AUTOPILOT_TIME_CONSTANT]
        fuzed = False
        for j in range(count):
            offset = j * h
            for k in range(3):
                r0[k] = tp[k] + tv[k] * offset - p[k]
                v0[k] = tv[k] - v[k]
            rng = np.sqrt(r0[0] ** 2 + r0[1] ** 2 + r0[2] ** 2)
            sigma = noise_sigma_scalar(
                rng, acquisition, prm[SEEKER_ANGLE_NOISE], prm[SEEKER_THERMAL_NOISE], active
            )
            known = lx * lx + ly * ly + lz * lz > 0.0
            g = glint_step_scalar(g, glint[i], h, noise[i, j, 3:6], not known)
            u = measured_line_of_sight_scalar(
                r0[0], r0[1], r0[2], sigma * noise[i, j, 0] + g[0], sigma * noise[i, j, 1] + g[1],
                sigma * noise[i, j, 2] + g[2],
            )  # fmt: skip
            w = (0.0, 0.0, 0.0)
            if known:
                w = (
                    (ly * u[2] - lz * u[1]) / h,
                    (lz * u[0] - lx * u[2]) / h,
                    (lx * u[1] - ly * u[0]) / h,
                )
            closing = -(r0[0] * v0[0] + r0[1] * v0[1] + r0[2] * v0[2]) / max(rng, 1e-9)
            if ph == TERMINAL:
                lx, ly, lz = u
            c = _command_scalar(
                p, v, ph, prm, track_pos[i], track_vel[i], w, u, closing, gravity,
                earth_rotation, gravity_compensation, true_pn,
            )  # fmt: skip
            mid = (
                lag_scalar(a0[0], c[0], 0.5 * h, tau),
                lag_scalar(a0[1], c[1], 0.5 * h, tau),
                lag_scalar(a0[2], c[2], 0.5 * h, tau),
            )
            end = (
                lag_scalar(a0[0], c[0], h, tau),
                lag_scalar(a0[1], c[1], h, tau),
                lag_scalar(a0[2], c[2], h, tau),
            )
            ts = t + offset
            most = prm[MAX_ACCEL]
            l0, lm, le = (
                limited_scalar(a0, most),
                limited_scalar(mid, most),
                limited_scalar(end, most),
            )
            a1 = _accel_scalar(*p, *v, ts, *l0, prm, table, gravity, earth_rotation)
            v2 = (v[0] + 0.5 * h * a1[0], v[1] + 0.5 * h * a1[1], v[2] + 0.5 * h * a1[2])
            p2 = (p[0] + 0.5 * h * v[0], p[1] + 0.5 * h * v[1], p[2] + 0.5 * h * v[2])
            a2 = _accel_scalar(*p2, *v2, ts + 0.5 * h, *lm, prm, table, gravity, earth_rotation)
            if rk4:
                v3 = (v[0] + 0.5 * h * a2[0], v[1] + 0.5 * h * a2[1], v[2] + 0.5 * h * a2[2])
                p3 = (p[0] + 0.5 * h * v2[0], p[1] + 0.5 * h * v2[1], p[2] + 0.5 * h * v2[2])
                a3 = _accel_scalar(*p3, *v3, ts + 0.5 * h, *lm, prm, table, gravity, earth_rotation)
                v4 = (v[0] + h * a3[0], v[1] + h * a3[1], v[2] + h * a3[2])
                p4 = (p[0] + h * v3[0], p[1] + h * v3[1], p[2] + h * v3[2])
                a4 = _accel_scalar(*p4, *v4, ts + h, *le, prm, table, gravity, earth_rotation)
                pn = (
                    p[0] + h / 6.0 * (v[0] + 2.0 * v2[0] + 2.0 * v3[0] + v4[0]),
                    p[1] + h / 6.0 * (v[1] + 2.0 * v2[1] + 2.0 * v3[1] + v4[1]),
                    p[2] + h / 6.0 * (v[2] + 2.0 * v2[2] + 2.0 * v3[2] + v4[2]),
                )
                vn = (
                    v[0] + h / 6.0 * (a1[0] + 2.0 * a2[0] + 2.0 * a3[0] + a4[0]),
                    v[1] + h / 6.0 * (a1[1] + 2.0 * a2[1] + 2.0 * a3[1] + a4[1]),
                    v[2] + h / 6.0 * (a1[2] + 2.0 * a2[2] + 2.0 * a3[2] + a4[2]),
                )
            else:
                pn = (p[0] + h * v2[0], p[1] + h * v2[1], p[2] + h * v2[2])
                vn = (v[0] + h * a2[0], v[1] + h * a2[1], v[2] + h * a2[2])
            for k in range(3):
                r1[k] = tp[k] + tv[k] * (offset + h) - pn[k]
                v1[k] = tv[k] - vn[k]
            command[i, 0], command[i, 1], command[i, 2] = c
            inside, t_star, rel_at, rel_vel = closest_approach_scalar(r0, v0, r1, v1, h)
            if inside and ts + h >= arming_time_s:
                fuzed = True
                t_event[i] = offset + t_star
                miss[i] = np.sqrt(rel_at[0] ** 2 + rel_at[1] ** 2 + rel_at[2] ** 2)
                for k in range(3):
                    pos1[i, k] = tp[k] + tv[k] * (offset + t_star) - rel_at[k]
                    vel1[i, k] = tv[k] - rel_vel[k]
                    lateral1[i, k] = lag_scalar(a0[k], c[k], t_star, tau)
                break
            p, v, a0 = pn, vn, end
        if not fuzed:
            for k in range(3):
                pos1[i, k], vel1[i, k], lateral1[i, k] = p[k], v[k], a0[k]
        los1[i, 0], los1[i, 1], los1[i, 2] = lx, ly, lz
        glint1[i, 0], glint1[i, 1], glint1[i, 2] = g
        t1 = t + dt_s
        mass1[i] = _motor_scalar(t + t_event[i], prm)[1]
        armed = t1 >= arming_time_s
        speed1 = np.sqrt(vel1[i, 0] ** 2 + vel1[i, 1] ** 2 + vel1[i, 2] ** 2)
        if fuzed:
            reason[i] = CLOSEST_APPROACH
        elif armed and _height_scalar(pos1[i, 0], pos1[i, 1], pos1[i, 2]) < 0.0:
            reason[i] = GROUND_IMPACT
        elif t1 > max(prm[BOOST_END], prm[SUSTAIN_END]) and speed1 < prm[MIN_SPEED]:
            reason[i] = MIN_SPEED_REACHED
        elif t1 >= prm[MAX_FLIGHT_TIME]:
            reason[i] = MAX_TIME_REACHED
        phase1[i] = DONE if reason[i] > 0 else ph
    return pos1, vel1, mass1, phase1, command, lateral1, los1, glint1, reason, t_event, miss
