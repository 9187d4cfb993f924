"""The aspect patterns' compiled formula agrees with its NumPy definition to rounding."""

import numpy as np

from iadsim.sensors._signature_kernels import pattern_kernel, pattern_reference


def test_the_pattern_kernel_matches_its_definition():
    rng = np.random.default_rng(5)
    n, n_types, n_rows, n_lobes = 400, 3, 6, 4
    az = rng.uniform(-3 * np.pi, 3 * np.pi, n)  # any sign or turn: folded
    el = rng.uniform(-1.5, 1.5, n)
    el[:3] = (0.0, np.nan, -0.0)
    az[3] = np.nan
    types = rng.integers(0, n_types, n)
    row = rng.integers(0, n_rows, n)
    tables = (
        np.array([False, True, False]),  # the second type a body of revolution
        rng.uniform(0.0, np.pi, (n_types, n_lobes)),
        rng.uniform(-1.0, 1.0, (n_types, n_lobes)),
        rng.uniform(0.0, 1e3, (n_types, n_lobes)),
        rng.uniform(0.5, 4.0, n_types),
        rng.exponential(2.0, (3, n_rows)),
        rng.exponential(3.0, (n_rows, n_lobes)),
        rng.uniform(0.0, 1e4, (n_rows, n_lobes)),
    )
    out = np.empty(n)
    pattern_kernel(az, el, types, row, *tables, out)
    expected = pattern_reference(az, el, types, row, *tables)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    assert np.isnan(out[1]) and np.isnan(out[3])
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=0.0)
    assert (out[~np.isnan(out)] > 0.0).all()
