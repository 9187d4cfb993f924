"""The run map: sites, radar and engagement rings, routes by side, detections, intercepts."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyproj

from iadsim.catalog import Catalog
from iadsim.catalog.models import RadarType
from iadsim.geo.line_of_sight import radar_horizon_range_m
from iadsim.geo.terrain import ElevationGrid
from iadsim.scenario.schema import Scenario
from iadsim.viz.basemap import draw_basemap

SIDE_COLOURS = {"red": "#d62728", "nato": "#1f4e9c", "turkey": "#17a2b8", "civil": "#6c6c6c"}
"""Route colours by side; other sides cycle through Matplotlib's palette."""
RING_TARGET_ALT_M = 1000.0
"""Target height above the ground for the drawn radar-horizon ring, m."""


def horizon_ring_m(spec: RadarType, antenna_height_m: float) -> float:
    """Radius of a radar's horizon ring: the smooth-earth horizon between its antenna,
    ``antenna_height_m`` above the ground (mast included), and a target
    :data:`RING_TARGET_ALT_M` above the ground (heights above the local ground, not sea
    level: a plateau site is no higher above its own horizon), capped at its range, m."""
    horizon = float(radar_horizon_range_m(antenna_height_m, RING_TARGET_ALT_M))
    return min(spec.max_range_m, horizon)


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


def draw_run_map(
    path: Path,
    scenario: Scenario,
    catalog: Catalog,
    events: pa.Table,
    tracks: pa.Table,
    grid: ElevationGrid | None = None,
) -> None:
    """Render ``map.png`` for a run.

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
    """
    truth = tracks.filter(pc.equal(tracks["source"], "truth"))
    fig, ax = plt.subplots(figsize=(11, 9), dpi=110)
    places = [(a.name, a.position.lat_deg, a.position.lon_deg) for a in scenario.defended_assets]
    draw_basemap(ax, _extent(truth, scenario), places=places, grid=grid)
    ids = truth["id"].to_numpy(zero_copy_only=False)
    sides = truth["side"].to_numpy(zero_copy_only=False)
    lat, lon = truth["lat_deg"].to_numpy(), truth["lon_deg"].to_numpy()
    labelled = set()
    for name in dict.fromkeys(ids):
        rows = ids == name
        side = sides[rows][0]
        colour = SIDE_COLOURS.get(side)
        ax.plot(
            lon[rows],
            lat[rows],
            "-",
            lw=0.8,
            color=colour,
            alpha=0.8,
            label=side if side not in labelled else None,
        )
        labelled.add(side)
    for unit in scenario.fire_units:
        p = unit.site
        ax.plot(p.lon_deg, p.lat_deg, "k^", ms=9, zorder=5)
        ax.annotate(
            unit.name,
            (p.lon_deg, p.lat_deg),
            xytext=(6, -12),
            textcoords="offset points",
            fontsize=8,
        )
        for placement in unit.radars:
            spec = catalog.radars[placement.type]
            reach = horizon_ring_m(spec, placement.antenna_height_m(spec))
            ax.plot(*_ring(p.lat_deg, p.lon_deg, reach), ":", color="k", lw=0.8)
        for key in sorted({k for g in unit.launchers for k, n in g.load.items() if n > 0}):
            radius = catalog.interceptors[key].max_range_m
            ax.plot(*_ring(p.lat_deg, p.lon_deg, radius), "--", color="#8b0000", lw=0.8, alpha=0.7)
    kinds = events["kind"].to_numpy(zero_copy_only=False)
    elat, elon = events["lat_deg"].to_numpy(), events["lon_deg"].to_numpy()
    for kind, marker, colour, label in (
        ("first_detection", ".", "#ff7f0e", "first detection (by each radar)"),
        ("kill", "x", "k", "kill"),
        ("leak", "*", "#d62728", "leak"),
    ):
        rows = kinds == kind
        if rows.any():
            ax.plot(
                elon[rows], elat[rows], marker, color=colour, ms=7, ls="none", label=label, zorder=6
            )
    horizon = f"radar horizon ({RING_TARGET_ALT_M:.0f} m above ground)"
    ax.plot([], [], ":", color="k", lw=0.8, label=horizon)
    ax.plot([], [], "--", color="#8b0000", lw=0.8, label="interceptor max range")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set_title(f"{scenario.name}: routes, coverage and outcomes", fontsize=11)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
