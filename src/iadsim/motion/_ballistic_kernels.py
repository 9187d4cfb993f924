"""Numba kernel of the free flight of a ballistic missile, twin of :func:`fly_reference`.

Equations of motion, with Earth's rotation ignored (ECEF treated as an inertial frame; the
Coriolis acceleration ``2 omega v`` of a 2 km/s missile, 0.3 m/s^2, is left out)::

    r'' = -mu r / |r|^3 + a_J2(r) - rho(h) |v| v / (2 beta)

* central gravity and the J2 term: Vallado, *Fundamentals of Astrodynamics and
  Applications*, 4th ed., 2013, sec. 8.7.1, p. 594::

      a_J2 = -3/2 J2 mu a^2 / r^5 [x (1 - 5 z^2/r^2), y (1 - 5 z^2/r^2), z (3 - 5 z^2/r^2)]

  with ``mu``, ``a`` and ``J2`` of WGS-84 (:mod:`iadsim.geo.ellipsoid`);
* drag of a body of ballistic coefficient ``beta = m / (C_D A)`` (kg/m^2), the
  deceleration ``rho v^2 / (2 beta)`` of the ballistic entry equations of Allen & Eggers,
  NACA Report 1381, 1958, eq. (1), with the density of the 1976 standard atmosphere
  (:mod:`iadsim.weapons.atmosphere`).

Integrated by the classical fourth-order Runge-Kutta method at a fixed step (Press et al.,
*Numerical Recipes*, 3rd ed., 2007, eq. 17.1.3). The height of a point is taken along the
geocentric radius above the ellipsoid, ``|r| - a b / sqrt(b^2 cos^2 phi + a^2 sin^2 phi)``
(``phi`` geocentric latitude), within a metre of the geodetic height below 100 km.

The flight stops at the step where the height falls to ``stop_height_m`` while descending;
that last step is shortened (two secant corrections) so that the last sample lies on that
height.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo.ellipsoid import WGS84_A_M, WGS84_B_M, WGS84_GM_M3_S2
from iadsim.weapons.atmosphere import density_and_speed_of_sound, density_kg_m3

__all__ = ["derivative_reference", "fly_kernel", "fly_reference"]


@numba.njit(cache=True)
def _height_m(x: float, y: float, z: float) -> float:  # pragma: no cover - numba
    r = math.sqrt(x * x + y * y + z * z)
    sin2 = z * z / (r * r)
    cos2 = 1.0 - sin2
    surface = WGS84_A_M * WGS84_B_M / math.sqrt(WGS84_B_M**2 * cos2 + WGS84_A_M**2 * sin2)
    return r - surface


@numba.njit(cache=True)
def _acceleration(state, j2, inverse_beta, out):  # pragma: no cover - numba
    x, y, z = state[0], state[1], state[2]
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    central = -WGS84_GM_M3_S2 / (r2 * r)
    j2_scale = -1.5 * j2 * WGS84_GM_M3_S2 * WGS84_A_M**2 / (r2 * r2 * r)
    z_ratio = 5.0 * z * z / r2
    out[0] = state[3]
    out[1] = state[4]
    out[2] = state[5]
    out[3] = central * x + j2_scale * x * (1.0 - z_ratio)
    out[4] = central * y + j2_scale * y * (1.0 - z_ratio)
    out[5] = central * z + j2_scale * z * (3.0 - z_ratio)
    if inverse_beta > 0.0:
        density, _ = density_and_speed_of_sound(_height_m(x, y, z))
        speed = math.sqrt(state[3] ** 2 + state[4] ** 2 + state[5] ** 2)
        drag = -0.5 * density * speed * inverse_beta
        out[3] += drag * state[3]
        out[4] += drag * state[4]
        out[5] += drag * state[5]


@numba.njit(cache=True)
def _rk4_step(state, dt, j2, inverse_beta, out):  # pragma: no cover - numba
    k1 = np.empty(6)
    k2 = np.empty(6)
    k3 = np.empty(6)
    k4 = np.empty(6)
    _acceleration(state, j2, inverse_beta, k1)
    _acceleration(state + 0.5 * dt * k1, j2, inverse_beta, k2)
    _acceleration(state + 0.5 * dt * k2, j2, inverse_beta, k3)
    _acceleration(state + dt * k3, j2, inverse_beta, k4)
    for i in range(6):
        out[i] = state[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])


@numba.njit(cache=True)
def fly_kernel(
    pos_ecef_m, vel_ecef_mps, inverse_beta, j2, step_s, max_time_s, stop_height_m
):  # pragma: no cover - numba
    """Free flight from one state until it descends to ``stop_height_m``.

    Parameters
    ----------
    pos_ecef_m, vel_ecef_mps : (3,) float64
        Initial ECEF position (m) and velocity (m/s).
    inverse_beta : float
        ``1 / beta`` (m^2/kg); 0 for flight in vacuum.
    j2 : float
        Second zonal harmonic (0: central gravity only).
    step_s : float
        Integration step, s.
    max_time_s : float
        The flight stops after this time if it has not come down, s.
    stop_height_m : float
        Height above the ellipsoid at which the descending flight stops, m.

    Returns
    -------
    times_s : (k,) float64
        Sample times from 0; ``step_s`` apart except the last.
    states : (k, 6) float64
        ECEF position (m) and velocity (m/s) at each sample.
    """
    n_max = int(max_time_s / step_s) + 2
    times = np.empty(n_max)
    states = np.empty((n_max, 6))
    states[0, :3] = pos_ecef_m
    states[0, 3:] = vel_ecef_mps
    times[0] = 0.0
    following = np.empty(6)
    k = 0
    while k < n_max - 1:
        _rk4_step(states[k], step_s, j2, inverse_beta, following)
        height_before = _height_m(states[k, 0], states[k, 1], states[k, 2])
        height_after = _height_m(following[0], following[1], following[2])
        descending = height_after < height_before
        if descending and height_after <= stop_height_m:
            # Secant on the step length for the height to land on stop_height_m.
            low, high = 0.0, step_s
            f_low, f_high = height_before - stop_height_m, height_after - stop_height_m
            for _ in range(3):
                if f_high == f_low:
                    break
                guess = high - f_high * (high - low) / (f_high - f_low)
                _rk4_step(states[k], guess, j2, inverse_beta, following)
                low, f_low = high, f_high
                high = guess
                f_high = _height_m(following[0], following[1], following[2]) - stop_height_m
            states[k + 1] = following
            times[k + 1] = times[k] + high
            return times[: k + 2], states[: k + 2]
        states[k + 1] = following
        times[k + 1] = times[k] + step_s
        k += 1
    return times[: k + 1], states[: k + 1]


def _height_reference(pos: np.ndarray) -> float:
    r = float(np.linalg.norm(pos))
    sin2 = pos[2] ** 2 / r**2
    surface = WGS84_A_M * WGS84_B_M / np.sqrt(WGS84_B_M**2 * (1.0 - sin2) + WGS84_A_M**2 * sin2)
    return r - float(surface)


def derivative_reference(state: np.ndarray, j2: float, inverse_beta: float) -> np.ndarray:
    """Time derivative ``(6,)`` of the state ``(6,)`` (ECEF position m, velocity m/s): the
    velocity, and gravity with J2 plus drag (module docstring)."""
    pos, vel = state[:3], state[3:]
    r = float(np.linalg.norm(pos))
    z_ratio = 5.0 * pos[2] ** 2 / r**2
    oblate = -1.5 * j2 * WGS84_GM_M3_S2 * WGS84_A_M**2 / r**5
    acceleration = -WGS84_GM_M3_S2 * pos / r**3 + oblate * pos * np.array(
        [1.0 - z_ratio, 1.0 - z_ratio, 3.0 - z_ratio]
    )
    if inverse_beta > 0.0:
        density = float(density_kg_m3(_height_reference(pos)))
        acceleration = acceleration - 0.5 * density * np.linalg.norm(vel) * inverse_beta * vel
    return np.concatenate([vel, acceleration])


def _step_reference(state: np.ndarray, dt: float, j2: float, inverse_beta: float) -> np.ndarray:
    k1 = derivative_reference(state, j2, inverse_beta)
    k2 = derivative_reference(state + 0.5 * dt * k1, j2, inverse_beta)
    k3 = derivative_reference(state + 0.5 * dt * k2, j2, inverse_beta)
    k4 = derivative_reference(state + dt * k3, j2, inverse_beta)
    return state + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def fly_reference(
    pos_ecef_m: np.ndarray,
    vel_ecef_mps: np.ndarray,
    inverse_beta: float,
    j2: float,
    step_s: float,
    max_time_s: float,
    stop_height_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Plain NumPy twin of :func:`fly_kernel` (same parameters and returns)."""
    times = [0.0]
    states = [np.concatenate([pos_ecef_m, vel_ecef_mps]).astype(float)]
    n_max = int(max_time_s / step_s) + 2
    while len(states) < n_max:
        state = states[-1]
        following = _step_reference(state, step_s, j2, inverse_beta)
        before, after = _height_reference(state[:3]), _height_reference(following[:3])
        if after < before and after <= stop_height_m:
            low, high = 0.0, step_s
            f_low, f_high = before - stop_height_m, after - stop_height_m
            for _ in range(3):
                if f_high == f_low:
                    break
                guess = high - f_high * (high - low) / (f_high - f_low)
                following = _step_reference(state, guess, j2, inverse_beta)
                low, f_low = high, f_high
                high = guess
                f_high = _height_reference(following[:3]) - stop_height_m
            states.append(following)
            times.append(times[-1] + high)
            break
        states.append(following)
        times.append(times[-1] + step_s)
    return np.array(times), np.array(states)
