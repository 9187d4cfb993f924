"""Run an assurance search: every cell, its friend outcomes, the minimal condition sets, the
worst case with its ``explain`` chain, and the result files.

Output folder::

    assurance.json   the file as run (hash, seed, replications), coverage, the cells with
                     their outcomes, the minimal condition sets, the worst case and its chain
    cells.csv        one row per cell and replication
    assurance.md     the result in words and tables
    outcomes.jsonl   every finished replication as it finishes: the cell's scenario
                     document hash, the seed and the outcome, one JSON object a line

Resuming. With a folder, :func:`run_assurance` appends each replication's outcome to
``outcomes.jsonl`` as soon as it finishes and, before running anything, reads the file
back: a job whose (cell document hash, seed) is there is not run again. So a search killed
at any moment and rerun with the same command runs only the missing replications and gives
the same result (each replication is deterministic in its document and seed); a changed
level or scenario changes the document hash, so stale outcomes are never reused, and a
line cut short by the kill is ignored.

A friend is an aircraft the defence is not hostile to: allied or civil. A cell *engages a
friend* when some post engaged one in at least one of its replications (``engage`` events,
scored against truth).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc

from iadsim.campaigns.campaign import replication_seed
from iadsim.scenario.loader import validate_document
from iadsim.scoring.explain import explain
from iadsim.scoring.replication import RunResult, run_simulation
from iadsim.studies.assurance import (
    Cell,
    LoadedAssurance,
    cell_document,
    cells,
    minimal_condition_sets,
)
from iadsim.studies.schema import document_hash

__all__ = ["AssuranceResult", "friend_outcome", "run_assurance", "write_assurance"]


def _engaged_friends(result: RunResult) -> list[str]:
    """Friends (allied or civil) engaged in a run, in order of their first engagement."""
    entities = result.simulation.entities
    hostile = dict(zip(entities.name, result.simulation.hostile_to_defence, strict=True))
    rows = result.events.filter(pc.equal(result.events.column("kind"), "engage"))
    names: list[str] = []
    for name in rows.column("truth").to_pylist():
        if name in hostile and not hostile[name] and name not in names:
            names.append(name)
    return names


def friend_outcome(scenario_doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """One replication of one cell: the friends engaged, declared and lost.

    Returns
    -------
    dict
        ``allied_engaged``, ``civil_engaged`` (counts), ``friends_declared`` (allied or
        civil aircraft some post declared suspect or hostile), ``friendly_lost``, and
        ``engaged`` (names, first engaged first).
    """
    scenario, catalog = validate_document(scenario_doc, scenario_doc.get("name", "<cell>"))
    result = run_simulation(scenario, catalog, seed)
    totals = result.summary["totals"]
    declared = result.summary["friends_held_suspect_or_hostile"]
    return {
        "allied_engaged": int(totals["allied_engaged"]),
        "civil_engaged": int(totals["civil_engaged"]),
        "friends_declared": len({t for truths in declared.values() for t in truths}),
        "friendly_lost": int(totals["friendly_lost_to_own_fire"]),
        "engaged": _engaged_friends(result),
    }


def _run_job(job: tuple[dict[str, Any], int]) -> dict[str, Any]:
    return friend_outcome(*job)


OUTCOMES_FILE = "outcomes.jsonl"
"""Finished replications of an assurance search, one JSON object a line (resume)."""


def read_outcomes(folder: Path | None) -> dict[tuple[str, int], dict[str, Any]]:
    """Outcomes already in ``folder/outcomes.jsonl``, by (cell document hash, seed).

    A line that does not parse (the last one, cut short by a kill) is skipped.
    """
    path = None if folder is None else folder / OUTCOMES_FILE
    if path is None or not path.is_file():
        return {}
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for line in path.read_text("utf-8").splitlines():
        try:
            record = json.loads(line)
            found[(str(record["document"]), int(record["seed"]))] = dict(record["outcome"])
        except (ValueError, KeyError, TypeError):
            continue
    return found


def _append_outcome(handle: Any, document: str, seed: int, outcome: dict[str, Any]) -> None:
    """One line of ``outcomes.jsonl``, on disk before the next replication is counted."""
    record = {"document": document, "seed": seed, "outcome": outcome}
    handle.write(json.dumps(record, sort_keys=True) + "\n")
    handle.flush()
    os.fsync(handle.fileno())


@dataclass(frozen=True)
class AssuranceResult:
    """What :func:`run_assurance` found (see :func:`write_assurance` for the files)."""

    loaded: LoadedAssurance
    explored: list[Cell]
    total_cells: int
    replications: int
    seeds: list[int]
    outcomes: dict[Cell, list[dict[str, Any]]]
    engaging_sets: list[tuple[int | None, ...]]
    safe_sets: list[tuple[int | None, ...]]
    worst: Cell | None
    worst_seed: int | None
    worst_aircraft: str | None
    worst_chain: list[str]
    n_ran: int = 0
    """Replications run by this call (the others were in the folder's outcomes)."""

    def engaged(self, cell: Cell) -> bool:
        """Whether any replication of the cell engaged a friend."""
        return any(r["allied_engaged"] + r["civil_engaged"] > 0 for r in self.outcomes[cell])

    def to_json(self) -> dict[str, Any]:
        """Plain dict of the result (``assurance.json``)."""
        spec = self.loaded.spec
        return {
            "name": spec.name,
            "file": str(self.loaded.file),
            "scenario_sha256": self.loaded.scenario_hash,
            "seed": spec.seed,
            "seeds": self.seeds,
            "replications": self.replications,
            "factors": {f.name: [level.name for level in f.levels] for f in spec.factors},
            "coverage": {"explored": len(self.explored), "total": self.total_cells},
            "cells": [
                {
                    "conditions": spec.describe(cell),
                    "friend_engaged": self.engaged(cell),
                    "replications": self.outcomes[cell],
                }
                for cell in self.explored
            ],
            "minimal_sets_engaging_a_friend": [spec.describe(c) for c in self.engaging_sets],
            "minimal_sets_with_none_found": [spec.describe(c) for c in self.safe_sets],
            "worst_case": None
            if self.worst is None
            else {
                "conditions": spec.describe(self.worst),
                "seed": self.worst_seed,
                "aircraft": self.worst_aircraft,
                "explain": self.worst_chain,
            },
        }


def _severity(outcomes: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Mean friends engaged, lost and declared over a cell's replications (worst is largest)."""
    return (
        float(np.mean([r["allied_engaged"] + r["civil_engaged"] for r in outcomes])),
        float(np.mean([r["friendly_lost"] for r in outcomes])),
        float(np.mean([r["friends_declared"] for r in outcomes])),
    )


def run_assurance(
    loaded: LoadedAssurance,
    replications: int | None = None,
    workers: int = 1,
    limit: int | None = None,
    on_cell: Callable[[str], None] | None = None,
    out_dir: Path | None = None,
) -> AssuranceResult:
    """Run every cell (or the first ``limit``) and find the minimal condition sets.

    Parameters
    ----------
    loaded : LoadedAssurance
    replications : int, optional
        Per cell (default: the file's).
    workers : int
        Local processes (1: in this process).
    limit : int, optional
        Explore only the first ``limit`` cells (the coverage says so).
    on_cell : callable, optional
        Called with each cell's description as its replications are handed out.
    out_dir : Path, optional
        Result folder: each finished replication is kept in its ``outcomes.jsonl`` at
        once, and those already there are not run again (see the module docstring).
    """
    spec = loaded.spec
    count = spec.replications if replications is None else replications
    seeds = [replication_seed(spec.seed, 0, k) for k in range(count)]
    space = cells(spec.factors)
    explored = space if limit is None else space[:limit]
    jobs: list[tuple[dict[str, Any], int]] = []
    hashes: list[str] = []
    for cell in explored:
        if on_cell is not None:
            on_cell(spec.describe(cell))
        doc = cell_document(loaded.scenario_doc, spec.factors, cell)
        jobs.extend((doc, seed) for seed in seeds)
        hashes.extend([document_hash(doc)] * len(seeds))
    done = read_outcomes(out_dir)
    flat: list[dict[str, Any] | None] = [
        done.get((digest, seed)) for digest, (_, seed) in zip(hashes, jobs, strict=True)
    ]
    todo = [i for i, outcome in enumerate(flat) if outcome is None]
    handle = None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / OUTCOMES_FILE
        cut = path.is_file() and path.stat().st_size and not path.read_bytes().endswith(b"\n")
        handle = path.open("a", encoding="utf-8")
        if cut:  # a line the kill cut short: the next record starts on a line of its own
            handle.write("\n")
    try:

        def finished(i: int, outcome: dict[str, Any]) -> None:
            flat[i] = outcome
            if handle is not None:
                _append_outcome(handle, hashes[i], jobs[i][1], outcome)

        if workers > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_run_job, jobs[i]): i for i in todo}
                for future in as_completed(futures):
                    finished(futures[future], future.result())
        else:
            for i in todo:
                finished(i, _run_job(jobs[i]))
    finally:
        if handle is not None:
            handle.close()
    ran = len(todo)
    complete = [outcome for outcome in flat if outcome is not None]
    assert len(complete) == len(flat)
    outcomes = {cell: complete[i * count : (i + 1) * count] for i, cell in enumerate(explored)}
    levels = [len(factor.levels) for factor in spec.factors]

    def engaged(cell: Cell) -> bool:
        return any(r["allied_engaged"] + r["civil_engaged"] > 0 for r in outcomes[cell])

    outcome = {cell: engaged(cell) for cell in explored}
    worst = max(
        (cell for cell in explored if outcome[cell]),
        key=lambda cell: _severity(outcomes[cell]),
        default=None,
    )
    worst_seed = worst_aircraft = None
    chain: list[str] = []
    if worst is not None:
        k = int(np.argmax([len(r["engaged"]) for r in outcomes[worst]]))
        worst_seed = seeds[k]
        worst_aircraft = outcomes[worst][k]["engaged"][0]
        chain = worst_chain(loaded, worst, worst_seed, worst_aircraft)
    return AssuranceResult(
        loaded,
        explored,
        len(space),
        count,
        seeds,
        outcomes,
        minimal_condition_sets(levels, outcome, wanted=True),
        minimal_condition_sets(levels, outcome, wanted=False),
        worst,
        worst_seed,
        worst_aircraft,
        chain,
        ran,
    )


