"""The compiled synchronous-garble test agrees with its NumPy twin: replies close in range
and azimuth (across north included) garble each other, a reply never garbles itself."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.sensors._garble_kernels import garble_kernel, garble_reference
from iadsim.sensors.iff import GARBLE_RANGE_M


@pytest.mark.parametrize("seed", range(6))
def test_garble_kernel_matches_its_numpy_twin(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    range_m = rng.uniform(1e4, 6e4, n)
    range_m[1::5] = range_m[::5][: len(range_m[1::5])] + 1_000.0  # some pairs in range
    az = rng.uniform(0.0, 2.0 * np.pi, n)
    az[2::7] = np.nan  # an undefined azimuth garbles nothing
    turn = np.exp(1j * (az[:, None] - az[None, :]))
    d_az = np.arctan2(turn.imag, turn.real)
    for beamwidth in (0.01, 0.5, 7.0):
        compiled = garble_kernel(range_m, d_az, beamwidth, GARBLE_RANGE_M)
        twin = garble_reference(range_m, d_az, beamwidth, GARBLE_RANGE_M)
        np.testing.assert_array_equal(compiled, twin)
