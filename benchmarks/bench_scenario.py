"""Benchmark: the bundled scenarios end to end, against real time.

Prints the run time and how many simulated seconds pass per wall second (the real-time
factor), for each bundled scenario, best of ``--repeats`` runs; and the cost of modelling
the rotating radars' beam passage: the ratio to the same scenario with every rotating radar
scanning its whole volume at once each revisit (``scan_mode: electronic``), measured in the
same run.

Run: ``.venv/bin/python benchmarks/bench_scenario.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from iadsim.analysis.replication import run_simulation
from iadsim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("turkey-s400-ankara", "turkey-patriot-ankara")


def best_wall_s(scenario, catalog, repeats: int) -> float:
    """Best wall time of ``repeats`` runs, after one warm-up (Numba, tables)."""
    run_simulation(scenario, catalog)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run_simulation(scenario, catalog)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for name in SCENARIOS:
        scenario, catalog = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        best = best_wall_s(scenario, catalog, args.repeats)
        rotating = [key for key, radar in catalog.radars.items() if radar.scan_mode == "rotating"]
        at_once = catalog.with_overrides({key: {"scan_mode": "electronic"} for key in rotating})
        baseline = best_wall_s(scenario, at_once, args.repeats)
        factor = scenario.duration_s / best
        print(f"{name}: {scenario.duration_s:.0f} s simulated in {best:.2f} s wall "
              f"-> {factor:.0f}x real time; beam passage costs {best / baseline:.2f}x "
              f"instantaneous scans ({baseline:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
