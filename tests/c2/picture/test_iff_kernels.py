"""The compiled sigmas of tracks seen from an interrogator agree to the bit with their
NumPy twin, on contiguous covariances and on the (n, 3, 3) corner of (n, 6, 6) ones; so
does the compiled normalised distance of replies to tracks, altitudes reported or not."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture._iff_kernels import (
    normalised_distance_kernel,
    normalised_distance_reference,
    seen_sigmas_kernel,
    seen_sigmas_reference,
)
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


def _rows(rng, n):
    """Range, its sigma, the azimuth's sigma, altitude and its sigma of ``n`` points, some
    without an altitude (NaN, as a reply of a mode that reports none)."""
    rows = np.array(
        [
            rng.uniform(1e3, 4e5, n),
            rng.uniform(10.0, 500.0, n),
            rng.uniform(1e-4, 1e-2, n),
            rng.uniform(0.0, 15e3, n),
            rng.uniform(5.0, 200.0, n),
        ]
    )
    rows[3:, ::3] = np.nan
    return rows


@pytest.mark.parametrize("seed", range(4))
def test_normalised_distance_kernel_matches_its_numpy_twin_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    replies, tracks = _rows(rng, 23), _rows(rng, 17)
    tracks[4, 5] = np.nan  # a track altitude without a sigma
    turn = np.exp(1j * rng.uniform(-np.pi, np.pi, size=(23, 17)))
    d_az = np.arctan2(turn.imag, turn.real)
    compiled = normalised_distance_kernel(d_az, replies, tracks)
    twin = normalised_distance_reference(d_az, replies, tracks)
    assert compiled.tobytes() == twin.tobytes()
    assert normalised_distance_kernel(d_az[:0], replies[:, :0], tracks).shape == (0, 17)