def worst_chain(loaded: LoadedAssurance, cell: Cell, seed: int, aircraft: str) -> list[str]:
    """The ``iadsim explain`` chain of ``aircraft`` in the cell's run at ``seed`` (rerun: the
    run is deterministic)."""
    doc = cell_document(loaded.scenario_doc, loaded.spec.factors, cell)
    scenario, catalog = validate_document(doc, loaded.spec.describe(cell))
    result = run_simulation(scenario, catalog, seed)
    return explain(result.events, result.tracks, aircraft)


def write_assurance(result: AssuranceResult, folder: Path) -> Path:
    """Write ``assurance.json``, ``cells.csv`` and ``assurance.md``; return the last."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = result.loaded.spec
    data = result.to_json()
    (folder / "assurance.json").write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    with (folder / "cells.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = [factor.name for factor in spec.factors]
        writer.writerow(
            [*names, "seed", "allied_engaged", "civil_engaged", "friends_declared", "lost"]
        )
        for cell in result.explored:
            levels = [f.levels[level].name for f, level in zip(spec.factors, cell, strict=True)]
            for seed, row in zip(result.seeds, result.outcomes[cell], strict=True):
                writer.writerow(
                    [
                        *levels,
                        seed,
                        row["allied_engaged"],
                        row["civil_engaged"],
                        row["friends_declared"],
                        row["friendly_lost"],
                    ]
                )
    markdown = folder / "assurance.md"
    markdown.write_text("\n".join(_markdown(result)) + "\n", "utf-8")
    return markdown


def _markdown(result: AssuranceResult) -> list[str]:
    spec = result.loaded.spec
    explored, total = len(result.explored), result.total_cells
    lines = [
        f"# Assurance search: {spec.name}",
        "",
        f"Coverage: {explored} of {total} cells ({100.0 * explored / total:.0f} %), "
        f"{result.replications} replication(s) each (common random numbers). A friend is an "
        "allied or civil aircraft; 'none found' means none in these replications.",
        "",
        "| cell | friend engaged | friends engaged (mean) | lost (mean) | declared (mean) |",
        "|---|---|---|---|---|",
    ]
    for cell in result.explored:
        engaged, lost, declared = _severity(result.outcomes[cell])
        lines.append(
            f"| {spec.describe(cell)} | {'yes' if result.engaged(cell) else 'no'} | "
            f"{engaged:.2f} | {lost:.2f} | {declared:.2f} |"
        )
    lines += ["", "Minimal condition sets under which a friend was engaged in every cell:", ""]
    lines += [f"- {spec.describe(c)}" for c in result.engaging_sets] or ["- none"]
    lines += ["", "Minimal condition sets under which no friend was engaged in any cell:", ""]
    lines += [f"- {spec.describe(c)}" for c in result.safe_sets] or ["- none"]
    lines.append("")
    if result.worst is None:
        lines.append("Worst case: no friend was engaged in any explored cell.")
    else:
        lines += [
            f"Worst case: {spec.describe(result.worst)} (seed {result.worst_seed}); "
            f"`iadsim explain` of {result.worst_aircraft}:",
            "",
            "```",
            *result.worst_chain,
            "```",
        ]
    return lines
