"""The run folder as the compact JSON the report's page reads.

Everything here only reads the run folder (events, tracks, picture metrics, summary,
``layout.json``); nothing is recomputed from the scenario. Positions are rounded to
1e-4 deg (about 10 m) and times to 0.1 s, which is all a map at report scale can show and
keeps the bundled run's report small. Each aircraft's and missile's ``iadsim explain`` chain
is embedded as the same lines the command prints (:func:`iadsim.scoring.explain.explain`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.engine.record import INTERCEPTORS_FILE
from iadsim.report.layout import LAYOUT_FILE
from iadsim.scoring.explain import explain, read_run, truth_names

__all__ = ["IDENTITY_CODES", "OUTCOME_KINDS", "run_data"]

IDENTITY_CODES = {
    "pending": "P",
    "unknown": "U",
    "assumed_friend": "A",
    "friend": "F",
    "neutral": "N",
    "suspect": "S",
    "hostile": "H",
}
"""Standard identities (STANAG 1241 / APP-6) as one-letter codes in the page's data."""
OUTCOME_KINDS = ("kill", "leak", "route_end", "airborne_at_end")
"""Events that end an aircraft's or missile's story."""
FLYOUT_END_KINDS = ("kill", "miss", "self_destruct", "guidance_lost")
"""Events that end (or, for guidance_lost, change) an interceptor's flight."""


def _rounded(values: np.ndarray, digits: int) -> list[float]:
    return [round(float(v), digits) for v in values]


