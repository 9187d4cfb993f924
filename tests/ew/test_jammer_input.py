"""Scenario ``jammers`` entries: bad ones are named by file, line and field (exit code 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario

JAMMING = Path(__file__).parent.parent / "data" / "scenarios" / "jamming.yaml"


def test_the_jamming_scenario_is_valid_and_reads_on_as_a_name():
    scenario, catalog = load_scenario(JAMMING)
    (jammer,) = scenario.jammers
    assert (jammer.type, jammer.on, jammer.aim_at) == ("ea18g/alq99", "growler", ["battalion"])
    assert jammer.type in catalog.jammers


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("type: ea18g/alq99", "type: ea18g/alq98", "jammers[0].type", "unknown jammer type"),
        ("on: growler", "on: prowler", "jammers[0].on", "unknown air track"),
        ("aim_at: [battalion]", "aim_at: [batallion]", "jammers[0].aim_at[0]", "unknown radar"),
        ("aim_at: [battalion]", "aim_at: []", "jammers[0].aim_at", "at least 1"),
        ("    aim_at: [battalion]", "    aim_at: [battalion]\n    power: 5", "jammers[0]", ""),
    ],
)
def test_bad_jammer_entries_name_file_line_and_field(old, new, field, message, tmp_path):
    text = JAMMING.read_text("utf-8")
    assert text.count(old) == 1
    edited = text.replace(old, new)
    path = tmp_path / "bad.yaml"
    path.write_text(edited, encoding="utf-8")
    wanted = new.strip().splitlines()[0]
    line = next(i for i, row in enumerate(edited.splitlines(), 1) if wanted in row)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    issues = [i for i in caught.value.issues if i.field_path.startswith(field)]
    assert issues, [i.field_path for i in caught.value.issues]
    assert message in issues[0].message
    assert issues[0].line is not None
    assert abs(issues[0].line - line) <= 1, (issues[0].line, line)
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert f"{path}:" in result.output
