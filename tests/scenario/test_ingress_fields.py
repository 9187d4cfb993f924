"""The ``ingress`` field of an air track (issue 16, raid tactics): bad values get file, line
and field, and exit code 2; a good one is applied to the built route.

One-edit variants of ``tests/data/scenarios/minimal.yaml`` (helpers of ``test_bad_input``).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.scenario.test_bad_input import MINIMAL, Case, write_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.core.units import KNOT_MPS
from iadsim.motion.ingress import densify_route
from iadsim.motion.raid_timing import route_duration_s
from iadsim.scenario.ingress_checks import fixed_radar_sites
from iadsim.scenario.loader import load_document, load_scenario, validate_document

RAIDER = "    type: kalibr\n    start_s: 0\n    altitude_reference: agl\n"
MSL = "    type: kalibr\n    start_s: 0\n"

CASES = {
    "unknown_radar": Case(
        RAIDER,
        MSL + "    ingress: {below_horizon_of: battery/patriot/mpq66}\n",
        "air_tracks[0].ingress.below_horizon_of",
        "unknown radar 'battery/patriot/mpq66'",
        suggestions=["battery/patriot/mpq65"],
        line_text="ingress:",
    ),
    "agl_route": Case(
        RAIDER,
        RAIDER + "    ingress: {clearance_m: 60}\n",
        "air_tracks[0].ingress",
        "use altitude_reference msl",
        line_text="ingress:",
    ),
    "negative_clearance": Case(
        RAIDER,
        MSL + "    ingress:\n      clearance_m: -5\n",
        "air_tracks[0].ingress.clearance_m",
        "greater than 0",
        line_text="clearance_m: -5",
    ),
    "unknown_key": Case(
        RAIDER,
        MSL + "    ingress:\n      clearance_ft: 200\n",
        "air_tracks[0].ingress.clearance_ft",
        "unknown key",
        suggestions=["clearance_m"],
        line_text="clearance_ft: 200",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_ingress_field_gets_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.file == str(path)
    issues = [i for i in caught.value.issues if i.field_path == case.field_path]
    assert issues, [(i.field_path, i.message) for i in caught.value.issues]
    assert case.message in issues[0].message
    assert issues[0].line == line
    for suggestion in case.suggestions:
        assert suggestion in issues[0].suggestions
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_good_ingress_loads_with_its_defaults(tmp_path):
    case = Case(RAIDER, MSL + "    ingress: {below_horizon_of: battery/patriot/mpq65}\n", "", "")
    path, _ = write_variant(case, tmp_path)
    scenario, _ = load_scenario(path)
    ingress = scenario.air_tracks[0].ingress
    assert ingress is not None
    assert ingress.below_horizon_of == "battery/patriot/mpq65"
    assert (ingress.clearance_m, ingress.spacing_m, ingress.max_alt_m) == (60.0, 500.0, None)


def test_a_standalone_radar_can_be_hidden_from_at_its_antenna():
    document = load_document(MINIMAL)
    document["radars"] = [
        {
            "name": "early-warning",
            "side": "blue",
            "type": "patriot/mpq65",
            "position": {"lat_deg": 40.2, "lon_deg": 32.6, "alt_m": 1100},
        }
    ]
    raider = document["air_tracks"][0]
    del raider["altitude_reference"]
    raider["ingress"] = {"below_horizon_of": "early-warning"}
    scenario, catalog = validate_document(document, "minimal.yaml")
    sites = fixed_radar_sites(scenario, catalog)
    antenna_m = catalog.radars["patriot/mpq65"].antenna_height_m  # 4 m in radars.yaml
    assert sites["early-warning"] == (40.2, 32.6, 1100.0 + antenna_m)
    assert sites["battery/patriot/mpq65"][:2] == (40.0, 32.5)


def test_arrive_s_is_checked_on_the_planned_points_whose_corner_turns_are_tighter():
    document = load_document(MINIMAL)
    route = [[40.5, 32.5, 3000.0, 272.0], [40.2, 32.5, 3000.0, 272.0], [40.2, 32.9, 3000, 272.0]]
    raider = document["air_tracks"][0]
    del raider["altitude_reference"], raider["start_s"]
    raider["route"] = [
        {"lat_deg": a, "lon_deg": b, "alt_m": c, "speed_kt": v / KNOT_MPS} for a, b, c, v in route
    ]
    _, catalog = validate_document(load_document(MINIMAL), "minimal.yaml")
    bank = catalog.air_platforms["kalibr"].max_bank_rad
    as_given = route_duration_s(np.array(route), bank)
    planned = route_duration_s(densify_route(np.array(route), 500.0)[0], bank)
    assert planned > as_given + 1.0  # the fly-by turn at the corner cannot cut it
    raider["arrive_s"] = round(as_given + 0.5, 1)
    validate_document(document, "minimal.yaml")  # as given, it fits
    raider["ingress"] = {"clearance_m": 60}
    with pytest.raises(InputError) as caught:
        validate_document(document, "minimal.yaml")
    assert [i.field_path for i in caught.value.issues] == ["air_tracks[0].arrive_s"]
