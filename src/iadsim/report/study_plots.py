"""The study report's per-variant figure: every replication's value, the mean and its interval.

One panel per measure, one row per (condition, variant): a grey dot per replication (the
distribution, however few), a black diamond at the mean and a blue bar for its 95 %
interval (Wilson for proportions, bootstrap otherwise, as ``estimates.parquet`` holds
them). The baseline's row label is bold. Matplotlib's object interface on the Agg canvas,
as :mod:`iadsim.report.plots`; rows that tie on a value are spread evenly (no random
jitter, so the same folder gives the same picture).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from iadsim.report.plots import figure_data_uri

__all__ = ["row_label", "variant_figure"]

COLUMNS = 4
"""Panels per row of the figure."""


def row_label(condition: str, variant: str) -> str:
    """``variant`` or ``variant (condition)``: one row of a question's tables and figures."""
    return f"{variant} ({condition})" if condition else variant


def _spread(values: list[float]) -> list[float]:
    """Vertical offsets (row units, within +-0.3) that separate equal values of a row."""
    seen: dict[float, int] = defaultdict(int)
    counts: dict[float, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    offsets = []
    for value in values:
        k, n = seen[value], counts[value]
        seen[value] += 1
        offsets.append(0.0 if n == 1 else -0.3 + 0.6 * k / (n - 1))
    return offsets


def variant_figure(
    question: str,
    baseline: str,
    estimates: list[dict[str, Any]],
    results: list[dict[str, Any]],
) -> str | None:
    """Distribution, mean and 95 % interval of each measure of one question, per variant.

    Parameters
    ----------
    question : str
        The question's name (the figure's title).
    baseline : str
        The question's baseline variant (its rows' labels are bold).
    estimates : list of dict
        The question's rows of ``estimates.parquet``: ``condition``, ``variant``,
        ``measure``, ``unit``, ``mean``, ``ci_low``, ``ci_high`` (NaN where undefined).
    results : list of dict
        The question's ``ok`` rows of ``results.parquet``: ``condition``, ``variant`` and a
        value per measure (NaN or None where the replication gave none).

    Returns
    -------
    str or None
        A PNG data URI; None when there are no estimates.
    """
    if not estimates:
        return None
    measures = list(dict.fromkeys(row["measure"] for row in estimates))
    keys = list(dict.fromkeys((row["condition"], row["variant"]) for row in estimates))
    labels = [row_label(condition, variant) for condition, variant in keys]
    columns = min(COLUMNS, len(measures))
    grid_rows = math.ceil(len(measures) / columns)
    figure = Figure(figsize=(3.3 * columns + 2.4, (0.32 * len(keys) + 1.1) * grid_rows + 0.5))
    FigureCanvasAgg(figure)
    axes = figure.subplots(grid_rows, columns, squeeze=False)
    for axis in axes.flat[len(measures) :]:
        axis.set_visible(False)
    by_key = {(r["condition"], r["variant"], r["measure"]): r for r in estimates}
    for number, (axis, measure) in enumerate(zip(axes.flat, measures, strict=False)):
        unit = ""
        for y, (condition, variant) in enumerate(keys):
            values = [
                float(row[measure])
                for row in results
                if (row["condition"], row["variant"]) == (condition, variant)
                and row.get(measure) is not None
                and math.isfinite(float(row[measure]))
            ]
            offsets = _spread(values)
            axis.plot(values, [y + o for o in offsets], "o", color="0.55", ms=3.5, zorder=2)
            estimate = by_key.get((condition, variant, measure))
            if estimate is None:
                continue
            unit = estimate["unit"] or unit
            low, high, mean = estimate["ci_low"], estimate["ci_high"], estimate["mean"]
            if low is not None and high is not None and math.isfinite(low) and math.isfinite(high):
                axis.plot([low, high], [y, y], color="tab:blue", lw=2.5, alpha=0.7, zorder=1)
            if mean is not None and math.isfinite(mean):
                axis.plot([mean], [y], "D", color="black", ms=4, zorder=3)
        axis.set_title(measure, fontsize=8)
        axis.set_xlabel(unit or "value", fontsize=7)
        axis.tick_params(labelsize=7)
        axis.grid(axis="x", alpha=0.3)
        axis.set_ylim(len(keys) - 0.5, -0.5)
        axis.set_yticks(range(len(keys)), labels if number % columns == 0 else [""] * len(keys))
        if number % columns == 0:
            for tick, (_, variant) in zip(axis.get_yticklabels(), keys, strict=True):
                tick.set_fontweight("bold" if variant == baseline else "normal")
    figure.suptitle(
        f"{question}: each replication (grey), mean (black) and 95 % interval (blue) "
        f"per variant; baseline {baseline} in bold",
        fontsize=9,
    )
    figure.tight_layout()
    return figure_data_uri(figure)
