"""Fingerprints of the bundled scenarios' outputs, and how a change moved them.

Speed work is checked by what it does to every output of every bundled scenario
(``docs/design/decisions.md``, *Performance*). For each bundled scenario and seed (by
default its own seed, that of the golden summaries and most of the docs' quotes, and seeds
1–5 and 7) this
runs the scenario with every recording on and prints the SHA-256 (first 12 hex digits) of
its events, tracks, picture metrics, looks and summary. With a baseline, the same runs
are made by another engine and each run is classed:

``bits``
    every output identical to the bit;
``outcomes``
    the same rows of every table and the same summary, every value that is not a float
    identical, and every float within :data:`DRIFT` of its scale: what running the same
    engine on another kind of CPU changes;
``differs``
    anything else, with the first difference found.

The baseline is the engine of ``--baseline-rev REV`` (a temporary git worktree, running
its own copies of the scenarios), this tree run with ``--baseline-env NAME=VALUE`` (e.g.
NumPy's AVX-512 code switched off, as on a CPU without it), or both. The exit status is 1
when a run differs, 0 otherwise.

Run::

    .venv/bin/python benchmarks/fingerprints.py --baseline-rev HEAD~1
    .venv/bin/python benchmarks/fingerprints.py \\
        --baseline-env NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

sys.path.insert(0, str(Path(__file__).parent))
from bench_scenario import ROOT, checkout  # benchmarks/ is not a package

TABLES = ("events", "tracks", "picture", "looks")
DRIFT = 1e-4
"""Largest difference of two floats of the same outcome, relative to the larger magnitude
or 1, whichever is greater. A last-bit change grows through the trackers' filters: with
NumPy's AVX-512 code switched off, the bundled runs' floats moved by up to 7.3e-6 (track
velocities of the Patriot scenario), every other value staying the same."""

# Runs in a fresh interpreter with the engine under test first on sys.path: writes each
# run's tables (Arrow IPC) and summary (JSON) under the folder it is given.
CHILD = r"""
import json, sys
from pathlib import Path
import pyarrow.ipc as ipc
from iadsim.scoring.replication import run_simulation
from iadsim.scenario.loader import load_scenario
scenarios, out, seeds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
for path in sorted(scenarios.glob("*.yaml")):
    scenario, catalog = load_scenario(path)
    for seed in seeds:
        chosen = None if seed == "own" else int(seed)  # own: the scenario's seed
        result = run_simulation(scenario, catalog, seed=chosen, record_looks=True)
        folder = out / f"{path.stem}-{seed}"
        folder.mkdir(parents=True)
        for name in ("events", "tracks", "picture", "looks"):
            table = getattr(result, name)
            with ipc.new_file(folder / f"{name}.arrow", table.schema) as writer:
                writer.write_table(table)
        text = json.dumps(result.summary, sort_keys=True, default=str)
        (folder / "summary.json").write_text(text)
        print(folder.name, flush=True)
