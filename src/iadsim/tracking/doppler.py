"""Range-rate (Doppler) updates of tracks, after their position update.

A pulse-Doppler radar reports the range rate ``ṙ = d·(v − w) / |d|`` of a detection (``d`` the
line of sight from the sensor, ``v`` the target's and ``w`` the sensor's velocity). Its error
is independent of the position error of the converted measurement, so the joint update with
``[position, ṙ]`` and block-diagonal ``R`` can be done as two sequential updates (exactly so
for linear measurements): the linear position update, then a scalar extended Kalman update
with ``ṙ`` linearised at the position-updated state, which is closer to the truth than the
prediction a joint EKF would linearise at (Bar-Shalom, Li & Kirubarajan 2001, sect. 10.3
for the Jacobian; sequential processing of independent measurements, Bar-Shalom & Li 1995,
sect. 1.4). The second step is
what ``filterpy.kalman.ExtendedKalmanFilter.update`` does with the ``ṙ`` row alone, and it is
where a Doppler radar's benefit comes from: the radial velocity of a new track is known after
one detection instead of two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.tracking._kernels import (
    range_rate_terms_kernel,
    scalar_update_kernel,
)
from iadsim.tracking._row_kernels import range_rate_update_rows_kernel
from iadsim.tracking.ekf import range_rate_measurement
from iadsim.tracking.kalman import KalmanUpdate, symmetrise

__all__ = [
    "RangeRates",
    "range_rate_update",
    "range_rate_update_rows",
    "scalar_update_reference",
]


@dataclass(frozen=True)
class RangeRates:
    """Range-rate measurements of one batch, in a track table's frame.

    Attributes
    ----------
    rate_mps : (n,) float64
        Measured range rates, positive opening (m/s).
    sigma_mps : (n,) float64
        Their one-sigma errors (m/s).
    sensor_position_m : (3,) float64
        Sensor position in the table's ENU frame (m).
    sensor_velocity_mps : (3,) float64
        Sensor velocity in the table's ENU frame (m/s).
    """

    rate_mps: np.ndarray
    sigma_mps: np.ndarray
    sensor_position_m: np.ndarray
    sensor_velocity_mps: np.ndarray

    def take(self, rows: np.ndarray) -> RangeRates:
        """The measurements of ``rows`` (indices or a mask)."""
        return RangeRates(
            self.rate_mps[rows],
            self.sigma_mps[rows],
            self.sensor_position_m,
            self.sensor_velocity_mps,
        )

    def repeat(self, times: int) -> RangeRates:
        """Each measurement ``times`` times in a row (one per IMM mode)."""
        return RangeRates(
            np.repeat(self.rate_mps, times),
            np.repeat(self.sigma_mps, times),
            self.sensor_position_m,
            self.sensor_velocity_mps,
        )


def range_rate_update(x: np.ndarray, P: np.ndarray, measured: RangeRates) -> KalmanUpdate:
    """Scalar EKF update of each state with its range rate (Joseph form).

    With one scalar measurement, ``S = H P Hᵀ + σ²`` is a number and ``K = P Hᵀ / S``; the
    Joseph form expands to ``P − K (P Hᵀ)ᵀ − (P Hᵀ) Kᵀ + S K Kᵀ`` (as in
    :func:`~iadsim.tracking.kalman.position_update`), so no matrix is inverted.

    Parameters
    ----------
    x : (n, d) float64
        States ``[e, n, u, ve, vn, vu, ...]`` (m, m/s), ``d ≥ 6``.
    P : (n, d, d) float64
        Their covariances.
    measured : RangeRates
        One range rate per state.

    Returns
    -------
    KalmanUpdate
        With ``(n, 1)`` innovations and ``(n, 1, 1)`` innovation covariances.
    """
    if x.shape[1] == 6:  # constant velocity: compiled
        innovation, PHt, S = range_rate_terms_kernel(
            np.ascontiguousarray(x, dtype=float),
            np.ascontiguousarray(P, dtype=float),
            np.asarray(measured.sensor_position_m, dtype=float),
            np.asarray(measured.sensor_velocity_mps, dtype=float),
            np.asarray(measured.rate_mps, dtype=float),
            np.asarray(measured.sigma_mps, dtype=float),
        )
    else:
        innovation, PHt, S = range_rate_terms_reference(x, P, measured)
    x_new, P_new = scalar_update_kernel(
        np.ascontiguousarray(x, dtype=float),
        np.ascontiguousarray(P, dtype=float),
        PHt,
        S,
        innovation,
    )
    return _scalar_result(x_new, P_new, innovation, S)


def range_rate_update_rows(
    state: np.ndarray, covariance: np.ndarray, slots: np.ndarray, measured: RangeRates
) -> None:
    """:func:`range_rate_update` of the rows ``slots`` ``(n,)`` of a table's
    constant-velocity ``state`` ``(c, 6)`` and ``covariance`` ``(c, 6, 6)`` (float64, C
    order), written back in place; the same arithmetic, compiled in one call. Nothing is
    returned: the tracker needs only the table. The measurements' arrays (float64, as
    :class:`RangeRates` holds them) go to the kernel as they are: this runs every look."""
    range_rate_update_rows_kernel(
        state,
        covariance,
        slots,
        measured.sensor_position_m,
        measured.sensor_velocity_mps,
        measured.rate_mps,
        measured.sigma_mps,
    )


def _scalar_result(
    x_new: np.ndarray, P_new: np.ndarray, innovation: np.ndarray, S: np.ndarray
) -> KalmanUpdate:
    """The :class:`KalmanUpdate` of scalar updates: ``(n, 1)`` innovations, ``(n, 1, 1)``
    innovation covariances, NIS and log-likelihoods."""
    nis = innovation**2 / S
    log_likelihood = -0.5 * (nis + np.log(S) + np.log(2.0 * np.pi))
    return KalmanUpdate(x_new, P_new, innovation[:, None], S[:, None, None], nis, log_likelihood)


def range_rate_terms_reference(
    x: np.ndarray, P: np.ndarray, measured: RangeRates
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Innovations ``(n,)``, ``P Hᵀ`` ``(n, d)`` and ``S = H P Hᵀ + σ²`` ``(n,)`` of range-rate
    measurements; NumPy twin of :func:`~iadsim.tracking._kernels.range_rate_terms_kernel`
    (and the path for states other than constant velocity)."""
    predicted, H = range_rate_measurement(
        x, measured.sensor_position_m, measured.sensor_velocity_mps
    )
    innovation = measured.rate_mps - predicted
    PHt = np.einsum("nij,nj->ni", P, H)
    S = np.einsum("ni,ni->n", H, PHt) + measured.sigma_mps**2
    return innovation, PHt, S


def scalar_update_reference(
    x: np.ndarray, P: np.ndarray, PHt: np.ndarray, S: np.ndarray, innovation: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`~iadsim.tracking._kernels.scalar_update_kernel`: the updated
    states ``(n, d)`` and symmetrised Joseph-form covariances ``(n, d, d)`` of scalar
    measurements with ``P Hᵀ (n, d)``, ``S (n,)`` and innovations ``(n,)``."""
    K = PHt / S[:, None]
    x_new = x + K * innovation[:, None]
    KHP = K[:, :, None] * PHt[:, None, :]
    P_new = P - KHP - np.swapaxes(KHP, -1, -2) + S[:, None, None] * K[:, :, None] * K[:, None, :]
    return x_new, symmetrise(P_new)
