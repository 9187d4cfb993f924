"""Report of a Monte Carlo campaign: summary tables (Markdown, CSV) and PNG figures.

:func:`make_report` reads a campaign folder (see :mod:`.store`), summarises every
measure at every sweep point with :func:`.statistics.summarize` and writes
``out_dir/report/``:

* ``summary.csv``: the long table (point, sweep values, variant, measure, kind, unit, n,
  mean, CI, flags);
* ``summary.md``: the campaign identity (scenario, seed, runs), a legend of the flags, and
  one table per measure with its declared kind, unit and meaning;
* ``<measure>.png``: for a campaign with sweeps, the measure against the swept value with
  error bars for its confidence interval (one line per combination of the other swept
  values); for proportions, bars per configuration; for a single point, bars of all
  proportions and histograms of the other measures. A figure whose points carry flags
  (:data:`.statistics.FLAGS`) names them under its title.

Each measure's kind comes from the declarations the campaign recorded in its manifest (see
:mod:`iadsim.scoring.measures`), or from ``declarations`` given here; a measure without a
declaration, and every measure of a campaign made before declarations were recorded, is
reported as ``undeclared`` (a plain mean) with a note, never given a kind guessed from its
values.

Figures use Matplotlib's object interface on the Agg canvas (no pyplot, no global state),
so reports can be made in worker processes and without a display.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from iadsim.campaigns.statistics import FLAGS, SMALL_N, UNDECLARED, summarize
from iadsim.campaigns.store import (
    SWEEP_PREFIX,
    CampaignError,
    load_results,
    read_manifest,
    sweep_columns,
)
from iadsim.scoring.measures import Measure, find_measure

__all__ = ["DEFAULT_ANY_POSITIVE", "Report", "make_report"]

DEFAULT_ANY_POSITIVE = ("leakers", "allied_engaged", "civil_engaged")
"""Measures whose probability of being non-zero is reported (e.g. the probability that an
allied aircraft is engaged at all), when present in the results and not proportions."""

REPORT_DIR = "report"
_MAX_LINES = 8  # more combinations of the other swept values than this: markers only
_MAX_BARS = 12  # more configurations than this: a proportion is drawn like a mean
_DPI = 120
_MAX_FAILURES_LISTED = 10


@dataclass(frozen=True)
class Report:
    """Paths written by :func:`make_report`."""

    report_dir: Path
    markdown: Path
    csv: Path
    figures: list[Path] = field(default_factory=list)


def make_report(
    out_dir: str | Path,
    *,
    measures: Iterable[str] | None = None,
    declarations: Iterable[Measure] | None = None,
    any_positive: Iterable[str] = DEFAULT_ANY_POSITIVE,
    confidence: float = 0.95,
    n_resamples: int = 4999,
    seed: int = 0,
) -> Report:
    """Write the tables and figures of the campaign in ``out_dir`` to ``out_dir/report``.

    Parameters
    ----------
    out_dir : str or Path
        Campaign folder written by :func:`iadsim.campaigns.campaign.run_campaign`.
    measures : iterable of str, optional
        Measures to report; default all.
    declarations : iterable of Measure, optional
        What the measures are, instead of the declarations in the manifest: e.g.
        :data:`iadsim.scoring.measures.REPLICATION_MEASURES` for a campaign of the engine
        made before manifests recorded them.
    any_positive : iterable of str
        Measures (not proportions) that also get ``P(name>0)``.
    confidence : float
        Two-sided confidence level of the intervals.
    n_resamples, seed : int
        Bootstrap settings; a fixed seed makes the report reproducible.

    Returns
    -------
    Report

    Raises
    ------
    CampaignError
        If the folder is not a campaign or holds no results yet.
    ValueError
        If a measure's values contradict its declared kind.
    """
    out_path = Path(out_dir)
    manifest = read_manifest(out_path)
    table = load_results(out_path)
    if table.num_rows == 0:
        raise CampaignError(f"{out_path} holds no results yet; run the campaign first")
    if declarations is not None:
        declared: list[Measure] | None = list(declarations)
        source = "given to the report"
    else:
        declared, source = _manifest_declarations(manifest)
    summary = summarize(
        table,
        declarations=declared,
        measures=measures,
        any_positive=any_positive,
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    )
    report_dir = out_path / REPORT_DIR
    report_dir.mkdir(parents=True, exist_ok=True)
    csv_path = report_dir / "summary.csv"
    _write_csv(summary, csv_path)
    markdown_path = report_dir / "summary.md"
    markdown_path.write_text(
        _markdown(manifest, table, summary, confidence, declared or [], source), encoding="utf-8"
    )
    figures = _figures(summary, table, report_dir, confidence)
    return Report(report_dir=report_dir, markdown=markdown_path, csv=csv_path, figures=figures)


def _manifest_declarations(manifest: dict[str, Any]) -> tuple[list[Measure] | None, str]:
    """The declarations recorded in the manifest, and a phrase saying where they came from.

    None when the manifest has none: a campaign made before they were recorded (no
    ``measures`` field), or a replicate that declares nothing (``measures: null``).
    """
    replicate = manifest.get("replicate", "the replicate")
    if "measures" not in manifest:
        return None, (
            "not recorded: this campaign was made before manifests recorded the "
            "replicate's measure declarations"
        )
    if manifest["measures"] is None:
        return None, f"none: `{replicate}` declares no measures"
    try:
        declared = [Measure.from_json(item) for item in manifest["measures"]]
    except (KeyError, TypeError, ValueError) as error:
        raise CampaignError(f"the manifest's measure declarations are malformed: {error}") from None
    return declared, f"declared by `{replicate}`"


def _write_csv(summary: pa.Table, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(summary.column_names)
        columns = [summary.column(name).to_pylist() for name in summary.column_names]
        writer.writerows(zip(*columns, strict=True))


def _measure_order(summary: pa.Table) -> list[str]:
    return list(dict.fromkeys(summary.column("measure").to_pylist()))


def _rows_of(summary: pa.Table, measure: str) -> list[dict[str, Any]]:
    return [row for row in summary.to_pylist() if row["measure"] == measure]


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    magnitude = abs(value)
    if magnitude != 0 and (magnitude >= 1e5 or magnitude < 1e-3):
        return f"{value:.3g}"
    return f"{value:.4g}" if magnitude < 100 else f"{value:.1f}"


def _markdown(
    manifest: dict[str, Any],
    table: pa.Table,
    summary: pa.Table,
    confidence: float,
    declared: Sequence[Measure],
    source: str,
) -> str:
    statuses = table.column("status").to_pylist()
    n_failed = sum(status != "ok" for status in statuses)
    sweeps = sweep_columns(table)
    scenario = manifest.get("scenario") or {}
    name = scenario.get("name")
    title = f"# Monte Carlo campaign report: {name}" if name else "# Monte Carlo campaign report"
    if "scenario" not in manifest:
        about = "not recorded (this campaign was made before manifests recorded it)"
    else:
        about = f"**{name or 'unnamed'}**"
        if scenario.get("description"):
            about += f": {scenario['description']}"
    lines = [
        title,
        "",
        f"- scenario: {about}",
        f"- scenario hash: `{manifest.get('scenario_hash')}`",
        f"- campaign seed: {manifest.get('seed')} ({manifest.get('seeding')} seeding)",
        f"- sweep points: {len(manifest.get('points', []))}, "
        f"replications per point: {manifest.get('runs')}",
        f"- replications in the results: {len(statuses)}, failed: {n_failed}",
        f"- iadsim version: {manifest.get('iadsim_version')}",
        f"- measures: {source}",
        f"- intervals: {confidence:.0%} Wilson score for proportions, bootstrap (BCa) for the "
        "means of the other kinds",
    ]
    for sweep in manifest.get("sweeps", []):
        values = ", ".join(str(value) for value in sweep["values"])
        lines.append(f"- swept `{sweep['path']}`: {values}")
    if manifest.get("uncertainty"):
        lines.append(
            f"- Latin hypercube sample of {manifest['uncertainty']['samples']} points over "
            + ", ".join(f"`{name}`" for name in manifest["uncertainty"]["ranges"])
        )
    lines += _legend(summary)
    header = [name.removeprefix(SWEEP_PREFIX) for name in sweeps] or ["variant"]
    for measure in _measure_order(summary):
        rows = _rows_of(summary, measure)
        kind, unit = rows[0]["kind"], rows[0]["unit"]
        lines += ["", f"## {measure} ({kind}{', ' + unit if unit else ''})", ""]
        lines.append(_meaning(measure, kind, declared))
        lines.append("")
        statistic = "proportion" if kind == "proportion" else "mean"
        columns = ["point", *header, "n", "failed", statistic, f"{confidence:.0%} CI", "flags"]
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "---|" * len(columns))
        for row in rows:
            where = [str(row[name]) for name in sweeps] or [row["variant"]]
            cells = [
                str(row["point"]),
                *where,
                str(row["n"]),
                str(row["n_failed"]),
                _number(row["mean"]),
                f"[{_number(row['ci_low'])}, {_number(row['ci_high'])}]",
                ", ".join(row["flags"].split(";")) if row["flags"] else "",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    failed_rows = [row for row in table.to_pylist() if row["status"] != "ok"]
    if failed_rows:
        lines += ["", f"## Failed replications ({len(failed_rows)})", ""]
        lines += ["| point | replication | seed | attempts | error |", "|---|---|---|---|---|"]
        for row in failed_rows[:_MAX_FAILURES_LISTED]:
            last_line = (row["error"] or "").strip().splitlines()[-1:] or [""]
            error = last_line[0].replace("|", "\\|")
            lines.append(
                f"| {row['point']} | {row['replication']} | {row['seed']} | "
                f"{row['attempts']} | {error} |"
            )
        if len(failed_rows) > _MAX_FAILURES_LISTED:
            lines.append(f"\n... and {len(failed_rows) - _MAX_FAILURES_LISTED} more; see `error`.")
    return "\n".join(lines) + "\n"


def _legend(summary: pa.Table) -> list[str]:
    """The flags that occur in the tables, with their meaning."""
    present = {flag for text in summary.column("flags").to_pylist() for flag in text.split(";")}
    used = [flag for flag in FLAGS if flag in present]
    if not used:
        return ["", f"No row is flagged (every interval rests on at least {SMALL_N} values)."]
    lines = ["", "Flags in the tables below:", ""]
    lines += [f"- `{flag}`: {FLAGS[flag]}" for flag in used]
    return lines


def _meaning(measure: str, kind: str, declared: Sequence[Measure]) -> str:
    """One line under a measure's heading: its declared meaning, or why there is none."""
    if kind == UNDECLARED:
        return (
            "**Undeclared:** the replicate did not declare this measure, so its kind and unit "
            "are unknown; it is shown as a plain mean with a bootstrap interval. Declare it "
            "(see `docs/campaigns.md`) to have it reported as what it is."
        )
    found = find_measure(declared, measure)
    if found is not None:
        return found.description
    base = measure.removeprefix("P(").removesuffix(">0)")
    return f"Fraction of replications in which `{base}` was above 0."


