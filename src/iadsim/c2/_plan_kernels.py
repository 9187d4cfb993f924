"""Numba kernel of the intercept flight-time search of planning (see
:meth:`iadsim.c2.engagement.Envelopes.limits`).

:func:`first_root_into_kernel` (into a caller's array; :func:`first_root_kernel` into a new
one) finds, for every track, the earliest root of
``g(t) = tof(aim(t)) - t`` on the sampled flight times of one interceptor type, where
``aim(t)`` is the track extrapolated at constant velocity and ``tof`` the type's flyout table
(:class:`iadsim.weapons.envelope.EnvelopeTable`, looked up with the same compiled bilinear
interpolation, :func:`iadsim.weapons._envelope_kernels.bilinear_kernel`). The arithmetic is
that of the NumPy path :meth:`~iadsim.c2.engagement.Envelopes._table_flight_times_reference`,
term by term and in the same order, so the two agree to the bit (the tests compare them): a
decision runs the search for every engageable track and type, and the NumPy path spends its
time in a dozen small array calls on ``(n, 85)`` arrays rather than in the arithmetic.

:func:`type_limits_into_kernel` runs that search and the rest of
:meth:`~iadsim.c2.engagement.Envelopes.limits` for one interceptor type (intercept point,
ground range and altitude, terrain under the point, envelope tests) in one call, with the
same arithmetic as the NumPy path, so the same limits, flight times and intercept points.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_stacked_kernel
from iadsim.geo._frame_kernels import enu_to_ecef_kernel
from iadsim.geo._terrain_kernels import height_kernel
from iadsim.weapons._envelope_kernels import bilinear_kernel, reachable_kernel

__all__ = [
    "first_root_into_kernel",
    "first_root_kernel",
    "limits_into_kernel",
    "type_limits_into_kernel",
]


@numba.njit(cache=True)
def first_root_kernel(
    start_m, vel_mps, site_alt_m, times_s, grid, ranges_m, alts_m, earth_radius_m
):  # pragma: no cover - numba
    """:func:`first_root_into_kernel`'s flight times ``(n,)`` s in a new array."""
    out = np.empty(start_m.shape[0])
    first_root_into_kernel(
        start_m, vel_mps, site_alt_m, times_s, grid, ranges_m, alts_m, earth_radius_m, out
    )
    return out


@numba.njit(cache=True)
def first_root_into_kernel(
    start_m, vel_mps, site_alt_m, times_s, grid, ranges_m, alts_m, earth_radius_m, out
):  # pragma: no cover - numba
    """Earliest root of ``tof(aim(t)) - t`` per track, linearly interpolated.

    Parameters
    ----------
    start_m, vel_mps : (n, 3) float64
        Track positions at launch and velocities, in the unit's ENU frame, m and m/s.
    site_alt_m : float
        Altitude of the frame origin above sea level, m.
    times_s : (s,) float64
        Increasing sampled flight times, s.
    grid, ranges_m, alts_m : (n_range, n_alt), (n_range,), (n_alt,) float64
        The type's time-of-flight table and its coordinates (ground range, altitude), m.
    earth_radius_m : float
        For the curvature drop ``d^2 / 2R`` added to the ENU height.

    out : (n,) float64, any strides
        Filled with the flight times, s; ``inf`` where ``g`` never changes sign to <= 0 on
        the samples (the caller's array, a column of its table: nothing returned to box).
    """
    n = start_m.shape[0]
    s = times_s.size
    ground = np.empty(n * s)
    alt = np.empty(n * s)
    for i in range(n):
        for k in range(s):
            x = start_m[i, 0] + vel_mps[i, 0] * times_s[k]
            y = start_m[i, 1] + vel_mps[i, 1] * times_s[k]
            z = start_m[i, 2] + vel_mps[i, 2] * times_s[k]
            g = np.hypot(x, y)
            ground[i * s + k] = g
            alt[i * s + k] = z + site_alt_m + g * g / (2.0 * earth_radius_m)
    tof = bilinear_kernel(grid, ranges_m, alts_m, ground, alt)
    for i in range(n):
        out[i] = np.inf
        for k in range(s - 1):
            g0 = tof[i * s + k] - times_s[k]
            g1 = tof[i * s + k + 1] - times_s[k + 1]
            # NaN (an unknown table value) fails both comparisons, as in the NumPy path.
            if (g1 <= 0.0 and g0 > 0.0) or (k == 0 and g0 <= 0.0):
                fraction = g0 / (g0 - g1) if g0 > 0.0 else 0.0
                out[i] = times_s[k] + fraction * (times_s[k + 1] - times_s[k])
                break


