"""Numba kernels of the radar coverage test, reading the radars' stacked view constants.

Every kernel takes the ``(k, 21)`` table of the ``k`` radars'
:attr:`~iadsim.sensors.radar.Radar._view_constants` as it is (no slices to make per
call): antenna position (ECEF, m) in columns 0-2, the ECEF to ENU rotation (row-major) in
3-11, range (m) and elevation (rad) limits in 12-15, the sector's start, extent (rad) and
restriction flag in 16-18, the effective-earth radius (m) and the antenna's share of the
horizon (rad) in 19-20.

* :func:`view_geometry_kernel` - each point in each radar's ENU frame, with its horizontal
  and slant range; twin :func:`view_geometry_reference` (:func:`iadsim.geo.frames.ecef_to_enu`
  and the ``hypot`` of :func:`iadsim.geo.frames.enu_to_aer`).
* :func:`view_kernel` - azimuth folded to ``[0, 2 pi)``, the ``(k, n, 3)`` azimuth,
  elevation and range table, and the range, elevation and azimuth interval tests of
  :meth:`iadsim.sensors.radar.Radar.in_coverage`; twin :func:`view_reference`.
* :func:`horizon_ratio_kernel`, then NumPy's arccos, then :func:`horizon_kernel` - the
  smooth-earth horizon test of the points still in view; twin :func:`horizon_reference`.

The kernels hold only additions, products, divisions, comparisons and the C library's
``hypot`` and ``fmod`` (which NumPy calls too), in NumPy's order (``np.einsum``'s
included), so they agree with their twins to the bit (the tests compare them); the
arctangents and the horizon's arccos stay in NumPy, whose SIMD versions compiled code
would not match.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo.frames import ecef_to_enu
from iadsim.sensors._kernels import _contains, _remainder
from iadsim.sensors.scan_pattern import _ANGLE_TOLERANCE_RAD, TWO_PI

__all__ = [
    "horizon_kernel",
    "horizon_ratio_kernel",
    "horizon_reference",
    "view_geometry_kernel",
    "view_geometry_reference",
    "view_kernel",
    "view_reference",
]


@numba.njit(cache=True)
def view_geometry_kernel(points_ecef_m, constants):  # pragma: no cover - numba
    """East, north, up, horizontal and slant range of every point from every radar.

    Parameters
    ----------
    points_ecef_m : (n, 3) float64
    constants : (k, 21) float64
        The radars' view constants (module doc): antenna position and ENU rotation read.

    Returns
    -------
    (5, k, n) float64
        East, north, up, ``hypot(east, north)`` and ``hypot(horizontal, up)``, m.
    """
    k = constants.shape[0]
    n = points_ecef_m.shape[0]
    out = np.empty((5, k, n))
    for r in range(k):
        for i in range(n):
            dx = points_ecef_m[i, 0] - constants[r, 0]
            dy = points_ecef_m[i, 1] - constants[r, 1]
            dz = points_ecef_m[i, 2] - constants[r, 2]
            # np.einsum("...ij,...j->...i") sums the terms as (x + z) + y.
            for axis in range(3):
                row = 3 + 3 * axis
                out[axis, r, i] = (constants[r, row] * dx + constants[r, row + 2] * dz) + (
                    constants[r, row + 1] * dy
                )
            horizontal = math.hypot(out[0, r, i], out[1, r, i])
            out[3, r, i] = horizontal
            out[4, r, i] = math.hypot(horizontal, out[2, r, i])
    return out


def view_geometry_reference(points_ecef_m: np.ndarray, constants: np.ndarray) -> np.ndarray:
    """NumPy twin of :func:`view_geometry_kernel`."""
    origins = constants[:, None, :3]
    rotations = constants[:, None, 3:12].reshape(-1, 1, 3, 3)
    enu = ecef_to_enu(points_ecef_m, origins, rotations)
    east, north, up = enu[..., 0], enu[..., 1], enu[..., 2]
    horizontal = np.hypot(east, north)
    return np.stack([east, north, up, horizontal, np.hypot(horizontal, up)])


@numba.njit(cache=True)
def view_kernel(  # pragma: no cover - numba
    bearing_rad, el_rad, geometry, present, constants, looks, aer, visible
):
    """Each pair's azimuth (in ``[0, 2 pi)``), elevation and range into ``aer``, and
    whether each target is in each radar's view into ``visible``; the number of visible
    pairs.

    Parameters
    ----------
    bearing_rad : (k, n) float64
        ``arctan2(east, north)``, in ``[-pi, pi]``.
    el_rad : (k, n) float64
    geometry : (5, k, n) float64
        :func:`view_geometry_kernel`'s result (its last row, the slant range, read).
    present : (n,) bool
    constants : (k, 21) float64
        The radars' view constants (module doc): volume limits and sector read.
    looks : (k, 3) float64
        Start and extent (rad) of each radar's look, and 1.0 where it restricts azimuth
        (an azimuth interval narrower than the circle), else 0.0.
    aer : (k, n, 3) float64
        Out: the azimuth as :func:`iadsim.geo.frames.enu_to_aer` gives it, the elevation
        and the slant range.
    visible : (k, n) bool
        Out: present, inside the range and elevation limits and every restricting interval
        (the tests of :meth:`iadsim.sensors.scan_pattern.AzimuthInterval.contains`).

    Returns
    -------
    int
        Number of visible pairs (a returned count costs no array conversion).
    """
    k, n = bearing_rad.shape
    count = 0
    for r in range(k):
        for i in range(n):
            a = _remainder(bearing_rad[r, i], TWO_PI)
            if a >= TWO_PI:  # mod of a tiny negative angle rounds to 2 pi
                a = 0.0
            el = el_rad[r, i]
            range_m = geometry[4, r, i]
            aer[r, i, 0] = a
            aer[r, i, 1] = el
            aer[r, i, 2] = range_m
            seen = (
                present[i]
                and range_m >= constants[r, 12]
                and range_m <= constants[r, 13]
                and el >= constants[r, 14]
                and el <= constants[r, 15]
            )
            if seen and constants[r, 18] != 0.0:
                seen = _contains(constants[r, 16], constants[r, 17], a)
            if seen and looks[r, 2] != 0.0:
                seen = _contains(looks[r, 0], looks[r, 1], a)
            visible[r, i] = seen
            count += seen
    return count


def view_reference(
    bearing_rad: np.ndarray,
    el_rad: np.ndarray,
    geometry: np.ndarray,
    present: np.ndarray,
    constants: np.ndarray,
    looks: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`view_kernel`: ``aer`` and ``visible``."""
    az = np.mod(bearing_rad, TWO_PI)
    az = np.where(az >= TWO_PI, 0.0, az)
    range_m = geometry[4]
    low_range, high_range, low_el, high_el = (constants[:, j, None] for j in range(12, 16))
    visible = present & (range_m >= low_range) & (range_m <= high_range)
    visible &= (el_rad >= low_el) & (el_rad <= high_el)
    for interval in (constants[:, 16:19], looks):
        start, extent, applies = (interval[:, j, None] for j in range(3))
        offset = np.mod(az - start + _ANGLE_TOLERANCE_RAD, TWO_PI)
        visible &= (offset <= extent + 2.0 * _ANGLE_TOLERANCE_RAD) | (applies == 0.0)
    return np.stack([az, el_rad, range_m], axis=-1), visible


