"""A CPU-bound toy replicate for the campaign benchmark (measures the pools, not the engine).

It follows the engine's contract ``replicate(scenario_doc, seed) -> {measure: number}``:
``scenario_doc["toy"]["work_iterations"]`` rounds of sorting 20,000 random numbers
(single-threaded, no BLAS), then a raid of 8 threats each killed with probability 0.7.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from iadsim.scoring.measures import Measure, declare_measures


# ``checksum`` is left undeclared on purpose: it only keeps the work from being optimised
# away and is no measure of effectiveness (a report lists it as "undeclared").
@declare_measures(
    Measure("leakers", "count", "threats", "Threats of the toy raid of 8 not killed."),
    Measure("kills", "count", "threats", "Threats of the toy raid of 8 killed (p = 0.7 each)."),
)
def cpu_replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float | int]:
    """Burn CPU for ``toy.work_iterations`` rounds, then draw toy measures."""
    settings = scenario_doc.get("toy", {}) if isinstance(scenario_doc, Mapping) else {}
    rng = np.random.default_rng(seed)
    checksum = 0.0
    for _ in range(int(settings.get("work_iterations", 0))):
        checksum += float(np.sort(rng.random(20_000))[10_000])
    kills = int(rng.binomial(8, 0.7))
    return {"leakers": 8 - kills, "kills": kills, "checksum": checksum}
