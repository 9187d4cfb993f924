"""Reference flyout step: vectorised NumPy that reads like the equations.

:func:`advance_reference` advances the *active subset* of missiles (one row per missile, ECEF,
SI units) by one flyout step: guidance, seeker measurement and glint, autopilot lag, RK4/RK2
integration and fuzing. Its compiled twin is :func:`._flyout_compiled.advance_compiled`; a
test flies both on the same engagements and compares them.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from iadsim.weapons._flyout_model import (
    ACTIVE_SEEKER,
    AUTOPILOT_TIME_CONSTANT,
    BALLISTIC,
    BOOST_END,
    CLOSEST_APPROACH,
    DONE,
    GROUND_IMPACT,
    LAUNCH_X,
    LAUNCH_Z,
    LOFT_GAIN,
    MAX_ACCEL,
    MAX_FLIGHT_TIME,
    MAX_TIME_REACHED,
    MEAN_SPEED,
    MIDCOURSE,
    MIN_SPEED,
    MIN_SPEED_REACHED,
    NAV_CONSTANT,
    SEEKER_ANGLE_NOISE,
    SEEKER_ILLUMINATOR_RANGE,
    SEEKER_RANGE,
    SEEKER_REFERENCE_RCS,
    SEEKER_THERMAL_NOISE,
    SUSTAIN_END,
    TERMINAL,
    TERMINAL_GUIDANCE_STEP_S,
    TYPE_INDEX,
    _dot,
    acceleration_mps2,
    geodetic_height_m,
    gravity_mps2,
    thrust_and_mass,
)
from iadsim.weapons.autopilot import lag_response, limited
from iadsim.weapons.fuzing import closest_approach
from iadsim.weapons.guidance import (
    pn_acceleration,
    pn_from_line_of_sight_rate,
    predicted_intercept_point,
)
from iadsim.weapons.seeker import (
    acquisition_range_m,
    glint_step,
    measured_line_of_sight,
    noise_sigma_m,
)


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
