"""Track identification by STANAG 1241 practice: standard identities, criteria, reasons.

Standard identities follow STANAG 1241 / APP-6 (pending, unknown, assumed friend, friend,
neutral, suspect, hostile). In that practice a track's behaviour or profile makes it at most
*suspect* (potentially hostile by its characteristics, behaviour or origin); *hostile* needs
a hostile criterion that the identification authority has set: a hostile act, a declaration
by the authority, or an evaluation that it belongs to an opposing force. Which hostile
criteria a post may apply on its own is therefore part of the scenario (its identification
rules), as are the time constants of the rules. The rule set registered as ``stanag1241``
(:class:`Stanag1241Rules`) applies, to each confirmed track at each decision cycle and in
this order of precedence (numbered, and named, as the :class:`IdentityReason` it records):

1. ``secure_iff``: an authenticated (Mode 5/4) reply correlated with the track within
   ``reply_hold_s``: **friend** (a friend is held through reply gaps shorter than that);
2. ``datalink``: a friend or neutral identity received over the data link from a post that
   holds the track: adopt it;
3. hostile criteria, each applied only if named in ``hostile_criteria``:
   ``ballistic_trajectory``: the track's speed, less two standard deviations, exceeded
   ``ballistic_speed_mps`` at each of its last ``ballistic_looks`` radar updates (a
   confirmed trajectory no aircraft can fly, not one track-start transient): **hostile**,
   held while any of the last ``ballistic_looks`` updates still exceeds it (``kept``);
   ``datalink``: a hostile identity received over the data link (the identification
   authority's declaration): **hostile**. Without the criterion a linked hostile identity
   makes the track **suspect** (``datalink``);
4. ``kept``: a track with no radar update for ``coast_hold_s`` keeps its identity: a coasting
   track (e.g. an aircraft that landed, until its track is deleted) brings no new evidence;
5. ``procedural``: the identity of the flight plan or safe corridor the track matches
   (:mod:`iadsim.c2.picture.procedural`);
6. ``civil_iff``: a Mode 3/A-C reply within ``reply_hold_s``: **neutral**;
7. ``not_interrogated``: a track the post's IFF interrogator has not yet challenged stays
   **pending** (STANAG 1241: not yet subjected to the identification process), whatever
   its profile: the rules below read the absence of a reply;
8. ``high_speed``: a speed above ``ballistic_speed_mps`` not yet confirmed: **suspect**;
9. ``inbound``: a closest approach to a defended asset under ``suspect_cpa_m`` ahead:
   **suspect**;
10. ``no_criteria``: otherwise **unknown**.

Identity is re-evaluated at every cycle from the evidence: nothing but the two time
constants and the ballistic hysteresis carries an identity over, so a track that swaps from
one aircraft to another takes the identity of the evidence on the new one (and the reply
code changing on a track clears its reply history, :mod:`iadsim.c2.picture.iff_correlation`).
A post that cannot read Mode 5 and is off the link thus holds an allied jet at best as
unknown or suspect; whether it fires is its weapon control status
(:data:`iadsim.c2.fire_control.ENGAGEABLE`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np

from iadsim.c2.picture._identification_kernels import rule_precedence_kernel
from iadsim.core.contracts import TrackEvidence


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
    """Why a track holds its identity: the rule that decided it (module docstring).

    Stored as int8 in arrays; the lower-case name (``secure_iff``) is the stable string of an
    ``identity`` event's ``detail.reason``.
    """

    KEPT = 0
    SECURE_IFF = 1
    DATALINK = 2
    BALLISTIC_TRAJECTORY = 3
    CIVIL_IFF = 4
    INBOUND = 5
    HIGH_SPEED = 6
    NO_CRITERIA = 7
    PROCEDURAL = 8
    NOT_INTERROGATED = 9


HOSTILE_CRITERIA = ("ballistic_trajectory", "datalink")
"""Hostile criteria a scenario may name (``identification.hostile_criteria``)."""
SPEED_HISTORY = 4
"""Radar updates of each track whose speed bounds a post keeps (most ``ballistic_looks``)."""


@dataclass(frozen=True)
class Stanag1241Rules:
    """The ``stanag1241`` identification rule set and its settings (SI).

    Parameters
    ----------
    hostile_criteria : sequence of str
        Hostile criteria the post may apply (:data:`HOSTILE_CRITERIA`); the rest of the
        rules give suspect at most.
    reply_hold_s : float
        A secure or Mode 3/A-C reply counts this long after it was last correlated, s:
        friend and neutral survive shorter reply gaps (three 10 s antenna turns by default).
    coast_hold_s : float
        A track without a radar update for longer than this keeps its identity, s. Keep it
        under ``reply_hold_s`` by at least one interrogation interval, so that a friend whose
        track stops being updated (it landed, or it is masked) is kept as friend rather than
        dropped when its last reply ages out (two 10 s revisits by default).
    ballistic_speed_mps : float
        Speed no aircraft in the scenario flies, m/s (800 m/s: Mach 2.7 at altitude).
    ballistic_looks : int
        Consecutive radar updates that must exceed it to confirm a ballistic trajectory.
    suspect_cpa_m : float
        A track whose predicted closest approach to a defended asset, ahead, is under this is
        suspect, m.
    """

    hostile_criteria: tuple[str, ...] = HOSTILE_CRITERIA
    reply_hold_s: float = 30.0
    coast_hold_s: float = 20.0
    ballistic_speed_mps: float = 800.0
    ballistic_looks: int = 3
    suspect_cpa_m: float = 80_000.0

    def __post_init__(self) -> None:
        criteria = self.hostile_criteria
        if isinstance(criteria, str) or not all(isinstance(c, str) for c in criteria):
            raise ValueError("hostile_criteria: expected a list of criterion names")
        object.__setattr__(self, "hostile_criteria", tuple(criteria))
        unknown = [c for c in criteria if c not in HOSTILE_CRITERIA]
        if unknown:
            msg = f"hostile_criteria: unknown {unknown}; known: {', '.join(HOSTILE_CRITERIA)}"
            raise ValueError(msg)
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "hostile_criteria":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{field.name}: expected a number, got {value!r}")
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{field.name}: expected a positive number, got {value!r}")
        if not isinstance(self.ballistic_looks, int) or self.ballistic_looks > SPEED_HISTORY:
            msg = f"ballistic_looks: expected a whole number from 1 to {SPEED_HISTORY}"
            raise ValueError(msg)

    def identify(self, evidence: TrackEvidence) -> tuple[np.ndarray, np.ndarray]:
        """Identities and reasons of the evidence's tracks (rules in the module docstring).

        Returns
        -------
        identity, reason : (n,) int8
        """
        # The rules are tested track by track in a compiled loop (its NumPy twin applies
        # them in the order of the module docstring).
        identity, reason = rule_precedence_kernel(
            evidence.current,
            evidence.secure_reply_age_s,
            evidence.civil_reply_age_s,
            evidence.linked,
            evidence.procedural,
            evidence.speed_low_mps,
            evidence.update_age_s,
            evidence.interrogated,
            evidence.pos_m,
            evidence.vel_mps,
            evidence.asset_pos_m,
            float(self.reply_hold_s),
            float(self.coast_hold_s),
            float(self.ballistic_speed_mps),
            self.ballistic_looks,
            "datalink" in self.hostile_criteria,
            "ballistic_trajectory" in self.hostile_criteria,
            float(self.suspect_cpa_m),
        )
        return identity, reason