def _finite_or_none(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def run_data(folder: Path) -> dict[str, Any]:
    """The report's data for one run folder.

    Parameters
    ----------
    folder : Path
        A run folder written by ``iadsim run``.

    Returns
    -------
    dict
        ``summary``, ``layout`` (None for a folder written before ``layout.json``),
        ``truth`` (per aircraft or missile: side, platform, outcome, columns ``t``, ``lat``,
        ``lon``, ``alt``), ``pictures`` (per post, per track: ``truth`` at each record,
        ``t``, ``lat``, ``lon``, identity codes ``id``), ``events`` (rows), ``flyouts``
        (per interceptor, its path from launch to end), ``chains`` (per aircraft or missile: the
        ``explain`` lines) and ``picture_metrics`` (per post: SIAP and GOSPA columns).
    """
    folder = Path(folder)
    events, tracks = read_run(folder)
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    layout_path = folder / LAYOUT_FILE
    layout = json.loads(layout_path.read_text("utf-8")) if layout_path.is_file() else None
    event_rows = events.to_pylist()
    platforms = _platforms(event_rows)
    truth = _truth(tracks, platforms, event_rows)
    return {
        "summary": summary,
        "layout": layout,
        "truth": truth,
        "pictures": _pictures(tracks),
        "events": [_event(row) for row in event_rows],
        "flyouts": _flyouts(event_rows, _flown(folder)),
        "chains": {name: explain(events, tracks, name) for name in truth_names(events, tracks)},
        "picture_metrics": _picture_metrics(folder),
    }


def _platforms(rows: list[dict]) -> dict[str, str]:
    platforms: dict[str, str] = {}
    for row in rows:
        if row["truth"] and row["truth"] not in platforms:
            platform = json.loads(row["detail"]).get("platform")
            if platform:
                platforms[row["truth"]] = platform
    return platforms


def _truth(tracks: pa.Table, platforms: dict[str, str], rows: list[dict]) -> dict[str, Any]:
    truth = tracks.filter(pc.equal(tracks["source"], "truth"))
    ids = truth["id"].to_numpy(zero_copy_only=False)
    outcome = {row["truth"]: row["kind"] for row in rows if row["kind"] in OUTCOME_KINDS}
    columns = {c: truth[c].to_numpy() for c in ("time_s", "lat_deg", "lon_deg", "alt_m")}
    sides = truth["side"].to_numpy(zero_copy_only=False)
    out: dict[str, Any] = {}
    for name in dict.fromkeys(ids.tolist()):
        rows_of = ids == name
        out[name] = {
            "side": str(sides[rows_of][0]),
            "platform": platforms.get(name, ""),
            "outcome": outcome.get(name, ""),
            "t": _rounded(columns["time_s"][rows_of], 1),
            "lat": _rounded(columns["lat_deg"][rows_of], 4),
            "lon": _rounded(columns["lon_deg"][rows_of], 4),
            "alt": _rounded(columns["alt_m"][rows_of], 0),
        }
    return out


def _pictures(tracks: pa.Table) -> dict[str, Any]:
    held = tracks.filter(pc.not_equal(tracks["source"], "truth"))
    sources = held["source"].to_numpy(zero_copy_only=False)
    ids = held["id"].to_numpy(zero_copy_only=False)
    truths = held["truth"].to_numpy(zero_copy_only=False)
    identities = held["identity"].to_numpy(zero_copy_only=False)
    time_s, lat, lon = (held[c].to_numpy() for c in ("time_s", "lat_deg", "lon_deg"))
    pictures: dict[str, Any] = {}
    for post in dict.fromkeys(sources.tolist()):
        of_post = sources == post
        post_tracks: dict[str, Any] = {}
        for track in dict.fromkeys(ids[of_post].tolist()):
            rows_of = of_post & (ids == track)
            post_tracks[str(track)] = {
                "truth": [str(v) for v in truths[rows_of]],
                "t": _rounded(time_s[rows_of], 1),
                "lat": _rounded(lat[rows_of], 4),
                "lon": _rounded(lon[rows_of], 4),
                "id": [IDENTITY_CODES.get(str(v), "U") for v in identities[rows_of]],
            }
        pictures[str(post)] = post_tracks
    return pictures


def _event(row: dict) -> dict[str, Any]:
    return {
        "t": round(row["time_s"], 1),
        "kind": row["kind"],
        "unit": row["unit"],
        "track": int(row["track_id"]),
        "truth": row["truth"],
        "interceptor": int(row["interceptor_id"]),
        "engagement": int(row["engagement_id"]),
        "lat": _finite_or_none(round(row["lat_deg"], 4)),
        "lon": _finite_or_none(round(row["lon_deg"], 4)),
        "detail": json.loads(row["detail"]),
    }


ROUND_END_KINDS = ("kill", "miss", "self_destruct")
"""Events at which an interceptor stops flying."""


def _flown(folder: Path) -> dict[tuple[str, int], list[tuple[float, float, float]]]:
    """``interceptors.parquet`` (every step of every flight) as (time, lat, lon) per
    (post, interceptor); empty for a run folder written before it was recorded."""
    path = folder / INTERCEPTORS_FILE
    if not path.is_file():
        return {}
    table = pq.read_table(path, columns=["time_s", "interceptor_id", "unit", "lat_deg", "lon_deg"])
    flown: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    for t, number, unit, lat, lon in zip(
        *(table[c].to_pylist() for c in table.column_names), strict=True
    ):
        flown.setdefault((unit, number), []).append((t, lat, lon))
    return flown


def _flyouts(rows: list[dict], flown: dict[tuple[str, int], list]) -> list[dict[str, Any]]:
    """Each interceptor from its launch to its end: ``path`` is the launch point, its
    recorded position at every step in flight (``interceptors.parquet``) and the point of
    its kill, miss or self-destruction; a run folder without the recording gets the
    straight line from the launch to its last event."""
    launches = {
        (row["unit"], row["interceptor_id"]): row for row in rows if row["kind"] == "launch"
    }
    ends: dict[tuple[str, int], dict] = {}
    for row in rows:
        key = (row["unit"], row["interceptor_id"])
        if row["kind"] in FLYOUT_END_KINDS and key in launches and row["lat_deg"] == row["lat_deg"]:
            ends[key] = row  # the last one wins: guidance_lost, then miss or self_destruct
    flyouts = []
    for key, launch in launches.items():
        end = ends.get(key)
        steps = flown.get(key, [])
        if end is None and not steps:
            continue
        points = [(launch["time_s"], launch["lat_deg"], launch["lon_deg"])]
        points += [p for p in steps if p[0] > launch["time_s"]]
        if end is not None and (not steps or end["kind"] in ROUND_END_KINDS):
            points = [p for p in points if p[0] <= end["time_s"]]
            points.append((end["time_s"], end["lat_deg"], end["lon_deg"]))
        last = points[-1]
        flyouts.append(
            {
                "unit": key[0],
                "interceptor": key[1],
                "engagement": launch["engagement_id"],
                "truth": launch["truth"],
                "t0": round(launch["time_s"], 1),
                "t1": round(last[0], 1),
                "from": [round(launch["lat_deg"], 4), round(launch["lon_deg"], 4)],
                "to": [round(last[1], 4), round(last[2], 4)],
                "end": end["kind"] if end is not None else "in flight at the end",
                "path": {
                    "t": [round(p[0], 1) for p in points],
                    "lat": [round(p[1], 4) for p in points],
                    "lon": [round(p[2], 4) for p in points],
                },
            }
        )
    return flyouts


def _picture_metrics(folder: Path) -> dict[str, Any]:
    path = folder / "picture_metrics.parquet"
    if not path.is_file():
        return {}
    table = pq.read_table(path)
    units = table["unit"].to_numpy(zero_copy_only=False)
    columns = [c for c in table.column_names if c != "unit"]
    out: dict[str, Any] = {}
    for unit in dict.fromkeys(units.tolist()):
        rows_of = units == unit
        out[str(unit)] = {
            c: [_finite_or_none(float(v)) for v in table[c].to_numpy()[rows_of]] for c in columns
        }
    return out
