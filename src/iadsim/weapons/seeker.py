"""The interceptor's radar seeker: lock-on range from the target's RCS, and noisy angles.

Terminal guidance sees the target only through these measurements: the seeker locks on when
its signal-to-noise ratio reaches the level it has at its reference range against its
reference RCS, and then measures the line of sight (LOS) with three errors normal to it
(Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., AIAA 2012, ch. 6 "Noise
analysis", and Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001, sec. 4.4 "angle
accuracy" and "glint"):

- range-independent angle noise (boresight and processing), ``sigma_a`` rad;
- receiver (thermal) angle noise, ``sigma_t (R / R_acq)^k`` rad, which grows as the SNR falls:
  ``sigma ~ 1 / sqrt(SNR)`` with ``SNR ~ R^-4`` for an active seeker (``k = 2``) and
  ``SNR ~ R_tm^-2`` for a semi-active one at a given illuminator range (``k = 1``);
- glint, the wander of the apparent reflection centre over the target's extent, a position
  error of ``sigma_g`` metres whatever the range (Skolnik sec. 4.4: of the order of a fraction
  of the target's extent), correlated over :data:`GLINT_CORRELATION_TIME_S`.

The two angle noises are drawn independently at every guidance sample (white noise of
spectral density ``Phi = sigma^2 dt`` per axis at the sample interval ``dt``, as in
Zarchan's noise simulations); glint is a first-order Gauss-Markov process
(:func:`glint_step`). Both are drawn as 3-D isotropic displacements of the apparent target
of which the seeker sees the part normal to the LOS (:func:`measured_line_of_sight`).

All functions come as a vectorised form (rows are missiles) and a scalar ``njit`` twin for the
compiled flyout kernel; a test checks that they agree.
"""

from __future__ import annotations

import numpy as np
from numba import njit

GLINT_FRACTION_OF_SIZE = 0.15
"""One-sigma glint as a fraction of the target's largest dimension (ASSUMPTION, range
0.1-0.3: Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 4.4: the apparent centre
wanders over the target's projected extent, at times beyond it; the largest dimension stands
for that extent at a general aspect)."""


GLINT_CORRELATION_TIME_S = 0.1
"""Correlation time of glint (ASSUMPTION, range 0.02-0.3 s: glint spectra of aircraft extend
over a few hertz, Skolnik sec. 4.4)."""


def acquisition_range_m(
    reference_range_m, reference_rcs_m2, rcs_m2, active, illuminator_reference_m,
    illuminator_range_m,
) -> np.ndarray:  # fmt: skip
    """Range at which the seeker locks on, from the radar equation.

    Active seeker (monostatic radar equation, Skolnik eq. 1.7, ``SNR ~ sigma / R^4``):
    ``R = R_ref (sigma / sigma_ref)^(1/4)``. Semi-active seeker (bistatic radar equation,
    Skolnik eq. 1.14 form ``SNR ~ sigma / (R_it^2 R_tm^2)`` with ``R_it`` the illuminator to
    target range): ``R = R_ref (sigma / sigma_ref)^(1/2) R_it,ref / R_it``; where no reference
    illuminator range is given (``<= 0``) the illuminator term is left out.

    Parameters
    ----------
    reference_range_m : array_like, (n,)
        Lock-on range against ``reference_rcs_m2``, m (``inf``: locked on from launch).
    reference_rcs_m2, rcs_m2 : array_like, (n,)
        Reference and actual target RCS, m^2.
    active : array_like of bool, (n,)
        Active (True) or semi-active (False) seeker.
    illuminator_reference_m, illuminator_range_m : array_like, (n,)
        Illuminator to target range at which ``reference_range_m`` holds, and now, m.

    Returns
    -------
    ndarray, (n,)
        Lock-on range, m.
    """
    ratio = np.asarray(rcs_m2, dtype=float) / np.asarray(reference_rcs_m2, dtype=float)
    reference = np.asarray(illuminator_reference_m, dtype=float)
    illuminator = np.maximum(np.asarray(illuminator_range_m, dtype=float), 1.0)
    semi_active = np.sqrt(ratio) * np.where(reference > 0.0, reference / illuminator, 1.0)
    scale = np.where(np.asarray(active, dtype=bool), ratio**0.25, semi_active)
    return np.asarray(reference_range_m, dtype=float) * scale


@njit(cache=True)
def acquisition_range_scalar(
    reference_range_m: float, reference_rcs_m2: float, rcs_m2: float, active: bool,
    illuminator_reference_m: float, illuminator_range_m: float,
) -> float:  # fmt: skip
    """Scalar twin of :func:`acquisition_range_m`."""
    ratio = rcs_m2 / reference_rcs_m2
    if active:
        return reference_range_m * ratio**0.25
    scale = np.sqrt(ratio)
    if illuminator_reference_m > 0.0:
        scale *= illuminator_reference_m / max(illuminator_range_m, 1.0)
    return reference_range_m * scale


def noise_sigma_m(
    range_m, acquisition_range, angle_noise_rad, thermal_noise_rad, active
) -> np.ndarray:
    """One-sigma white angle error, as a displacement normal to the LOS per axis, m.

    ``sigma^2 = (R sigma_a)^2 + (R sigma_t (R / R_acq)^k)^2`` (the two independent angle
    noises of the module docstring; ``k = 2`` active, 1 semi-active).

    Parameters
    ----------
    range_m, acquisition_range : array_like, (n,)
        Seeker to target range and lock-on range, m.
    angle_noise_rad, thermal_noise_rad : array_like, (n,)
        ``sigma_a`` and ``sigma_t`` (the latter at the lock-on range), rad.
    active : array_like of bool, (n,)

    Returns
    -------
    ndarray, (n,)
        m.
    """
    r = np.asarray(range_m, dtype=float)
    power = np.where(np.asarray(active, dtype=bool), 2.0, 1.0)
    relative = np.minimum(r / np.maximum(acquisition_range, 1e-9), 1e6)
    thermal = r * np.asarray(thermal_noise_rad, dtype=float) * relative**power
    angle = r * np.asarray(angle_noise_rad, dtype=float)
    return np.sqrt(angle * angle + thermal * thermal)


