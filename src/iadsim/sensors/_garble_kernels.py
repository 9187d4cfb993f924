"""Numba kernel of synchronous garble: which replies overlap another of the same mode.

:func:`garble_kernel` is the compiled twin of :func:`garble_reference`, the NumPy code of
:func:`iadsim.sensors.iff.garbled` after the azimuth differences (NumPy's SIMD ``exp``
and ``arctan2`` stay NumPy's): range differences, absolute values and comparisons only, so
the same result (a test compares them). A scan garbles a few replies at a time, where the
twin's eight small NumPy calls cost far more than the comparisons.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["garble_kernel", "garble_reference"]


@numba.njit(cache=True)
def garble_kernel(range_m, d_az, beamwidth_rad, garble_range_m):  # pragma: no cover - numba
    """Whether each reply overlaps another.

    Parameters
    ----------
    range_m : (n,) float64
        Slant range of each reply, m.
    d_az : (n, n) float64
        Azimuth of each reply less each other's, wrapped to ``[-pi, pi]``, rad.
    beamwidth_rad, garble_range_m : float

    Returns
    -------
    (n,) bool
    """
    n = range_m.size
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        for j in range(n):
            if (
                j != i
                and abs(range_m[i] - range_m[j]) < garble_range_m
                and abs(d_az[i, j]) < beamwidth_rad
            ):
                out[i] = True
                break
    return out


def garble_reference(
    range_m: np.ndarray, d_az: np.ndarray, beamwidth_rad: float, garble_range_m: float
) -> np.ndarray:
    """NumPy twin of :func:`garble_kernel` (same arguments, same result)."""
    overlap = (np.abs(range_m[:, None] - range_m[None, :]) < garble_range_m) & (
        np.abs(d_az) < beamwidth_rad
    )
    np.fill_diagonal(overlap, False)
    return overlap.any(axis=1)
