"""Linear Kalman filter predict and update on whole track tables (batched over tracks).

Equations (Bar-Shalom, Li & Kirubarajan 2001, sect. 5.2.3; Joseph form eq. 5.2.3-18):

- predict: ``x⁻ = F x``, ``P⁻ = F P Fᵀ + Q``
- update: ``ν = z − H x⁻``, ``S = H P⁻ Hᵀ + R``, ``K = P⁻ Hᵀ S⁻¹``, ``x = x⁻ + K ν``,
  ``P = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ`` (Joseph form: stays symmetric positive definite
  under round-off, and is what ``filterpy.kalman.KalmanFilter.update`` uses).

All functions take stacks: ``x (n, d)``, ``P (n, d, d)``, ``z (n, m)``, ``R (n, m, m)``; ``F``,
``Q`` and ``H`` are either one matrix for all tracks or a stack.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from iadsim.tracking._kernels import (
    constant_velocity_predict_kernel,
    inverse_3x3_kernel,
    joseph_covariance_kernel,
    position_innovation_kernel,
)
from iadsim.tracking._row_kernels import (
    constant_velocity_predict_rows_kernel,
    position_update_rows_kernel,
)

__all__ = [
    "KalmanUpdate",
    "constant_velocity_predict",
    "constant_velocity_predict_reference",
    "constant_velocity_predict_rows",
    "inverse_3x3",
    "inverse_3x3_reference",
    "kalman_predict",
    "kalman_update",
    "mahalanobis_squared",
    "position_matrix",
    "position_update",
    "position_update_reference",
    "position_update_rows",
    "position_update_terms",
    "symmetrise",
]


class KalmanUpdate(NamedTuple):
    """Result of a batched update.

    Attributes
    ----------
    state : (n, d) float64
    covariance : (n, d, d) float64
    innovation : (n, m) float64
    innovation_covariance : (n, m, m) float64
    nis : (n,) float64
        Normalised innovation squared ``νᵀ S⁻¹ ν``.
    log_likelihood : (n,) float64
        ``log N(ν; 0, S)``.
    """

    state: np.ndarray
    covariance: np.ndarray
    innovation: np.ndarray
    innovation_covariance: np.ndarray
    nis: np.ndarray
    log_likelihood: np.ndarray


def symmetrise(P: np.ndarray) -> np.ndarray:
    """``(P + Pᵀ) / 2`` over the last two axes (removes round-off asymmetry)."""
    return 0.5 * (P + np.swapaxes(P, -1, -2))


def position_matrix(state_dim: int = 6, n_meas: int = 3) -> np.ndarray:
    """Measurement matrix ``H = [I 0]`` picking the first ``n_meas`` state components."""
    return np.eye(n_meas, state_dim)


def kalman_predict(
    x: np.ndarray, P: np.ndarray, F: np.ndarray, Q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Predict states and covariances one step: ``F x``, ``F P Fᵀ + Q``.

    Parameters
    ----------
    x : (n, d) float64
    P : (n, d, d) float64
    F : (d, d) or (n, d, d) float64
    Q : (d, d) or (n, d, d) float64

    Returns
    -------
    x_pred : (n, d) float64
    P_pred : (n, d, d) float64
    """
    x_pred = np.einsum("...ij,...j->...i", F, x)
    P_pred = F @ P @ np.swapaxes(F, -1, -2) + Q
    return x_pred, symmetrise(P_pred)


def mahalanobis_squared(innovation: np.ndarray, S: np.ndarray) -> np.ndarray:
    """``νᵀ S⁻¹ ν`` for stacks ``ν (..., m)`` and ``S (..., m, m)``."""
    solved = np.linalg.solve(S, innovation[..., None])[..., 0]
    return np.einsum("...i,...i->...", innovation, solved)


