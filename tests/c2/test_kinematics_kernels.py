"""The compiled closest approach agrees to the bit with :func:`core.kinematics.closest_approach`,
for contiguous and strided track arrays (a picture's states are read as column slices)."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2._kinematics_kernels import closest_approach_kernel
from iadsim.core.kinematics import closest_approach


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 31, 2000])
@pytest.mark.parametrize("k", [1, 2, 5])
def test_compiled_closest_approach_matches_the_numpy_twin(seed, n, k):
    rng = np.random.default_rng(seed)
    state = rng.normal(size=(n, 6)) * np.array([1e5, 1e5, 1e4, 300.0, 300.0, 50.0])
    state[::4, 3:] = 0.0  # stationary tracks: the speed's lower bound
    state[1::5, 3:] *= 1e-7
    pos, vel = state[:, :3], state[:, 3:6]
    assets = rng.normal(size=(k, 3)) * 1e5
    cpa, time = closest_approach_kernel(pos, vel, assets)
    twin_cpa, twin_time = closest_approach(pos, vel, assets)
    np.testing.assert_array_equal(cpa, twin_cpa)
    np.testing.assert_array_equal(time, twin_time)
    # To the sign of zero (a stationary track's time is -0 where NumPy's is).
    np.testing.assert_array_equal(np.signbit(time), np.signbit(twin_time))
    np.testing.assert_array_equal(np.signbit(cpa), np.signbit(twin_cpa))
