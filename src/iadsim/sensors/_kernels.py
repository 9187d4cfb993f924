"""Numba kernels of the radar coverage test, twins of the NumPy geometry they replace.

* :func:`local_geometry_kernel` - each point in each radar's ENU frame, with its horizontal
  and slant range; twin :func:`local_geometry_reference` (:func:`iadsim.geo.frames.ecef_to_enu`
  and the ``hypot`` of :func:`iadsim.geo.frames.enu_to_aer`).
* :func:`view_kernel` - azimuth folded to ``[0, 2 pi)`` and the range, elevation and azimuth
  interval tests of :meth:`iadsim.sensors.radar.Radar.in_coverage`; twin
  :func:`view_reference`.

Each radar looks at a few dozen targets or tracks every step, where the per-call cost of
some forty small NumPy operations dominated the arithmetic. The kernels hold only
additions, products, ``hypot`` and ``fmod`` (exactly rounded in the C library as in NumPy),
in NumPy's order, so they agree with their twins to the bit (the tests compare them); the
arctangents and the horizon's arccos stay in NumPy, whose SIMD versions the compiled code
would not match.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo.frames import ecef_to_enu
from iadsim.sensors.scan_pattern import _ANGLE_TOLERANCE_RAD, TWO_PI

__all__ = [
    "local_geometry_kernel",
    "local_geometry_reference",
    "view_kernel",
    "view_reference",
]


@numba.njit(cache=True)
def local_geometry_kernel(points_ecef_m, origins_ecef_m, rotations):  # pragma: no cover - numba
    """East, north, up, horizontal and slant range of every point from every origin.

    Parameters
    ----------
    points_ecef_m : (n, 3) float64
    origins_ecef_m : (k, 3) float64
    rotations : (k, 3, 3) float64
        ECEF to ENU at each origin (:func:`iadsim.geo.frames.enu_rotation`).

    Returns
    -------
    (5, k, n) float64
        East, north, up, ``hypot(east, north)`` and ``hypot(horizontal, up)``, m.
    """
    k = origins_ecef_m.shape[0]
    n = points_ecef_m.shape[0]
    out = np.empty((5, k, n))
    for r in range(k):
        rotation = rotations[r]
        for i in range(n):
            dx = points_ecef_m[i, 0] - origins_ecef_m[r, 0]
            dy = points_ecef_m[i, 1] - origins_ecef_m[r, 1]
            dz = points_ecef_m[i, 2] - origins_ecef_m[r, 2]
            # np.einsum("...ij,...j->...i") sums the terms as (x + z) + y.
            for axis in range(3):
                out[axis, r, i] = (rotation[axis, 0] * dx + rotation[axis, 2] * dz) + (
                    rotation[axis, 1] * dy
                )
            horizontal = math.hypot(out[0, r, i], out[1, r, i])
            out[3, r, i] = horizontal
            out[4, r, i] = math.hypot(horizontal, out[2, r, i])
    return out


def local_geometry_reference(
    points_ecef_m: np.ndarray, origins_ecef_m: np.ndarray, rotations: np.ndarray
) -> np.ndarray:
    """NumPy twin of :func:`local_geometry_kernel`."""
    enu = ecef_to_enu(points_ecef_m, origins_ecef_m[:, None, :], rotations[:, None, :, :])
    east, north, up = enu[..., 0], enu[..., 1], enu[..., 2]
    horizontal = np.hypot(east, north)
    return np.stack([east, north, up, horizontal, np.hypot(horizontal, up)])


@numba.njit(cache=True, inline="always")
def _remainder(a, b):  # pragma: no cover - numba
    """``np.mod(a, b)`` of floats (NumPy's ``npy_divmod``): the sign of ``b``."""
    mod = np.fmod(a, b)
    if mod != 0.0:
        if (b < 0.0) != (mod < 0.0):
            mod += b
    else:
        mod = math.copysign(0.0, b)
    return mod


@numba.njit(cache=True)
def view_kernel(bearing_rad, el_rad, range_m, present, limits, intervals, applies):
    # pragma: no cover - numba
    """Azimuths in ``[0, 2 pi)`` and whether each target is in each radar's view.

    Parameters
    ----------
    bearing_rad : (k, n) float64
        ``arctan2(east, north)``, in ``[-pi, pi]``.
    el_rad, range_m : (k, n) float64
    present : (n,) bool
    limits : (k, 4) float64
        Minimum and maximum range (m) and elevation (rad) of each radar.
    intervals : (k, 2, 2) float64
        Start and extent (rad) of each radar's sector and of its look.
    applies : (k, 2) bool
        Whether each interval restricts azimuth (not None, not the full circle).

    Returns
    -------
    az_rad : (k, n) float64
        As :func:`iadsim.geo.frames.enu_to_aer` gives it.
    visible : (k, n) bool
        Present, inside the range and elevation limits and every applying interval (the
        tests of :meth:`iadsim.sensors.scan_pattern.AzimuthInterval.contains`).
    """
    k, n = bearing_rad.shape
    az = np.empty((k, n))
    visible = np.empty((k, n), dtype=np.bool_)
    for r in range(k):
        for i in range(n):
            a = _remainder(bearing_rad[r, i], TWO_PI)
            if a >= TWO_PI:  # mod of a tiny negative angle rounds to 2 pi
                a = 0.0
            az[r, i] = a
            seen = (
                present[i]
                and range_m[r, i] >= limits[r, 0]
                and range_m[r, i] <= limits[r, 1]
                and el_rad[r, i] >= limits[r, 2]
                and el_rad[r, i] <= limits[r, 3]
            )
            for j in range(2):
                if seen and applies[r, j]:
                    start, extent = intervals[r, j, 0], intervals[r, j, 1]
                    offset = _remainder(a - start + _ANGLE_TOLERANCE_RAD, TWO_PI)
                    seen = offset <= extent + 2.0 * _ANGLE_TOLERANCE_RAD
            visible[r, i] = seen
    return az, visible


def view_reference(
    bearing_rad: np.ndarray,
    el_rad: np.ndarray,
    range_m: np.ndarray,
    present: np.ndarray,
    limits: np.ndarray,
    intervals: np.ndarray,
    applies: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`view_kernel`."""
    az = np.mod(bearing_rad, TWO_PI)
    az = np.where(az >= TWO_PI, 0.0, az)
    low_range, high_range, low_el, high_el = (limits[:, j, None] for j in range(4))
    visible = present & (range_m >= low_range) & (range_m <= high_range)
    visible &= (el_rad >= low_el) & (el_rad <= high_el)
    for j in range(2):
        start, extent = intervals[:, j, 0, None], intervals[:, j, 1, None]
        offset = np.mod(az - start + _ANGLE_TOLERANCE_RAD, TWO_PI)
        inside = offset <= extent + 2.0 * _ANGLE_TOLERANCE_RAD
        visible &= inside | ~applies[:, j, None]
    return az, visible
