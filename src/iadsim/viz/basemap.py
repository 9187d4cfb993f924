"""A regional base map for Matplotlib figures: shaded terrain, sea, country borders, labels.

Plain longitude/latitude axes (degrees, the edge unit for figures) with the aspect ratio
``1 / cos(latitude at the centre)``, so that a kilometre east and a kilometre north have
the same length on the page near the centre (an equirectangular projection with its
standard parallel at the centre). Terrain comes from the bundled grids (the 1' Turkey grid
where it covers the window, else the 5' world grid; :mod:`iadsim.geo.terrain_layers`) unless
a grid is given, relief shading from
:class:`matplotlib.colors.LightSource` (Lambertian hillshade, sun at azimuth 315 deg,
elevation 45 deg), borders from :func:`iadsim.geo.borders.load_borders`.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.patheffects as path_effects
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import LightSource, LinearSegmentedColormap, Normalize
from matplotlib.ticker import FuncFormatter

from iadsim.geo.borders import REGION_BOX_DEG, Country, country_contains_deg, load_borders
from iadsim.geo.terrain import ElevationGrid
from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers

__all__ = ["DEFAULT_EXTENT_DEG", "draw_basemap", "draw_places"]

DEFAULT_EXTENT_DEG = (25.0, 45.5, 35.0, 43.0)
"""Turkey with a margin: (lon_min, lon_max, lat_min, lat_max), degrees."""

SEA_COLOR = "#a8cbe6"
LAND_COLOR = "#e9e4d4"  # land fill when terrain shading is off
BORDER_COLOR = "#262626"
# Lines the bundled outlines were clipped along (scripts/make_borders.py: the edges of the
# fine layer's box, the antimeridian and the poles); segments along them are clipping
# artefacts, not borders, and are not drawn. (column, value): column 0 longitude, 1 latitude.
_CLIP_LINES_DEG = (
    (0, REGION_BOX_DEG[0]),
    (0, REGION_BOX_DEG[1]),
    (1, REGION_BOX_DEG[2]),
    (1, REGION_BOX_DEG[3]),
    (0, -180.0),
    (0, 180.0),
    (1, -90.0),
    (1, 90.0),
)
# Land colours from lowland green through tan and brown to grey rock and snow.
_LAND_CMAP = LinearSegmentedColormap.from_list(
    "iadsim_land",
    [
        (0.0, "#7fae74"),
        (0.12, "#b5c98b"),
        (0.3, "#e3d7a1"),
        (0.55, "#c49f72"),
        (0.8, "#9c8c80"),
        (1.0, "#f4f4f4"),
    ],
)
_LAND_NORM = Normalize(vmin=0.0, vmax=4500.0)
_EARTH_RADIUS_M = 6371000.0  # for the hillshade's metres-per-degree only


def _halo() -> list[path_effects.AbstractPathEffect]:
    """A soft white outline that keeps text legible over terrain and Pd shading."""
    return [path_effects.withStroke(linewidth=2.5, foreground="white", alpha=0.8)]


def _lon_formatter(value: float, _position: int) -> str:
    return f"{abs(value):g}°{'E' if value >= 0 else 'W'}"


def _lat_formatter(value: float, _position: int) -> str:
    return f"{abs(value):g}°{'N' if value >= 0 else 'S'}"


def _draw_terrain(
    ax: Axes, grid: ElevationGrid, extent_deg: tuple[float, float, float, float]
) -> None:
    lon_min, lon_max, lat_min, lat_max = extent_deg
    sub = grid.subgrid(*np.radians([lat_min, lat_max, lon_min, lon_max]))
    heights = np.nan_to_num(sub.heights_m.astype(np.float64), nan=0.0)
    mid_lat = np.radians(0.5 * (lat_min + lat_max))
    dy_m = sub.dlat_rad * _EARTH_RADIUS_M
    dx_m = sub.dlon_rad * _EARTH_RADIUS_M * np.cos(mid_lat)
    light = LightSource(azdeg=315.0, altdeg=45.0)
    # Rows run south to north, so flip for the shading (which assumes image row order).
    rgb = light.shade(
        heights[::-1],
        cmap=_LAND_CMAP,
        norm=_LAND_NORM,
        blend_mode="soft",
        vert_exag=4.0,
        dx=dx_m,
        dy=dy_m,
    )[::-1, :, :3]
    rgb[heights <= 0.0] = np.asarray([int(SEA_COLOR[k : k + 2], 16) / 255 for k in (1, 3, 5)])
    half_lon, half_lat = np.degrees(sub.dlon_rad) / 2, np.degrees(sub.dlat_rad) / 2
    lon_deg, lat_deg = np.degrees(sub.lon_rad), np.degrees(sub.lat_rad)
    ax.imshow(
        rgb,
        origin="lower",
        extent=(
            lon_deg[0] - half_lon,
            lon_deg[-1] + half_lon,
            lat_deg[0] - half_lat,
            lat_deg[-1] + half_lat,
        ),
        interpolation="bilinear",
        zorder=0,
    )


def _border_lines(ring: np.ndarray) -> np.ndarray:
    """The ring with segments along the clip lines replaced by gaps (NaN rows)."""
    on_edge = np.zeros(len(ring), dtype=bool)
    for column, value in _CLIP_LINES_DEG:
        on = np.abs(ring[:, column] - value) < 1e-6
        on_edge |= np.r_[on[:-1] & on[1:], False]
    if not on_edge.any():
        return ring
    pieces = []
    for k in range(len(ring)):
        pieces.append(ring[k])
        if on_edge[k]:
            pieces.append(np.array([np.nan, np.nan]))
    return np.asarray(pieces)


def _label_point(
    country: Country, extent_deg: tuple[float, float, float, float]
) -> tuple[float, float, int] | None:
    """A point well inside the largest visible part of a country, and its probe count."""
    lon_min, lon_max, lat_min, lat_max = extent_deg
    lon_grid, lat_grid = np.meshgrid(
        np.linspace(lon_min, lon_max, 50)[1:-1], np.linspace(lat_min, lat_max, 34)[1:-1]
    )
    lon_probe, lat_probe = lon_grid.ravel(), lat_grid.ravel()
    best = None
    for ring in country.rings_lonlat_deg:
        inside = country_contains_deg(
            Country(country.name, country.iso_a3, [ring]), lon_probe, lat_probe
        )
        if best is None or inside.sum() > best.sum():
            best = inside
    if best is None or best.sum() < 6:
        return None
    lon_in, lat_in = lon_probe[best], lat_probe[best]
    # The inside probe nearest the mean of all inside probes: central for compact shapes
    # and still on land for concave ones.
    k = int(np.argmin(np.hypot(lon_in - lon_in.mean(), lat_in - lat_in.mean())))
    return float(lon_in[k]), float(lat_in[k]), int(best.sum())


def _draw_labels(
    ax: Axes,
    visible: list[tuple[Country, list[np.ndarray]]],
    extent_deg: tuple[float, float, float, float],
) -> None:
    """Country names, largest first, skipping any that would overlap one already placed."""
    lon_min, lon_max, lat_min, lat_max = extent_deg
    box = ax.get_window_extent()
    px_per_lon = box.width / (lon_max - lon_min)
    px_per_lat = box.height / (lat_max - lat_min)
    fontsize, px_per_pt = 7.0, ax.figure.dpi / 72.0
    halo = _halo()
    candidates = [
        (country, point)
        for country, _ in visible
        if (point := _label_point(country, extent_deg)) is not None
    ]
    placed: list[tuple[float, float, float, float]] = []
    for country, (lon, lat, _) in sorted(candidates, key=lambda c: -c[1][2]):
        text = country.name.upper()
        half_w = 0.5 * 0.62 * fontsize * px_per_pt * len(text) / px_per_lon
        half_h = 0.7 * fontsize * px_per_pt / px_per_lat
        if any(abs(lon - x) < half_w + w and abs(lat - y) < half_h + h for x, y, w, h in placed):
            continue
        placed.append((lon, lat, half_w, half_h))
        ax.text(
            lon,
            lat,
            text,
            fontsize=fontsize,
            color="#333333",
            ha="center",
            va="center",
            zorder=3,
            path_effects=halo,
        )


def draw_places(ax: Axes, places: Sequence[tuple[str, float, float]], names: bool = True) -> None:
    """Mark places with black dots, named unless ``names`` is false.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    places : sequence of (name, lat_deg, lon_deg)
    names : bool
        Write each name beside its dot (off where a wide window leaves no room).
    """
    halo = _halo()
    for name, lat_deg, lon_deg in places:
        ax.plot(lon_deg, lat_deg, "o", color="black", markersize=3, zorder=4)
        if not names:
            continue
        ax.annotate(
            name,
            (lon_deg, lat_deg),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=7,
            zorder=4,
            path_effects=halo,
        )


def draw_basemap(
    ax: Axes,
    extent_deg: tuple[float, float, float, float] = DEFAULT_EXTENT_DEG,
    terrain: bool = True,
    borders: bool = True,
    labels: bool = True,
    *,
    grid: ElevationGrid | None = None,
    countries: list[Country] | None = None,
    places: Sequence[tuple[str, float, float]] = (),
) -> Axes:
    """Draw terrain, sea, borders and labels on plain lon/lat axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Target axes; its limits and aspect are set to the extent.
    extent_deg : (lon_min, lon_max, lat_min, lat_max)
        Map window, degrees.
    terrain : bool
        Hillshaded terrain with sea in blue (else flat land and sea colours).
    borders : bool
        Country outlines, one line artist per ring.
    labels : bool
        Country names (those with enough area in view).
    grid : ElevationGrid, optional
        Terrain; default the bundled grids over the window. Heights <= 0 are drawn as sea.
    countries : list of Country, optional
        Outlines; default the bundled borders.
    places : sequence of (name, lat_deg, lon_deg)
        Points to mark and name, e.g. ``[("Ankara", 39.93, 32.86)]``.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, for chaining.
    """
    lon_min, lon_max, lat_min, lat_max = extent_deg
    if not (lon_min < lon_max and lat_min < lat_max):
        msg = f"extent_deg must be (lon_min, lon_max, lat_min, lat_max), got {extent_deg}"
        raise ValueError(msg)
    need_outlines = borders or labels or not terrain
    countries = load_borders() if countries is None and need_outlines else countries or []
    ax.set_facecolor(SEA_COLOR)
    if terrain:
        if grid is None:
            box = (lat_min, lat_max, lon_min, lon_max)
            grid, _ = TerrainLayers(bundled_layers()).region(box)
        _draw_terrain(ax, grid, extent_deg)
    visible = []
    for country in countries:
        rings = [
            ring
            for ring in country.rings_lonlat_deg
            if ring[:, 0].max() >= lon_min
            and ring[:, 0].min() <= lon_max
            and ring[:, 1].max() >= lat_min
            and ring[:, 1].min() <= lat_max
        ]
        if rings:
            visible.append((country, rings))
    if not terrain:
        # One collection for all land: far faster than a patch per ring.
        land = PolyCollection(
            [ring for _, rings in visible for ring in rings],
            facecolors=LAND_COLOR,
            edgecolors="none",
            zorder=0.5,
        )
        ax.add_collection(land, autolim=False)
    for _country, rings in visible:
        for ring in rings:
            if borders:
                line = _border_lines(ring)
                ax.plot(line[:, 0], line[:, 1], color=BORDER_COLOR, linewidth=0.7, zorder=2)
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect(1.0 / np.cos(np.radians(0.5 * (lat_min + lat_max))))
    if labels:
        # Label sizes are judged in pixels, so the aspect must be applied first.
        ax.apply_aspect()
        _draw_labels(ax, visible, extent_deg)
        draw_places(ax, places)
    ax.xaxis.set_major_formatter(FuncFormatter(_lon_formatter))
    ax.yaxis.set_major_formatter(FuncFormatter(_lat_formatter))
    ax.tick_params(labelsize=7)
    return ax
