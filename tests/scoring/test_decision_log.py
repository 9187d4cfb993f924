"""The decision log and engagement ids on the bundled runs, and ``iadsim explain``.

Every threat that leaks after a post with launchers held it as suspect or hostile must have
a hold-fire reason from that post (or an engagement by it); every engagement id is unique.
"""

from __future__ import annotations

import json

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from tests.conftest import BUNDLED, SCENARIOS
from typer.testing import CliRunner

from iadsim.c2.hold_fire import HoldReason
from iadsim.cli import app
from iadsim.scenario.loader import load_scenario
from iadsim.scoring.engagements import engagements

ROUND_KINDS = (
    "launch",
    "guidance_lost",
    "kill",
    "miss",
    "self_destruct",
    "abort",
    "kill_assessment",  # the post's look after a round: belongs to its engagement
)


def _rows(folder, name):
    return pq.read_table(folder / name).to_pylist()


@pytest.mark.parametrize("name", BUNDLED)
def test_every_leak_held_by_a_shooter_has_a_reason(bundled_runs, name):
    folder, _ = bundled_runs[name]
    scenario, _ = load_scenario(SCENARIOS / f"{name}.yaml")
    shooters = {unit.name for unit in scenario.fire_units if unit.launchers}
    events = _rows(folder, "events.parquet")
    held = {
        (row["source"], row["truth"])
        for row in _rows(folder, "tracks.parquet")
        if row["source"] in shooters and row["identity"] in ("suspect", "hostile")
    }
    explained = {
        (row["unit"], row["truth"]) for row in events if row["kind"] in ("hold_fire", "engage")
    }
    leaks = {row["truth"] for row in events if row["kind"] == "leak"}
    unexplained = {(post, truth) for post, truth in held if truth in leaks} - explained
    assert not unexplained
    names = {reason.name.lower() for reason in HoldReason if reason != HoldReason.ENGAGED}
    holds = [json.loads(row["detail"]) for row in events if row["kind"] == "hold_fire"]
    assert holds and {detail["reason"] for detail in holds} <= names


def test_patriot_run_explains_the_iskander_and_shahed_leaks(bundled_runs):
    folder, _ = bundled_runs["turkey-patriot-ankara"]
    events = _rows(folder, "events.parquet")
    for prefix in ("iskander-", "shahed-"):
        leaked = {
            r["truth"] for r in events if r["kind"] == "leak" and r["truth"].startswith(prefix)
        }
        reasoned = {
            r["truth"]
            for r in events
            if r["kind"] == "hold_fire" and r["unit"] == "patriot-murted" and r["truth"] in leaked
        }
        assert leaked and reasoned == leaked, prefix


@pytest.mark.parametrize("name", BUNDLED)
def test_engagement_ids_are_unique_and_carried_by_every_round(bundled_runs, name):
    folder, _ = bundled_runs[name]
    events = pq.read_table(folder / "events.parquet")
    engage = events.filter(pc.equal(events["kind"], "engage"))["engagement_id"].to_pylist()
    assert engage and len(set(engage)) == len(engage) and min(engage) >= 0
    rounds = events.filter(pc.is_in(events["kind"], value_set=pc.cast(ROUND_KINDS, "string")))
    assert set(rounds["engagement_id"].to_pylist()) <= set(engage)
    others = events.filter(
        pc.invert(pc.is_in(events["kind"], value_set=pc.cast((*ROUND_KINDS, "engage"), "string")))
    )
    assert set(others["engagement_id"].to_pylist()) == {-1}
    launched = events.filter(pc.equal(events["kind"], "launch"))["interceptor_id"].to_pylist()
    assert launched and len(set(launched)) == len(launched) and min(launched) >= 0


def test_explain_prints_the_chain_of_a_leaker(bundled_runs):
    folder, _ = bundled_runs["turkey-patriot-ankara"]
    events = pq.read_table(folder / "events.parquet").to_pylist()
    leaker = next(
        e["truth"] for e in events if e["kind"] == "leak" and e["truth"].startswith("iskander")
    )
    result = CliRunner().invoke(app, ["explain", str(folder), leaker])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"{leaker}: leaked at")
    for part in (
        "first detected by",
        "first own track",
        "-> hostile (ballistic_trajectory)",
        "hold fire:",
        "leak",
    ):
        assert part in out


def test_explain_lists_the_rounds_of_an_engagement(bundled_runs):
    """The first threat the Patriot killed: its chain ends in the kill, round by round."""
    folder, _ = bundled_runs["turkey-patriot-ankara"]
    killer = next(
        e for e in engagements(pq.read_table(folder / "events.parquet")) if e.result.name == "KILL"
    )
    result = CliRunner().invoke(app, ["explain", str(folder), killer.truth])
    assert result.exit_code == 0, result.output
    assert f"{killer.truth}: killed at" in result.output
    assert f"{killer.engagement_id:>4}" in result.output and "result kill" in result.output


def test_explain_unknown_name_suggests_close_ones(bundled_runs):
    folder, _ = bundled_runs["turkey-patriot-ankara"]
    result = CliRunner().invoke(app, ["explain", str(folder), "iskandr-02"])
    assert result.exit_code == 2
    assert "iskander-02" in result.output
    assert "Traceback" not in result.output


def test_explain_refuses_a_folder_that_is_not_a_run(tmp_path):
    result = CliRunner().invoke(app, ["explain", str(tmp_path), "x"])
    assert result.exit_code == 2
    assert "not a run folder" in result.output
