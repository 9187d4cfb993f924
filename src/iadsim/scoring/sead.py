"""Scoring of suppression of air defences: radars lost, missiles and decoys, interceptors spent.

Read from a run's events (:mod:`iadsim.engine.sead` records ``arm_impact``,
``radar_killed``, ``emission`` and ``emitter_detected``; the weapons stage ``launch`` and
``kill``) and the air entities' categories. A run summary has a ``sead`` entry only when
the scenario uses emission control, passive receivers, anti-radiation missiles or decoys,
so the summaries of other scenarios are unchanged.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from iadsim.scoring.measures import Measure

__all__ = ["SEAD_MEASURES", "sead_measures", "sead_summary"]

SEAD_MEASURES: tuple[Measure, ...] = (
    Measure("radars_lost", "count", "radars", "Radars destroyed by anti-radiation missiles."),
    Measure(
        "strike_success",
        "proportion",
        "",
        "Every fire unit with launchers lost its fire-control radar to anti-radiation "
        "missiles (the defence can no longer engage).",
    ),
    Measure(
        "radar_lost_<radar>",
        "proportion",
        "",
        "Radar <radar> (fire unit/radar type, '/' written '.') was destroyed.",
    ),
    Measure("arms_fired", "count", "missiles", "Anti-radiation missiles launched."),
    Measure(
        "arm_hits",
        "count",
        "missiles",
        "Anti-radiation missiles guided onto their radar (a second one on a radar already "
        "destroyed counts too).",
    ),
    Measure(
        "arms_shot_down", "count", "missiles", "Anti-radiation missiles killed by interceptors."
    ),
    Measure("decoys_shot_down", "count", "decoys", "Decoys killed by interceptors."),
    Measure(
        "interceptors_at_<category>",
        "count",
        "interceptors",
        "Interceptors launched at air entities of category <category> (by truth).",
    ),
    Measure(
        "emitters_detected",
        "count",
        "detections",
        "Radars first detected by a passive receiver, counted per receiver.",
    ),
)
"""Declarations of the measures :func:`sead_measures` returns."""

_COUNTED_CATEGORIES = ("anti_radiation_missile", "decoy", "fighter")


def sead_summary(
    events: pa.Table,
    names: Sequence[str],
    categories: Sequence[str],
    radars: Sequence[str],
    fire_control_radars: Sequence[str],
) -> dict[str, Any]:
    """The SEAD entry of a run summary.

    Parameters
    ----------
    events : pyarrow.Table
        The run's events.
    names, categories : sequence of n str
        Each air entity's name and air-platform category.
    radars : sequence of str
        Every radar's run name (``<unit>/<radar type>``).
    fire_control_radars : sequence of str
        The fire-control radar of each fire unit with launchers.

    Returns
    -------
    dict
        ``radars_lost`` (names), ``arms`` (fired, hits, shot down, impacts by reason),
        ``decoys`` (flown, shot down), ``interceptors_by_category``, ``emitters_detected``
        (receiver -> radars) and ``strike_success``.
    """
    category_of = dict(zip(names, categories, strict=True))
    rows = events.select(["kind", "unit", "truth", "detail"]).to_pylist()
    lost = [json.loads(r["detail"])["radar"] for r in rows if r["kind"] == "radar_killed"]
    impact_details = [json.loads(r["detail"]) for r in rows if r["kind"] == "arm_impact"]
    impacts = Counter(detail["reason"] for detail in impact_details)
    killed = Counter(category_of.get(r["truth"], "") for r in rows if r["kind"] == "kill")
    launched = Counter(category_of.get(r["truth"], "") for r in rows if r["kind"] == "launch")
    detected: dict[str, list[str]] = {}
    for r in rows:
        if r["kind"] == "emitter_detected":
            radar = json.loads(r["detail"])["radar"]
            held = detected.setdefault(r["unit"], [])
            if radar not in held:
                held.append(radar)
    fired = sum(1 for c in categories if c == "anti_radiation_missile")
    return {
        "radars": list(radars),
        "radars_lost": lost,
        "arms": {
            "fired": fired,
            "hits": sum(1 for detail in impact_details if detail["hit"]),
            "shot_down": killed["anti_radiation_missile"],
            "impacts": dict(sorted(impacts.items())),
        },
        "decoys": {
            "flown": sum(1 for c in categories if c == "decoy"),
            "shot_down": killed["decoy"],
        },
        "interceptors_by_category": {k: launched[k] for k in sorted(launched) if k},
        "emitters_detected": detected,
        "strike_success": bool(fire_control_radars)
        and all(radar in lost for radar in fire_control_radars),
    }


def sead_measures(summary: dict[str, Any]) -> dict[str, float]:
    """Flat SEAD measures of a run summary (see :data:`SEAD_MEASURES`); empty without a
    ``sead`` entry."""
    sead = summary.get("sead")
    if sead is None:
        return {}
    out: dict[str, float] = {
        "radars_lost": len(sead["radars_lost"]),
        "strike_success": float(sead["strike_success"]),
        "arms_fired": sead["arms"]["fired"],
        "arm_hits": sead["arms"]["hits"],
        "arms_shot_down": sead["arms"]["shot_down"],
        "decoys_shot_down": sead["decoys"]["shot_down"],
        "emitters_detected": sum(len(v) for v in sead["emitters_detected"].values()),
    }
    for radar in sead["radars"]:
        out[f"radar_lost_{radar.replace('/', '.')}"] = float(radar in sead["radars_lost"])
    by_category = sead["interceptors_by_category"]
    for category in sorted({*_COUNTED_CATEGORIES, *by_category}):
        out[f"interceptors_at_{category}"] = by_category.get(category, 0)
    return out
