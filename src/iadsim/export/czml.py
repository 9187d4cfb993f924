"""CZML for CesiumJS: one JSON document of time-tagged packets.

Written after the CZML specification (Cesium, "CZML Structure" and "Packet" pages of the
czml-writer wiki, CZML version 1.0): a JSON array whose first packet is the document packet
(``id: "document"``, ``version: "1.0"``, the ``clock``), then one packet per object with
its ``availability`` (ISO 8601 interval), ``position`` as ``epoch`` plus
``cartographicDegrees`` ``[t, lon, lat, h, t, lon, lat, h, ...]`` (t in seconds from the
epoch, lon/lat in degrees, h in metres) and custom ``properties``. A post's track carries
the identity the post held as a time-interval property (``properties.identity``) and
colours its point by it; truth is coloured by side.

CZML heights are above the WGS-84 ellipsoid; iadsim's altitudes are written as recorded
(the simulation does not separate mean sea level from the ellipsoid, 25-35 m over Turkey).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from iadsim.export.colours import (
    INTERCEPTOR_COLOUR,
    MARKER_COLOURS,
    identity_colour,
    rgb,
    side_colour,
)
from iadsim.export.run_record import RunRecord, Trajectory

CLOCK_MULTIPLIER = 10.0
"""Seconds of scenario time per second of replay when the document opens."""
TRAIL_S = 300.0
"""Length of the path drawn behind each object, s."""
TRACK_PATH_COLOUR = "#808080"
"""A track's path is grey: its point carries the identity colour."""
DEGREE_DECIMALS = 7
"""Decimals kept of a degree (1e-7 degree is about 1 cm)."""
HEIGHT_DECIMALS = 2
"""Decimals kept of a height in metres."""


def instant(start: datetime, seconds: float) -> str:
    """ISO 8601 UTC instant ``seconds`` after ``start`` (``YYYY-MM-DDThh:mm:ss.sssZ``)."""
    moment = (start + timedelta(seconds=float(seconds))).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def interval(start: datetime, begin_s: float, end_s: float) -> str:
    """ISO 8601 interval ``begin/end`` of two offsets from ``start``."""
    return f"{instant(start, begin_s)}/{instant(start, end_s)}"


def _rgba(hex_colour: str, alpha: int = 255) -> dict[str, list[int]]:
    return {"rgba": [*rgb(hex_colour), alpha]}


def _identity_intervals(start: datetime, trajectory: Trajectory) -> list[tuple[str, str]]:
    """(interval, identity) for each run of equal identity; a run lasts until the next one
    begins, the last one until the trajectory ends."""
    identity = trajectory.identity
    changes = np.flatnonzero(np.append(True, identity[1:] != identity[:-1]))
    ends = np.append(trajectory.time_s[changes[1:]], trajectory.time_s[-1])
    return [
        (interval(start, trajectory.time_s[i], end), str(identity[i]))
        for i, end in zip(changes, ends, strict=True)
    ]


def _positions(trajectory: Trajectory) -> list[float]:
    samples = np.column_stack(
        [
            trajectory.time_s,
            np.round(trajectory.lon_deg, DEGREE_DECIMALS),
            np.round(trajectory.lat_deg, DEGREE_DECIMALS),
            np.round(trajectory.alt_m, HEIGHT_DECIMALS),
        ]
    )
    return [float(v) for v in samples.ravel()]


def _trajectory_packet(record: RunRecord, trajectory: Trajectory) -> dict[str, Any]:
    start = record.start_time
    properties: dict[str, Any] = dict(trajectory.labels())
    if trajectory.kind == "track":
        runs = _identity_intervals(start, trajectory)
        properties["identity"] = [{"interval": span, "string": name} for span, name in runs]
        colour: Any = [{"interval": span, **_rgba(identity_colour(name))} for span, name in runs]
        path_colour = _rgba(TRACK_PATH_COLOUR, 160)
    else:
        hex_colour = (
            INTERCEPTOR_COLOUR if trajectory.kind == "interceptor" else side_colour(trajectory.side)
        )
        colour = _rgba(hex_colour)
        path_colour = _rgba(hex_colour, 200)
    return {
        "id": trajectory.key,
        "name": trajectory.name,
        "availability": interval(start, trajectory.time_s[0], trajectory.time_s[-1]),
        "position": {
            "epoch": instant(start, 0.0),
            "interpolationAlgorithm": "LINEAR",
            "cartographicDegrees": _positions(trajectory),
        },
        "point": {"pixelSize": 7 if trajectory.kind == "truth" else 5, "color": colour},
        "path": {
            "leadTime": 0,
            "trailTime": TRAIL_S,
            "width": 1,
            "material": {"solidColor": {"color": path_colour}},
        },
        "properties": properties,
    }


def czml_document(record: RunRecord) -> list[dict[str, Any]]:
    """The run as CZML packets: the document packet, then truth, tracks, interceptors and
    the kill, miss and leak markers (shown from their time to the end of the run)."""
    start = record.start_time
    packets: list[dict[str, Any]] = [
        {
            "id": "document",
            "name": record.scenario,
            "version": "1.0",
            "clock": {
                "interval": interval(start, 0.0, record.end_s),
                "currentTime": instant(start, 0.0),
                "multiplier": CLOCK_MULTIPLIER,
                "range": "LOOP_STOP",
                "step": "SYSTEM_CLOCK_MULTIPLIER",
            },
        }
    ]
    packets += [_trajectory_packet(record, t) for t in record.trajectories]
    for index, marker in enumerate(record.markers):
        packets.append(
            {
                "id": f"event/{index}",
                "name": f"{marker.kind} {marker.truth}".strip(),
                "availability": interval(start, marker.time_s, max(marker.time_s, record.end_s)),
                "position": {
                    "cartographicDegrees": [
                        round(marker.lon_deg, DEGREE_DECIMALS),
                        round(marker.lat_deg, DEGREE_DECIMALS),
                        round(marker.alt_m, HEIGHT_DECIMALS),
                    ]
                },
                "point": {"pixelSize": 9, "color": _rgba(MARKER_COLOURS[marker.kind])},
                "properties": {
                    "kind": marker.kind,
                    "truth": marker.truth,
                    "unit": marker.unit,
                    "time_s": marker.time_s,
                },
            }
        )
    return packets


def write_czml(record: RunRecord, path: Path) -> None:
    """Write :func:`czml_document` to ``path`` as compact UTF-8 JSON."""
    with path.open("w", encoding="utf-8") as file:
        json.dump(czml_document(record), file, separators=(",", ":"), allow_nan=False)
        file.write("\n")
