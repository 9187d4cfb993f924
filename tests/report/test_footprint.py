"""Horizon-limited radar footprints against the smooth-earth horizon and a terrain wall."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from iadsim.geo.terrain import ElevationGrid
from iadsim.report.footprint import (
    footprint_edge_m,
    footprint_polygon_deg,
    sector_azimuths_deg,
)

K_R = 4.0 / 3.0 * 6_378_137.0  # effective earth radius, m (k = 4/3)


def _grid(heights: np.ndarray, lat0: float, lon0: float, step_deg: float) -> ElevationGrid:
    return ElevationGrid(
        lat0_rad=np.radians(lat0),
        lon0_rad=np.radians(lon0),
        dlat_rad=np.radians(step_deg),
        dlon_rad=np.radians(step_deg),
        heights_m=heights,
    )


def test_over_smooth_earth_the_edge_is_the_radio_horizon():
    """Antenna 25 m, target 1,000 m, sea level: sqrt(2 kR 25) + sqrt(2 kR 1000) = 151.0 km
    (Skolnik 2001, eq. 8.1), the same at every azimuth, within one range sample."""
    expected = np.sqrt(2 * K_R * 25.0) + np.sqrt(2 * K_R * 1000.0)
    azimuths = np.array([0.0, 90.0, 200.0])
    edge = footprint_edge_m(40.0, 32.5, 25.0, 400_000.0, 1000.0, azimuths, None)
    assert expected == pytest.approx(151_000.0, abs=300.0)
    assert edge == pytest.approx(np.full(3, expected), abs=3000.0)


def test_the_edge_is_capped_at_the_instrumented_range():
    edge = footprint_edge_m(40.0, 32.5, 25.0, 60_000.0, 1000.0, np.array([10.0]), None)
    assert edge == pytest.approx([60_000.0])


def test_a_terrain_wall_brings_the_edge_in_on_its_side_only():
    """A 3,000 m ridge 50 km north of a sea-level radar hides a 100 m target behind it;
    southwards the edge stays at the smooth-earth horizon."""
    step = 0.01
    n = 1201
    heights = np.zeros((n, n), dtype=np.float32)
    lat0, lon0 = 34.0, 26.5  # grid 34..46 N, 26.5..38.5 E; radar at 40 N 32.5 E
    wall_lat = pyproj.Geod(ellps="WGS84").fwd(32.5, 40.0, 0.0, 50_000.0)[1]
    row = round((wall_lat - lat0) / step)
    heights[row : row + 3, :] = 3000.0
    grid = _grid(heights, lat0, lon0, step)
    edge = footprint_edge_m(40.0, 32.5, 20.0, 300_000.0, 100.0, np.array([0.0, 180.0]), grid)
    assert 45_000.0 < edge[0] < 52_000.0
    horizon = np.sqrt(2 * K_R * 20.0) + np.sqrt(2 * K_R * 100.0)
    assert edge[1] == pytest.approx(horizon, abs=3000.0)


def test_sector_azimuths_span_the_sector_around_its_facing():
    azimuths = sector_azimuths_deg(350.0, 90.0)
    assert azimuths[0] == pytest.approx(305.0)
    assert azimuths[-1] == pytest.approx(35.0)
    assert np.all((azimuths >= 0.0) & (azimuths < 360.0))
    assert len(sector_azimuths_deg(0.0, 360.0)) == 180


def test_a_sector_polygon_starts_and_ends_at_the_site_and_a_circle_does_not():
    azimuths = np.array([0.0, 45.0, 90.0])
    edge = np.full(3, 100_000.0)
    sector = footprint_polygon_deg(40.0, 32.5, azimuths, edge, full_circle=False)
    assert sector[0] == sector[-1] == [40.0, 32.5]
    assert len(sector) == 5
    # The edge point at azimuth 90 lies 100 km east on the WGS-84 geodesic (pyproj).
    lon, lat, _ = pyproj.Geod(ellps="WGS84").fwd(32.5, 40.0, 90.0, 100_000.0)
    assert sector[3] == pytest.approx([lat, lon], abs=1e-4)
    circle = footprint_polygon_deg(40.0, 32.5, azimuths, edge, full_circle=True)
    assert len(circle) == 3


def test_on_a_plateau_the_horizon_counts_heights_above_the_ground():
    """A 92N6E on a 25 m mast on an 856 m plateau, target 1,000 m above the plateau: the
    edge is sqrt(2 kR 25) + sqrt(2 kR 1000) = 151 km (Skolnik 2001, eq. 8.1), not the 253 km
    that counting the plateau's height above sea level as antenna height would give (the
    physics audit's map-ring finding)."""
    heights = np.full((601, 601), 856.0, dtype=np.float32)
    grid = _grid(heights, 37.0, 29.5, 0.01)
    edge = footprint_edge_m(40.0, 32.5, 856.0 + 25.0, 400_000.0, 1000.0, np.array([90.0]), grid)
    expected = np.sqrt(2 * K_R * 25.0) + np.sqrt(2 * K_R * 1000.0)
    assert edge[0] == pytest.approx(expected, abs=1500.0)
