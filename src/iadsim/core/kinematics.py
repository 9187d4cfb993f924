"""Constant-velocity kinematics shared by identification, threat evaluation and weapons."""

from __future__ import annotations

import numpy as np


def vector_norm(vectors: np.ndarray) -> np.ndarray:
    """Euclidean norm along the last axis of a float64 array, ``(...)``.

    The operations of ``np.linalg.norm(vectors, axis=-1)`` (``sqrt`` of the reduced sum of
    squares), bit for bit, without its argument handling: called on every look and track
    of a run.
    """
    return np.sqrt(np.add.reduce(vectors * vectors, axis=-1))


def closest_approach(
    pos_m: np.ndarray, vel_mps: np.ndarray, asset_pos_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Closest point of approach of constant-velocity tracks to fixed points.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track positions and velocities in a local Cartesian frame.
    asset_pos_m : (k, 3) float64
        Asset positions in the same frame.

    Returns
    -------
    cpa_m : (n, k) float64
        Miss distance at the closest approach (now, if the track is opening).
    time_s : (n, k) float64
        Time to the closest approach, >= 0.
    """
    relative = asset_pos_m[None, :, :] - pos_m[:, None, :]
    speed2 = np.maximum(np.sum(vel_mps**2, axis=1), 1e-9)[:, None]
    time_s = np.maximum(np.einsum("nkj,nj->nk", relative, vel_mps) / speed2, 0.0)
    miss = relative - time_s[..., None] * vel_mps[:, None, :]
    return vector_norm(miss), time_s


def intercept_time_s(
    relative_pos_m: np.ndarray, target_vel_mps: np.ndarray, speed_mps
) -> np.ndarray:
    """Earliest time at which a pursuer at constant speed can meet a constant-velocity target.

    Solves ``|p + v t| = s t`` for the smallest ``t > 0``:
    ``(v.v - s^2) t^2 + 2 (p.v) t + p.p = 0`` (the classic collision-course triangle; e.g.
    Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2).

    Parameters
    ----------
    relative_pos_m : (n, 3) float64
        Target position relative to the pursuer's start, m.
    target_vel_mps : (n, 3) float64
        Target velocity, m/s.
    speed_mps : float or (n,) float64
        Pursuer's (average) speed, m/s.

    Returns
    -------
    (n,) float64
        Time to intercept, s; ``inf`` where no intercept exists.
    """
    p = np.asarray(relative_pos_m, dtype=float)
    v = np.asarray(target_vel_mps, dtype=float)
    s2 = np.asarray(speed_mps, dtype=float) ** 2
    a = np.sum(v * v, axis=-1) - s2
    b = 2.0 * np.sum(p * v, axis=-1)
    c = np.sum(p * p, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = b * b - 4.0 * a * c
        root = np.sqrt(np.maximum(disc, 0.0))
        t1 = (-b - root) / (2.0 * a)
        t2 = (-b + root) / (2.0 * a)
        linear = np.where(b < 0, -c / b, np.inf)
    t1 = np.where(t1 > 0, t1, np.inf)
    t2 = np.where(t2 > 0, t2, np.inf)
    quadratic = np.where(disc >= 0, np.minimum(t1, t2), np.inf)
    return np.where(np.abs(a) < 1e-9, linear, quadratic)
