"""Toy replicate functions for the campaign tests, at module level so that they pickle.

Each follows the engine's contract ``replicate(scenario_doc, seed) -> {measure: number}``
and draws only from ``numpy.random.default_rng(seed)``, so its output is a pure function
of the (swept) document and the seed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from iadsim.scoring.measures import Measure, declare_measures

TOY_MEASURES = (
    Measure("leakers", "count", "threats", "Threats of the raid not killed."),
    Measure("kills", "count", "threats", "Threats killed."),
    Measure("interceptors_fired", "count", "interceptors", "Interceptors launched."),
    Measure("allied_engaged", "count", "aircraft", "Allied aircraft engaged (0 or 1 here)."),
    Measure("first_detection_range_km_mean", "range", "km", "Range of the first detection."),
    Measure("siap_completeness", "ratio", "", "Fraction of the air picture held."),
)
"""What :func:`normal_replicate` (and the replicates built on it) return."""


@declare_measures(*TOY_MEASURES)
def normal_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """A raid of ``raid.count`` threats against interceptors of kill probability ``raid.pk``."""
    rng = np.random.default_rng(seed)
    raid = scenario_doc["raid"]
    count = int(raid["count"])
    kills = int(rng.binomial(count, float(raid["pk"])))
    detection_km = float(rng.normal(200.0, 15.0))
    return {
        "leakers": count - kills,
        "kills": kills,
        "interceptors_fired": count + int(rng.integers(0, 3)),
        "allied_engaged": int(rng.random() < 0.2),
        # No detection at all in some replications: NaN, as the engine reports it.
        "first_detection_range_km_mean": detection_km if rng.random() < 0.9 else float("nan"),
        "siap_completeness": float(rng.beta(8.0, 2.0)),
    }


@declare_measures(*TOY_MEASURES)
def failing_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Raise on every attempt for seeds divisible by 3, else behave like normal_replicate."""
    if seed % 3 == 0:
        raise RuntimeError(f"toy failure for seed {seed}")
    return normal_replicate(scenario_doc, seed)


@declare_measures(*TOY_MEASURES)
def flaky_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Fail the first attempt of each seed (marker files in ``doc['marker_dir']``)."""
    marker = Path(scenario_doc["marker_dir"]) / f"{seed}.tried"
    if not marker.exists():
        marker.touch()
        raise ValueError("first attempt fails")
    return normal_replicate(scenario_doc, seed)


@declare_measures(*TOY_MEASURES)
def slow_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """normal_replicate after sleeping ``$MC_TOY_SLEEP_S`` seconds (0 when unset)."""
    time.sleep(float(os.environ.get("MC_TOY_SLEEP_S", "0")))
    return normal_replicate(scenario_doc, seed)


@declare_measures(*TOY_MEASURES)
def crashing_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Kill its own worker process (as a segfault would) for replication seeds ``% 7 == 0``."""
    if seed % 7 == 0:
        os._exit(13)
    return normal_replicate(scenario_doc, seed)


@declare_measures(*TOY_MEASURES)
def mutating_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Edit its input document, which must not leak into other replications."""
    result = normal_replicate(scenario_doc, seed)
    scenario_doc["raid"]["count"] = 0
    return result


def assert_same_rows(first: Any, second: Any) -> None:
    """Assert two result tables hold the same rows, NaN equal to NaN (``Table.equals`` not)."""
    assert first.schema.equals(second.schema), (first.schema, second.schema)
    assert first.num_rows == second.num_rows
    for name in first.column_names:
        left, right = first.column(name), second.column(name)
        if left.type in ("double", "float"):
            np.testing.assert_array_equal(
                left.fill_null(np.inf).to_numpy(), right.fill_null(np.inf).to_numpy(), err_msg=name
            )
        else:
            assert left.to_pylist() == right.to_pylist(), name


def echo_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Return the swept values it was given, to check what reaches the replicate."""
    overrides = scenario_doc.get("catalog_overrides", {})
    return {
        "rcs_scale_seen": float(overrides.get("f35a", {}).get("rcs_scale", float("nan"))),
        "count_seen": int(scenario_doc["raid"]["count"]),
        "seed_low_bits": seed % 1000,
    }
