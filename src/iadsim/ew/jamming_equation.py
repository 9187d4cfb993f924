"""The noise-jamming equations: thermal noise, received jamming power, J/S and burn-through.

A noise jammer adds its power to the receiver's thermal noise, so a radar that had signal
to noise ``S / N`` now has ``S / (N + J)``: an SNR change of (Schleher, *Electronic Warfare
in the Information Age*, 1999, ch. 3; Adamy, *EW 101*, 2001, ch. 9)::

    Delta SNR = -10 log10(1 + J / N)                                            [dB]

with the thermal noise of the receiver (Skolnik, *Introduction to Radar Systems*, 3rd ed.,
2001, eq. 2.5)::

    N = k T0 B F,   k T0 = 4.00e-21 W/Hz = -174 dBm/Hz at T0 = 290 K

and the jamming power that enters it over the one-way path (Friis; Mahafza, *Radar
Systems Analysis and Design Using MATLAB*, 3rd ed., 2013, ECM section)::

    J = ERP_J G_R(theta) lambda^2 / ((4 pi)^2 R_J^2) * min(1, B / B_J) / L_J

``ERP_J`` the jammer's effective radiated power towards the radar, ``G_R(theta)`` the radar
antenna's gain towards the jammer, ``B / B_J`` the share of the noise bandwidth that falls
in the radar's receiver. The echo of the same radar (Skolnik eq. 2.1)::

    S = P_t G^2 lambda^2 sigma / ((4 pi)^3 R^4 L)

For a self-protection (self-screening) jammer ``R_J = R`` and the main lobe sees both::

    J / S = 4 pi ERP_J R^2 B L / (P_t G sigma B_J L_J)

which in Adamy's decibel form (ERPs in dBm, ``R`` in km, ``sigma`` in m^2) is
``J/S = 71 + ERP_J - ERP_S + 20 log R - 10 log sigma``, 71 dB being ``10 log10(4 pi 1e6)``.
Its crossover range (``J = S``) and burn-through range (``J / S`` at the value the radar
needs to detect through the noise) follow by solving for ``R``; for a stand-off jammer at
``R_J`` seen in a sidelobe of gain ``G'`` the crossover range is (Mahafza, ECM section)::

    R_co^4 = P_t G^2 sigma B_J L_J R_J^2 / (4 pi P_J G_J G' B L)
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BOLTZMANN_J_PER_K",
    "REFERENCE_TEMPERATURE_K",
    "SPEED_OF_LIGHT_MPS",
    "received_jamming_power_w",
    "self_screening_burn_through_range_m",
    "self_screening_crossover_range_m",
    "self_screening_j_over_s",
    "snr_change_db",
    "standoff_crossover_range_m",
    "thermal_noise_power_w",
]

BOLTZMANN_J_PER_K = 1.380649e-23
"""Boltzmann's constant, J/K (SI 2019, exact)."""
REFERENCE_TEMPERATURE_K = 290.0
"""The standard noise temperature ``T0``, K (IEEE Std 145; Skolnik sec. 2.3)."""
SPEED_OF_LIGHT_MPS = 299_792_458.0


def thermal_noise_power_w(bandwidth_hz: ArrayLike, noise_figure_db: ArrayLike) -> NDArray:
    """Receiver noise power ``N = k T0 B F``, W (Skolnik eq. 2.5).

    Parameters
    ----------
    bandwidth_hz : float or (n,) float64
        Receiver noise bandwidth ``B``, Hz.
    noise_figure_db : float or (n,) float64
        Noise figure ``F``, dB.
    """
    return np.asarray(
        BOLTZMANN_J_PER_K
        * REFERENCE_TEMPERATURE_K
        * np.asarray(bandwidth_hz, np.float64)
        * 10.0 ** (np.asarray(noise_figure_db, np.float64) / 10.0)
    )


def received_jamming_power_w(
    erp_w: ArrayLike,
    radar_gain: ArrayLike,
    range_m: ArrayLike,
    wavelength_m: ArrayLike,
    radar_bandwidth_hz: ArrayLike,
    jammer_bandwidth_hz: ArrayLike,
    jammer_loss: ArrayLike = 1.0,
) -> NDArray:
    """Noise-jamming power in the radar's receiver, W (one-way Friis link).

    ``J = ERP_J G_R lambda^2 / ((4 pi)^2 R_J^2) min(1, B / B_J) / L_J``.

    Parameters
    ----------
    erp_w : (m,) float64
        Jammer's effective radiated power towards the radar, W.
    radar_gain : (m,) float64
        Radar antenna gain towards the jammer, linear.
    range_m : (m,) float64
        Radar-to-jammer range, m (clamped to at least 1 m).
    wavelength_m : float
        Radar wavelength, m.
    radar_bandwidth_hz, jammer_bandwidth_hz : float or (m,) float64
        Receiver and jamming noise bandwidths, Hz.
    jammer_loss : float or (m,) float64
        Jammer losses ``L_J``, linear (>= 1).
    """
    range_m = np.maximum(np.asarray(range_m, np.float64), 1.0)
    share = np.minimum(
        1.0, np.asarray(radar_bandwidth_hz, np.float64) / np.asarray(jammer_bandwidth_hz)
    )
    wavelength = np.asarray(wavelength_m, np.float64)
    return np.asarray(
        np.asarray(erp_w, np.float64)
        * np.asarray(radar_gain, np.float64)
        * wavelength**2
        / ((4.0 * math.pi) ** 2 * range_m**2)
        * share
        / np.asarray(jammer_loss, np.float64)
    )


