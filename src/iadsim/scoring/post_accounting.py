"""Per-post accounting of a run: what each post's radars saw, what it held, what it engaged.

Every figure belongs to one post and says where it came from: the post's own radars (each
one separately), track reports that reached it over a data link, or its own fire-control
radar. Ranges are the true range of the aircraft or missile when the event happened,
measured from the radar for detections and from the post for tracks (events of
:mod:`iadsim.engine.accounting`). Nothing here is credited to a post because another
sensor of the scenario saw the target.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iadsim.scoring.rounding import mean_or_none, min_or_none, rounded


@dataclass(frozen=True)
class Post:
    """A command post as the summary needs it.

    Attributes
    ----------
    name : str
    radars : tuple of str
        Names of the radars feeding it (its own and standalone ones reporting to it).
    datalinks : tuple of str
        Links it is on (none: it hears nothing from other posts).
    fire_unit : bool
        It has launchers.
    """

    name: str
    radars: tuple[str, ...]
    datalinks: tuple[str, ...]
    fire_unit: bool


@dataclass(frozen=True)
class _First:
    """First event of one kind and source for one (post, entity)."""

    time_s: float
    range_km: float
    by: str
    """The radar, or ``<link>:<reporting post>``."""


def _firsts(
    rows: Sequence[Mapping[str, Any]], source: str | None = None
) -> dict[tuple[str, str], _First]:
    """(post, entity) -> first event among ``rows`` (of ``source`` when given)."""
    firsts: dict[tuple[str, str], _First] = {}
    for row in rows:
        detail = json.loads(row["detail"])
        if source is not None and detail["source"] != source:
            continue
        by = detail["radar"] if "radar" in detail else f"{detail['link']}:{detail['reporter']}"
        firsts.setdefault(
            (row["unit"], row["truth"]), _First(row["time_s"], detail["range_km"], by)
        )
    return firsts


def _ranges(
    firsts: Mapping[tuple[str, str], _First], post: str, members: Sequence[str]
) -> list[float]:
    """Ranges (km) of the firsts of ``post`` on those of ``members`` it has one on."""
    return [firsts[post, n].range_km for n in members if (post, n) in firsts]


def _radar_account(
    detections: Mapping[tuple[str, str], Mapping[str, _First]],
    post: str,
    radar: str,
    members: Sequence[str],
) -> dict[str, Any]:
    """One radar's first detections of one threat type for one post."""
    ranges = [
        detections[post, n][radar].range_km
        for n in members
        if radar in detections.get((post, n), {})
    ]
    return {
        "detected": len(ranges),
        "first_detection_range_km_mean": mean_or_none(ranges),
        "first_detection_range_km_min": min_or_none(ranges),
    }


def post_accounts(
    by_kind: Mapping[str, Sequence[Mapping[str, Any]]],
    posts: Sequence[Post],
    threats: Mapping[str, Sequence[str]],
) -> dict[str, dict[str, Any]]:
    """The ``posts`` block of the run summary.

    Parameters
    ----------
    by_kind : mapping of str to list of dict
        Event rows (``events.parquet``) by kind.
    posts : list of Post
    threats : mapping of str to list of str
        Threat platform -> names of its launched entities.

    Returns
    -------
    dict
        Post name -> ``fire_unit``, ``datalinks``, ``radars`` (radar -> platform ->
        detected, first-detection range mean and min from the radar, km), ``threats``
        (platform -> counts and ranges, see ``docs/outputs.md``) and ``first_tracks`` (one
        row per threat the post held in any way: when and at what range from the post it
        first held an own, a link and a fire-control track).
    """
    detections: dict[tuple[str, str], dict[str, _First]] = defaultdict(dict)
    for row in by_kind.get("first_detection", ()):
        detail = json.loads(row["detail"])
        first = _First(row["time_s"], detail["range_km"], detail["radar"])
        detections[row["unit"], row["truth"]].setdefault(detail["radar"], first)
    own = _firsts(by_kind.get("first_track", ()), "own")
    link = _firsts(by_kind.get("first_track", ()), "link")
    fire_control = _firsts(by_kind.get("fire_control_track", ()))
    engaged = {(r["unit"], r["truth"]) for r in by_kind.get("engage", ())}
    killed = {(r["unit"], r["truth"]) for r in by_kind.get("kill", ())}
    fired: dict[tuple[str, str], int] = defaultdict(int)
    for row in by_kind.get("launch", ()):
        fired[row["unit"], row["truth"]] += 1
    accounts = {}
    for post in posts:
        name = post.name
        by_platform = {}
        for platform, members in threats.items():
            own_km, link_km = _ranges(own, name, members), _ranges(link, name, members)
            fire_control_km = _ranges(fire_control, name, members)
            by_platform[platform] = {
                "detected": sum(bool(detections.get((name, n))) for n in members),
                "own_tracked": len(own_km),
                "link_tracked": len(link_km),
                "link_only": sum((name, n) in link and (name, n) not in own for n in members),
                "first_own_track_range_km_mean": mean_or_none(own_km),
                "first_own_track_range_km_min": min_or_none(own_km),
                "first_link_track_range_km_mean": mean_or_none(link_km),
                "fire_control_tracked": len(fire_control_km),
                "first_fire_control_track_range_km_mean": mean_or_none(fire_control_km),
                "engaged": sum((name, n) in engaged for n in members),
                "interceptors_fired": sum(fired[name, n] for n in members),
                "killed": sum((name, n) in killed for n in members),
            }
        accounts[name] = {
            "fire_unit": post.fire_unit,
            "datalinks": list(post.datalinks),
            "radars": {
                radar: {
                    platform: _radar_account(detections, name, radar, members)
                    for platform, members in threats.items()
                }
                for radar in post.radars
            },
            "threats": by_platform,
            "first_tracks": _first_tracks(name, threats, own, link, fire_control),
        }
    return accounts


def _first_tracks(
    post: str,
    threats: Mapping[str, Sequence[str]],
    own: Mapping[tuple[str, str], _First],
    link: Mapping[tuple[str, str], _First],
    fire_control: Mapping[tuple[str, str], _First],
) -> list[dict[str, Any]]:
    """Per threat the post held: its first own, link and fire-control tracks."""
    rows = []
    for platform, members in threats.items():
        for name in members:
            firsts = {
                source: table.get((post, name))
                for source, table in (("own", own), ("link", link), ("fire_control", fire_control))
            }
            if not any(firsts.values()):
                continue
            row: dict[str, Any] = {"truth": name, "platform": platform}
            for source, first in firsts.items():
                row[f"{source}_track_s"] = None if first is None else rounded(first.time_s)
                row[f"{source}_track_range_km"] = None if first is None else first.range_km
                row[f"{source}_track_by"] = None if first is None else first.by
            rows.append(row)
    return rows
