"""Benchmark of static weapon-target assignment (:mod:`iadsim.c2.wta`).

Reads the public instances of Andersen, Pavlikov & Toffolo (2022) from
``/work/shared/benchmarks/wta/`` (a benchmark may read the shared folder; the unit tests use
their own copies of the three 50 x 100 files).  For each instance it prints the solve time,
the expected surviving value and its gap to the best-known value for the heuristic and for a
plain maximum-marginal-return greedy measured in the same run.  It then times random
instances from 10 x 10 to 200 x 200 (heuristic and greedy; exact only for the small ones).

Run:  .venv/bin/python benchmarks/bench_wta.py [--repeats N] [--data DIR]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from iadsim.c2 import wta
from iadsim.c2._wta_kernels import greedy_marginal_return

DATA = Path("/work/shared/benchmarks/wta")
# Best-known expected surviving weight (their README; "opt" = proved optimal).
BEST_KNOWN = {
    "wta_50x100x1.txt": 1734.302257,
    "wta_50x100x2.txt": 123.838359,
    "wta_50x100x3.txt": 20.589861,
    "wta_100x200x1.txt": 2862.302609,
    "wta_100x200x3.txt": 14.579133,
    "wta_200x400x1.txt": 4970.363244,
}


def read_instance(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """Parse ``W T mu`` / T weights / ``i j p`` lines into (values, kill_prob, mu)."""
    with path.open() as handle:
        n_weapons, n_targets, rounds = (int(word) for word in handle.readline().split())
        values = np.array([float(handle.readline()) for _ in range(n_targets)])
        triples = np.loadtxt(handle, ndmin=2)
    kill_prob = np.zeros((n_weapons, n_targets))
    kill_prob[triples[:, 0].astype(int), triples[:, 1].astype(int)] = triples[:, 2]
    return values, kill_prob, rounds


def timed(
    solve: Callable[..., np.ndarray], arguments: tuple, repeats: int
) -> tuple[np.ndarray, float]:
    """Best wall time of ``repeats`` calls of ``solve(*arguments)``, and the result."""
    best = np.inf
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = solve(*arguments)
        best = min(best, time.perf_counter() - start)
    return result, best


def published(data: Path, repeats: int) -> None:
    print("published instances (expected surviving weight; gap to best known)")
    print(
        f"{'instance':<20}{'best known':>12}{'heuristic':>12}{'gap':>9}{'time s':>9}"
        f"{'greedy':>12}{'gap':>9}{'time s':>9}{'t_h/t_g':>9}"
    )
    for name, best_known in BEST_KNOWN.items():
        path = data / name
        if not path.exists():
            print(f"{name:<20} missing")
            continue
        values, kill_prob, rounds = read_instance(path)
        expanded, _ = wta.expand_rounds(kill_prob, rounds)
        heuristic, t_heuristic = timed(wta.assign, (values, expanded), repeats)
        greedy, t_greedy = timed(greedy_marginal_return, (values, expanded), repeats)
        f_heuristic = wta.expected_surviving_value(values, expanded, heuristic)
        f_greedy = wta.expected_surviving_value(values, expanded, greedy)
        print(
            f"{name:<20}{best_known:>12.3f}{f_heuristic:>12.3f}"
            f"{f_heuristic / best_known - 1:>9.3%}{t_heuristic:>9.3f}"
            f"{f_greedy:>12.3f}{f_greedy / best_known - 1:>9.3%}{t_greedy:>9.4f}"
            f"{t_heuristic / t_greedy:>9.0f}"
        )


def random_sizes(repeats: int) -> None:
    print("\nrandom instances (v ~ U[1, 100], p ~ U[0, 1]; one round per weapon)")
    print(
        f"{'size':<10}{'heuristic s':>13}{'greedy s':>10}{'t_h/t_g':>9}{'exact s':>10}"
        f"{'F greedy/F heur':>17}{'D heur/D exact':>16}"
    )
    rng = np.random.default_rng(2024)
    for size in (10, 20, 50, 100, 200):
        values = rng.uniform(1.0, 100.0, size)
        kill_prob = rng.uniform(0.0, 1.0, (size, size))
        heuristic, t_heuristic = timed(wta.assign, (values, kill_prob), repeats)
        greedy, t_greedy = timed(greedy_marginal_return, (values, kill_prob), repeats)
        d_heuristic = wta.expected_destroyed_value(values, kill_prob, heuristic)
        f_heuristic = wta.expected_surviving_value(values, kill_prob, heuristic)
        f_greedy = wta.expected_surviving_value(values, kill_prob, greedy)
        exact_time, exact_ratio = "-", "-"
        if size <= 20:
            exact, t_exact = timed(wta.assign, (values, kill_prob, "exact"), 1)
            d_exact = wta.expected_destroyed_value(values, kill_prob, exact)
            exact_time, exact_ratio = f"{t_exact:.3f}", f"{d_heuristic / d_exact:.6f}"
        print(
            f"{size}x{size:<7}{t_heuristic:>13.4f}{t_greedy:>10.4f}{t_heuristic / t_greedy:>9.0f}"
            f"{exact_time:>10}{f_greedy / f_heuristic:>17.4f}{exact_ratio:>16}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (best kept)")
    parser.add_argument("--data", type=Path, default=DATA, help="instance folder")
    args = parser.parse_args()
    published(args.data, args.repeats)
    random_sizes(args.repeats)


if __name__ == "__main__":
    main()
