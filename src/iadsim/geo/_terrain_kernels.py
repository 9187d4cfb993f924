"""Numba kernel of the bilinear terrain reading (see ``ElevationGrid.height_m``).

:func:`height_kernel` reads the grid at many points in one compiled loop; its NumPy twin
:func:`height_reference` is the vectorised form the tests compare it with. Both follow the
same steps in the same order (fractional row and column, the longitude taken modulo 2*pi
from the grid origin, a tolerance of a hair at the edges, the last row and column read from
the cell before, ``h = (1-u)((1-v) h00 + v h01) + u((1-v) h10 + v h11)``, Numerical
Recipes, 3rd ed., eq. 3.6.5), so they agree to the bit. Motion reads the terrain three
times per terrain-following flight per step, a few points at a time, where the twenty small
NumPy calls of the twin cost far more than the arithmetic.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = [
    "EDGE_TOLERANCE",
    "TWO_PI",
    "height_kernel",
    "height_reference",
    "surface_kernel",
    "surface_point_kernel",
]

TWO_PI = 2.0 * np.pi
EDGE_TOLERANCE = 1e-6
"""Points this far outside the edge samples (in samples) count as inside."""


def height_reference(heights, lat0, lon0, dlat, dlon, lat, lon, fill_m):
    """NumPy twin of :func:`height_kernel` (broadcasting ``lat`` and ``lon``).

    Parameters
    ----------
    heights : (n_lat, n_lon) int or float array
        Heights, m; row 0 southernmost; NaN voids in float grids.
    lat0, lon0, dlat, dlon : float
        South-west sample and spacing, radians.
    lat, lon : array_like
        Query points, radians.
    fill_m : float
        Value outside the grid.

    Returns
    -------
    ndarray, broadcast shape, float64
    """
    lat, lon = np.broadcast_arrays(
        np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    )
    n_lat, n_lon = heights.shape
    row = (lat - lat0) / dlat
    col = np.mod(lon - lon0, TWO_PI) / dlon
    col = np.where(col > TWO_PI / dlon - EDGE_TOLERANCE, col - TWO_PI / dlon, col)
    inside = (
        (row >= -EDGE_TOLERANCE)
        & (row <= n_lat - 1 + EDGE_TOLERANCE)
        & (col >= -EDGE_TOLERANCE)
        & (col <= n_lon - 1 + EDGE_TOLERANCE)
    )
    row = np.clip(np.where(inside, row, 0.0), 0.0, n_lat - 1)
    col = np.clip(np.where(inside, col, 0.0), 0.0, n_lon - 1)
    row0 = np.minimum(np.floor(row), n_lat - 2).astype(np.intp)
    col0 = np.minimum(np.floor(col), n_lon - 2).astype(np.intp)
    u = row - row0
    v = col - col0
    h00 = heights[row0, col0].astype(np.float64)
    h01 = heights[row0, col0 + 1].astype(np.float64)
    h10 = heights[row0 + 1, col0].astype(np.float64)
    h11 = heights[row0 + 1, col0 + 1].astype(np.float64)
    value = (1.0 - u) * ((1.0 - v) * h00 + v * h01) + u * ((1.0 - v) * h10 + v * h11)
    return np.where(inside, value, fill_m)


@numba.njit(cache=True)
def _mod(a, b):  # pragma: no cover - numba
    """``np.mod`` of floats (result with the sign of ``b``), as NumPy computes it."""
    m = np.fmod(a, b)
    if m != 0.0:
        if (b < 0.0) != (m < 0.0):
            m += b
    else:
        m = math.copysign(0.0, b)
    return m


@numba.njit(cache=True)
def height_kernel(heights, lat0, lon0, dlat, dlon, lat, lon, fill_m):  # pragma: no cover
    """Bilinear height at the points of the flat arrays ``lat``, ``lon`` (same size);
    see :func:`height_reference` for the parameters."""
    out = np.empty(lat.size)
    for n in range(lat.size):
        out[n] = _height_at(heights, lat0, lon0, dlat, dlon, lat[n], lon[n], fill_m)
    return out


@numba.njit(cache=True)
def _height_at(heights, lat0, lon0, dlat, dlon, lat, lon, fill_m):  # pragma: no cover
    """Bilinear height (m) at one point ``lat``, ``lon`` (rad, floats); see
    :func:`height_reference` for the parameters."""
    n_lat, n_lon = heights.shape
    turn = TWO_PI / dlon
    row = (lat - lat0) / dlat
    col = _mod(lon - lon0, TWO_PI) / dlon
    if col > turn - EDGE_TOLERANCE:
        col = col - turn
    if not (
        row >= -EDGE_TOLERANCE
        and row <= n_lat - 1 + EDGE_TOLERANCE
        and col >= -EDGE_TOLERANCE
        and col <= n_lon - 1 + EDGE_TOLERANCE
    ):
        return fill_m
    row = min(max(row, 0.0), n_lat - 1.0)
    col = min(max(col, 0.0), n_lon - 1.0)
    row0 = int(min(math.floor(row), n_lat - 2.0))
    col0 = int(min(math.floor(col), n_lon - 2.0))
    u = row - row0
    v = col - col0
    h00 = float(heights[row0, col0])
    h01 = float(heights[row0, col0 + 1])
    h10 = float(heights[row0 + 1, col0])
    h11 = float(heights[row0 + 1, col0 + 1])
    return (1.0 - u) * ((1.0 - v) * h00 + v * h01) + u * ((1.0 - v) * h10 + v * h11)


@numba.njit(cache=True)
def surface_kernel(heights, lat0, lon0, dlat, dlon, lat, lon):  # pragma: no cover - numba
    """:func:`height_kernel` with a sea-level fill, then 0 wherever it is not above 0
    (below sea level, -0 and voids): the values of ``np.maximum(h, 0.0)`` (which gives +0
    for -0) with NaN set to 0, for :meth:`~iadsim.geo.terrain.ElevationGrid.surface_height_m`."""
    out = height_kernel(heights, lat0, lon0, dlat, dlon, lat, lon, 0.0)
    for n in range(out.size):
        if not out[n] > 0.0:
            out[n] = 0.0
    return out


@numba.njit(cache=True)
def surface_point_kernel(heights, lat0, lon0, dlat, dlon, lat, lon):  # pragma: no cover
    """:func:`surface_kernel` at one point ``lat``, ``lon`` (rad, floats), a float (m), for
    :meth:`~iadsim.geo.terrain.ElevationGrid.surface_height_at`."""
    height = _height_at(heights, lat0, lon0, dlat, dlon, lat, lon, 0.0)
    return height if height > 0.0 else 0.0
