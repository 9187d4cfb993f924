"""Filters that act on a whole :class:`~iadsim.tracking.table.TrackTable` at once.

A filter is a small frozen object with five verbs on table slots: ``prepare`` (add any
columns it needs), ``initiate`` (start tracks from position measurements), ``predict`` (to
a time), ``update`` (with one position measurement per slot) and ``update_range_rate``
(with a Doppler radar's range rate, after ``update``; :mod:`iadsim.tracking.doppler`).
Trackers only talk to this interface, so the same association and track management run
with a constant-velocity, constant-acceleration or IMM filter.

Measurements are Cartesian positions with full covariance (e.g. unbiased converted radar
measurements, :func:`iadsim.tracking.measurements.converted_measurement`); ``H = [I 0]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from iadsim.tracking import models
from iadsim.tracking._row_kernels import elapsed_rows_kernel, initiate_rows_kernel
from iadsim.tracking.doppler import RangeRates, range_rate_update, range_rate_update_rows
from iadsim.tracking.kalman import (
    KalmanUpdate,
    constant_velocity_predict_rows,
    kalman_predict,
    position_update_rows,
)
from iadsim.tracking.table import TrackTable

__all__ = ["KalmanFilter", "TableFilter", "initial_covariance"]


class TableFilter(Protocol):
    """What a tracker needs from a filter."""

    @property
    def state_dim(self) -> int:
        """Length of the state vector."""
        ...

    def prepare(self, table: TrackTable) -> None:
        """Add the filter's extra columns to a new table."""

    def initiate(
        self,
        table: TrackTable,
        slots: np.ndarray,
        z: np.ndarray,
        R: np.ndarray,
        speed_std_mps: float | None = None,
    ):
        """Start tracks in ``slots`` from positions ``z (k, 3)`` with covariances ``R``;
        ``speed_std_mps`` overrides the filter's velocity prior (m/s)."""

    def predict(self, table: TrackTable, slots: np.ndarray, t_s: float) -> None:
        """Predict the tracks in ``slots`` to time ``t_s``."""

    def update(self, table: TrackTable, slots: np.ndarray, z: np.ndarray, R: np.ndarray):
        """Update the tracks in ``slots`` with one position each, in place; may return a
        KalmanUpdate (None where the filter skips building one)."""

    def update_range_rate(self, table: TrackTable, slots: np.ndarray, measured: RangeRates):
        """Update the tracks in ``slots`` with one range rate each, in place; may return
        a KalmanUpdate (None where the filter skips building one)."""


_EYE3 = np.eye(3)
"""The 3 x 3 identity, made once (np.eye has Python layers)."""
_EYE3.flags.writeable = False


def initial_covariance(
    R: np.ndarray, state_dim: int, speed_std_mps: float, accel_std_mps2: float = 0.0
) -> np.ndarray:
    """Single-point initiation covariance ``blockdiag(R, σv² I, σa² I)``, shape ``(k, d, d)``.

    The position block is the measurement covariance; velocity (and acceleration) are
    unknown, with a prior standard deviation wide enough to cover the targets of interest.
    """
    k = R.shape[0]
    P = np.zeros((k, state_dim, state_dim))
    P[:, :3, :3] = R
    P[:, 3:6, 3:6] = _EYE3 * speed_std_mps**2
    if state_dim > 6:
        P[:, 6:9, 6:9] = _EYE3 * accel_std_mps2**2
    return P


