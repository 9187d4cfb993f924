"""A finished run as trajectories and markers in clock time: what every exporter draws.

Read from a run folder (:func:`read_run_record`) or from the tables of a run made in
Python (:func:`run_record`). Three kinds of trajectory:

* ``truth``: every aircraft and missile, from ``tracks.parquet`` rows with
  ``source == "truth"`` (every ``record_interval_s``), ended by its ``kill``, ``leak`` or
  ``route_end`` event where the event lies after its last record.
* ``track``: each command post's tracks (``source`` = the post), with the identity the
  post held at each record. A track that is missing for longer than
  :data:`GAP_RECORDS` record intervals is split into segments, so no viewer draws a line
  through the time the post did not hold it.
* ``interceptor``: each round from its ``launch`` event through its ``guidance_lost``
  and its end (``kill``, ``miss``, ``self_destruct``), and, where the run folder has
  ``interceptors.parquet``, through its recorded position at every step in between (a
  folder without it gives straight lines between the events).

Markers are the ``kill``, ``miss`` and ``leak`` events, at the place they happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.engine.record import INTERCEPTORS_FILE
from iadsim.scoring.explain import RunFolderError, read_run

GAP_RECORDS = 1.5
"""A track missing for more than this many record intervals starts a new segment."""
TRUTH_END_KINDS = ("kill", "leak", "route_end")
"""Events whose place ends a truth trajectory."""
INTERCEPTOR_KINDS = ("launch", "guidance_lost", "kill", "miss", "self_destruct")
"""Events that give an interceptor's position."""
ROUND_END_KINDS = ("kill", "miss", "self_destruct")
"""Events that end an interceptor's flight; a round without one is still in flight."""
MARKER_KINDS = ("kill", "miss", "leak")
"""Events shown as markers."""


@dataclass(frozen=True)
class Trajectory:
    """One object's positions over time.

    Attributes
    ----------
    key : str
        Unique within the run: ``truth/NAME``, ``POST/track/ID`` (``#2``, ``#3`` ... for
        later segments), ``interceptor/ID``.
    name : str
        What a viewer labels it.
    kind : str
        ``truth``, ``track`` or ``interceptor``.
    owner : str
        The post holding the track or firing the round; empty for truth.
    side : str
        The true side (truth), the side of the aircraft a track follows (for scoring), or
        the firing post (interceptor).
    time_s : (n,) float64
        Seconds since the run start, increasing.
    lat_deg, lon_deg, alt_m : (n,) float64
        Geodetic latitude and longitude (WGS-84, degrees) and altitude (m), as recorded.
    identity : (n,) object
        The identity the owning post held at each time (tracks); empty strings otherwise.
    properties : dict of str to str
        Further labels: ``truth`` (the aircraft a track follows), ``platform``,
        ``interceptor`` type, ``target``, ``outcome``.
    """

    key: str
    name: str
    kind: str
    owner: str
    side: str
    time_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_m: np.ndarray
    identity: np.ndarray
    properties: dict[str, str] = field(default_factory=dict)

    def labels(self) -> dict[str, str]:
        """What a viewer shows beside the positions: ``key``, ``kind``, ``owner``, the side
        (``side`` for truth and interceptors; ``true_side`` for a track, a scoring label
        the post did not know) and :attr:`properties`."""
        side = "true_side" if self.kind == "track" else "side"
        return {"key": self.key, "kind": self.kind, "owner": self.owner, side: self.side,
                **self.properties}  # fmt: skip


@dataclass(frozen=True)
class Marker:
    """One event at a place: ``kind`` (``kill``, ``miss``, ``leak``), ``time_s`` since the
    start, ``lat_deg``, ``lon_deg``, ``alt_m``, the ``truth`` it concerns and the
    ``unit`` whose interceptor it was (empty for a leak)."""

    kind: str
    time_s: float
    lat_deg: float
    lon_deg: float
    alt_m: float
    truth: str
    unit: str


@dataclass(frozen=True)
class RunRecord:
    """A run for export: its name, start instant, end time and what to draw."""

    scenario: str
    start_time: datetime
    end_s: float
    trajectories: list[Trajectory]
    markers: list[Marker]

    def of_kind(self, kind: str) -> list[Trajectory]:
        """The trajectories of one kind, in their export order."""
        return [t for t in self.trajectories if t.kind == kind]


