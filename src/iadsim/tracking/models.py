"""Motion models for trackers: transition matrices and process noise, batched over tracks.

State vectors are grouped by derivative order, three Cartesian axes each:
``[e, n, u, ve, vn, vu]`` for constant velocity (CV) and coordinated turn (CT),
``[e, n, u, ve, vn, vu, ae, an, au]`` for constant acceleration (CA). Units m, m/s, m/s².

Every builder takes the time steps ``dt_s`` as an array of shape ``(n,)`` (one per track)
and returns ``(n, d, d)`` matrices, so a whole track table is predicted in one call.

References
----------
Y. Bar-Shalom, X. R. Li, T. Kirubarajan, *Estimation with Applications to Tracking and
Navigation*, Wiley 2001 (BLK): sect. 6.3.2 (discrete white noise acceleration, DWNA),
6.3.3 (discrete Wiener process acceleration, DWPA, "white noise jerk"), 11.7.1 (coordinated
turn with known turn rate).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "constant_acceleration_transition",
    "constant_velocity_transition",
    "coordinated_turn_transition",
    "dwna_process_noise",
    "dwpa_process_noise",
    "gravity_input",
    "kron_axes",
]

STANDARD_GRAVITY_MPS2 = 9.80665
"""Standard acceleration of gravity (CGPM 1901; BIPM SI Brochure, 9th ed. 2019), m/s²."""

N_AXES = 3


def kron_axes(per_axis: np.ndarray, n_axes: int = N_AXES) -> np.ndarray:
    """Expand per-axis matrices ``(n, k, k)`` to ``(n, k*n_axes, k*n_axes)`` (``A ⊗ I``).

    With the state grouped by derivative order, the same ``k x k`` block acts on each
    axis independently, which is the Kronecker product with the identity.
    """
    per_axis = np.asarray(per_axis, dtype=float)
    n, k, _ = per_axis.shape
    eye = np.eye(n_axes)
    full = per_axis[:, :, None, :, None] * eye[None, None, :, None, :]
    return full.reshape(n, k * n_axes, k * n_axes)


def _as_dt(dt_s: np.ndarray | float) -> np.ndarray:
    return np.atleast_1d(np.asarray(dt_s, dtype=float))


def constant_velocity_transition(dt_s: np.ndarray | float) -> np.ndarray:
    """CV transition ``F = [[I, dt I], [0, I]]`` (BLK eq. 6.3.2-2), shape ``(n, 6, 6)``."""
    dt = _as_dt(dt_s)
    one = np.ones_like(dt)
    zero = np.zeros_like(dt)
    per_axis = np.stack([np.stack([one, dt], -1), np.stack([zero, one], -1)], -2)
    return kron_axes(per_axis)


def dwna_process_noise(dt_s: np.ndarray | float, accel_std_mps2: np.ndarray | float) -> np.ndarray:
    """Discrete white noise acceleration covariance for CV, shape ``(n, 6, 6)``.

    ``Q = σa² Γ Γᵀ ⊗ I3`` with ``Γ = [dt²/2, dt]ᵀ`` (BLK eq. 6.3.2-4); ``σa`` is the standard
    deviation of the acceleration, held constant over each step (m/s²).
    """
    dt = _as_dt(dt_s)
    var = np.broadcast_to(np.asarray(accel_std_mps2, dtype=float) ** 2, dt.shape)
    gamma = np.stack([0.5 * dt**2, dt], -1)
    per_axis = var[:, None, None] * gamma[:, :, None] * gamma[:, None, :]
    return kron_axes(per_axis)


def constant_acceleration_transition(dt_s: np.ndarray | float) -> np.ndarray:
    """CA transition ``[[1, dt, dt²/2], [0, 1, dt], [0, 0, 1]] ⊗ I3`` (BLK eq. 6.3.3-2)."""
    dt = _as_dt(dt_s)
    one = np.ones_like(dt)
    zero = np.zeros_like(dt)
    per_axis = np.stack(
        [
            np.stack([one, dt, 0.5 * dt**2], -1),
            np.stack([zero, one, dt], -1),
            np.stack([zero, zero, one], -1),
        ],
        -2,
    )
    return kron_axes(per_axis)


def dwpa_process_noise(dt_s: np.ndarray | float, accel_increment_std_mps2: np.ndarray | float):
    """Discrete Wiener process acceleration covariance for CA, shape ``(n, 9, 9)``.

    ``Q = σ² Γ Γᵀ ⊗ I3`` with ``Γ = [dt²/2, dt, 1]ᵀ`` (BLK eq. 6.3.3-4); ``σ`` is the standard
    deviation of the acceleration increment over one step (m/s²), i.e. a white-noise jerk.
    """
    dt = _as_dt(dt_s)
    var = np.broadcast_to(np.asarray(accel_increment_std_mps2, dtype=float) ** 2, dt.shape)
    gamma = np.stack([0.5 * dt**2, dt, np.ones_like(dt)], -1)
    per_axis = var[:, None, None] * gamma[:, :, None] * gamma[:, None, :]
    return kron_axes(per_axis)


def coordinated_turn_transition(dt_s: np.ndarray | float, turn_rate_radps: float) -> np.ndarray:
    """Horizontal coordinated turn with known rate ω (BLK eq. 11.7.1-4), shape ``(n, 6, 6)``.

    The east/north velocity rotates by ``ωT`` (counter-clockwise seen from above for ω > 0);
    the vertical channel is constant velocity. As ω → 0 the matrix tends to the CV one.
    """
    dt = _as_dt(dt_s)
    F = constant_velocity_transition(dt)
    omega = float(turn_rate_radps)
    if omega == 0.0:
        return F
    s = np.sin(omega * dt)
    c = np.cos(omega * dt)
    # positions: e' = e + s/ω ve − (1−c)/ω vn ; n' = n + (1−c)/ω ve + s/ω vn
    F[:, 0, 3] = s / omega
    F[:, 0, 4] = -(1.0 - c) / omega
    F[:, 1, 3] = (1.0 - c) / omega
    F[:, 1, 4] = s / omega
    # velocities rotate by ωT
    F[:, 3, 3] = c
    F[:, 3, 4] = -s
    F[:, 4, 3] = s
    F[:, 4, 4] = c
    return F


def gravity_input(dt_s: np.ndarray | float, gravity_mps2: float) -> np.ndarray:
    """State increment of a body in free fall over ``dt``, shape ``(n, 6)``.

    A ballistic target's known input: ``x' = F x + G g`` with the CV transition ``F`` and
    ``G g = [0, 0, -g dt²/2, 0, 0, -g dt]`` (BLK eq. 6.3.2-1 with a known acceleration
    input, ``u = -g`` on the up axis). Flat-Earth: in a post's ENU frame the local vertical
    turns by about 1 deg per 111 km, a horizontal error of under 0.2 m/s² within 200 km
    that the ballistic model's process noise covers. Drag is left to that noise too.

    Parameters
    ----------
    dt_s : (n,) float64
        Time steps, s.
    gravity_mps2 : float
        Downward acceleration, m/s² (0: no input).
    """
    dt = _as_dt(dt_s)
    u = np.zeros((dt.size, 6))
    u[:, 2] = -0.5 * gravity_mps2 * dt**2
    u[:, 5] = -gravity_mps2 * dt
    return u
