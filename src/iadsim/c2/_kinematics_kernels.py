"""Numba kernel of the constant-velocity closest approach of tracks to fixed points.

:func:`closest_approach_kernel` is the compiled twin of
:func:`iadsim.core.kinematics.closest_approach`, one (track, point) pair at a time, with
NumPy's operations in NumPy's order, so that they agree to the bit (a test compares them):
the squared speed and the squared miss distance are summed left to right as
``np.add.reduce`` sums three terms, the dot product of the time to the closest approach as
``np.einsum("nkj,nj->nk")`` sums them (from +0, the first and last term, then the middle
one: the same bits and the same sign of a zero), and the lower bounds keep NaN as
``np.maximum`` does. Identification (the ``inbound`` rule) and threat evaluation ask it of
a post's few tracks at every decision, where the fifteen small NumPy calls of the twin cost
far more than the arithmetic.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["closest_approach_kernel"]


@numba.njit(cache=True)
def _at_least(value: float, bound: float) -> float:  # pragma: no cover - numba
    """``np.maximum(value, bound)`` of a float: NaN stays NaN."""
    return value if value >= bound or value != value else bound


@numba.njit(cache=True)
def closest_approach_kernel(pos_m, vel_mps, asset_pos_m):  # pragma: no cover - numba
    """Miss distance and time of the closest approach of each track to each point.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track positions and velocities in a local Cartesian frame (any strides).
    asset_pos_m : (k, 3) float64
        Points in the same frame.

    Returns
    -------
    cpa_m, time_s : (n, k) float64
        As :func:`iadsim.core.kinematics.closest_approach`.
    """
    n, k = pos_m.shape[0], asset_pos_m.shape[0]
    cpa = np.empty((n, k))
    time = np.empty((n, k))
    for i in range(n):
        v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
        speed2 = _at_least(v0 * v0 + v1 * v1 + v2 * v2, 1e-9)
        for j in range(k):
            r0 = asset_pos_m[j, 0] - pos_m[i, 0]
            r1 = asset_pos_m[j, 1] - pos_m[i, 1]
            r2 = asset_pos_m[j, 2] - pos_m[i, 2]
            t = _at_least((0.0 + r0 * v0 + r2 * v2 + r1 * v1) / speed2, 0.0)
            m0, m1, m2 = r0 - t * v0, r1 - t * v1, r2 - t * v2
            cpa[i, j] = math.sqrt(m0 * m0 + m1 * m1 + m2 * m2)
            time[i, j] = t
    return cpa, time
