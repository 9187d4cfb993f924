"""Radar measurements for trackers: spherical ↔ ENU, and unbiased converted measurements.

Angles follow the radar convention used throughout iadsim: azimuth clockwise from north
(east = +π/2), elevation above the local horizontal, in the sensor's ENU frame::

    e = r cos(el) sin(az),   n = r cos(el) cos(az),   u = r sin(el)

Converting a polar measurement to Cartesian coordinates by the formula above is biased when
the cross-range error ``r σ_az`` is large: ``E[cos(az + w)] = λ cos(az)`` with
``λ = exp(−σ²/2)``. The unbiased conversion divides by these factors (multiplicative
debiasing; Longbin, Xiaoquan, Yizu, Kang & Bar-Shalom, "Unbiased converted measurements for
tracking", IEEE TAES 34(3), 1998; Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*,
YBS 2011, sect. 1.4; the additive form is Lerro & Bar-Shalom, IEEE TAES 29(4), 1993). Its
covariance is the true error covariance averaged over the true position given the
measurement (the true angle taken as ``measured − noise``). With ``E[cos kw] = λ^{k²}``:

    R_xx = c_h² ρ₂ ¼(1 + λe⁸ C2e)(1 − λa⁸ C2a) − ρ₁ ¼(1 + λe⁴ C2e)(1 − λa⁴ C2a)

and likewise for the other entries (see :func:`converted_measurement`), where
``c_h = 1/(λa λe)``, ``ρ₁ = r² + σr²``, ``ρ₂ = r² + 2σr²``, ``C2a = cos 2az``. For small
errors it reduces to the linearised ``J diag(σr², σa², σe²) Jᵀ``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from iadsim.tracking._kernels import converted_measurement_in_frame_kernel

__all__ = [
    "converted_measurement",
    "enu_to_spherical",
    "linearised_measurement_covariance",
    "spherical_jacobian",
    "spherical_to_enu",
]


def spherical_to_enu(range_m, az_rad, el_rad) -> np.ndarray:
    """Range/azimuth/elevation to ENU position, shape ``(n, 3)`` (m)."""
    range_m, az_rad, el_rad = np.broadcast_arrays(
        np.atleast_1d(np.asarray(range_m, dtype=float)),
        np.atleast_1d(np.asarray(az_rad, dtype=float)),
        np.atleast_1d(np.asarray(el_rad, dtype=float)),
    )
    horizontal = range_m * np.cos(el_rad)
    return np.stack(
        [horizontal * np.sin(az_rad), horizontal * np.cos(az_rad), range_m * np.sin(el_rad)], -1
    )


def enu_to_spherical(enu_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ENU position ``(n, 3)`` to range (m), azimuth (rad, in (−π, π]) and elevation (rad)."""
    enu_m = np.atleast_2d(np.asarray(enu_m, dtype=float))
    e, n, u = enu_m[:, 0], enu_m[:, 1], enu_m[:, 2]
    horizontal = np.hypot(e, n)
    return np.hypot(horizontal, u), np.arctan2(e, n), np.arctan2(u, horizontal)


def spherical_jacobian(range_m, az_rad, el_rad) -> np.ndarray:
    """Jacobian ``∂(e, n, u)/∂(r, az, el)`` at the given points, shape ``(n, 3, 3)``."""
    r, a, el = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (range_m, az_rad, el_rad))
    r, a, el = np.broadcast_arrays(r, a, el)
    ca, sa, ce, se = np.cos(a), np.sin(a), np.cos(el), np.sin(el)
    J = np.empty((r.size, 3, 3))
    J[:, 0] = np.stack([ce * sa, r * ce * ca, -r * se * sa], -1)
    J[:, 1] = np.stack([ce * ca, -r * ce * sa, -r * se * ca], -1)
    J[:, 2] = np.stack([se, np.zeros_like(r), r * ce], -1)
    return J


def linearised_measurement_covariance(
    range_m, az_rad, el_rad, sigma_range_m, sigma_az_rad, sigma_el_rad
) -> np.ndarray:
    """Linearised Cartesian covariance ``J diag(σr², σa², σe²) Jᵀ``, shape ``(n, 3, 3)``."""
    J = spherical_jacobian(range_m, az_rad, el_rad)
    n = J.shape[0]
    variances = np.stack(
        [
            np.broadcast_to(np.asarray(sigma, dtype=float) ** 2, (n,))
            for sigma in (sigma_range_m, sigma_az_rad, sigma_el_rad)
        ],
        -1,
    )
    return (J * variances[:, None, :]) @ np.swapaxes(J, -1, -2)


