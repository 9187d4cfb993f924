"""Engagement measures of a run: interceptors per kill by target class, rounds left, and
the threats that leaked with the reason each leaked.

Target classes are the vulnerability classes of :mod:`iadsim.weapons.lethality` (aircraft,
cruise missile, ballistic missile), from each entity's catalog category. A leaker's reason
comes from the events, in this order: it was engaged and survived (``engaged_survived``);
else the last reason a unit logged for holding fire on it (the decision log's
``hold_fire`` events, e.g. ``too_far``, ``no_rounds``); else it was tracked but never
came up for a decision (``tracked_not_engageable``); else no post tracked it
(``never_tracked``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from iadsim.weapons.lethality import CLASS_OF_CATEGORY, TARGET_CLASSES


def by_target_class(
    by_kind: dict[str, list[dict]],
    entity_names: list[str],
    entity_categories: list[str],
    hostile: np.ndarray,
) -> list[dict[str, Any]]:
    """Interceptors fired at, and kills of, the hostile threats of each target class.

    Parameters
    ----------
    by_kind : dict of str -> list of dict
        Event rows by kind.
    entity_names, entity_categories : list of str, (n,)
    hostile : (n,) bool

    Returns
    -------
    list of dict
        One per class with threats: ``target_class``, ``interceptors_fired``, ``kills``,
        ``interceptors_per_kill`` (None without a kill).
    """
    threat_class = {
        name: CLASS_OF_CATEGORY.get(category, "")
        for name, category, is_hostile in zip(entity_names, entity_categories, hostile, strict=True)
        if is_hostile
    }
    fired = Counter(threat_class.get(r["truth"], "") for r in by_kind.get("launch", []))
    kills = Counter(threat_class.get(r["truth"], "") for r in by_kind.get("kill", []))
    present = set(threat_class.values())
    return [
        {
            "target_class": name,
            "interceptors_fired": fired[name],
            "kills": kills[name],
            "interceptors_per_kill": round(fired[name] / kills[name], 3) if kills[name] else None,
        }
        for name in TARGET_CLASSES
        if name in present
    ]


def leakers(
    by_kind: dict[str, list[dict]], entity_names: list[str], entity_platforms: list[str]
) -> list[dict[str, Any]]:
    """Threats that leaked, counted by platform and reason (module docstring).

    Parameters
    ----------
    by_kind : dict of str -> list of dict
    entity_names, entity_platforms : list of str, (n,)

    Returns
    -------
    list of dict
        ``platform``, ``reason``, ``count``, sorted by platform then reason.
    """
    platform = dict(zip(entity_names, entity_platforms, strict=True))
    engaged = {r["truth"] for r in by_kind.get("launch", [])}
    last_hold: dict[str, str] = {}
    for r in sorted(by_kind.get("hold_fire", []), key=lambda r: r["time_s"]):
        if r["truth"]:
            last_hold[r["truth"]] = json.loads(r["detail"])["reason"]
    tracked = {r["truth"] for r in by_kind.get("first_track", [])}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in by_kind.get("leak", []):
        name = r["truth"]
        if name in engaged:
            reason = "engaged_survived"
        elif name in last_hold:
            reason = last_hold[name]
        elif name in tracked:
            reason = "tracked_not_engageable"
        else:
            reason = "never_tracked"
        counts[(platform.get(name, ""), reason)] += 1
    return [
        {"platform": p, "reason": reason, "count": n} for (p, reason), n in sorted(counts.items())
    ]


def rounds_left(
    unit_names: list[str],
    launcher_unit: np.ndarray,
    rounds: np.ndarray,
    spares: np.ndarray,
    interceptor_types: list[str],
    fired: np.ndarray,
) -> dict[str, dict[str, int]]:
    """Rounds each unit holds at the end, ready on launchers plus spares, by type (the
    types it holds or has fired).

    Parameters
    ----------
    unit_names : list of str
        By unit index.
    launcher_unit : (k,) int64
    rounds : (k, m) int64
        Ready rounds by launcher and type.
    spares : (n_units, m) int64
    interceptor_types : list of str, (m,)
    fired : (n_units, m) bool
        The unit fired rounds of the type during the run.

    Returns
    -------
    dict of str -> dict of str -> int
        Units with launchers only.
    """
    out: dict[str, dict[str, int]] = {}
    for index, name in enumerate(unit_names):
        own = launcher_unit == index
        if not own.any():
            continue
        total = rounds[own].sum(axis=0)
        if spares.size:
            total = total + spares[index]
        carried = rounds[own].any(axis=0) | (total > 0) | fired[index]
        out[name] = {
            kind: int(n)
            for kind, n, held in zip(interceptor_types, total, carried, strict=True)
            if held
        }
    return out
