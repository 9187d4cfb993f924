"""The base map renders with the requested extent, sea in blue and country borders."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.lines import Line2D

from iadsim.viz.basemap import draw_basemap

EXTENT = (25.0, 45.5, 35.0, 43.0)


def _pixel_rgb(fig, ax, lon: float, lat: float) -> np.ndarray:
    """RGB (0-1) of the rendered figure at a lon/lat point."""
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[:, :, :3] / 255.0
    x, y = ax.transData.transform((lon, lat))
    return image[image.shape[0] - round(y), round(x)]


def test_basemap_renders_terrain_sea_and_borders(tmp_path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    draw_basemap(ax, EXTENT, places=[("Ankara", 39.93, 32.86)])
    path = tmp_path / "basemap.png"
    fig.savefig(path)
    assert path.stat().st_size > 20_000
    assert ax.get_xlim() == pytest.approx(EXTENT[:2])
    assert ax.get_ylim() == pytest.approx(EXTENT[2:])
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(39.0)))
    border_lines = [a for a in ax.get_children() if isinstance(a, Line2D)]
    assert len(border_lines) > 20
    assert len(ax.images) == 1
    names = {t.get_text() for t in ax.texts}
    assert {"TURKEY", "SYRIA", "Ankara"} <= names
    sea = _pixel_rgb(fig, ax, 34.0, 43.0 - 0.6)  # Black Sea
    land = _pixel_rgb(fig, ax, 35.0, 39.0)  # central Anatolia
    assert sea[2] > sea[0] + 0.15  # blue-ish
    assert land[0] >= land[2]  # warm land colours
    plt.close(fig)


def test_basemap_without_terrain_fills_land(tmp_path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 4), dpi=80)
    draw_basemap(ax, (18.0, 52.0, 30.0, 48.0), terrain=False, labels=False)
    fig.savefig(tmp_path / "flat.png")
    assert not ax.images
    assert len(ax.collections) == 1  # the land fill
    assert len(ax.collections[0].get_paths()) > 20
    assert not ax.texts
    sea = _pixel_rgb(fig, ax, 34.0, 43.0)
    land = _pixel_rgb(fig, ax, 35.0, 39.0)
    assert sea[2] > sea[0] + 0.15 and land[0] > land[2]
    plt.close(fig)


def test_basemap_rejects_an_inverted_extent() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="extent_deg"):
        draw_basemap(ax, (45.0, 25.0, 35.0, 43.0))
    plt.close(fig)
