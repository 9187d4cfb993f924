"""Doctrine fields in scenarios: country codes are checked at load time, with suggestions."""

from __future__ import annotations

import pytest
from tests.scenario.minimal_variant import write_minimal_variant as _write

from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario


def test_valid_doctrine_and_no_fire_zone_load(tmp_path):
    def edit(doc):
        doc["fire_units"][0]["doctrine"] = {"assignment": "greedy", "reserve_fraction": 0.25,
                                            "no_fire_countries": ["GRC", "SYR"]}  # fmt: skip
        doc["no_fire_zones"] = [{"name": "corridor", "polygon": [
            {"lat_deg": 39.0, "lon_deg": 32.0}, {"lat_deg": 39.0, "lon_deg": 33.0},
            {"lat_deg": 40.0, "lon_deg": 33.0}]}]  # fmt: skip

    scenario, _ = load_scenario(_write(tmp_path, edit))
    assert scenario.fire_units[0].doctrine.no_fire_countries == ["GRC", "SYR"]
    assert len(scenario.no_fire_zones[0].polygon) == 3


def test_unknown_country_code_is_named_with_suggestions(tmp_path):
    def edit(doc):
        doc["fire_units"][0]["doctrine"] = {"no_fire_countries": ["GRE"]}

    with pytest.raises(InputError) as raised:
        load_scenario(_write(tmp_path, edit))
    issue = raised.value.issues[0]
    assert issue.field_path == "fire_units[0].doctrine.no_fire_countries[0]"
    assert "GRC" in issue.suggestions


def test_spare_rounds_are_checked_against_the_launcher(tmp_path):
    def edit(doc):
        doc["fire_units"][0]["launchers"][0]["spares"] = {
            "patriot/pac3_mse": 12,
            "patriot/pac3mse": 4,
        }

    with pytest.raises(InputError) as raised:
        load_scenario(_write(tmp_path, edit))
    issue = raised.value.issues[0]
    assert issue.field_path == "fire_units[0].launchers[0].spares.patriot/pac3mse"
    assert "patriot/pac3_mse" in issue.suggestions
