"""Track-to-target correlation at a post: is a new track a fragment of an engaged target?

A target the fire-control radar loses for a while often comes back as a new track (a track
*fragment*): the old track is deleted or goes stale, and a new one is initiated on the
same target. Without correlation a post would engage the fragment as a second target
while its interceptors still fly at the first. The test uses only what the post holds,
never truth: a candidate track continues an engaged one when

1. it was initiated after the engaged track's last update (the two never ran together,
   so two targets flying in company are never merged);
2. its position lies within a gate of the engaged track's state extrapolated at constant
   velocity to the same time, ``|p_c - (p_e + v_e dt)| <= G0 + k |v_e| dt`` (a fixed gate
   for the two tracks' errors plus a share of the dead-reckoned distance for the velocity
   error; track-to-track association, Blackman & Popoli, *Design and Analysis of Modern
   Tracking Systems*, Artech 1999, sec. 9.2, with a plain distance gate in place of the
   chi-square one, since the engaged state's covariance is not kept);
3. its velocity is close: ``|v_c - v_e| <= V0 + f |v_e|``.

The gate sizes are notional (D).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.c2._kinematics_kernels import fragment_kernel

GATE_M = 2_000.0
"""Fixed position gate, m (a few fire-control range cells and the tracks' errors; D)."""
GATE_GROWTH = 0.1
"""Gate growth per metre dead-reckoned: a 10 % velocity error (D)."""
VELOCITY_GATE_MPS = 50.0
"""Fixed velocity gate, m/s (D)."""
VELOCITY_GATE_FRACTION = 0.25
"""Velocity gate growth with the engaged target's speed (D)."""


@dataclass(frozen=True)
class EngagedTracks:
    """Where the post last held the targets it has interceptors at, one row each.

    Attributes
    ----------
    track_id : (k,) int64
    state_m : (k, 6) float64
        Position (m) and velocity (m/s) in the post's ENU frame.
    time_s : (k,) float64
        Time of the state, s.
    last_update_s : (k,) float64
        Last detection the track took, s.
    """

    track_id: np.ndarray
    state_m: np.ndarray
    time_s: np.ndarray
    last_update_s: np.ndarray


def continues_engaged(
    state_m: np.ndarray,
    time_s: np.ndarray,
    created_s: np.ndarray,
    engaged: EngagedTracks,
    t: float,
) -> np.ndarray:
    """The engaged track each candidate track is a fragment of, or -1.

    Parameters
    ----------
    state_m : (n, 6) float64
        Candidate tracks' ENU states, m and m/s.
    time_s, created_s : (n,) float64
        Time of each candidate's state and its initiation time, s.
    engaged : EngagedTracks
    t : float
        Decision time, s: both states are extrapolated to it.

    Returns
    -------
    (n,) int64
        Track id of the engaged track it continues (the nearest that passes every test),
        -1 where none.
    """
    if len(state_m) == 0 or engaged.track_id.size == 0:
        return np.full(len(state_m), -1, dtype=np.int64)
    # One compiled pass (its NumPy twin, continues_engaged_reference, gives the same bits).
    return fragment_kernel(
        state_m,
        time_s,
        created_s,
        engaged.track_id,
        engaged.state_m,
        engaged.time_s,
        engaged.last_update_s,
        float(t),
        GATE_M,
        GATE_GROWTH,
        VELOCITY_GATE_MPS,
        VELOCITY_GATE_FRACTION,
    )


def continues_engaged_reference(
    state_m: np.ndarray,
    time_s: np.ndarray,
    created_s: np.ndarray,
    engaged: EngagedTracks,
    t: float,
) -> np.ndarray:
    """NumPy twin of :func:`continues_engaged` (same parameters, same results)."""
    n = len(state_m)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0 or engaged.track_id.size == 0:
        return out
    pos_c = state_m[:, :3] + state_m[:, 3:] * (t - time_s)[:, None]
    age = t - engaged.time_s
    pos_e = engaged.state_m[:, :3] + engaged.state_m[:, 3:] * age[:, None]
    vel_e = engaged.state_m[:, 3:]
    speed_e = np.linalg.norm(vel_e, axis=1)
    distance = np.linalg.norm(pos_c[:, None, :] - pos_e[None, :, :], axis=2)  # (n, k)
    dv = np.linalg.norm(state_m[:, None, 3:] - vel_e[None, :, :], axis=2)
    gate = GATE_M + GATE_GROWTH * speed_e * np.abs(age)
    passes = (
        (created_s[:, None] > engaged.last_update_s[None, :])
        & (distance <= gate[None, :])
        & (dv <= VELOCITY_GATE_MPS + VELOCITY_GATE_FRACTION * speed_e[None, :])
    )
    rows = np.flatnonzero(passes.any(axis=1))
    nearest = np.argmin(np.where(passes[rows], distance[rows], np.inf), axis=1)
    out[rows] = engaged.track_id[nearest]
    return out
