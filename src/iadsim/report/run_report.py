"""``iadsim report RUN_DIR``: one self-contained HTML page for a run folder."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from iadsim.report.basemap_image import basemap_data_uri, map_extent_deg
from iadsim.report.coverage_products import coverage_boundaries, coverage_figures_html
from iadsim.report.page import fill, json_for_script, package_text
from iadsim.report.plots import picture_figure
from iadsim.report.run_data import run_data
from iadsim.report.tables import decision_log, run_tables

__all__ = ["SIDE_COLOURS", "run_report_html"]

SIDE_COLOURS = {"red": "#d62728", "nato": "#1f4e9c", "turkey": "#17a2b8", "civil": "#6c6c6c"}
"""Route colours by side (as the static run map); other sides get the page's palette."""


def _extent(data: dict[str, Any]) -> tuple[float, float, float, float]:
    lats: list[float] = []
    lons: list[float] = []
    for entity in data["truth"].values():
        lats += entity["lat"]
        lons += entity["lon"]
    for post in (data["layout"] or {}).get("posts", []):
        lats.append(post["lat_deg"])
        lons.append(post["lon_deg"])
    return map_extent_deg(lats, lons)


def run_report_html(folder: Path, coverage: Path | None = None) -> str:
    """The report page of a run folder, as one HTML string.

    Parameters
    ----------
    folder : Path
        A run folder written by ``iadsim run``.
    coverage : Path, optional
        A folder written by ``iadsim coverage``: its detection boundaries go on the map, its
        figures into the page.
    """
    data = run_data(folder)
    data["coverage_boundaries"] = [] if coverage is None else coverage_boundaries(coverage)
    coverage_figures = "" if coverage is None else coverage_figures_html(coverage)
    summary = data["summary"]
    layout = data["layout"]
    extent = _extent(data)
    # Asset names are the page's own labels (placed clear of the post names), not the image's.
    data["map"] = {"extent_deg": list(extent), "image": basemap_data_uri(extent)}
    data["side_colours"] = dict(SIDE_COLOURS)
    data["record_interval_s"] = (layout or {}).get("record_interval_s", 10.0)
    figure = picture_figure(data.pop("picture_metrics"))
    picture = f'<img class="plot" alt="SIAP and GOSPA per post" src="{figure}">' if figure else ""
    if layout is None:
        assumptions = (
            "<p>This run folder has no layout.json (written by an older iadsim): rerun the "
            "scenario to see its coverage and assumptions.</p>"
        )
    else:
        assumptions = (
            "<ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in layout["assumptions"])
            + "</ul>"
        )
    subtitle = (
        f"seed {summary['seed']}, {summary['duration_s'] / 60:g} min, iadsim "
        f"{summary['iadsim_version']}"
        + (f" &mdash; {html.escape(layout['description'])}" if layout else "")
    )
    return fill(
        package_text("static/run.html"),
        {
            "TITLE": html.escape(summary["scenario"]),
            "SUBTITLE": subtitle,
            "LEAFLET_CSS": package_text("vendor/leaflet.css"),
            "REPORT_CSS": package_text("static/report.css"),
            "LEAFLET_JS": package_text("vendor/leaflet.js"),
            "REPORT_JS": package_text("static/report.js"),
            "BASEMAP_NOTE": "bundled terrain and borders (iadsim.geo), rendered by the report",
            "TABLES": run_tables(summary),
            "PICTURE": picture,
            "DECISIONS": decision_log(data["events"]),
            "ASSUMPTIONS": assumptions,
            "COVERAGE": coverage_figures
            or "<p>None given (<code>iadsim report RUN_DIR --coverage COVERAGE_DIR</code>).</p>",
            "DATA": json_for_script(data),
        },
    )
