"""Missile guidance laws: proportional navigation, predicted intercept point, zero-effort miss.

All functions are vectorised over a leading axis of engagements (one row per missile) and
work in any Cartesian frame (ECEF or local), metres and seconds.

References
----------
Zarchan, P., *Tactical and Strategic Missile Guidance*, 6th ed., AIAA Progress in Astronautics
and Aeronautics vol. 239, 2012: ch. 2 (proportional navigation, heading-error response),
ch. 8 (zero-effort miss formulation of PN).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numba import njit

PnLaw = Literal["true", "pure"]


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...i,...i->...", a, b)


def line_of_sight_rate_rps(rel_pos_m, rel_vel_mps) -> np.ndarray:
    """Angular-velocity vector of the line of sight, ``omega = (r x v) / |r|^2``.

    Parameters
    ----------
    rel_pos_m : array_like, shape (n, 3)
        Target minus missile position, m.
    rel_vel_mps : array_like, shape (n, 3)
        Target minus missile velocity, m/s.

    Returns
    -------
    ndarray, shape (n, 3)
        LOS rotation vector, rad/s (its norm is the LOS rate ``lambda_dot``).
    """
    r = np.asarray(rel_pos_m, dtype=float)
    v = np.asarray(rel_vel_mps, dtype=float)
    r2 = np.maximum(_dot(r, r), 1e-12)
    return np.cross(r, v) / r2[..., None]


def pn_acceleration(
    rel_pos_m,
    rel_vel_mps,
    missile_vel_mps,
    navigation_constant,
    law: PnLaw = "true",
) -> np.ndarray:
    """Proportional-navigation acceleration command, perpendicular to the missile velocity.

    True PN commands ``a = N' V_c (omega x u_los)``, normal to the line of sight, with the
    closing speed ``V_c = -r . v / |r|``; pure PN commands ``a = N' V_m (omega x u_m)``, normal
    to the missile velocity (Zarchan ch. 2, eq. 2.1 and its 3-D vector form). A point-mass
    missile cannot produce acceleration along its velocity by steering, so the component of
    the true-PN command along the velocity is removed.

    Parameters
    ----------
    rel_pos_m : array_like, shape (n, 3)
        Target minus missile position, m.
    rel_vel_mps : array_like, shape (n, 3)
        Target minus missile velocity, m/s.
    missile_vel_mps : array_like, shape (n, 3)
        Missile velocity, m/s.
    navigation_constant : float or array_like, shape (n,)
        Effective navigation ratio N' (3 to 5 in practice).
    law : {"true", "pure"}
        PN variant.

    Returns
    -------
    ndarray, shape (n, 3)
        Commanded lateral acceleration, m/s^2 (no limit applied).
    """
    r = np.asarray(rel_pos_m, dtype=float)
    v = np.asarray(rel_vel_mps, dtype=float)
    vm = np.asarray(missile_vel_mps, dtype=float)
    gain = np.asarray(navigation_constant, dtype=float)
    omega = line_of_sight_rate_rps(r, v)
    speed_m = np.sqrt(_dot(vm, vm))
    vm_hat = vm / np.maximum(speed_m, 1e-9)[..., None]
    if law == "true":
        range_m = np.maximum(np.sqrt(_dot(r, r)), 1e-9)
        closing_mps = -_dot(r, v) / range_m
        accel = (gain * closing_mps)[..., None] * np.cross(omega, r / range_m[..., None])
    elif law == "pure":
        accel = (gain * speed_m)[..., None] * np.cross(omega, vm_hat)
    else:
        raise ValueError(f"unknown PN law {law!r}; expected 'true' or 'pure'")
    return accel - _dot(accel, vm_hat)[..., None] * vm_hat


def predicted_intercept_point(target_pos_m, target_vel_mps, missile_pos_m, missile_speed_mps):
    """Intercept point of a constant-velocity target by a missile of constant average speed.

    Solves ``|D + v_t t| = s t`` for the smallest positive ``t``, with ``D`` the target position
    relative to the missile: ``(v_t.v_t - s^2) t^2 + 2 (D.v_t) t + D.D = 0``.

    Parameters
    ----------
    target_pos_m, target_vel_mps : array_like, shape (n, 3)
        Target position (m) and velocity (m/s).
    missile_pos_m : array_like, shape (n, 3)
        Missile position, m.
    missile_speed_mps : float or array_like, shape (n,)
        Average missile speed over the rest of the flight, m/s.

    Returns
    -------
    pip_m : ndarray, shape (n, 3)
        Predicted intercept point, m (the target's current position where no solution exists).
    time_to_go_s : ndarray, shape (n,)
        Time to the intercept, s (``inf`` where no solution exists).
    valid : ndarray of bool, shape (n,)
        Whether the missile can reach the target at that average speed.
    """
    p = np.asarray(target_pos_m, dtype=float)
    vt = np.asarray(target_vel_mps, dtype=float)
    d = p - np.asarray(missile_pos_m, dtype=float)
    s = np.asarray(missile_speed_mps, dtype=float)
    a = _dot(vt, vt) - s * s
    b = 2.0 * _dot(d, vt)
    c = _dot(d, d)
    disc = b * b - 4.0 * a * c
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(np.maximum(disc, 0.0))
        t_plus = (-b + root) / (2.0 * a)
        t_minus = (-b - root) / (2.0 * a)
        t_linear = -c / b  # a == 0: the missile is exactly as fast as the target
    t_plus = np.where((disc >= 0) & (t_plus > 0), t_plus, np.inf)
    t_minus = np.where((disc >= 0) & (t_minus > 0), t_minus, np.inf)
    t_quad = np.minimum(t_plus, t_minus)
    t_lin = np.where(t_linear > 0, t_linear, np.inf)
    t = np.where(np.abs(a) > 1e-9 * np.maximum(s * s, 1.0), t_quad, t_lin)
    t = np.where(c == 0.0, 0.0, t)
    valid = np.isfinite(t)
    pip = p + vt * np.where(valid, t, 0.0)[..., None]
    return pip, t, valid


def time_to_go_s(rel_pos_m, rel_vel_mps) -> np.ndarray:
    """Time to closest approach on straight lines, ``t_go = -r.v / v.v`` (may be negative)."""
    r = np.asarray(rel_pos_m, dtype=float)
    v = np.asarray(rel_vel_mps, dtype=float)
    return -_dot(r, v) / np.maximum(_dot(v, v), 1e-12)


def zero_effort_miss_m(rel_pos_m, rel_vel_mps, time_to_go) -> np.ndarray:
    """Zero-effort miss normal to the line of sight.

    ``ZEM = r + v t_go``, less its component along the line of sight (Zarchan ch. 8); with
    ``t_go = R / V_c`` proportional navigation is ``a = N' ZEM / t_go^2``.

    Parameters
    ----------
    rel_pos_m, rel_vel_mps : array_like, shape (n, 3)
        Target minus missile position (m) and velocity (m/s).
    time_to_go : array_like, shape (n,)
        Time to go, s.

    Returns
    -------
    ndarray, shape (n, 3)
        Zero-effort miss vector, m.
    """
    r = np.asarray(rel_pos_m, dtype=float)
    v = np.asarray(rel_vel_mps, dtype=float)
    zem = r + v * np.asarray(time_to_go, dtype=float)[..., None]
    u = r / np.maximum(np.sqrt(_dot(r, r)), 1e-12)[..., None]
    return zem - _dot(zem, u)[..., None] * u


@njit(cache=True)
def pn_acceleration_scalar(
    rx: float,
    ry: float,
    rz: float,
    vx: float,
    vy: float,
    vz: float,
    mx: float,
    my: float,
    mz: float,
    navigation_constant: float,
    true_law: bool,
) -> tuple[float, float, float]:
    """Scalar twin of :func:`pn_acceleration` for compiled kernels (same equations).

    ``(rx, ry, rz)`` relative position, ``(vx, vy, vz)`` relative velocity, ``(mx, my, mz)``
    missile velocity; returns the lateral command (m/s^2).
    """
    r2 = max(rx * rx + ry * ry + rz * rz, 1e-12)
    wx = (ry * vz - rz * vy) / r2
    wy = (rz * vx - rx * vz) / r2
    wz = (rx * vy - ry * vx) / r2
    speed = np.sqrt(mx * mx + my * my + mz * mz)
    inv = 1.0 / max(speed, 1e-9)
    ux, uy, uz = mx * inv, my * inv, mz * inv
    if true_law:
        rng = max(np.sqrt(rx * rx + ry * ry + rz * rz), 1e-9)
        gain = navigation_constant * (-(rx * vx + ry * vy + rz * vz) / rng) / rng
        lx, ly, lz = rx, ry, rz
    else:
        gain = navigation_constant * speed
        lx, ly, lz = ux, uy, uz
    ax = gain * (wy * lz - wz * ly)
    ay = gain * (wz * lx - wx * lz)
    az = gain * (wx * ly - wy * lx)
    along = ax * ux + ay * uy + az * uz
    return ax - along * ux, ay - along * uy, az - along * uz


@njit(cache=True)
def predicted_intercept_point_scalar(
    px: float,
    py: float,
    pz: float,
    tvx: float,
    tvy: float,
    tvz: float,
    mx: float,
    my: float,
    mz: float,
    speed: float,
) -> tuple[float, float, float, float]:
    """Scalar twin of :func:`predicted_intercept_point`: ``(x, y, z, time_to_go)``.

    Returns the target's position and ``inf`` where no intercept exists.
    """
    dx, dy, dz = px - mx, py - my, pz - mz
    a = tvx * tvx + tvy * tvy + tvz * tvz - speed * speed
    b = 2.0 * (dx * tvx + dy * tvy + dz * tvz)
    c = dx * dx + dy * dy + dz * dz
    t = np.inf
    if c == 0.0:
        t = 0.0
    elif abs(a) > 1e-9 * max(speed * speed, 1.0):
        disc = b * b - 4.0 * a * c
        if disc >= 0.0:
            root = np.sqrt(disc)
            for cand in ((-b + root) / (2.0 * a), (-b - root) / (2.0 * a)):
                if 0.0 < cand < t:
                    t = cand
    elif b < 0.0:
        t = -c / b
    if np.isfinite(t):
        return px + tvx * t, py + tvy * t, pz + tvz * t, t
    return px, py, pz, t


def pn_from_line_of_sight_rate(
    los_rate_rps, los_unit, closing_speed_mps, missile_vel_mps, navigation_constant,
    law: PnLaw = "true",
) -> np.ndarray:  # fmt: skip
    """Proportional navigation from a measured LOS rate, as a seeker-guided missile flies it.

    The same law as :func:`pn_acceleration` (Zarchan ch. 2, eq. 2.1 in vector form), with the
    LOS rotation ``omega`` and direction ``u`` measured by the seeker rather than computed
    from the relative state: true PN ``a = N' V_c (omega x u)``, pure PN
    ``a = N' V_m (omega x u_m)``, less the component along the missile velocity.

    Parameters
    ----------
    los_rate_rps : array_like, (n, 3)
        Measured LOS rotation vector, rad/s.
    los_unit : array_like, (n, 3)
        Measured LOS direction.
    closing_speed_mps : array_like, (n,)
        ``V_c`` (from the seeker's Doppler), m/s.
    missile_vel_mps : array_like, (n, 3)
        Missile velocity, m/s.
    navigation_constant : float or array_like, (n,)
    law : {"true", "pure"}

    Returns
    -------
    ndarray, (n, 3)
        Commanded lateral acceleration, m/s^2 (no limit applied).
    """
    omega = np.asarray(los_rate_rps, dtype=float)
    vm = np.asarray(missile_vel_mps, dtype=float)
    speed_m = np.sqrt(_dot(vm, vm))
    vm_hat = vm / np.maximum(speed_m, 1e-9)[..., None]
    gain = np.asarray(navigation_constant, dtype=float)
    if law == "true":
        accel = (gain * np.asarray(closing_speed_mps, dtype=float))[..., None] * np.cross(
            omega, np.asarray(los_unit, dtype=float)
        )
    elif law == "pure":
        accel = (gain * speed_m)[..., None] * np.cross(omega, vm_hat)
    else:
        raise ValueError(f"unknown PN law {law!r}; expected 'true' or 'pure'")
    return accel - _dot(accel, vm_hat)[..., None] * vm_hat


@njit(cache=True)
def pn_from_line_of_sight_rate_scalar(
    wx: float, wy: float, wz: float, ux: float, uy: float, uz: float, closing_mps: float,
    mx: float, my: float, mz: float, navigation_constant: float, true_law: bool,
) -> tuple[float, float, float]:  # fmt: skip
    """Scalar twin of :func:`pn_from_line_of_sight_rate` for compiled kernels."""
    speed = np.sqrt(mx * mx + my * my + mz * mz)
    inv = 1.0 / max(speed, 1e-9)
    vx, vy, vz = mx * inv, my * inv, mz * inv
    if true_law:
        gain = navigation_constant * closing_mps
        lx, ly, lz = ux, uy, uz
    else:
        gain = navigation_constant * speed
        lx, ly, lz = vx, vy, vz
    ax = gain * (wy * lz - wz * ly)
    ay = gain * (wz * lx - wx * lz)
    az = gain * (wx * ly - wy * lx)
    along = ax * vx + ay * vy + az * vz
    return ax - along * vx, ay - along * vy, az - along * vz
