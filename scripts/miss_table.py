"""Miss-distance distributions of the bundled scenarios over several seeds, beside the adjoint.

Runs each bundled scenario (the three Turkey scenarios and ``kaliningrad-sead``) once per
seed into ``OUT/<scenario>-s<seed>`` (a folder that already holds a ``summary.json`` is
reused), pools the homing intercepts' miss distances per (interceptor, target type) and
prints, for each, the warhead, the target class, ``n``, the simulated p10/p50/p90 and the
Rayleigh p10/p50/p90 of the adjoint budget of Zarchan's linear single-lag PN loop
(:mod:`iadsim.weapons.miss_budget`, through :func:`budget`) for that interceptor against
that target type: its glint (:data:`~iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE` of its
size), a closing speed of the interceptor's mean speed plus the target's top speed and the
RCS-scaled lock-on range. The linear loop has no target acceleration, no heading error, no
acceleration limit and no gravity: it is the noise floor of the miss, so a simulated
median well above it says the engagement geometry adds miss; one well below it would be
a fault. A last line names every blast-fragmentation row whose median is below 1 m.

An intercept that two runs share (the corridor variant repeats the plain S-400 scenario's
early engagements under the same seed) counts once.

Usage: ``PYTHONPATH=src python scripts/miss_table.py OUT [SEED ...]`` (seeds default to
1 2 3 4 5), e.g. ``PYTHONPATH=src python scripts/miss_table.py /tmp/miss 1 2 3 4 5``.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.weapons.lethality import CLASS_OF_CATEGORY
from iadsim.weapons.miss_budget import rayleigh_percentile

sys.path.insert(0, str(Path(__file__).parent))
from miss_budget import budget, homing_misses  # scripts/ is not a package

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SCENARIOS = (
    "turkey-s400-ankara",
    "turkey-s400-ankara-corridor",
    "turkey-patriot-ankara",
    "kaliningrad-sead",
)
DEFAULT_SEEDS = (1, 2, 3, 4, 5)


def run_all(out: Path, seeds: list[int]) -> list[Path]:
    """Run every scenario at every seed (skipping finished folders); the run folders."""
    folders = []
    for name in SCENARIOS:
        for seed in seeds:
            folder = out / f"{name}-s{seed}"
            folders.append(folder)
            if (folder / "summary.json").exists():
                continue
            done = subprocess.run(
                [sys.executable, "-m", "iadsim", "run", str(SCENARIO_DIR / f"{name}.yaml"),
                 "--seed", str(seed), "--out", str(folder), "--no-map", "--no-looks"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode:  # the run's warnings (coarse terrain) are not the table's
                raise RuntimeError(f"iadsim run {name} --seed {seed} failed:\n{done.stderr}")
    return folders


def table(folders: list[Path]) -> list[dict]:
    """One row per (interceptor, target type): n, simulated and adjoint percentiles, m."""
    unique: dict[tuple[str, str], dict[tuple, float]] = defaultdict(dict)
    for folder in folders:
        for key, values in homing_misses(folder, by="platform").items():
            unique[key].update(values)
    catalog = load_catalog()
    rows = []
    for (interceptor, platform), values in sorted(unique.items()):
        klass = CLASS_OF_CATEGORY.get(catalog.air_platforms[platform].category)
        if klass is None:
            continue
        sigma, _, _ = budget(interceptor, klass, platform)
        misses = np.array(list(values.values()))
        rows.append(
            {
                "interceptor": interceptor,
                "warhead": catalog.interceptors[interceptor].warhead,
                "target": platform,
                "class": klass,
                "n": misses.size,
                "sim": np.percentile(misses, [10, 50, 90]),
                "adjoint": [rayleigh_percentile(sigma, q) for q in (0.1, 0.5, 0.9)],
            }
        )
    return rows


def markdown(rows: list[dict]) -> list[str]:
    """The table of :func:`table` as Markdown lines, then the line naming every
    blast-fragmentation row whose median is below 1 m."""
    lines = [
        "| interceptor | warhead | target | class | n | sim p10 m | sim p50 m | sim p90 m | "
        "adjoint p10 m | adjoint p50 m | adjoint p90 m |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        sim = " | ".join(f"{v:.2f}" for v in r["sim"])
        adjoint = " | ".join(f"{v:.2f}" for v in r["adjoint"])
        lines.append(
            f"| {r['interceptor']} | {r['warhead']} | {r['target']} | {r['class']} | "
            f"{r['n']} | {sim} | {adjoint} |"
        )
    low = [
        f"{r['interceptor']} vs {r['target']} (median {r['sim'][1]:.2f} m, n {r['n']})"
        for r in rows
        if r["warhead"] == "blast_fragmentation" and r["sim"][1] < 1.0
    ]
    named = "; ".join(low) if low else "none"
    lines += ["", f"Blast-fragmentation medians below 1 m: {named}."]
    return lines


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    seeds = [int(s) for s in argv[1:]] or list(DEFAULT_SEEDS)
    print(f"seeds {seeds}; scenarios {', '.join(SCENARIOS)}")
    print("\n".join(markdown(table(run_all(out, seeds)))))


if __name__ == "__main__":
    main(sys.argv[1:])
