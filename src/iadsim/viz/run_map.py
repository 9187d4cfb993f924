"""The run map: sites, radar sectors and engagement rings per post, routes by side,
detections, and outcomes (kills, leaks, allied and civil losses, routes that ended)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyproj

from iadsim.catalog import Catalog
from iadsim.geo.terrain import ElevationGrid
from iadsim.report.layout import FOOTPRINT_TARGET_AGL_M, run_layout
from iadsim.scenario.schema import Scenario
from iadsim.viz.basemap import draw_basemap
from iadsim.viz.labels import place_labels

SIDE_COLOURS = {"red": "#d62728", "nato": "#1f4e9c", "turkey": "#17a2b8", "civil": "#6c6c6c"}
"""Route colours by side; other sides cycle through Matplotlib's palette."""


def _ring(lat_deg: float, lon_deg: float, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    azimuths = np.linspace(0.0, 360.0, 181)
    lon, lat, _ = pyproj.Geod(ellps="WGS84").fwd(
        np.full_like(azimuths, lon_deg),
        np.full_like(azimuths, lat_deg),
        azimuths,
        np.full_like(azimuths, radius_m),
    )
    return np.asarray(lon), np.asarray(lat)


def _extent(tracks: pa.Table, scenario: Scenario) -> tuple[float, float, float, float]:
    lons = np.concatenate(
        [tracks["lon_deg"].to_numpy(), [u.site.lon_deg for u in scenario.fire_units]]
    )
    lats = np.concatenate(
        [tracks["lat_deg"].to_numpy(), [u.site.lat_deg for u in scenario.fire_units]]
    )
    pad = 0.3
    return (
        float(lons.min() - pad),
        float(lons.max() + pad),
        float(lats.min() - pad),
        float(lats.max() + pad),
    )


POST_COLOURS = ("#5b2c83", "#b35806", "#1b7837", "#2166ac", "#8c510a", "#c51b7d")
"""Coverage colours, one per post in scenario order (cycled)."""
OUTCOME_STYLES: dict[str, dict[str, Any]] = {
    "kill": {"marker": "x", "color": "k", "ms": 7, "mew": 2.0, "label": "kill (threat)"},
    "loss": {"marker": "^", "color": "#ff9800", "mec": "k", "ms": 9,
             "label": "allied or civil aircraft lost"},
    "leak": {"marker": "*", "color": "#d62728", "mec": "k", "ms": 11, "label": "leak"},
    "route_end": {"marker": "s", "color": "white", "mec": "#444444", "ms": 5,
                  "label": "route ended"},
}  # fmt: skip
"""Matplotlib styles of the outcome symbols, each distinct in shape and colour."""


def _losses(scenario: Scenario, events: pa.Table, sides: dict[str, str]) -> np.ndarray:
    """Per event row, ``(n_events,) bool``: a kill of an aircraft that its killer's side is
    not hostile to (an allied or civil aircraft lost to own fire)."""
    unit_side = {u.name: u.side for u in scenario.fire_units}
    rows = zip(
        events["kind"].to_pylist(),
        events["unit"].to_pylist(),
        events["truth"].to_pylist(),
        strict=True,
    )
    return np.array(
        [
            kind == "kill"
            and unit in unit_side
            and sides.get(truth, "") not in scenario.sides[unit_side[unit]].hostile_to
            for kind, unit, truth in rows
        ],
        dtype=bool,
    ).reshape(-1)


def draw_run_map(
    path: Path,
    scenario: Scenario,
    catalog: Catalog,
    events: pa.Table,
    tracks: pa.Table,
    grid: ElevationGrid | None = None,
    layout: dict[str, Any] | None = None,
) -> None:
    """Render ``map.png`` for a run.

    Radar coverage is drawn per post as each radar's sector out to its terrain- and
    horizon-limited footprint for a target 1,000 m above the ground
    (:mod:`iadsim.report.footprint`), interceptor reach as the post's maximum-range rings;
    labels never overlap (:func:`iadsim.viz.labels.place_labels`) and the legend sits
    outside the map.

    Parameters
    ----------
    path : Path
        Output PNG.
    scenario : Scenario
    catalog : Catalog
    events, tracks : pyarrow.Table
        The run's ``events.parquet`` and ``tracks.parquet`` tables.
    grid : ElevationGrid, optional
        The run's terrain (default: the bundled grids over the map).
    layout : dict, optional
        The run's ``layout.json`` content (:func:`iadsim.report.layout.run_layout`);
        computed here when not given.
    """
    if layout is None:
        layout = run_layout(scenario, catalog, grid)
    truth = tracks.filter(pc.equal(tracks["source"], "truth"))
    fig, ax = plt.subplots(figsize=(11, 9), dpi=110)
    draw_basemap(ax, _extent(truth, scenario), grid=grid)
    ids = truth["id"].to_numpy(zero_copy_only=False)
    sides = truth["side"].to_numpy(zero_copy_only=False)
    lat, lon = truth["lat_deg"].to_numpy(), truth["lon_deg"].to_numpy()
    labelled = set()
    for name in dict.fromkeys(ids):
        rows = ids == name
        side = sides[rows][0]
        ax.plot(
            lon[rows],
            lat[rows],
            "-",
            lw=0.8,
            color=SIDE_COLOURS.get(side),
            alpha=0.8,
            label=f"route ({side})" if side not in labelled else None,
        )
        labelled.add(side)
    labels: list[tuple[str, float, float]] = []
    height = f"{FOOTPRINT_TARGET_AGL_M[-1]:g}"
    for k, post in enumerate(layout["posts"]):
        colour = POST_COLOURS[k % len(POST_COLOURS)]
        if post["carrier"] is None:
            ax.plot(post["lon_deg"], post["lat_deg"], "k^", ms=9, zorder=5)
            labels.append((post["name"], post["lon_deg"], post["lat_deg"]))
        covered = False
        for radar in post["radars"]:
            ring = np.asarray(radar["footprints"].get(height, []))
            if ring.size:
                ax.plot(ring[:, 1], ring[:, 0], "-", color=colour, lw=0.9, alpha=0.9)
                covered = True
        if covered:
            ax.plot([], [], "-", color=colour, lw=0.9,
                    label=f"{post['name']}: radar sectors ({height} m above ground)")  # fmt: skip
        for weapon in post["interceptors"]:
            ax.plot(*_ring(post["lat_deg"], post["lon_deg"], weapon["max_range_m"]), "--",
                    color=colour, lw=0.8, alpha=0.8)  # fmt: skip
        if post["interceptors"]:
            ax.plot([], [], "--", color=colour, lw=0.8,
                    label=f"{post['name']}: interceptor max ranges")  # fmt: skip
    for asset in layout["defended_assets"]:
        ax.plot(asset["lon_deg"], asset["lat_deg"], "o", color="black", ms=3, zorder=4)
        labels.append((asset["name"], asset["lon_deg"], asset["lat_deg"]))
    kinds = events["kind"].to_numpy(zero_copy_only=False)
    elat, elon = events["lat_deg"].to_numpy(), events["lon_deg"].to_numpy()
    rows = kinds == "first_detection"
    if rows.any():
        ax.plot(elon[rows], elat[rows], ".", color="#ff7f0e", ms=5, ls="none", zorder=6,
                label="first detection (by each radar)")  # fmt: skip
    truth_sides = dict(zip(ids.tolist(), sides.tolist(), strict=True))
    loss = _losses(scenario, events, truth_sides)
    for what, style in OUTCOME_STYLES.items():
        if what == "loss":
            rows = loss
        elif what == "kill":
            rows = (kinds == "kill") & ~loss
        else:
            rows = kinds == what
        if rows.any():
            ax.plot(elon[rows], elat[rows], ls="none", zorder=6.5, **style)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"{scenario.name}: routes, coverage and outcomes", fontsize=11)
    fig.canvas.draw()
    countries = [t.get_window_extent() for t in ax.texts]
    place_labels(ax, labels, avoid=[*countries, legend.get_window_extent()])
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
