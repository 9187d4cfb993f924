"""A small reader of ACMI 2.2 text (Tacview), written from the format's description, to
read an export back: header, global properties, time frames, objects and removals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class AcmiObject:
    properties: dict[str, str] = field(default_factory=dict)
    samples: list[tuple[float, float, float, float]] = field(default_factory=list)
    """(time s, lon, lat, alt) at each frame that gave a position."""
    values: list[dict[str, str]] = field(default_factory=list)
    """The properties given at each of those frames (besides T)."""
    removed_s: float | None = None


@dataclass
class Acmi:
    header: dict[str, str]
    globals: dict[str, str]
    reference_time: datetime
    objects: dict[str, AcmiObject]
    events: list[tuple[float, str]]


def _logical_lines(text: str) -> list[str]:
    """Physical lines joined where a line ends in an escaping backslash."""
    lines, pending = [], ""
    for line in text.split("\n"):
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            pending += line[:-1] + "\n"
            continue
        lines.append(pending + line)
        pending = ""
    return [line for line in lines if line.strip()]


def _split(line: str) -> list[str]:
    """Split on commas not escaped by a backslash; unescape each part."""
    parts, current, escaped = [], [], False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def read_acmi(text: str) -> Acmi:
    text = text.removeprefix("\ufeff")
    lines = _logical_lines(text)
    header = dict(line.split("=", 1) for line in lines[:2])
    global_properties: dict[str, str] = {}
    objects: dict[str, AcmiObject] = {}
    events: list[tuple[float, str]] = []
    time_s = 0.0
    for line in lines[2:]:
        if line.startswith("//"):
            continue
        if line.startswith("#"):
            time_s = float(line[1:])
            continue
        if line.startswith("-"):
            objects[line[1:]].removed_s = time_s
            continue
        object_id, *pairs = _split(line)
        properties = dict(pair.split("=", 1) for pair in pairs)
        if object_id == "0":
            if "Event" in properties:
                events.append((time_s, properties["Event"]))
            else:
                global_properties.update(properties)
            continue
        obj = objects.setdefault(object_id, AcmiObject())
        assert obj.removed_s is None, f"object {object_id} updated after its removal"
        position = properties.pop("T", None)
        obj.properties.update(properties)
        if position is not None:
            previous = obj.samples[-1][1:] if obj.samples else (None, None, None)
            fields = position.split("|")
            assert len(fields) in (3, 5, 6, 9), position
            lon, lat, alt = (
                float(v) if v else p for v, p in zip(fields[:3], previous, strict=True)
            )
            obj.samples.append((time_s, lon, lat, alt))
            obj.values.append(dict(obj.properties))
    reference = global_properties["ReferenceTime"].replace("Z", "+00:00")
    return Acmi(header, global_properties, datetime.fromisoformat(reference), objects, events)