def kalman_update(
    x: np.ndarray,
    P: np.ndarray,
    z: np.ndarray,
    R: np.ndarray,
    H: np.ndarray,
    innovation: np.ndarray | None = None,
) -> KalmanUpdate:
    """Kalman update of every track with its own measurement (Joseph form).

    Parameters
    ----------
    x : (n, d) float64
        Predicted states.
    P : (n, d, d) float64
        Predicted covariances.
    z : (n, m) float64
        Measurements (ignored when ``innovation`` is given).
    R : (n, m, m) or (m, m) float64
        Measurement noise covariances.
    H : (m, d) or (n, m, d) float64
        Measurement matrices (Jacobians for an EKF).
    innovation : (n, m) float64, optional
        Precomputed innovation ``z − h(x)``, for nonlinear measurements (EKF) or angle
        wrapping.

    Returns
    -------
    KalmanUpdate
    """
    Ht = np.swapaxes(H, -1, -2)
    if innovation is None:
        innovation = z - np.einsum("...ij,...j->...i", H, x)
    PHt = P @ Ht
    S = symmetrise(H @ PHt + R)
    # K = P Hᵀ S⁻¹, solved rather than inverted: Kᵀ = S⁻¹ (P Hᵀ)ᵀ since S is symmetric.
    K = np.swapaxes(np.linalg.solve(S, np.swapaxes(PHt, -1, -2)), -1, -2)
    x_new = x + np.einsum("...ij,...j->...i", K, innovation)
    d = x.shape[-1]
    A = np.eye(d) - K @ H
    P_new = A @ P @ np.swapaxes(A, -1, -2) + K @ R @ np.swapaxes(K, -1, -2)
    nis = mahalanobis_squared(innovation, S)
    m = innovation.shape[-1]
    _, logdet = np.linalg.slogdet(S)
    log_likelihood = -0.5 * (nis + logdet + m * np.log(2.0 * np.pi))
    return KalmanUpdate(x_new, symmetrise(P_new), innovation, S, nis, log_likelihood)