def read_run_record(folder: Path) -> RunRecord:
    """The run record of a run folder (``events.parquet``, ``tracks.parquet``,
    ``summary.json``).

    Raises
    ------
    RunFolderError
        If a file is missing or unreadable, or the tables carry no ``start_time``.
    """
    events, tracks = read_run(folder)
    flown_path = Path(folder) / INTERCEPTORS_FILE
    flown = pq.read_table(flown_path) if flown_path.is_file() else None
    try:
        summary = json.loads((Path(folder) / "summary.json").read_text("utf-8"))
        scenario = str(summary["scenario"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RunFolderError(f"{folder}: no readable summary.json ({error})") from None
    return run_record(events, tracks, scenario, flown)


def run_record(
    events: pa.Table, tracks: pa.Table, scenario: str, interceptors: pa.Table | None = None
) -> RunRecord:
    """The run record of a run's ``events`` and ``tracks`` tables (as written by
    :func:`iadsim.scoring.replication.run_simulation`), with the interceptors' recorded
    positions (``interceptors.parquet``) when given.

    Raises
    ------
    RunFolderError
        If ``tracks`` carries no ``start_time`` in its schema metadata.
    """
    metadata = tracks.schema.metadata or {}
    if b"start_time" not in metadata:
        raise RunFolderError("the run's tracks carry no start_time; rerun it with this iadsim")
    start_time = datetime.fromisoformat(metadata[b"start_time"].decode())
    times = [pc.max(tracks["time_s"]).as_py(), pc.max(events["time_s"]).as_py()]
    end_s = max([t for t in times if t is not None], default=0.0)
    platforms = _platforms(events)
    truth_rows = tracks.filter(pc.equal(tracks["source"], "truth"))
    post_rows = tracks.filter(pc.not_equal(tracks["source"], "truth"))
    trajectories = [
        *_truths(truth_rows, events, platforms),
        *_tracks(post_rows, _record_interval_s(truth_rows)),
        *_interceptors(events, interceptors),
    ]
    return RunRecord(scenario, start_time, float(end_s), trajectories, _markers(events))


def _record_interval_s(truth: pa.Table) -> float:
    times = np.unique(truth["time_s"].to_numpy())
    steps = np.diff(times)
    return float(steps.min()) if steps.size else np.inf


def _platforms(events: pa.Table) -> dict[str, str]:
    """Each aircraft's catalog platform, from the events that name it."""
    found: dict[str, str] = {}
    for truth, detail in zip(
        events["truth"].to_pylist(), events["detail"].to_pylist(), strict=True
    ):
        if truth and truth not in found and '"platform"' in detail:
            found[truth] = str(json.loads(detail)["platform"])
    return found


def _runs(keys: np.ndarray, times: np.ndarray, gap_s: float) -> list[tuple[int, int, int]]:
    """Split rows sorted by key then time into (start, stop, segment number) runs: a new
    run where the key changes, a new segment of the same key after a gap over ``gap_s``."""
    n = len(keys)
    if n == 0:
        return []
    new_key = np.ones(n, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_segment = new_key.copy()
    new_segment[1:] |= np.diff(times) > gap_s
    starts = np.flatnonzero(new_segment)
    stops = np.append(starts[1:], n)
    segment = np.cumsum(new_segment) - np.maximum.accumulate(
        np.where(new_key, np.cumsum(new_segment), 0)
    )
    return [(int(a), int(b), int(segment[a])) for a, b in zip(starts, stops, strict=True)]


def _sorted_columns(table: pa.Table, keys: list[str]) -> dict[str, np.ndarray]:
    order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys])
    table = table.take(order)
    return {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}


def _truths(truth: pa.Table, events: pa.Table, platforms: dict[str, str]) -> list[Trajectory]:
    ends = events.filter(pc.is_in(events["kind"], pa.array(TRUTH_END_KINDS)))
    ends = ends.filter(pc.invert(pc.is_nan(ends["lat_deg"])))
    end_of: dict[str, tuple[float, float, float, float, str]] = {}
    for row in ends.to_pylist():
        end_of.setdefault(
            row["truth"],
            (row["time_s"], row["lat_deg"], row["lon_deg"], row["alt_m"], row["kind"]),
        )
    columns = _sorted_columns(truth, ["id", "time_s"])
    result = []
    for start, stop, _ in _runs(columns["id"], columns["time_s"], np.inf):
        name = str(columns["id"][start])
        time, lat, lon, alt = (
            columns[c][start:stop] for c in ("time_s", "lat_deg", "lon_deg", "alt_m")
        )
        properties = {"platform": platforms[name]} if name in platforms else {}
        end = end_of.get(name)
        if end is not None and end[0] > time[-1]:
            time, lat, lon, alt = (
                np.append(a, v) for a, v in zip((time, lat, lon, alt), end[:4], strict=True)
            )
        if end is not None:
            properties["outcome"] = end[4]
        result.append(
            Trajectory(
                f"truth/{name}",
                name,
                "truth",
                "",
                str(columns["side"][start]),
                time,
                lat,
                lon,
                alt,
                np.full(len(time), "", dtype=object),
                properties,
            )
        )
    return result


def _tracks(posts: pa.Table, record_interval_s: float) -> list[Trajectory]:
    columns = _sorted_columns(posts, ["source", "id", "time_s"])
    keys = np.char.add(
        np.char.add(columns["source"].astype(str), "\x00"), columns["id"].astype(str)
    )
    result = []
    for start, stop, segment in _runs(keys, columns["time_s"], GAP_RECORDS * record_interval_s):
        post, track = str(columns["source"][start]), str(columns["id"][start])
        suffix = f"#{segment + 1}" if segment else ""
        rows = slice(start, stop)
        result.append(
            Trajectory(
                f"{post}/track/{track}{suffix}",
                f"{post} track {track}{suffix}",
                "track",
                post,
                str(columns["side"][start]),
                columns["time_s"][rows],
                columns["lat_deg"][rows],
                columns["lon_deg"][rows],
                columns["alt_m"][rows],
                columns["identity"][rows].astype(object),
                {"truth": str(columns["truth"][start])},
            )
        )
    return result


def _with_flown(rows: pa.Table, flown: pa.Table | None) -> pa.Table:
    """The interceptors' event rows and, for each launched one, its recorded positions
    before its end event (as rows of kind ``flown``, with the round's unit)."""
    if flown is None or flown.num_rows == 0:
        return rows
    ends = {
        r["interceptor_id"]: r["time_s"]
        for r in rows.filter(pc.is_in(rows["kind"], pa.array(ROUND_END_KINDS))).to_pylist()
    }
    launched = set(rows.filter(pc.equal(rows["kind"], "launch"))["interceptor_id"].to_pylist())
    ids = flown["interceptor_id"].to_pylist()
    end = np.array([ends.get(i, np.inf) if i in launched else -np.inf for i in ids])
    # An event at a step's boundary (guidance lost at the next step's start) already gives
    # the place at that instant: times must strictly increase along a trajectory.
    at_event = set(zip(rows["interceptor_id"].to_pylist(), rows["time_s"].to_pylist(), strict=True))
    times = flown["time_s"].to_pylist()
    keep = (flown["time_s"].to_numpy() < end) & np.array(
        [(i, t) not in at_event for i, t in zip(ids, times, strict=True)], dtype=bool
    )
    flown = flown.filter(pa.array(keep))
    n = flown.num_rows
    steps = pa.table(
        {
            name: (
                flown[name]
                if name in flown.column_names
                else pa.array(["flown"] * n if name == "kind" else _blank(rows.schema, name, n))
            )
            for name in rows.column_names
        },
        schema=rows.schema,
    )
    return pa.concat_tables([rows, steps])


def _blank(schema: pa.Schema, name: str, n: int) -> pa.Array:
    kind = schema.field(name).type
    if pa.types.is_string(kind):
        return pa.array([""] * n, kind)
    if pa.types.is_integer(kind):
        return pa.array([-1] * n, kind)
    return pa.array([np.nan] * n, kind)


def _interceptors(events: pa.Table, flown: pa.Table | None = None) -> list[Trajectory]:
    rows = events.filter(
        pc.and_(
            pc.is_in(events["kind"], pa.array(INTERCEPTOR_KINDS)),
            pc.greater_equal(events["interceptor_id"], 0),
        )
    )
    rows = rows.filter(pc.invert(pc.is_nan(rows["lat_deg"])))
    rows = _with_flown(rows, flown)
    columns = _sorted_columns(rows, ["interceptor_id", "time_s"])
    result = []
    for start, stop, _ in _runs(columns["interceptor_id"], columns["time_s"], np.inf):
        number = int(columns["interceptor_id"][start])
        kinds = columns["kind"][start:stop]
        launch = [
            json.loads(d)
            for d, k in zip(columns["detail"][start:stop], kinds, strict=True)
            if k == "launch"
        ]
        outcome = str(kinds[-1]) if kinds[-1] in ROUND_END_KINDS else "in_flight"
        properties = {"target": str(columns["truth"][start]), "outcome": outcome}
        if launch:
            properties["interceptor"] = str(launch[0].get("interceptor", ""))
        unit = str(columns["unit"][start])
        result.append(
            Trajectory(
                f"interceptor/{number}",
                f"{unit} interceptor {number}",
                "interceptor",
                unit,
                unit,
                columns["time_s"][start:stop],
                columns["lat_deg"][start:stop],
                columns["lon_deg"][start:stop],
                columns["alt_m"][start:stop],
                np.full(stop - start, "", dtype=object),
                properties,
            )
        )
    return result


def _markers(events: pa.Table) -> list[Marker]:
    rows = events.filter(pc.is_in(events["kind"], pa.array(MARKER_KINDS)))
    rows = rows.filter(pc.invert(pc.is_nan(rows["lat_deg"])))
    return [
        Marker(
            r["kind"], r["time_s"], r["lat_deg"], r["lon_deg"], r["alt_m"], r["truth"], r["unit"]
        )
        for r in rows.to_pylist()
    ]
