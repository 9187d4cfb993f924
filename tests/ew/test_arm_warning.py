"""ARM warning from tracks (iadsim.ew.arm_warning) and the shutdown it triggers in a run.

Expected values are geometry worked by hand: the closest approach of straight-line motion
past a point, and the rule of the module docstring (fast, diving, aimed at the radar). The
runs check that a radar falls silent for a missile and not for a faster fighter on the
same ground track, and that the entities' truth flags play no part.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from iadsim.engine.simulation import Simulation
from iadsim.ew.arm_warning import DEFAULT_RULE, ArmWarningRule, closest_approach, recognise
from iadsim.scenario.loader import validate_document

UP = np.array([0.0, 0.0, 1.0])
RADAR = np.array([0.0, 0.0, 10.0])


def test_closest_approach_by_hand():
    pos = np.array([[10_000.0, 0.0, 0.0], [0.0, -1_000.0, 0.0], [3_000.0, 4_000.0, 0.0]])
    vel = np.array([[-100.0, 0.0, 0.0], [0.0, 0.0, 50.0], [10.0, 0.0, 0.0]])
    miss, tgo = closest_approach(pos, vel, np.zeros(3))
    # Head-on: hits at t = 100 s. Perpendicular: already at its closest (1 km, t = 0).
    # Moving away (t* = -300 s): the present distance, 5 km.
    np.testing.assert_allclose(miss, [0.0, 1_000.0, 5_000.0], atol=1e-9)
    np.testing.assert_allclose(tgo, [100.0, 0.0, -300.0])


def _diving_at_radar(ground_m: float, dive_deg: float, speed: float) -> tuple:
    """A body ``ground_m`` west of the radar, diving at ``dive_deg`` straight at it."""
    height = ground_m * np.tan(np.radians(dive_deg))
    pos = np.array([[-ground_m, 0.0, RADAR[2] + height]])
    direction = RADAR - pos[0]
    vel = speed * direction / np.linalg.norm(direction)
    return pos, vel.reshape(1, 3)


def test_a_missile_diving_at_the_radar_is_recognised():
    pos, vel = _diving_at_radar(50_000.0, 15.0, 850.0)
    assert recognise(pos, vel, UP, RADAR).all()


def test_a_faster_fighter_on_the_same_ground_track_is_not():
    # 667 m/s (a Su-35's top speed, faster than the missile above), level at 10 km,
    # heading straight over the radar: it flies level and misses the antenna by 10 km.
    pos = np.array([[-50_000.0, 0.0, 10_000.0]])
    vel = np.array([[667.0, 0.0, 0.0]])
    assert not recognise(pos, vel, UP, RADAR).any()
    # Even diving (at 3.5 deg) it is not aimed at the radar: it would pass 7 km above it.
    gamma = np.radians(3.5)
    dive = 667.0 * np.array([[np.cos(gamma), 0.0, -np.sin(gamma)]])
    assert recognise(pos, dive, UP, RADAR, ArmWarningRule(aim_tolerance_deg=90.0)).all()
    assert not recognise(pos, dive, UP, RADAR).any()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"speed": 300.0}, "subsonic"),
        ({"dive_deg": 1.0}, "not diving"),
        ({"away": True}, "flying away"),
        ({"offset_m": 5_000.0}, "aimed 5 km beside the radar"),
    ],
)
def test_each_condition_is_needed(change, why):
    pos, vel = _diving_at_radar(50_000.0, change.get("dive_deg", 15.0), change.get("speed", 850.0))
    if change.get("away"):
        vel = -vel
    radar = RADAR + np.array([0.0, change.get("offset_m", 0.0), 0.0])
    assert not recognise(pos, vel, UP, radar).any(), why


def test_the_tolerance_grows_with_range():
    # Aimed 2 km beside the radar: inside the tolerance at 50 km (50 tan 3 deg = 2.6 km),
    # outside it at 20 km (1.05 km).
    for ground, expected in ((50_000.0, True), (20_000.0, False)):
        pos, vel = _diving_at_radar(ground, 15.0, 850.0)
        offset = np.array([0.0, 2_000.0, 0.0])
        assert recognise(pos, vel, UP, RADAR + offset)[0] == expected
    assert DEFAULT_RULE.min_speed_mps == pytest.approx(800 * 1852 / 3600, abs=0.1)


# --- in a run ------------------------------------------------------------------------------
RADAR_NAME = "battery/s400/92n6e"
SCENARIO = {
    "schema_version": 1,
    "name": "arm-warning-test",
    "start_time": "2026-06-01T03:00:00Z",
    "duration_min": 2.5,
    "seed": 7,
    "sides": {"red": {"hostile_to": ["blue"]}, "blue": {"hostile_to": ["red"]}},
    "fire_units": [
        {
            "name": "battery",
            "side": "red",
            "command_post": "s400/55k6e",
            "position": {"lat_deg": 54.655, "lon_deg": 21.05, "alt_m": 20.0},
            "weapon_control": "free",
            "radars": [
                {
                    "type": "s400/92n6e",
                    "facing_deg": 270.0,
                    "shutdown_on_arm": True,
                    "shutdown_s": 300.0,
                }
            ],
        }
    ],
    "air_tracks": [],
}
ARM = {
    "name": "arm",
    "side": "blue",
    "type": "agm88",
    "target_radar": RADAR_NAME,
    "start_s": 20.0,
    "route": [
        {"lat_deg": 54.655, "lon_deg": 20.45, "alt_m": 9000.0, "speed_kt": 1000.0},
        {"lat_deg": 54.655, "lon_deg": 20.80, "alt_m": 9000.0, "speed_kt": 1000.0},
    ],
}
# A Su-35 at its 667 m/s (1,297 kt), faster than the missile, on the same ground track at
# the same height, flying on over the radar.
FIGHTER = {
    "name": "fighter",
    "side": "blue",
    "type": "su35",
    "start_s": 20.0,
    "route": [
        {"lat_deg": 54.655, "lon_deg": 20.45, "alt_m": 9000.0, "speed_kt": 1296.0},
        {"lat_deg": 54.655, "lon_deg": 21.60, "alt_m": 9000.0, "speed_kt": 1296.0},
    ],
}


def _run(track: dict, flag_arm=None):
    """Run one air track against the radar; ``flag_arm`` overrides the truth flags."""
    doc = copy.deepcopy(SCENARIO)
    doc["air_tracks"] = [copy.deepcopy(track)]
    scenario, catalog = validate_document(doc, "arm-warning-test")
    simulation = Simulation(scenario, catalog)
    if flag_arm is not None:
        simulation.sead.is_arm[:] = flag_arm
    events = simulation.run().event_table().to_pylist()
    shutdowns = [
        e["time_s"]
        for e in events
        if e["kind"] == "emission" and json.loads(e["detail"])["reason"] == "arm_shutdown"
    ]
    detected = [e for e in events if e["kind"] == "first_detection"]
    return shutdowns, detected, events


def test_the_radar_shuts_down_for_the_missile_in_time_to_defeat_a_harm():
    shutdowns, detected, events = _run(ARM)
    assert detected and shutdowns
    (impact,) = [json.loads(e["detail"]) for e in events if e["kind"] == "arm_impact"]
    assert impact["reason"] == "emitter_silent"


def test_the_radar_keeps_radiating_for_the_fighter():
    shutdowns, detected, _ = _run(FIGHTER)
    assert detected  # it was seen and tracked, just not taken for a missile
    assert not shutdowns


def test_recognition_never_reads_the_truth_flags():
    # The truth flag says "not a missile" for the missile and "missile" for the fighter;
    # the post, which knows only its tracks, decides as before.
    assert _run(ARM, flag_arm=False)[0] == _run(ARM)[0]
    assert not _run(FIGHTER, flag_arm=True)[0]
