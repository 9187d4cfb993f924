"""SEAD scenario fields (issue 16): bad ones get file, line and field, and exit code 2.

One-edit variants of ``tests/data/scenarios/minimal.yaml`` (helpers of ``test_bad_input``).
"""

from __future__ import annotations

import pytest
from tests.scenario.test_bad_input import Case, write_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario

RADAR = "      - type: patriot/mpq65\n        facing_deg: 0\n"
RAIDER = "    type: kalibr\n    start_s: 0\n    altitude_reference: agl\n"

CASES = {
    "go_live_without_range": Case(
        RADAR,
        "      - type: patriot/mpq65\n        emission: go_live\n        facing_deg: 0\n",
        "fire_units[0].radars[0].emission",
        "emission go_live needs go_live_km",
        line_text="emission: go_live",
    ),
    "unknown_emission": Case(
        RADAR,
        "      - type: patriot/mpq65\n        emission: sometimes\n        facing_deg: 0\n",
        "fire_units[0].radars[0].emission",
        "",
        line_text="emission: sometimes",
    ),
    "arm_without_target": Case(
        RAIDER,
        "    type: agm88e\n    start_s: 0\n",
        "air_tracks[0].type",
        "needs target_radar",
        line_text="type: agm88e",
    ),
    "unknown_target_radar": Case(
        RAIDER,
        "    type: agm88e\n    target_radar: battery/patriot/mpq66\n    start_s: 0\n",
        "air_tracks[0].target_radar",
        "unknown radar 'battery/patriot/mpq66'",
        suggestions=["battery/patriot/mpq65"],
        line_text="target_radar:",
    ),
    "target_radar_on_a_cruise_missile": Case(
        RAIDER,
        "    type: kalibr\n    target_radar: battery/patriot/mpq65\n    start_s: 0\n",
        "air_tracks[0].target_radar",
        "target_radar is for anti-radiation missiles",
        line_text="target_radar:",
    ),
    "receiver_on_a_raid_that_is_not_there": Case(
        "defended_assets:\n",
        "passive_receivers:\n  - {name: rwr, side: blue, carrier: escrot, sensitivity_dbm: -60}\n"
        "defended_assets:\n",
        "passive_receivers[0].carrier",
        "unknown air track 'escrot'",
        suggestions=["escort"],
        line_text="name: rwr",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_sead_field_gets_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    issues = [i for i in caught.value.issues if i.field_path == case.field_path]
    assert issues, [(i.field_path, i.message) for i in caught.value.issues]
    assert case.message in issues[0].message
    assert issues[0].line == line
    for suggestion in case.suggestions:
        assert suggestion in issues[0].suggestions
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_arm_beyond_its_range_is_refused(tmp_path):
    case = Case(
        RAIDER + "    route:\n      - lat_deg: 40.5\n",
        "    type: agm88e\n    target_radar: battery/patriot/mpq65\n    start_s: 0\n"
        "    route:\n      - lat_deg: 42.5\n",
        "air_tracks[0].route",
        "beyond the 110 km range of agm88e",
        line_text="route:",
    )
    path, _ = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert any(case.message in i.message for i in caught.value.issues)
