"""Compiled per-step inputs of the interceptors' flight: their guidance tracks brought to
the step's time, and their targets' true states (:class:`~iadsim.weapons.engagement.
WeaponsStage`). Each kernel fills arrays its caller owns, and each has a NumPy twin here,
the operations of which it repeats in the same order (a test holds them to the same bits).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "extrapolated_tracks_kernel",
    "extrapolated_tracks_reference",
    "target_states_kernel",
    "target_states_reference",
]


def extrapolated_tracks_reference(state: np.ndarray, time_s: np.ndarray, t: float) -> np.ndarray:
    """Guidance tracks extrapolated at constant velocity from their times to ``t``.

    Parameters
    ----------
    state : (capacity, 6) float64
        Each slot's guidance track, ECEF position (m) and velocity (m/s).
    time_s : (capacity,) float64
        The time of each track, s (NaN: none; the row is copied as it is).
    t : float
        The step's time, s.

    Returns
    -------
    (capacity, 6) float64
        ``p + v (t - time_s)``, ``v``.
    """
    out = state.copy()
    age = t - time_s
    known = np.isfinite(age)
    out[known, :3] += out[known, 3:] * age[known, None]
    return out


@njit(cache=True)
def extrapolated_tracks_kernel(state, time_s, t, out):
    """:func:`extrapolated_tracks_reference`, written into ``out`` ``(capacity, 6)``."""
    for i in range(state.shape[0]):
        age = t - time_s[i]
        known = np.isfinite(age)
        for c in range(3):
            out[i, 3 + c] = state[i, 3 + c]
            out[i, c] = state[i, c] + state[i, 3 + c] * age if known else state[i, c]


def target_states_reference(
    track_state: np.ndarray,
    truth: np.ndarray,
    present: np.ndarray,
    pos_ecef_m: np.ndarray,
    vel_ecef_mps: np.ndarray,
    accel_ecef_mps2: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each slot's target as the end game sees it: the true state and acceleration of its
    air entity while that one is present, else its guidance track and no acceleration.

    Parameters
    ----------
    track_state : (capacity, 6) float64
        Guidance tracks, ECEF, m and m/s.
    truth : (capacity,) int64
        Air entity of each slot's target (-1: a false track).
    present : (n_entities,) bool
    pos_ecef_m, vel_ecef_mps, accel_ecef_mps2 : (n_entities, 3) float64
        True state and acceleration of the air entities, ECEF.

    Returns
    -------
    target_state : (capacity, 6) float64
    target_accel : (capacity, 3) float64
    """
    target_state = track_state.copy()
    real = truth >= 0
    flying = real & present[np.maximum(truth, 0)]
    target_state[flying, :3] = pos_ecef_m[truth[flying]]
    target_state[flying, 3:] = vel_ecef_mps[truth[flying]]
    target_accel = np.zeros((len(truth), 3))
    target_accel[flying] = accel_ecef_mps2[truth[flying]]
    return target_state, target_accel


@njit(cache=True)
def target_states_kernel(
    track_state, truth, present, pos_ecef_m, vel_ecef_mps, accel_ecef_mps2, target_state,
    target_accel,
):  # fmt: skip
    """:func:`target_states_reference`, written into ``target_state`` ``(capacity, 6)``
    and ``target_accel`` ``(capacity, 3)``."""
    for i in range(truth.shape[0]):
        entity = truth[i]
        if entity >= 0 and present[entity]:
            for c in range(3):
                target_state[i, c] = pos_ecef_m[entity, c]
                target_state[i, 3 + c] = vel_ecef_mps[entity, c]
                target_accel[i, c] = accel_ecef_mps2[entity, c]
        else:
            for c in range(6):
                target_state[i, c] = track_state[i, c]
            for c in range(3):
                target_accel[i, c] = 0.0
