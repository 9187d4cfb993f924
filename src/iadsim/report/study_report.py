"""``iadsim report STUDY_DIR``: one self-contained HTML page for a folder of ``iadsim study``.

The page first rewrites the study's tables, plots and summaries
(:func:`iadsim.studies.outputs.write_study_outputs`, so it reports on whatever is finished),
then shows, per question:

* its conditions and variants in plain words;
* the headline table: per (condition, variant), the replications that finished and, per
  measure, the mean and its 95 % interval (``estimates.parquet``);
* the paired differences from the baseline, with their 95 % intervals and McNemar's exact
  p-value for 0/1 measures (``differences.parquet``);
* the distribution of every replication's value with the mean and interval per variant
  (:func:`iadsim.report.study_plots.variant_figure`), the forest plot of the differences
  and, for exposure questions, the collected-aspect plots, embedded as PNG data URIs.

Like the run report it needs no network: one file, its style inline, no script at all.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from iadsim.campaigns.statistics import SMALL_N
from iadsim.report.page import fill, package_text
from iadsim.report.study_plots import variant_figure
from iadsim.scoring.measures import find_measure
from iadsim.studies.outputs import write_study_outputs
from iadsim.studies.replicate import STUDY_MEASURES

__all__ = ["number_text", "study_report_html"]


def number_text(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """A value to three significant figures (whole above 1000), with ``[low, high]`` when
    both bounds are finite; ``-`` for a missing or non-finite value."""

    def one(x: float | None) -> str:
        if x is None or not math.isfinite(x):
            return "-"
        return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"

    text = one(value)
    if text == "-" or low is None or high is None:
        return text
    if not (math.isfinite(low) and math.isfinite(high)):
        return text
    return f"{text} [{one(low)}, {one(high)}]"


def _table(header: list[str], rows: list[list[str]], text_columns: int) -> str:
    """An HTML table; the first ``text_columns`` columns are left-aligned text."""

    def cells(tag: str, values: list[str]) -> str:
        marks = [' class="text"' if k < text_columns else "" for k in range(len(values))]
        return "".join(
            f"<{tag}{mark}>{html.escape(v)}</{tag}>" for mark, v in zip(marks, values, strict=True)
        )

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    table = f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="wide">{table}</div>'  # scrolls sideways when measures are many


def _image(alt: str, uri: str) -> str:
    return f'<img class="plot" alt="{html.escape(alt)}" src="{uri}">'


def _png_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _measure_header(measure: str, unit: str) -> str:
    return f"{measure} ({unit})" if unit else measure


def _headline(
    question: dict[str, Any], estimates: list[dict[str, Any]], status: Counter[tuple[str, str, str]]
) -> str:
    measures = list(dict.fromkeys(r["measure"] for r in estimates))
    units = {r["measure"]: r["unit"] for r in estimates}
    keys = list(dict.fromkeys((r["condition"], r["variant"]) for r in estimates))
    cell = {(r["condition"], r["variant"], r["measure"]): r for r in estimates}
    has_condition = any(condition for condition, _ in keys)
    header = (["condition"] if has_condition else []) + [
        "variant",
        "ok / run",
        *(_measure_header(m, units[m]) for m in measures),
    ]
    rows = []
    for condition, variant in keys:
        ran = sum(n for (c, v, _), n in status.items() if (c, v) == (condition, variant))
        ok = status.get((condition, variant, "ok"), 0)
        name = variant + (" (baseline)" if variant == question["baseline"] else "")
        values = [
            number_text(c["mean"], c["ci_low"], c["ci_high"])
            for c in (cell[(condition, variant, m)] for m in measures)
        ]
        rows.append(([condition] if has_condition else []) + [name, f"{ok} / {ran}", *values])
    return _table(header, rows, 2 if has_condition else 1)


def _differences(differences: list[dict[str, Any]]) -> str:
    has_condition = any(r["condition"] for r in differences)
    header = (["condition"] if has_condition else []) + [
        "variant - baseline",
        "measure",
        "pairs",
        "difference [95 % interval]",
        "McNemar p",
    ]
    rows = []
    for r in differences:
        p_value = r["mcnemar_p"]
        rows.append(
            ([r["condition"]] if has_condition else [])
            + [
                f"{r['variant']} - {r['baseline']}",
                _measure_header(r["measure"], r["unit"]),
                str(r["n_pairs"]),
                number_text(r["difference"], r["ci_low"], r["ci_high"]),
                "" if p_value is None or not math.isfinite(p_value) else f"{p_value:.3g}",
            ]
        )
    return _table(header, rows, 3 if has_condition else 2)


def _variants(question: dict[str, Any]) -> str:
    """The question's conditions and variants, each with its description."""
    parts = []
    conditions = {
        run["condition"]: run["condition_description"]
        for run in question["runs"]
        if run["condition"]
    }
    if conditions:
        items = "".join(
            f"<li><strong>{html.escape(name)}</strong>: {html.escape(text.strip())}</li>"
            for name, text in conditions.items()
        )
        parts.append(f"<p>Conditions (each variant runs under each):</p><ul>{items}</ul>")
    variants = {run["variant"]: run["description"] for run in question["runs"]}
    items = "".join(
        f"<li><strong>{html.escape(name)}</strong>"
        + (" (baseline)" if name == question["baseline"] else "")
        + (f": {html.escape(text.strip())}" if text.strip() else "")
        + "</li>"
        for name, text in variants.items()
    )
    parts.append(f"<p>Variants:</p><ul>{items}</ul>")
    return "".join(parts)


