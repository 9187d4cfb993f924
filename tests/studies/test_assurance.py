"""Assurance search: minimal condition sets against hand-derived prime implicants, and the
``iadsim assure`` command on a tiny space whose answer follows from the identification rules."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.studies.assurance import load_assurance, minimal_condition_sets

TINY = Path(__file__).resolve().parents[1] / "data" / "studies" / "tiny-assurance.yaml"


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
