"""Route playback: blocks of steps computed together give, bit for bit, what the route table
and terrain following give one step at a time (the old per-step path of the engine)."""

from __future__ import annotations

import numpy as np

from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.playback import RoutePlayback
from iadsim.motion.terrain_following import follow_terrain
from iadsim.motion.waypoints import RouteTable

ROUTES = [
    np.array([[39.1, 32.1, 300.0, 250.0], [39.4, 32.5, 150.0, 200.0], [39.2, 32.4, 90.0, 220.0]]),
    np.array([[39.5, 32.0, 9_000.0, 230.0], [39.0, 32.6, 11_000.0, 260.0]]),
    np.array([[39.3, 32.2, 120.0, 180.0], [39.31, 32.21, 120.0, 180.0]]),
]
STARTS = np.array([0.0, 35.5, 12.0])
AGL = np.array([True, False, True])


def bumpy_grid() -> ElevationGrid:
    rng = np.random.default_rng(3)
    heights = rng.uniform(-50.0, 1_500.0, (80, 80)).astype(np.float32)
    return ElevationGrid(
        np.radians(38.9), np.radians(31.9), np.radians(0.01), np.radians(0.01), heights
    )


def step_by_step(table: RouteTable, grid: ElevationGrid, t_s: float):
    pos, vel, lla, flying = table.state(t_s)
    agl = np.flatnonzero(AGL)
    pos[agl], vel[agl], lla[agl] = follow_terrain(lla[agl], vel[agl], grid)
    return pos, vel, lla, flying


def test_blocks_match_single_steps_bit_for_bit():
    table = RouteTable.from_routes(ROUTES, STARTS)
    grid = bumpy_grid()
    playback = RoutePlayback(table, AGL, grid, block_steps=7)
    t_s, dt_s = 0.0, 0.7
    for _ in range(40):  # several blocks, past the end of every route
        for got, want in zip(
            playback.state(t_s, dt_s), step_by_step(table, grid, t_s), strict=True
        ):
            np.testing.assert_array_equal(got, want)
        t_s = t_s + dt_s


def test_a_time_off_the_block_starts_a_new_block():
    table = RouteTable.from_routes(ROUTES, STARTS)
    grid = bumpy_grid()
    playback = RoutePlayback(table, AGL, grid, block_steps=5)
    playback.state(0.0, 1.0)
    for t_s in (2.5, 1.0, 60.25):
        for got, want in zip(playback.state(t_s, 1.0), step_by_step(table, grid, t_s), strict=True):
            np.testing.assert_array_equal(got, want)