def _measures(names: list[str]) -> str:
    items = []
    for name in names:
        found = find_measure(STUDY_MEASURES, name)
        text = found.description if found is not None else "not a declared measure"
        items.append(f"<li><code>{html.escape(name)}</code>: {html.escape(text)}</li>")
    return f"<details><summary>Measures</summary><ul>{''.join(items)}</ul></details>"


def _rows(rows: list[dict[str, Any]], question: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["question"] == question]


def study_report_html(folder: Path) -> str:
    """The report page of a study folder (its tables, plots and summaries are rewritten).

    Raises
    ------
    FileNotFoundError
        If the folder has no ``study.json`` or no finished replication.
    """
    folder = Path(folder)
    outputs = write_study_outputs(folder)
    summary = json.loads(outputs.summary_json.read_text("utf-8"))
    manifest = summary["study"]
    estimates = summary["estimates"]
    differences = summary["differences"]
    results = pq.read_table(folder / "results.parquet").to_pylist()
    plots = [folder / name for name in summary["plots"]]
    body: list[str] = []
    description = manifest["description"].strip()
    if description:
        body.append(f"<p>{html.escape(description)}</p>")
    body.append(
        f"<p>Scenario <code>{html.escape(manifest['scenario'])}</code>, seed "
        f"{manifest['seed']}, {manifest['replications']} replications per variant with common "
        "random numbers (replication k of every variant has the same seed). Intervals are "
        "95 %: Wilson for proportions, bootstrap for the others; differences are paired "
        "(bootstrap over replications), with McNemar's exact test for 0/1 measures.</p>"
    )
    if manifest["replications"] < SMALL_N:
        body.append(
            f'<p class="note">With fewer than {SMALL_N} replications per variant the intervals '
            "are rough (a bootstrap of a few values is too narrow) and McNemar's test needs at "
            "least 6 discordant pairs to reach p &lt; 0.05: read the tables as a first look.</p>"
        )
    links = "".join(
        f'<a href="#q-{html.escape(q["name"])}">{html.escape(q["name"])}</a>'
        for q in manifest["questions"]
    )
    body.append(f"<nav>{links}</nav>")
    for question in manifest["questions"]:
        name = question["name"]
        of_estimates = _rows(estimates, name)
        of_results = [r for r in _rows(results, name) if r["status"] == "ok"]
        status = Counter((r["condition"], r["variant"], r["status"]) for r in _rows(results, name))
        body.append(
            f'<section id="q-{html.escape(name)}" class="question">'
            f"<h2>{html.escape(name)}: {html.escape(question['title'])}</h2>"
        )
        if question.get("scenario"):
            body.append(f"<p>Base scenario <code>{html.escape(question['scenario'])}</code>.</p>")
        body.append(_variants(question))
        body.append(_measures(question["measures"]))
        body.append("<h3>Per variant: mean [95 % interval]</h3>")
        body.append(_headline(question, of_estimates, status))
        figure = variant_figure(name, question["baseline"], of_estimates, of_results)
        if figure is not None:
            body.append(_image(f"{name}-variants", figure))
        body.append(f"<h3>Paired differences from {html.escape(question['baseline'])}</h3>")
        body.append(_differences(_rows(differences, name)))
        for path in plots:
            if path.name.startswith(name + "-") and path.is_file():
                body.append(_image(path.stem, _png_uri(path)))
        body.append("</section>")
    return fill(
        package_text("static/study.html"),
        {
            "TITLE": html.escape(manifest["name"]),
            "REPORT_CSS": package_text("static/report.css"),
            "BODY": "\n".join(body),
        },
    )
