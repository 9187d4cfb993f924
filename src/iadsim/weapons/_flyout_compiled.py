"""Compiled flyout step: the equations of :mod:`._flyout_reference`, one missile at a time.

:func:`advance_compiled` is a Numba loop over missiles that is many times faster than the
vectorised reference for the small batches of envelope building and of a running engagement;
same arguments, same results (a test flies both on the same engagements and compares them).
:func:`advance_substeps_compiled` flies the missiles of a table through several such steps
in one call (a simulation step's substeps), as :func:`iadsim.weapons.flyout.step` calls it
once per step, updating the table in place.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_kernel
from iadsim.geo._terrain_kernels import height_kernel
from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    WGS84_B_M,
    WGS84_E2,
    WGS84_EP2,
    WGS84_GM_M3_S2,
    WGS84_J2,
)
from iadsim.weapons._flyout_model import (
    ACTIVE_SEEKER,
    AUTOPILOT_TIME_CONSTANT,
    BALLISTIC,
    BOOST_END,
    BOOST_THRUST,
    CLOSEST_APPROACH,
    DONE,
    EARTH_RATE_RPS,
    GROUND_IMPACT,
    LAUNCH_MASS,
    LAUNCH_X,
    LAUNCH_Y,
    LAUNCH_Z,
    LOFT_GAIN,
    MACH_GRID,
    MACH_STEP,
    MAX_ACCEL,
    MAX_FLIGHT_TIME,
    MAX_TIME_REACHED,
    MEAN_SPEED,
    MIDCOURSE,
    MIN_SPEED,
    MIN_SPEED_REACHED,
    NAV_CONSTANT,
    PROPELLANT_PER_IMPULSE,
    REFERENCE_AREA,
    SEEKER_ANGLE_NOISE,
    SEEKER_ILLUMINATOR_RANGE,
    SEEKER_RANGE,
    SEEKER_REFERENCE_RCS,
    SEEKER_THERMAL_NOISE,
    SUSTAIN_END,
    SUSTAIN_START,
    SUSTAIN_THRUST,
    TERMINAL,
    TYPE_INDEX,
)
from iadsim.weapons.atmosphere import density_and_speed_of_sound
from iadsim.weapons.autopilot import lag_scalar, limited_scalar
from iadsim.weapons.fuzing import closest_approach_scalar
from iadsim.weapons.guidance import (
    pn_acceleration_scalar,
    pn_from_line_of_sight_rate_scalar,
    predicted_intercept_point_scalar,
)
from iadsim.weapons.seeker import (
    acquisition_range_scalar,
    glint_step_scalar,
    measured_line_of_sight_scalar,
    noise_sigma_scalar,
)


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
            # Searched only where inside: most samples pay two dot products, not 30 Newton steps.
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


@njit(cache=True)
def _into_ground(pos, heights, geometry) -> bool:
    """The point ``pos`` (3,) ECEF m is below the surface of the terrain grid (heights above
    sea level, ``geometry`` its ``(lat0, lon0, dlat, dlon)``), the sea where the grid has a
    void, is below sea level or does not reach: ``ElevationGrid.surface_height_m``."""
    lat, lon, height = ecef_to_geodetic_kernel(pos.reshape(1, 3))
    g = geometry
    surface = height_kernel(heights, g[0], g[1], g[2], g[3], lat, lon, 0.0)[0]
    if not surface > 0.0:  # below sea level, or a void (NaN)
        surface = 0.0
    return height[0] < surface


@njit(cache=True)
def advance_substeps_compiled(
    slots, pos, vel, time_s, mass, phase, command, lateral, los, glint_state, params,
    drag_table, track_pos, track_vel, valid, target_pos, target_vel, target_rcs, glint, noise,
    first, dt_s, gravity, earth_rotation, gravity_compensation, true_pn, rk4, arming_time_s,
    heights, geometry, terrain,
):  # fmt: skip
    """Fly the missiles in ``slots`` through flyout steps ``first, first + 1, ...`` until
    one in which a flyout ends, or through ``noise.shape[0]`` steps; the table's columns
    (``pos`` ... ``glint_state``, full capacity) are updated in place.

    Each step is :func:`advance_compiled` on the rows of ``slots``, then the ground-impact
    test on the terrain (``terrain``: ``heights`` and ``geometry`` as ``ElevationGrid``
    holds them), as :func:`iadsim.weapons.flyout.step` does it, and the same arithmetic.

    Parameters
    ----------
    slots : (n,) int64
        The active slots.
    track_pos, target_pos, target_vel : (steps, capacity, 3) float64
        Each step's fire-control track position and true target state.
    track_vel : (capacity, 3) float64
    valid : (capacity,) bool
    target_rcs, glint : (capacity,) float64
    noise : (m, n, samples, 6) float64
        Seeker noise of steps ``first`` to ``first + m - 1``, each as :func:`step` draws it.
    first : int
        The first step to fly.

    Returns
    -------
    next_step : int
        The step after the last one flown.
    reason, t_event, miss, t0 : (n,) int8, float64, float64, float64
        Of the last step flown: end reasons, times in the step, miss distances, and times
        since launch at its start.
    """
    n = slots.shape[0]
    reason = np.zeros(n, dtype=np.int8)
    t_event = np.zeros(n)
    miss = np.zeros(n)
    t0 = time_s[slots]
    params_rows = params[slots]
    valid_rows, rcs_rows, glint_rows = valid[slots], target_rcs[slots], glint[slots]
    track_vel_rows = track_vel[slots]
    for b in range(noise.shape[0]):
        k = first + b
        t0 = time_s[slots]
        pos1, vel1, mass1, phase1, command1, lateral1, los1, glint1, reason, t_event, miss = (
            advance_compiled(
                pos[slots], vel[slots], t0, phase[slots], params_rows, drag_table,
                track_pos[k][slots], track_vel_rows, valid_rows, target_pos[k][slots],
                target_vel[k][slots], lateral[slots], los[slots], glint_state[slots], rcs_rows,
                glint_rows, noise[b], dt_s, gravity, earth_rotation, gravity_compensation,
                true_pn, rk4, arming_time_s,
            )
        )  # fmt: skip
        ended = False
        for r in range(n):
            armed = reason[r] == 0 and t0[r] + dt_s >= arming_time_s
            if terrain and armed and _into_ground(pos1[r], heights, geometry):
                reason[r] = GROUND_IMPACT
                phase1[r] = DONE
            i = slots[r]
            for c in range(3):
                pos[i, c], vel[i, c] = pos1[r, c], vel1[r, c]
                command[i, c], lateral[i, c] = command1[r, c], lateral1[r, c]
                los[i, c], glint_state[i, c] = los1[r, c], glint1[r, c]
            time_s[i] = t0[r] + dt_s
            mass[i] = mass1[r]
            phase[i] = phase1[r]
            ended = ended or reason[r] > 0
        if ended:
            return k + 1, reason, t_event, miss, t0
    return first + noise.shape[0], reason, t_event, miss, t0
