"""``iadsim export``: writes each format, and refuses what it cannot do with exit code 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from iadsim.cli import app


@pytest.mark.parametrize(
    ("format_name", "suffix"), [("czml", ".czml"), ("kml", ".kml"), ("acmi", ".txt.acmi")]
)
def test_export_writes_beside_the_run_by_default(short_run, format_name, suffix):
    result = CliRunner().invoke(app, ["export", str(short_run), "--format", format_name])
    assert result.exit_code == 0, result.output
    written = short_run / f"turkey-s400-ankara{suffix}"
    assert written.is_file()
    assert not [p for p in short_run.iterdir() if p.name.startswith(".") and "tmp" in p.name]


def test_export_writes_where_asked_and_replaces_its_own_file(short_run, tmp_path):
    out = tmp_path / "run.czml"
    for _ in range(2):
        result = CliRunner().invoke(
            app, ["export", str(short_run), "--format", "czml", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())[0]["id"] == "document"
    assert [p.name for p in tmp_path.iterdir()] == ["run.czml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "{missing}", "--format", "kml"], "not a run folder"),
        (["export", "{run}", "--format", "kml", "--out", "{tmp}"], "is a folder"),
        (
            ["export", "{run}", "--format", "kml", "--out", "{tmp}/no/such/file.kml"],
            "does not exist",
        ),
    ],
    ids=["no-run", "out-is-a-folder", "no-folder"],
)
def test_export_refuses_with_exit_2(short_run, tmp_path, args, message):
    filled = [a.format(run=short_run, tmp=tmp_path, missing=tmp_path / "missing") for a in args]
    result = CliRunner().invoke(app, filled)
    assert result.exit_code == 2
    assert message in result.output


def test_an_unknown_format_is_a_usage_error(short_run):
    result = CliRunner().invoke(app, ["export", str(short_run), "--format", "gpx"])
    assert result.exit_code == 2
