"""The per-engagement table, from hand-built event rows."""

from __future__ import annotations

import math

from iadsim.engine.record import Recorder
from iadsim.scoring.engagements import (
    EngagementResult,
    RoundOutcome,
    engagement_table,
    engagements,
)


def _events():
    rec = Recorder()
    engage = {"identity": "hostile", "interceptor": "sam/a", "threat_value": 1.0}
    # 0: two rounds, the second kills after the first lost guidance and missed.
    rec.event(10.0, "engage", unit="u", track_id=4, truth="jet", engagement_id=0, rounds=2,
              **engage)  # fmt: skip
    # 1: ordered at the same track of another post: one aborted, one never fired.
    rec.event(11.0, "engage", unit="v", track_id=9, truth="jet", engagement_id=1, rounds=2,
              **engage)  # fmt: skip
    rec.event(12.0, "launch", unit="u", track_id=4, truth="jet", interceptor_id=0,
              engagement_id=0)  # fmt: skip
    rec.event(12.5, "launch", unit="u", track_id=4, truth="jet", interceptor_id=1,
              engagement_id=0)  # fmt: skip
    rec.event(13.0, "abort", unit="v", track_id=9, engagement_id=1,
              reason="track_dropped_before_launch")  # fmt: skip
    rec.event(14.0, "hold_fire", unit="u", track_id=5, reason="no_rounds")  # not an engagement
    rec.event(20.0, "guidance_lost", unit="u", track_id=4, interceptor_id=0, engagement_id=0)
    rec.event(30.0, "miss", unit="u", track_id=4, truth="jet", interceptor_id=0,
              engagement_id=0, reason="closest_approach", miss_distance_m=812.5)  # fmt: skip
    rec.event(31.0, "kill", unit="u", track_id=4, truth="jet", interceptor_id=1,
              engagement_id=0, reason="closest_approach", miss_distance_m=3.0)  # fmt: skip
    # 2: one round launched, still in flight at the end.
    rec.event(40.0, "engage", unit="u", track_id=6, truth="", engagement_id=2, rounds=1,
              **engage)  # fmt: skip
    rec.event(41.0, "launch", unit="u", track_id=6, interceptor_id=2, engagement_id=2)
    return rec.event_table()


def test_rounds_and_results_follow_the_events():
    found = engagements(_events())
    assert [e.engagement_id for e in found] == [0, 1, 2]
    first, second, third = found
    assert (first.unit, first.track_id, first.truth, first.interceptor) == ("u", 4, "jet", "sam/a")
    assert [r.outcome for r in first.rounds] == [RoundOutcome.MISS, RoundOutcome.KILL]
    assert [r.interceptor_id for r in first.rounds] == [0, 1]
    assert [r.guidance_lost for r in first.rounds] == [True, False]
    assert first.rounds[0].miss_distance_m == 812.5
    assert first.result == EngagementResult.KILL
    assert [r.outcome for r in second.rounds] == [RoundOutcome.ABORTED, RoundOutcome.NOT_LAUNCHED]
    assert second.rounds[0].reason == "track_dropped_before_launch"
    assert second.result == EngagementResult.UNRESOLVED
    assert [r.outcome for r in third.rounds] == [RoundOutcome.IN_FLIGHT]
    assert third.result == EngagementResult.UNRESOLVED


def test_results_miss_and_aborted():
    rec = Recorder()
    order = {"rounds": 1, "interceptor": "x", "identity": "suspect"}
    rec.event(0.0, "engage", unit="u", track_id=1, engagement_id=0, **order)
    rec.event(1.0, "abort", unit="u", track_id=1, engagement_id=0, reason="r")
    rec.event(2.0, "engage", unit="u", track_id=2, engagement_id=1, **order)
    rec.event(3.0, "launch", unit="u", track_id=2, interceptor_id=0, engagement_id=1)
    rec.event(9.0, "self_destruct", unit="u", track_id=2, interceptor_id=0, engagement_id=1,
              reason="target_destroyed")  # fmt: skip
    aborted, missed = engagements(rec.event_table())
    assert aborted.result == EngagementResult.ABORTED
    assert missed.result == EngagementResult.MISS
    assert missed.rounds[0].outcome == RoundOutcome.SELF_DESTRUCT
    assert math.isnan(missed.rounds[0].miss_distance_m)


def test_table_has_one_row_per_engagement_with_lists_per_round():
    table = engagement_table(_events())
    assert table.column("engagement_id").to_pylist() == [0, 1, 2]
    assert table.column("outcomes").to_pylist()[0] == ["miss", "kill"]
    assert table.column("result").to_pylist() == ["kill", "unresolved", "unresolved"]
    assert table.column("ordered").to_pylist() == [2, 2, 1]