@njit(cache=True)
def noise_sigma_scalar(
    range_m: float, acquisition_range: float, angle_noise_rad: float, thermal_noise_rad: float,
    active: bool,
) -> float:  # fmt: skip
    """Scalar twin of :func:`noise_sigma_m`."""
    relative = min(range_m / max(acquisition_range, 1e-9), 1e6)
    power = 2.0 if active else 1.0
    thermal = range_m * thermal_noise_rad * relative**power
    angle = range_m * angle_noise_rad
    return np.sqrt(angle * angle + thermal * thermal)


def glint_step(previous_m, glint_m, dt_s: float, draws, start) -> np.ndarray:
    """Glint offset one sample on: a first-order Gauss-Markov displacement of the apparent
    reflection centre from the target's centre, isotropic in three dimensions.

    ``g_k+1 = phi g_k + sigma_g sqrt(1 - phi^2) w_k`` with ``phi = exp(-dt / tau_g)``
    (exact discretisation of ``dg/dt = -g / tau_g + noise``, e.g. Gelb, *Applied Optimal
    Estimation*, 1974, sec. 3.8), started from its stationary distribution ``sigma_g w`` at
    lock-on. Glint is correlated over :data:`GLINT_CORRELATION_TIME_S`, so it is not averaged
    away by the autopilot lag as white noise of the same sigma would be.

    The offset is carried in the earth-fixed frame, not in a frame tied to the line of sight:
    the seeker sees its component normal to the LOS (:func:`measured_line_of_sight`), which
    then has one-sigma ``sigma_g`` per axis and the Gauss-Markov correlation whatever the
    LOS does. (A 2-D offset in a LOS-normal basis chosen per sample from the LOS components
    lost its correlation whenever that basis switched axes, which whitened the glint and cut
    its miss by up to a fifth.)

    Parameters
    ----------
    previous_m : array_like, (n, 3)
        Offsets at the previous sample, m.
    glint_m : array_like, (n,)
        ``sigma_g``, m.
    dt_s : float
    draws : array_like, (n, 3)
        Standard normal draws.
    start : array_like of bool, (n,)
        First sample after lock-on.

    Returns
    -------
    ndarray, (n, 3)
    """
    phi = np.exp(-dt_s / GLINT_CORRELATION_TIME_S)
    sigma = np.asarray(glint_m, dtype=float)[:, None]
    w = np.asarray(draws, dtype=float)
    markov = phi * np.asarray(previous_m, dtype=float) + sigma * np.sqrt(1.0 - phi * phi) * w
    return np.where(np.asarray(start, dtype=bool)[:, None], sigma * w, markov)


@njit(cache=True)
def glint_step_scalar(g, glint_m: float, dt_s: float, w, start: bool) -> tuple[float, float, float]:
    """Scalar twin of :func:`glint_step`: ``g`` and ``w`` are 3-sequences."""
    if start:
        return glint_m * w[0], glint_m * w[1], glint_m * w[2]
    phi = np.exp(-dt_s / GLINT_CORRELATION_TIME_S)
    k = glint_m * np.sqrt(1.0 - phi * phi)
    return phi * g[0] + k * w[0], phi * g[1] + k * w[1], phi * g[2] + k * w[2]


def measured_line_of_sight(rel_pos_m, offset_m) -> np.ndarray:
    """Unit LOS vector the seeker measures: the true one, displaced normal to itself.

    ``u = (r + o - (o . r_hat) r_hat) / |...|``: only the component of the apparent
    displacement ``o`` normal to the LOS moves the measured direction. A 3-D isotropic ``o``
    of one-sigma ``s`` per axis gives a displacement of one-sigma ``s`` along each of the two
    LOS-normal axes, with no basis to choose (none is continuous over all directions).

    Parameters
    ----------
    rel_pos_m : array_like, (n, 3)
        Target minus missile position, m.
    offset_m : array_like, (n, 3)
        Apparent displacement of the target (angle noise times range, plus glint), m.

    Returns
    -------
    ndarray, (n, 3)
    """
    r = np.asarray(rel_pos_m, dtype=float)
    u = r / np.maximum(np.linalg.norm(r, axis=1), 1e-12)[:, None]
    o = np.asarray(offset_m, dtype=float)
    measured = r + o - np.einsum("ij,ij->i", o, u)[:, None] * u
    return measured / np.maximum(np.linalg.norm(measured, axis=1), 1e-12)[:, None]


@njit(cache=True)
def measured_line_of_sight_scalar(
    rx: float, ry: float, rz: float, ox: float, oy: float, oz: float
) -> tuple[float, float, float]:
    """Scalar twin of :func:`measured_line_of_sight`."""
    norm = max(np.sqrt(rx * rx + ry * ry + rz * rz), 1e-12)
    ux, uy, uz = rx / norm, ry / norm, rz / norm
    along = ox * ux + oy * uy + oz * uz
    mx = rx + ox - along * ux
    my = ry + oy - along * uy
    mz = rz + oz - along * uz
    m = max(np.sqrt(mx * mx + my * my + mz * mz), 1e-12)
    return mx / m, my / m, mz / m
