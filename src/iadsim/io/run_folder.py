"""Write a run folder whole or not at all: into a temporary sibling, then one rename."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


@contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``target`` only if the block succeeds.

    The temporary folder sits beside ``target`` (same file system), so the final
    ``os.replace`` is atomic; an existing ``target`` is moved aside first and removed after.
    On any error the temporary folder is deleted and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.replace(old)
    temporary.replace(target)
    shutil.rmtree(old, ignore_errors=True)


def write_table(table: pa.Table, path: Path) -> None:
    """Parquet with fixed settings (no statistics timestamps), so equal tables give equal bytes."""
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def write_json(data: Any, path: Path) -> None:
    """Pretty, key-sorted JSON with a final newline."""
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_run_folder(
    target: str | Path,
    events: pa.Table,
    tracks: pa.Table,
    picture: pa.Table,
    summary: dict[str, Any],
    extras: dict[str, Callable[[Path], None]] | None = None,
) -> Path:
    """Write the run's tables, ``summary.json`` and extra files, atomically.

    Parameters
    ----------
    target : path
        The run folder.
    events, tracks, picture : pyarrow.Table
        ``events.parquet``, ``tracks.parquet``, ``picture_metrics.parquet``.
    summary : dict
    extras : dict of name -> writer, optional
        Each writer is called with the file's temporary path (e.g. ``map.png``).
    """
    with atomic_folder(target) as folder:
        write_table(events, folder / "events.parquet")
        write_table(tracks, folder / "tracks.parquet")
        write_table(picture, folder / "picture_metrics.parquet")
        write_json(summary, folder / "summary.json")
        for name, writer in (extras or {}).items():
            writer(folder / name)
    return Path(target)
