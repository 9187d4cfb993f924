"""ACMI 2.2 text for Tacview: a header, global properties, then time frames.

Written after Tacview's "ACMI flight recordings 2.2" file format page: UTF-8 text lines;
the header ``FileType=text/acmi/tacview`` and ``FileVersion=2.2``; global properties on
object ``0`` (``0,ReferenceTime=`` the UTC instant time frames count from); a time frame
``#SECONDS`` (from ``ReferenceTime``); an object line ``ID,T=LON|LAT|ALT,Name=...`` (``ID``
hexadecimal, position in degrees and metres above sea level, properties only when first
seen or changed); ``-ID`` when an object leaves; ``0,Event=Destroyed|ID|text`` for a kill.
Commas and line ends inside a property value are escaped with a backslash.

Truth aircraft and missiles are ``Air`` objects coloured by side; each post's tracks are
objects of their own (``Type=Air``, ``Coalition`` = the post, ``Color`` from the identity
the post held, ``Identity`` an extra property); interceptors are ``Weapon+Missile``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import numpy as np

from iadsim.export.run_record import RunRecord, Trajectory

HEADER = ("FileType=text/acmi/tacview", "FileVersion=2.2")
FIRST_OBJECT_ID = 0x100
"""Object ids count up from here (low ids are left to Tacview's own objects)."""
SIDE_COLOURS = {"red": "Red", "nato": "Blue", "turkey": "Cyan", "civil": "Grey"}
"""Tacview's named colours for the run map's sides."""
IDENTITY_COLOURS = {
    "hostile": "Red",
    "suspect": "Orange",
    "unknown": "Yellow",
    "pending": "Grey",
    "assumed_friend": "Cyan",
    "friend": "Blue",
    "neutral": "Green",
}
"""Tacview's named colours for track identities (the CZML and KML exports' families)."""
TYPES = {"truth": "Air", "track": "Air", "interceptor": "Weapon+Missile"}


def escape(value: str) -> str:
    """A property value with ``\\``, ``,`` and line ends escaped by a backslash."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\\n")


def seconds_text(seconds: float) -> str:
    """A frame time: up to millisecond precision, no trailing zeros."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def _colour(trajectory: Trajectory, sample: int) -> str:
    if trajectory.kind == "track":
        return IDENTITY_COLOURS.get(str(trajectory.identity[sample]), "Violet")
    if trajectory.kind == "interceptor":
        return "Black"
    return SIDE_COLOURS.get(trajectory.side, "Violet")


def _static_properties(trajectory: Trajectory) -> str:
    names = {
        "Name": trajectory.name,
        "Type": TYPES[trajectory.kind],
        "Coalition": trajectory.owner or trajectory.side,
    }
    return ",".join(f"{k}={escape(v)}" for k, v in names.items() if v)


def acmi_lines(record: RunRecord) -> Iterator[str]:
    """The lines of the ACMI document, without line ends."""
    yield from HEADER
    reference = record.start_time.astimezone(UTC).isoformat().replace("+00:00", "Z")
    yield f"0,ReferenceTime={reference}"
    yield f"0,Title={escape(record.scenario)}"
    yield "0,DataSource=iadsim"
    yield "0,Comments=" + escape(
        "Interceptor flight paths are not recorded: straight lines between launch and end."
    )
    ids = {t.key: FIRST_OBJECT_ID + i for i, t in enumerate(record.trajectories)}
    # One row per sample of every object: (time, order, object, sample); the order puts
    # updates before removals and kill events within a frame.
    times, objects, samples = [], [], []
    for index, trajectory in enumerate(record.trajectories):
        times.append(trajectory.time_s)
        objects.append(np.full(len(trajectory.time_s), index))
        samples.append(np.arange(len(trajectory.time_s)))
    time = np.concatenate(times) if times else np.empty(0)
    obj = np.concatenate(objects) if objects else np.empty(0, dtype=int)
    sample = np.concatenate(samples) if samples else np.empty(0, dtype=int)
    order = np.lexsort((sample, obj, time))
    kills = {m.truth: m for m in record.markers if m.kind == "kill"}
    frame = None
    for row in order:
        trajectory = record.trajectories[obj[row]]
        i = int(sample[row])
        if time[row] != frame:
            frame = time[row]
            yield f"#{seconds_text(frame)}"
        object_id = f"{ids[trajectory.key]:x}"
        position = (
            f"T={trajectory.lon_deg[i]:.7f}|{trajectory.lat_deg[i]:.7f}|{trajectory.alt_m[i]:.2f}"
        )
        properties = [position]
        if i == 0:
            properties.append(_static_properties(trajectory))
        if i == 0 or _colour(trajectory, i) != _colour(trajectory, i - 1):
            properties.append(f"Color={_colour(trajectory, i)}")
            if trajectory.kind == "track":
                properties.append(f"Identity={escape(str(trajectory.identity[i]))}")
        yield f"{object_id}," + ",".join(p for p in properties if p)
        if i == len(trajectory.time_s) - 1:
            outcome = trajectory.properties.get("outcome")
            if trajectory.kind == "truth" and outcome == "kill":
                kill = kills.get(trajectory.name)
                by = f" by {kill.unit}" if kill else ""
                yield f"0,Event=Destroyed|{object_id}|{escape(trajectory.name + ' killed' + by)}"
            elif trajectory.kind == "truth" and outcome == "leak":
                yield f"0,Event=Message|{object_id}|{escape(trajectory.name + ' leaked')}"
            yield f"-{object_id}"


def write_acmi(record: RunRecord, path: Path) -> None:
    """Write :func:`acmi_lines` to ``path`` as UTF-8 text with a byte-order mark (as
    Tacview writes its own text recordings)."""
    with path.open("w", encoding="utf-8-sig", newline="\n") as file:
        for line in acmi_lines(record):
            file.write(line + "\n")
