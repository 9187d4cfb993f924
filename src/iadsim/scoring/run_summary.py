"""What happened in one run: per-threat-type outcomes, fratricide, identification errors.

Computed from the event table and the entity list only, so it can be recomputed from a run
folder. Numbers are rounded (3 decimals) so that summaries compare exactly across machines.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa

import iadsim

CIVIL_CATEGORIES = frozenset({"airliner"})
"""Air platform categories that are civil aircraft: the one definition of "civil" in scores."""


def is_civil(category: str) -> bool:
    """Whether an air platform category (catalog ``category``) is a civil aircraft."""
    return category in CIVIL_CATEGORIES


def _rounded(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 3)


def summarise(
    events: pa.Table,
    entity_names: list[str],
    entity_sides: list[str],
    entity_platforms: list[str],
    entity_categories: list[str],
    hostile: np.ndarray,
    start_s: np.ndarray,
    scenario_name: str,
    seed: int,
    duration_s: float,
) -> dict[str, Any]:
    """Build the run summary.

    Parameters
    ----------
    events : pyarrow.Table
        ``events.parquet`` content (:data:`iadsim.engine.record.EVENT_SCHEMA`).
    entity_names, entity_sides, entity_platforms, entity_categories : list of str, (n,)
    hostile : (n,) bool
        Entity belongs to a side hostile to the defence.
    start_s : (n,) float64
        When each entity appears.
    scenario_name : str
    seed : int
    duration_s : float

    Returns
    -------
    dict
        JSON-ready summary (see ``docs/outputs.md``).
    """
    rows = events.to_pylist()
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    index = {name: i for i, name in enumerate(entity_names)}
    first_range = {
        r["truth"]: json.loads(r["detail"])["range_km"] for r in by_kind["first_detection"]
    }
    fired_at: dict[str, int] = defaultdict(int)
    for r in by_kind["launch"]:
        fired_at[r["truth"]] += 1
    killed = {r["truth"] for r in by_kind["kill"]}
    leaked = {r["truth"] for r in by_kind["leak"]}
    threats = []
    for platform in sorted({entity_platforms[i] for i in np.flatnonzero(hostile)}):
        members = [
            n
            for i, n in enumerate(entity_names)
            if hostile[i] and entity_platforms[i] == platform and start_s[i] < duration_s
        ]
        ranges = [first_range[n] for n in members if n in first_range]
        threats.append(
            {
                "platform": platform,
                "category": entity_categories[index[members[0]]] if members else "",
                "launched": len(members),
                "detected": sum(n in first_range for n in members),
                "engaged": sum(fired_at[n] > 0 for n in members),
                "killed": sum(n in killed for n in members),
                "leaked": sum(n in leaked for n in members),
                "interceptors_fired": sum(fired_at[n] for n in members),
                "first_detection_range_km_mean": _rounded(np.mean(ranges)) if ranges else None,
            }
        )
    fratricide = []
    for r in by_kind["engage"]:
        i = index.get(r["truth"])
        if i is None or hostile[i]:
            continue
        detail = json.loads(r["detail"])
        fratricide.append(
            {
                "truth": r["truth"],
                "side": entity_sides[i],
                "platform": entity_platforms[i],
                "unit": r["unit"],
                "time_s": _rounded(r["time_s"]),
                "identity": detail["identity"],
                "interceptors": detail["rounds"],
                "killed": r["truth"] in killed,
            }
        )
    interceptors: dict[str, int] = defaultdict(int)
    for r in by_kind["launch"]:
        interceptors[json.loads(r["detail"])["interceptor"]] += 1
    friendly_hostile: dict[str, set] = defaultdict(set)
    for r in by_kind["identity"]:
        i = index.get(r["truth"])
        if (
            i is not None
            and not hostile[i]
            and json.loads(r["detail"])["new"] in ("hostile", "suspect")
        ):
            friendly_hostile[r["unit"]].add(r["truth"])
    kills = len(killed & {n for i, n in enumerate(entity_names) if hostile[i]})
    civil = {
        n for n, category in zip(entity_names, entity_categories, strict=True) if is_civil(category)
    }
    engaged_friendly = {f["truth"] for f in fratricide}
    total_fired = sum(interceptors.values())
    return {
        "scenario": scenario_name,
        "seed": seed,
        "iadsim_version": iadsim.__version__,
        "duration_s": _rounded(duration_s),
        "threats": threats,
        "totals": {
            "threats_launched": sum(t["launched"] for t in threats),
            "threats_killed": kills,
            "threats_leaked": sum(t["leaked"] for t in threats),
            "interceptors_fired": total_fired,
            "interceptors_per_kill": _rounded(total_fired / kills) if kills else None,
            "allied_engaged": len(engaged_friendly - civil),
            "civil_engaged": len(engaged_friendly & civil),
            "friendly_lost_to_own_fire": len({f["truth"] for f in fratricide if f["killed"]}),
        },
        "interceptors_fired": dict(sorted(interceptors.items())),
        "fratricide": fratricide,
        "friends_held_suspect_or_hostile": {
            u: sorted(v) for u, v in sorted(friendly_hostile.items())
        },
    }
