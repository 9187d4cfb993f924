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
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.weapons._envelope_kernels import bilinear_kernel

__all__ = ["first_root_into_kernel", "first_root_kernel"]


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
