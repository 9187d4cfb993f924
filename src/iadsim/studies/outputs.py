"""What a finished (or partly finished) study leaves for readers and reports.

:func:`write_study_outputs` reads a study folder and writes, beside the campaign folders:

* ``results.parquet``, ``estimates.parquet``, ``differences.parquet``
  (:mod:`iadsim.studies.analysis`);
* ``<question>/exposure.parquet`` for questions with ``exposure``: the tables of
  :func:`iadsim.studies.exposure.exposure_table` of every replication, with ``condition``,
  ``variant`` and ``seed`` columns;
* ``plots/<question>-differences.png`` and, per condition of an exposure question,
  ``plots/<question>-<condition>-aspect.png`` (a row per variant and platform);
* ``summary.json``: the manifest, the estimates and differences as records, the plots;
* ``summary.md``: per question, the headline table (mean and 95 % interval per variant)
  and the paired differences.

Everything is computed from the folder alone, so it can be rerun at any time (e.g. while
the study is still running elsewhere, on what is finished).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.campaigns.statistics import SMALL_N
from iadsim.campaigns.store import write_json_atomic
from iadsim.studies.analysis import StudyTables, analyse_study, read_study_manifest
from iadsim.studies.exposure import exposure_table
from iadsim.studies.plots import collected_aspect_figure, differences_figure
from iadsim.studies.replicate import held_path

__all__ = ["StudyOutputs", "headline_markdown", "write_study_outputs"]


@dataclass(frozen=True)
class StudyOutputs:
    """Paths written by :func:`write_study_outputs`."""

    summary_json: Path
    summary_markdown: Path
    plots: list[Path]
    exposure: list[Path]


def write_study_outputs(study_dir: str | Path) -> StudyOutputs:
    """Analyse a study folder and write its tables, plots and summaries (see module)."""
    folder = Path(study_dir)
    manifest = read_study_manifest(folder)
    tables = analyse_study(folder)
    plots_dir = folder / "plots"
    plots_dir.mkdir(exist_ok=True)
    plots: list[Path] = []
    exposure_files: list[Path] = []
    for question in manifest["questions"]:
        made = differences_figure(
            tables.differences, question["name"], plots_dir / f"{question['name']}-differences.png"
        )
        plots.extend([made] if made else [])
        if question["exposure"] is None:
            continue
        exposure = _question_exposure(folder, question)
        if exposure is None:
            continue
        target = folder / question["name"] / "exposure.parquet"
        pq.write_table(exposure, target)
        exposure_files.append(target)
        conditions = list(dict.fromkeys(run["condition"] for run in question["runs"]))
        for condition in conditions:
            of_condition = exposure.filter(pc.equal(exposure.column("condition"), condition))
            name = f"{question['name']}-{condition}" if condition else question["name"]
            made = collected_aspect_figure(
                of_condition,
                name,
                question["exposure"]["platforms"],
                question["exposure"]["azimuth_bin_deg"],
                plots_dir / f"{name}-aspect.png",
            )
            plots.extend([made] if made else [])
    summary = {
        "study": manifest,
        "estimates": _records(tables.estimates),
        "differences": _records(tables.differences),
        "plots": [str(path.relative_to(folder)) for path in plots],
        "exposure": [str(path.relative_to(folder)) for path in exposure_files],
    }
    summary_json = folder / "summary.json"
    write_json_atomic(summary_json, summary)
    summary_markdown = folder / "summary.md"
    summary_markdown.write_text(_markdown(manifest, tables, plots, folder), "utf-8")
    return StudyOutputs(summary_json, summary_markdown, plots, exposure_files)


def _question_exposure(folder: Path, question: dict[str, Any]) -> pa.Table | None:
    parts = []
    settings = question["exposure"]
    for run in question["runs"]:
        looks_folder = folder / question["name"] / "looks" / run["looks_key"]
        for path in sorted(looks_folder.glob("seed-*.parquet")):
            held, interval = None, 10.0
            if held_path(path).is_file():
                held = pq.read_table(held_path(path))
                interval = float((held.schema.metadata or {})[b"record_interval_s"])
            table = exposure_table(
                pq.read_table(path),
                settings["platforms"],
                settings["azimuth_bin_deg"],
                settings["elevation_bin_deg"],
                settings.get("air_tracks"),
                held,
                interval,
            )
            n = table.num_rows
            seed = int(path.stem.removeprefix("seed-"))
            table = table.append_column("condition", pa.array([run["condition"]] * n, pa.string()))
            table = table.append_column("variant", pa.array([run["variant"]] * n, pa.string()))
            table = table.append_column("seed", pa.array([seed] * n, pa.int64()))
            parts.append(table)
    return pa.concat_tables(parts) if parts else None


def _records(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN becomes null."""
    return [
        {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
        for row in table.to_pylist()
    ]


def _number(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _interval(mean: float, low: float, high: float) -> str:
    if low is None or not (math.isfinite(low) and math.isfinite(high)):
        return _number(mean)
    return f"{_number(mean)} [{_number(low)}, {_number(high)}]"


def headline_markdown(tables: StudyTables, question: str) -> str:
    """Markdown table of one question: a row per (condition, variant), a column per measure.

    Each cell is the mean and its 95 % interval over the replications.
    """
    rows = tables.estimates.filter(pc.equal(tables.estimates.column("question"), question))
    records = rows.to_pylist()
    measures = list(dict.fromkeys(r["measure"] for r in records))
    keys = list(dict.fromkeys((r["condition"], r["variant"]) for r in records))
    cell = {(r["condition"], r["variant"], r["measure"]): r for r in records}
    has_condition = any(condition for condition, _ in keys)
    header = (["condition"] if has_condition else []) + ["variant", "n", *measures]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for condition, variant in keys:
        first = cell[(condition, variant, measures[0])]
        values = [
            _interval(c["mean"], c["ci_low"], c["ci_high"])
            for c in (cell[(condition, variant, m)] for m in measures)
        ]
        lines.append(
            "| "
            + " | ".join(
                ([condition] if has_condition else []) + [variant, str(first["n"]), *values]
            )
            + " |"
        )
    return "\n".join(lines)


def _differences_markdown(tables: StudyTables, question: str) -> str:
    records = tables.differences.filter(
        pc.equal(tables.differences.column("question"), question)
    ).to_pylist()
    has_condition = any(r["condition"] for r in records)
    header = (["condition"] if has_condition else []) + [
        "variant - baseline",
        "measure",
        "pairs",
        "difference [95 % CI]",
        "McNemar p",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in records:
        p_value = "" if not math.isfinite(r["mcnemar_p"]) else f"{r['mcnemar_p']:.3g}"
        cells = ([r["condition"]] if has_condition else []) + [
            f"{r['variant']} - {r['baseline']}",
            r["measure"],
            str(r["n_pairs"]),
            _interval(r["difference"], r["ci_low"], r["ci_high"]),
            p_value,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _markdown(
    manifest: dict[str, Any], tables: StudyTables, plots: list[Path], folder: Path
) -> str:
    description = manifest["description"].strip()
    parts = [
        f"# Study {manifest['name']}",
        "",
        *([description, ""] if description else []),
        f"Scenario `{manifest['scenario']}`, seed {manifest['seed']}, "
        f"{manifest['replications']} replications per variant, common random numbers "
        "(replication k of every variant has the same seed). Intervals are 95 %: Wilson for "
        "proportions, bootstrap for the others; differences are paired (bootstrap over "
        "replications), with McNemar's exact test for 0/1 measures.",
    ]
    if manifest["replications"] < SMALL_N:
        parts += [
            "",
            f"With fewer than {SMALL_N} replications per variant the intervals are rough "
            "(a bootstrap of a few values is too narrow), and McNemar's test needs at least "
            "6 discordant pairs to reach p < 0.05: read the tables as a first look.",
        ]
    for question in manifest["questions"]:
        parts += [
            "",
            f"## {question['name']}: {question['title']}",
            "",
            *([f"Base scenario `{question['scenario']}`.", ""] if question.get("scenario") else []),
            headline_markdown(tables, question["name"]),
            "",
            f"Paired differences from `{question['baseline']}`:",
            "",
            _differences_markdown(tables, question["name"]),
        ]
        for path in plots:
            if path.name.startswith(question["name"] + "-"):
                parts += ["", f"![{path.stem}]({path.relative_to(folder)})"]
    return "\n".join(parts) + "\n"
