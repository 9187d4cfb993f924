"""Why a fire unit does not engage a track: the decision log's hold-fire reasons.

At each decision a fire unit screens its confirmed tracks and hands the engageable ones to
its assigner (:mod:`iadsim.c2.fire_control`). Every suspect or hostile track it does not
engage gets the first reason, in the order of :class:`HoldReason`, that stopped it; the
engine records a ``hold_fire`` event only when that reason changes for a (unit, track), so
the log stays small (:class:`HoldLog`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from iadsim.c2.picture.identification import Identity

LOGGED = (Identity.SUSPECT, Identity.HOSTILE)
"""Identities whose tracks get a reason whenever the unit does not engage them."""


class HoldReason(IntEnum):
    """Why a unit did not engage a track at a decision, in the order they are tested.

    ``ENGAGED`` (0) is no hold: the track was ordered or has interceptors in flight. The
    screening reasons (1 to 3) apply even with interceptors in flight: a stale fire-control
    track is what makes them lose guidance.
    """

    ENGAGED = 0
    IDENTITY_NOT_ENGAGEABLE = 1
    """The weapon control status does not allow its identity (``tight``: hostile only)."""
    OUTSIDE_FIRE_CONTROL_COVERAGE = 2
    """No fresh fire-control update, and the track is outside the fire-control radar's
    range, elevation or azimuth sector, or below its horizon."""
    NO_FIRE_CONTROL_TRACK = 3
    """No fresh fire-control update although inside the radar's volume (terrain masking,
    too small a return, not yet detected)."""
    NO_INTERCEPT_SOLUTION = 4
    """No interceptor type can catch it (too fast, or receding)."""
    TOO_CLOSE = 5
    """Predicted intercept inside the minimum range."""
    TOO_FAR = 6
    """Predicted intercept beyond the maximum range."""
    TOO_LOW = 7
    """Predicted intercept below the minimum altitude."""
    TOO_HIGH = 8
    """Predicted intercept above the maximum altitude."""
    NOT_REACHABLE = 9
    """The flyout table says the interceptor does not get to the intercept point."""
    NO_FIRE_AREA = 10
    """Every reachable intercept point lies in a no-fire zone or country."""
    NO_ROUNDS = 11
    """No round left of any type that could intercept it."""
    RESERVE_HELD = 12
    """Rounds left of a type that could intercept it, but all of them held in reserve."""
    CHANNELS_FULL = 13
    """No guidance channel (target or missile) free."""
    LOWER_PRIORITY = 14
    """Engageable, but the assignment gave the unit's channels and rounds to others."""


@dataclass(frozen=True)
class Hold:
    """A suspect or hostile track of a unit's picture, and whether and why it holds fire.

    Attributes
    ----------
    track : str
        The track as ``tracks.parquet`` names it: the post's track number (``"12"``), or
        ``L16:<source>:<id>`` for a row the post holds from the data link only.
    track_id : int
        The post's track number, -1 for a remote-only row.
    truth : int
        Air entity the track follows (scoring only), -1 for a false track.
    identity : Identity
        As the post holds it.
    reason : HoldReason
    """

    track: str
    track_id: int
    truth: int
    identity: Identity
    reason: HoldReason


class HoldLog:
    """The last reason logged per (unit, track): reports only the changes."""

    def __init__(self) -> None:
        self._last: dict[int, dict[str, HoldReason]] = {}

    def changes(self, unit: int, holds: list[Hold]) -> list[Hold]:
        """The holds whose reason differs from the last one of the same (unit, track).

        Parameters
        ----------
        unit : int
            Fire unit index.
        holds : list of Hold
            Every logged track of the unit at this decision (``ENGAGED`` where it engages);
            tracks left out are forgotten, so a reason is logged again if they return.

        Returns
        -------
        list of Hold
            New holds, in the order given; a change to ``ENGAGED`` is remembered, not
            returned.
        """
        last = self._last.get(unit, {})
        self._last[unit] = {hold.track: hold.reason for hold in holds}
        return [
            hold
            for hold in holds
            if hold.reason != HoldReason.ENGAGED and last.get(hold.track) != hold.reason
        ]
