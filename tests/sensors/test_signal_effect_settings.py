"""The scenario's settings of the default signal effects: validated at the edge, then used.

A bad setting is an input error naming the file, line and field (exit 2 from ``iadsim
validate``); a good one reaches the radars of the run and of ``iadsim coverage``.
"""

from __future__ import annotations

import pytest
from tests.scenario.test_bad_input import MINIMAL, Case, write_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.engine.world import build_radars
from iadsim.scenario.loader import load_scenario
from iadsim.sensors.clutter import DEFAULT_GAMMA_DB, GroundClutter

ANCHOR = "seed: 7\n"

CASES = {
    "gamma_out_of_range": Case(
        ANCHOR,
        ANCHOR + "signal_effects:\n  - {name: ground_clutter, gamma_db: 5}\n",
        "signal_effects[0]",
        "gamma_db must lie in [-40, 0] dB",
        line_text="name: ground_clutter",
    ),
    "default_set_twice": Case(
        ANCHOR,
        ANCHOR
        + "signal_effects:\n  - {name: ground_clutter, gamma_db: -5}\n"
        + "  - {name: ground_clutter, gamma_db: -20}\n",
        "signal_effects",
        "set it once",
        line_text="signal_effects:",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_settings_are_rejected_with_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    (issue,) = caught.value.issues
    assert caught.value.file == str(path)
    assert issue.field_path == case.field_path
    assert case.message in issue.message
    assert issue.line == line
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2


def test_a_default_effect_named_in_the_scenario_takes_its_settings(tmp_path):
    setting = "signal_effects:\n  - {name: ground_clutter, gamma_db: -5}\n"
    path, _ = write_variant(Case(ANCHOR, ANCHOR + setting, "", ""), tmp_path)
    scenario, catalog = load_scenario(path)
    radars, _ = build_radars(scenario, catalog)
    for radar in radars:
        clutter = [e for e in radar.signal_effects if isinstance(e, GroundClutter)]
        assert clutter == [GroundClutter(gamma_db=-5.0)]
    plain, _ = load_scenario(MINIMAL)
    radars, _ = build_radars(plain, catalog)
    assert [e.gamma_db for e in radars[0].signal_effects if isinstance(e, GroundClutter)] == [
        DEFAULT_GAMMA_DB
    ]
