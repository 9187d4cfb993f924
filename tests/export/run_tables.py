"""The run's own rows, read straight from its Parquet files, to compare exports with."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq


def start_time(folder: Path) -> datetime:
    """The run's start instant, from the tracks' schema metadata."""
    return datetime.fromisoformat(
        pq.read_schema(folder / "tracks.parquet").metadata[b"start_time"].decode()
    )


def rows_by_object(folder: Path, source: str) -> dict[str, list[dict]]:
    """``tracks.parquet`` rows of one source (``truth`` or a post) by object id, in time
    order."""
    found: dict[str, list[dict]] = {}
    for row in pq.read_table(folder / "tracks.parquet").to_pylist():
        if row["source"] == source:
            found.setdefault(row["id"], []).append(row)
    return {k: sorted(v, key=lambda r: r["time_s"]) for k, v in found.items()}


def events(folder: Path, kind: str) -> list[dict]:
    """``events.parquet`` rows of one kind."""
    return [r for r in pq.read_table(folder / "events.parquet").to_pylist() if r["kind"] == kind]
