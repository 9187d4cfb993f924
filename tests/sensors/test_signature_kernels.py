"""The aspect patterns' compiled arithmetic agrees with its NumPy twins bit for bit."""

import numpy as np

from iadsim.sensors._signature_kernels import (
    lobe_exponent_kernel,
    lobe_exponent_reference,
    pattern_rcs_kernel,
    pattern_rcs_reference,
)


def test_the_lobe_exponent_kernel_matches_its_twin():
    rng = np.random.default_rng(5)
    n, n_types, n_rows, n_lobes = 40, 3, 6, 4
    az = rng.uniform(0.0, np.pi, n)
    el = rng.uniform(-1.5, 1.5, n)
    el[:3] = (0.0, np.nan, -0.0)
    types = rng.integers(0, n_types, n)
    row = rng.integers(0, n_rows, n)
    tables = (
        rng.uniform(0.0, np.pi, (n_types, n_lobes)),
        rng.uniform(-1.0, 1.0, (n_types, n_lobes)),
        rng.uniform(0.0, 1e3, (n_types, n_lobes)),
        rng.uniform(0.0, 1e4, (n_rows, n_lobes)),
    )
    out = np.empty((n, n_lobes))
    lobe_exponent_kernel(az, el, types, row, *tables, out)
    np.testing.assert_array_equal(out, lobe_exponent_reference(az, el, types, row, *tables))


def test_the_pattern_rcs_kernel_matches_its_twin():
    rng = np.random.default_rng(6)
    n, n_rows = 40, 6
    lobe_sum = rng.exponential(3.0, n)
    weight = rng.uniform(0.0, 1.0, n)
    el = rng.uniform(-1.5, 1.5, n)
    el[:3] = (0.0, np.nan, -0.0)
    row = rng.integers(0, n_rows, n)
    tables = tuple(rng.exponential(2.0, n_rows) for _ in range(3))
    out = np.empty(n)
    pattern_rcs_kernel(lobe_sum, weight, el, row, *tables, out)
    expected = pattern_rcs_reference(lobe_sum, weight, el, row, *tables)
    np.testing.assert_array_equal(out, expected)
