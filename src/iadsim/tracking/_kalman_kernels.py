"""Numba kernel of the constant-velocity prediction (see
:func:`iadsim.tracking.kalman.constant_velocity_predict`).

:func:`constant_velocity_predict_kernel` applies, track by track, the blockwise CV prediction
with DWNA noise (Bar-Shalom, Li & Kirubarajan 2001, eq. 6.3.2-2 and 6.3.2-4) and the final
symmetrisation, with the same terms added in the same order as the NumPy twin
:func:`iadsim.tracking.kalman.constant_velocity_predict_reference`, so the two agree to the
bit (the tests compare them). The powers of the time step are taken by the caller with NumPy
(whose ``pow`` differs from the C library's in the last bit on some machines). The tracker
predicts every live track at every look, a few tracks at a time, where the twin's slicing
and broadcasting cost far more than its arithmetic.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["constant_velocity_predict_kernel"]


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