def converted_measurement(
    range_m, az_rad, el_rad, sigma_range_m, sigma_az_rad, sigma_el_rad
) -> tuple[np.ndarray, np.ndarray]:
    """Unbiased converted measurement and its covariance in the sensor's ENU frame.

    Parameters
    ----------
    range_m, az_rad, el_rad : (n,) float64
        Measured range (m), azimuth clockwise from north (rad), elevation (rad).
    sigma_range_m, sigma_az_rad, sigma_el_rad : float or (n,) float64
        Standard deviations of the measurement errors (m, rad, rad).

    Returns
    -------
    z_m : (n, 3) float64
        Debiased ENU position about the sensor (m).
    R_m2 : (n, 3, 3) float64
        Its error covariance (m²).

    Notes
    -----
    Position: ``x = r cos(el) sin(az) / (λa λe)``, ``y = r cos(el) cos(az) / (λa λe)``,
    ``z = r sin(el) / λe`` with ``λ = exp(−σ²/2)`` (Longbin et al. 1998, eq. 13). Covariance:
    see the module docstring; each entry is ``c² ρ₂ ⟨trig⟩₈ − ρ₁ ⟨trig⟩₄`` where the
    subscripts give the damping exponent applied to the second harmonics.
    """
    values: Sequence[np.ndarray] = (
        range_m,
        az_rad,
        el_rad,
        sigma_range_m,
        sigma_az_rad,
        sigma_el_rad,
    )
    shape = np.shape(range_m)
    if not all(
        type(v) is np.ndarray and v.dtype == np.float64 and v.ndim == 1 and v.shape == shape
        for v in values
    ):  # a detection batch's columns already agree; broadcasting is slow on tiny arrays
        values = [np.atleast_1d(np.asarray(v, dtype=float)) for v in values]
        if any(v.shape != values[0].shape for v in values):
            values = np.broadcast_arrays(*values)
    r, a, el, sr, sa, se = values
    la = np.exp(-0.5 * sa**2)
    le = np.exp(-0.5 * se**2)
    c_h = 1.0 / (la * le)
    c_u = 1.0 / le
    horizontal = r * np.cos(el)
    z = np.empty((r.size, 3))
    z[:, 0] = horizontal * np.sin(a)
    z[:, 1] = horizontal * np.cos(a)
    z[:, 2] = r * np.sin(el)
    z[:, :2] *= c_h[:, None]
    z[:, 2] *= c_u

    rho1 = r**2 + sr**2
    rho2 = r**2 + 2.0 * sr**2
    c2a, s2a = np.cos(2 * a), np.sin(2 * a)
    c2e, s2e = np.cos(2 * el), np.sin(2 * el)
    la4, la8, le4, le8 = la**4, la**8, le**4, le**8
    # E[x_u x_uᵀ | truth] averaged over truth | measurement (damping applied twice: "8"),
    # minus E[x xᵀ | measurement] (damping once: "4"); cos²el = (1 + cos 2el) / 2 etc.
    horizontal8 = c_h**2 * rho2 * 0.25 * (1 + le8 * c2e)
    horizontal4 = rho1 * 0.25 * (1 + le4 * c2e)
    mixed8 = c_h * c_u * rho2 * 0.5 * le8 * s2e * la**2
    mixed4 = rho1 * 0.5 * le4 * s2e * la
    R = np.empty((r.size, 3, 3))
    R[:, 0, 0] = horizontal8 * (1 - la8 * c2a) - horizontal4 * (1 - la4 * c2a)
    R[:, 1, 1] = horizontal8 * (1 + la8 * c2a) - horizontal4 * (1 + la4 * c2a)
    R[:, 2, 2] = c_u**2 * rho2 * 0.5 * (1 - le8 * c2e) - rho1 * 0.5 * (1 - le4 * c2e)
    R[:, 0, 1] = R[:, 1, 0] = (horizontal8 * la8 - horizontal4 * la4) * s2a
    R[:, 0, 2] = R[:, 2, 0] = (mixed8 - mixed4) * np.sin(a)
    R[:, 1, 2] = R[:, 2, 1] = (mixed8 - mixed4) * np.cos(a)
    return z, R


def converted_measurement_in_frame_reference(
    range_m,
    az_rad,
    el_rad,
    sigma_range_m,
    sigma_az_rad,
    sigma_el_rad,
    sensor_ecef_m,
    sensor_rotation,
    frame_ecef_m,
    frame_rotation,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`converted_measurement` carried from the sensor's ENU frame to another one.

    ``z_frame = R_f (R_sᵀ z + o_s - o_f)`` and ``R_frame = T R Tᵀ`` with ``T = R_f R_sᵀ``,
    where ``o`` are the frames' ECEF origins and ``R`` their ECEF-to-ENU rotations.

    Parameters
    ----------
    range_m, az_rad, el_rad, sigma_range_m, sigma_az_rad, sigma_el_rad : (n,) float64
        As for :func:`converted_measurement`.
    sensor_ecef_m, frame_ecef_m : (3,) float64
        ECEF origins of the sensor's and of the destination ENU frame, m.
    sensor_rotation, frame_rotation : (3, 3) float64
        Their ECEF-to-ENU rotations (:func:`iadsim.geo.frames.enu_rotation`).

    Returns
    -------
    z_m : (n, 3) float64
        Debiased positions in the destination frame, m.
    R_m2 : (n, 3, 3) float64
        Their error covariances, m².
    """
    z, R = converted_measurement(range_m, az_rad, el_rad, sigma_range_m, sigma_az_rad, sigma_el_rad)
    to_frame = frame_rotation @ sensor_rotation.T
    z_ecef = np.einsum("ji,nj->ni", sensor_rotation, z) + sensor_ecef_m
    z_frame = np.einsum("ij,nj->ni", frame_rotation, z_ecef - frame_ecef_m)
    return z_frame, to_frame @ R @ to_frame.T


def converted_measurement_in_frame(
    range_m,
    az_rad,
    el_rad,
    sigma_range_m,
    sigma_az_rad,
    sigma_el_rad,
    sensor_ecef_m,
    sensor_rotation,
    frame_ecef_m,
    frame_rotation,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`converted_measurement_in_frame_reference` compiled, for one look's columns.

    One call per radar look: the reference's dozen small NumPy calls and matrix products cost
    about 30 times the arithmetic on the few detections of a look. Same parameters and
    returns; the columns must be ``(n,)`` float64 arrays, the origins ``(3,)`` and the
    rotations ``(3, 3)`` float64 arrays.
    """
    n = range_m.shape[0]
    z = np.empty((n, 3))
    R = np.empty((n, 3, 3))
    converted_measurement_in_frame_kernel(
        range_m,
        az_rad,
        el_rad,
        sigma_range_m,
        sigma_az_rad,
        sigma_el_rad,
        sensor_ecef_m,
        sensor_rotation,
        frame_ecef_m,
        frame_rotation,
        z,
        R,
    )
    return z, R
