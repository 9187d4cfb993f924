"""Jammed radars record angle-only strobes; a post with two radars triangulates them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import load_scenario

JAMMING = Path(__file__).parent.parent / "data" / "scenarios" / "jamming.yaml"
EARTH_RADIUS_M = 6_371_000.0


@pytest.fixture(scope="module")
def jammed_run():
    scenario, catalog = load_scenario(JAMMING)
    simulation = Simulation(scenario, catalog)
    growler = simulation.entities.name.index("growler")
    truth: dict[float, tuple[float, float]] = {}

    def keep(time_s: float) -> None:
        assert simulation.truth is not None
        lat, lon, _ = simulation.truth.lla[growler]
        truth[round(time_s - scenario.time_step_s, 6)] = (lat, lon)

    recorder = simulation.run(on_step=keep)
    events = [
        {name: recorder.events[name][i] for name in recorder.events}
        for i in range(len(recorder.events["kind"]))
    ]
    return events, truth


def test_both_radars_strobe_the_jammer_and_record_its_bearing(jammed_run):
    events, _ = jammed_run
    strobes = [e for e in events if e["kind"] == "jammer_strobe"]
    radars = {json.loads(e["detail"])["radar"] for e in strobes}
    assert radars == {"battalion/s400/91n6e", "battalion/s400/92n6e"}
    # A strobe is a measurement: it names no emitter, in the event or its detail.
    assert all(e["truth"] == "" for e in strobes)
    assert all("jammer" not in json.loads(e["detail"]) for e in strobes)
    # Bearings point at the jammer: north-north-west to north-north-east of the post.
    for event in strobes:
        bearing = json.loads(event["detail"])["bearing_deg"]
        assert bearing > 330.0 or bearing < 30.0


def test_the_post_triangulates_the_jammer_within_its_stated_error(jammed_run):
    events, truth = jammed_run
    fixes = [e for e in events if e["kind"] == "jammer_fix"]
    assert len(fixes) >= 10
    misses = []
    for fix in fixes:
        detail = json.loads(fix["detail"])
        assert fix["unit"] == "battalion"
        assert fix["truth"] == "growler"  # scored afterwards: no ghost with one jammer
        assert len(detail["radars"]) == 2
        lat, lon = truth[round(fix["time_s"], 6)]
        north = math.radians(fix["lat_deg"]) - lat
        east = (math.radians(fix["lon_deg"]) - lon) * math.cos(lat)
        miss = EARTH_RADIUS_M * math.hypot(north, east)
        misses.append(miss)
        assert miss < 3.0 * detail["error_m"]
    # 125 km out on a 25 km baseline, with the jammer flying 150 m/s between the two
    # radars' looks: fixes within about 5 km.
    assert float(np.median(misses)) < 5_000.0


def test_the_fixes_hold_one_track_of_the_jammer_in_the_post_picture(jammed_run):
    events, _ = jammed_run
    track_ids = [e["track_id"] for e in events if e["kind"] == "jammer_fix"]
    assert min(track_ids) >= 0
    # The jammed radars' silence on the jammer's track counts no misses, so the fixes keep
    # updating the one track they started.
    most = max(set(track_ids), key=track_ids.count)
    assert track_ids.count(most) >= 0.9 * len(track_ids)
    first = [e for e in events if e["kind"] == "first_track" and e["truth"] == "growler"]
    assert len(first) == 1
