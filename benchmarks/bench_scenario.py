"""Benchmark: the bundled scenarios end to end, against real time.

Prints the set-up time, the run time, and how many simulated seconds pass per wall second
(the real-time factor), for each bundled scenario, best of ``--repeats`` runs.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for name in SCENARIOS:
        scenario, catalog = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        run_simulation(scenario, catalog)  # warm caches (Numba, tables)
        best = float("inf")
        for _ in range(args.repeats):
            started = time.perf_counter()
            run_simulation(scenario, catalog)
            best = min(best, time.perf_counter() - started)
        factor = scenario.duration_s / best
        print(f"{name}: {scenario.duration_s:.0f} s simulated in {best:.2f} s wall "
              f"-> {factor:.0f}x real time")  # fmt: skip


if __name__ == "__main__":
    main()