"""


def run_engine(src: Path, scenarios: Path, seeds: list[str], out: Path, env: dict) -> None:
    """Run every scenario in ``scenarios`` at ``seeds`` with the engine in ``src``."""
    child_env = dict(os.environ, PYTHONPATH=str(src), **env)
    command = [sys.executable, "-c", CHILD, str(scenarios), str(out), *seeds]
    result = subprocess.run(command, env=child_env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"run failed ({src}):\n{result.stderr[-2000:]}")


def _read(folder: Path) -> dict[str, Any]:
    """One run's outputs as the child wrote them: each table of :data:`TABLES` and the
    summary."""
    outputs: dict[str, Any] = {"summary": json.loads((folder / "summary.json").read_text())}
    for name in TABLES:
        with ipc.open_file(folder / f"{name}.arrow") as reader:
            outputs[name] = reader.read_all()
    return outputs


def fingerprint(outputs: dict[str, Any]) -> dict[str, str]:
    """SHA-256 (12 hex digits) of each output: tables as Arrow IPC streams, the summary
    as sorted JSON."""
    digests = {}
    for name in TABLES:
        table = outputs[name]
        sink = pa.BufferOutputStream()
        with ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        digests[name] = hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()[:12]
    summary = json.dumps(outputs["summary"], sort_keys=True, default=str).encode()
    digests["summary"] = hashlib.sha256(summary).hexdigest()[:12]
    return digests


def _close(new: float, old: float) -> bool:
    """Two floats of the same outcome (:data:`DRIFT`; NaN equals NaN)."""
    if new == old or (math.isnan(new) and math.isnan(old)):
        return True
    return abs(new - old) <= DRIFT * max(abs(new), abs(old), 1.0)


def first_difference(new: Any, old: Any, where: str = "") -> str | None:
    """Where two values (a summary, a table's rows as Python objects) first differ, or
    None: floats within :data:`DRIFT`, everything else exactly."""
    if isinstance(new, float) and isinstance(old, float):
        return None if _close(new, old) else f"{where}: {old!r} -> {new!r}"
    if isinstance(new, dict) and isinstance(old, dict):
        if new.keys() != old.keys():
            return f"{where}: keys {sorted(set(old) ^ set(new))} added or removed"
        for key in new:
            found = first_difference(new[key], old[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(new, list) and isinstance(old, list):
        if len(new) != len(old):
            return f"{where}: {len(old)} -> {len(new)} items"
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if new == old else f"{where}: {old!r} -> {new!r}"


def table_difference(new: pa.Table, old: pa.Table, name: str) -> str | None:
    """Where two tables first differ (:func:`first_difference`'s rule), or None; float
    columns are compared as arrays, others exactly (nested ones value by value)."""
    if new.schema.names != old.schema.names or new.num_rows != old.num_rows:
        before, after = (f"{t.num_rows} rows of {t.schema.names}" for t in (old, new))
        return f"{name}: {before} -> {after}"
    for column in new.schema.names:
        a, b = new[column], old[column]
        if pa.types.is_floating(a.type) and pa.types.is_floating(b.type):
            x = a.to_numpy(zero_copy_only=False)
            y = b.to_numpy(zero_copy_only=False)
            with np.errstate(invalid="ignore"):
                far = np.abs(x - y) > DRIFT * np.maximum(np.maximum(np.abs(x), np.abs(y)), 1.0)
            far &= ~(np.isnan(x) & np.isnan(y)) & (x != y)
            far |= np.isnan(x) != np.isnan(y)
            if far.any():
                row = int(far.argmax())
                return f"{name}[{row}].{column}: {float(y[row])!r} -> {float(x[row])!r}"
        elif not a.equals(b):
            found = first_difference(a.to_pylist(), b.to_pylist(), f"{name}.{column}")
            if found:
                return found
    return None


def classify(new: dict[str, Any], old: dict[str, Any]) -> tuple[str, str]:
    """``("bits" | "outcomes" | "differs", detail)`` of one run's outputs against the
    baseline's (each: the tables of :data:`TABLES` and ``summary``); the detail names the
    outputs that moved, or the first difference."""
    moved = [name for name, digest in fingerprint(new).items() if fingerprint(old)[name] != digest]
    if not moved:
        return "bits", ""
    for name in moved:
        if name == "summary":
            found = first_difference(new[name], old[name], name)
        else:
            found = table_difference(new[name], old[name], name)
        if found:
            return "differs", found
    return "outcomes", ", ".join(moved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-rev", help="git revision whose engine is the baseline")
    parser.add_argument(
        "--baseline-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the baseline's runs (repeatable)",
    )
    parser.add_argument(
        "--seeds",
        nargs="+",
        default=["own", "1", "2", "3", "4", "5", "7"],
        help="seeds to run ('own': each scenario's own seed)",
    )
    args = parser.parse_args()
    env = {}
    for item in args.baseline_env:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--baseline-env takes NAME=VALUE, not {item!r}")
        env[name] = value
    with contextlib.ExitStack() as stack:
        out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="iadsim-prints-")))
        run_engine(ROOT / "src", ROOT / "scenarios", args.seeds, out / "new", {})
        runs = sorted(p.name for p in (out / "new").iterdir())
        if args.baseline_rev is None and not env:
            for run in runs:
                prints = fingerprint(_read(out / "new" / run))
                print(run, " ".join(f"{k} {v}" for k, v in prints.items()))
            return
        base = ROOT
        if args.baseline_rev is not None:
            base = stack.enter_context(checkout(args.baseline_rev))
        run_engine(base / "src", base / "scenarios", args.seeds, out / "old", env)
        differs = False
        for run in runs:
            old_folder = out / "old" / run
            if not old_folder.is_dir():
                print(f"{run}: differs (no such run in the baseline)")
                differs = True
                continue
            kind, detail = classify(_read(out / "new" / run), _read(old_folder))
            differs |= kind == "differs"
            print(f"{run}: {kind}" + (f" ({detail})" if detail else ""))
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()
