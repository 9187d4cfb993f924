"""No command deletes or renames what it did not create; a bad output path fails before work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.campaigns.store import CampaignError, campaign_lock
from iadsim.cli import app

MINIMAL = Path(__file__).parent / "data" / "scenarios" / "minimal.yaml"


def renamed(tmp_path: Path, name: str) -> Path:
    text = MINIMAL.read_text("utf-8").replace("name: minimal\n", f"name: {name!r}\n", 1)
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name", ["../x", "../../etc", "/abs/dir", "a/b", "..", ".hidden", "x" * 81, "tab\there"]
)
def test_a_scenario_name_that_is_not_one_folder_is_rejected(tmp_path, name):
    result = CliRunner().invoke(app, ["validate", str(renamed(tmp_path, name))])
    assert result.exit_code == 2
    assert "scenario.yaml:" in result.output
    assert "name:" in result.output


def test_run_without_out_cannot_escape_runs_through_the_name(tmp_path, monkeypatch):
    victim = tmp_path / "x"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, ["run", str(renamed(tmp_path, "../x"))])
    assert result.exit_code == 2
    assert (victim / "keep.txt").read_text() == "keep"
    assert not (work / "runs").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_run_refuses_a_user_folder_before_simulating(tmp_path, force):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["run", str(MINIMAL), "--out", str(folder), *force])
    assert result.exit_code == 2, result.output
    assert "did not write" in result.output
    assert time.perf_counter() - started < 10  # refused up front, not after the run
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_run_refuses_a_file_and_leaves_it_where_it_was(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("keep")
    result = CliRunner().invoke(app, ["run", str(MINIMAL), "--out", str(path)])
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert path.read_text() == "keep"


def test_run_twice_into_the_same_folder_replaces_its_own_run(tmp_path):
    out = tmp_path / "run"
    for _ in range(2):
        result = CliRunner().invoke(app, ["run", str(MINIMAL), "--out", str(out), "--no-map"])
        assert result.exit_code == 0, result.output
    assert (out / "summary.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_campaign_does_not_write_into_a_user_folder(tmp_path):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.tex").write_text("x")
    with pytest.raises(CampaignError, match="not an iadsim campaign"), campaign_lock(folder):
        pytest.fail("must not run")
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]


def test_a_campaign_killed_before_its_manifest_can_be_rerun(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / ".campaign.lock").write_text("")  # what the killed campaign left
    (folder / ".tmp-manifest.json-123").write_text("{")
    with campaign_lock(folder):
        pass
    (folder / "notes.txt").write_text("mine")  # anything else is the user's
    with pytest.raises(CampaignError, match="not an iadsim campaign"), campaign_lock(folder):
        pytest.fail("must not run")


def test_the_campaign_lock_is_not_followed_through_a_link(tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    elsewhere = tmp_path / "elsewhere" / "created-by-link"
    elsewhere.parent.mkdir()
    (folder / ".campaign.lock").symlink_to(elsewhere)
    with pytest.raises(CampaignError, match="lock file"), campaign_lock(folder):
        pytest.fail("must not run")
    assert not elsewhere.exists()


def test_pool_workers_exit_when_the_campaign_process_is_killed(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys, time
        from iadsim.campaigns.workers import _new_pool
        if __name__ == "__main__":
            pool = _new_pool(1)
            print(pool.submit(os.getpid).result(), flush=True)
            time.sleep(120)
        """
    )
    path = tmp_path / "parent.py"
    path.write_text(script)
    parent = subprocess.Popen([sys.executable, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.1)
        assert not _alive(worker)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
