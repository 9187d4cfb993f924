"""The CLI end to end on both bundled scenarios, checked against the golden summaries."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from tests.conftest import BUNDLED, ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("name", BUNDLED)
def test_run_writes_the_whole_run_folder(bundled_runs, name):
    folder, _ = bundled_runs[name]
    assert sorted(p.name for p in folder.iterdir()) == [
        ".iadsim-output.json", "events.parquet", "map.png",
        "picture_metrics.parquet", "summary.json", "tracks.parquet",
    ]  # fmt: skip
    assert (folder / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    events = pq.read_table(folder / "events.parquet")
    assert {"first_detection", "identity", "engage", "launch"} <= set(events["kind"].to_pylist())
    tracks = pq.read_table(folder / "tracks.parquet")
    assert set(tracks["source"].to_pylist()) >= {"truth"}
    assert not list(folder.parent.glob(f".{name}.*")), "temporary folders left behind"


@pytest.mark.parametrize("name", BUNDLED)
def test_summary_matches_golden(bundled_runs, name):
    folder, _ = bundled_runs[name]
    summary = json.loads((folder / "summary.json").read_text())
    golden = json.loads((GOLDEN / f"{name}.summary.json").read_text())
    assert summary == golden, (
        "summary differs from tests/golden; if the change is intended, run "
        "`.venv/bin/python scripts/update_golden.py` and review the diff"
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_printed_table_lists_every_threat_type(bundled_runs, name):
    folder, output = bundled_runs[name]
    summary = json.loads((folder / "summary.json").read_text())
    for threat in summary["threats"]:
        assert threat["platform"][:6] in output
    assert str(folder) in output.replace("\n", "")


def test_only_the_standalone_s400_engages_allied_aircraft(bundled_runs):
    """The article's question, as the bundled models answer it: off the link and without
    Mode 5, the S-400 post falls back on kinematic identification and engages allied jets;
    the linked Patriot, which reads Mode 5, does not."""
    s400 = json.loads((bundled_runs["turkey-s400-ankara"][0] / "summary.json").read_text())
    patriot = json.loads((bundled_runs["turkey-patriot-ankara"][0] / "summary.json").read_text())
    assert s400["totals"]["allied_engaged"] > 0
    assert all(f["side"] == "nato" for f in s400["fratricide"])
    assert patriot["totals"]["allied_engaged"] == 0
    assert patriot["totals"]["civil_engaged"] == 0


def test_a_known_allied_corridor_stops_the_s400_engaging_the_f35s(bundled_runs):
    """The procedural fix: given the corridor the F-35A flight flies, the standalone S-400
    holds it as assumed friend and engages no allied aircraft."""
    folder = bundled_runs["turkey-s400-ankara-corridor"][0]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["totals"]["allied_engaged"] == 0
    assert summary["totals"]["civil_engaged"] == 0