def _file_stem(measure: str) -> str:
    stem = measure.replace(">", "_gt").replace("<", "_lt")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("_") or "measure"


def _save(figure: Figure, path: Path) -> Path:
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=_DPI)
    return path


def _figures(summary: pa.Table, table: pa.Table, report_dir: Path, confidence: float) -> list[Path]:
    paths: list[Path] = []
    measures = _measure_order(summary)
    sweeps = sweep_columns(table)
    if not sweeps:
        proportions = [m for m in measures if _rows_of(summary, m)[0]["kind"] == "proportion"]
        if proportions:
            paths.append(_bars(summary, proportions, report_dir / "proportions.png", confidence))
        for measure in measures:
            if measure not in proportions and measure in table.column_names:
                path = report_dir / f"{_file_stem(measure)}.png"
                paths.append(_histogram(table, _rows_of(summary, measure)[0], path, confidence))
        return paths
    n_points = len(set(summary.column("point").to_pylist()))
    for measure in measures:
        rows = _rows_of(summary, measure)
        path = report_dir / f"{_file_stem(measure)}.png"
        if rows[0]["kind"] == "proportion" and n_points <= _MAX_BARS:
            paths.append(_configuration_bars(rows, sweeps, measure, path, confidence))
        else:
            paths.append(_against_sweep(rows, sweeps, measure, path, confidence))
    return paths


