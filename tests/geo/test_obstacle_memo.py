"""The obstacle memo gives obstacle_columns' bits, whether a path is new or seen before."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.geo.obstacle_memo import ObstacleMemo
from iadsim.geo.terrain import load_bundled
from iadsim.geo.terrain_obstacle import obstacle_columns


def random_pairs(rng, grid, n):
    """``(6, n)`` radar-target pairs over central Anatolia and their ``(n,)`` wavelengths."""
    lat1, lon1 = np.radians(rng.uniform(38, 41, n)), np.radians(rng.uniform(31, 35, n))
    lat2 = lat1 + np.radians(rng.uniform(-1.5, 1.5, n))
    lon2 = lon1 + np.radians(rng.uniform(-1.5, 1.5, n))
    h1 = grid.surface_height_m(lat1, lon1) + 25.0
    h2 = grid.surface_height_m(lat2, lon2) + rng.uniform(30.0, 3000.0, n)
    pairs = np.ascontiguousarray(np.stack([lat1, lon1, h1, lat2, lon2, h2]))
    return pairs, rng.choice([0.03, 0.1, np.inf], n)


@pytest.mark.parametrize("max_paths", [10_000, 25])
def test_batches_of_new_and_repeated_paths_give_the_kernel_bits(max_paths):
    """Batches drawn from a small pool of paths (repeats within and across batches,
    a memo that fills and starts afresh), each against a direct call."""
    grid = load_bundled()
    rng = np.random.default_rng(21)
    pool, pool_wavelengths = random_pairs(rng, grid, 60)
    memo = ObstacleMemo(max_paths=max_paths)
    for size in [5, 12, 1, 20, 20, 7, 30, 3]:
        pick = rng.integers(0, 60, size)
        pairs, wavelength_m = np.ascontiguousarray(pool[:, pick]), pool_wavelengths[pick]
        got = memo.columns(pairs, grid, 4.0 / 3.0, wavelength_m)
        expected = obstacle_columns(pairs, grid, 4.0 / 3.0, wavelength_m)
        assert got.shape == (3, size)
        assert got.flags.c_contiguous
        assert got.tobytes() == expected.tobytes()


def test_the_k_factor_and_wavelength_are_part_of_a_paths_identity():
    grid = load_bundled()
    pairs, _ = random_pairs(np.random.default_rng(4), grid, 30)
    memo = ObstacleMemo()
    for k_factor in (4.0 / 3.0, 1.0, 4.0 / 3.0):
        for wavelength in (0.03, np.inf, 0.03):
            wavelength_m = np.full(30, wavelength)
            got = memo.columns(pairs, grid, k_factor, wavelength_m)
            expected = obstacle_columns(pairs, grid, k_factor, wavelength_m)
            assert got.tobytes() == expected.tobytes()


def test_a_memo_past_its_first_capacity_keeps_every_result():
    """More paths than the memo's first 1024 columns, then all of them again."""
    grid = load_bundled()
    pairs, wavelength_m = random_pairs(np.random.default_rng(9), grid, 1500)
    expected = obstacle_columns(pairs, grid, 4.0 / 3.0, wavelength_m)
    memo = ObstacleMemo()
    for start, stop in [(0, 700), (600, 1500), (0, 1500)]:
        got = memo.columns(
            np.ascontiguousarray(pairs[:, start:stop]), grid, 4.0 / 3.0, wavelength_m[start:stop]
        )
        assert got.tobytes() == expected[:, start:stop].tobytes()
