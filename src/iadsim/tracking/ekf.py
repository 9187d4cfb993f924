"""Extended Kalman filter update with radar measurements: range, azimuth, elevation (+ range rate).

The measurement of a target with position ``p`` and velocity ``v`` by a sensor at ``s``
moving with ``w`` (ENU, same frame as the track), with ``d = p − s``, ``ρ = sqrt(de² + dn²)``,
``r = |d|`` and the relative velocity ``u = v − w``:

    r = |d|,  az = atan2(de, dn),  el = atan2(du, ρ),  ṙ = d·u / r

Jacobian (Bar-Shalom, Li & Kirubarajan 2001, sect. 10.3; azimuth clockwise from north):

    ∂r/∂p = dᵀ/r
    ∂az/∂p = [dn, −de, 0] / ρ²
    ∂el/∂p = [−du de / (r² ρ), −du dn / (r² ρ), ρ / r²]
    ∂ṙ/∂p = uᵀ/r − (d·u) dᵀ / r³,   ∂ṙ/∂v = dᵀ/r

The azimuth innovation is wrapped into (−π, π]. The update itself is the Joseph-form
Kalman update of :func:`iadsim.tracking.kalman.kalman_update` with ``H`` the Jacobian at the
predicted state (first-order EKF).
"""

from __future__ import annotations

import numpy as np

from iadsim.tracking.kalman import KalmanUpdate, kalman_update

__all__ = [
    "ekf_spherical_update",
    "range_rate_measurement",
    "spherical_measurement",
    "spherical_measurement_jacobian",
]


def _geometry(x: np.ndarray, sensor_position_m: np.ndarray):
    d = x[:, :3] - np.asarray(sensor_position_m, dtype=float)  # (3,) or (n, 3): broadcasts
    rho2 = d[:, 0] ** 2 + d[:, 1] ** 2
    r2 = rho2 + d[:, 2] ** 2
    return d, np.sqrt(rho2), rho2, np.sqrt(r2), r2


def _relative_velocity(x: np.ndarray, sensor_velocity_mps: np.ndarray | None) -> np.ndarray:
    if sensor_velocity_mps is None:
        return x[:, 3:6]
    return x[:, 3:6] - np.asarray(sensor_velocity_mps, dtype=float)


def spherical_measurement(
    x: np.ndarray,
    sensor_position_m: np.ndarray,
    with_range_rate: bool = False,
    sensor_velocity_mps: np.ndarray | None = None,
) -> np.ndarray:
    """Predicted ``[r, az, el(, ṙ)]`` of states ``x (n, ≥6)``, shape ``(n, 3 or 4)``.

    Parameters
    ----------
    x : (n, d) float64
        States ``[e, n, u, ve, vn, vu, ...]`` (m, m/s).
    sensor_position_m : (3,) or (n, 3) float64
        Sensor position in the same ENU frame (m).
    with_range_rate : bool
        Append the range rate ``ṙ`` (m/s).
    sensor_velocity_mps : (3,) or (n, 3) float64, optional
        Sensor velocity in the same frame (m/s); default at rest.
    """
    x = np.atleast_2d(x)
    d, rho, _, r, _ = _geometry(x, sensor_position_m)
    columns = [r, np.arctan2(d[:, 0], d[:, 1]), np.arctan2(d[:, 2], rho)]
    if with_range_rate:
        u = _relative_velocity(x, sensor_velocity_mps)
        columns.append(np.einsum("ni,ni->n", d, u) / r)
    return np.stack(columns, -1)


