"""Anti-radiation missile warning: recognising an ARM from a post's tracks, not from truth.

A radar with ``shutdown_on_arm`` falls silent when its post recognises an anti-radiation
missile coming at it (:mod:`iadsim.sensors.emission`). The post knows only what its radars
measured: the tracks of its picture, each a position and velocity estimate. A track is
taken for an ARM attacking radar ``k`` when all three hold:

1. **Fast**: its estimated speed is at least ``min_speed_mps`` (800 kt, 412 m/s, the HARM
   threshold speed of the open Skynet-IADS model [S350]). Subsonic aircraft, cruise missiles
   and decoys are slower; a supersonic fighter is not (a Su-35 dashes at 667 m/s), hence:
2. **Diving**: its flight-path angle (velocity against the local vertical at the track) is
   at most ``-min_dive_deg``. An ARM climbs after launch and dives onto its radar in the
   end game; Skynet-IADS [S350] reads the same from a contact's altitude profile (a climb
   then a descent at most). A fighter on a strike or SEAD path flies level or climbs.
3. **Aimed at the radar**: the straight-line extrapolation of the track passes within
   ``max(min_miss_m, R tan(aim_tolerance_deg))`` of the radar's antenna, ahead of the
   track (time to go positive), with ``R`` the track's range from the radar. An ARM homes
   on the antenna, so its velocity points there; a fighter overflying the radar at height
   ``h`` misses it by ``h`` (Skynet-IADS likewise checks that a HARM heads at the site
   [S350]).

The tolerance grows with range because a track's velocity direction is uncertain: an
angle error ``d`` displaces the extrapolated miss by ``R tan d``. The values are
assumptions (D, :data:`DEFAULT_RULE`), checked on the Kaliningrad SEAD scenario: the S-400
post's tracks of the diving AARGMs miss their radar by a median 0.18 and a 99th percentile
1.0 of the 3 deg tolerance (so most track updates, not all, pass the aim test), while no
decoy track comes within 12 tolerances. The 500 m floor covers the position errors near
the radar, and the 3 deg dive the climb-then-dive ARM profile against level flight.
Recognition is immediate once the rule
holds (no probability of missing it, no operator delay: both optimistic for the defence).
The rule reads the post's track estimates only; it never reads an entity's category, its
truth index or its true state.

Example: a missile at 50 km diving at 15 deg straight at the radar at 850 m/s meets all
three; a fighter at 667 m/s on the same ground track at 10 km altitude flies level (fails
2) and misses the radar by 10 km (fails 3, the tolerance at 50 km being 2.6 km).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DEFAULT_RULE", "ArmWarningRule", "closest_approach", "recognise"]


@dataclass(frozen=True)
class ArmWarningRule:
    """Thresholds of the ARM recognition rule (module docstring).

    Attributes
    ----------
    min_speed_mps : float
        Least estimated speed, m/s.
    min_dive_deg : float
        Least dive (negative flight-path angle), deg.
    aim_tolerance_deg : float
        Angle by which the velocity may miss the radar, deg (the miss tolerance is
        ``R tan`` of it).
    min_miss_m : float
        Floor of the miss tolerance, m.
    """

    min_speed_mps: float = 411.6
    min_dive_deg: float = 3.0
    aim_tolerance_deg: float = 3.0
    min_miss_m: float = 500.0


DEFAULT_RULE = ArmWarningRule()
"""The thresholds the engine uses (assumptions, D; Skynet-IADS's 800 kt for the speed)."""


def closest_approach(
    pos_m: np.ndarray, vel_mps: np.ndarray, point_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Miss distance and time to go of straight-line motion past a fixed point.

    ``t* = -(r . v) / |v|^2`` with ``r = pos - point``; miss ``= |r + v t*|``.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Positions, m, and velocities, m/s, in any Cartesian frame.
    point_m : (3,) float64
        The point (a radar's antenna) in the same frame, m.

    Returns
    -------
    miss_m : (n,) float64
        Distance at closest approach, m; the present distance where ``t* <= 0``.
    time_to_go_s : (n,) float64
        ``t*``, s (negative: moving away; 0 for a body at rest).
    """
    rel = np.asarray(pos_m, np.float64) - np.asarray(point_m, np.float64)
    vel = np.asarray(vel_mps, np.float64)
    speed2 = np.einsum("ij,ij->i", vel, vel)
    closing = -np.einsum("ij,ij->i", rel, vel)
    tgo = np.divide(closing, speed2, out=np.zeros_like(closing), where=speed2 > 0.0)
    ahead = np.maximum(tgo, 0.0)
    miss = np.linalg.norm(rel + vel * ahead[:, None], axis=1)
    return miss, tgo


def recognise(
    pos_m: np.ndarray,
    vel_mps: np.ndarray,
    up: np.ndarray,
    radar_m: np.ndarray,
    rule: ArmWarningRule = DEFAULT_RULE,
) -> np.ndarray:
    """Which tracks the rule takes for an anti-radiation missile attacking a radar.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track position, m, and velocity, m/s, estimates in one Cartesian frame (a post's
        ENU frame, or ECEF).
    up : (3,) or (n, 3) float64
        Local vertical unit vector(s) in that frame (at the post is close enough within the
        few hundred km of a radar's horizon: the flight-path angle then errs by the
        angle between the two verticals, under 1 deg per 111 km).
    radar_m : (3,) float64
        The radar's antenna in that frame, m.
    rule : ArmWarningRule

    Returns
    -------
    (n,) bool
    """
    pos = np.asarray(pos_m, np.float64).reshape(-1, 3)
    vel = np.asarray(vel_mps, np.float64).reshape(-1, 3)
    speed = np.linalg.norm(vel, axis=1)
    vertical = np.einsum("ij,ij->i", vel, np.broadcast_to(up, vel.shape))
    sin_gamma = np.divide(vertical, speed, out=np.zeros_like(speed), where=speed > 0.0)
    diving = sin_gamma <= -np.sin(np.radians(rule.min_dive_deg))
    miss, tgo = closest_approach(pos, vel, radar_m)
    distance = np.linalg.norm(pos - np.asarray(radar_m, np.float64), axis=1)
    tolerance = np.maximum(rule.min_miss_m, distance * np.tan(np.radians(rule.aim_tolerance_deg)))
    aimed = (tgo > 0.0) & (miss <= tolerance)
    return (speed >= rule.min_speed_mps) & diving & aimed
