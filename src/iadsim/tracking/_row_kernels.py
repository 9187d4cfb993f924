"""Numba kernels of the tracker that work on a track table's rows in place.

Each gathers the rows ``slots`` of the table's columns, runs the per-look kernel of
:mod:`iadsim.tracking._kernels` on them and, for an update, writes them back: the same
arithmetic as gathering, calling and scattering in NumPy, without the three array calls
per column that cost more than the arithmetic on the few tracks of a look.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.tracking._kernels import (
    constant_velocity_predict_kernel,
    dense_gate_kernel,
    position_innovation_kernel,
    range_rate_terms_kernel,
    scalar_update_kernel,
)
from iadsim.tracking._product_kernels import product3_into

__all__ = [
    "constant_velocity_predict_rows_kernel",
    "dense_gate_rows_kernel",
    "elapsed_rows_kernel",
    "gate_and_update_lone_rows_kernel",
    "initiate_rows_kernel",
    "position_update_rows_kernel",
    "range_rate_update_rows_kernel",
    "range_rate_update_used_rows_kernel",
]


@numba.njit(cache=True)
def _gather(state, covariance, slots):  # pragma: no cover - numba
    """Copies of the rows ``slots`` ``(n,)`` of ``state`` ``(c, d)`` and ``covariance``
    ``(c, d, d)``."""
    n, d = slots.shape[0], state.shape[1]
    x = np.empty((n, d))
    P = np.empty((n, d, d))
    for k in range(n):
        x[k] = state[slots[k]]
        P[k] = covariance[slots[k]]
    return x, P


@numba.njit(cache=True)
def elapsed_rows_kernel(time_s, slots, t_s):  # pragma: no cover - numba
    """Time steps ``np.maximum(t_s - time_s[slots], 0.0)`` ``(n,)`` s of the rows ``slots``
    ``(n,)`` of a table's epochs ``time_s`` ``(c,)`` (a track never predicts backwards; a
    NaN epoch gives NaN), and whether any is non-zero (a second look at the same time has
    nothing to predict)."""
    dt = np.empty(slots.shape[0])
    moving = False
    for k in range(slots.shape[0]):
        step = t_s - time_s[slots[k]]
        dt[k] = step if step >= 0.0 or step != step else 0.0  # np.maximum, NaN first
        moving = moving or dt[k] != 0.0
    return dt, moving


@numba.njit(cache=True)
def constant_velocity_predict_rows_kernel(
    state, covariance, time_s, slots, T, T4, T3, variance, t_s
):  # pragma: no cover - numba
    """:func:`~iadsim.tracking._kernels.constant_velocity_predict_kernel` of the rows
    ``slots`` ``(n,)`` of a table's ``state`` ``(c, 6)`` and ``covariance`` ``(c, 6, 6)``,
    written back in place, with ``time_s`` ``(c,)`` raised to ``t_s`` (never lowered).
    ``T`` ``(n,)`` s are the time steps, ``T4`` and ``T3`` their powers (NumPy's ``T**4``
    and ``T**3``: powers stay NumPy calls), ``variance`` the acceleration variance, m²/s⁴;
    the noise terms are ``variance * T4 / 4``, ``variance * T3 / 2`` and
    ``variance * (T * T)``, as NumPy evaluates ``var * T**4 / 4`` and the others."""
    n = slots.shape[0]
    q4, q3, q2 = np.empty(n), np.empty(n), np.empty(n)
    for k in range(n):
        q4[k] = variance * T4[k] / 4
        q3[k] = variance * T3[k] / 2
        q2[k] = variance * (T[k] * T[k])
    x, P = _gather(state, covariance, slots)
    x_new, P_new = constant_velocity_predict_kernel(x, P, T, q4, q3, q2)
    for k in range(n):
        s = slots[k]
        state[s] = x_new[k]
        covariance[s] = P_new[k]
        if time_s[s] < t_s:  # np.maximum's result (a NaN epoch stays NaN)
            time_s[s] = t_s


@numba.njit(cache=True)
def range_rate_update_rows_kernel(
    state, covariance, slots, sensor_position_m, sensor_velocity_mps, rate_mps, sigma_mps
):  # pragma: no cover - numba
    """:func:`~iadsim.tracking._kernels.range_rate_terms_kernel` then
    :func:`~iadsim.tracking._kernels.scalar_update_kernel` on the rows
    ``slots`` ``(n,)`` of a table's constant-velocity ``state`` ``(c, 6)`` and
    ``covariance`` ``(c, 6, 6)``, the updated rows written back in place; returns nothing
    (a returned array costs a Python-level call to box it, per look)."""
    x, P = _gather(state, covariance, slots)
    innovation, PHt, S = range_rate_terms_kernel(
        x, P, sensor_position_m, sensor_velocity_mps, rate_mps, sigma_mps
    )
    x_new, P_new = scalar_update_kernel(x, P, PHt, S, innovation)
    for k in range(slots.shape[0]):
        state[slots[k]] = x_new[k]
        covariance[slots[k]] = P_new[k]


@numba.njit(cache=True)
def range_rate_update_used_rows_kernel(
    state, covariance, slots, sensor_position_m, sensor_velocity_mps, rate_mps, sigma_mps
):  # pragma: no cover - numba
    """:func:`range_rate_update_rows_kernel` of the measurements that have a track and a
    rate: those whose slot in ``slots`` ``(n,) int64`` is not -1 and whose ``rate_mps``
    ``(n,)`` m/s is finite (with their ``sigma_mps`` ``(n,)`` m/s), in their order, as
    taking them with a mask gives them; the others are skipped."""
    n = 0
    for k in range(slots.shape[0]):
        if slots[k] >= 0 and np.isfinite(rate_mps[k]):
            n += 1
    rows, rate, sigma = np.empty(n, dtype=np.int64), np.empty(n), np.empty(n)
    n = 0
    for k in range(slots.shape[0]):
        if slots[k] >= 0 and np.isfinite(rate_mps[k]):
            rows[n], rate[n], sigma[n] = slots[k], rate_mps[k], sigma_mps[k]
            n += 1
    range_rate_update_rows_kernel(
        state, covariance, rows, sensor_position_m, sensor_velocity_mps, rate, sigma
    )


@numba.njit(cache=True)
def dense_gate_rows_kernel(
    state, covariance, slots, detection, detection_covariance, gate, pairs, values
):  # pragma: no cover - numba
    """:func:`~iadsim.tracking._kernels.dense_gate_kernel` of the tracks ``slots`` ``(n,)``
    of a table's ``state`` ``(c, d)`` and ``covariance`` ``(c, d, d)``: their positions and
    position covariances gathered here, not by the caller. Writes the pairs into ``pairs``
    and ``values`` and returns their number, as that kernel does."""
    n = slots.shape[0]
    position = np.empty((n, 3))
    position_covariance = np.empty((n, 3, 3))
    for k in range(n):
        slot = slots[k]
        for i in range(3):
            position[k, i] = state[slot, i]
            for j in range(3):
                position_covariance[k, i, j] = covariance[slot, i, j]
    return dense_gate_kernel(
        position, position_covariance, detection, detection_covariance, gate, pairs, values
    )


@numba.njit(cache=True)
def position_update_rows_kernel(state, covariance, slots, z, R):  # pragma: no cover - numba
    """Joseph-form position update of the rows ``slots`` ``(n,)`` of a table's ``state``
    ``(c, d)`` and ``covariance`` ``(c, d, d)``, in place, with one measurement ``z``
    ``(n, 3)`` m, ``R`` ``(n, 3, 3)`` m² each: the arithmetic of
    :func:`~iadsim.tracking.kalman.position_update_terms`, to the bit. ``S`` and ``S⁻¹`` of
    :func:`~iadsim.tracking._kernels.position_innovation_kernel`; the gain ``K = P Hᵀ S⁻¹``
    and the products ``K H P`` and ``(K S) Kᵀ`` formed as NumPy's ``@`` forms them
    (:func:`~iadsim.tracking._product_kernels.product3_into`); then :func:`_updated_row`.
    Nothing returned (each returned array costs a Python-level call to box)."""
    x, P = _gather(state, covariance, slots)
    _, S, S_inv, _ = position_innovation_kernel(x, P, z, R)
    d = state.shape[1]
    K, KS = np.empty((d, 3)), np.empty((d, 3))
    KHP, KSKt = np.empty((d, d)), np.empty((d, d))
    nu, P_new = np.empty(3), np.empty((d, d))
    for k in range(slots.shape[0]):
        product3_into(P[k, :, :3], S_inv[k], K)
        product3_into(K, P[k, :3, :], KHP)
        product3_into(K, S[k], KS)
        product3_into(KS, K.T, KSKt)
        _updated_row(state, covariance, slots[k], z[k], K, KHP, KSKt, nu, P_new)


@numba.njit(cache=True)
def gate_and_update_lone_rows_kernel(
    state, covariance, slots, z, R, gate, pairs, values
):  # pragma: no cover - numba
    """:func:`dense_gate_rows_kernel` of the tracks ``slots`` ``(n,)`` against the look's
    positions ``z`` ``(m, 3)`` m and covariances ``R`` ``(m, 3, 3)`` m², into ``pairs``
    ``(2, >= n m) int64`` and ``values`` ``(2, >= n m) float64`` as that kernel fills
    them; then, where every track gated at most one detection and every detection at most
    one track (the common look), the update of each gated pair's track with its detection
    (:func:`position_update_rows_kernel`): GNN's assignment of such a look, in either tier
    and at any cost, takes every pair, so no ``log det S`` is needed.

    Returns
    -------
    k : int
        Number of gated pairs.
    updated : bool
        Whether the pairs were lone and the tracks updated (else the table is untouched
        and the pairs need the general assignment).
    """
    k = dense_gate_rows_kernel(state, covariance, slots, z, R, gate, pairs, values)
    if not _lone_pairs(pairs, k, z.shape[0]):
        return k, False
    rows = np.empty(k, dtype=np.int64)
    z_used, R_used = np.empty((k, 3)), np.empty((k, 3, 3))
    for r in range(k):
        rows[r] = slots[pairs[0, r]]
        z_used[r] = z[pairs[1, r]]
        R_used[r] = R[pairs[1, r]]
    position_update_rows_kernel(state, covariance, rows, z_used, R_used)
    return k, True


@numba.njit(cache=True)
def _lone_pairs(pairs, k, n_detections):  # pragma: no cover - numba
    """Whether no track and no detection appears twice among the first ``k`` pairs of
    ``pairs`` ``(2, >= k) int64`` (tracks, detections; sorted by track, as the gate writes
    them)."""
    seen = np.zeros(n_detections, dtype=np.bool_)
    for r in range(k):
        if (r > 0 and pairs[0, r] == pairs[0, r - 1]) or seen[pairs[1, r]]:
            return False
        seen[pairs[1, r]] = True
    return True


@numba.njit(cache=True)
def _updated_row(state, covariance, s, z, K, KHP, KSKt, nu, P_new):  # pragma: no cover
    """The row ``s`` of ``state`` ``(c, d)`` and ``covariance`` ``(c, d, d)`` updated in
    place with the position ``z`` ``(3,)`` from the gain ``K`` ``(d, 3)`` and the products
    ``K H P`` and ``K S Kᵀ`` ``(d, d)``: ``x + K (z − x[:3])`` and the symmetrised Joseph
    form of :func:`~iadsim.tracking._kernels.joseph_covariance_kernel` (``nu`` ``(3,)``
    and ``P_new`` ``(d, d)`` are scratch). ``K ν`` adds its three terms in the order of
    ``np.einsum("nij,nj->ni")`` on contiguous stacks (first and third, then the second)."""
    d = state.shape[1]
    for i in range(3):
        nu[i] = z[i] - state[s, i]
    for i in range(d):
        gain = (K[i, 0] * nu[0] + K[i, 2] * nu[2]) + K[i, 1] * nu[1]
        state[s, i] = state[s, i] + gain
    for i in range(d):
        for j in range(d):
            P_new[i, j] = covariance[s, i, j] - KHP[i, j] - KHP[j, i] + KSKt[i, j]
    for i in range(d):
        for j in range(d):
            covariance[s, i, j] = 0.5 * (P_new[i, j] + P_new[j, i])


@numba.njit(cache=True)
def initiate_rows_kernel(
    state, covariance, slots, z, R, speed_variance, accel_variance
):  # pragma: no cover - numba
    """Single-point initiation of the rows ``slots`` ``(n,)`` of a table's ``state``
    ``(c, d)`` and ``covariance`` ``(c, d, d)``, in place, from positions ``z`` ``(n, 3)``
    with covariances ``R`` ``(n, 3, 3)``: state ``[z, 0, (0)]``, covariance
    ``blockdiag(R, I speed_variance, (I accel_variance))``, each prior block written as the
    product ``I * variance`` of :func:`~iadsim.tracking.filters.initial_covariance`."""
    d = state.shape[1]
    for k in range(slots.shape[0]):
        s = slots[k]
        for i in range(d):
            state[s, i] = 0.0
            for j in range(d):
                covariance[s, i, j] = 0.0
        for i in range(3):
            state[s, i] = z[k, i]
            for j in range(3):
                covariance[s, i, j] = R[k, i, j]
                unit = 1.0 if i == j else 0.0
                covariance[s, 3 + i, 3 + j] = unit * speed_variance
                if d > 6:
                    covariance[s, 6 + i, 6 + j] = unit * accel_variance
