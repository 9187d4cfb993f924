"""Anti-radiation missiles against emission control, end to end (issue 16, points 2-3).

A lone 92N6E with no launchers (so nothing shoots the missiles down) meets one missile
fired 40 km out. Expected from the model's definition (module docstring of
:mod:`iadsim.weapons.arm`): a radar that keeps radiating is destroyed by either missile;
one that shuts down on detecting the missile is still destroyed by the AARGM (GPS/INS
memory) but not by the HARM, which needs emissions within 10 s of impact.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document
from iadsim.weapons.arm import ArmTable

RADAR = "battery/s400/92n6e"
BASE = {
    "schema_version": 1,
    "name": "arm-test",
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
            "radars": [{"type": "s400/92n6e", "facing_deg": 270.0}],
        }
    ],
    "air_tracks": [
        {
            "name": "arm",
            "side": "blue",
            "type": "agm88e",
            "target_radar": RADAR,
            "start_s": 20.0,
            "route": [
                {"lat_deg": 54.655, "lon_deg": 20.45, "alt_m": 9000.0, "speed_kt": 1000.0},
                {"lat_deg": 54.655, "lon_deg": 20.80, "alt_m": 9000.0, "speed_kt": 1000.0},
            ],
        }
    ],
}


def _run(arm_type: str = "agm88e", **radar_fields):
    doc = copy.deepcopy(BASE)
    doc["air_tracks"][0]["type"] = arm_type
    doc["fire_units"][0]["radars"][0].update(radar_fields)
    scenario, catalog = validate_document(doc, "arm-test")
    simulation = Simulation(scenario, catalog)
    recorder = simulation.run()
    events = recorder.event_table().to_pylist()
    return simulation, events


def _kinds(events, kind):
    return [(e["time_s"], json.loads(e["detail"])) for e in events if e["kind"] == kind]


@pytest.mark.parametrize("arm_type", ["agm88e", "agm88"])
def test_a_radar_that_keeps_radiating_is_destroyed(arm_type):
    simulation, events = _run(arm_type)
    (impact,) = _kinds(events, "arm_impact")
    assert impact[1] == {"radar": RADAR, "hit": True, "reason": "guided"}
    assert [d["radar"] for _, d in _kinds(events, "radar_killed")] == [RADAR]
    assert simulation.sead.emission.dead[0]
    # Destroyed, it radiates no more, and its post holds no fire-control track after it.
    emissions = [d for _, d in _kinds(events, "emission")]
    assert emissions == [{"radar": RADAR, "radiating": False, "reason": "destroyed"}]


def test_shutdown_defeats_the_harm_but_not_the_aargm():
    _, harm = _run("agm88", shutdown_on_arm=True, shutdown_s=300.0)
    _, aargm = _run("agm88e", shutdown_on_arm=True, shutdown_s=300.0)
    shutdowns = [d for _, d in _kinds(harm, "emission") if d["reason"] == "arm_shutdown"]
    assert shutdowns and not shutdowns[0]["radiating"]
    assert _kinds(harm, "arm_impact")[0][1]["reason"] == "emitter_silent"
    assert not _kinds(harm, "radar_killed")
    assert _kinds(aargm, "arm_impact")[0][1]["hit"]
    assert _kinds(aargm, "radar_killed")


def test_a_silent_radar_detects_nothing():
    simulation, events = _run(emission="go_live", go_live_km=1.0)
    # Nothing cues it (its post has no other radar and no link): it never radiates, so it
    # never detects the missile, and the AARGM, never having located it, misses.
    assert not [e for e in events if e["kind"] == "first_detection"]
    assert np.isinf(simulation.first_detection_s).all()
    assert _kinds(events, "arm_impact")[0][1]["reason"] == "emitter_silent"


def test_same_seed_same_events():
    _, first = _run("agm88", shutdown_on_arm=True)
    _, second = _run("agm88", shutdown_on_arm=True)
    assert repr(first) == repr(second)  # repr: the events' nan fields compare unequal


def test_out_of_band_seeker_misses():
    table = ArmTable(
        np.array([0]),
        np.array([0]),
        np.array([True]),
        np.array([0.0]),
        np.array([False]),
        np.array([20.0]),
        np.array([5.0]),
    )
    assert table.impact(0, 10.0).reason == "out_of_band"


def test_the_summary_scores_the_radar_lost():
    from iadsim.scoring.replication import run_simulation
    from iadsim.scoring.sead import sead_measures

    scenario, catalog = validate_document(copy.deepcopy(BASE), "arm-test")
    summary = run_simulation(scenario, catalog).summary
    # The missile reached its target: a leaker for threat accounting, and a radar lost.
    assert summary["totals"]["threats_leaked"] == 1
    assert summary["sead"]["radars_lost"] == [RADAR]
    found = sead_measures(summary)
    assert found["radars_lost"] == 1 and found["arm_hits"] == 1
    assert found["radar_lost_battery.s400.92n6e"] == 1.0
    # No launchers: no fire-control radar with missiles to lose, so no strike success.
    assert found["strike_success"] == 0.0
    assert sead_measures({"totals": {}}) == {}


def test_a_radar_falling_silent_loses_the_guidance_of_its_interceptors():
    """Radiating, the battery kills the missile; silent 4 s after its launch, the
    interceptor coasts on inertial guidance, its guidance times out and it misses widely,
    and the AARGM, which located the radar while it radiated, destroys it."""
    doc = copy.deepcopy(BASE)
    doc["duration_min"] = 3.0
    doc["air_tracks"][0]["route"][0]["lon_deg"] = 19.9
    doc["fire_units"][0]["launchers"] = [
        {"type": "s400/5p85", "count": 2, "load": {"s400/48n6e3": 4}}
    ]
    outcomes = {}
    for name, fields in (
        ("on", {}),
        ("blink", {"emission": "blink", "blink_on_s": 52.0, "blink_off_s": 300.0}),
    ):
        edited = copy.deepcopy(doc)
        edited["fire_units"][0]["radars"][0].update(fields)
        scenario, catalog = validate_document(edited, "guidance")
        events = Simulation(scenario, catalog).run().event_table().to_pylist()
        outcomes[name] = events
    assert _kinds(outcomes["on"], "kill") and not _kinds(outcomes["on"], "guidance_lost")
    launches = _kinds(outcomes["blink"], "launch")
    assert launches and launches[0][0] < 52.0
    assert _kinds(outcomes["blink"], "guidance_lost")
    assert not _kinds(outcomes["blink"], "kill")
    # Coasting on its inertial guess once the radar is silent, it misses by hundreds of metres.
    assert _kinds(outcomes["blink"], "miss")[0][1]["miss_distance_m"] > 300.0
    assert _kinds(outcomes["blink"], "radar_killed")
