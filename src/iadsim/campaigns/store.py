"""On-disk layout of a Monte Carlo campaign: manifest, Parquet part files, lock.

Layout of a campaign folder::

    manifest.json            what was run: scenario (name, description, hash), version,
                             seed, runs, sweeps, points, replicate and its declared measures
    results/part-*.parquet   one row per (sweep point, replication), written in batches
    .campaign.lock           held (flock) while a campaign writes, so two cannot mix

Guarantees, which make a campaign resumable after ``kill -9`` at any moment:

* every file is written under a temporary name, flushed to disk and renamed with
  ``os.replace`` (atomic on POSIX), so a part file or the manifest is whole or absent;
* a rerun reads which ``(point, replication)`` pairs are present and runs only the others,
  so no pair is written twice by construction; :func:`load_results` still drops duplicates
  (keeping an ``ok`` row over a ``failed`` one, then the newest) in case two folders were
  merged by hand or ``retry_failed`` reran failures;
* a rerun whose scenario hash, seed, seeding, sweep points or replicate differ from the
  manifest stops with :class:`CampaignError` instead of mixing two campaigns.

Columns: ``point`` (int32), ``sweep.<path>`` per swept path, ``replication`` (int32),
``seed`` (int64), ``status`` (``"ok"``/``"failed"``), ``attempts`` (int32), ``error``
(string, null when ok), then one column per measure (null in failed rows).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "FIXED_COLUMNS",
    "MANIFEST_NAME",
    "RESULTS_DIR",
    "SWEEP_PREFIX",
    "CampaignError",
    "PartWriter",
    "campaign_lock",
    "check_campaign_folder",
    "completed_keys",
    "load_results",
    "measure_columns",
    "prepare_manifest",
    "read_manifest",
    "scenario_doc_hash",
    "share_results",
    "sweep_columns",
    "write_json_atomic",
]

LOGGER = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
RESULTS_DIR = "results"
SWEEP_PREFIX = "sweep."
FIXED_COLUMNS = ("point", "replication", "seed", "status", "attempts", "error")
_LOCK_NAME = ".campaign.lock"
_FORMAT = "iadsim-campaign/1"
# Fields that must match between the manifest and a rerun into the same folder.
_IDENTITY_FIELDS = ("scenario_hash", "seed", "seeding", "points", "replicate")
# Fields that describe the campaign without defining it: a rerun writes its own (so that
# resuming a campaign made before they were recorded adds them).
_DESCRIPTIVE_FIELDS = ("scenario", "measures")


class CampaignError(RuntimeError):
    """A campaign cannot start or go on; the message says why and what to do."""

    exit_code = 2


def scenario_doc_hash(scenario_doc: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the document as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(scenario_doc, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` so that the file is whole or absent."""
    temporary = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    with temporary.open("w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, sort_keys=False)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """Read ``out_dir/manifest.json``; :class:`CampaignError` if it is not a campaign."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CampaignError(f"{out_dir} is not a campaign folder (no {MANIFEST_NAME})") from error
    except json.JSONDecodeError as error:
        raise CampaignError(f"{path} is not valid JSON: {error}") from error
    if manifest.get("format") != _FORMAT:
        raise CampaignError(f"{path} has format {manifest.get('format')!r}, expected {_FORMAT}")
    return manifest


def check_campaign_folder(out_dir: Path) -> None:
    """Refuse a campaign folder that would mix campaign files into something else.

    ``out_dir`` must be missing, an empty folder, or a folder with a campaign manifest.
    """
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise CampaignError(f"{out_dir} exists and is not a folder; choose another --out")
    if (
        out_dir.is_dir()
        and not (out_dir / MANIFEST_NAME).is_file()
        and any(not _left_before_manifest(entry) for entry in out_dir.iterdir())
    ):
        raise CampaignError(
            f"{out_dir} is a folder that is not an iadsim campaign (no {MANIFEST_NAME}); "
            "choose another --out"
        )


def _left_before_manifest(entry: Path) -> bool:
    """Whether ``entry`` is what a campaign killed before it wrote its manifest leaves: its
    lock file, or a manifest half-written to a temporary file."""
    if entry.is_symlink() or not entry.is_file():
        return False
    return entry.name == _LOCK_NAME or entry.name.startswith(f".tmp-{MANIFEST_NAME}-")


@contextlib.contextmanager
def campaign_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder; the OS drops it if the process dies.

    Also removes temporary files that a killed run left behind (safe under the lock).
    """
    check_campaign_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # O_NOFOLLOW: a lock file planted as a link must not make us create or open its target.
    try:
        descriptor = os.open(
            out_dir / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
        )
    except OSError as error:
        raise CampaignError(
            f"cannot open the lock file {out_dir / _LOCK_NAME} ({error.strerror}); "
            "it must be a plain file"
        ) from error
    with os.fdopen(descriptor, "a") as lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise CampaignError(
                f"another campaign is writing to {out_dir}; wait for it or use another --out"
            ) from error
        try:
            for stale in (out_dir / RESULTS_DIR).glob(".tmp-*"):
                stale.unlink(missing_ok=True)
            for stale in out_dir.glob(f".tmp-{MANIFEST_NAME}-*"):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


def prepare_manifest(out_dir: Path, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Write the manifest of a new campaign, or check a rerun against the existing one.

    Parameters
    ----------
    out_dir : Path
        Campaign folder.
    fields : mapping
        ``scenario_hash, iadsim_version, seed, runs, seeding, sweeps, uncertainty, points,
        replicate`` and the descriptive ``scenario`` (``{"name", "description"}``) and
        ``measures`` (the replicate's declarations as dicts, or None); JSON-serialisable.

    Returns
    -------
    dict
        The manifest as written.

    Raises
    ------
    CampaignError
        If the folder holds a different campaign (an identity field differs) or results
        without a manifest.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    new = json.loads(json.dumps({"format": _FORMAT, **fields}))
    path = out_dir / MANIFEST_NAME
    if not path.exists():
        if any((out_dir / RESULTS_DIR).glob("part-*.parquet")):
            raise CampaignError(f"{out_dir} has results but no {MANIFEST_NAME}; use another --out")
        manifest = {**new, "created": now, "updated": now}
        write_json_atomic(path, manifest)
        return manifest
    old = read_manifest(out_dir)
    for field in _IDENTITY_FIELDS:
        if old.get(field) != new.get(field):
            raise CampaignError(
                f"{out_dir} holds a different campaign: its {field} is "
                f"{_short(old.get(field))}, this run's is {_short(new.get(field))}. "
                "Use another --out folder, or the same scenario, seed and sweeps to resume."
            )
    if "measures" in old and old["measures"] != new.get("measures"):
        LOGGER.warning(
            "the replicate's measure declarations changed since this campaign started; "
            "the manifest now holds the new ones"
        )
    if old.get("iadsim_version") != new["iadsim_version"]:
        LOGGER.warning(
            "resuming a campaign made with iadsim %s using iadsim %s",
            old.get("iadsim_version"),
            new["iadsim_version"],
        )
    manifest = {
        **old,
        **{field: new[field] for field in _DESCRIPTIVE_FIELDS if field in new},
        "runs": max(int(old.get("runs", 0)), int(new["runs"])),
        "updated": now,
        "iadsim_versions": sorted(
            {*old.get("iadsim_versions", [old.get("iadsim_version")]), new["iadsim_version"]}
        ),
    }
    write_json_atomic(path, manifest)
    return manifest


def share_results(source: Path, target: Path) -> int:
    """Give campaign folder ``target`` the results of ``source``, a campaign of the same
    scenario document, seed, points and replicate (the caller's guarantee), so that running
    ``target`` runs only what ``source`` has not: a replication is a function of its
    document and seed, so the rows are those ``target`` would compute.

    The manifest is copied when ``target`` has none, and every part file of ``source``
    that ``target`` lacks (by name), each whole or absent as the store writes them; a row
    both hold is kept once by :func:`load_results`. A ``target`` whose manifest names a
    different campaign is left as it is (running it then stops with the usual
    :class:`CampaignError`, nothing mixed in). Returns the number of part files copied.
    """
    target.mkdir(parents=True, exist_ok=True)
    if not (source / MANIFEST_NAME).is_file():
        return 0
    if (target / MANIFEST_NAME).exists():
        theirs, ours = read_manifest(source), read_manifest(target)
        if any(theirs.get(field) != ours.get(field) for field in _IDENTITY_FIELDS):
            return 0
    else:
        _copy_atomic(source / MANIFEST_NAME, target / MANIFEST_NAME)
    (target / RESULTS_DIR).mkdir(exist_ok=True)
    copied = 0
    for part in _part_files(source):
        if not (target / RESULTS_DIR / part.name).exists():
            _copy_atomic(part, target / RESULTS_DIR / part.name)
            copied += 1
    return copied


def _copy_atomic(source: Path, target: Path) -> None:
    """Copy a file so that ``target`` is whole or absent (a temporary name, then a rename)."""
    temporary = target.with_name(f".tmp-{target.name}-{os.getpid()}")
    shutil.copyfile(source, temporary)
    temporary.replace(target)


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _part_files(out_dir: Path) -> list[Path]:
    # Zero-padded nanosecond timestamps first: sorting by name is sorting by write time.
    return sorted((Path(out_dir) / RESULTS_DIR).glob("part-*.parquet"))


def _read_part(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowInvalid) as error:
        raise CampaignError(
            f"cannot read result file {path}: {error}; delete it to rerun it"
        ) from error


def completed_keys(out_dir: Path, *, include_failed: bool = True) -> set[tuple[int, int]]:
    """``(point, replication)`` pairs already in the results (ok, and failed if asked)."""
    keys: set[tuple[int, int]] = set()
    for path in _part_files(out_dir):
        table = _read_part(path, ["point", "replication", "status"])
        points = table.column("point").to_pylist()
        replications = table.column("replication").to_pylist()
        statuses = table.column("status").to_pylist()
        keys.update(
            (p, k)
            for p, k, status in zip(points, replications, statuses, strict=True)
            if include_failed or status == "ok"
        )
    return keys


def load_results(out_dir: str | Path) -> pa.Table:
    """All result rows of a campaign, one per ``(point, replication)``, sorted by both.

    Returns
    -------
    pyarrow.Table
        Columns in the order: :data:`FIXED_COLUMNS` interleaved as ``point``, sweep
        columns, ``replication, seed, status, attempts, error``, then measures sorted by
        name. Empty (with the fixed columns) when nothing has been written yet.
    """
    parts = _part_files(Path(out_dir))
    if not parts:
        return pa.table(
            {
                "point": pa.array([], pa.int32()),
                "replication": pa.array([], pa.int32()),
                "seed": pa.array([], pa.int64()),
                "status": pa.array([], pa.string()),
                "attempts": pa.array([], pa.int32()),
                "error": pa.array([], pa.string()),
            }
        )
    tables = []
    for order, path in enumerate(parts):
        table = _read_part(path)
        tables.append(table.append_column("_order", pa.array(np.full(len(table), order))))
    table = pa.concat_tables(tables, promote_options="permissive")
    point = table.column("point").to_numpy()
    replication = table.column("replication").to_numpy()
    ok = np.asarray(table.column("status").to_pylist()) == "ok"
    order = table.column("_order").to_numpy()
    # Sort by point, replication, then best first (ok before failed, newest first).
    index = np.lexsort((-order, ~ok, replication, point))
    key_sorted = np.column_stack((point[index], replication[index]))
    first = np.ones(len(index), dtype=bool)
    first[1:] = np.any(key_sorted[1:] != key_sorted[:-1], axis=1)
    table = table.take(pa.array(index[first])).drop_columns(["_order"])
    sweeps = sweep_columns(table)
    measures = measure_columns(table)
    leading = ["point", *sweeps, "replication", "seed", "status", "attempts", "error"]
    return table.select(leading + measures)


def sweep_columns(table: pa.Table) -> list[str]:
    """Names of the ``sweep.<path>`` columns, in the order of the sweep definition."""
    return [name for name in table.column_names if name.startswith(SWEEP_PREFIX)]


def measure_columns(table: pa.Table) -> list[str]:
    """Names of the measure columns (neither fixed nor sweep), sorted."""
    return sorted(
        name
        for name in table.column_names
        if name not in FIXED_COLUMNS and not name.startswith(SWEEP_PREFIX) and name != "_order"
    )


class PartWriter:
    """Buffer result rows and write them as atomic Parquet part files.

    Parameters
    ----------
    out_dir : Path
        Campaign folder; part files go to ``out_dir/results``.
    points : list of dict
        The sweep points ``{path: value}``; their values fill the ``sweep.<path>`` columns.
    flush_rows : int
        Write a part file once this many rows are buffered.
    flush_interval_s : float
        ...or once this many seconds have passed since the last write.
    """

    def __init__(
        self,
        out_dir: Path,
        points: Sequence[Mapping[str, Any]],
        *,
        flush_rows: int = 64,
        flush_interval_s: float = 5.0,
    ) -> None:
        self._results_dir = Path(out_dir) / RESULTS_DIR
        self._results_dir.mkdir(parents=True, exist_ok=True)
        self._points = points
        self._paths = list(points[0]) if points else []
        self._sweep_types = {
            path: _sweep_type([point[path] for point in points]) for path in self._paths
        }
        self._flush_rows = max(1, flush_rows)
        self._flush_interval_s = flush_interval_s
        self._buffer: list[Mapping[str, Any]] = []
        self._last_flush = time.monotonic()
        self._counter = 0
        self.n_rows = 0
        self.n_failed = 0

    def add(self, row: Mapping[str, Any]) -> None:
        """Buffer one row (``point, replication, seed, status, attempts, error, measures``)."""
        self._buffer.append(row)
        self.n_rows += 1
        self.n_failed += row["status"] != "ok"
        if (
            len(self._buffer) >= self._flush_rows
            or time.monotonic() - self._last_flush >= self._flush_interval_s
        ):
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows, if any, as one part file (temp name, fsync, rename)."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        table = self._table(self._buffer)
        self._counter += 1
        name = f"part-{time.time_ns():020d}-{os.getpid()}-{self._counter:06d}.parquet"
        temporary = self._results_dir / f".tmp-{name}"
        with temporary.open("wb") as stream:
            pq.write_table(table, stream)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(self._results_dir / name)
        self._buffer = []

    def _table(self, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
        columns: dict[str, pa.Array] = {
            "point": pa.array([row["point"] for row in rows], pa.int32()),
        }
        for path in self._paths:
            values = [self._points[row["point"]][path] for row in rows]
            kind = self._sweep_types[path]
            if kind == pa.string():
                values = [None if value is None else str(value) for value in values]
            columns[SWEEP_PREFIX + path] = pa.array(values, kind)
        columns["replication"] = pa.array([row["replication"] for row in rows], pa.int32())
        columns["seed"] = pa.array([row["seed"] for row in rows], pa.int64())
        columns["status"] = pa.array([row["status"] for row in rows], pa.string())
        columns["attempts"] = pa.array([row["attempts"] for row in rows], pa.int32())
        columns["error"] = pa.array([row["error"] for row in rows], pa.string())
        names = sorted({name for row in rows for name in row["measures"]})
        for name in names:
            values = [row["measures"].get(name) for row in rows]
            try:
                columns[name] = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                # Mixed bools and numbers: store as float, the common supertype.
                columns[name] = pa.array(
                    [None if value is None else float(value) for value in values], pa.float64()
                )
        return pa.table(columns)


def _sweep_type(values: Sequence[Any]) -> pa.DataType:
    present = [value for value in values if value is not None]
    if present and all(isinstance(value, bool) for value in present):
        return pa.bool_()
    if present and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return pa.int64()
    if present and all(
        isinstance(value, (int, float)) and not isinstance(value, bool) for value in present
    ):
        return pa.float64()
    return pa.string()
