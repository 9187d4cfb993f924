"""The run summary from a hand-made event table: every number computed by hand.

The run: a surface-to-air post ``sam`` (radars ``sam/a`` and ``sam/b``, on ``link16``) and
an airborne sensor post ``awacs`` (radar ``awacs/r``). Threats: kalibrs ``k1`` (killed by
``sam``) and ``k2`` (leaked), shahed ``d1`` (still flying at the end), kalibr ``late``
(starts after the run ends: never launched). Allied F-35As ``f1`` (shot down by ``sam``)
and ``f2`` (lands).
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from iadsim.engine.record import EVENT_SCHEMA
from iadsim.scoring.outcomes import ConservationError
from iadsim.scoring.post_accounting import Post
from iadsim.scoring.replication import measures
from iadsim.scoring.run_summary import summarise

NAMES = ["k1", "k2", "d1", "late", "f1", "f2"]
SIDES = ["red", "red", "red", "red", "nato", "nato"]
PLATFORMS = ["kalibr", "kalibr", "shahed136", "kalibr", "f35a", "f35a"]
CATEGORIES = ["cruise_missile", "cruise_missile", "drone", "cruise_missile", "fighter", "fighter"]
HOSTILE = np.array([True, True, True, True, False, False])
START_S = np.array([0.0, 0.0, 0.0, 150.0, 0.0, 0.0])
DURATION_S = 100.0
POSTS = [
    Post("sam", ("sam/a", "sam/b"), ("link16",), True),
    Post("awacs", ("awacs/r",), ("link16",), False),
]


def event(time_s, kind, unit="", truth="", interceptor_id=-1, engagement_id=-1, **detail):
    """One events.parquet row (positions and track ids left empty)."""
    return {
        "time_s": float(time_s),
        "kind": kind,
        "unit": unit,
        "track_id": -1,
        "truth": truth,
        "interceptor_id": interceptor_id,
        "engagement_id": engagement_id,
        "lat_deg": np.nan,
        "lon_deg": np.nan,
        "alt_m": np.nan,
        "detail": json.dumps(detail),
    }


def detection(t, post, radar, truth, km):
    return event(t, "first_detection", post, truth, radar=radar, range_km=km)


def own_track(t, post, radar, truth, km):
    return event(t, "first_track", post, truth, source="own", radar=radar, range_km=km)


def link_track(t, post, reporter, truth, km):
    detail = {"source": "link", "link": "link16", "reporter": reporter, "range_km": km}
    return event(t, "first_track", post, truth, **detail)


def engage(t, truth, engagement_id, rounds):
    detail = {"identity": "hostile", "interceptor": "x", "rounds": rounds}
    return event(t, "engage", "sam", truth, engagement_id=engagement_id, **detail)


def run_events():
    return [
        detection(1, "awacs", "awacs/r", "k1", 200.0),
        detection(2, "awacs", "awacs/r", "d1", 150.0),
        own_track(3, "awacs", "awacs/r", "k1", 190.0),
        own_track(4, "awacs", "awacs/r", "d1", 140.0),
        link_track(5, "sam", "awacs", "k1", 120.0),
        link_track(6, "sam", "awacs", "d1", 90.0),
        detection(10, "sam", "sam/a", "k1", 60.0),
        own_track(11, "sam", "sam/a", "k1", 58.0),
        detection(12, "sam", "sam/b", "k1", 50.0),
        event(12, "fire_control_track", "sam", "k1", radar="sam/b", range_km=50.0),
        detection(20, "sam", "sam/a", "k2", 40.0),
        own_track(21, "sam", "sam/a", "k2", 38.0),
        engage(30, "k1", 0, rounds=2),
        event(31, "launch", "sam", "k1", 0, 0, interceptor="x"),
        event(32, "launch", "sam", "k1", 1, 0, interceptor="x"),
        engage(38, "f1", 1, rounds=1),
        event(39, "launch", "sam", "f1", 2, 1, interceptor="x"),
        engage(40, "f1", 2, rounds=1),
        event(41, "launch", "sam", "f1", 3, 2, interceptor="x"),
        event(45, "miss", "sam", "f1", 2, 1, miss_distance_m=31.25),
        event(50, "kill", "sam", "k1", 0, 0),
        event(51, "self_destruct", "sam", "k1", 1, 0, reason="target_destroyed"),
        event(55, "kill", "sam", "f1", 3, 2),
        event(80, "leak", truth="k2"),
        event(90, "route_end", truth="f2"),
        event(100, "airborne_at_end", truth="d1"),
    ]


def summary_of(rows):
    return summarise(
        pa.Table.from_pylist(rows, schema=EVENT_SCHEMA),
        NAMES,
        SIDES,
        PLATFORMS,
        CATEGORIES,
        HOSTILE,
        START_S,
        "hand-made",
        1,
        DURATION_S,
        POSTS,
    )


@pytest.fixture(scope="module")
def summary():
    return summary_of(run_events())


def test_each_post_is_credited_only_with_its_own_radars_and_its_link(summary):
    sam = summary["posts"]["sam"]["threats"]
    assert sam["kalibr"] == {
        "detected": 2,  # k1 (both radars) and k2
        "own_tracked": 2,
        "link_tracked": 1,  # k1 from the awacs
        "link_only": 0,
        "first_own_track_range_km_mean": 48.0,  # (58 + 38) / 2
        "first_own_track_range_km_min": 38.0,
        "first_link_track_range_km_mean": 120.0,
        "fire_control_tracked": 1,
        "first_fire_control_track_range_km_mean": 50.0,
        "engaged": 1,
        "interceptors_fired": 2,
        "killed": 1,
    }
    # The awacs saw d1 at 150 km, but that is the awacs's: sam only heard of it.
    shahed = sam["shahed136"]
    assert (shahed["detected"], shahed["own_tracked"]) == (0, 0)
    assert (shahed["link_tracked"], shahed["link_only"]) == (1, 1)
    assert shahed["first_own_track_range_km_mean"] is None
    assert shahed["first_link_track_range_km_mean"] == 90.0
    awacs = summary["posts"]["awacs"]["threats"]
    assert awacs["kalibr"]["first_own_track_range_km_mean"] == 190.0
    assert awacs["shahed136"]["first_own_track_range_km_mean"] == 140.0
    assert awacs["kalibr"]["engaged"] == awacs["kalibr"]["link_tracked"] == 0


def test_detections_are_counted_per_radar_with_ranges_from_that_radar(summary):
    radars = summary["posts"]["sam"]["radars"]
    assert radars["sam/a"]["kalibr"] == {
        "detected": 2,
        "first_detection_range_km_mean": 50.0,  # (60 + 40) / 2
        "first_detection_range_km_min": 40.0,
    }
    assert radars["sam/b"]["kalibr"]["detected"] == 1
    assert radars["sam/b"]["kalibr"]["first_detection_range_km_mean"] == 50.0
    assert radars["sam/b"]["shahed136"]["detected"] == 0
    assert list(summary["posts"]["awacs"]["radars"]) == ["awacs/r"]


def test_first_tracks_say_when_at_what_range_and_by_which_sensor(summary):
    rows = {r["truth"]: r for r in summary["posts"]["sam"]["first_tracks"]}
    assert set(rows) == {"k1", "k2", "d1"}
    k1 = rows["k1"]
    assert (k1["own_track_s"], k1["own_track_range_km"], k1["own_track_by"]) == (
        11.0,
        58.0,
        "sam/a",
    )
    assert (k1["link_track_s"], k1["link_track_by"]) == (5.0, "link16:awacs")
    assert (k1["fire_control_track_s"], k1["fire_control_track_by"]) == (12.0, "sam/b")
    assert rows["d1"]["own_track_s"] is None


def test_truth_outcomes_add_up_for_every_side_and_platform(summary):
    assert summary["outcomes"] == [
        {"side": "nato", "platform": "f35a", "launched": 2, "killed": 1, "leaked": 0,
         "route_ended": 1, "airborne_at_end": 0},
        {"side": "red", "platform": "kalibr", "launched": 2, "killed": 1, "leaked": 1,
         "route_ended": 0, "airborne_at_end": 0},
        {"side": "red", "platform": "shahed136", "launched": 1, "killed": 0, "leaked": 0,
         "route_ended": 0, "airborne_at_end": 1},
    ]  # fmt: skip
    assert summary["airborne_at_end"] == [
        {"truth": "d1", "side": "red", "platform": "shahed136", "threat": True}
    ]
    assert summary["threats"][0] == {
        "platform": "kalibr",
        "category": "cruise_missile",
        "launched": 2,  # "late" starts after the end
        "killed": 1,
        "leaked": 1,
        "airborne_at_end": 0,
    }


def test_totals_and_fratricide(summary):
    totals = summary["totals"]
    assert (totals["threats_launched"], totals["threats_killed"]) == (3, 1)
    assert (totals["threats_leaked"], totals["threats_airborne_at_end"]) == (1, 1)
    assert (totals["interceptors_fired"], totals["interceptors_per_kill"]) == (4, 4.0)
    assert (totals["allied_engaged"], totals["friendly_lost_to_own_fire"]) == (1, 1)
    # One row per engagement: f1 was engaged twice, missed by the first, killed by the second.
    assert summary["fratricide"] == [
        {"engagement_id": 1, "truth": "f1", "side": "nato", "platform": "f35a", "unit": "sam",
         "time_s": 38.0, "identity": "hostile", "interceptors": 1, "rounds": ["miss 31.2 m"],
         "result": "miss"},
        {"engagement_id": 2, "truth": "f1", "side": "nato", "platform": "f35a", "unit": "sam",
         "time_s": 40.0, "identity": "hostile", "interceptors": 1, "rounds": ["kill"],
         "result": "kill"},
    ]  # fmt: skip


def test_campaign_measures_are_per_post_and_from_own_radars_only(summary):
    produced = measures(summary)
    assert produced["own_tracked_sam"] == 2
    assert produced["first_track_range_km_mean_sam"] == 48.0
    assert produced["first_track_range_km_mean_awacs"] == 165.0  # (190 + 140) / 2
    assert produced["airborne_at_end"] == 1
    assert (produced["leakers_kalibr"], produced["leakers_shahed136"]) == (1, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: [*rows, event(85, "leak", truth="k1")], "k1: killed and leaked"),
        (lambda rows: rows[:-1], "d1: no terminal state"),
        (lambda rows: [*rows, event(99, "leak", truth="late")], "late: terminal state but never"),
    ],
)
def test_a_run_whose_events_lose_or_double_an_entity_is_refused(change, message):
    with pytest.raises(ConservationError, match=message):
        summary_of(change(run_events()))
