"""The compiled flyout-table lookup against its NumPy twin and independent values."""

import numpy as np

from iadsim.weapons._envelope_kernels import bilinear_kernel, bilinear_reference, reachable_kernel

RANGES = np.array([1000.0, 2000.0, 4000.0, 8000.0])
ALTS = np.array([50.0, 500.0, 2000.0])


def _grid(rng):
    grid = rng.uniform(1.0, 100.0, (RANGES.size, ALTS.size))
    grid[3, 2] = np.nan  # an unreached corner
    return grid


def test_kernel_matches_reference_to_the_bit():
    rng = np.random.default_rng(1)
    grid = _grid(rng)
    r = np.concatenate([rng.uniform(0.0, 9000.0, 2000), RANGES, [np.nan, 8000.0]])
    h = np.concatenate([rng.uniform(-100.0, 2500.0, 2000), ALTS, [ALTS[0], 0.0], [np.nan]])[
        : r.size
    ]
    expected = bilinear_reference(grid, RANGES, ALTS, r, h)
    got = bilinear_kernel(grid, RANGES, ALTS, r, h)
    assert np.array_equal(got, expected, equal_nan=True)


def test_grid_points_and_midpoints_interpolate_linearly():
    grid = np.add.outer(RANGES / 1000.0, ALTS / 100.0)  # linear in both: exact bilinear
    r = np.array([1000.0, 1500.0, 3000.0])
    h = np.array([50.0, 275.0, 1250.0])
    got = bilinear_kernel(grid, RANGES, ALTS, r, h)
    assert np.allclose(got, r / 1000.0 + h / 100.0, rtol=0, atol=1e-12)


def test_outside_or_next_to_an_unreached_corner_is_unknown():
    grid = np.ones((RANGES.size, ALTS.size))
    grid[3, 2] = np.nan
    r = np.array([500.0, 9000.0, 7000.0, 8000.0, 3000.0])
    h = np.array([100.0, 100.0, 1500.0, 500.0, 10.0])
    got = bilinear_kernel(grid, RANGES, ALTS, r, h)
    # Below range, beyond range, cell touching the NaN corner, on an edge of weight 0 next to
    # it (known), below the lowest altitude row (that row is used).
    assert np.isnan(got[0]) and np.isnan(got[1]) and np.isnan(got[2])
    assert got[3] == 1.0 and got[4] == 1.0


def test_reachable_kernel_is_both_lookups_against_both_limits():
    rng = np.random.default_rng(2)
    tof, speed = _grid(rng), _grid(rng)
    speed[0, 1] = np.nan
    r = np.concatenate([rng.uniform(0.0, 9000.0, 2000), RANGES, [np.nan]])
    h = np.concatenate([rng.uniform(-100.0, 2500.0, 2000), ALTS, [ALTS[0], np.nan]])[: r.size]
    with np.errstate(invalid="ignore"):
        expected = (bilinear_reference(tof, RANGES, ALTS, r, h) <= 60.0) & (
            bilinear_reference(speed, RANGES, ALTS, r, h) >= 40.0
        )
    got = reachable_kernel(tof, speed, RANGES, ALTS, r, h, 60.0, 40.0)
    assert got.dtype == np.bool_ and 0 < got.sum() < got.size
    np.testing.assert_array_equal(got, expected)
