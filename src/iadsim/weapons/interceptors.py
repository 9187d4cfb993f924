"""Interceptors in flight: kinematic flyout under command guidance, then kill assessment.

First model: an interceptor flies at its type's average speed towards the predicted
intercept point, recomputed every step from the fire-control track (midcourse command
guidance). It needs fresh fire-control updates: when the radar has not updated the track
for ``guidance_timeout_s`` the interceptor loses guidance and misses. On arrival the terminal
seeker corrects aim errors up to ``seeker_basket_m``; within it the kill is a Bernoulli
draw with the type's single-shot Pk (Przemieniecki, *Mathematical Methods in Defense
Analyses*, 3rd ed., ch. 4: single-shot kill probability of independent shots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.core.kinematics import intercept_time_s

GUIDANCE_TIMEOUT_S = 6.0
"""Fire-control silence after which guidance is lost (notional)."""
SEEKER_BASKET_M = 1500.0
"""Aim error the terminal phase can still take out (notional)."""


@dataclass
class Interceptor:
    """One interceptor in flight (an edge object: a handful exist at a time)."""

    id: int
    unit: int
    launcher: int
    interceptor_type: int
    track_id: int
    launch_s: float
    speed_mps: float
    pk: float
    max_flight_s: float
    pos_m: np.ndarray
    aim_m: np.ndarray
    guided: bool = True


@dataclass(frozen=True)
class Outcome:
    """How an interceptor's flight ended."""

    interceptor: Interceptor
    kind: str  # "kill", "miss", "guidance_lost", "self_destruct"
    time_s: float
    truth: int
    miss_distance_m: float


def advance(
    missile: Interceptor,
    time_s: float,
    dt_s: float,
    track_state: np.ndarray | None,
    truth: int,
    truth_state: np.ndarray | None,
    rng: np.random.Generator,
) -> Outcome | None:
    """Fly one interceptor through ``[time_s, time_s + dt_s)``.

    Parameters
    ----------
    missile : Interceptor
        Modified in place.
    time_s, dt_s : float
    track_state : (6,) float64 or None
        Fire-control track (unit ENU, m and m/s), None when guidance has no fresh update.
    truth : int
        True entity the track follows (-1: a false track), for the kill assessment.
    truth_state : (6,) float64 or None
        True state of that entity in the unit frame (None if destroyed or landed).
    rng : numpy.random.Generator

    Returns
    -------
    Outcome or None
        None while still flying.
    """
    if track_state is not None and missile.guided:
        go = intercept_time_s(
            (track_state[None, :3] - missile.pos_m[None, :]),
            track_state[None, 3:],
            missile.speed_mps,
        )[0]
        if np.isfinite(go):
            missile.aim_m = track_state[:3] + track_state[3:] * go
    elif missile.guided:
        missile.guided = False
        return Outcome(missile, "guidance_lost", time_s, truth, np.nan)
    offset = missile.aim_m - missile.pos_m
    distance = float(np.linalg.norm(offset))
    step = missile.speed_mps * dt_s
    if distance > step:
        missile.pos_m = missile.pos_m + offset * (step / distance)
        if time_s + dt_s - missile.launch_s > missile.max_flight_s:
            return Outcome(missile, "self_destruct", time_s + dt_s, truth, np.nan)
        return None
    arrival_s = time_s + distance / missile.speed_mps
    missile.pos_m = missile.aim_m.copy()
    if truth_state is None or truth < 0:
        return Outcome(missile, "miss", arrival_s, truth, np.inf)
    true_pos = truth_state[:3] + truth_state[3:] * (arrival_s - time_s)
    miss = float(np.linalg.norm(true_pos - missile.aim_m))
    killed = missile.guided and miss <= SEEKER_BASKET_M and rng.random() < missile.pk
    return Outcome(missile, "kill" if killed else "miss", arrival_s, truth, miss)
