"""A scenario's ballistic flights: accepted in their documented form, refused with file, line
and field (and ``iadsim validate`` exit 2) when they cannot be flown."""

from __future__ import annotations

import pytest
from tests.scenario.minimal_variant import write_minimal_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario

# About 390 km from the minimal scenario's base (40.0 N, 32.5 E).
BALLISTIC = {
    "launch": {"lat_deg": 43.5, "lon_deg": 32.8, "alt_m": 0.0},
    "target": {"lat_deg": 40.0, "lon_deg": 32.5, "alt_m": 900.0},
}


def with_ballistic_raider(tmp_path, **changes):
    def edit(document):
        raider = document["air_tracks"][0]
        raider.pop("route")
        raider.pop("altitude_reference")
        raider["type"] = "iskander"
        raider["ballistic"] = {**BALLISTIC, **changes.pop("ballistic", {})}
        raider.update(changes)

    return write_minimal_variant(tmp_path, edit)


def issues_of(path):
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return {issue.field_path: issue.message for issue in caught.value.issues}


def test_a_ballistic_flight_with_each_shape_loads(tmp_path):
    for shape in ({}, {"apogee_km": 60}, {"time_of_flight_s": 260}, {"minimum_energy": True}):
        scenario, _ = load_scenario(with_ballistic_raider(tmp_path, ballistic=shape))
        assert scenario.air_tracks[0].route is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"route": [{"lat_deg": 40.5, "lon_deg": 32.5, "alt_m": 100, "speed_kt": 500}] * 2},
            "air_tracks[0]",
            "give exactly one of route and ballistic (got both)",
        ),
        (
            {"ballistic": {"apogee_km": 50, "minimum_energy": True}},
            "air_tracks[0].ballistic",
            "give at most one of apogee_km, time_of_flight_s, minimum_energy",
        ),
        ({"altitude_reference": "agl"}, "air_tracks[0]", "no agl"),
        (
            {"ballistic": {"launch": {"lat_deg": 46.0, "lon_deg": 32.8, "alt_m": 0.0}}},
            "air_tracks[0].ballistic.target",
            "beyond the 500 km range of iskander",
        ),
        ({"type": "kalibr"}, "air_tracks[0].ballistic", "kalibr has no ballistic performance"),
        (
            {"ballistic": {"apogee_km": 2}},
            "air_tracks[0].ballistic",
            "no ballistic flight reaches the target",
        ),
        (
            {"ballistic": {"time_of_flight_s": 30}},
            "air_tracks[0].ballistic",
            "no ballistic flight reaches the target",
        ),
        (
            {"ballistic": {"target": {"lat_deg": 40.0, "lon_deg": 32.5, "alt_m": 0.0}}},
            "air_tracks[0].ballistic.target.alt_m",
            "the target point is 0 m above sea level",
        ),
        (
            {"ballistic": {"terminal_manoeuvre": {"accel_g": 5, "period_s": 0}}},
            "air_tracks[0].ballistic.terminal_manoeuvre.period_s",
            "greater than 0",
        ),
    ],
)
def test_a_ballistic_flight_that_cannot_be_flown_is_refused(tmp_path, changes, field, message):
    path = with_ballistic_raider(tmp_path, **changes)
    issues = issues_of(path)
    assert field in issues, issues
    assert message in issues[field]
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_route_is_still_accepted_for_a_ballistic_missile(tmp_path):
    """Older scenarios fly their ballistic missiles along routes; they still load."""

    def edit(document):
        raider = document["air_tracks"][0]
        raider["type"] = "iskander"
        raider.pop("altitude_reference")
        for waypoint in raider["route"]:
            waypoint.update(speed_kt=3800, alt_m=2000)

    scenario, _ = load_scenario(write_minimal_variant(tmp_path, edit))
    assert scenario.air_tracks[0].ballistic is None
