"""The compiled sigmas of tracks seen from an interrogator agree to the bit with their
NumPy twin, on contiguous covariances and on the (n, 3, 3) corner of (n, 6, 6) ones."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture._iff_kernels import seen_sigmas_kernel, seen_sigmas_reference
from iadsim.geo.frames import enu_rotation, enu_to_aer


@pytest.mark.parametrize("seed", range(4))
def test_seen_sigmas_kernel_matches_its_numpy_twin_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n = 300
    enu = rng.normal(0.0, 1e5, size=(n, 3))
    enu[::13, :2] = rng.normal(0.0, 0.3, size=(len(enu[::13]), 2))  # overhead: h^2 < 1
    enu[::17] = 0.0  # at the antenna: slant < 1
    _, _, slant = enu_to_aer(enu)
    rotation = enu_rotation(rng.uniform(-1.0, 1.0), rng.uniform(-3.0, 3.0))
    root = rng.normal(0.0, 300.0, size=(n, 6, 6))
    cov6 = root @ root.transpose(0, 2, 1)
    for cov in (cov6[:, :3, :3], np.ascontiguousarray(cov6[:, :3, :3])):
        compiled = seen_sigmas_kernel(enu, slant, rotation, cov)
        twin = seen_sigmas_reference(enu, slant, rotation, cov)
        for a, b in zip(compiled, twin, strict=True):
            assert a.tobytes() == b.tobytes()
