"""Per-post accounting events: recorded once, credited to the right post, measured from it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from iadsim.engine.simulation import Simulation
from iadsim.geo.frames import lla_to_ecef
from iadsim.scenario.loader import load_document, validate_document

MINIMAL = Path(__file__).parents[1] / "data" / "scenarios" / "minimal.yaml"
SITE = (40.0, 32.5, 900.0)
"""The battery's site in minimal.yaml: latitude, longitude (deg), altitude (m)."""


@pytest.fixture(scope="module")
def run():
    """minimal.yaml with the raider at 1500 m above ground (inside the battery's horizon)."""
    document = load_document(MINIMAL)
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500
    scenario, catalog = validate_document(document, "minimal.yaml")
    simulation = Simulation(scenario, catalog)
    rows = simulation.run().event_table().to_pylist()
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return simulation, rows


def of_kind(rows, kind):
    return [r for r in rows if r["kind"] == kind]


def test_each_first_is_recorded_once_per_post_and_source(run):
    _, rows = run
    detections = Counter(
        (r["unit"], r["detail"]["radar"], r["truth"])
        for r in rows
        if r["kind"] == "first_detection"
    )
    tracks = Counter(
        (r["unit"], r["detail"]["source"], r["truth"]) for r in of_kind(rows, "first_track")
    )
    fire_control = Counter((r["unit"], r["truth"]) for r in of_kind(rows, "fire_control_track"))
    assert detections and tracks and fire_control
    assert max(detections.values()) == max(tracks.values()) == max(fire_control.values()) == 1
    assert {unit for unit, _, _ in detections} == {"battery"}
    assert {radar for _, radar, _ in detections} == {"battery/patriot/mpq65"}
    assert {source for _, source, _ in tracks} == {"own"}  # the battery is alone on its link


def test_a_post_holds_a_track_only_after_its_radar_saw_the_target(run):
    simulation, rows = run
    seen = {r["truth"]: r["time_s"] for r in of_kind(rows, "first_detection")}
    held = {r["truth"]: r["time_s"] for r in of_kind(rows, "first_track")}
    guided = {r["truth"]: r["time_s"] for r in of_kind(rows, "fire_control_track")}
    for truth, time_s in held.items():
        assert seen[truth] <= time_s
        index = simulation.entities.name.index(truth)
        assert simulation.first_detection_s[index] == seen[truth]  # the only radar
    for truth, time_s in guided.items():
        assert held[truth] <= time_s


def test_track_ranges_are_measured_from_the_post(run):
    """The escort flies at 9000 m above sea level: its true position at the time of the
    event, from its route alone, and the battery's site give the range."""
    simulation, rows = run
    site = lla_to_ecef(np.radians(SITE[0]), np.radians(SITE[1]), SITE[2]).reshape(3)
    escort = simulation.entities.name.index("escort")
    for row in of_kind(rows, "first_track") + of_kind(rows, "fire_control_track"):
        if row["truth"] != "escort":
            continue
        pos, _, _, _ = simulation.entities.routes.state(row["time_s"])
        expected_km = np.linalg.norm(pos[escort] - site) / 1000.0
        assert row["detail"]["range_km"] == pytest.approx(expected_km, abs=1e-3)


def test_every_entity_still_flying_at_the_end_is_recorded(run):
    """A two-minute run: the raider's route (55.6 km at 273 m/s) takes 204 s and the
    escort's (about 123 km at 257 m/s, from 10 s) 480 s, so whatever was not killed is
    still flying at 120 s."""
    _simulation, rows = run
    ended = {r["truth"] for r in rows if r["kind"] in ("kill", "leak", "route_end")}
    airborne = of_kind(rows, "airborne_at_end")
    assert {r["truth"] for r in airborne} == {"raider", "escort"} - ended
    assert all(r["time_s"] == pytest.approx(120.0) for r in airborne)
    assert "escort" not in ended
