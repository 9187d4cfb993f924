"""Numba kernel of the impact test of a post's tracks under the terrain
(:func:`~iadsim.c2.picture.terrain_hold.impacts`, and the compiled hold of
:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.hold_above_terrain`).

A track under the terrain, silent for a revisit, has met the ground when it descends
firmly: its climb rate ``u · v`` plus ``sigmas`` standard deviations ``sqrt(u P_v u)`` is
negative. NumPy computes both by ``np.einsum`` on a handful of rows, where the gathers, the
two einsum calls and the square root cost far more than the arithmetic;
:func:`impacts_kernel` does it in one call, with einsum's own order of operations, so the
same bits (:func:`impacts_reference` is the einsum form; the tests compare them):

- ``einsum("ni,ni->n")`` of three terms sums them as its vectorised loop does, the first
  and third products first: ``(u0 v0 + u2 v2) + u1 v1``;
- ``einsum("ni,nij,nj->n")`` adds ``(u_i P_ij) u_j`` one by one, ``i`` outer, from zero.

The square root is IEEE's (correctly rounded, as NumPy's).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["impacts_kernel", "impacts_reference"]


@numba.njit(cache=True)
def impacts_kernel(
    state, covariance, slots, up, candidates, sigmas
):  # fmt: skip  # pragma: no cover - numba
    """Which ``candidates`` descend firmly: ``u · v + sigmas sqrt(u P_v u) < 0``.

    Parameters
    ----------
    state : (capacity, >= 6) float64
        The table's states, ``[e, n, u, ve, vn, vu, ...]`` m and m/s.
    covariance : (capacity, d, d) float64
    slots : (n,) int64
    up : (n, 3) float64
        Local vertical at each track, in the table's frame.
    candidates : (n,) bool
        The rows to test (the others are ``False``).
    sigmas : float

    Returns
    -------
    (n,) bool
        ``candidates`` and descending firmly.
    """
    n = slots.shape[0]
    impact = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        if not candidates[k]:
            continue
        s = slots[k]
        u0, u1, u2 = up[k, 0], up[k, 1], up[k, 2]
        climb = 0.0 + ((u0 * state[s, 3] + u2 * state[s, 5]) + u1 * state[s, 4])
        variance = 0.0
        for i in range(3):
            ui = up[k, i]
            for j in range(3):
                variance += (ui * covariance[s, 3 + i, 3 + j]) * up[k, j]
        impact[k] = climb + sigmas * np.sqrt(variance) < 0.0
    return impact


def impacts_reference(
    state: np.ndarray,
    covariance: np.ndarray,
    slots: np.ndarray,
    up: np.ndarray,
    candidates: np.ndarray,
    sigmas: float,
) -> np.ndarray:
    """NumPy twin of :func:`impacts_kernel` (the einsum form it replaces)."""
    climb = np.einsum("ni,ni->n", up, state[slots, 3:6])
    climb_std = np.sqrt(np.einsum("ni,nij,nj->n", up, covariance[slots, 3:6, 3:6], up))
    return candidates & (climb + sigmas * climb_std < 0.0)
