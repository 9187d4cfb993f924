"""The ``iadsim terrain`` examples of docs/terrain.md print what the guide shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "terrain.md"
BLOCKS = re.findall(r"```console\n\$ iadsim (.+?)\n(.*?)```", GUIDE.read_text("utf-8"), re.S)


def test_the_guide_has_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize(("command", "expected"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_each_example_prints_the_lines_the_guide_shows(command: str, expected: str) -> None:
    result = CliRunner().invoke(app, command.split(), env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    for line in expected.strip("\n").splitlines():
        assert line in printed, f"{command}: {line!r} not in\n{result.output}"
