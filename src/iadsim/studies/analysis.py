"""A study's results in one place: per-variant estimates and paired differences.

Reads every campaign folder of a study (:mod:`iadsim.studies.runner`) and writes, next to
them, what a report reads:

* ``results.parquet``: one row per question, condition, variant and replication: ``seed``,
  ``status`` and the question's measures;
* ``estimates.parquet``: per question, condition, variant and measure, the mean and its
  95 % interval (Wilson for proportions, bootstrap otherwise, as
  :mod:`iadsim.campaigns.statistics` does for campaigns);
* ``differences.parquet``: per question, condition, variant other than the baseline and
  measure, the paired difference from the baseline (:mod:`iadsim.studies.paired`) and, for
  proportions, McNemar's exact p-value.

A replication counts in a pair only when both of its rows are ``ok`` and the seeds agree
(they do by construction; a mismatch is an error, not a silent mis-pairing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.campaigns.statistics import Estimate, bootstrap_mean_ci, wilson_interval
from iadsim.campaigns.store import load_results
from iadsim.scoring.measures import find_measure
from iadsim.studies.paired import mcnemar_exact, paired_difference
from iadsim.studies.replicate import STUDY_MEASURES

__all__ = ["StudyTables", "analyse_study", "read_study_manifest"]

CONFIDENCE = 0.95


@dataclass(frozen=True)
class StudyTables:
    """The three tables of :func:`analyse_study`."""

    results: pa.Table
    estimates: pa.Table
    differences: pa.Table


def read_study_manifest(study_dir: str | Path) -> dict[str, Any]:
    """``study.json`` of a study folder."""
    import json

    path = Path(study_dir) / "study.json"
    if not path.is_file():
        raise FileNotFoundError(f"{study_dir} is not a study folder (no study.json)")
    return json.loads(path.read_text("utf-8"))


def _kind(measure: str) -> tuple[str, str]:
    found = find_measure(STUDY_MEASURES, measure)
    return ("undeclared", "") if found is None else (found.kind, found.unit)


def _column(table: pa.Table, name: str) -> np.ndarray:
    if name not in table.column_names:
        return np.full(table.num_rows, math.nan)
    column = table.column(name)
    if pa.types.is_boolean(column.type):
        column = column.cast(pa.int8())
    return np.asarray(column.cast(pa.float64()).fill_null(math.nan).to_numpy(), dtype=np.float64)


def _estimate(values: np.ndarray, kind: str) -> Estimate:
    if kind == "proportion":
        finite = values[np.isfinite(values)]
        n = int(finite.size)
        successes = int(np.sum(finite != 0))
        low, high = wilson_interval(successes, n, CONFIDENCE)
        return Estimate(successes / n if n else math.nan, low, high, n, "wilson")
    return bootstrap_mean_ci(values, CONFIDENCE)


def collect_results(study_dir: Path, manifest: dict[str, Any]) -> pa.Table:
    """``results.parquet``: every replication of every run, with the question's measures."""
    parts = []
    for question in manifest["questions"]:
        for run in question["runs"]:
            folder = study_dir / question["name"] / Path(run["folder"]).name
            if not (folder / "manifest.json").is_file():
                continue
            table = load_results(folder)
            n = table.num_rows
            columns: dict[str, Any] = {
                "question": pa.array([question["name"]] * n, pa.string()),
                "condition": pa.array([run["condition"]] * n, pa.string()),
                "variant": pa.array([run["variant"]] * n, pa.string()),
                "replication": table.column("replication"),
                "seed": table.column("seed"),
                "status": table.column("status"),
            }
            for measure in question["measures"]:
                columns[measure] = pa.array(_column(table, measure), pa.float64())
            parts.append(pa.table(columns))
    if not parts:
        raise FileNotFoundError(f"no finished replication in {study_dir}")
    return pa.concat_tables(parts, promote_options="default")


def analyse_study(study_dir: str | Path) -> StudyTables:
    """Collect, estimate and compare; write the three Parquet tables into ``study_dir``.

    Returns
    -------
    StudyTables
    """
    folder = Path(study_dir)
    manifest = read_study_manifest(folder)
    results = collect_results(folder, manifest)
    estimate_rows: list[dict[str, Any]] = []
    difference_rows: list[dict[str, Any]] = []
    for question in manifest["questions"]:
        name = question["name"]
        of_question = results.filter(pc.equal(results.column("question"), name))
        conditions = list(dict.fromkeys(run["condition"] for run in question["runs"]))
        variants = list(dict.fromkeys(run["variant"] for run in question["runs"]))
        for condition in conditions:
            rows = {variant: _ok_rows(of_question, condition, variant) for variant in variants}
            for measure in question["measures"]:
                kind, unit = _kind(measure)
                for variant in variants:
                    estimate = _estimate(_column(rows[variant], measure), kind)
                    estimate_rows.append(
                        {
                            "question": name,
                            "condition": condition,
                            "variant": variant,
                            "measure": measure,
                            "kind": kind,
                            "unit": unit,
                            "n": estimate.n,
                            "mean": estimate.mean,
                            "ci_low": estimate.low,
                            "ci_high": estimate.high,
                            "method": estimate.method,
                        }
                    )
                base = rows[question["baseline"]]
                for variant in variants:
                    if variant == question["baseline"]:
                        continue
                    x, y = _paired(base, rows[variant], measure)
                    difference = paired_difference(x, y, CONFIDENCE)
                    p_value = math.nan
                    if kind == "proportion" and difference.n_pairs:
                        p_value = mcnemar_exact(x, y).p_value
                    difference_rows.append(
                        {
                            "question": name,
                            "condition": condition,
                            "variant": variant,
                            "baseline": question["baseline"],
                            "measure": measure,
                            "kind": kind,
                            "unit": unit,
                            "n_pairs": difference.n_pairs,
                            "difference": difference.mean,
                            "ci_low": difference.low,
                            "ci_high": difference.high,
                            "method": difference.method,
                            "mcnemar_p": p_value,
                        }
                    )
    tables = StudyTables(
        results, pa.Table.from_pylist(estimate_rows), pa.Table.from_pylist(difference_rows)
    )
    for file_name, table in (
        ("results.parquet", tables.results),
        ("estimates.parquet", tables.estimates),
        ("differences.parquet", tables.differences),
    ):
        temporary = folder / f".tmp-{file_name}"
        pq.write_table(table, temporary)
        temporary.replace(folder / file_name)
    return tables


def _ok_rows(table: pa.Table, condition: str, variant: str) -> pa.Table:
    mask = pc.and_(
        pc.and_(
            pc.equal(table.column("condition"), condition),
            pc.equal(table.column("variant"), variant),
        ),
        pc.equal(table.column("status"), "ok"),
    )
    return table.filter(mask)


def _paired(base: pa.Table, other: pa.Table, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``measure`` for the replications both tables hold, in replication order."""
    base_index = {int(r): i for i, r in enumerate(base.column("replication").to_pylist())}
    other_index = {int(r): i for i, r in enumerate(other.column("replication").to_pylist())}
    common = sorted(base_index.keys() & other_index.keys())
    base_seeds = base.column("seed").to_pylist()
    other_seeds = other.column("seed").to_pylist()
    for k in common:
        if base_seeds[base_index[k]] != other_seeds[other_index[k]]:
            raise ValueError(f"replication {k} has different seeds in two variants: not paired")
    x = _column(base, measure)[[base_index[k] for k in common]]
    y = _column(other, measure)[[other_index[k] for k in common]]
    return x, y
