"""Track identification: standard identities from IFF, the data link and kinematic rules.

Identities follow STANAG 1241 / APP-6 (friend, assumed friend, neutral, suspect, hostile,
unknown). The rules, in order of precedence, for each confirmed track at a command post
(numbered, and named, as the :class:`IdentityReason` each records):

1. ``secure_iff``: an authenticated reply (Mode 5/4) read by the post's interrogator:
   **friend**;
2. ``datalink``: an identity received over the data link from a post that holds the same
   track: adopt it;
3. ``ballistic_speed``: a ballistic speed (over ``ballistic_speed_mps``): **hostile**;
8. ``procedural``: within ``FLIGHT_PLAN_GATE_M`` of where a flight plan the post holds puts
   an aircraft now (**neutral** for civil flights, **assumed friend** otherwise), or inside
   a safe corridor known to the post (an airspace control measure: a published transit
   corridor, a civil airway), within its altitude band: the corridor's identity -- which a
   hostile aircraft flying the plan's path or the corridor would also receive;
4. ``threatening_profile``: no readable reply and a threatening profile, i.e. inbound with a
   predicted closest approach to a defended asset under ``hostile_cpa_m`` within
   ``hostile_time_s``: **hostile**;
5. ``civil_iff``: a civil (Mode 3/A-C) reply only: **neutral**;
6. ``inbound``: no readable reply and inbound with a closest approach under
   ``suspect_cpa_m``: **suspect**;
7. ``no_criteria``: otherwise **unknown**.

A hostile declaration is sticky (``kept``): later rules do not weaken it; only a secure
reply or a link identity changes it. A friend is not sticky: it must keep answering (a track
that stops replying -- e.g. one that has swapped from an allied jet onto a cruise missile --
falls back on the other rules). The rules are notional, in the spirit of published descriptions of
air-defence identification criteria (e.g. US JP 3-01, *Countering Air and Missile Threats*,
2017, on identification and positive/procedural control); they are the point where the
article's interoperability question bites: a post that cannot read Mode 5 falls through to
the kinematic rules for allied aircraft.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from iadsim.core.kinematics import closest_approach
from iadsim.geo.areas import inside_polygon


class Identity(IntEnum):
    """Standard identities (STANAG 1241), ordered by how hostile they are."""

    PENDING = 0
    UNKNOWN = 1
    FRIEND = 2
    ASSUMED_FRIEND = 3
    NEUTRAL = 4
    SUSPECT = 5
    HOSTILE = 6


class IdentityReason(IntEnum):
    """Why a track holds its identity: the rule that decided it, numbered as in the module
    docstring, ``KEPT`` where a sticky identity was kept.

    Stored as int8 in arrays; the lower-case name (``secure_iff``) is the stable string of an
    ``identity`` event's ``detail.reason``.
    """

    KEPT = 0
    SECURE_IFF = 1
    DATALINK = 2
    BALLISTIC_SPEED = 3
    THREATENING_PROFILE = 4
    CIVIL_IFF = 5
    INBOUND = 6
    NO_CRITERIA = 7
    PROCEDURAL = 8


@dataclass(frozen=True)
class Corridor:
    """A safe corridor known to a post: polygon (lon, lat deg), altitude band, identity."""

    ring_lonlat_deg: np.ndarray
    min_alt_m: float
    max_alt_m: float
    identity: Identity


def corridor_identities(corridors, lat_rad, lon_rad, alt_m) -> np.ndarray:
    """Identity of the corridor each point is in (the first listed wins), else PENDING.

    Parameters
    ----------
    corridors : sequence of Corridor
    lat_rad, lon_rad, alt_m : (n,) float64

    Returns
    -------
    (n,) int8
    """
    identity = np.full(np.shape(lat_rad), Identity.PENDING, dtype=np.int8)
    for corridor in reversed(corridors):
        inside = inside_polygon(corridor.ring_lonlat_deg, lat_rad, lon_rad)
        inside &= (alt_m >= corridor.min_alt_m) & (alt_m <= corridor.max_alt_m)
        identity[inside] = corridor.identity
    return identity


FLIGHT_PLAN_GATE_M = 5_000.0
"""A track this close to a planned position correlates with the flight plan (notional)."""


def flight_plan_identities(
    track_pos_m: np.ndarray,
    planned_pos_m: np.ndarray,
    planned_identity: np.ndarray,
    gate_m: float = FLIGHT_PLAN_GATE_M,
) -> np.ndarray:
    """Identity from the nearest flight plan within the gate, else PENDING.

    Parameters
    ----------
    track_pos_m : (n, 3) float64
        Track positions (any Cartesian frame, e.g. ECEF).
    planned_pos_m : (k, 3) float64
        Where the flight plans the post holds put their aircraft now, same frame.
    planned_identity : (k,) int
        Identity each plan gives (neutral for civil flights, assumed friend otherwise).
    gate_m : float

    Returns
    -------
    (n,) int8
    """
    identity = np.full(len(track_pos_m), Identity.PENDING, dtype=np.int8)
    if len(planned_pos_m) == 0 or len(track_pos_m) == 0:
        return identity
    distance = np.linalg.norm(track_pos_m[:, None, :] - planned_pos_m[None, :, :], axis=-1)
    nearest = np.argmin(distance, axis=1)
    close = distance[np.arange(len(track_pos_m)), nearest] <= gate_m
    identity[close] = np.asarray(planned_identity)[nearest[close]]
    return identity


@dataclass(frozen=True)
class IdentificationRules:
    """Thresholds of the kinematic rules (SI)."""

    hostile_cpa_m: float = 25_000.0
    hostile_time_s: float = 900.0
    suspect_cpa_m: float = 80_000.0
    ballistic_speed_mps: float = 800.0


def identify(
    current: np.ndarray,
    secure_reply: np.ndarray,
    civil_reply: np.ndarray,
    linked: np.ndarray,
    pos_m: np.ndarray,
    vel_mps: np.ndarray,
    asset_pos_m: np.ndarray,
    rules: IdentificationRules,
    corridor: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the identification rules to a set of tracks.

    Parameters
    ----------
    current : (n,) int
        Current identities (:class:`Identity` values).
    secure_reply, civil_reply : (n,) bool
        Replies read at the last interrogation.
    linked : (n,) int
        Identity received over the data link, ``Identity.PENDING`` if none.
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's ENU frame.
    asset_pos_m : (k, 3) float64
        Defended assets in the same frame.
    rules : IdentificationRules
    corridor : (n,) int, optional
        Procedural identity of each track (flight plan, else safe corridor; rule 8),
        ``Identity.PENDING`` if none.

    Returns
    -------
    identity : (n,) int8
    reason : (n,) int8
        The :class:`IdentityReason` of each identity: the rule that decided it, ``KEPT``
        where a sticky identity was kept.
    """
    n = len(current)
    if len(asset_pos_m):
        cpa, time_to_cpa = closest_approach(pos_m, vel_mps, asset_pos_m)
        # Rule 4 needs an inbound track (closest approach still ahead), as rule 6 does.
        threatening = (time_to_cpa > 0) & (time_to_cpa <= rules.hostile_time_s)
        threat_cpa = np.where(threatening, cpa, np.inf).min(axis=1)
        inbound_cpa = np.where(time_to_cpa > 0, cpa, np.inf).min(axis=1)
    else:
        threat_cpa = inbound_cpa = np.full(n, np.inf)
    speed = np.linalg.norm(vel_mps, axis=1)
    if corridor is None:
        corridor = np.full(n, Identity.PENDING, dtype=np.int8)
    proposal = np.full(n, Identity.UNKNOWN, dtype=np.int8)
    reason = np.full(n, IdentityReason.NO_CRITERIA, dtype=np.int8)
    pending = int(Identity.PENDING)
    # Lowest precedence first, so that later assignments win.
    for mask, identity, rule in (
        (inbound_cpa < rules.suspect_cpa_m, int(Identity.SUSPECT), IdentityReason.INBOUND),
        (civil_reply, int(Identity.NEUTRAL), IdentityReason.CIVIL_IFF),
        (
            ~civil_reply & (threat_cpa < rules.hostile_cpa_m),
            int(Identity.HOSTILE),
            IdentityReason.THREATENING_PROFILE,
        ),
        (corridor != pending, corridor, IdentityReason.PROCEDURAL),
        (speed > rules.ballistic_speed_mps, int(Identity.HOSTILE), IdentityReason.BALLISTIC_SPEED),
        (linked != pending, linked, IdentityReason.DATALINK),
        (secure_reply, int(Identity.FRIEND), IdentityReason.SECURE_IFF),
    ):
        mask = np.asarray(mask, dtype=bool)
        np.copyto(proposal, identity, casting="unsafe", where=mask)
        reason[mask] = rule
    sticky = (current == Identity.HOSTILE) & ~secure_reply & (linked == Identity.PENDING)
    identity = np.where(sticky, current, proposal).astype(np.int8)
    return identity, np.where(sticky, IdentityReason.KEPT, reason).astype(np.int8)
