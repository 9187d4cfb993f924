"""The compiled track-dwell kernels agree to the bit with their NumPy twins: the cosine to
the nearest beam axis (NaN kept, clipped to [-1, 1]), and the SNR change of a
search-and-track look at the targets its coverage test kept, with and without track
dwells (both refuse a target the test did not keep)."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.sensors._track_dwell_kernels import (
    kept_snr_change_kernel,
    kept_snr_change_reference,
    nearest_axis_cosine_kernel,
    nearest_axis_cosine_reference,
)
from iadsim.sensors.track_dwells import GAUSSIAN_TWO_WAY_DB


def _kept(rng, k):
    tested = np.sort(rng.choice(500, size=k, replace=False)).astype(np.int64)
    in_search = rng.random(k) < 0.5
    off_axis = rng.uniform(0.0, 0.2, k)
    off_axis[::7] = np.nan  # an undefined angle stays NaN, as np.maximum keeps it
    return tested, in_search, off_axis


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("dwells", [True, False])
def test_kept_snr_change_kernel_matches_its_numpy_twin_bit_for_bit(seed, dwells):
    rng = np.random.default_rng(seed)
    tested, in_search, off_axis = _kept(rng, 40)
    if not dwells:
        off_axis = np.empty(0)
    points = np.sort(rng.choice(tested, size=25, replace=False))
    out = np.empty(points.size)
    args = (tested, in_search, off_axis, points, 3.7, 0.021, GAUSSIAN_TWO_WAY_DB)
    assert kept_snr_change_kernel(*args, out)
    twin = kept_snr_change_reference(*args)
    assert twin is not None
    assert out.tobytes() == twin.tobytes()


@pytest.mark.parametrize("stranger", [-1, 250, 10_000])
def test_a_target_the_coverage_test_did_not_keep_is_refused(stranger):
    tested, in_search, off_axis = _kept(np.random.default_rng(0), 40)
    stranger = stranger if stranger not in tested else 499 + 1
    points = np.sort(np.append(tested[:5], stranger)).astype(np.int64)
    args = (tested, in_search, off_axis, points, 3.7, 0.021, GAUSSIAN_TWO_WAY_DB)
    assert not kept_snr_change_kernel(*args, np.empty(points.size))
    assert kept_snr_change_reference(*args) is None


@pytest.mark.parametrize("seed", range(4))
def test_nearest_axis_cosine_kernel_matches_its_numpy_twin_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n, k = 60, int(rng.integers(1, 9))
    el, axis_el = rng.uniform(-0.2, 1.5, n), rng.uniform(0.0, 1.2, k)
    d_az = rng.uniform(-np.pi, np.pi, (n, k))
    d_az[::9] = 0.0  # on an axis: the cosine may round past 1 and is clipped
    el[::9] = np.repeat(axis_el[:1], len(el[::9]))
    el[5] = np.nan  # an undefined direction stays NaN
    args = (np.sin(el), np.cos(el), np.sin(axis_el), np.cos(axis_el), np.cos(d_az))
    compiled = nearest_axis_cosine_kernel(*args)
    twin = nearest_axis_cosine_reference(*args)
    assert compiled.tobytes() == twin.tobytes()