def spherical_measurement_jacobian(
    x: np.ndarray,
    sensor_position_m: np.ndarray,
    with_range_rate: bool = False,
    sensor_velocity_mps: np.ndarray | None = None,
) -> np.ndarray:
    """Jacobian of :func:`spherical_measurement` w.r.t. the state, ``(n, 3 or 4, d)``."""
    x = np.atleast_2d(x)
    d, rho, rho2, r, r2 = _geometry(x, sensor_position_m)
    n_meas = 4 if with_range_rate else 3
    H = np.zeros((x.shape[0], n_meas, x.shape[1]))
    H[:, 0, :3] = d / r[:, None]
    H[:, 1, 0] = d[:, 1] / rho2
    H[:, 1, 1] = -d[:, 0] / rho2
    H[:, 2, 0] = -d[:, 2] * d[:, 0] / (r2 * rho)
    H[:, 2, 1] = -d[:, 2] * d[:, 1] / (r2 * rho)
    H[:, 2, 2] = rho / r2
    if with_range_rate:
        H[:, 3] = _range_rate_and_row(x, d, r, r2, _relative_velocity(x, sensor_velocity_mps))[1]
    return H


def range_rate_measurement(
    x: np.ndarray, sensor_position_m: np.ndarray, sensor_velocity_mps: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Predicted range rate and its Jacobian row alone (the last row of
    :func:`spherical_measurement` and :func:`spherical_measurement_jacobian` with
    ``with_range_rate``, to the bit, without the angles).

    Parameters
    ----------
    x : (n, d) float64
        States ``[e, n, u, ve, vn, vu, ...]`` (m, m/s).
    sensor_position_m : (3,) or (n, 3) float64
        Sensor position in the same ENU frame (m).
    sensor_velocity_mps : (3,) or (n, 3) float64, optional
        Sensor velocity in the same frame (m/s); default at rest.

    Returns
    -------
    rate : (n,) float64
        ``ṙ`` (m/s).
    jacobian : (n, d) float64
        ``[∂ṙ/∂p, ∂ṙ/∂v, 0…]`` (1/s, dimensionless).
    """
    x = np.atleast_2d(x)
    d, _, _, r, r2 = _geometry(x, sensor_position_m)
    return _range_rate_and_row(x, d, r, r2, _relative_velocity(x, sensor_velocity_mps))


def _range_rate_and_row(
    x: np.ndarray, d: np.ndarray, r: np.ndarray, r2: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``ṙ = d·u / r`` ``(n,)`` and ``∂ṙ/∂x`` ``(n, d)`` from the line of sight ``d``, its
    length ``r`` and square ``r2``, and the relative velocity ``u`` (module docstring)."""
    d_dot_u = np.einsum("ni,ni->n", d, u)
    row = np.zeros(x.shape)
    row[:, :3] = u / r[:, None] - d_dot_u[:, None] * d / (r * r2)[:, None]
    row[:, 3:6] = d / r[:, None]
    return d_dot_u / r, row


def ekf_spherical_update(
    x: np.ndarray,
    P: np.ndarray,
    z: np.ndarray,
    R: np.ndarray,
    sensor_position_m: np.ndarray,
    sensor_velocity_mps: np.ndarray | None = None,
) -> KalmanUpdate:
    """EKF update of each state with one radar measurement.

    Parameters
    ----------
    x : (n, d) float64
        Predicted states (``d ≥ 6``).
    P : (n, d, d) float64
        Predicted covariances.
    z : (n, 3) or (n, 4) float64
        Measured ``[r (m), az (rad), el (rad)]`` and optionally ``ṙ`` (m/s).
    R : (n, m, m) or (m, m) float64
        Measurement covariance (m², rad², rad², (m/s)²).
    sensor_position_m : (3,) or (n, 3) float64
        Sensor position in the track frame (m).
    sensor_velocity_mps : (3,) or (n, 3) float64, optional
        Sensor velocity in the track frame (m/s), for ``ṙ``; default at rest.

    Returns
    -------
    KalmanUpdate
    """
    z = np.atleast_2d(z)
    with_range_rate = z.shape[1] == 4
    predicted = spherical_measurement(x, sensor_position_m, with_range_rate, sensor_velocity_mps)
    innovation = z - predicted
    innovation[:, 1] = np.angle(np.exp(1j * innovation[:, 1]))
    H = spherical_measurement_jacobian(x, sensor_position_m, with_range_rate, sensor_velocity_mps)
    return kalman_update(x, P, z, R, H, innovation=innovation)
