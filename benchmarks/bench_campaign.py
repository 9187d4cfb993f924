"""Benchmark of Monte Carlo campaigns: replications per second, scaling, Dask overhead.

Measures, in one run on this machine:

1. replications per second in this process (``workers=1``), on a process pool of 1 and
   of 2 workers, and on a Dask ``LocalCluster`` of 2 worker processes, for a CPU-bound
   replicate (by default :func:`toy_replicate.cpu_replicate` in this folder, calibrated to
   about ``--target-s`` seconds per replication);
2. the scaling efficiency ``rate(2 workers) / (2 * rate(1 worker))`` of the pool (bar: 0.80
   on a 2-core machine), from steady rates that discount each path's fixed start-up cost
   (the wall time of a campaign of 2 empty replications), and also with start-up included;
3. the per-replication overhead of each path with a replicate that does no work, net of
   the fixed cost, and the Dask path's excess over the local pool.

Each figure is the best of ``--rounds`` interleaved rounds; background load from other
processes still distorts them, so run it on an otherwise idle machine (the load average
is printed).

Usage::

    python benchmarks/bench_campaign.py                   # toy replicate, ~0.2 s each
    python benchmarks/bench_campaign.py --replicate iadsim.scoring.replication.replicate \\
        --scenario scenarios/turkey-s400-ankara.yaml --runs 20
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from iadsim.campaigns.campaign import resolve_replicate, run_campaign

# Workers (pool and Dask) import the toy replicate by name: put this folder on their path.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")])
)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from toy_replicate import cpu_replicate

DEMO = "toy_replicate.cpu_replicate"
EFFICIENCY_BAR = 0.80


def calibrate_demo(target_s: float) -> int:
    """Work iterations that make :func:`cpu_replicate` take about ``target_s`` seconds."""
    iterations = 4
    while True:
        started = time.perf_counter()
        cpu_replicate({"toy": {"work_iterations": iterations}}, 0)
        elapsed = time.perf_counter() - started
        if elapsed > 0.05 or iterations > 1_000_000:
            return max(1, round(iterations * target_s / elapsed))
        iterations *= 4


def timed_campaign(
    doc: dict[str, Any], replicate: str, runs: int, out_dir: Path, **kwargs: Any
) -> float:
    """Wall seconds of one fresh campaign of ``runs`` replications (start-up included)."""
    summary = run_campaign(
        doc, None, runs, 1, out_dir=out_dir, replicate=replicate, progress=False, **kwargs
    )
    if summary.n_failed:
        raise SystemExit(f"{summary.n_failed} replications failed in {out_dir}")
    return summary.elapsed_s


def measure(
    name: str, doc: dict[str, Any], replicate: str, runs: int, root: Path, **kwargs: Any
) -> dict[str, float]:
    """Fixed cost, replication rate and empty-replicate overhead of one execution path.

    The fixed cost (pool or client start-up, manifest, first part file) is the wall time
    of a campaign of 2 empty replications; the steady rate discounts it.
    """
    empty = {"toy": {"work_iterations": 0}}
    fixed_s = timed_campaign(empty, DEMO, 2, root / f"{name}-fixed", **kwargs)
    wall_s = timed_campaign(doc, replicate, runs, root / f"{name}-work", **kwargs)
    n_empty = 100 * runs // 10
    empty_s = timed_campaign(empty, DEMO, n_empty, root / f"{name}-empty", **kwargs)
    return {
        "fixed_s": fixed_s,
        "rate": runs / wall_s,
        "steady_rate": runs / max(wall_s - fixed_s, 1e-9),
        "overhead_s": max(empty_s - fixed_s, 0.0) / (n_empty - 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit status 1 if scaling is under the bar."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicate", default=DEMO, help="dotted name of the replicate")
    parser.add_argument("--scenario", type=Path, help="scenario YAML (default: demo doc)")
    parser.add_argument("--runs", type=int, default=16, help="replications per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds")
    parser.add_argument("--target-s", type=float, default=0.2, help="demo seconds per run")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args(argv)

    doc: dict[str, Any] = {}
    if args.scenario:
        doc = yaml.safe_load(args.scenario.read_text(encoding="utf-8"))
    function = resolve_replicate(args.replicate)
    if args.replicate == DEMO:
        doc = {**doc, "toy": {"work_iterations": calibrate_demo(args.target_s)}}
    started = time.perf_counter()
    function(doc, 12345)
    print(f"replicate {args.replicate}: {time.perf_counter() - started:.3f} s in this process")
    print(
        f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, "
        f"replications per measurement: {args.runs}, best of {args.rounds} rounds"
    )

    with contextlib.ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-campaign-")))
        paths: dict[str, dict[str, Any]] = {
            "in-process": {},
            "pool x1": {"workers": 1, "in_process": False},
            "pool x2": {"workers": 2},
        }
        if not args.skip_dask:
            from distributed import LocalCluster

            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
            )
            paths["dask x2"] = {"scheduler": cluster.scheduler_address}
        # Rounds interleave the paths and each figure is the best of its rounds, so that a
        # burst of background load hurts one round of one path, not a whole comparison.
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        for round_index in range(args.rounds):
            for name, kwargs in paths.items():
                folder = root / f"{round_index}-{name.replace(' ', '')}"
                rounds[name].append(
                    measure(folder.name, doc, args.replicate, args.runs, root, **kwargs)
                )
        results = {
            name: {
                "fixed_s": min(row["fixed_s"] for row in rows),
                "rate": max(row["rate"] for row in rows),
                "steady_rate": max(row["steady_rate"] for row in rows),
                "overhead_s": min(row["overhead_s"] for row in rows),
            }
            for name, rows in rounds.items()
        }

    baseline = results["in-process"]["steady_rate"]
    print()
    print(
        f"{'path':<11} {'fixed s':>8} {'repl/s':>8} {'steady repl/s':>14} "
        f"{'vs in-process':>14} {'overhead ms/repl':>17}"
    )
    for name, row in results.items():
        print(
            f"{name:<11} {row['fixed_s']:>8.2f} {row['rate']:>8.2f} {row['steady_rate']:>14.2f}"
            f" {row['steady_rate'] / baseline:>14.2f} {1e3 * row['overhead_s']:>17.2f}"
        )
    one, two = results["pool x1"], results["pool x2"]
    efficiency = two["steady_rate"] / (2.0 * one["steady_rate"])
    print()
    print(f"scaling efficiency, pool, steady: rate(2) / (2 rate(1)) = {efficiency:.2f}")
    print(f"  with start-up included: {two['rate'] / (2.0 * one['rate']):.2f}")
    print(f"  bar: {EFFICIENCY_BAR:.2f}")
    if "dask x2" in results:
        excess = results["dask x2"]["overhead_s"] - two["overhead_s"]
        print(f"Dask overhead over the local pool: {1e3 * excess:.2f} ms per replication")
    return 0 if efficiency >= EFFICIENCY_BAR else 1


if __name__ == "__main__":
    sys.exit(main())