@numba.njit(cache=True)
def horizon_ratio_kernel(alt_m, constants, ratio):  # pragma: no cover - numba
    """``radius / (radius + max(alt, 0))`` of every point for every radar's effective-earth
    radius (column 19 of ``constants`` (k, 21)), into ``ratio`` (k, n) float64: the cosine
    of the points' share of the horizon, whose arccos NumPy takes. ``alt_m`` (n,) float64,
    m. (Written into the caller's array: a returned array would cost a Python-level call
    to box it.)"""
    k = constants.shape[0]
    n = alt_m.shape[0]
    for r in range(k):
        radius_m = constants[r, 19]
        for i in range(n):
            height = alt_m[i]
            if height < 0.0:  # np.maximum(alt, 0.0): NaN stays NaN
                height = 0.0
            ratio[r, i] = radius_m / (radius_m + height)


@numba.njit(cache=True)
def horizon_kernel(visible, geometry, constants, target_angle_rad):  # pragma: no cover - numba
    """Clear in ``visible`` (k, n) the points beyond each radar's smooth-earth horizon, in
    place.

    The test ``range <= radius (antenna_angle + target_angle)`` of
    :meth:`iadsim.sensors.radar.Radar.horizon_range_m`, element by element and only where
    a point is still visible; twin :func:`horizon_reference`.

    Parameters
    ----------
    visible : (k, n) bool
    geometry : (5, k, n) float64
        :func:`view_geometry_kernel`'s result (its last row, the slant range, read).
    constants : (k, 21) float64
        The radars' view constants (module doc): radius and antenna angle read.
    target_angle_rad : (k, n) float64
        ``arccos`` of :func:`horizon_ratio_kernel`, computed by NumPy.
    """
    k, n = visible.shape
    for r in range(k):
        radius_m = constants[r, 19]
        antenna = constants[r, 20]
        for i in range(n):
            if visible[r, i]:
                visible[r, i] = geometry[4, r, i] <= radius_m * (antenna + target_angle_rad[r, i])


def horizon_reference(
    visible: np.ndarray, geometry: np.ndarray, constants: np.ndarray, alt_m: np.ndarray
) -> None:
    """NumPy twin of the three horizon steps (ratio, arccos, test), in place."""
    for row in range(len(constants)):
        radius_m, antenna = constants[row, 19], constants[row, 20]
        angle = np.arccos(radius_m / (radius_m + np.maximum(alt_m, 0.0)))
        visible[row] &= geometry[4, row] <= radius_m * (antenna + angle)
