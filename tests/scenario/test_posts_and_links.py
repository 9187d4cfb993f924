"""Airborne and sensor-only posts, and data-link settings, in the scenario schema."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from tests.scenario.minimal_variant import write_minimal_variant

from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario
from iadsim.scenario.schema import DataLink

AWACS_TRACK = {
    "name": "awacs",
    "side": "blue",
    "type": "e3a",
    "route": [
        {"lat_deg": 39.0, "lon_deg": 32.0, "alt_m": 9150, "speed_kt": 412},
        {"lat_deg": 39.5, "lon_deg": 32.5, "alt_m": 9150, "speed_kt": 412},
    ],
}
AWACS_POST = {
    "name": "awacs-post",
    "side": "blue",
    "command_post": "nato/e3_mission_crew",
    "carrier": "awacs",
    "radars": [{"type": "nato/apy2"}],
}


def _write(tmp_path, edit) -> Path:
    """The minimal scenario with an AWACS post added, then ``edit``."""

    def with_awacs(document):
        document["air_tracks"].append(copy.deepcopy(AWACS_TRACK))
        document["fire_units"].append(copy.deepcopy(AWACS_POST))
        edit(document)

    return write_minimal_variant(tmp_path, with_awacs)


def _issues(path) -> list:
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return caught.value.issues


def test_an_airborne_sensor_post_loads_at_its_carriers_first_waypoint(tmp_path):
    scenario, _ = load_scenario(_write(tmp_path, lambda _doc: None))
    post = scenario.fire_units[1]
    assert post.carrier == "awacs"
    assert post.launchers == []
    assert (post.position.lat_deg, post.position.lon_deg, post.position.alt_m) == (
        39.0,
        32.0,
        9150,
    )


def test_a_post_may_have_no_radars_and_no_launchers(tmp_path):
    def edit(doc):
        doc["fire_units"][1]["radars"] = []

    scenario, _ = load_scenario(_write(tmp_path, edit))
    assert scenario.fire_units[1].radars == []


@pytest.mark.parametrize("case", ["both", "neither"])
def test_position_and_carrier_are_exclusive(tmp_path, case):
    def edit(doc):
        if case == "both":
            doc["fire_units"][1]["position"] = {"lat_deg": 39.0, "lon_deg": 32.0}
        else:
            del doc["fire_units"][1]["carrier"]

    (issue,) = _issues(_write(tmp_path, edit))
    assert issue.field_path == "fire_units[1]"
    assert "exactly one of position and carrier" in issue.message
    assert f"got {case}" in issue.message


def test_an_unknown_carrier_is_named_with_suggestions(tmp_path):
    def edit(doc):
        doc["fire_units"][1]["carrier"] = "awac"

    (issue,) = _issues(_write(tmp_path, edit))
    assert issue.field_path == "fire_units[1].carrier"
    assert "unknown air track 'awac'" in issue.message
    assert "awacs" in issue.suggestions
    assert issue.line is not None


def test_a_carrier_must_be_a_single_aircraft(tmp_path):
    def edit(doc):
        doc["air_tracks"][-1].update(count=2, spacing_s=60)

    (issue,) = _issues(_write(tmp_path, edit))
    assert issue.field_path == "fire_units[1].carrier"
    assert "single aircraft" in issue.message and "count 2" in issue.message


def test_a_missile_cannot_carry_a_post(tmp_path):
    def edit(doc):
        doc["fire_units"][1]["carrier"] = "raider"  # a Kalibr

    (issue,) = _issues(_write(tmp_path, edit))
    assert "must be an aircraft" in issue.message


def test_radars_of_an_airborne_post_take_no_position(tmp_path):
    def edit(doc):
        doc["fire_units"][1]["radars"][0]["position"] = {"lat_deg": 39.0, "lon_deg": 32.0}

    (issue,) = _issues(_write(tmp_path, edit))
    assert issue.field_path == "fire_units[1]"
    assert "ride on its carrier" in issue.message


def test_declared_links_and_defaults(tmp_path):
    def edit(doc):
        doc["datalinks"] = {"link16": {"update_interval_s": 6, "latency_s": 0.5}}

    scenario, _ = load_scenario(_write(tmp_path, edit))
    assert scenario.datalink("link16") == DataLink(update_interval_s=6, latency_s=0.5)
    # A link a side names but the scenario does not declare gets the Link 16 defaults.
    assert scenario.datalink("link11") == DataLink()
    assert (DataLink().update_interval_s, DataLink().latency_s) == (12.0, 2.0)


def test_a_misspelt_link_setting_is_suggested(tmp_path):
    def edit(doc):
        doc["datalinks"] = {"link16": {"latency": 2}}

    (issue,) = _issues(_write(tmp_path, edit))
    assert issue.field_path == "datalinks.link16.latency"
    assert "latency_s" in issue.suggestions