@numba.njit(cache=True)
def type_limits_into_kernel(
    start_m, vel_mps, site_alt_m, times_s, tof_grid, speed_grid, ranges_m, alts_m,
    max_flight_time_s, min_speed_mps, earth_radius_m, min_range_m, max_range_m,
    max_range_ballistic_m, ballistic, min_altitude_m, max_altitude_m, heights, lat0, lon0,
    dlat, dlon, origin_ecef_m, rotation, reasons, limit_out, flight_out, aim_out,
):  # fmt: skip  # pragma: no cover - numba
    """:meth:`iadsim.c2.engagement.Envelopes.limits` of every track for one interceptor
    type with a gridded flyout table, in one call: the flight-time search
    (:func:`first_root_into_kernel`), the predicted intercept point, its ground range and
    altitude, the terrain under it and the envelope tests, each term computed as the NumPy
    path computes it (the tests compare them to the bit).

    Parameters
    ----------
    start_m, vel_mps : (n, 3) float64
        Track positions at launch and velocities in the unit's ENU frame, m and m/s.
    site_alt_m : float
    times_s : (s,) float64
        Sampled flight times of the search, s.
    tof_grid, speed_grid, ranges_m, alts_m
        The type's flyout table (:class:`iadsim.weapons.envelope.EnvelopeTable`).
    max_flight_time_s, min_speed_mps : float
        Its reachability thresholds.
    earth_radius_m : float
    min_range_m, max_range_m, max_range_ballistic_m, min_altitude_m, max_altitude_m : float
        The type's envelope (the maximum range against ballistic tracks, and the minimum
        altitude above the ground).
    ballistic : (n,) bool
    heights, lat0, lon0, dlat, dlon
        The terrain grid (:class:`iadsim.geo.terrain.ElevationGrid`); an empty ``heights``
        for none (the ground is the sea level).
    origin_ecef_m : (3,) float64
    rotation : (3, 3) float64
        The unit's frame (for the terrain's latitude and longitude of the points).
    reasons : (6,) int8
        The hold reasons of the six tests in order (no solution, too close, too far, too
        low, too high, not reachable).
    limit_out : (n,) int8, flight_out : (n,) float64, aim_out : (n, 3) float64
        Filled (any strides: a type's column of the caller's arrays): the first failed
        test's reason (0 where none), the flight time (``inf`` where no solution), the
        predicted intercept point.
    """
    n = start_m.shape[0]
    flight = np.empty(n)
    first_root_into_kernel(
        start_m, vel_mps, site_alt_m, times_s, tof_grid, ranges_m, alts_m, earth_radius_m, flight
    )
    ground = np.empty(n)
    alt = np.empty(n)
    for i in range(n):
        f = flight[i]
        if not np.isfinite(f):
            f = 0.0
        x = start_m[i, 0] + vel_mps[i, 0] * f
        y = start_m[i, 1] + vel_mps[i, 1] * f
        z = start_m[i, 2] + vel_mps[i, 2] * f
        aim_out[i, 0], aim_out[i, 1], aim_out[i, 2] = x, y, z
        g = np.hypot(x, y)
        ground[i] = g
        alt[i] = z + site_alt_m + g * g / (2.0 * earth_radius_m)
    if heights.size:
        lat_lon = ecef_to_geodetic_stacked_kernel(
            enu_to_ecef_kernel(aim_out, origin_ecef_m, rotation)
        )
        ground_height = height_kernel(heights, lat0, lon0, dlat, dlon, lat_lon[0], lat_lon[1], 0.0)
    else:
        ground_height = np.zeros(n)
    reachable = reachable_kernel(
        tof_grid, speed_grid, ranges_m, alts_m, ground, alt, max_flight_time_s, min_speed_mps
    )
    for i in range(n):
        solvable = np.isfinite(flight[i])
        flight_out[i] = flight[i] if solvable else np.inf
        far = max_range_ballistic_m if ballistic[i] else max_range_m
        above_ground = alt[i] - ground_height[i] if heights.size else alt[i]
        if not solvable:
            limit_out[i] = reasons[0]
        elif not ground[i] >= min_range_m:
            limit_out[i] = reasons[1]
        elif not ground[i] <= far:
            limit_out[i] = reasons[2]
        elif not above_ground >= min_altitude_m:
            limit_out[i] = reasons[3]
        elif not alt[i] <= max_altitude_m:
            limit_out[i] = reasons[4]
        elif not reachable[i]:
            limit_out[i] = reasons[5]
        else:
            limit_out[i] = 0


@numba.njit(cache=True)
def limits_into_kernel(
    start_m, vel_mps, site_alt_m, times_s, tof_grids, speed_grids, ranges_m, alts_m, type_terms,
    earth_radius_m, ballistic, heights, lat0, lon0, dlat, dlon, origin_ecef_m, rotation,
    reasons, limit_out, flight_out, aim_out,
):  # fmt: skip  # pragma: no cover - numba
    """:func:`type_limits_into_kernel` for every interceptor type in turn, in one call (a
    decision asks for all of them; one call per type costs its 28 arguments each time).

    Parameters
    ----------
    tof_grids, speed_grids, ranges_m, alts_m : tuple of arrays, one per type
        The types' flyout tables.
    type_terms : (m, 7) float64
        Per type: maximum flight time and minimum speed of its table, then its minimum
        range, maximum range, maximum range against ballistic tracks, minimum and maximum
        altitude.
    limit_out : (n, m) int8, flight_out : (n, m) float64, aim_out : (n, m, 3) float64
        Filled, column ``k`` by type ``k``.

    The other parameters are :func:`type_limits_into_kernel`'s.
    """
    for k in range(type_terms.shape[0]):
        terms = type_terms[k]
        type_limits_into_kernel(
            start_m, vel_mps, site_alt_m, times_s, tof_grids[k], speed_grids[k], ranges_m[k],
            alts_m[k], terms[0], terms[1], earth_radius_m, terms[2], terms[3], terms[4],
            ballistic, terms[5], terms[6], heights, lat0, lon0, dlat, dlon, origin_ecef_m,
            rotation, reasons, limit_out[:, k], flight_out[:, k], aim_out[:, k],
        )  # fmt: skip
