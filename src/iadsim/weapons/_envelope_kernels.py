"""Numba kernel of the flyout-table lookup (see :class:`iadsim.weapons.envelope.EnvelopeTable`).

:func:`bilinear_kernel` interpolates a (ground range, altitude) grid bilinearly at many points
in one compiled loop, with the rules of the table: below the lowest altitude row the row itself
is used, outside the grid the value is unknown (NaN), and a corner with positive weight that
holds NaN (a point the missile never reached) makes the value unknown while a zero-weight
corner does not. The arithmetic is that of the NumPy twin :func:`bilinear_reference`, term by
term and in the same order, so the two agree to the bit; the tests compare them. Planning calls
the lookup for every track, interceptor type and sampled flight time at every decision, where
the dozen small NumPy calls of the twin cost more than the arithmetic.
:func:`reachable_kernel` does the reachability test of a table (both lookups and both
thresholds) in one call.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["bilinear_kernel", "bilinear_reference", "reachable_kernel"]

_FLOAT_MAX = np.finfo(np.float64).max


def bilinear_reference(
    grid: np.ndarray, ranges_m: np.ndarray, alts_m: np.ndarray, r: np.ndarray, h: np.ndarray
) -> np.ndarray:
    """NumPy twin of :func:`bilinear_kernel` (broadcasting ``r`` and ``h``).

    Parameters
    ----------
    grid : (n_range, n_alt) float64
        Tabulated values, NaN where unknown.
    ranges_m, alts_m : (n_range,), (n_alt,) float64
        Increasing grid coordinates (ground range, altitude), m.
    r, h : array_like, broadcastable
        Query ground ranges and altitudes, m.

    Returns
    -------
    ndarray, broadcast shape, float64
        Interpolated values; NaN outside the grid or next to an unknown corner.
    """
    r = np.asarray(r, dtype=float)
    h = np.asarray(h, dtype=float)
    r, h = np.broadcast_arrays(r, h)
    h = np.maximum(h, alts_m[0])
    inside = (r >= ranges_m[0]) & (r <= ranges_m[-1]) & (h <= alts_m[-1])
    i = np.clip(np.searchsorted(ranges_m, r, side="right") - 1, 0, ranges_m.size - 2)
    j = np.clip(np.searchsorted(alts_m, h, side="right") - 1, 0, alts_m.size - 2)
    fr = np.clip((r - ranges_m[i]) / (ranges_m[i + 1] - ranges_m[i]), 0.0, 1.0)
    fh = np.clip((h - alts_m[j]) / (alts_m[j + 1] - alts_m[j]), 0.0, 1.0)
    value = np.zeros(r.shape)
    unknown = ~inside
    for di, dj, weight in (
        (0, 0, (1 - fr) * (1 - fh)),
        (1, 0, fr * (1 - fh)),
        (0, 1, (1 - fr) * fh),
        (1, 1, fr * fh),
    ):
        corner = grid[i + di, j + dj]
        used = weight > 0.0
        unknown |= used & np.isnan(corner)
        value += np.where(used, np.nan_to_num(corner) * weight, 0.0)
    return np.where(unknown, np.nan, value)


@numba.njit(cache=True)
def _corner(value, unknown, corner, weight):  # pragma: no cover - numba
    """Add one weighted corner as ``nan_to_num(corner) * weight`` where the weight is > 0."""
    if weight > 0.0:
        if np.isnan(corner):
            return value + 0.0 * weight, True
        if corner == np.inf:
            corner = _FLOAT_MAX
        elif corner == -np.inf:
            corner = -_FLOAT_MAX
        return value + corner * weight, unknown
    return value + 0.0, unknown


@numba.njit(cache=True)
def _cell(coords, x):  # pragma: no cover - numba
    """Index of the cell holding ``x``: ``searchsorted(coords, x, 'right') - 1`` clipped to
    ``[0, n - 2]``."""
    n = coords.size
    k = np.searchsorted(coords, x, side="right") - 1
    if k < 0:
        return 0
    if k > n - 2:
        return n - 2
    return k


@numba.njit(cache=True)
def _fraction(coords, k, x):  # pragma: no cover - numba
    f = (x - coords[k]) / (coords[k + 1] - coords[k])
    if f < 0.0:
        return 0.0
    if f > 1.0:
        return 1.0
    return f


@numba.njit(cache=True)
def bilinear_kernel(grid, ranges_m, alts_m, r, h):  # pragma: no cover - numba
    """Bilinear table value at each point of the flat arrays ``r``, ``h`` (same size), NaN
    where unknown; see :func:`bilinear_reference` for the parameters."""
    out = np.empty(r.size)
    for n in range(r.size):
        rn = r[n]
        hn = h[n]
        # np.maximum propagates NaN; a NaN query is outside and so unknown.
        if hn < alts_m[0]:
            hn = alts_m[0]
        if not (rn >= ranges_m[0] and rn <= ranges_m[-1] and hn <= alts_m[-1]):
            out[n] = np.nan
            continue
        i = _cell(ranges_m, rn)
        j = _cell(alts_m, hn)
        fr = _fraction(ranges_m, i, rn)
        fh = _fraction(alts_m, j, hn)
        value, unknown = _corner(0.0, False, grid[i, j], (1 - fr) * (1 - fh))
        value, unknown = _corner(value, unknown, grid[i + 1, j], fr * (1 - fh))
        value, unknown = _corner(value, unknown, grid[i, j + 1], (1 - fr) * fh)
        value, unknown = _corner(value, unknown, grid[i + 1, j + 1], fr * fh)
        out[n] = np.nan if unknown else value
    return out


@numba.njit(cache=True)
def reachable_kernel(
    tof_grid, speed_grid, ranges_m, alts_m, r, h, max_flight_time_s, min_speed_mps
):  # pragma: no cover - numba
    """Whether each point of the flat arrays ``r``, ``h`` is reachable: the bilinear time of
    flight within ``max_flight_time_s`` and arrival speed at least ``min_speed_mps`` (an
    unknown value is not), as :meth:`iadsim.weapons.envelope.EnvelopeTable.reachable`.

    Returns
    -------
    (n,) bool
    """
    tof = bilinear_kernel(tof_grid, ranges_m, alts_m, r, h)
    speed = bilinear_kernel(speed_grid, ranges_m, alts_m, r, h)
    out = np.empty(r.size, dtype=np.bool_)
    for n in range(r.size):
        out[n] = tof[n] <= max_flight_time_s and speed[n] >= min_speed_mps
    return out
