"""Numba kernels of the tracker's per-look arithmetic, each the twin of a NumPy form.

* :func:`constant_velocity_predict_kernel` - the blockwise CV prediction with DWNA noise
  (Bar-Shalom, Li & Kirubarajan 2001, eq. 6.3.2-2 and 6.3.2-4) and the symmetrisation;
  twin :func:`iadsim.tracking.kalman.constant_velocity_predict_reference`.
* :func:`inverse_3x3_kernel` - inverse and determinant of symmetric 3 x 3 matrices by
  cofactors; twin :func:`iadsim.tracking.kalman.inverse_3x3_reference`.
* :func:`cheapest_pair_kernel` - each track's cheapest gated detection (first pair on ties);
  twin :func:`iadsim.tracking.association.cheapest_pairs_reference`.

Each kernel adds the same terms in the same order as its twin, so the two agree to the bit
(the tests compare them); powers and transcendental functions stay with NumPy, whose SIMD
``pow`` and ``exp`` differ from the C library's in the last bit on some machines. The tracker
runs these at every look on a few tracks, where the twins' slicing, stacking and
broadcasting cost far more than their arithmetic.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["cheapest_pair_kernel", "constant_velocity_predict_kernel", "inverse_3x3_kernel"]


@numba.njit(cache=True)
def constant_velocity_predict_kernel(x, P, T, q4, q3, q2):  # pragma: no cover - numba
    """Predicted states ``(n, 6)`` and covariances ``(n, 6, 6)``.

    Parameters
    ----------
    x : (n, 6) float64
    P : (n, 6, 6) float64
    T : (n,) float64
        Time steps, s.
    q4, q3, q2 : (n,) float64
        ``σ² T⁴ / 4``, ``σ² T³ / 2``, ``σ² T²`` (the DWNA noise blocks' diagonals).
    """
    n = x.shape[0]
    x_new = x.copy()
    P_new = np.empty_like(P)
    out = np.empty_like(P)
    for k in range(n):
        t = T[k]
        t2 = t * t
        for i in range(3):
            x_new[k, i] += t * x[k, 3 + i]
        for i in range(3):
            for j in range(3):
                eye = 1.0 if i == j else 0.0
                ppp = P[k, i, j]
                ppv = P[k, i, 3 + j]
                pvp = P[k, 3 + i, j]
                pvv = P[k, 3 + i, 3 + j]
                P_new[k, i, j] = ppp + t * (ppv + pvp) + t2 * pvv + q4[k] * eye
                P_new[k, i, 3 + j] = ppv + t * pvv + q3[k] * eye
                P_new[k, 3 + i, 3 + j] = pvv + q2[k] * eye
        for i in range(3):
            for j in range(3):
                P_new[k, 3 + i, j] = P_new[k, j, 3 + i]
        for i in range(6):
            for j in range(6):
                out[k, i, j] = 0.5 * (P_new[k, i, j] + P_new[k, j, i])
    return x_new, out


@numba.njit(cache=True)
def inverse_3x3_kernel(S):  # pragma: no cover - numba
    """Inverse ``(n, 3, 3)`` and determinant ``(n,)`` of symmetric 3 x 3 matrices, by the
    cofactors of the upper triangle (see ``kalman.inverse_3x3_reference``)."""
    n = S.shape[0]
    inverse = np.empty((n, 3, 3))
    det = np.empty(n)
    for k in range(n):
        a, b, c = S[k, 0, 0], S[k, 0, 1], S[k, 0, 2]
        d, e, f = S[k, 1, 1], S[k, 1, 2], S[k, 2, 2]
        A = d * f - e * e
        B = c * e - b * f
        C = b * e - c * d
        D = a * f - c * c
        E = b * c - a * e
        F = a * d - b * b
        dk = a * A + b * B + c * C
        det[k] = dk
        inverse[k, 0, 0], inverse[k, 0, 1], inverse[k, 0, 2] = A / dk, B / dk, C / dk
        inverse[k, 1, 0], inverse[k, 1, 1], inverse[k, 1, 2] = B / dk, D / dk, E / dk
        inverse[k, 2, 0], inverse[k, 2, 1], inverse[k, 2, 2] = C / dk, E / dk, F / dk
    return inverse, det


@numba.njit(cache=True)
def cheapest_pair_kernel(track, cost, rows, n_tracks):  # pragma: no cover - numba
    """Among the pairs ``rows`` (indices into ``track`` and ``cost``), the cheapest of each
    track, the earliest row on ties; returned as rows in increasing track order."""
    best = np.full(n_tracks, -1, dtype=np.int64)
    for r in rows:
        t = track[r]
        if (
            best[t] < 0
            or cost[r] < cost[best[t]]
            or (np.isnan(cost[best[t]]) and not np.isnan(cost[r]))
        ):
            best[t] = r
    count = 0
    for t in range(n_tracks):
        if best[t] >= 0:
            count += 1
    out = np.empty(count, dtype=np.int64)
    count = 0
    for t in range(n_tracks):
        if best[t] >= 0:
            out[count] = best[t]
            count += 1
    return out