def snr_change_db(jamming_to_noise: ArrayLike) -> NDArray:
    """SNR change of noise jamming, ``-10 log10(1 + J / N)``, dB (never positive).

    Parameters
    ----------
    jamming_to_noise : (n,) float64
        ``J / N``, linear, >= 0.
    """
    return np.asarray(-10.0 * np.log10(1.0 + np.asarray(jamming_to_noise, np.float64)))


def self_screening_j_over_s(
    peak_power_w: float,
    gain: float,
    rcs_m2: float,
    radar_bandwidth_hz: float,
    radar_loss: float,
    jammer_erp_w: float,
    jammer_bandwidth_hz: float,
    range_m: ArrayLike,
    jammer_loss: float = 1.0,
) -> NDArray:
    """J/S of a self-screening jammer at range ``R``, linear (module notes).

    ``J / S = 4 pi ERP_J R^2 min(1, B / B_J) L / (P_t G sigma L_J)``; gains and losses
    linear, powers W, bandwidths Hz.
    """
    share = min(1.0, radar_bandwidth_hz / jammer_bandwidth_hz)
    range_m = np.asarray(range_m, np.float64)
    return np.asarray(
        4.0
        * math.pi
        * jammer_erp_w
        * range_m**2
        * share
        * radar_loss
        / (peak_power_w * gain * rcs_m2 * jammer_loss)
    )


def self_screening_burn_through_range_m(
    peak_power_w: float,
    gain: float,
    rcs_m2: float,
    radar_bandwidth_hz: float,
    radar_loss: float,
    jammer_erp_w: float,
    jammer_bandwidth_hz: float,
    j_over_s_needed: float,
    jammer_loss: float = 1.0,
) -> float:
    """Range inside which a radar detects through a self-screening jammer, m.

    Solves :func:`self_screening_j_over_s` ``= J/S_needed`` for ``R``: ``J/S`` grows as
    ``R^2``, so inside this range ``J/S`` is below what still hides the target.
    ``j_over_s_needed`` is linear (1: the crossover range).
    """
    per_r2 = float(
        self_screening_j_over_s(
            peak_power_w,
            gain,
            rcs_m2,
            radar_bandwidth_hz,
            radar_loss,
            jammer_erp_w,
            jammer_bandwidth_hz,
            1.0,
            jammer_loss,
        )
    )
    return math.sqrt(j_over_s_needed / per_r2)


def self_screening_crossover_range_m(
    peak_power_w: float,
    gain: float,
    rcs_m2: float,
    radar_bandwidth_hz: float,
    radar_loss: float,
    jammer_erp_w: float,
    jammer_bandwidth_hz: float,
    jammer_loss: float = 1.0,
) -> float:
    """Range at which a self-screening jammer's power equals the echo's (``J = S``), m."""
    return self_screening_burn_through_range_m(
        peak_power_w,
        gain,
        rcs_m2,
        radar_bandwidth_hz,
        radar_loss,
        jammer_erp_w,
        jammer_bandwidth_hz,
        1.0,
        jammer_loss,
    )


def standoff_crossover_range_m(
    peak_power_w: float,
    gain: float,
    rcs_m2: float,
    radar_bandwidth_hz: float,
    radar_loss: float,
    jammer_erp_w: float,
    jammer_bandwidth_hz: float,
    jammer_range_m: float,
    sidelobe_gain: float,
    jammer_loss: float = 1.0,
) -> float:
    """Range at which a target's echo equals a stand-off jammer's power in a sidelobe, m.

    ``S = J`` with the echo of :func:`received_jamming_power_w`'s radar seen in the main
    lobe and the jammer at ``jammer_range_m`` in a sidelobe of gain ``sidelobe_gain``
    (linear): ``R^4 = P_t G^2 sigma B_J L_J R_J^2 / (4 pi ERP_J G' B L)`` for ``B_J >= B``.
    """
    share = min(1.0, radar_bandwidth_hz / jammer_bandwidth_hz)
    r4 = (
        peak_power_w
        * gain**2
        * rcs_m2
        * jammer_loss
        * jammer_range_m**2
        / (4.0 * math.pi * jammer_erp_w * sidelobe_gain * share * radar_loss)
    )
    return float(r4**0.25)
