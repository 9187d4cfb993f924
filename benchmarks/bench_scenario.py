"""Benchmark: the bundled scenarios end to end, against real time and an older engine.

For each bundled scenario prints the wall time of one run (best of ``--repeats``, after a
warm-up run that pays for imports, Numba compilation and table building) and the real-time
factor. With ``--baseline-rev REV`` the same scenario is also run by the engine of git
revision ``REV``, checked out into a temporary git worktree, in alternation with this tree
so that background load hits both alike, and the speed-up ``old / new`` is printed. Each
engine runs its own revision's copy of the bundled scenario: a newer file uses fields an
older engine rejects, so the two runs differ where the scenario grew (the 96L6E, IFF).
``--baseline-rev`` may be given several times (each revision in its own worktree, all in
the same alternation). ``--profile`` adds each engine's time per pipeline stage (the
functions that ``Simulation.step`` calls, cumulative profiled seconds).

Run::

    .venv/bin/python benchmarks/bench_scenario.py --baseline-rev 0b074fa --profile
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("turkey-s400-ankara", "turkey-patriot-ankara", "turkey-s400-ankara-corridor")

# Runs in a fresh interpreter with the engine under test first on sys.path; prints JSON.
CHILD = r"""
import cProfile, json, pstats, sys, time
try:
    from iadsim.scoring.replication import run_simulation
except ImportError:  # engines before the scoring/ package
    from iadsim.analysis.replication import run_simulation
from iadsim.scenario.loader import load_scenario
path, repeats, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
scenario, catalog = load_scenario(path)
run_simulation(scenario, catalog)
best = float("inf")
for _ in range(repeats):
    started = time.perf_counter()
    run_simulation(scenario, catalog)
    best = min(best, time.perf_counter() - started)
stages = {}
if profile:
    profiler = cProfile.Profile()
    profiler.runcall(run_simulation, scenario, catalog)
    stats = pstats.Stats(profiler)
    for func, (_, _, _, _, callers) in stats.stats.items():
        for caller, (_, _, _, cumulative) in callers.items():
            if caller[2] == "step" and caller[0].endswith("simulation.py"):
                name = func[2] if func[2] != "ingest" else "tracking (picture.ingest)"
                stages[name] = stages.get(name, 0.0) + cumulative
    stages["calls"] = stats.total_calls
print(json.dumps({"wall_s": best, "duration_s": scenario.duration_s, "stages": stages}))
"""


def run_child(src: Path, scenario: Path, repeats: int, profile: bool) -> dict:
    """Time ``scenario`` with the engine in ``src`` in a fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, "-c", CHILD, str(scenario), str(repeats), "1" if profile else "0"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"benchmark run failed ({src}):\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """A temporary detached git worktree of ``rev``; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="iadsim-baseline-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), rev],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False
        )


def print_profile(label: str, stages: dict) -> None:
    calls = stages.pop("calls", 0)
    total = sum(stages.values())
    print(f"    {label}: {calls:,} function calls, stages (profiled s):")
    for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        print(f"      {name:<32} {seconds:7.2f}  {100 * seconds / total:5.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per child")
    parser.add_argument("--rounds", type=int, default=2, help="alternating child rounds")
    parser.add_argument(
        "--baseline-rev",
        action="append",
        default=[],
        help="git revision to compare with, e.g. 0b074fa (repeat for several)",
    )
    parser.add_argument("--profile", action="store_true", help="print time per stage")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with contextlib.ExitStack() as stack:
        bases = {rev: stack.enter_context(checkout(rev)) for rev in args.baseline_rev}
        for name in args.scenario or SCENARIOS:
            scenario = ROOT / "scenarios" / f"{name}.yaml"
            new: dict | None = None
            old: dict[str, dict] = {}
            for _ in range(args.rounds):  # alternate, so that load hits all alike
                trial = run_child(ROOT / "src", scenario, args.repeats, False)
                new = trial if new is None or trial["wall_s"] < new["wall_s"] else new
                for rev, base in bases.items():
                    trial = run_child(
                        base / "src", base / "scenarios" / scenario.name, args.repeats, False
                    )
                    if rev not in old or trial["wall_s"] < old[rev]["wall_s"]:
                        old[rev] = trial
            assert new is not None
            line = (
                f"{name}: {new['duration_s']:.0f} s simulated in {new['wall_s']:.2f} s wall "
                f"({new['duration_s'] / new['wall_s']:.0f}x real time)"
            )
            for rev, result in old.items():
                line += (
                    f"; {rev}: {result['wall_s']:.2f} s"
                    f" -> speed-up {result['wall_s'] / new['wall_s']:.2f}x"
                )
            print(line, flush=True)
            if args.profile:
                print_profile("this tree", run_child(ROOT / "src", scenario, 0, True)["stages"])
                for rev, base in bases.items():
                    stages = run_child(base / "src", base / "scenarios" / scenario.name, 0, True)
                    print_profile(rev, stages["stages"])
                print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
