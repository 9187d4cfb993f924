"""The command line turns user mistakes into one readable message and exit code 2.

These run the real entry point in a child process (real stdout/stderr, no test runner in
between) for a few representative mistakes; ``tests/scenario/test_bad_input.py`` covers every
class of mistake through ``CliRunner``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from iadsim.cli import app

MINIMAL = Path(__file__).parent / "data" / "scenarios" / "minimal.yaml"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``iadsim ARGS`` through its console entry point ``iadsim.cli:app``."""
    return subprocess.run(
        [sys.executable, "-c", "from iadsim.cli import app; app()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "300", "PATH": "/usr/bin:/bin"},
        check=False,
    )


def bad_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text("utf-8")
    assert text.count(old) == 1
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_containing(path: Path, text: str) -> int:
    rows = [i for i, row in enumerate(path.read_text().splitlines(), 1) if text in row]
    assert len(rows) == 1
    return rows[0]


def test_entry_point_unknown_catalog_name_exits_2_on_stderr(tmp_path):
    path = bad_copy(tmp_path, "type: patriot/mpq65", "type: s400/92n6")
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    line = line_containing(path, "s400/92n6")
    assert f"{path}:{line}: fire_units[0].radars[0].type:" in result.stderr
    assert "'s400/92n6e'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_entry_point_missing_file_exits_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert "absent.yaml" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_run_refuses_a_bad_file_before_simulating(tmp_path):
    path = bad_copy(tmp_path, "type: f35a", "type: f35")
    out = tmp_path / "run-out"
    result = CliRunner().invoke(
        app, ["run", str(path), "--out", str(out), "--no-map"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2
    assert "air_tracks[1].type" in result.output
    assert "'f35a'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_user_text_that_looks_like_markup_is_printed_verbatim(tmp_path):
    # A name such as "[/x]" used to be parsed as Rich markup and crash with a traceback.
    path = bad_copy(tmp_path, "    side: red\n", "    side: '[/x]'\n")
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "unknown side '[/x]'" in result.output
    assert "Traceback" not in result.output


def test_catalog_show_typo_exits_2_with_suggestion():
    result = CliRunner().invoke(app, ["catalog", "show", "s400/92n6"], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "s400/92n6e" in result.output
    assert "Traceback" not in result.output
