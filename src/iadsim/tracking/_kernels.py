"""Numba kernels of the tracker's per-look arithmetic, each the twin of a NumPy form.

* :func:`constant_velocity_predict_kernel` - the blockwise CV prediction with DWNA noise
  (Bar-Shalom, Li & Kirubarajan 2001, eq. 6.3.2-2 and 6.3.2-4) and the symmetrisation;
  twin :func:`iadsim.tracking.kalman.constant_velocity_predict_reference`.
* :func:`inverse_3x3_kernel` - inverse and determinant of symmetric 3 x 3 matrices by
  cofactors; twin :func:`iadsim.tracking.kalman.inverse_3x3_reference`.
* :func:`position_innovation_kernel` and :func:`joseph_covariance_kernel` - the elementwise
  steps of a position update around its matrix products (innovation, symmetrised ``S``
  and its inverse; the Joseph-form sum, symmetrised); twin
  :func:`iadsim.tracking.kalman.position_update_reference`.
* :func:`dense_gate_kernel` - the pre-gate, ``S``, its inverse and the Mahalanobis distance
  of every (track, detection) pair of a small look; twin
  :func:`iadsim.tracking.gating.dense_gate_reference`.
* :func:`range_rate_terms_kernel` - the innovation, ``P Hᵀ`` and ``S`` of range-rate
  measurements of constant-velocity states; twin
  :func:`iadsim.tracking.doppler.range_rate_terms_reference`.
* :func:`scalar_update_kernel` - the gain, state and Joseph-form covariance of a scalar
  measurement update; twin :func:`iadsim.tracking.doppler.scalar_update_reference`.
* :func:`record_opportunities_kernel` - one detection opportunity booked per track (bit
  history, counters, quality, M-of-N confirmation); twin
  :func:`iadsim.tracking.management.record_opportunities_reference`.
* :func:`deletion_mask_kernel` - the deletion rules of track management; twin
  :func:`iadsim.tracking.management.deletion_mask_reference`.
* :func:`converted_measurement_in_frame_kernel` - a look's debiased converted measurements
  and covariances (Longbin et al. 1998) carried from the sensor's ENU frame to a picture's;
  twin :func:`iadsim.tracking.measurements.converted_measurement_in_frame_reference`. It uses
  the C library's ``exp``, ``sin`` and ``cos``, so it agrees with its twin to a few units in
  the last place, not to the bit.

The other kernels add the same terms in the same order as their twins, so they agree to the bit
(the tests compare them); powers and transcendental functions stay with NumPy, whose SIMD
``pow`` and ``exp`` differ from the C library's in the last bit on some machines. The tracker
runs these at every look on a few tracks, where the twins' slicing, stacking and
broadcasting cost far more than their arithmetic.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = [
    "book_opportunity",
    "constant_velocity_predict_kernel",
    "converted_measurement_in_frame_kernel",
    "deletion_mask_kernel",
    "dense_gate_kernel",
    "inverse_3x3_kernel",
    "is_doomed",
    "joseph_covariance_kernel",
    "position_innovation_kernel",
    "range_rate_terms_kernel",
    "record_opportunities_kernel",
    "scalar_update_kernel",
]


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
def symmetric_3x3_cofactors(a, b, c, d, e, f):  # pragma: no cover - numba
    """Cofactors ``A, B, C, D, E, F`` and determinant of the symmetric 3 x 3 matrix with
    upper triangle ``a b c / d e / f`` (``kalman.inverse_3x3_reference``'s arithmetic): the
    inverse is ``[[A, B, C], [B, D, E], [C, E, F]] / det``."""
    A = d * f - e * e
    B = c * e - b * f
    C = b * e - c * d
    D = a * f - c * c
    E = b * c - a * e
    F = a * d - b * b
    return A, B, C, D, E, F, a * A + b * B + c * C


@numba.njit(cache=True)
def inverse_3x3_kernel(S):  # pragma: no cover - numba
    """Inverse ``(n, 3, 3)`` and determinant ``(n,)`` of symmetric 3 x 3 matrices, by the
    cofactors of the upper triangle (:func:`symmetric_3x3_cofactors`)."""
    n = S.shape[0]
    inverse = np.empty((n, 3, 3))
    det = np.empty(n)
    for k in range(n):
        A, B, C, D, E, F, dk = symmetric_3x3_cofactors(
            S[k, 0, 0], S[k, 0, 1], S[k, 0, 2], S[k, 1, 1], S[k, 1, 2], S[k, 2, 2]
        )
        det[k] = dk
        inverse[k, 0, 0], inverse[k, 0, 1], inverse[k, 0, 2] = A / dk, B / dk, C / dk
        inverse[k, 1, 0], inverse[k, 1, 1], inverse[k, 1, 2] = B / dk, D / dk, E / dk
        inverse[k, 2, 0], inverse[k, 2, 1], inverse[k, 2, 2] = C / dk, E / dk, F / dk
    return inverse, det


@numba.njit(cache=True)
def position_innovation_kernel(x, P, z, R):  # pragma: no cover - numba
    """Innovations ``z − x[:3]`` ``(n, 3)``, ``S = sym(P[:3, :3] + R)`` ``(n, 3, 3)`` and its
    inverse and determinant (by :func:`inverse_3x3_kernel`) of position measurements.

    Parameters
    ----------
    x : (n, d) float64
    P : (n, d, d) float64
    z : (n, 3) float64
    R : (n, 3, 3) float64
    """
    n = x.shape[0]
    innovation = np.empty((n, 3))
    S = np.empty((n, 3, 3))
    for k in range(n):
        for i in range(3):
            innovation[k, i] = z[k, i] - x[k, i]
            for j in range(3):
                S[k, i, j] = 0.5 * ((P[k, i, j] + R[k, i, j]) + (P[k, j, i] + R[k, j, i]))
    S_inv, det = inverse_3x3_kernel(S)
    return innovation, S, S_inv, det


@numba.njit(cache=True)
def joseph_covariance_kernel(P, KHP, KSKt):  # pragma: no cover - numba
    """``sym(P − K H P − (K H P)ᵀ + K S Kᵀ)`` ``(n, d, d)`` from its three products.

    Parameters
    ----------
    P, KHP, KSKt : (n, d, d) float64
    """
    n, d = P.shape[0], P.shape[1]
    P_new = np.empty((n, d, d))
    out = np.empty((n, d, d))
    for k in range(n):
        for i in range(d):
            for j in range(d):
                P_new[k, i, j] = P[k, i, j] - KHP[k, i, j] - KHP[k, j, i] + KSKt[k, i, j]
        for i in range(d):
            for j in range(d):
                out[k, i, j] = 0.5 * (P_new[k, i, j] + P_new[k, j, i])
    return out


@numba.njit(cache=True)
def scalar_update_kernel(x, P, PHt, S, innovation):  # pragma: no cover - numba
    """Updated states ``(n, d)`` and symmetrised covariances ``(n, d, d)`` after one scalar
    measurement each, given ``P Hᵀ``, ``S`` and the innovation.

    ``K = P Hᵀ / S``, ``x + K ν`` and ``P − K (P Hᵀ)ᵀ − (P Hᵀ) Kᵀ + S K Kᵀ`` (Joseph form,
    see ``doppler.range_rate_update``), then ``(P + Pᵀ) / 2``.

    Parameters
    ----------
    x : (n, d) float64
    P : (n, d, d) float64
    PHt : (n, d) float64
    S : (n,) float64
    innovation : (n,) float64
    """
    n, d = x.shape
    x_new = np.empty_like(x)
    P_new = np.empty_like(P)
    out = np.empty_like(P)
    K = np.empty(d)
    for k in range(n):
        for i in range(d):
            K[i] = PHt[k, i] / S[k]
            x_new[k, i] = x[k, i] + K[i] * innovation[k]
        for i in range(d):
            for j in range(d):
                joseph = P[k, i, j] - K[i] * PHt[k, j] - K[j] * PHt[k, i]
                P_new[k, i, j] = joseph + S[k] * K[i] * K[j]
        for i in range(d):
            for j in range(d):
                out[k, i, j] = 0.5 * (P_new[k, i, j] + P_new[k, j, i])
    return x_new, out


@numba.njit(cache=True)
def _popcount(bits):  # pragma: no cover - numba
    """Number of set bits of a non-negative integer."""
    count = 0
    while bits:
        bits &= bits - 1
        count += 1
    return count


@numba.njit(cache=True)
def record_opportunities_kernel(
    history,
    opportunities,
    hits,
    misses,
    quality,
    confirmed,
    slots,
    detected,
    confirm_m,
    confirm_n,
    window,
    history_mask,
):  # pragma: no cover - numba
    """Book one opportunity for each of ``slots`` (distinct) in the table's columns, in place.

    Parameters
    ----------
    history, opportunities, hits, misses : (capacity,) int64
    quality : (capacity,) float64
    confirmed : (capacity,) bool
        The table's columns (see ``iadsim.tracking.table.TrackTable``).
    slots : (k,) int64
    detected : (k,) bool
    confirm_m, confirm_n : int
        M-of-N confirmation rule.
    window : int
        Opportunities counted by the quality figure.
    history_mask : int
        Mask of the history bits kept.
    """
    for k in range(slots.shape[0]):
        book_opportunity(
            history,
            opportunities,
            hits,
            misses,
            quality,
            confirmed,
            slots[k],
            detected[k],
            confirm_m,
            confirm_n,
            window,
            history_mask,
        )


@numba.njit(cache=True)
def book_opportunity(
    history,
    opportunities,
    hits,
    misses,
    quality,
    confirmed,
    slot,
    detected,
    confirm_m,
    confirm_n,
    window,
    history_mask,
):  # pragma: no cover - numba
    """One opportunity of the track in ``slot``, ``detected`` or not, booked in place (the
    columns and rules of :func:`record_opportunities_kernel`)."""
    hit = 1 if detected else 0
    bits = ((history[slot] << 1) | hit) & history_mask
    history[slot] = bits
    opportunities[slot] += 1
    hits[slot] += hit
    misses[slot] = 0 if detected else misses[slot] + 1
    in_window = _popcount(bits & ((1 << window) - 1))
    quality[slot] = in_window / min(opportunities[slot], window)
    if _popcount(bits & ((1 << confirm_n) - 1)) >= confirm_m:
        confirmed[slot] = True


@numba.njit(cache=True)
def deletion_mask_kernel(
    confirmed,
    opportunities,
    misses,
    covariance,
    last_update_s,
    slots,
    t_s,
    confirm_n,
    max_misses,
    max_position_std,
    max_coast_s,
):  # pragma: no cover - numba
    """Which of ``slots`` the management rules delete now, ``(k,) bool``.

    Parameters
    ----------
    confirmed : (capacity,) bool
    opportunities, misses : (capacity,) int64
    covariance : (capacity, d, d) float64
    last_update_s : (capacity,) float64
        The table's columns.
    slots : (k,) int64
    t_s : float
        Now (s).
    confirm_n, max_misses : int
        Opportunities of a tentative track; consecutive misses of a confirmed one.
    max_position_std : float
        Limit on ``sqrt(tr P_pos)`` (m).
    max_coast_s : float
        Limit on the time since the last update (s).
    """
    doomed = np.empty(slots.shape[0], dtype=np.bool_)
    for k in range(slots.shape[0]):
        doomed[k] = is_doomed(
            confirmed,
            opportunities,
            misses,
            covariance,
            last_update_s,
            slots[k],
            t_s,
            confirm_n,
            max_misses,
            max_position_std,
            max_coast_s,
        )
    return doomed


@numba.njit(cache=True)
def is_doomed(
    confirmed,
    opportunities,
    misses,
    covariance,
    last_update_s,
    slot,
    t_s,
    confirm_n,
    max_misses,
    max_position_std,
    max_coast_s,
):  # pragma: no cover - numba
    """Whether the management rules delete the track in ``slot`` now (the columns and
    rules of :func:`deletion_mask_kernel`)."""
    P = covariance[slot]
    std = math.sqrt(P[0, 0] + P[1, 1] + P[2, 2])  # in np.trace's order
    lost = misses[slot] >= max_misses  # a confirmed track
    failed = opportunities[slot] >= confirm_n  # a tentative one
    stale = (t_s - last_update_s[slot]) > max_coast_s
    return (lost if confirmed[slot] else failed) or std > max_position_std or stale


@numba.njit(cache=True, error_model="numpy")
def converted_measurement_in_frame_kernel(
    range_m,
    az_rad,
    el_rad,
    sigma_range_m,
    sigma_az_rad,
    sigma_el_rad,
    sensor_ecef,
    sensor_rotation,
    frame_ecef,
    frame_rotation,
    z_out,
    R_out,
):  # pragma: no cover - numba
    """Debiased converted measurements ``(n, 3)`` and covariances ``(n, 3, 3)`` of a sensor's
    look, expressed in another ENU frame (see ``measurements.converted_measurement_in_frame``),
    written into ``z_out`` ``(n, 3)`` and ``R_out`` ``(n, 3, 3)`` (nothing is returned: a
    returned array costs a Python-level call per look to box it).

    ``sensor_ecef`` and ``frame_ecef`` ``(3,)`` are the ECEF origins (m) and
    ``sensor_rotation`` and ``frame_rotation`` ``(3, 3)`` the ECEF-to-ENU rotations of the
    sensor's and of the destination frame.

    Division follows IEEE 754 as NumPy's does (``error_model="numpy"``): an angle error so
    large that ``exp(-σ²/2)`` underflows gives infinite or NaN entries, as in the twin,
    rather than a ``ZeroDivisionError`` that would stop the run.
    """
    n = range_m.shape[0]
    # to_frame = R_frame @ R_sensor.T (sensor ENU -> frame ENU); offset = sensor - frame origin.
    to_frame = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            for k in range(3):
                to_frame[i, j] += frame_rotation[i, k] * sensor_rotation[j, k]
    z = np.empty(3)
    R = np.empty((3, 3))
    ecef = np.empty(3)
    tmp = np.empty((3, 3))
    for m in range(n):
        r, a, el = range_m[m], az_rad[m], el_rad[m]
        sr, sa, se = sigma_range_m[m], sigma_az_rad[m], sigma_el_rad[m]
        la = math.exp(-0.5 * sa * sa)
        le = math.exp(-0.5 * se * se)
        c_h = 1.0 / (la * le)
        c_u = 1.0 / le
        sin_a, cos_a = math.sin(a), math.cos(a)
        horizontal = r * math.cos(el)
        z[0] = horizontal * sin_a * c_h
        z[1] = horizontal * cos_a * c_h
        z[2] = r * math.sin(el) * c_u
        rho1 = r * r + sr * sr
        rho2 = r * r + 2.0 * sr * sr
        c2a, s2a = math.cos(2 * a), math.sin(2 * a)
        c2e, s2e = math.cos(2 * el), math.sin(2 * el)
        la2 = la * la
        la4 = la2 * la2
        la8 = la4 * la4
        le2 = le * le
        le4 = le2 * le2
        le8 = le4 * le4
        horizontal8 = c_h * c_h * rho2 * 0.25 * (1 + le8 * c2e)
        horizontal4 = rho1 * 0.25 * (1 + le4 * c2e)
        mixed = c_h * c_u * rho2 * 0.5 * le8 * s2e * la2 - rho1 * 0.5 * le4 * s2e * la
        R[0, 0] = horizontal8 * (1 - la8 * c2a) - horizontal4 * (1 - la4 * c2a)
        R[1, 1] = horizontal8 * (1 + la8 * c2a) - horizontal4 * (1 + la4 * c2a)
        R[2, 2] = c_u * c_u * rho2 * 0.5 * (1 - le8 * c2e) - rho1 * 0.5 * (1 - le4 * c2e)
        R[0, 1] = R[1, 0] = (horizontal8 * la8 - horizontal4 * la4) * s2a
        R[0, 2] = R[2, 0] = mixed * sin_a
        R[1, 2] = R[2, 1] = mixed * cos_a
        # Through ECEF, as the reference does: sensor ENU -> ECEF -> frame ENU.
        for i in range(3):
            ecef[i] = (
                sensor_rotation[0, i] * z[0]
                + sensor_rotation[1, i] * z[1]
                + sensor_rotation[2, i] * z[2]
            )
            ecef[i] += sensor_ecef[i]
            ecef[i] -= frame_ecef[i]
        for i in range(3):
            z_out[m, i] = frame_rotation[i, 0] * ecef[0] + frame_rotation[i, 1] * ecef[1]
            z_out[m, i] += frame_rotation[i, 2] * ecef[2]
        for i in range(3):
            for j in range(3):
                tmp[i, j] = to_frame[i, 0] * R[0, j] + to_frame[i, 1] * R[1, j]
                tmp[i, j] += to_frame[i, 2] * R[2, j]
        for i in range(3):
            for j in range(3):
                R_out[m, i, j] = tmp[i, 0] * to_frame[j, 0] + tmp[i, 1] * to_frame[j, 1]
                R_out[m, i, j] += tmp[i, 2] * to_frame[j, 2]


@numba.njit(cache=True)
def dense_gate_kernel(position, covariance, detection, detection_covariance, gate, pairs, values):
    # pragma: no cover - numba
    """Chi-square gate of every (track, detection) pair, with the coarse radius pre-gate.

    The arithmetic of :func:`iadsim.tracking.gating.dense_gate_reference` in its order: the
    pre-gate radius ``sqrt(gate (tr Pp + max tr R))`` and the squared gap (summed as
    ``np.einsum`` does, ``(x + z) + y``), then for the candidates ``S = Pp + R``, its cofactor
    inverse (:func:`inverse_3x3_kernel`) and ``d² = νᵀ S⁻¹ ν``, summed term by term.

    Parameters
    ----------
    position : (n_tracks, 3) float64
    covariance : (n_tracks, 3, 3) float64
    detection : (n_detections, 3) float64
    detection_covariance : (n_detections, 3, 3) float64
    gate : float
    pairs : (2, >= n_tracks n_detections) int64
        Out: track and detection of the pairs in the gate, by track then detection, in the
        first ``k`` columns.
    values : (2, >= n_tracks n_detections) float64
        Out: ``d²`` and ``det S`` of each, in the first ``k`` columns.

    Returns
    -------
    int
        ``k``, the number of pairs in the gate (written into buffers passed in rather than
        returned as arrays: each returned array costs a Python-level call per look).
    """
    n_tracks, n_dets = position.shape[0], detection.shape[0]
    trace_r_max = -np.inf
    for j in range(n_dets):
        R = detection_covariance[j]
        trace = (R[0, 0] + R[1, 1]) + R[2, 2]
        if trace != trace or trace_r_max != trace_r_max:  # NaN wins, as in np.max
            trace_r_max = np.nan
        elif trace > trace_r_max:
            trace_r_max = trace
    inverse = np.empty((3, 3))
    nu = np.empty(3)
    k = 0
    for t in range(n_tracks):
        P = covariance[t]
        radius = math.sqrt(gate * (((P[0, 0] + P[1, 1]) + P[2, 2]) + trace_r_max))
        for j in range(n_dets):
            gx = position[t, 0] - detection[j, 0]
            gy = position[t, 1] - detection[j, 1]
            gz = position[t, 2] - detection[j, 2]
            if not (gx * gx + gz * gz) + gy * gy <= radius * radius:
                continue
            R = detection_covariance[j]
            A, B, C, D, E, F, dk = symmetric_3x3_cofactors(
                P[0, 0] + R[0, 0],
                P[0, 1] + R[0, 1],
                P[0, 2] + R[0, 2],
                P[1, 1] + R[1, 1],
                P[1, 2] + R[1, 2],
                P[2, 2] + R[2, 2],
            )
            inverse[0, 0], inverse[0, 1], inverse[0, 2] = A / dk, B / dk, C / dk
            inverse[1, 0], inverse[1, 1], inverse[1, 2] = B / dk, D / dk, E / dk
            inverse[2, 0], inverse[2, 1], inverse[2, 2] = C / dk, E / dk, F / dk
            for i in range(3):
                nu[i] = detection[j, i] - position[t, i]
            d2 = 0.0
            for i in range(3):
                for m in range(3):
                    d2 += nu[i] * inverse[i, m] * nu[m]
            if d2 <= gate:
                pairs[0, k], pairs[1, k], values[0, k], values[1, k] = t, j, d2, dk
                k += 1
    return k


@numba.njit(cache=True)
def range_rate_terms_kernel(x, P, sensor_position_m, sensor_velocity_mps, rate_mps, sigma_mps):
    # pragma: no cover - numba
    """Innovation ``(n,)``, ``P Hᵀ`` ``(n, 6)`` and ``S`` ``(n,)`` of range-rate measurements
    of constant-velocity states, for :func:`scalar_update_kernel`.

    The arithmetic of :func:`iadsim.tracking.doppler.range_rate_terms_reference` in its
    order: the predicted range rate ``d·u / r`` and its Jacobian row (``ekf.range_rate_
    measurement``), then ``P Hᵀ`` and ``H P Hᵀ + σ²``, whose sums ``np.einsum`` splits into
    even and odd terms, ``((t0 + t2) + t4) + ((t1 + t3) + t5)``.

    Parameters
    ----------
    x : (n, 6) float64
    P : (n, 6, 6) float64
    sensor_position_m, sensor_velocity_mps : (3,) float64
    rate_mps, sigma_mps : (n,) float64
    """
    n = x.shape[0]
    innovation = np.empty(n)
    PHt = np.empty((n, 6))
    S = np.empty(n)
    H = np.empty(6)
    for k in range(n):
        d0 = x[k, 0] - sensor_position_m[0]
        d1 = x[k, 1] - sensor_position_m[1]
        d2 = x[k, 2] - sensor_position_m[2]
        u0 = x[k, 3] - sensor_velocity_mps[0]
        u1 = x[k, 4] - sensor_velocity_mps[1]
        u2 = x[k, 5] - sensor_velocity_mps[2]
        r2 = (d0 * d0 + d1 * d1) + d2 * d2
        r = math.sqrt(r2)
        d_dot_u = (d0 * u0 + d2 * u2) + d1 * u1
        scale = r * r2
        H[0] = u0 / r - d_dot_u * d0 / scale
        H[1] = u1 / r - d_dot_u * d1 / scale
        H[2] = u2 / r - d_dot_u * d2 / scale
        H[3], H[4], H[5] = d0 / r, d1 / r, d2 / r
        innovation[k] = rate_mps[k] - d_dot_u / r
        for i in range(6):
            PHt[k, i] = ((P[k, i, 0] * H[0] + P[k, i, 2] * H[2]) + P[k, i, 4] * H[4]) + (
                (P[k, i, 1] * H[1] + P[k, i, 3] * H[3]) + P[k, i, 5] * H[5]
            )
        S[k] = (
            ((H[0] * PHt[k, 0] + H[2] * PHt[k, 2]) + H[4] * PHt[k, 4])
            + ((H[1] * PHt[k, 1] + H[3] * PHt[k, 3]) + H[5] * PHt[k, 5])
        ) + sigma_mps[k] * sigma_mps[k]
    return innovation, PHt, S
