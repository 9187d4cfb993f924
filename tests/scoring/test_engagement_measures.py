"""Engagement measures: interceptors per kill by target class, leakers by reason, rounds
left, checked on hand-built events whose answers are counted by hand."""

from __future__ import annotations

import json

import numpy as np

from iadsim.scoring.engagement_measures import by_target_class, leakers, rounds_left

NAMES = ["isk-1", "isk-2", "kal-1", "kal-2", "kal-3", "f35-1"]
CATEGORIES = [
    "ballistic_missile",
    "ballistic_missile",
    "cruise_missile",
    "cruise_missile",
    "cruise_missile",
    "fighter",
]
PLATFORMS = ["iskander", "iskander", "kalibr", "kalibr", "kalibr", "f35a"]
HOSTILE = np.array([True, True, True, True, True, False])


def _row(kind, truth, t=0.0, **detail):
    return {"kind": kind, "truth": truth, "time_s": t, "detail": json.dumps(detail)}


BY_KIND = {
    "launch": [_row("launch", n) for n in ("isk-1", "isk-1", "isk-2", "kal-1", "f35-1")],
    "kill": [_row("kill", "isk-1"), _row("kill", "kal-1"), _row("kill", "f35-1")],
    "hold_fire": [
        _row("hold_fire", "kal-2", 10.0, reason="no_fire_control_track"),
        _row("hold_fire", "kal-2", 20.0, reason="too_far"),
    ],
    "first_track": [_row("first_track", n) for n in ("isk-1", "isk-2", "kal-1", "kal-2")],
    "leak": [_row("leak", n) for n in ("isk-2", "kal-2", "kal-3")],
}


def test_interceptors_per_kill_by_class_count_hostile_threats_only():
    rows = by_target_class(BY_KIND, NAMES, CATEGORIES, HOSTILE)
    assert rows == [
        {
            "target_class": "cruise_missile",
            "interceptors_fired": 1,
            "kills": 1,
            "interceptors_per_kill": 1.0,
        },
        {
            "target_class": "ballistic_missile",
            "interceptors_fired": 3,
            "kills": 1,
            "interceptors_per_kill": 3.0,
        },
    ]


def test_each_leaker_gets_the_first_reason_that_applies():
    assert leakers(BY_KIND, NAMES, PLATFORMS) == [
        {"platform": "iskander", "reason": "engaged_survived", "count": 1},
        {"platform": "kalibr", "reason": "never_tracked", "count": 1},
        {"platform": "kalibr", "reason": "too_far", "count": 1},  # the last hold reason
    ]


def test_rounds_left_add_spares_and_list_held_or_fired_types():
    left = rounds_left(
        ["s400", "awacs", "patriot"],
        launcher_unit=np.array([0, 0, 2]),
        rounds=np.array([[2, 0, 0], [1, 0, 0], [0, 0, 0]]),
        spares=np.array([[4, 0, 0], [0, 0, 0], [0, 0, 0]]),
        interceptor_types=["48n6e3", "9m96e2", "pac3"],
        fired=np.array([[True, True, False], [False, False, False], [False, False, True]]),
    )
    assert left == {"s400": {"48n6e3": 7, "9m96e2": 0}, "patriot": {"pac3": 0}}
