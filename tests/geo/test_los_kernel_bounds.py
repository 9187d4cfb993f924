"""Bounds the terrain kernels skip work on: they must never be below the terrain."""

from __future__ import annotations

import numpy as np

from iadsim.geo._path_kernels import (
    bilinear_height,
    cell_top,
    grid_cell,
    grid_position,
    piece_ray_line,
    ray_above,
    run_ground_bound,
    stretch_ceiling,
)
from iadsim.geo.terrain import ElevationGrid, load_bundled


def test_cell_top_is_the_highest_sample_of_the_cells_between_two_cells() -> None:
    """Against the samples themselves, for blocks inside, across and off the grid edges,
    with voids and heights below sea level."""
    rng = np.random.default_rng(3)
    heights = rng.uniform(-50.0, 400.0, (7, 9)).astype(np.float32)
    heights[rng.random(heights.shape) < 0.2] = np.nan
    heights[0, :] = np.nan  # an all-void row on the edge
    grid = ElevationGrid(0.0, 0.0, 0.01, 0.01, heights)
    n_lat, n_lon = heights.shape
    for _ in range(2000):
        row_a, row_b = rng.integers(-3, n_lat + 2, 2)
        col_a, col_b = rng.integers(-3, n_lon + 2, 2)
        i0, i1 = max(min(row_a, row_b), 0), min(max(row_a, row_b) + 1, n_lat - 1)
        j0, j1 = max(min(col_a, col_b), 0), min(max(col_a, col_b) + 1, n_lon - 1)
        block = heights[i0 : i1 + 1, j0 : j1 + 1] if i1 >= i0 and j1 >= j0 else heights[:0]
        expected = max(0.0, float(np.nanmax(block, initial=0.0))) if block.size else 0.0
        assert cell_top(grid.cell_tops_m, row_a, col_a, row_b, col_b) == expected


def test_run_ground_bound_is_above_the_terrain_between_its_ends() -> None:
    grid = load_bundled()
    heights, (lat0, lon0, dlat, dlon) = grid.heights_m, grid.kernel_geometry
    origin = (lat0, lon0, 1.0 / dlat, 1.0 / dlon)
    rng = np.random.default_rng(4)
    bounded = crossing = 0
    for _ in range(3000):
        lat_a, lon_a = np.radians(rng.uniform(36.0, 42.0)), np.radians(rng.uniform(27.0, 44.0))
        step = rng.normal(0.0, 1.0, 2) * dlat * 0.1  # a stretch of about a tenth of a cell
        lat_b, lon_b = lat_a + step[0], lon_a + step[1]
        end_a, end_b = grid_position(*origin, lat_a, lon_a), grid_position(*origin, lat_b, lon_b)
        bound = run_ground_bound(heights, end_a, end_b, (1e-9, 1e-9))
        if not np.isfinite(bound):
            continue  # across two grid lines one way: no bound
        bounded += 1
        rows, cols = sorted((end_a[0], end_b[0])), sorted((end_a[1], end_b[1]))
        crossing += int(rows[1]) > int(rows[0]) or int(cols[1]) > int(cols[0])
        for f in np.linspace(0.0, 1.0, 21):
            lat, lon = lat_a + f * step[0], lon_a + f * step[1]
            assert bilinear_height(heights, origin, lat, lon) <= bound
    assert bounded > 2500
    assert crossing > 200  # across a grid line: the highest corner of the parts in each cell


def test_stretch_ceiling_is_above_the_terrain_and_cell_tops_of_a_stretch() -> None:
    """Stretches of up to ten cells, inside the grid and across its edges."""
    grid = load_bundled()
    heights, (lat0, lon0, dlat, dlon) = grid.heights_m, grid.kernel_geometry
    origin = (lat0, lon0, 1.0 / dlat, 1.0 / dlon)
    turn = 2.0 * np.pi / dlon
    rng = np.random.default_rng(5)
    for _ in range(1000):
        lat_a = np.radians(rng.uniform(29.0, 49.0))
        lon_a = np.radians(rng.uniform(17.0, 53.0))
        lat_b, lon_b = lat_a + rng.normal(0.0, 4.0 * dlat), lon_a + rng.normal(0.0, 4.0 * dlon)
        end_a = grid_position(*origin, lat_a, lon_a)
        end_b = grid_position(*origin, lat_b, lon_b)
        ceiling = stretch_ceiling(heights, grid.sample_blocks_m, turn, end_a, end_b, (1e-5, 1e-5))
        cell_a, cell_b = grid_cell(origin, lat_a, lon_a), grid_cell(origin, lat_b, lon_b)
        assert cell_top(grid.cell_tops_m, *cell_a, *cell_b) <= ceiling
        for f in np.linspace(0.0, 1.0, 41):
            lat, lon = lat_a + f * (lat_b - lat_a), lon_a + f * (lon_b - lon_a)
            assert bilinear_height(heights, origin, lat, lon) <= ceiling


