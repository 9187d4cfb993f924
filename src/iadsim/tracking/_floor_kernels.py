"""Numba kernels around the terrain floor's projection of constant-velocity table rows.

:func:`~iadsim.tracking.terrain_constraint.project_onto_floor` is a scalar Kalman update by
a perfect measurement of the height. For a table's constant-velocity rows its elementwise
steps run here, on the rows in place, around the one product NumPy keeps
(``A P Aᵀ``, a BLAS matrix product whose additions no loop here reproduces):

* :func:`floor_projection_terms_kernel` - ``P Hᵀ`` and ``H P Hᵀ`` (the sums of
  ``np.einsum`` in its order, even terms then odd), the gain, the raised state (in place),
  ``A = I - K H`` and ``σ² K Kᵀ``;
* :func:`symmetrised_rows_kernel` - ``(P + Pᵀ) / 2`` written back into the rows.

Same terms in the same order as the NumPy form, so the rows agree to the bit (the tests
compare them).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["floor_projection_terms_kernel", "symmetrised_rows_kernel"]


@numba.njit(cache=True)
def floor_projection_terms_kernel(
    state, covariance, slots, up, rise_m, floor_variance_m2
):  # pragma: no cover - numba
    """The terms of the floor projection of the rows ``slots`` ``(n,)`` of a table's
    constant-velocity ``state`` ``(c, 6)`` and ``covariance`` ``(c, 6, 6)``.

    Parameters
    ----------
    state, covariance : float64
        The table's columns; each row's state is raised by ``K rise``, in place.
    slots : (n,) int64
    up : (n, 3) float64
        Unit vertical at each track.
    rise_m : (n,) float64
        Floor minus height, m, all positive.
    floor_variance_m2 : float
        ``floor_std_m ** 2``.

    Returns
    -------
    terms : (3, n, 6, 6) float64
        The gathered covariances ``P``, ``A = I - K H`` and ``floor_variance K Kᵀ``
        (one array: each returned array costs a Python-level call to box).
    """
    n = slots.shape[0]
    terms = np.empty((3, n, 6, 6))
    H = np.zeros(6)
    PHt = np.empty(6)
    K = np.empty(6)
    for k in range(n):
        s = slots[k]
        for i in range(6):
            for j in range(6):
                terms[0, k, i, j] = covariance[s, i, j]
        H[0], H[1], H[2] = up[k, 0], up[k, 1], up[k, 2]
        for i in range(6):
            P = covariance[s, i]
            PHt[i] = ((P[0] * H[0] + P[2] * H[2]) + P[4] * H[4]) + (
                (P[1] * H[1] + P[3] * H[3]) + P[5] * H[5]
            )
        s_var = ((H[0] * PHt[0] + H[2] * PHt[2]) + H[4] * PHt[4]) + (
            (H[1] * PHt[1] + H[3] * PHt[3]) + H[5] * PHt[5]
        )
        for i in range(6):
            K[i] = PHt[i] / s_var
            state[s, i] = state[s, i] + K[i] * rise_m[k]
        for i in range(6):
            for j in range(6):
                unit = 1.0 if i == j else 0.0
                terms[1, k, i, j] = unit - K[i] * H[j]
                terms[2, k, i, j] = floor_variance_m2 * K[i] * K[j]
    return terms


@numba.njit(cache=True)
def symmetrised_rows_kernel(covariance, slots, P):  # pragma: no cover - numba
    """Write ``(P + Pᵀ) / 2`` (as ``0.5 * (P + Pᵀ)``) of ``P`` ``(n, d, d)`` into the rows
    ``slots`` ``(n,)`` of ``covariance`` ``(c, d, d)``, in place."""
    d = P.shape[1]
    for k in range(slots.shape[0]):
        s = slots[k]
        for i in range(d):
            for j in range(d):
                covariance[s, i, j] = 0.5 * (P[k, i, j] + P[k, j, i])
