"""Numba kernels of track dwells: the cosine of each direction's angle to the nearest beam
axis, and a search-and-track look's SNR change at the targets its coverage test kept.

:func:`nearest_axis_cosine_kernel` is the compiled twin of
:func:`nearest_axis_cosine_reference`, the NumPy code of
:meth:`iadsim.sensors.track_dwells.BeamLook.off_axis_rad` between its sines and cosines
and its arccosine (those stay NumPy's: its SIMD versions would not match compiled code):
the spherical law of cosines' products and sum in NumPy's order, the greatest over the
beams (NaN kept, as ``np.maximum.reduce`` keeps it) and the clip to ``[-1, 1]``.

:func:`kept_snr_change_kernel` is the compiled twin of :func:`kept_snr_change_reference`,
the NumPy code of :meth:`iadsim.sensors.track_dwells.SearchAndTrackLook.snr_change_db`
reading the tests its :meth:`~iadsim.sensors.track_dwells.SearchAndTrackLook.covers`
kept: a binary search for each target, then the beamshape loss (a quotient, a square, a
product and a difference, in NumPy's order) and the better of the two looks (NumPy's
``maximum``, NaN kept), so the same bits (a test compares them). A multifunction radar's
look asks this once per step, where the twin's ten small NumPy calls cost far more than
the arithmetic.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "kept_snr_change_kernel",
    "kept_snr_change_reference",
    "nearest_axis_cosine_kernel",
    "nearest_axis_cosine_reference",
]


@numba.njit(cache=True)
def nearest_axis_cosine_kernel(
    sin_el, cos_el, sin_axis, cos_axis, cos_d_az
):  # pragma: no cover - numba
    """Cosine of the angle from each direction to the nearest beam axis, clipped to [-1, 1].

    Parameters
    ----------
    sin_el, cos_el : (n,) float64
        Sine and cosine of each direction's elevation.
    sin_axis, cos_axis : (k,) float64
        Those of each beam axis's elevation (``k >= 1``).
    cos_d_az : (n, k) float64
        Cosine of each direction's azimuth less each axis's.

    Returns
    -------
    (n,) float64
    """
    n, k = cos_d_az.shape
    out = np.empty(n)
    for i in range(n):
        best = -np.inf
        for j in range(k):
            cosine = sin_el[i] * sin_axis[j] + cos_el[i] * cos_axis[j] * cos_d_az[i, j]
            if np.isnan(cosine):  # np.maximum.reduce keeps a NaN
                best = cosine
                break
            if cosine > best:
                best = cosine
        if best < -1.0:  # np.minimum(np.maximum(best, -1.0), 1.0), NaN kept
            best = -1.0
        elif best > 1.0:
            best = 1.0
        out[i] = best
    return out


def nearest_axis_cosine_reference(
    sin_el: np.ndarray,
    cos_el: np.ndarray,
    sin_axis: np.ndarray,
    cos_axis: np.ndarray,
    cos_d_az: np.ndarray,
) -> np.ndarray:
    """NumPy twin of :func:`nearest_axis_cosine_kernel` (same arguments, same bits)."""
    cos_sep = sin_el[:, None] * sin_axis + cos_el[:, None] * cos_axis * cos_d_az
    nearest = np.maximum.reduce(cos_sep, axis=1)
    return np.minimum(np.maximum(nearest, -1.0), 1.0)


@numba.njit(cache=True)
def kept_snr_change_kernel(
    tested, in_search, off_axis, points, gain_db, beamwidth_rad, loss_db, out
):  # pragma: no cover - numba
    """SNR change of the better look at each of ``points``, from the kept tests.

    Parameters
    ----------
    tested : (k,) int64
        Sorted targets the coverage test looked at (``k >= 1``).
    in_search : (k,) bool
        Each of them lies in the search's share of the frame.
    off_axis : (k,) float64
        Its angle off the nearest track beam's axis, rad; empty: no track dwell this step.
    points : (n,) int64
        The targets asked for.
    gain_db, beamwidth_rad, loss_db : float
        The dwells' gain (dB), beamwidth (rad) and Gaussian two-way loss coefficient (dB).
    out : (n,) float64
        Written with the change, dB (0 in the search, ``-inf`` outside both looks).

    Returns
    -------
    bool
        False when a point is not among ``tested`` (``out`` is then partly written, and the
        caller tests the directions itself).
    """
    last = tested.size - 1
    track = off_axis.size > 0
    for i in range(points.size):
        point = points[i]
        at = np.searchsorted(tested, point)
        if at > last:  # take(mode="clip")
            at = last
        if tested[at] != point:
            return False
    for i in range(points.size):
        at = np.searchsorted(tested, points[i])
        searched = 0.0 if in_search[at] else -np.inf
        if not track:
            out[i] = searched
            continue
        ratio = off_axis[at] / beamwidth_rad
        change = gain_db - loss_db * (ratio * ratio)
        # np.maximum(change, searched): the first where it is not smaller, or NaN.
        out[i] = change if (change >= searched or np.isnan(change)) else searched
    return True


def kept_snr_change_reference(
    tested: np.ndarray,
    in_search: np.ndarray,
    off_axis: np.ndarray,
    points: np.ndarray,
    gain_db: float,
    beamwidth_rad: float,
    loss_db: float,
) -> np.ndarray | None:
    """NumPy twin of :func:`kept_snr_change_kernel`: the change ``(n,)`` dB, or None when a
    point is not among ``tested``."""
    at = tested.searchsorted(points)
    if not np.equal(tested.take(at, mode="clip"), points).all():
        return None
    searched = np.where(in_search[at], 0.0, -np.inf)
    if off_axis.size == 0:
        return searched
    ratio = off_axis[at] / beamwidth_rad
    return np.maximum(gain_db - loss_db * ratio**2, searched)
