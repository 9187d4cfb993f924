"""Bad scenario files: each class of mistake is reported with file, line, field path and hints.

Every bad file is a one-edit variant of ``tests/data/scenarios/minimal.yaml``. Each case is
checked twice: through :func:`load_scenario` (the ``InputError`` and its issues) and through
``iadsim validate`` (exit code 2, one readable message, no traceback). The expected line is
found in the edited text itself, not copied from a run of the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario

MINIMAL = Path(__file__).parent.parent / "data" / "scenarios" / "minimal.yaml"


@dataclass(frozen=True)
class Case:
    """A one-edit bad variant of the minimal scenario and what its error must say."""

    old: str
    new: str
    field_path: str
    message: str
    suggestions: list[str] = field(default_factory=list)
    line_text: str = ""
    """Text of the line the error must name (default: the first line of ``new``)."""
    occurrence: int = 0
    """Which occurrence of ``line_text`` in the edited file, counting from 0."""


CASES = {
    "yaml_syntax": Case("duration_min: 2\n", "duration_min: 2: 3\n", "", "YAML syntax error"),
    "unknown_key": Case(
        "        alt_m: 100\n        speed_kt: 530\n      - lat_deg: 40.0",
        "        alt_ft: 100\n        speed_kt: 530\n      - lat_deg: 40.0",
        "air_tracks[0].route[0].alt_ft",
        "unknown key",
        ["alt_m"],
        line_text="alt_ft: 100",
    ),
    "wrong_type": Case(
        "        count: 2\n",
        "        count: many\n",
        "fire_units[0].launchers[0].count",
        "integer",
    ),
    "unknown_radar": Case(
        "type: patriot/mpq65",
        "type: s400/92n6",
        "fire_units[0].radars[0].type",
        "unknown radar type 's400/92n6'",
        ["s400/92n6e"],
    ),
    "unknown_platform": Case(
        "type: f35a",
        "type: f35",
        "air_tracks[1].type",
        "unknown air platform type 'f35'",
        ["f35a"],
    ),
    "unknown_launcher": Case(
        "type: patriot/m903",
        "type: patriot/m90",
        "fire_units[0].launchers[0].type",
        "unknown launcher type",
        ["patriot/m903"],
    ),
    "unknown_command_post": Case(
        "command_post: patriot/ecs",
        "command_post: patriot/esc",
        "fire_units[0].command_post",
        "unknown command post type",
        ["patriot/ecs"],
    ),
    "negative_speed": Case(
        "        speed_kt: 530\n      - lat_deg: 40.0",
        "        speed_kt: -530\n      - lat_deg: 40.0",
        "air_tracks[0].route[0].speed_kt",
        "greater than 0",
    ),
    "latitude_95": Case(
        "      - lat_deg: 40.5\n",
        "      - lat_deg: 95\n",
        "air_tracks[0].route[0].lat_deg",
        "90",
    ),
    "one_point_route": Case(
        "      - lat_deg: 40.4\n        lon_deg: 33.0\n        alt_m: 9000\n"
        "        speed_kt: 500\n",
        "",
        "air_tracks[1].route",
        "at least 2",
        line_text="    route:",
        occurrence=1,
    ),
    "unknown_side": Case(
        "    side: red\n",
        "    side: green\n",
        "air_tracks[0].side",
        "unknown side 'green'",
        ["red"],
    ),
    "unknown_hostile_side": Case(
        "hostile_to: [blue]}",
        "hostile_to: [blu]}",
        "sides.red.hostile_to[0]",
        "unknown side 'blu'",
        ["blue"],
    ),
    "over_capacity": Case(
        "patriot/pac3_mse: 12",
        "patriot/pac3_mse: 13",
        "fire_units[0].launchers[0].load",
        "capacity",
        line_text="        load:",
    ),
    "interceptor_not_for_launcher": Case(
        "patriot/pac3_mse: 12",
        "s400/48n6e3: 4",
        "fire_units[0].launchers[0].load.s400/48n6e3",
        "interceptor for launcher patriot/m903",
    ),
    "duplicate_name": Case(
        "  - name: escort\n", "  - name: raider\n", "air_tracks[1].name", "unique", occurrence=1
    ),
}


def write_variant(case: Case, directory: Path) -> tuple[Path, int]:
    """Write the edited scenario; return its path and the 1-based line the error must name."""
    text = MINIMAL.read_text("utf-8")
    assert text.count(case.old) == 1, "the edit must be unambiguous"
    edited = text.replace(case.old, case.new)
    wanted = case.line_text or case.new.strip().splitlines()[0]
    rows = [i for i, row in enumerate(edited.splitlines(), 1) if wanted in row]
    path = directory / "bad.yaml"
    path.write_text(edited, encoding="utf-8")
    return path, rows[case.occurrence]


def test_the_fixture_itself_is_valid():
    scenario, _ = load_scenario(MINIMAL)
    assert scenario.name == "minimal"


@pytest.mark.parametrize("name", sorted(CASES))
def test_load_scenario_reports_field_line_and_suggestions(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.file == str(path)
    matching = [issue for issue in error.issues if issue.field_path == case.field_path]
    assert matching, [issue.field_path for issue in error.issues]
    issue = matching[0]
    assert case.message in issue.message
    for suggestion in case.suggestions:
        assert suggestion in issue.suggestions
    assert issue.line == line
    # Only the one mistake that was made is reported.
    assert len(error.issues) == 1


def test_missing_file_is_an_input_error(tmp_path):
    path = tmp_path / "no-such-scenario.yaml"
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "cannot read" in str(caught.value)
    assert str(path) in str(caught.value)


def test_several_mistakes_are_all_reported_at_once(tmp_path):
    text = MINIMAL.read_text("utf-8")
    text = text.replace("        count: 2\n", "        count: many\n")
    text = text.replace("      - lat_deg: 40.5\n", "      - lat_deg: 95\n")
    path = tmp_path / "two.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    paths = {issue.field_path for issue in caught.value.issues}
    assert {"fire_units[0].launchers[0].count", "air_tracks[0].route[0].lat_deg"} <= paths


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_command_exits_2_with_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:{line}:" in result.output
    if case.field_path:
        assert f"{case.field_path}:" in result.output
    for suggestion in case.suggestions:
        assert repr(suggestion) in result.output


def test_validate_command_missing_file_exits_2(tmp_path):
    path = tmp_path / "absent.yaml"
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "Traceback" not in result.output
