"""The scenario's track_deletion block: checked at the edge, and read by every post."""

from __future__ import annotations

import pytest
from tests.scenario.test_bad_input import MINIMAL, Case, write_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.engine.world import build_fire_units, build_radars
from iadsim.scenario.loader import load_scenario
from iadsim.tracking.pruning import PruningRules

ANCHOR = "seed: 7\n"


def test_a_coast_under_one_revisit_is_refused_with_file_line_and_field(tmp_path):
    case = Case(ANCHOR, ANCHOR + "track_deletion:\n  coast_revisits: 0.5\n", "", "")
    path, _ = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    (issue,) = [i for i in caught.value.issues if i.field_path == "track_deletion.coast_revisits"]
    assert issue.line == path.read_text().splitlines().index("  coast_revisits: 0.5") + 1
    assert "greater than or equal to 1" in issue.message
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2


def test_every_post_prunes_with_the_scenarios_settings(tmp_path):
    settings = (
        "track_deletion:\n  coast_revisits: 6\n  max_speed_mps: 5000\n"
        "  terrain_tolerance_m: 80\n  sigmas: 2\n"
    )
    path, _ = write_variant(Case(ANCHOR, ANCHOR + settings, "", ""), tmp_path)
    scenario, catalog = load_scenario(path)
    radars, feeds = build_radars(scenario, catalog)
    units = build_fire_units(scenario, catalog, radars, feeds)
    assert [u.picture.pruning for u in units] == [
        PruningRules(coast_revisits=6, max_speed_mps=5000, terrain_tolerance_m=80, sigmas=2)
    ]
    default, _ = load_scenario(MINIMAL)
    radars, feeds = build_radars(default, catalog)
    assert build_fire_units(default, catalog, radars, feeds)[0].picture.pruning == PruningRules()
