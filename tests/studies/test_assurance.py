"""Assurance search: minimal condition sets against hand-derived prime implicants, and the
``iadsim assure`` command on a tiny space whose answer follows from the identification rules."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.studies.assurance import load_assurance, minimal_condition_sets

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "studies" / "tiny-assurance.yaml"


def _table(function, n):
    return {cell: function(*cell) for cell in itertools.product(range(2), repeat=n)}


def test_minimal_sets_are_the_prime_implicants_of_a_known_function():
    # f = (a and b) or c: prime implicants ab and c; of not-f: a'c' and b'c'.
    outcome = _table(lambda a, b, c: bool((a and b) or c), 3)
    assert minimal_condition_sets([2, 2, 2], outcome) == [(None, None, 1), (1, 1, None)]
    assert minimal_condition_sets([2, 2, 2], outcome, wanted=False) == [
        (None, 0, 0),
        (0, None, 0),
    ]


def test_a_constant_outcome_needs_no_condition_and_an_absent_one_has_no_set():
    outcome = _table(lambda *_: False, 2)
    assert minimal_condition_sets([2, 2], outcome, wanted=False) == [(None, None)]
    assert minimal_condition_sets([2, 2], outcome, wanted=True) == []


def test_unexplored_cells_neither_support_nor_refute():
    # Only a = 0 explored, all without the outcome: no condition is needed over what was
    # explored (the coverage, not the set, says that a = 1 was not).
    outcome = {(0, 0): False, (0, 1): False}
    assert minimal_condition_sets([2, 2], outcome, wanted=False) == [(None, None)]
    outcome = {(0, 0): False, (0, 1): False, (1, 0): True}
    assert minimal_condition_sets([2, 2], outcome, wanted=False) == [(None, 1), (0, None)]


@pytest.fixture(scope="module")
def assured(tmp_path_factory):
    out = tmp_path_factory.mktemp("assure")
    result = CliRunner().invoke(
        app, ["assure", str(TINY), "--out", str(out)], env={"COLUMNS": "200"}
    )
    return result, json.loads((out / "assurance.json").read_text("utf-8")), out


def test_the_escort_is_engaged_only_without_every_safeguard(assured):
    """Weapons free fires at what is not friend or neutral; without Mode 5 keys and without a
    Mode 3/C reply the escort is at best suspect (inbound): engaged exactly then."""
    result, data, out = assured
    assert result.exit_code == 0, result.output
    assert data["coverage"] == {"explored": 8, "total": 8}
    engaged = [c["conditions"] for c in data["cells"] if c["friend_engaged"]]
    assert engaged == ["mode5=unreadable, weapon_control=free, escort_mode3c=off"]
    assert data["minimal_sets_engaging_a_friend"] == engaged
    assert sorted(data["minimal_sets_with_none_found"]) == [
        "escort_mode3c=on",
        "mode5=readable",
        "weapon_control=tight",
    ]
    worst = data["worst_case"]
    assert worst["aircraft"] == "escort"
    assert worst["conditions"] == engaged[0]
    assert any("engagement 0" in line for line in worst["explain"])
    assert "Coverage: 8 of 8 cells" in result.output
    assert (out / "cells.csv").read_text("utf-8").count("\n") == 9


def test_a_limited_search_says_its_coverage(tmp_path):
    result = CliRunner().invoke(
        app, ["assure", str(TINY), "--out", str(tmp_path), "--limit", "2"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "assurance.json").read_text("utf-8"))
    assert data["coverage"] == {"explored": 2, "total": 8}
    assert data["worst_case"] is None


def test_a_bad_level_patch_names_file_line_and_field(tmp_path):
    text = TINY.read_text("utf-8").replace(
        "fire_units.battery.weapon_control: tight", "fire_units.battery.weapon_contrl: tight"
    )
    (tmp_path / "minimal.yaml").write_text(
        (TINY.parents[1] / "scenarios" / "minimal.yaml").read_text("utf-8"), "utf-8"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("../scenarios/minimal.yaml", "minimal.yaml"), "utf-8")
    with pytest.raises(InputError) as caught:
        load_assurance(bad)
    issue = caught.value.issues[0]
    assert issue.field_path.startswith("factors")
    assert "weapon_contrl" in issue.message
    assert issue.line is not None
    result = CliRunner().invoke(app, ["assure", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_bundled_assurance_file_is_valid():
    loaded = load_assurance(TINY.parents[3] / "studies" / "s400-assurance.yaml")
    assert [f.name for f in loaded.spec.factors] == [
        "mode5",
        "weapon_control",
        "corridor",
        "link16",
        "nato_mode3c",
    ]


def _assure_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "iadsim", "assure", str(TINY), "--out", str(out)]


def test_a_killed_search_resumes_running_only_the_missing_replications(assured, tmp_path):
    """Killed (SIGKILL) after some cells finished, the same command runs only the rest
    and gives the same result as the search run in one go."""
    _, whole, _ = assured
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    process = subprocess.Popen(
        _assure_command(out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    outcomes = out / "outcomes.jsonl"
    deadline = time.monotonic() + 300
    while process.poll() is None and not (
        outcomes.is_file() and outcomes.read_text("utf-8").count("\n") >= 2
    ):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    kept = outcomes.read_text("utf-8").count("\n")
    assert 2 <= kept < 8, "killed too late to show a resume"
    assert not (out / "assurance.json").exists()
    with outcomes.open("a", encoding="utf-8") as handle:
        handle.write('{"document": "cut short by the ki')  # a line the kill interrupted
    rerun = subprocess.run(
        _assure_command(out), env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{8 - kept} of 8 replications run ({kept} already done)" in rerun.stdout
    resumed = json.loads((out / "assurance.json").read_text("utf-8"))
    assert resumed == whole
    # A third run finds everything done and runs nothing.
    again = subprocess.run(
        _assure_command(out), env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert "0 of 8 replications run (8 already done)" in again.stdout
    assert json.loads((out / "assurance.json").read_text("utf-8")) == whole


def test_outcomes_of_a_changed_cell_are_not_reused(tmp_path):
    """An outcome is keyed by its cell's scenario document and seed: a record of another
    document (a level changed since) is ignored, a garbled line is skipped."""
    from iadsim.studies.assurance_run import OUTCOMES_FILE, read_outcomes

    record = {"document": "abc", "seed": 7, "outcome": {"allied_engaged": 1}}
    (tmp_path / OUTCOMES_FILE).write_text(json.dumps(record) + "\n{not json\n", "utf-8")
    assert read_outcomes(tmp_path) == {("abc", 7): {"allied_engaged": 1}}
    assert read_outcomes(tmp_path / "none") == {}
