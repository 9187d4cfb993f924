"""Resume after ``kill -9``: rerunning completes the campaign, nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
from tests.campaigns import mc_toys

from iadsim.campaigns.campaign import load_results, run_campaign
from iadsim.campaigns.store import RESULTS_DIR

ROOT = Path(__file__).resolve().parents[2]  # so that "tests.campaigns.mc_toys" imports
DOC = {"raid": {"count": 5, "pk": 0.6}}
SWEEP = ["raid.pk=0.3,0.6"]
RUNS = 60

SCRIPT = textwrap.dedent(
    f"""
    from iadsim.campaigns.campaign import run_campaign
    run_campaign({DOC!r}, "resume-test", {RUNS}, 99, out_dir=OUT_DIR, sweeps={SWEEP!r},
                 workers=2, replicate="tests.campaigns.mc_toys.slow_replicate",
                 progress=False, flush_rows=3)
    """
)


def _start(out_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "MC_TOY_SLEEP_S": "0.05",
    }
    # Its own session, so that kill -9 reaches the pool's worker processes too, as a crash
    # of the machine would.
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT.replace("OUT_DIR", repr(str(out_dir)))],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_rerun_after_sigkill_completes_without_loss_or_duplicates(tmp_path):
    out_dir = tmp_path / "killed"
    process = _start(out_dir)
    results = out_dir / RESULTS_DIR
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline and process.poll() is None:
        if len(list(results.glob("part-*.parquet"))) >= 4:
            break
        time.sleep(0.02)
    assert process.poll() is None, process.stderr.read().decode()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    rows_before = load_results(out_dir).num_rows
    assert 0 < rows_before < 2 * RUNS, "the kill should land mid-run"

    summary = run_campaign(
        DOC,
        "resume-test",
        RUNS,
        99,
        out_dir=out_dir,
        sweeps=SWEEP,
        replicate="tests.campaigns.mc_toys.slow_replicate",
        progress=False,
    )
    assert summary.n_already_done == rows_before
    assert summary.n_ran == 2 * RUNS - rows_before

    # Raw part files (before any de-duplication on read) hold every pair exactly once.
    keys = []
    for part in results.glob("part-*.parquet"):
        table = pq.read_table(part, columns=["point", "replication"])
        keys += zip(table.column(0).to_pylist(), table.column(1).to_pylist(), strict=True)
    assert sorted(keys) == [(p, k) for p in range(2) for k in range(RUNS)]
    assert not list(results.glob(".tmp-*"))

    clean_dir = tmp_path / "clean"
    run_campaign(
        DOC,
        "resume-test",
        RUNS,
        99,
        out_dir=clean_dir,
        sweeps=SWEEP,
        replicate=mc_toys.slow_replicate,
        progress=False,
    )
    mc_toys.assert_same_rows(load_results(out_dir), load_results(clean_dir))
