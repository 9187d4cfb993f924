"""The compiled terrain reading against its NumPy twin."""

import numpy as np

from iadsim.geo._terrain_kernels import height_kernel, height_reference

rad = np.radians


def _points(rng, n):
    # Inside, outside on every side, across the 2*pi wrap, on the edge samples.
    lat = np.concatenate([rng.uniform(rad(30.0), rad(42.0), n), rad([36.0, 37.95, 36.0, 36.0])])
    lon = np.concatenate(
        [rng.uniform(rad(-340.0), rad(40.0), n), rad([30.0, 35.52, 30.0 - 360.0, 35.52 + 720.0])]
    )
    return lat, lon


def test_kernel_matches_reference_to_the_bit_for_float_and_int_grids():
    rng = np.random.default_rng(3)
    lat, lon = _points(rng, 3000)
    for dtype in (np.float32, np.int16):
        heights = rng.uniform(-50.0, 3000.0, size=(40, 70)).astype(dtype)
        if dtype is np.float32:
            heights[5, 7] = np.nan  # a void
        args = (heights, rad(36.0), rad(30.0), rad(0.05), rad(0.08))
        for fill in (0.0, np.nan):
            expected = height_reference(*args, lat, lon, fill)
            got = height_kernel(*args, lat, lon, fill)
            assert np.array_equal(got, expected, equal_nan=True)


def test_a_point_a_turn_away_reads_the_same_height():
    heights = np.arange(12.0).reshape(3, 4)
    args = (heights, 0.0, 0.0, 0.1, 0.1)
    lat, lon = np.array([0.15, 0.15]), np.array([0.05, 0.05 + 2 * np.pi])
    got = height_kernel(*args, lat, lon, np.nan)
    # Row 1.5, column 0.5: mean of samples (1,0), (1,1), (2,0), (2,1) = (4 + 5 + 8 + 9) / 4.
    assert np.allclose(got, 6.5, rtol=0, atol=1e-9)
