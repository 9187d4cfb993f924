"""The report's figures of the air picture over time: SIAP measures and GOSPA, per post.

Matplotlib's object interface on the Agg canvas (no pyplot state), embedded as PNG data
URIs. Legends sit outside the data, to the right of the panels.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["SIAP_PANELS", "figure_data_uri", "picture_figure"]

SIAP_PANELS = (
    ("completeness", "completeness", "fraction"),
    ("ambiguity", "ambiguity", "tracks per held truth"),
    ("spuriousness", "spuriousness", "fraction"),
    ("identity_correct", "identity correct", "fraction"),
    ("position_error_m", "position error", "m"),
    ("gospa_m", "GOSPA", "m"),
)
"""(picture_metrics column, title, unit) of each panel."""


def figure_data_uri(figure: Figure) -> str:
    """A Matplotlib figure as a ``data:image/png;base64,...`` URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def picture_figure(metrics: dict[str, dict[str, list[Any]]]) -> str | None:
    """SIAP measures and GOSPA of every post against time (minutes), as a PNG data URI.

    Parameters
    ----------
    metrics : dict of post -> dict of column -> list
        The run's ``picture_metrics.parquet`` per post (``time_s`` and the columns of
        :data:`SIAP_PANELS`; None where undefined, e.g. ambiguity with no track held).

    Returns
    -------
    str or None
        None when the run recorded no picture metrics.
    """
    if not metrics:
        return None
    figure = Figure(figsize=(11.0, 6.0))
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, 3, sharex=True)
    for ax, (column, title, unit) in zip(axes.ravel(), SIAP_PANELS, strict=True):
        for post, columns in metrics.items():
            minutes = [t / 60.0 for t in columns["time_s"]]
            values = [float("nan") if v is None else v for v in columns[column]]
            ax.plot(minutes, values, lw=1.0, label=post)
        ax.set_title(f"{title} ({unit})", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("time (min)", fontsize=8)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="center right", fontsize=8, title="post")
    figure.subplots_adjust(right=0.84, hspace=0.3, wspace=0.3)
    return figure_data_uri(figure)
