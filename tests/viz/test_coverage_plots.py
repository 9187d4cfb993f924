"""Coverage figures render, crop to the detected area and colour Pd on the right places."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.image as mpimg
import numpy as np
import pytest

from iadsim.coverage.maps import PdMap
from iadsim.coverage.profiles import VerticalCoverage
from iadsim.geo.terrain import ElevationGrid
from iadsim.viz.coverage_plots import (
    PD_CMAP,
    crop_window_deg,
    plot_comparison,
    plot_pd_map,
    plot_vertical_coverage,
)

SITE = (40.0, 32.6)


def synthetic_map(radius_km=(30.0, 120.0), n=120) -> PdMap:
    """Pd falling off with distance from the site, one layer per radius, 600 km square."""
    lat = np.radians(np.linspace(SITE[0] - 2.7, SITE[0] + 2.7, n))
    lon = np.radians(np.linspace(SITE[1] - 3.5, SITE[1] + 3.5, n))
    lat2, lon2 = np.meshgrid(lat, lon, indexing="ij")
    dist_km = 6371.0 * np.hypot(lat2 - np.radians(SITE[0]), (lon2 - np.radians(SITE[1])) * 0.766)
    layers = [1.0 / (1.0 + (dist_km / r) ** 8) for r in radius_km]
    return PdMap(
        lat_rad=lat,
        lon_rad=lon,
        alt_m=np.array([100.0, 10_000.0][: len(radius_km)]),
        pd=np.array(layers, dtype=np.float32),
        radars=("s400-murted/s400/91n6e",),
        sites_rad=np.radians([SITE]),
        target="f35a",
        aspect="nose-on",
        altitude_reference="agl",
        terrain=True,
        n_evaluations=len(radius_km) * n * n,
    )


@pytest.fixture(scope="module")
def terrain() -> ElevationGrid:
    """Small hilly land grid (fast base maps)."""
    lat = np.linspace(36.0, 44.0, 97)[:, None]
    lon = np.linspace(28.0, 38.0, 121)[None, :]
    heights = 800.0 + 600.0 * np.sin(3 * lat) * np.cos(2 * lon)
    return ElevationGrid(
        np.radians(36.0),
        np.radians(28.0),
        np.radians(1 / 12),
        np.radians(1 / 12),
        heights.astype(np.float32),
        "synthetic",
    )


def test_crop_window_holds_the_detected_area_and_the_sites():
    pd_map = synthetic_map()
    small = crop_window_deg([pd_map], 0)
    large = crop_window_deg([pd_map], 1)
    seen = pd_map.pd[0] >= 0.01
    lat_seen = pd_map.lat_deg[np.nonzero(seen)[0]]
    lon_seen = pd_map.lon_deg[np.nonzero(seen)[1]]
    assert small[0] <= lon_seen.min() and small[1] >= lon_seen.max()
    assert small[2] <= lat_seen.min() and small[3] >= lat_seen.max()
    assert small[0] < SITE[1] < small[1] and small[2] < SITE[0] < small[3]
    assert (large[3] - large[2]) > 2.5 * (small[3] - small[2])
    # about square on the ground
    width_km = (small[1] - small[0]) * 111.2 * np.cos(np.radians(SITE[0]))
    assert width_km == pytest.approx((small[3] - small[2]) * 111.2, rel=0.05)


def test_pd_map_png_shows_high_pd_at_the_site(tmp_path: Path, terrain):
    path = plot_pd_map(
        synthetic_map(),
        tmp_path / "pd_map.png",
        target_label="F-35A",
        grid=terrain,
        places=[("Ankara", 39.93, 32.86)],
    )
    image = mpimg.imread(path)[..., :3]
    assert image.shape[1] > image.shape[0] > 300
    # High Pd is dark purple (red and blue above green), which neither the green-tan land
    # nor the blue sea of the base map is; it must cover a good part of the panels.
    red, green, blue = image[..., 0], image[..., 1], image[..., 2]
    purple = (blue > green + 0.1) & (red > green + 0.05)
    assert purple.mean() > 0.05
    assert PD_CMAP(1.0)[2] > PD_CMAP(1.0)[1] + 0.1  # the colour map's Pd = 1 end is purple


def test_comparison_and_vertical_figures_render(tmp_path: Path, terrain):
    maps = {"f35a": synthetic_map((20.0, 80.0)), "f16c": synthetic_map((40.0, 200.0))}
    compare = plot_comparison(maps, tmp_path / "compare.png", grid=terrain)
    height, width = mpimg.imread(compare).shape[:2]
    assert height > 0.7 * width  # two rows of altitudes under two columns of targets
    ranges = np.linspace(500.0, 200e3, 80)
    heights = np.linspace(100.0, 20e3, 40)
    pd = 1.0 / (1.0 + (np.hypot(ranges[None, :], heights[:, None]) / 120e3) ** 8)
    vertical = VerticalCoverage(
        radar="s400/92n6e",
        target="f16c",
        aspect="nose-on",
        az_rad=np.radians(45.0),
        ground_range_m=ranges,
        height_m=heights,
        pd=pd,
        terrain_m=800.0 + 300.0 * np.sin(ranges / 2e4),
        antenna_alt_m=880.0,
        k_factor=4 / 3,
    )
    path = plot_vertical_coverage(vertical, tmp_path / "vertical.png")
    assert mpimg.imread(path).shape[1] > 600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.png", "vertical.png"]