def inverse_3x3(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse and determinant of symmetric 3 x 3 matrices ``(n, 3, 3)`` by cofactors.

    A handful of elementwise operations per matrix, compiled (the arithmetic of
    :func:`inverse_3x3_reference`, to the bit); far faster than batched LAPACK calls on many
    tiny matrices.
    """
    return inverse_3x3_kernel(np.ascontiguousarray(S, dtype=float).reshape(-1, 3, 3))


def inverse_3x3_reference(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`inverse_3x3`."""
    a, b, c = S[:, 0, 0], S[:, 0, 1], S[:, 0, 2]
    d, e, f = S[:, 1, 1], S[:, 1, 2], S[:, 2, 2]
    A = d * f - e * e
    B = c * e - b * f
    C = b * e - c * d
    D = a * f - c * c
    E = b * c - a * e
    F = a * d - b * b
    det = a * A + b * B + c * C
    inverse = np.stack([A, B, C, B, D, E, C, E, F], -1).reshape(-1, 3, 3) / det[:, None, None]
    return inverse, det


def position_update(x: np.ndarray, P: np.ndarray, z: np.ndarray, R: np.ndarray) -> KalmanUpdate:
    """:func:`kalman_update` for 3-D position measurements, ``H = [I 0]``, without matrix ``H``.

    With ``H = [I 0]``, ``H P = P[:3, :]`` and the Joseph form expands to
    ``P − K H P − (K H P)ᵀ + K S Kᵀ`` (the same expression for any gain ``K``), which needs
    only ``(d x 3)`` products.

    Parameters
    ----------
    x : (n, d) float64
    P : (n, d, d) float64
    z : (n, 3) float64
    R : (n, 3, 3) float64

    Returns
    -------
    KalmanUpdate
    """
    innovation, S, S_inv, det, x_new, P_new = position_update_terms(x, P, z, R)
    nis = np.einsum("ni,nij,nj->n", innovation, S_inv, innovation)
    log_likelihood = -0.5 * (nis + np.log(det) + 3 * np.log(2.0 * np.pi))
    return KalmanUpdate(x_new, P_new, innovation, S, nis, log_likelihood)


def position_update_terms(
    x: np.ndarray, P: np.ndarray, z: np.ndarray, R: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The steps of :func:`position_update` before its NIS and log-likelihood: innovations
    ``(n, 3)``, ``S`` ``(n, 3, 3)``, ``S⁻¹``, ``det S`` ``(n,)``, updated states ``(n, d)``
    and covariances ``(n, d, d)`` (a filter that only updates its table needs no more)."""
    innovation, S, S_inv, det = position_innovation_kernel(x, P, z, R)
    K = P[:, :, :3] @ S_inv
    x_new = x + np.einsum("nij,nj->ni", K, innovation)
    P_new = joseph_covariance_kernel(P, K @ P[:, :3, :], K @ S @ np.swapaxes(K, -1, -2))
    return innovation, S, S_inv, det, x_new, P_new


def position_update_rows(
    state: np.ndarray, covariance: np.ndarray, slots: np.ndarray, z: np.ndarray, R: np.ndarray
) -> None:
    """:func:`position_update_terms`'s updated states and covariances of the rows ``slots``
    ``(n,) int64`` of a table's ``state`` ``(c, d)`` and ``covariance`` ``(c, d, d)``
    (float64, C order), written back in place, with positions ``z`` ``(n, 3)`` m and their
    covariances ``R`` ``(n, 3, 3)`` m²: the same arithmetic, matrix products included, in
    one compiled call, without gathering and scattering the rows or building the terms no
    caller reads."""
    position_update_rows_kernel(state, covariance, slots, z, R)


def position_update_reference(
    x: np.ndarray, P: np.ndarray, z: np.ndarray, R: np.ndarray
) -> KalmanUpdate:
    """NumPy twin of :func:`position_update` (whose elementwise steps are compiled)."""
    innovation = z - x[:, :3]
    PHt = P[:, :, :3]
    S = symmetrise(P[:, :3, :3] + R)
    S_inv, det = inverse_3x3(S)
    K = PHt @ S_inv
    x_new = x + np.einsum("nij,nj->ni", K, innovation)
    KHP = K @ P[:, :3, :]
    P_new = P - KHP - np.swapaxes(KHP, -1, -2) + K @ S @ np.swapaxes(K, -1, -2)
    nis = np.einsum("ni,nij,nj->n", innovation, S_inv, innovation)
    log_likelihood = -0.5 * (nis + np.log(det) + 3 * np.log(2.0 * np.pi))
    return KalmanUpdate(x_new, symmetrise(P_new), innovation, S, nis, log_likelihood)


def constant_velocity_predict(
    x: np.ndarray, P: np.ndarray, dt_s: np.ndarray, accel_std_mps2: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kalman_predict` for the CV model with DWNA noise (compiled; the arithmetic of
    :func:`constant_velocity_predict_reference`, to the bit).

    Parameters
    ----------
    x : (n, 6) float64
    P : (n, 6, 6) float64
    dt_s : (n,) float64
    accel_std_mps2 : float
    """
    T = np.asarray(dt_s, dtype=float)
    var = accel_std_mps2**2
    return constant_velocity_predict_kernel(
        np.ascontiguousarray(x, dtype=float),
        np.ascontiguousarray(P, dtype=float),
        T,
        var * T**4 / 4,
        var * T**3 / 2,
        var * T**2,
    )


def constant_velocity_predict_rows(
    state: np.ndarray,
    covariance: np.ndarray,
    time_s: np.ndarray,
    slots: np.ndarray,
    dt_s: np.ndarray,
    accel_std_mps2: float,
    t_s: float,
) -> None:
    """:func:`constant_velocity_predict` of the rows ``slots`` ``(n,)`` of a track table, in
    place: ``state`` ``(c, 6)``, ``covariance`` ``(c, 6, 6)`` (float64, C order) and the
    epochs ``time_s`` ``(c,)``, raised to ``t_s``; ``dt_s`` ``(n,)`` the time steps. The
    same arithmetic, without gathering and scattering the rows. ``dt_s`` is taken as it is
    (a float64 array: this runs at every look); of the noise terms only its powers are
    NumPy calls."""
    T = dt_s
    constant_velocity_predict_rows_kernel(
        state, covariance, time_s, slots, T, T**4, T**3, accel_std_mps2**2, t_s
    )


def constant_velocity_predict_reference(
    x: np.ndarray, P: np.ndarray, dt_s: np.ndarray, accel_std_mps2: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kalman_predict` for the CV model with DWNA noise, written blockwise.

    With ``F = [[I, T I], [0, I]]`` and position/velocity blocks ``Ppp, Ppv, Pvv``:
    ``Ppp' = Ppp + T (Ppv + Pvp) + T² Pvv + σ² T⁴/4 I``, ``Ppv' = Ppv + T Pvv + σ² T³/2 I``,
    ``Pvv' = Pvv + σ² T² I`` (BLK eq. 6.3.2-2 and 6.3.2-4), elementwise over tracks.

    Parameters
    ----------
    x : (n, 6) float64
    P : (n, 6, 6) float64
    dt_s : (n,) float64
    accel_std_mps2 : float
    """
    T = np.asarray(dt_s, dtype=float)[:, None, None]
    var = accel_std_mps2**2
    eye = np.eye(3)
    x_new = x.copy()
    x_new[:, :3] += T[:, :, 0] * x[:, 3:]
    Ppp, Ppv, Pvp, Pvv = P[:, :3, :3], P[:, :3, 3:], P[:, 3:, :3], P[:, 3:, 3:]
    P_new = np.empty_like(P)
    P_new[:, :3, :3] = Ppp + T * (Ppv + Pvp) + T**2 * Pvv + (var * T**4 / 4) * eye
    P_new[:, :3, 3:] = Ppv + T * Pvv + (var * T**3 / 2) * eye
    P_new[:, 3:, :3] = np.swapaxes(P_new[:, :3, 3:], -1, -2)
    P_new[:, 3:, 3:] = Pvv + (var * T**2) * eye
    return x_new, symmetrise(P_new)
