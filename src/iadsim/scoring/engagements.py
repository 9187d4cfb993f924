"""Engagements of a run: each decision to fire a salvo at one track, round by round.

Built from ``events.parquet`` alone: the ``engage`` row of an engagement gives the post,
track, truth and rounds ordered; each round's ``launch`` row gives its interceptor, whose
``kill``, ``miss`` or ``self_destruct`` row ends it (``guidance_lost`` may come before);
an ``abort`` row is a round that never left the launcher. All join on ``engagement_id``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import IntEnum

import pyarrow as pa


class RoundOutcome(IntEnum):
    """How one round of an engagement ended."""

    KILL = 1
    MISS = 2
    """Closest approach outside the kill (``miss_distance_m`` says how far)."""
    SELF_DESTRUCT = 3
    """Flight ended without an intercept (target gone, ground, speed, flight time)."""
    ABORTED = 4
    """Not launched: the track was dropped before the launcher fired."""
    IN_FLIGHT = 5
    """Launched, still flying when the run ended."""
    NOT_LAUNCHED = 6
    """Ordered, not yet fired when the run ended."""


class EngagementResult(IntEnum):
    """The result of an engagement, from its rounds."""

    KILL = 1
    """A round killed the target."""
    MISS = 2
    """Every round ended, none killed."""
    ABORTED = 3
    """Every round was aborted before launch."""
    UNRESOLVED = 4
    """No kill, and a round still flying or unfired at the end of the run."""


@dataclass(frozen=True)
class Round:
    """One round of an engagement.

    Attributes
    ----------
    interceptor_id : int
        -1 for a round that was never launched.
    outcome : RoundOutcome
    time_s : float
        When it ended (aborted, killed, missed, self-destructed), NaN if it did not.
    reason : str
        The end reason of the event (``closest_approach``, ``target_destroyed``,
        ``track_dropped_before_launch``...), empty if none.
    miss_distance_m : float
        At closest approach, NaN if none.
    guidance_lost : bool
        Guidance was lost during the flight.
    """

    interceptor_id: int
    outcome: RoundOutcome
    time_s: float = float("nan")
    reason: str = ""
    miss_distance_m: float = float("nan")
    guidance_lost: bool = False


@dataclass
class Engagement:
    """One decision to fire a salvo at one track.

    Attributes
    ----------
    engagement_id : int
    time_s : float
        When it was ordered.
    unit, truth, interceptor : str
        Post, true target (empty for a false track), interceptor type.
    track_id : int
        The post's track.
    ordered : int
        Rounds ordered.
    identity : str
        The identity the post held the track with when it ordered the salvo.
    rounds : list of Round
        In the order they were launched or aborted, then those not launched.
    """

    engagement_id: int
    time_s: float
    unit: str
    track_id: int
    truth: str
    interceptor: str
    ordered: int
    identity: str = ""
    rounds: list[Round] = field(default_factory=list)

    @property
    def result(self) -> EngagementResult:
        """Kill if any round killed; else unresolved, aborted or missed."""
        outcomes = {r.outcome for r in self.rounds}
        if RoundOutcome.KILL in outcomes:
            return EngagementResult.KILL
        if outcomes & {RoundOutcome.IN_FLIGHT, RoundOutcome.NOT_LAUNCHED}:
            return EngagementResult.UNRESOLVED
        if outcomes == {RoundOutcome.ABORTED}:
            return EngagementResult.ABORTED
        return EngagementResult.MISS


_ENDS = {
    "kill": RoundOutcome.KILL,
    "miss": RoundOutcome.MISS,
    "self_destruct": RoundOutcome.SELF_DESTRUCT,
}


def engagements(events: pa.Table) -> list[Engagement]:
    """Every engagement of a run, in the order they were ordered.

    Parameters
    ----------
    events : pyarrow.Table
        ``events.parquet`` (with ``engagement_id``).

    Returns
    -------
    list of Engagement
    """
    found: dict[int, Engagement] = {}
    flying: dict[int, dict] = {}  # interceptor id -> the round's facts so far
    for row in events.select(["time_s", "kind", "unit", "track_id", "truth", "interceptor_id",
                              "engagement_id", "detail"]).to_pylist():  # fmt: skip
        kind, eid = row["kind"], row["engagement_id"]
        if eid < 0:
            continue
        detail = json.loads(row["detail"])
        if kind == "engage":
            found[eid] = Engagement(
                eid,
                row["time_s"],
                row["unit"],
                row["track_id"],
                row["truth"],
                detail["interceptor"],
                detail["rounds"],
                detail["identity"],
            )
        elif kind == "launch":
            flying[row["interceptor_id"]] = {"guidance_lost": False, "eid": eid}
        elif kind == "guidance_lost":
            flying[row["interceptor_id"]]["guidance_lost"] = True
        elif kind == "abort":
            found[eid].rounds.append(
                Round(-1, RoundOutcome.ABORTED, row["time_s"], detail.get("reason", ""))
            )
        elif kind in _ENDS:
            interceptor = row["interceptor_id"]
            found[eid].rounds.append(
                Round(
                    interceptor,
                    _ENDS[kind],
                    row["time_s"],
                    detail.get("reason", ""),
                    detail.get("miss_distance_m", float("nan")),
                    flying.pop(interceptor)["guidance_lost"],
                )
            )
    for interceptor, facts in flying.items():
        found[facts["eid"]].rounds.append(
            Round(interceptor, RoundOutcome.IN_FLIGHT, guidance_lost=facts["guidance_lost"])
        )
    for engagement in found.values():
        missing = engagement.ordered - len(engagement.rounds)
        engagement.rounds.extend(Round(-1, RoundOutcome.NOT_LAUNCHED) for _ in range(missing))
    return sorted(found.values(), key=lambda e: e.engagement_id)


def engagement_table(events: pa.Table) -> pa.Table:
    """The engagements of :func:`engagements` as a table, one row each.

    Columns: ``engagement_id``, ``time_s``, ``unit``, ``track_id``, ``truth``,
    ``interceptor``, ``ordered``; per round, in lists: ``interceptor_ids``, ``outcomes``
    (:class:`RoundOutcome` names, lower case), ``reasons``, ``miss_distance_m`` (NaN where
    none), ``guidance_lost``; and ``result`` (:class:`EngagementResult` name, lower case).
    """
    rows = engagements(events)

    def per_round(attribute: str) -> list[list]:
        return [[getattr(r, attribute) for r in e.rounds] for e in rows]

    return pa.table(
        {
            "engagement_id": pa.array([e.engagement_id for e in rows], pa.int64()),
            "time_s": pa.array([e.time_s for e in rows], pa.float64()),
            "unit": pa.array([e.unit for e in rows], pa.string()),
            "track_id": pa.array([e.track_id for e in rows], pa.int64()),
            "truth": pa.array([e.truth for e in rows], pa.string()),
            "interceptor": pa.array([e.interceptor for e in rows], pa.string()),
            "ordered": pa.array([e.ordered for e in rows], pa.int64()),
            "interceptor_ids": pa.array(per_round("interceptor_id"), pa.list_(pa.int64())),
            "outcomes": pa.array(
                [[r.outcome.name.lower() for r in e.rounds] for e in rows], pa.list_(pa.string())
            ),
            "reasons": pa.array(per_round("reason"), pa.list_(pa.string())),
            "miss_distance_m": pa.array(per_round("miss_distance_m"), pa.list_(pa.float64())),
            "guidance_lost": pa.array(per_round("guidance_lost"), pa.list_(pa.bool_())),
            "result": pa.array([e.result.name.lower() for e in rows], pa.string()),
        }
    )
