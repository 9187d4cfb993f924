"""Benchmark: CPU seconds of one replication of the bundled study, question by question.

Runs every variant run of ``studies/turkey-s400.yaml`` once at the study's seed as
``iadsim study`` runs it (``StudyReplicate``, with ``sightings_only`` for questions that ask
only first own-track measures, looks kept for a question with exposure; a run that repeats
an earlier run's document is skipped where the engine's study takes the first run's
results), in one process, and prints the CPU seconds (``time.process_time``) of each
question and of the whole replication, with the wall time 100 replications per variant
would take on two busy cores. Every run is measured ``--passes`` times (default 2) and its
least CPU kept: the first pass pays for compiling, or loading from the Numba cache, every
kernel a run needs first (a variant on the data link calls kernels its question's first
run never does), so neither engine's figures depend on the state of its cache (some 8
minutes of CPU per engine).

With ``--baseline-rev REV`` the same measurement is made by the engine of git revision
``REV`` (in a temporary worktree, on its own copy of the study) and the ratio is printed.

Run::

    .venv/bin/python benchmarks/bench_study.py --baseline-rev 8e4d76e
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scenario import ROOT, checkout  # benchmarks/ is not a package

# Runs in a fresh interpreter with the engine under test first on sys.path; prints JSON.
CHILD = r"""
import json, sys, tempfile, time
from collections import defaultdict
from pathlib import Path
from iadsim.studies.replicate import StudyReplicate
from iadsim.studies.runner import study_runs
from iadsim.studies.schema import load_study
try:
    from iadsim.studies.replicate import only_sightings
except ImportError:  # an engine before questions that stop early
    only_sightings = None
study, passes = sys.argv[1], int(sys.argv[2])
loaded = load_study(study)
by_question = defaultdict(list)
for run in study_runs(loaded, Path(tempfile.mkdtemp())):
    by_question[run.question.name].append(run)
try:  # an engine whose study takes a repeated document's results from its first run
    from iadsim.campaigns.store import share_results
    from iadsim.studies.schema import document_hash
except ImportError:
    share_results = None
def replicate_of(run):
    looks = tempfile.mkdtemp() if run.question.exposure is not None else None
    if looks is None and only_sightings is not None:
        return StudyReplicate(looks, sightings_only=only_sightings(run.question.measures))
    return StudyReplicate(looks)
computed = []  # (question, run): the runs iadsim study computes, in its order
ran = set()
for name, runs in by_question.items():
    for run in runs:
        if share_results is not None and run.question.exposure is None:
            key = (document_hash(run.document), only_sightings(run.question.measures))
            if key in ran:  # iadsim study copies the first run's results
                continue
            ran.add(key)
        computed.append((name, run))
least = [float("inf")] * len(computed)
for _ in range(passes):  # the first pass compiles or loads each run's kernels
    for k, (name, run) in enumerate(computed):
        replicate = replicate_of(run)
        started = time.process_time()
        replicate(run.document, loaded.study.seed)
        least[k] = min(least[k], time.process_time() - started)
cpu = dict.fromkeys(by_question, 0.0)
for (name, _), spent in zip(computed, least):
    cpu[name] += spent
print(json.dumps(cpu))
"""


def measure(src: Path, study: Path, passes: int) -> dict[str, float]:
    """CPU seconds per question of one replication, with the engine in ``src``: each run's
    least over ``passes`` passes."""
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, "-c", CHILD, str(study), str(passes)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"benchmark run failed ({src}):\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline-rev", action="append", default=[], help="git revision to compare with"
    )
    parser.add_argument(
        "--passes",
        type=int,
        default=2,
        help="times each run is measured, the least CPU kept (the first pays for kernels)",
    )
    args = parser.parse_args()
    if args.passes < 1:
        parser.error("--passes must be at least 1")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    study = Path("studies") / "turkey-s400.yaml"
    with contextlib.ExitStack() as stack:
        results = {"this tree": measure(ROOT / "src", ROOT / study, args.passes)}
        for rev in args.baseline_rev:
            base = stack.enter_context(checkout(rev))
            results[rev] = measure(base / "src", base / study, args.passes)
    names = list(results)
    print("question".ljust(28) + "".join(f"{name:>14}" for name in names))
    for question in results["this tree"]:
        row = "".join(f"{results[name].get(question, float('nan')):14.1f}" for name in names)
        print(question.ljust(28) + row)
    totals = {name: sum(cpu.values()) for name, cpu in results.items()}
    print("total CPU s".ljust(28) + "".join(f"{totals[name]:14.1f}" for name in names))
    for name, total in totals.items():
        line = f"{name}: 100 replications per variant, {total * 100 / 2 / 3600:.2f} h on 2 cores"
        if name != "this tree":
            line += f"; this tree is {total / totals['this tree']:.2f}x faster"
        print(line)


if __name__ == "__main__":
    main()
