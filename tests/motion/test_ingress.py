"""Ingress planning: terrain clearance over a ridge, masking heights against the textbook
radar horizon, and a route hidden behind a ridge from the radar it hides from."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.ingress import (
    IngressPlan,
    densify_route,
    interval_top_m,
    masking_height_m,
    plan_ingress,
)

rad = np.radians
K_R_E_M = 4.0 / 3.0 * 6378137.0  # effective earth radius, m
RADAR = (38.2, 32.0, 20.0)  # antenna lat, lon (deg), height above sea level (m)
RIDGE_LAT_DEG, RIDGE_M = 39.0, 600.0
CREST_NORTH_DEG = RIDGE_LAT_DEG + 0.03  # the crest's north edge (rows +-2, bilinear to +3)
ROUTE = np.array([[41.5, 32.0, 6000.0, 250.0], [38.6, 32.0, 6000.0, 250.0]])


def _grid(ridge_m: float = RIDGE_M, half_rows: int = 2) -> ElevationGrid:
    """38-42 N x 31-33 E at 0.01 deg: sea-level ground, an east-west ridge at 39 N of
    ``2 half_rows + 1`` rows (one row: a sharp crest between the route's points)."""
    heights = np.zeros((401, 201), dtype=np.float32)
    row = round((RIDGE_LAT_DEG - 38.0) / 0.01)
    heights[row - half_rows : row + half_rows + 1, :] = ridge_m
    return ElevationGrid(rad(38.0), rad(31.0), rad(0.01), rad(0.01), heights)


def _fine_path(route: np.ndarray, per_interval: int = 40) -> np.ndarray:
    """Points between the planned points as flown: straight, altitude linear."""
    f = np.linspace(0.0, 1.0, per_interval, endpoint=False)[None, :, None]
    path = route[:-1, None, :3] + (route[1:, None, :3] - route[:-1, None, :3]) * f
    return np.vstack([path.reshape(-1, 3), route[-1:, :3]])


def _visible(route: np.ndarray, grid: ElevationGrid) -> np.ndarray:
    lat, lon, alt = rad(route[:, 0]), rad(route[:, 1]), route[:, 2]
    return terrain_clear(rad(RADAR[0]), rad(RADAR[1]), RADAR[2], lat, lon, alt, grid)


def test_densified_points_lie_on_the_geodesic_within_the_spacing():
    route = np.array([[40.0, 32.0, 1000.0, 200.0], [40.3, 32.4, 3000.0, 200.0]])
    dense, distance = densify_route(route, 1000.0)
    geod = Geod(ellps="WGS84")
    length = geod.inv(32.0, 40.0, 32.4, 40.3)[2]
    steps = geod.inv(dense[:-1, 1], dense[:-1, 0], dense[1:, 1], dense[1:, 0])[2]
    assert steps.max() <= 1000.0 + 1e-6
    assert distance[-1] == pytest.approx(length, rel=1e-9)
    assert steps.sum() == pytest.approx(length, rel=1e-6)
    np.testing.assert_allclose(dense[:, 2], 1000.0 + 2000.0 * distance / length)
    np.testing.assert_array_equal(dense[[0, -1]], route)


@pytest.mark.parametrize("half_rows", [0, 2])
@pytest.mark.parametrize("clearance_m", [60.0, 150.0])
def test_the_route_keeps_its_clearance_over_a_ridge_within_its_path_angle(clearance_m, half_rows):
    grid = _grid(half_rows=half_rows)
    plan = IngressPlan(clearance_m=clearance_m, spacing_m=500.0)
    route = plan_ingress(ROUTE, grid, plan)
    path = _fine_path(route)
    ground = grid.surface_height_m(rad(path[:, 0]), rad(path[:, 1]))
    assert (path[:, 2] - ground).min() >= clearance_m - 1e-6
    crest = np.argmin(np.abs(route[:, 0] - RIDGE_LAT_DEG))
    assert abs(route[crest, 0] - RIDGE_LAT_DEG) > 1e-4  # no planned point on the crest
    # It hugs the flat ground away from the ridge and tops the ridge at the clearance.
    assert np.median(route[:, 2]) == pytest.approx(clearance_m)
    assert route[:, 2].max() == pytest.approx(RIDGE_M + clearance_m)
    _, distance = densify_route(ROUTE, 500.0)
    slope = np.abs(np.diff(route[:, 2])) / np.diff(distance)
    assert slope.max() <= math.tan(math.radians(5.0)) + 1e-9


@pytest.mark.parametrize("antenna_m", [10.0, 50.0, 200.0])
@pytest.mark.parametrize("range_km", [40.0, 80.0, 150.0])
def test_masking_height_over_the_sea_is_the_textbook_radar_horizon(antenna_m, range_km):
    # Smooth 4/3 earth: d = sqrt(2 k R h_a) + sqrt(2 k R h_t) (Skolnik 2001, eq. 8.1), so a
    # target at range d is masked below h_t = (d - sqrt(2 k R h_a))^2 / (2 k R) beyond the
    # antenna's own horizon, and never masked within it.
    grid = _grid(ridge_m=0.0)
    lon_deg = np.array([32.0 + range_km * 1000.0 / (111_320.0 * math.cos(rad(38.2)))])
    height = masking_height_m((38.2, 32.0, antenna_m), np.array([38.2]), lon_deg, grid, 200.0)
    horizon_m = math.sqrt(2.0 * K_R_E_M * antenna_m)
    ground_m = Geod(ellps="WGS84").inv(32.0, 38.2, lon_deg[0], 38.2)[2]
    expected = max(ground_m - horizon_m, 0.0) ** 2 / (2.0 * K_R_E_M)
    # The sampled terrain's running maximum stands one range step short of the grazing point.
    assert height[0] == pytest.approx(expected, abs=2.0 + 0.02 * expected)


def test_masking_height_is_where_the_line_of_sight_code_sees_the_point():
    grid = _grid()
    lat = np.linspace(39.1, 41.5, 25)
    lon = np.full(lat.size, 32.0)
    height = masking_height_m(RADAR, lat, lon, grid, 250.0)
    assert np.all(height > RIDGE_M)  # behind the ridge, the shadow starts above its crest
    for margin_m, seen in ((-15.0, False), (15.0, True)):
        visible = terrain_clear(
            rad(RADAR[0]), rad(RADAR[1]), RADAR[2], rad(lat), rad(lon), height + margin_m, grid
        )
        assert np.all(visible == seen)


def test_the_ingress_stays_below_the_radars_horizon_behind_the_ridge():
    grid = _grid()
    hidden = plan_ingress(ROUTE, grid, IngressPlan(60.0, 500.0, radar_lla=RADAR))
    path = _fine_path(hidden)
    ground = grid.surface_height_m(rad(path[:, 0]), rad(path[:, 1]))
    assert (path[:, 2] - ground).min() >= 60.0 - 1e-6
    as_given = _visible(densify_route(ROUTE, 500.0)[0], grid)
    assert as_given.mean() > 0.75  # in view but for its far end (earth bulge and ridge)
    visible = _visible(path, grid)
    assert visible.mean() < 0.1
    # In view only from the crest on, where nothing can hide it.
    assert path[visible, 0].max() < CREST_NORTH_DEG
    # It keeps its route altitude while the earth's bulge hides it, and dives later.
    assert hidden[0, 2] == pytest.approx(6000.0)
    assert hidden[:, 2].min() == pytest.approx(60.0)


def test_max_alt_caps_the_ingress_and_a_lower_route_needs_no_dive():
    grid = _grid()
    plan = IngressPlan(60.0, 500.0, radar_lla=RADAR, max_alt_m=1500.0)
    capped = plan_ingress(ROUTE, grid, plan)
    assert capped[:, 2].max() == pytest.approx(1500.0)
    # Behind the ridge a 1500 m route is hidden from 39.3 N on (the shadow deepens with
    # range), so the cap is flown there and the dive comes only near the ridge.
    behind = capped[:, 0] > 39.6
    assert np.all(capped[behind, 2] == pytest.approx(1500.0))
    assert not _visible(capped[capped[:, 0] > CREST_NORTH_DEG], grid).any()


def test_interval_top_is_the_highest_terrain_on_each_interval():
    # Random terrain, intervals at random angles: the top is at least the highest of 4000
    # bilinear samples along the interval and exceeds it by no more than their spacing
    # allows (slope x half a step).
    rng = np.random.default_rng(3)
    heights = rng.uniform(0.0, 1000.0, (41, 41)).astype(np.float32)
    grid = ElevationGrid(rad(39.0), rad(32.0), rad(0.01), rad(0.01), heights)
    lat = 39.05 + rng.uniform(0.0, 0.3, 30)
    lon = 32.05 + rng.uniform(0.0, 0.3, 30)
    top = interval_top_m(lat, lon, grid)
    f = np.linspace(0.0, 1.0, 4000)[None, :]
    sampled = grid.surface_height_m(
        rad(lat[:-1, None] + np.diff(lat)[:, None] * f),
        rad(lon[:-1, None] + np.diff(lon)[:, None] * f),
    ).max(1)
    assert np.all(top >= sampled - 1e-6)
    cells = np.hypot(np.diff(lat), np.diff(lon)) / 0.01
    assert np.all(top - sampled <= 1000.0 * 2.0 * cells / 4000.0)


def test_interval_top_across_the_antimeridian_reads_the_short_way_round():
    heights = np.zeros((21, 41), dtype=np.float32)
    heights[:, 20] = 300.0  # a north-south crest on 180 deg
    grid = ElevationGrid(rad(-0.1), rad(179.8), rad(0.01), rad(0.01), heights)
    top = interval_top_m(np.array([0.0, 0.0]), np.array([179.95, -179.95]), grid)
    assert top[0] == pytest.approx(300.0)
