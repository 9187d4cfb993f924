"""Raid timing: time-on-target launch times, waves, and their validation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyproj
import pytest

from iadsim.core.errors import InputError
from iadsim.core.units import KNOT_MPS, STANDARD_GRAVITY_MPS2
from iadsim.core.yaml_input import parse_yaml
from iadsim.engine.world import build_air_entities
from iadsim.motion.raid_timing import launch_times_s, route_duration_s
from iadsim.scenario.loader import load_document, validate_document

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"
GEOD = pyproj.Geod(ellps="WGS84")
STEP_S = 1.0  # minimal.yaml's time step


def _doc():
    return load_document(MINIMAL)


def _entities(document):
    scenario, catalog = validate_document(document, "minimal.yaml")
    return scenario, build_air_entities(scenario, catalog)


def test_a_straight_route_takes_its_geodesic_length_over_its_speed():
    route = np.array([[40.5, 32.5, 100.0, 272.0], [40.0, 32.7, 100.0, 272.0]])
    _, _, length_m = GEOD.inv(32.5, 40.5, 32.7, 40.0)
    assert route_duration_s(route, math.nan) == pytest.approx(length_m / 272.0, rel=1e-9)


def test_a_fly_by_turn_cuts_the_corner_by_the_textbook_amount():
    # Two legs at right angles (north, then east) flown at 30 deg bank: the arc of radius
    # R = v^2 / (g tan phi) (Anderson eq. 6.118) replaces 2 R tan(45 deg) of straight flight
    # by R pi/2 of arc (PANS-OPS fly-by turn anticipation).
    speed = 250.0
    route = np.array(
        [[40.0, 32.5, 100.0, speed], [40.5, 32.5, 100.0, speed], [40.5, 33.1, 100.0, speed]]
    )
    legs = [GEOD.inv(32.5, 40.0, 32.5, 40.5)[2], GEOD.inv(32.5, 40.5, 33.1, 40.5)[2]]
    turn_deg = (GEOD.inv(32.5, 40.5, 33.1, 40.5)[0] - GEOD.inv(32.5, 40.0, 32.5, 40.5)[0]) % 360
    radius = speed**2 / (STANDARD_GRAVITY_MPS2 * math.tan(math.radians(30.0)))
    half = math.radians(turn_deg) / 2
    expected = (sum(legs) - 2 * radius * math.tan(half) + radius * 2 * half) / speed
    assert route_duration_s(route, math.radians(30.0)) == pytest.approx(expected, abs=0.05)


def test_groups_given_one_time_on_target_arrive_together_within_a_step():
    document = _doc()
    raider = document["air_tracks"][0]
    del raider["start_s"]
    raider["arrive_s"] = 300.0
    # A second group on a longer, slower route with a turn, planned for the same arrival.
    document["air_tracks"].append(
        {
            "name": "raider-west",
            "side": "red",
            "type": "kalibr",
            "arrive_s": 300.0,
            "altitude_reference": "agl",
            "route": [
                {"lat_deg": 40.2, "lon_deg": 32.1, "alt_m": 100, "speed_kt": 400},
                {"lat_deg": 40.1, "lon_deg": 32.3, "alt_m": 100, "speed_kt": 450},
                {"lat_deg": 40.0, "lon_deg": 32.5, "alt_m": 100, "speed_kt": 450},
            ],
        }
    )
    scenario, entities = _entities(document)
    rows = [entities.name.index(name) for name in ("raider", "raider-west")]
    flights = entities.routes
    starts = flights.start_s[rows]
    assert starts[0] != pytest.approx(starts[1], abs=5.0)  # different launch times ...
    # ... and each flies until 300 s: airborne a step before, landed a step after.
    times = np.array([300.0 - STEP_S, 300.0 + STEP_S])
    _, _, lla, flying = flights.states(times)
    assert flying[0, rows].all() and not flying[1, rows].any()
    target = scenario.air_tracks[0].waypoints[-1]
    for row in rows:
        _, _, miss_m = GEOD.inv(
            target.lon_deg,
            target.lat_deg,
            math.degrees(lla[1, row, 1]),
            math.degrees(lla[1, row, 0]),
        )
        assert miss_m < 1.0  # at the target when it ends
    assert flights.end_s[rows] == pytest.approx([300.0, 300.0], abs=1e-6)


def test_the_launch_time_follows_from_the_route_and_speed():
    document = _doc()
    del document["air_tracks"][0]["start_s"]
    document["air_tracks"][0]["arrive_s"] = 250.0
    _, entities = _entities(document)
    _, _, length_m = GEOD.inv(32.5, 40.5, 32.5, 40.0)  # minimal.yaml's raider: one leg
    start = entities.routes.start_s[entities.name.index("raider")]
    assert start == pytest.approx(250.0 - length_m / (530 * KNOT_MPS), abs=1e-6)


def test_waves_repeat_the_raid_each_wave_interval_later():
    document = _doc()
    raider = document["air_tracks"][0]
    raider.update(count=3, spacing_s=10.0, waves=2, wave_interval_s=120.0, start_s=5.0)
    scenario, entities = _entities(document)
    names = [f"raider-{k:02d}" for k in range(1, 7)]
    starts = [entities.routes.start_s[entities.name.index(n)] for n in names]
    assert starts == [5.0, 15.0, 25.0, 125.0, 135.0, 145.0]
    assert scenario.air_tracks[0].members == 6


def test_launch_times_are_wave_major():
    np.testing.assert_array_equal(launch_times_s(1.0, 2, 5.0, 3, 100.0), [1, 6, 101, 106, 201, 206])
    np.testing.assert_array_equal(launch_times_s(7.0, 3, 2.0), [7.0, 9.0, 11.0])


def test_a_raid_without_timing_keys_starts_as_before():
    _, entities = _entities(_doc())
    assert entities.routes.start_s[entities.name.index("raider")] == 0.0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"arrive_s": 600.0, "start_s": 10.0}, "air_tracks[0]", "not both"),
        ({"arrive_s": 100.0}, "air_tracks[0].arrive_s", "the flight takes"),
        (
            {"count": 3, "spacing_s": 30.0, "waves": 2, "wave_interval_s": 60.0},
            "air_tracks[0]",
            "must exceed one wave's length",
        ),
        ({"wave_interval_s": 60.0}, "air_tracks[0]", "for waves > 1"),
        ({"waves": 0}, "air_tracks[0].waves", "greater than or equal to 1"),
    ],
)
def test_bad_raid_timing_is_named_by_line_and_field(changes, field, message):
    document = load_document(MINIMAL)
    if "arrive_s" in changes and "start_s" not in changes:
        del document["air_tracks"][0]["start_s"]
    document["air_tracks"][0].update(changes)
    _, lines = parse_yaml(MINIMAL.read_text("utf-8"), str(MINIMAL))
    with pytest.raises(InputError) as caught:
        validate_document(document, "minimal.yaml", lines)
    issues = [i for i in caught.value.issues if i.field_path == field]
    assert issues and message in issues[0].message, caught.value.issues
    assert issues[0].line is not None


def test_a_ballistic_raid_arrives_at_its_target_when_planned():
    document = _doc()
    document["air_tracks"][0] = {
        "name": "srbm",
        "side": "red",
        "type": "iskander",
        "arrive_s": 400.0,
        "ballistic": {
            "launch": {"lat_deg": 42.5, "lon_deg": 32.5, "alt_m": 0},
            "target": {"lat_deg": 40.0, "lon_deg": 32.5, "alt_m": 900},
        },
    }
    _, entities = _entities(document)
    row = entities.name.index("srbm")
    assert entities.routes.end_s[row] == pytest.approx(400.0, abs=1e-6)
    assert 0.0 < entities.routes.start_s[row] < 400.0
