"""Miss distances of a run by interceptor type and target class (the end-game's record).

From ``events.parquet`` alone: each ``launch`` row names its interceptor type, and each
``kill`` or ``miss`` row at closest approach gives the miss distance and whether the seeker
was homing (``homing``). Homing intercepts give the end-game's miss distribution (seeker
noise, glint, autopilot lag); a closest approach after guidance was lost is counted apart,
since its "miss" of kilometres says nothing of the end-game.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import numpy as np

from iadsim.scoring.rounding import rounded
from iadsim.weapons.lethality import CLASS_OF_CATEGORY

PERCENTILES = (10, 50, 90)


def miss_distance_table(
    by_kind: dict[str, list[dict]], categories_of: dict[str, str]
) -> list[dict[str, Any]]:
    """Miss-distance percentiles of homing intercepts, by interceptor type and target class.

    Parameters
    ----------
    by_kind : dict of str to list of dict
        Event rows by ``kind``.
    categories_of : dict of str to str
        Air-platform category of each entity name.

    Returns
    -------
    list of dict
        One row per (interceptor, target class) with ``homing_intercepts``, ``kills``,
        ``miss_p10_m``, ``miss_p50_m``, ``miss_p90_m`` (None without a homing intercept) and
        ``unguided_passes``, sorted by interceptor then class.
    """
    interceptor_of = {
        r["interceptor_id"]: json.loads(r["detail"])["interceptor"] for r in by_kind["launch"]
    }
    homing: dict[tuple[str, str], list[float]] = defaultdict(list)
    kills: dict[tuple[str, str], int] = defaultdict(int)
    unguided: dict[tuple[str, str], int] = defaultdict(int)
    for kind in ("kill", "miss"):
        for r in by_kind[kind]:
            detail = json.loads(r["detail"])
            category = categories_of.get(r["truth"])
            if "miss_distance_m" not in detail or category is None:
                continue
            key = (interceptor_of[r["interceptor_id"]], CLASS_OF_CATEGORY[category])
            kills[key] += kind == "kill"
            if detail.get("homing", False):
                homing[key].append(detail["miss_distance_m"])
            else:
                unguided[key] += 1
    rows = []
    for key in sorted(set(homing) | set(unguided)):
        misses = homing.get(key, [])
        values = np.percentile(misses, PERCENTILES) if misses else [None] * len(PERCENTILES)
        row: dict[str, Any] = {
            "interceptor": key[0],
            "target_class": key[1],
            "homing_intercepts": len(misses),
            "kills": kills[key],
        }
        for p, value in zip(PERCENTILES, values, strict=True):
            row[f"miss_p{p}_m"] = None if value is None else rounded(float(value))
        row["unguided_passes"] = unguided[key]
        rows.append(row)
    return rows
