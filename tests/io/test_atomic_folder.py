"""A run folder appears whole or not at all."""

from __future__ import annotations

import pytest

from iadsim.io.run_folder import atomic_folder


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_success_creates_the_target_with_its_files(tmp_path):
    target = tmp_path / "runs" / "demo"
    with atomic_folder(target) as folder:
        assert folder != target
        assert not target.exists()  # nothing visible until the block succeeds
        (folder / "summary.json").write_text("{}")
    assert (target / "summary.json").read_text() == "{}"
    assert leftovers(target.parent) == []


def test_an_error_leaves_no_target_and_no_temporary_folder(tmp_path):
    target = tmp_path / "demo"
    with pytest.raises(RuntimeError), atomic_folder(target) as folder:
        (folder / "events.parquet").write_text("partial")
        raise RuntimeError("boom")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_existing_target_survives_a_failed_write(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "summary.json").write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_folder(target) as folder:
        (folder / "summary.json").write_text("new")
        raise KeyboardInterrupt
    assert (target / "summary.json").read_text() == "old"
    assert leftovers(tmp_path) == []


def test_an_existing_target_is_replaced_whole_on_success(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    (target / "summary.json").write_text("old")
    (target / "stale.png").write_text("old map")
    with atomic_folder(target) as folder:
        (folder / "summary.json").write_text("new")
    assert (target / "summary.json").read_text() == "new"
    assert not (target / "stale.png").exists()
    assert leftovers(tmp_path) == []