def _error_bars(rows: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    mean = np.array([row["mean"] for row in rows], dtype=np.float64)
    low = np.array([row["ci_low"] for row in rows], dtype=np.float64)
    high = np.array([row["ci_high"] for row in rows], dtype=np.float64)
    # Matplotlib wants non-negative distances below and above; a missing bound draws none.
    below = np.nan_to_num(np.clip(mean - low, 0.0, None))
    above = np.nan_to_num(np.clip(high - mean, 0.0, None))
    return mean, np.vstack((below, above))


def _label(row: dict[str, Any], sweeps: Sequence[str]) -> str:
    return "\n".join(f"{name.removeprefix(SWEEP_PREFIX)}={_short(row[name])}" for name in sweeps)


def _title(text: str, rows: Sequence[dict[str, Any]]) -> str:
    """``text``, with a second line naming the flags of any of ``rows`` (see FLAGS)."""
    present = {flag for row in rows for flag in row["flags"].split(";") if flag}
    used = [flag for flag in FLAGS if flag in present]
    if not used:
        return text
    named = [f"{flag} (n < {SMALL_N})" if flag == "small-n" else flag for flag in used]
    return f"{text}\nflagged: {', '.join(named)}; see summary.md"


def _short(value: Any) -> str:
    return _number(value) if isinstance(value, float) else str(value)


def _bars(summary: pa.Table, measures: list[str], path: Path, confidence: float) -> Path:
    rows = [_rows_of(summary, measure)[0] for measure in measures]
    mean, errors = _error_bars(rows)
    figure = Figure(figsize=(max(4.0, 1.2 * len(rows) + 2.0), 4.0), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(range(len(rows)), mean, yerr=errors, capsize=4, color="tab:blue")
    axes.set_xticks(range(len(rows)), measures, rotation=30, ha="right")
    axes.set_ylim(0.0, 1.0)
    axes.set_ylabel(f"probability ({confidence:.0%} Wilson interval)")
    axes.set_title(_title("Proportions", rows), fontsize=10)
    return _save(figure, path)


def _histogram(table: pa.Table, row: dict[str, Any], path: Path, confidence: float) -> Path:
    """Distribution of one measure over the ok replications, with its mean and CI."""
    measure = row["measure"]
    ok = np.array([status == "ok" for status in table.column("status").to_pylist()])
    column = table.column(measure)
    if pa.types.is_boolean(column.type):
        column = column.cast(pa.int8())
    values = np.asarray(column.cast(pa.float64()).fill_null(np.nan).to_numpy(), dtype=float)
    values = values[ok & np.isfinite(values)]
    figure = Figure(figsize=(6.0, 4.0), layout="constrained")
    axes = figure.add_subplot()
    if values.size:
        bins: int | list[float] = min(50, max(5, int(np.sqrt(values.size))))
        if row["kind"] == "count" and values.max() - values.min() <= 50:
            # One bar per whole number, centred on it.
            bins = np.arange(values.min() - 0.5, values.max() + 1.5).tolist()
        axes.hist(values, bins=bins, color="tab:gray")
    axes.axvline(row["mean"], color="tab:red", label=f"mean {_number(row['mean'])}")
    if math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"]):
        axes.axvspan(
            row["ci_low"], row["ci_high"], color="tab:red", alpha=0.2, label=f"{confidence:.0%} CI"
        )
    axes.set_xlabel(f"{measure} ({row['unit']})" if row["unit"] else measure)
    axes.set_ylabel("replications")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole replications
    if row["kind"] == "count":
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole things
    axes.set_title(_title(f"{measure} over {values.size} replications", [row]), fontsize=10)
    axes.legend(fontsize=8)
    return _save(figure, path)


def _configuration_bars(
    rows: list[dict[str, Any]], sweeps: Sequence[str], measure: str, path: Path, confidence: float
) -> Path:
    mean, errors = _error_bars(rows)
    labels = [_label(row, sweeps) for row in rows]
    figure = Figure(figsize=(max(5.0, 1.1 * len(rows) + 2.0), 4.5), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(range(len(rows)), mean, yerr=errors, capsize=4, color="tab:orange")
    rotation = 0 if len(rows) <= 4 else 35
    axes.set_xticks(
        range(len(rows)),
        labels,
        rotation=rotation,
        ha="center" if not rotation else "right",
        fontsize=8,
    )
    axes.set_ylim(0.0, 1.0)
    axes.set_ylabel(f"{measure} ({confidence:.0%} Wilson interval)")
    axes.set_title(_title(f"{measure} per configuration", rows), fontsize=10)
    return _save(figure, path)


def _against_sweep(
    rows: list[dict[str, Any]], sweeps: Sequence[str], measure: str, path: Path, confidence: float
) -> Path:
    """Measure against the swept value with the most distinct values, one line per group."""
    distinct = {name: list(dict.fromkeys(row[name] for row in rows)) for name in sweeps}
    x_name = max(sweeps, key=lambda name: len(distinct[name]))
    others = [name for name in sweeps if name != x_name]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in distinct[x_name])
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[name] for name in others), []).append(row)
    draw_lines = len(groups) <= _MAX_LINES
    figure = Figure(figsize=(6.4, 4.4), layout="constrained")
    axes = figure.add_subplot()
    for key, members in groups.items():
        members = sorted(members, key=lambda row: row[x_name] if numeric else 0)
        if numeric:
            x = np.array([row[x_name] for row in members], dtype=np.float64)
        else:
            x = np.array([distinct[x_name].index(row[x_name]) for row in members], dtype=float)
        mean, errors = _error_bars(members)
        label = ", ".join(
            f"{name.removeprefix(SWEEP_PREFIX)}={_short(value)}"
            for name, value in zip(others, key, strict=True)
        )
        axes.errorbar(
            x,
            mean,
            yerr=errors,
            fmt="o-" if draw_lines else "o",
            capsize=3,
            markersize=4,
            label=label if draw_lines and label else None,
            color=None if draw_lines else "tab:blue",
        )
    if not numeric:
        axes.set_xticks(range(len(distinct[x_name])), [str(v) for v in distinct[x_name]])
    axes.set_xlabel(x_name.removeprefix(SWEEP_PREFIX))
    if rows[0]["kind"] == "proportion":
        axes.set_ylabel(f"{measure} (proportion, {confidence:.0%} Wilson CI)")
    else:
        unit = f" {rows[0]['unit']}" if rows[0]["unit"] else ""
        axes.set_ylabel(f"{measure} (mean{unit}, {confidence:.0%} bootstrap CI)")
    axes.set_title(_title(measure, rows), fontsize=10)
    axes.grid(visible=True, alpha=0.3)
    if draw_lines and others:
        axes.legend(fontsize=8)
    return _save(figure, path)