def _straight_ray_m(phi: float, r1: float, r2: float, theta_e: float, radius_e: float) -> float:
    """Height of the straight ray at angle ``phi`` (module notes of line_of_sight)."""
    return r1 * r2 * np.sin(theta_e) / (r2 * np.sin(theta_e - phi) + r1 * np.sin(phi)) - radius_e


def test_ray_above_is_below_the_straight_ray_over_a_piece() -> None:
    """Against the exact polar line between the piece's ends, for flat and steep rays."""
    radius_e = 4.0 / 3.0 * 6378137.0
    rng = np.random.default_rng(6)
    for _ in range(500):
        theta_e = rng.uniform(1e-4, 0.08)
        r1, r2 = radius_e + rng.uniform(0.0, 500.0), radius_e + rng.uniform(0.0, 20000.0)
        fa = rng.uniform(0.0, 0.95)
        fb = min(fa + rng.uniform(1e-4, 0.05), 1.0)
        ray_a = _straight_ray_m(fa * theta_e, r1, r2, theta_e, radius_e)
        ray_b = _straight_ray_m(fb * theta_e, r1, r2, theta_e, radius_e)
        line = piece_ray_line(ray_a, ray_b, (fb - fa) * theta_e, radius_e)
        for t in np.linspace(0.0, 1.0, 33):
            phi = (fa + (fb - fa) * t) * theta_e
            assert ray_above(line, t, radius_e) <= _straight_ray_m(phi, r1, r2, theta_e, radius_e)


def test_serial_and_threaded_obstacle_kernels_agree(monkeypatch) -> None:
    """Small batches run the serial build; it must match the threaded one bit for bit, on
    the cubic and the exact branch alike."""
    from iadsim.geo import terrain_obstacle

    grid = load_bundled()
    rng = np.random.default_rng(12)
    n = 400
    lat1, lon1 = np.radians(rng.uniform(36.5, 41.5, n)), np.radians(rng.uniform(27.0, 43.0, n))
    lat2 = lat1 + np.radians(rng.uniform(-3.0, 3.0, n))
    lon2 = lon1 + np.radians(rng.uniform(-8.0, 8.0, n))  # beyond the cubic's limit for some
    h1 = grid.height_m(lat1, lon1, fill_m=0.0) + 20.0
    h2 = np.where(rng.random(n) < 0.5, rng.uniform(30.0, 12000.0, n), h1 + 50.0)
    serial = terrain_obstacle.dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid)
    monkeypatch.setattr(terrain_obstacle, "PARALLEL_MIN_PAIRS", 0)
    threaded = terrain_obstacle.dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid)
    for a, b in ((serial.height_m, threaded.height_m), (serial.d1_m, threaded.d1_m)):
        np.testing.assert_array_equal(a, b)
    assert (serial.height_m > 0).any() and (serial.height_m < 0).any()


def test_candidate_order_is_argsort_of_the_negated_bounds() -> None:
    """The picked pieces sorted in place, highest bound first, as ``np.argsort(-upper)``
    orders them where no two are equal; a tie is reported."""
    from iadsim.geo._obstacle_kernel import candidate_order

    rng = np.random.default_rng(13)
    for _ in range(500):
        n = int(rng.integers(1, 40))
        upper = rng.choice([-np.inf, np.inf, 0.0, -0.0, 1.5], n)
        upper = np.where(rng.random(n) < 0.7, rng.normal(0.0, 100.0, n), upper)
        threshold = rng.normal(0.0, 50.0)
        picked = np.flatnonzero(upper > threshold)
        order = np.empty(n, dtype=np.int64)
        order[: picked.size] = picked
        distinct = candidate_order(upper, order, picked.size)
        values = upper[picked]
        assert distinct == (np.unique(values).size == values.size)
        if distinct:
            np.testing.assert_array_equal(order[: picked.size], picked[np.argsort(-values)])
