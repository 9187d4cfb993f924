"""Raid timing: launch times of a raid's members from a time on target, in waves.

A raid (one air track of a scenario) has ``count`` members ``spacing_s`` apart, flown
``waves`` times, each wave ``wave_interval_s`` after the one before. Member ``k`` of wave
``w`` (both from 0) starts at

    t_start(w, k) = t_0 + w * wave_interval_s + k * spacing_s,

where ``t_0`` is the track's ``start_s``, or, for time-on-target planning, the arrival time
``arrive_s`` of the first member less its flight time: ``t_0 = arrive_s - T_flight``. The
flight time of a route is the sum of its segments' durations as the motion model flies
them (:func:`iadsim.motion.turns.route_segments`: each leg along its geodesic at its
speed, fly-by turns at the platform's bank angle), so a member arrives at the end of its
route exactly when planned; that of a ballistic flight is its solved time of flight
(:attr:`iadsim.motion.ballistic.BallisticFlight.time_of_flight_s`). Groups on different
routes given the same ``arrive_s`` reach their targets together (a time-on-target raid,
JP 3-09 "time on target").
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj

from iadsim.motion.turns import route_segments

__all__ = ["first_start_s", "launch_times_s", "route_duration_s"]


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


def route_duration_s(route: np.ndarray, bank_rad: float) -> float:
    """Time to fly a route from its first waypoint to its last, s.

    Parameters
    ----------
    route : (k, 4) float64
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps`` (speed of the leg that starts
        there), k >= 2.
    bank_rad : float
        Bank angle of the fly-by turns, rad; ``nan`` for instant turns.

    Returns
    -------
    float
        Sum of the segment durations of :func:`~iadsim.motion.turns.route_segments`.
    """
    return float(
        np.sum(route_segments(_geod(), np.asarray(route, dtype=float), bank_rad)["duration"])
    )


def first_start_s(start_s: float, arrive_s: float | None, flight_time_s: float) -> float:
    """Start time of a raid's first member: ``start_s``, or ``arrive_s - flight_time_s``.

    Parameters
    ----------
    start_s : float
        The track's start time, s (used when ``arrive_s`` is None).
    arrive_s : float or None
        Planned arrival of the first member at the end of its flight, s.
    flight_time_s : float
        Its flight time, s (:func:`route_duration_s`, or a ballistic time of flight).
    """
    return start_s if arrive_s is None else arrive_s - flight_time_s


def launch_times_s(
    first_s: float, count: int, spacing_s: float, waves: int = 1, wave_interval_s: float = 0.0
) -> np.ndarray:
    """Start time of every member of a raid, wave by wave (module docstring), s.

    Parameters
    ----------
    first_s : float
        Start of the first member of the first wave, s.
    count : int
        Members per wave.
    spacing_s : float
        Between two members of a wave, s.
    waves : int
        Number of waves.
    wave_interval_s : float
        Between the starts of two waves, s.

    Returns
    -------
    (waves * count,) float64
        Wave-major: the members of wave 0, then of wave 1, ...
    """
    wave = np.repeat(np.arange(waves, dtype=float), count)
    member = np.tile(np.arange(count, dtype=float), waves)
    return first_s + wave * wave_interval_s + member * spacing_s
