"""Regenerate tests/golden/<scenario>.summary.json from the bundled scenarios.

Run after an intended model change, then review `git diff tests/golden` before committing:
the golden files pin what the bundled scenarios produce, so every change to them is a
change in results that the commit message should explain.
"""

from __future__ import annotations

import json
from pathlib import Path

from iadsim.scenario.loader import load_scenario
from iadsim.scoring.replication import run_simulation

ROOT = Path(__file__).resolve().parents[1]

for name in ("turkey-s400-ankara", "turkey-patriot-ankara", "turkey-s400-ankara-corridor"):
    scenario, catalog = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    summary = run_simulation(scenario, catalog).summary
    path = ROOT / "tests" / "golden" / f"{name}.summary.json"
    path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
