"""Write a run folder whole or not at all, and never over anything iadsim did not write."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from iadsim.io.safe_output import atomic_output


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
    *,
    force: bool = False,
) -> Path:
    """Write the run's tables, ``summary.json`` and extra files, atomically.

    Parameters
    ----------
    target : path
        The run folder. An existing one is replaced only if it is an iadsim run folder
        (see :mod:`iadsim.io.safe_output`).
    events, tracks, picture : pyarrow.Table
        ``events.parquet``, ``tracks.parquet``, ``picture_metrics.parquet``.
    summary : dict
        Written as ``summary.json``; its ``scenario`` names the folder's owner.
    extras : dict of name -> writer, optional
        Each writer is called with the file's temporary path (e.g. ``map.png``).
    force : bool
        Replace a run folder of another scenario.
    """
    with atomic_output(target, "run", str(summary.get("scenario", "")), force=force) as folder:
        write_table(events, folder / "events.parquet")
        write_table(tracks, folder / "tracks.parquet")
        write_table(picture, folder / "picture_metrics.parquet")
        write_json(summary, folder / "summary.json")
        for name, writer in (extras or {}).items():
            writer(folder / name)
    return Path(target)
