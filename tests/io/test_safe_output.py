"""Output folders appear whole or not at all, and never replace what iadsim did not write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from iadsim.io.safe_output import (
    MARKER_NAME,
    OutputError,
    atomic_output,
    check_output_target,
    read_marker,
    recover_siblings,
)


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_run(target, owner="demo", text="new"):
    with atomic_output(target, "run", owner) as folder:
        (folder / "summary.json").write_text(text)


def user_folder(path):
    path.mkdir()
    (path / "thesis.tex").write_text("years of work")
    return path


def test_success_creates_the_target_with_its_files_and_marker(tmp_path):
    target = tmp_path / "runs" / "demo"
    with atomic_output(target, "run", "demo") as folder:
        assert folder != target
        assert not target.exists()  # nothing visible until the block succeeds
        (folder / "summary.json").write_text("{}")
    assert (target / "summary.json").read_text() == "{}"
    assert read_marker(target) == {"format": "iadsim-output/1", "kind": "run", "owner": "demo"}
    assert leftovers(target.parent) == []


def test_an_error_leaves_no_target_and_no_temporary_folder(tmp_path):
    target = tmp_path / "demo"
    with pytest.raises(RuntimeError), atomic_output(target, "run", "demo") as folder:
        (folder / "events.parquet").write_text("partial")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_run_survives_a_failed_write(tmp_path):
    target = tmp_path / "demo"
    write_run(target, text="old")
    with pytest.raises(KeyboardInterrupt), atomic_output(target, "run", "demo") as folder:
        (folder / "summary.json").write_text("new")
        raise KeyboardInterrupt
    assert (target / "summary.json").read_text() == "old"
    assert leftovers(tmp_path) == []


def test_an_existing_run_is_replaced_whole_on_success(tmp_path):
    target = tmp_path / "demo"
    write_run(target, text="old")
    (target / "map.png").write_text("old map")
    write_run(target)
    assert (target / "summary.json").read_text() == "new"
    assert not (target / "map.png").exists()
    assert leftovers(tmp_path) == []


def test_a_run_folder_written_before_markers_is_replaced(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "summary.json").write_text("old")
    (target / "events.parquet").write_text("old")
    write_run(target)
    assert (target / "summary.json").read_text() == "new"


def test_an_empty_folder_is_used(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    write_run(target)
    assert (target / "summary.json").read_text() == "new"


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_iadsim_did_not_write_is_refused_even_with_force(tmp_path, force):
    target = user_folder(tmp_path / "thesis")
    with pytest.raises(OutputError, match="did not write"):
        check_output_target(target, "run", "demo", force=force)
    with pytest.raises(OutputError), atomic_output(target, "run", "demo", force=force):
        pytest.fail("the block must not run")
    assert [p.name for p in target.iterdir()] == ["thesis.tex"]
    assert leftovers(tmp_path) == []


def test_a_folder_with_a_run_file_and_a_user_file_is_refused(tmp_path):
    target = user_folder(tmp_path / "mixed")
    (target / "summary.json").write_text("{}")
    with pytest.raises(OutputError):
        check_output_target(target, "run", "demo")


def test_a_file_is_refused_and_neither_renamed_nor_changed(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    with pytest.raises(OutputError, match="not a folder"):
        check_output_target(target, "run", "demo", force=True)
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_link_is_refused(tmp_path):
    real = tmp_path / "real"
    write_run(real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(OutputError):
        check_output_target(link, "run", "demo")


def test_another_scenarios_run_needs_force(tmp_path):
    target = tmp_path / "demo"
    write_run(target, owner="other", text="other's")
    with pytest.raises(OutputError, match="--force"):
        check_output_target(target, "run", "demo")
    with atomic_output(target, "run", "demo", force=True) as folder:
        (folder / "summary.json").write_text("mine")
    assert read_marker(target)["owner"] == "demo"


def test_a_coverage_folder_is_not_replaced_by_a_run(tmp_path):
    target = tmp_path / "demo"
    with atomic_output(target, "coverage", "demo") as folder:
        (folder / "pd_map.png").write_text("png")
    with pytest.raises(OutputError, match="coverage"):
        check_output_target(target, "run", "demo", force=True)


@pytest.mark.parametrize("name", ["", "."])
def test_the_current_folder_is_refused(tmp_path, name, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from pathlib import Path

    with pytest.raises(OutputError, match="current folder"):
        check_output_target(Path(name), "run", "demo")


def test_a_path_under_a_file_is_refused_before_any_work(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        check_output_target(blocker / "run", "run", "demo")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_is_refused(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            check_output_target(parent / "run", "run", "demo")
    finally:
        parent.chmod(0o700)


def test_proc_is_refused():
    from pathlib import Path

    if not Path("/proc/self").exists():
        pytest.skip("no /proc")
    with pytest.raises(OutputError):
        check_output_target(Path("/proc/iadsim-run"), "run", "demo")


def test_a_run_killed_between_the_renames_gets_its_old_folder_back(tmp_path):
    target = tmp_path / "demo"
    write_run(target, text="old")
    target.replace(tmp_path / f".demo.old-{dead_pid()}")  # as left by a kill mid-swap
    recover_siblings(target)
    assert (target / "summary.json").read_text() == "old"
    assert leftovers(tmp_path) == []


def test_stale_temporary_and_old_folders_are_cleaned(tmp_path):
    target = tmp_path / "demo"
    write_run(target, text="current")
    pid = dead_pid()
    for state in ("tmp", "old"):
        stale = tmp_path / f".demo.{state}-{pid}"
        stale.mkdir()
        (stale / MARKER_NAME).write_text(
            json.dumps({"format": "iadsim-output/1", "kind": "run", "owner": "demo"})
        )
    write_run(target)
    assert leftovers(tmp_path) == []
    assert (target / "summary.json").read_text() == "new"


def test_siblings_that_iadsim_did_not_write_are_left_alone(tmp_path):
    target = tmp_path / "demo"
    pid = dead_pid()
    mine = user_folder(tmp_path / f".demo.old-{pid}")
    recover_siblings(target)
    assert not target.exists()
    assert (mine / "thesis.tex").exists()


def test_siblings_of_a_live_process_are_left_alone(tmp_path):
    target = tmp_path / "demo"
    write_run(target)
    live = tmp_path / f".demo.tmp-{os.getppid()}"
    live.mkdir()
    recover_siblings(target)
    assert live.exists()


@pytest.mark.parametrize(
    "relative",
    ["a" * 300, "x/" + "a" * 300 + "/y", "x/" + "b" * 230, "/".join(["deep"] * 900)],
)
def test_an_overlong_output_path_is_refused_before_any_folder_is_made(tmp_path, relative):
    # These used to raise OSError (File name too long) after creating the parents.
    with pytest.raises(OutputError, match="longer than"):
        check_output_target(tmp_path / relative, "run", "demo")
    with pytest.raises(OutputError, match="longer than"):
        write_run(tmp_path / relative)
    assert list(tmp_path.iterdir()) == []


def test_a_name_at_the_limit_still_has_room_for_its_temporary_sibling(tmp_path):
    target = tmp_path / ("n" * 223)
    write_run(target)
    assert (target / "summary.json").read_text() == "new"
    assert leftovers(tmp_path) == []
