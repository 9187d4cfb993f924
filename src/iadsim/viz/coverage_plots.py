"""Coverage figures: Pd maps over the base map, range-height diagrams, target comparisons.

* :func:`plot_pd_map` - one map panel per altitude, Pd shaded over terrain and borders,
  Pd = 0.5 and 0.9 contours, radar sites, one shared colour bar.
* :func:`plot_vertical_coverage` - Pd over ground range and height along one azimuth
  (Blake's range-height chart, *Radar Range-Performance Analysis*, 1986, ch. 3 and 10): rays
  of constant elevation angle in the 4/3 effective earth curve upwards, the grazing ray is
  the radar horizon, terrain along the azimuth is filled.
* :func:`plot_comparison` - rows of altitudes, columns of targets, the same radars.

Each map panel is cropped to where Pd reaches 1 % (same window across a comparison row),
so a low-altitude bubble of 40 km is not lost in a 1000 km window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.patheffects as path_effects
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import NDArray

from iadsim.coverage.maps import PdMap
from iadsim.coverage.profiles import VerticalCoverage, ray_height_m
from iadsim.geo.ellipsoid import WGS84_A_M
from iadsim.geo.terrain import ElevationGrid
from iadsim.viz.basemap import draw_basemap, draw_places

__all__ = ["crop_window_deg", "plot_comparison", "plot_pd_map", "plot_vertical_coverage"]

PD_VISIBLE = 0.01
"""Pd below this is left transparent on maps."""
_LEVELS = (0.5, 0.9)
_CONTOUR_STYLE = {0.5: ("-", 1.3), 0.9: ("--", 1.0)}
_SITE_STYLE: dict[str, Any] = {
    "marker": "^",
    "color": "white",
    "markeredgecolor": "black",
    "markersize": 7,
}
_MIN_WINDOW_KM = 80.0
_COUNTRY_LABEL_MIN_LON_DEG = 5.0


def _pd_colormap() -> ListedColormap:
    """Perceptually ordered, light at low Pd and dark red at Pd 1 (part of 'inferno_r')."""
    base = plt.get_cmap("inferno_r")
    return ListedColormap(base(np.linspace(0.08, 0.85, 256)), name="iadsim_pd")


PD_CMAP = _pd_colormap()


def crop_window_deg(
    maps: Sequence[PdMap], layer: int, margin: float = 0.15
) -> tuple[float, float, float, float]:
    """Map window (lon_min, lon_max, lat_min, lat_max) around Pd >= 1 % in all the maps.

    The window holds the radar sites, has a margin of ``margin`` of its size, is at least
    80 km across, is about square on the ground and stays inside the maps' extent.
    """
    first = maps[0]
    lon_deg, lat_deg = first.lon_deg, first.lat_deg
    lat0 = np.radians(np.mean(lat_deg))
    lons = list(np.degrees(first.sites_rad[:, 1]))
    lats = list(np.degrees(first.sites_rad[:, 0]))
    for pd_map in maps:
        rows, cols = np.nonzero(pd_map.pd[layer] >= PD_VISIBLE)
        if rows.size:
            lats += [lat_deg[rows.min()], lat_deg[rows.max()]]
            lons += [lon_deg[cols.min()], lon_deg[cols.max()]]
    lon_mid, lat_mid = 0.5 * (min(lons) + max(lons)), 0.5 * (min(lats) + max(lats))
    half_km = max(
        0.5 * (max(lats) - min(lats)) * 111.2,
        0.5 * (max(lons) - min(lons)) * 111.2 * np.cos(lat0),
        0.5 * _MIN_WINDOW_KM,
    ) * (1.0 + margin)
    half_lat = half_km / 111.2
    half_lon = half_lat / np.cos(lat0)
    lon_min, lon_max, lat_min, lat_max = first.extent_deg
    return (
        max(lon_mid - half_lon, lon_min),
        min(lon_mid + half_lon, lon_max),
        max(lat_mid - half_lat, lat_min),
        min(lat_mid + half_lat, lat_max),
    )


def _draw_pd_layer(
    ax: Axes,
    pd_map: PdMap,
    layer: int,
    window: tuple[float, float, float, float],
    grid: ElevationGrid | None,
    places: Sequence[tuple[str, float, float]],
):
    # Country names only help on wide windows; on a zoomed one they sit on the sites.
    wide = window[1] - window[0] > _COUNTRY_LABEL_MIN_LON_DEG
    draw_basemap(ax, window, grid=grid, labels=wide)
    draw_places(ax, places, names=not wide)
    values = np.ma.masked_less(pd_map.pd[layer], PD_VISIBLE)
    image = ax.imshow(
        values,
        origin="lower",
        extent=pd_map.extent_deg,
        cmap=PD_CMAP,
        vmin=0.0,
        vmax=1.0,
        alpha=0.72,
        interpolation="nearest",
        zorder=1.5,
        aspect=ax.get_aspect(),  # keep the base map's km-true aspect (imshow resets it)
    )
    _draw_contours(ax, pd_map.lon_deg, pd_map.lat_deg, pd_map.pd[layer], zorder=2.5)
    sites = np.degrees(pd_map.sites_rad)
    ax.plot(sites[:, 1], sites[:, 0], linestyle="none", zorder=5, **_SITE_STYLE)
    ax.set_xlim(window[0], window[1])
    ax.set_ylim(window[2], window[3])
    return image


def _draw_contours(
    ax: Axes, x: NDArray[np.float64], y: NDArray[np.float64], pd: NDArray, zorder: float
) -> None:
    """The Pd = 0.5 (solid) and 0.9 (dashed) contours of ``pd`` ``(y.size, x.size)``, when
    Pd reaches 0.5 anywhere."""
    if not np.nanmax(pd) >= min(_LEVELS):
        return
    ax.contour(
        x,
        y,
        pd,
        levels=list(_LEVELS),
        colors="black",
        linestyles=[_CONTOUR_STYLE[v][0] for v in _LEVELS],
        linewidths=[_CONTOUR_STYLE[v][1] for v in _LEVELS],
        zorder=zorder,
    )


def _altitude_text(alt_m: float, reference: str) -> str:
    return f"{alt_m:,.0f} m {'AGL' if reference == 'agl' else 'MSL'}"


def _legend_handles() -> list[Line2D]:
    return [
        Line2D([], [], color="black", linestyle="-", linewidth=1.3, label="Pd = 0.5"),
        Line2D([], [], color="black", linestyle="--", linewidth=1.0, label="Pd = 0.9"),
        Line2D([], [], linestyle="none", label="radar", **_SITE_STYLE),
    ]


def _colorbar(fig: Figure, image, axes: list[Axes], label: str, n_rows: int = 1) -> None:
    shrink = 0.8 if n_rows == 1 else 0.5
    bar = fig.colorbar(image, ax=axes, shrink=shrink, pad=0.01, fraction=0.03, aspect=25)
    bar.set_label(label, fontsize=9)
    bar.ax.tick_params(labelsize=8)
    if bar.solids is not None:
        bar.solids.set_alpha(0.72)


def plot_pd_map(
    pd_map: PdMap,
    path: str | Path,
    *,
    target_label: str | None = None,
    radar_labels: Sequence[str] | None = None,
    places: Sequence[tuple[str, float, float]] = (),
    grid: ElevationGrid | None = None,
    dpi: int = 130,
) -> Path:
    """Pd map PNG: one panel per altitude over the base map, a shared colour bar.

    Parameters
    ----------
    pd_map : PdMap
    path : str or Path
    target_label : str, optional
        Display name of the target (default its signature name).
    radar_labels : sequence of str, optional
        Display names of the radars (default their names).
    places : sequence of (name, lat_deg, lon_deg)
        Points to mark, e.g. defended assets.
    grid : ElevationGrid, optional
        Terrain for the base map (default the bundled grid).
    """
    n_alt = pd_map.alt_m.size
    n_cols = min(n_alt, 3)
    n_rows = int(np.ceil(n_alt / n_cols))
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(4.6 * n_cols + 1.0, 4.3 * n_rows + 0.9),
        squeeze=False,
        layout="constrained",
    )
    image = None
    for k in range(n_rows * n_cols):
        ax = axes.flat[k]
        if k >= n_alt:
            ax.set_visible(False)
            continue
        window = crop_window_deg([pd_map], k)
        image = _draw_pd_layer(ax, pd_map, k, window, grid, places)
        ax.set_title(f"{_altitude_text(pd_map.alt_m[k], pd_map.altitude_reference)}", fontsize=10)
    radars = ", ".join(radar_labels or pd_map.radars)
    target = target_label or pd_map.target
    fig.suptitle(
        f"Single-scan detection probability: {target}, {pd_map.aspect}\n"
        f"by {radars}{'' if pd_map.terrain else ' (no terrain)'}",
        fontsize=11,
    )
    visible_axes = [ax for ax in axes.flat if ax.get_visible()]
    _colorbar(fig, image, visible_axes, "single-scan Pd, all radars combined", n_rows)
    # Outside the panels, so it never hides data.
    fig.legend(
        handles=_legend_handles(), loc="outside lower center", ncol=3, fontsize=8, frameon=False
    )
    return _save(fig, path, dpi)


def plot_comparison(
    maps: Mapping[str, PdMap],
    path: str | Path,
    *,
    target_labels: Mapping[str, str] | None = None,
    radar_labels: Sequence[str] | None = None,
    places: Sequence[tuple[str, float, float]] = (),
    grid: ElevationGrid | None = None,
    dpi: int = 120,
) -> Path:
    """Side-by-side Pd maps: rows altitudes, columns targets (maps on the same grid).

    Each row shares one window, so the columns compare like for like.
    """
    names = list(maps)
    first = maps[names[0]]
    n_alt = first.alt_m.size
    fig, axes = plt.subplots(
        n_alt,
        len(names),
        figsize=(4.4 * len(names) + 1.2, 4.1 * n_alt + 1.0),
        squeeze=False,
        layout="constrained",
    )
    labels = dict(target_labels or {})
    image = None
    for row in range(n_alt):
        window = crop_window_deg([maps[n] for n in names], row)
        for col, name in enumerate(names):
            ax = axes[row, col]
            image = _draw_pd_layer(ax, maps[name], row, window, grid, places)
            area_km2 = _detected_area_km2(maps[name], row)
            ax.set_title(
                f"{labels.get(name, name)} at "
                f"{_altitude_text(first.alt_m[row], first.altitude_reference)}\n"
                f"area with Pd ≥ 0.5: {area_km2:,.0f} km²",
                fontsize=9,
            )
    radars = ", ".join(radar_labels or first.radars)
    fig.suptitle(
        f"Who sees what: single-scan Pd, {first.aspect}, by {radars}",
        fontsize=11,
    )
    _colorbar(fig, image, list(axes.flat), "single-scan Pd, all radars combined", n_alt)
    fig.legend(
        handles=_legend_handles(), loc="outside lower center", ncol=3, fontsize=8, frameon=False
    )
    return _save(fig, path, dpi)


def _detected_area_km2(pd_map: PdMap, layer: int, threshold: float = 0.5) -> float:
    """Ground area of the cells with Pd >= threshold, km^2 (cells on the sphere of 6371 km)."""
    dlat = np.radians(pd_map.lat_deg[1] - pd_map.lat_deg[0])
    dlon = np.radians(pd_map.lon_deg[1] - pd_map.lon_deg[0])
    cell_km2 = 6371.0**2 * dlat * dlon * np.cos(pd_map.lat_rad)
    return float(np.sum((pd_map.pd[layer] >= threshold) * cell_km2[:, None]))


def plot_vertical_coverage(
    coverage: VerticalCoverage,
    path: str | Path,
    *,
    target_label: str | None = None,
    radar_label: str | None = None,
    dpi: int = 130,
) -> Path:
    """Range-height diagram PNG: Pd shading, Pd 0.5/0.9 contours, 4/3-earth rays, terrain."""
    range_km = coverage.ground_range_m / 1000.0
    height_km = coverage.height_m / 1000.0
    fig, ax = plt.subplots(figsize=(10.0, 5.6), layout="constrained")
    values = np.ma.masked_less(coverage.pd, PD_VISIBLE)
    dr, dh = range_km[1] - range_km[0], height_km[1] - height_km[0]
    image = ax.imshow(
        values,
        origin="lower",
        extent=(0.0, range_km[-1] + dr / 2, 0.0, height_km[-1] + dh / 2),
        aspect="auto",
        cmap=PD_CMAP,
        vmin=0.0,
        vmax=1.0,
        interpolation="nearest",
        zorder=1,
    )
    _draw_contours(ax, range_km, height_km, coverage.pd, zorder=3)
    top_km = height_km[-1] + dh / 2
    right_km = range_km[-1] + dr / 2
    ground = np.linspace(0.0, coverage.ground_range_m[-1] + dr * 500.0, 600)
    for el_deg in (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 45.0):
        h_km = ray_height_m(coverage.antenna_alt_m, np.radians(el_deg), ground, coverage.k_factor)
        h_km = h_km / 1000.0
        x_km = ground / 1000.0
        inside = np.flatnonzero((h_km <= top_km) & (x_km <= right_km))
        if inside.size < 2:
            continue
        # mid grey reads on both the dark (high Pd) and the light (low Pd) shading
        ax.plot(x_km, h_km, color="#8c8c8c", linewidth=0.7, linestyle=":", zorder=2)
        end = inside[-1]
        # Label just inside the frame where the ray leaves it (top or right edge).
        leaves_top = x_km[end] < right_km * 0.97
        ax.annotate(
            f"{el_deg:g}°",
            (x_km[end], h_km[end]),
            xytext=(-2, -3) if leaves_top else (-3, 3),
            textcoords="offset points",
            ha="right",
            va="top" if leaves_top else "bottom",
            fontsize=7,
            color="#333333",
            zorder=6,
            path_effects=[path_effects.withStroke(linewidth=2.0, foreground="white", alpha=0.8)],
        )
    radius_e = coverage.k_factor * WGS84_A_M
    grazing = -np.arccos(radius_e / (radius_e + max(coverage.antenna_alt_m, 0.0)))
    horizon_km = ray_height_m(coverage.antenna_alt_m, grazing, ground, coverage.k_factor) / 1000
    ax.plot(
        ground / 1000.0,
        horizon_km,
        color="#1f4e9c",
        linewidth=1.2,
        linestyle="-.",
        label="smooth-earth radar horizon (4/3 earth)",
        zorder=4.5,
    )
    ax.fill_between(
        range_km,
        0.0,
        coverage.terrain_m / 1000.0,
        color="#8c6d46",
        alpha=0.9,
        zorder=4,
        label="terrain along the azimuth",
    )
    ax.plot(0.0, coverage.antenna_alt_m / 1000.0, "^", color="black", markersize=8, zorder=5)
    ax.set_xlim(0.0, right_km)
    ax.set_ylim(0.0, top_km)
    ax.set_xlabel("ground range, km")
    ax.set_ylabel("height above sea level, km")
    radar = radar_label or coverage.radar
    target = target_label or coverage.target
    ax.set_title(
        f"Vertical coverage of {radar}\nazimuth {np.degrees(coverage.az_rad) % 360:.0f}°, "
        f"target {target} ({coverage.aspect}); dotted: elevation angles in the 4/3 earth",
        fontsize=10,
    )
    handles, _ = ax.get_legend_handles_labels()
    handles += _legend_handles()[:2]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        ncol=4,
        fontsize=8,
        frameon=False,
    )
    bar = fig.colorbar(image, ax=ax, pad=0.015, fraction=0.03)
    bar.set_label("single-scan Pd", fontsize=9)
    return _save(fig, path, dpi)


def _save(fig: Figure, path: str | Path, dpi: int) -> Path:
    """Save a PNG via a temporary file and a rename, then close the figure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp.png")
    try:
        fig.savefig(temporary, dpi=dpi, bbox_inches="tight")
        temporary.replace(path)
    finally:
        plt.close(fig)
        temporary.unlink(missing_ok=True)
    return path
