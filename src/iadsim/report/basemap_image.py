"""The report's base map: the bundled terrain and borders rendered to one embedded image.

The page draws on a plain longitude/latitude plane scaled by ``cos(latitude at the
centre)`` east-west (an equirectangular projection with its standard parallel at the
centre, the same as :mod:`iadsim.viz.basemap`), so the image lies on the map by its corner
coordinates alone and no tile server or map token is needed.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from iadsim.viz.basemap import draw_basemap

__all__ = ["BASEMAP_WIDTH_PX", "basemap_data_uri", "map_extent_deg"]

BASEMAP_WIDTH_PX = 1600
"""Width of the embedded image, pixels (about 200 m a pixel over the bundled runs)."""
JPEG_QUALITY = 80
"""JPEG quality of the embedded image (Pillow's 1-95 scale)."""
MARGIN_DEG = 0.3
"""Margin around everything drawn, degrees."""


def map_extent_deg(
    lats: Sequence[float], lons: Sequence[float], margin_deg: float = MARGIN_DEG
) -> tuple[float, float, float, float]:
    """``(lon_min, lon_max, lat_min, lat_max)`` around the given points plus a margin, deg."""
    return (
        min(lons) - margin_deg,
        max(lons) + margin_deg,
        min(lats) - margin_deg,
        max(lats) + margin_deg,
    )


def basemap_data_uri(
    extent_deg: tuple[float, float, float, float],
    places: Sequence[tuple[str, float, float]] = (),
    width_px: int = BASEMAP_WIDTH_PX,
) -> str:
    """Shaded terrain, sea, borders and country names over ``extent_deg`` as a
    ``data:image/jpeg;base64,...`` URI, edge to edge (no axes, no margin).

    Parameters
    ----------
    extent_deg : (lon_min, lon_max, lat_min, lat_max)
        Degrees.
    places : sequence of (name, lat_deg, lon_deg)
        Places to mark and name (defended assets).
    width_px : int
        Image width; the height follows from the projection.
    """
    lon_min, lon_max, lat_min, lat_max = extent_deg
    scale = math.cos(math.radians(0.5 * (lat_min + lat_max)))
    aspect = (lon_max - lon_min) * scale / (lat_max - lat_min)
    dpi = 100
    figure = Figure(figsize=(width_px / dpi, width_px / dpi / aspect), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    draw_basemap(ax, extent_deg, places=places)
    ax.set_axis_off()
    buffer = io.BytesIO()
    # JPEG: shaded relief compresses to a tenth of its PNG size with no visible loss.
    figure.savefig(buffer, format="jpeg", dpi=dpi, pil_kwargs={"quality": JPEG_QUALITY})
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
