"""What happened in one run: truth outcomes, per-post accounting, fratricide, identification.

Computed from the event table, the entity list and the post list only, so it can be
recomputed from a run folder. Scenario-wide truth (what became of each aircraft and
missile, :mod:`iadsim.scoring.outcomes`) is kept apart from what each post saw, held and
engaged (:mod:`iadsim.scoring.post_accounting`). Numbers are rounded (3 decimals) so that
summaries compare exactly across machines.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

import iadsim
from iadsim.scoring.engagement_measures import by_target_class, leakers
from iadsim.scoring.engagements import Engagement, RoundOutcome, engagements
from iadsim.scoring.miss_distances import miss_distance_table
from iadsim.scoring.outcomes import terminal_states, truth_outcomes
from iadsim.scoring.post_accounting import Post, post_accounts
from iadsim.scoring.rounding import rounded

CIVIL_CATEGORIES = frozenset({"airliner"})
"""Air platform categories that are civil aircraft: the one definition of "civil" in scores."""


def is_civil(category: str) -> bool:
    """Whether an air platform category (catalog ``category``) is a civil aircraft."""
    return category in CIVIL_CATEGORIES


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
    posts: Sequence[Post] = (),
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
    posts : list of Post
        The command posts, in scenario order.

    Returns
    -------
    dict
        JSON-ready summary (see ``docs/outputs.md``).

    Raises
    ------
    iadsim.scoring.outcomes.ConservationError
        Some launched entity has no terminal state or several.
    """
    rows = events.to_pylist()
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    index = {name: i for i, name in enumerate(entity_names)}
    launched = np.asarray(start_s) < duration_s
    outcomes = terminal_states(by_kind, [n for i, n in enumerate(entity_names) if launched[i]])
    killed = {r["truth"] for r in by_kind["kill"]}
    members_of = {
        platform: [
            n
            for i, n in enumerate(entity_names)
            if hostile[i] and entity_platforms[i] == platform and launched[i]
        ]
        for platform in sorted({entity_platforms[i] for i in np.flatnonzero(hostile)})
    }
    threats = [
        {
            "platform": platform,
            "category": entity_categories[index[members[0]]] if members else "",
            "launched": len(members),
            "killed": outcomes.count(members, "killed"),
            "leaked": outcomes.count(members, "leaked"),
            "airborne_at_end": outcomes.count(members, "airborne_at_end"),
        }
        for platform, members in members_of.items()
    ]
    fratricide = [
        _friendly_engagement(engagement, entity_sides[i], entity_platforms[i])
        for engagement in engagements(events)
        if (i := index.get(engagement.truth)) is not None and not hostile[i]
    ]
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
        "duration_s": rounded(duration_s),
        "threats": threats,
        "outcomes": truth_outcomes(
            outcomes, entity_names, entity_sides, entity_platforms, launched
        ),
        "airborne_at_end": [
            {
                "truth": name,
                "side": entity_sides[index[name]],
                "platform": entity_platforms[index[name]],
                "threat": bool(hostile[index[name]]),
            }
            for name in outcomes.in_state("airborne_at_end")
        ],
        "posts": post_accounts(by_kind, posts, members_of),
        "totals": {
            "threats_launched": sum(t["launched"] for t in threats),
            "threats_killed": kills,
            "threats_leaked": sum(t["leaked"] for t in threats),
            "threats_airborne_at_end": sum(t["airborne_at_end"] for t in threats),
            "interceptors_fired": total_fired,
            "interceptors_per_kill": rounded(total_fired / kills) if kills else None,
            "allied_engaged": len(engaged_friendly - civil),
            "civil_engaged": len(engaged_friendly & civil),
            "friendly_lost_to_own_fire": len(
                {f["truth"] for f in fratricide if f["result"] == "kill"}
            ),
        },
        "interceptors_fired": dict(sorted(interceptors.items())),
        "by_target_class": by_target_class(by_kind, entity_names, entity_categories, hostile),
        "leakers": leakers(by_kind, entity_names, entity_platforms),
        "miss_distances": miss_distance_table(
            by_kind, dict(zip(entity_names, entity_categories, strict=True))
        ),
        "fratricide": fratricide,
        "friends_held_suspect_or_hostile": {
            u: sorted(v) for u, v in sorted(friendly_hostile.items())
        },
    }


def _friendly_engagement(engagement: Engagement, side: str, platform: str) -> dict[str, Any]:
    """One engagement of an allied or civil aircraft, with what each round did."""
    return {
        "engagement_id": engagement.engagement_id,
        "truth": engagement.truth,
        "side": side,
        "platform": platform,
        "unit": engagement.unit,
        "time_s": rounded(engagement.time_s),
        "identity": engagement.identity,
        "interceptors": engagement.ordered,
        "rounds": [
            r.outcome.name.lower()
            + (f" {r.miss_distance_m:.1f} m" if r.outcome is RoundOutcome.MISS else "")
            for r in engagement.rounds
        ],
        "result": engagement.result.name.lower(),
    }