@dataclass(frozen=True)
class KalmanFilter:
    """Linear Kalman filter with a constant-velocity or constant-acceleration model.

    Parameters
    ----------
    model : {"cv", "ca"}
        ``"cv"``: state ``[e, n, u, ve, vn, vu]`` with discrete white noise acceleration;
        ``"ca"``: adds ``[ae, an, au]`` with discrete Wiener process acceleration (BLK 6.3).
    process_noise_mps2 : float
        CV: standard deviation of the acceleration (m/s²). CA: standard deviation of the
        acceleration increment per step (m/s²).
    initial_speed_std_mps : float
        Prior velocity standard deviation of a new track (m/s).
    initial_accel_std_mps2 : float
        Prior acceleration standard deviation of a new CA track (m/s²).
    """

    model: str = "cv"
    process_noise_mps2: float = 15.0
    initial_speed_std_mps: float = 300.0
    initial_accel_std_mps2: float = 30.0

    @property
    def state_dim(self) -> int:
        """6 for CV, 9 for CA."""
        return 9 if self.model == "ca" else 6

    def transition(self, dt_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``F (n, d, d)`` and ``Q (n, d, d)`` for the time steps ``dt_s (n,)``."""
        if self.model == "ca":
            return (
                models.constant_acceleration_transition(dt_s),
                models.dwpa_process_noise(dt_s, self.process_noise_mps2),
            )
        return (
            models.constant_velocity_transition(dt_s),
            models.dwna_process_noise(dt_s, self.process_noise_mps2),
        )

    def prepare(self, table: TrackTable) -> None:
        """No extra columns."""
        if table.state_dim != self.state_dim:
            msg = f"table has state_dim {table.state_dim}, filter needs {self.state_dim}"
            raise ValueError(msg)

    def initiate(
        self,
        table: TrackTable,
        slots: np.ndarray,
        z: np.ndarray,
        R: np.ndarray,
        speed_std_mps: float | None = None,
    ):
        """State ``[z, 0, (0)]`` with :func:`initial_covariance` (velocity prior
        ``speed_std_mps``, default the filter's), written row by row in place (``slots``,
        ``z`` and ``R`` arrays)."""
        speed = self.initial_speed_std_mps if speed_std_mps is None else speed_std_mps
        initiate_rows_kernel(
            table.state,
            table.covariance,
            slots,
            z,
            R,
            speed**2,
            self.initial_accel_std_mps2**2,
        )

    def predict(self, table: TrackTable, slots: np.ndarray, t_s: float) -> None:
        """``x = F x``, ``P = F P Fᵀ + Q`` for every slot, each with its own elapsed time."""
        if slots.size == 0:
            return
        # Out-of-sequence batches are not retrodicted: a track never predicts backwards.
        dt, moving = elapsed_rows_kernel(table.time_s, slots, float(t_s))
        if not moving:  # a second look at the same time (another radar of the post)
            return
        if self.model == "cv":  # in place, row by row
            constant_velocity_predict_rows(
                table.state,
                table.covariance,
                table.time_s,
                slots,
                dt,
                self.process_noise_mps2,
                float(t_s),
            )
            return
        F, Q = self.transition(dt)
        predicted = kalman_predict(table.state[slots], table.covariance[slots], F, Q)
        table.state[slots], table.covariance[slots] = predicted
        table.time_s[slots] = np.maximum(table.time_s[slots], t_s)

    def update(self, table: TrackTable, slots: np.ndarray, z: np.ndarray, R: np.ndarray) -> None:
        """Joseph-form update of each slot with its position measurement, in place (the
        arithmetic of :func:`~iadsim.tracking.kalman.position_update`, without its NIS and
        log-likelihood, which no caller reads), row by row."""
        position_update_rows(table.state, table.covariance, slots, z, R)

    def update_range_rate(
        self, table: TrackTable, slots: np.ndarray, measured: RangeRates
    ) -> KalmanUpdate | None:
        """Scalar EKF update of each slot with its range rate; None for constant velocity
        (updated in place, row by row, with no result built), else the KalmanUpdate."""
        if table.state_dim == 6:  # constant velocity: in place, row by row
            range_rate_update_rows(table.state, table.covariance, slots, measured)
            return None
        result = range_rate_update(table.state[slots], table.covariance[slots], measured)
        table.state[slots] = result.state
        table.covariance[slots] = result.covariance
        return result
