"""A tiny study end to end: common random numbers, outputs, and resuming after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from iadsim.campaigns.campaign import replication_seed
from iadsim.campaigns.store import load_results
from iadsim.studies.outputs import write_study_outputs
from iadsim.studies.runner import run_study
from iadsim.studies.schema import load_study

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "studies" / "tiny.yaml"
KEYS = ["question", "condition", "variant", "replication"]


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    summary = run_study(load_study(TINY), folder, progress=False)
    assert (summary.n_ran, summary.n_failed) == (6, 0)
    write_study_outputs(folder)
    return folder


def test_replication_k_has_the_same_seed_in_every_variant(finished):
    results = pq.read_table(finished / "results.parquet")
    for k in range(3):
        rows = results.filter(pc.equal(results.column("replication"), k))
        seeds = set(rows.column("seed").to_pylist())
        assert seeds == {replication_seed(11, 0, k)}
        assert rows.num_rows == 2  # one per variant
    assert len(set(results.column("seed").to_pylist())) == 3


def test_the_study_writes_tables_summaries_and_plots(finished):
    differences = pq.read_table(finished / "differences.parquet").to_pylist()
    measures = {row["measure"] for row in differences}
    assert measures == {
        "kills",
        "any_friendly_engaged",
        "friends_declared_suspect_or_hostile",
        "friend_held_hostile_time_s_battery",
    }
    for row in differences:
        assert row["variant"] == "mode5-and-3c" and row["baseline"] == "mode5-only"
        assert row["n_pairs"] == 3
        assert {"difference", "ci_low", "ci_high"} <= set(row)
        assert (row["kind"] == "proportion") == np.isfinite(row["mcnemar_p"])
    summary = json.loads((finished / "summary.json").read_text("utf-8"))
    assert summary["study"]["seeding"] == "common-random-numbers"
    assert len(summary["estimates"]) == 2 * 4
    for plot in summary["plots"]:
        assert (finished / plot).stat().st_size > 5_000
    assert "iff-differences.png" in " ".join(summary["plots"])
    assert "| mode5-and-3c |" in (finished / "summary.md").read_text("utf-8")
    exposure = pq.read_table(finished / "iff" / "exposure.parquet")
    assert set(exposure.column("variant").to_pylist()) == {"mode5-only", "mode5-and-3c"}
    assert set(exposure.column("seed").to_pylist()) == {
        replication_seed(11, 0, k) for k in range(3)
    }


def _study_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "iadsim", "study", str(TINY), "--out", str(out)]


def test_a_killed_study_resumes_to_the_same_results(finished, tmp_path):
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    process = subprocess.Popen(
        _study_command(out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    first_parts = out / "iff" / "mode5-only" / "results"
    deadline = time.monotonic() + 300
    while not any(first_parts.glob("part-*.parquet")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    rerun = subprocess.run(
        _study_command(out), env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    done = int(rerun.stdout.split(" already done")[0].rsplit("(", 1)[1])
    assert 0 < done < 6  # killed mid-way: some replications were kept, some were not
    resumed = pq.read_table(out / "results.parquet").sort_by([(k, "ascending") for k in KEYS])
    whole = pq.read_table(finished / "results.parquet").sort_by([(k, "ascending") for k in KEYS])
    assert resumed.equals(whole)


def test_a_study_never_writes_into_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = subprocess.run(
        _study_command(tmp_path),
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "not a study folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_study_on_workers_starts_one_pool_and_gives_the_same_results(
    finished, tmp_path, monkeypatch
):
    """Every campaign of the study runs on one process pool (its workers import the
    package and load the compiled kernels once), with the same results as in process."""
    import iadsim.campaigns.workers as workers

    started = []
    real = workers._new_pool

    def counting(n: int):
        started.append(n)
        return real(n)

    monkeypatch.setattr(workers, "_new_pool", counting)
    loaded = load_study(TINY)
    summary = run_study(loaded, tmp_path / "pooled", workers=2, progress=False)
    assert (summary.n_runs, summary.n_ran, summary.n_failed) == (2, 6, 0)
    assert started == [2]  # one pool for both variant runs
    write_study_outputs(tmp_path / "pooled")
    pooled = pq.read_table(tmp_path / "pooled" / "results.parquet")
    whole = pq.read_table(finished / "results.parquet")
    order = [(k, "ascending") for k in KEYS]
    assert pooled.sort_by(order).equals(whole.sort_by(order))


def test_a_run_that_repeats_an_earlier_runs_document_takes_its_results(tmp_path):
    """Two questions share a variant (the same patches, so the same document and seeds): the
    second takes the first's replications instead of running them, and its results are
    those it computes when run alone."""
    study = tmp_path / "shared.yaml"
    minimal = ROOT / "tests" / "data" / "scenarios" / "minimal.yaml"
    question = """
  - name: {name}
    title: The escort's modes ({name})
    baseline: mode5-only
    variants:
      - name: mode5-only
        patches: {{air_tracks.escort.iff_modes: [mode5]}}
      - name: {other}
        patches: {{air_tracks.escort.iff_modes: [{modes}]}}
    measures: [kills, friends_declared_suspect_or_hostile]"""
    study.write_text(
        f"schema_version: 1\nname: shared\nscenario: {minimal}\nseed: 11\nreplications: 2\n"
        "questions:"
        + question.format(name="first", other="mode5-and-3c", modes="mode5, mode3c")
        + question.format(name="second", other="mode3c-only", modes="mode3c")
    )
    summary = run_study(load_study(study), tmp_path / "both", progress=False)
    assert (summary.n_total, summary.n_already_done, summary.n_ran) == (8, 2, 6)
    alone = run_study(load_study(study, ["second"]), tmp_path / "alone", progress=False)
    assert (alone.n_already_done, alone.n_ran) == (0, 4)
    for folder in ("first/mode5-only", "second/mode5-only"):
        shared = load_results(tmp_path / "both" / folder)
        computed = load_results(tmp_path / "alone" / "second" / "mode5-only")
        # as JSON text, where NaN equals NaN
        assert json.dumps(shared.to_pylist()) == json.dumps(computed.to_pylist())
