"""Radar range equation in reference form, atmospheric attenuation and scan losses.

The catalog states a radar's sensitivity as a detection range ``R_ref`` against a
reference cross-section ``sigma_ref`` at a reference probability of detection ``Pd_ref``
(and ``Pfa``, Swerling case, pulses integrated). Everything that the full radar equation
(Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001, eq. 2.1 and sec. 2.13)

    SNR = P_t G^2 lambda^2 sigma / ((4 pi)^3 k T_s B_n L R^4)

contains besides ``sigma`` and ``R`` is one constant per radar, so the reference point fixes
it: with ``SNR_ref`` the single-pulse SNR needed for ``Pd_ref`` (see
:func:`iadsim.sensors.detection.required_snr_db`),

    SNR(R, sigma) = SNR_ref (sigma / sigma_ref) (R_ref / R)^4 / L_extra
                  = C sigma / R^4,         C = SNR_ref R_ref^4 / sigma_ref   [m^2],

and the range at which a target of cross-section ``sigma`` gives ``SNR_ref`` is
``R = R_ref (sigma / sigma_ref)^(1/4)``.

Functions are vectorised (NumPy broadcasting) and do not validate their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy import special

from iadsim.sensors.detection import required_snr_db

if TYPE_CHECKING:
    from iadsim.core.contracts import RadarPaths

__all__ = [
    "BEAM_SHAPE_LOSS_DB",
    "EFFECTIVE_EARTH_RADIUS_M",
    "ClearAirAttenuation",
    "atmospheric_loss_db",
    "detection_range_m",
    "false_alarms_per_scan",
    "pfa_for_false_alarms_per_scan",
    "radar_constant_m2",
    "range_constant_m2",
    "reference_snr_db",
    "snr_db",
    "snr_linear",
    "specific_attenuation_db_per_m",
]

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

# Beam-shape (scanning) loss for a beam scanning in one angle with the integrated hits
# spread over the beam, two-way: 1.6 dB (Blake, "Prediction of radar range", ch. 2 of
# Skolnik, *Radar Handbook*, 2nd ed., 1990; Skolnik 2001, sec. 2.12). Double it for a
# beam scanning in two angles.
BEAM_SHAPE_LOSS_DB = 1.6

# 4/3 effective Earth radius for standard refraction (Skolnik 2001, sec. 8.2).
EFFECTIVE_EARTH_RADIUS_M = 4.0 / 3.0 * 6_371_000.0

# Sea-level specific attenuation (one-way, dB/km) of dry air (oxygen) and water vapour in
# the ITU-R reference standard atmosphere (1013.25 hPa, 15 degC, 7.5 g/m^3), Recommendation
# ITU-R P.676-12 (2019), Annex 1 line-by-line model, rounded to two significant figures.
_TABLE_FREQ_GHZ = np.array(
    [0.1, 0.3, 1.0, 2.0, 3.0, 6.0, 10.0, 15.0, 20.0, 22.235, 25.0, 30.0, 35.0, 40.0]
)
_OXYGEN_DB_PER_KM = np.array(
    [2.0e-4, 1.5e-3, 5.4e-3, 6.7e-3, 7.1e-3, 7.5e-3, 8.2e-3, 9.6e-3, 1.2e-2, 1.3e-2, 1.6e-2,
     2.1e-2, 3.2e-2, 5.2e-2]
)  # fmt: skip
_WATER_VAPOUR_DB_PER_KM = np.array(
    [5.1e-7, 4.6e-6, 5.1e-5, 2.0e-4, 4.6e-4, 1.9e-3, 6.0e-3, 1.9e-2, 9.7e-2, 1.8e-1, 1.3e-1,
     7.2e-2, 7.0e-2, 7.9e-2]
)  # fmt: skip
# Equivalent heights of the exponential profiles (ITU-R P.676-12, Annex 2: about 5 km for
# oxygen below 50 GHz and 1.7 km for water vapour away from the 22 GHz line).
_OXYGEN_SCALE_HEIGHT_M = 5_000.0
_WATER_VAPOUR_SCALE_HEIGHT_M = 1_700.0
_SCALE_HEIGHTS_M = np.array([_OXYGEN_SCALE_HEIGHT_M, _WATER_VAPOUR_SCALE_HEIGHT_M])


def reference_snr_db(
    pd_ref: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 1
) -> FloatArray:
    """Single-pulse SNR a radar has at its catalog reference range and cross-section.

    The catalog's ``R_ref`` is the range where ``Pd = pd_ref``, so the SNR there is the
    SNR required for ``pd_ref`` (exact Swerling inverse,
    :func:`iadsim.sensors.detection.required_snr_db`).

    Parameters
    ----------
    pd_ref : array_like of float
        Probability of detection that defines the catalog range (often 0.5 or 0.9).
    pfa : array_like of float
        Probability of false alarm the radar is set for.
    n_pulses : array_like of int
        Pulses non-coherently integrated per look.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model assumed by the reference (Swerling 1 is customary).

    Returns
    -------
    numpy.ndarray of float64
        Reference single-pulse SNR, dB.
    """
    return required_snr_db(pd_ref, pfa, n_pulses, swerling)


def range_constant_m2(ref_range_m: ArrayLike, ref_rcs_m2: ArrayLike) -> FloatArray:
    """Range constant ``K = R_ref^4 / sigma_ref`` so that ``R_det = (K sigma)^(1/4)``.

    Parameters
    ----------
    ref_range_m : array_like of float
        Catalog detection range, m.
    ref_rcs_m2 : array_like of float
        Cross-section that range is quoted for, m^2.

    Returns
    -------
    numpy.ndarray of float64
        ``K``, m^2 (400 km at 3 m^2 gives 8.53e21 m^2).
    """
    ref_range = np.asarray(ref_range_m, dtype=np.float64)
    return np.asarray(ref_range**4 / np.asarray(ref_rcs_m2, dtype=np.float64), dtype=np.float64)


def radar_constant_m2(
    ref_range_m: ArrayLike, ref_rcs_m2: ArrayLike, ref_snr_db: ArrayLike
) -> FloatArray:
    """Radar constant ``C = SNR_ref R_ref^4 / sigma_ref`` so that ``SNR = C sigma / R^4``.

    ``C`` stands for ``P_t G^2 lambda^2 / ((4 pi)^3 k T_s B_n L)`` of Skolnik (2001),
    eq. 2.1, calibrated on the catalog reference point. It is the only per-radar number
    the hot path needs (:func:`snr_linear`).

    Parameters
    ----------
    ref_range_m : array_like of float
        Catalog detection range, m.
    ref_rcs_m2 : array_like of float
        Cross-section of the catalog range, m^2.
    ref_snr_db : array_like of float
        Single-pulse SNR at the reference point, dB (:func:`reference_snr_db`).

    Returns
    -------
    numpy.ndarray of float64
        ``C``, m^2 (linear SNR times m^4 per m^2).
    """
    snr_ref = np.power(10.0, np.asarray(ref_snr_db, dtype=np.float64) / 10.0)
    return np.asarray(snr_ref * range_constant_m2(ref_range_m, ref_rcs_m2), dtype=np.float64)


def snr_linear(range_m: ArrayLike, rcs_m2: ArrayLike, radar_constant: ArrayLike) -> FloatArray:
    """Single-pulse SNR (linear) from the radar constant: ``SNR = C sigma / R^4``.

    Parameters
    ----------
    range_m : array_like of float
        Slant range radar-target, m (``> 0``).
    rcs_m2 : array_like of float, broadcastable
        Target cross-section seen by the radar, m^2.
    radar_constant : array_like of float, broadcastable
        ``C`` from :func:`radar_constant_m2`, m^2.

    Returns
    -------
    numpy.ndarray of float64
        Mean single-pulse SNR, linear.
    """
    range_sq = np.square(np.asarray(range_m, dtype=np.float64))
    return np.asarray(
        np.asarray(radar_constant, dtype=np.float64) * np.asarray(rcs_m2) / (range_sq * range_sq),
        dtype=np.float64,
    )


def snr_db(
    range_m: ArrayLike,
    rcs_m2: ArrayLike,
    ref_range_m: ArrayLike,
    ref_rcs_m2: ArrayLike,
    ref_snr_db: ArrayLike,
    extra_loss_db: ArrayLike = 0.0,
) -> FloatArray:
    """Single-pulse SNR by scaling the catalog reference point with the R^4 law.

    ``SNR_dB = SNR_ref_dB + 10 log10(sigma/sigma_ref) + 40 log10(R_ref/R) - L_extra_dB``
    (Skolnik 2001, eq. 2.1 in ratio form).

    Parameters
    ----------
    range_m : array_like of float
        Slant range, m (``> 0``).
    rcs_m2 : array_like of float
        Target cross-section, m^2 (``> 0``).
    ref_range_m, ref_rcs_m2 : array_like of float
        Catalog reference range (m) and cross-section (m^2).
    ref_snr_db : array_like of float
        SNR at the reference point, dB (:func:`reference_snr_db`).
    extra_loss_db : array_like of float
        Losses not in the reference (atmosphere, beam shape, jamming margin...), dB.

    Returns
    -------
    numpy.ndarray of float64, broadcast shape
        Mean single-pulse SNR, dB.
    """
    ratio = (
        np.asarray(rcs_m2, dtype=np.float64)
        / np.asarray(ref_rcs_m2, dtype=np.float64)
        * (np.asarray(ref_range_m, dtype=np.float64) / np.asarray(range_m, dtype=np.float64)) ** 4
    )
    return np.asarray(
        np.asarray(ref_snr_db, dtype=np.float64)
        + 10.0 * np.log10(ratio)
        - np.asarray(extra_loss_db, dtype=np.float64),
        dtype=np.float64,
    )


def detection_range_m(
    rcs_m2: ArrayLike,
    ref_range_m: ArrayLike,
    ref_rcs_m2: ArrayLike,
    snr_margin_db: ArrayLike = 0.0,
) -> FloatArray:
    """Range at which a target gives the reference SNR (R^4 law).

    ``R = R_ref (sigma/sigma_ref)^(1/4) 10^(margin_dB/40)`` where
    ``margin_dB = SNR_ref - SNR_needed - L_extra`` (0 for the catalog's own Pd):
    400 km at 3 m^2 becomes 54 km at 0.001 m^2.

    Parameters
    ----------
    rcs_m2 : array_like of float
        Target cross-section, m^2.
    ref_range_m, ref_rcs_m2 : array_like of float
        Catalog reference range (m) and cross-section (m^2).
    snr_margin_db : array_like of float
        SNR surplus over what is needed, dB; negative for extra losses or a higher Pd.

    Returns
    -------
    numpy.ndarray of float64
        Detection range, m.
    """
    scale = (
        np.asarray(rcs_m2, dtype=np.float64) / np.asarray(ref_rcs_m2, dtype=np.float64)
    ) ** 0.25
    margin = np.power(10.0, np.asarray(snr_margin_db, dtype=np.float64) / 40.0)
    return np.asarray(np.asarray(ref_range_m, dtype=np.float64) * scale * margin, dtype=np.float64)


def specific_attenuation_db_per_m(freq_hz: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Sea-level one-way specific attenuation of oxygen and of water vapour.

    Log-log interpolation of ITU-R P.676-12 values for the reference standard atmosphere
    (1013.25 hPa, 15 degC, 7.5 g/m^3) between 0.1 and 40 GHz; frequencies outside are
    clamped to the table ends.

    Parameters
    ----------
    freq_hz : array_like of float
        Carrier frequency, Hz.

    Returns
    -------
    oxygen, water_vapour : numpy.ndarray of float64
        One-way specific attenuation at sea level, dB/m.
    """
    log_f = np.log(np.asarray(freq_hz, dtype=np.float64) / 1e9)
    log_table_f = np.log(_TABLE_FREQ_GHZ)
    oxygen = np.exp(np.interp(log_f, log_table_f, np.log(_OXYGEN_DB_PER_KM))) / 1000.0
    water = np.exp(np.interp(log_f, log_table_f, np.log(_WATER_VAPOUR_DB_PER_KM))) / 1000.0
    return np.asarray(oxygen, dtype=np.float64), np.asarray(water, dtype=np.float64)


def _specific_attenuation_db_per_m(freq_hz: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """:func:`specific_attenuation_db_per_m`, remembered for a scalar frequency (one
    radar's, on every look)."""
    if np.ndim(freq_hz):
        return specific_attenuation_db_per_m(freq_hz)
    return _specific_attenuation_at(float(np.asarray(freq_hz)))


@lru_cache(maxsize=256)
def _specific_attenuation_at(freq_hz: float) -> tuple[FloatArray, FloatArray]:
    """:func:`specific_attenuation_db_per_m` of one frequency, memoised."""
    return specific_attenuation_db_per_m(freq_hz)


def _exponential_path_integral_m(
    range_m: FloatArray,
    sin_elevation: FloatArray,
    start_alt_m: FloatArray,
    scale_m: float | FloatArray,
) -> FloatArray:
    """``int_0^R exp(-h(r)/H) dr`` with ``h = h0 + r sin(el) + r^2 / (2 k a)``.

    Closed form via the scaled complementary error function (Gaussian integral after
    completing the square); ``erfcx`` keeps it finite for long and steep paths.
    """
    b = 1.0 / (2.0 * EFFECTIVE_EARTH_RADIUS_M * scale_m)
    sqrt_b = np.sqrt(b)
    u0 = sin_elevation / scale_m / (2.0 * sqrt_b)
    u1 = u0 + sqrt_b * range_m
    # erfcx(u) = exp(u^2) erfc(u); the second term carries exp(u0^2 - u1^2) <= 1.
    integral = (
        0.5
        * np.sqrt(np.pi)
        / sqrt_b
        * (special.erfcx(u0) - special.erfcx(u1) * np.exp((u0 - u1) * (u0 + u1)))
    )
    return np.asarray(integral * np.exp(-start_alt_m / scale_m), dtype=np.float64)


def atmospheric_loss_db(
    range_m: ArrayLike,
    freq_hz: ArrayLike,
    elevation_rad: ArrayLike,
    radar_alt_m: ArrayLike = 0.0,
) -> FloatArray:
    """Two-way clear-air (gaseous) attenuation along a refracted ray.

    Each absorber decays exponentially with height, ``gamma(h) = gamma_0 exp(-h/H)``
    (ITU-R P.676-12, Annex 2 equivalent heights: oxygen 5 km, water vapour 1.7 km), and
    the ray height over a 4/3 Earth is ``h(r) = h_radar + r sin(el) + r^2 / (2 k a)``
    (Skolnik 2001, sec. 8.2). The loss is

        L = 2 sum_absorbers gamma_0 int_0^R exp(-h(r)/H) dr       [dB].

    Over a horizontal path it tends to ``2 gamma_0 R``; through the whole atmosphere
    at high elevation to ``2 gamma_0 H / sin(el)``, the form of Blake's tropospheric
    absorption curves (Blake, NRL Report 7461, 1972; Skolnik 2001, fig. 8.x). Rain and
    clouds are not included.

    Parameters
    ----------
    range_m : array_like of float
        Slant range to the target, m.
    freq_hz : array_like of float, broadcastable
        Carrier frequency, Hz (0.1-40 GHz table; clamped outside).
    elevation_rad : array_like of float, broadcastable
        Elevation of the ray at the radar, rad; negative values are treated as 0
        (ground-based radars).
    radar_alt_m : array_like of float, broadcastable
        Radar antenna altitude above sea level, m.

    Returns
    -------
    numpy.ndarray of float64
        Two-way attenuation, dB (positive).
    """
    range_arr = np.asarray(range_m, dtype=np.float64)
    sin_el = np.sin(np.maximum(np.asarray(elevation_rad, dtype=np.float64), 0.0))
    alt = np.asarray(radar_alt_m, dtype=np.float64)
    oxygen, water = _specific_attenuation_db_per_m(freq_hz)
    # Both absorbers in one pass: their scale heights along a leading axis.
    ndim = max(range_arr.ndim, sin_el.ndim, alt.ndim)
    scales_m = _SCALE_HEIGHTS_M.reshape((2,) + (1,) * ndim)
    integral = _exponential_path_integral_m(range_arr, sin_el, alt, scales_m)
    one_way = oxygen * integral[0] + water * integral[1]
    return np.asarray(2.0 * one_way, dtype=np.float64)


@lru_cache(maxsize=256)
def _reference_path_loss_db(reference_range_m: float, freq_hz: float, radar_alt_m: float) -> float:
    """Two-way clear-air loss on a radar's reference path (horizontal ray), dB, memoised."""
    return float(atmospheric_loss_db(reference_range_m, freq_hz, 0.0, radar_alt_m))


INSIDE_REFERENCE_SHARE = 0.99
"""Paths no longer than this share of the reference range skip the loss computation of
:class:`ClearAirAttenuation` (they lose nothing); the 1 % margin keeps the shortcut clear
of rounding in the loss difference."""


@dataclass(frozen=True)
class ClearAirAttenuation:
    """Signal effect: the clear-air attenuation a path has beyond the reference path's.

    A public detection range is a statement of the R^4 law up to that range, losses
    included; which path it was stated on is not public. So the catalog's range equation is
    taken as given wherever a path crosses no more air than the reference path (a
    horizontal ray at the reference range), and only a path that crosses more loses the
    difference: the SNR change is ``-max(0, L(R, el) - L(R_ref, 0))`` with ``L`` from
    :func:`atmospheric_loss_db`. At the reference point the radar has its catalog Pd, and
    no shorter path is credited with the reference path's attenuation (which would add
    2-4 dB, 12-24 % of range, to every detection inside the stated range). Registered as
    ``clear_air_attenuation`` in :data:`iadsim.core.registry.SIGNAL_EFFECTS` and applied to
    every radar by default.
    """

    def snr_change_db(self, paths: RadarPaths) -> FloatArray:
        """SNR change on each path, dB, never positive (see
        :class:`iadsim.core.contracts.SignalEffect`)."""
        range_m = np.asarray(paths.range_m)
        inside = range_m <= INSIDE_REFERENCE_SHARE * paths.reference_range_m
        if np.logical_and.reduce(inside, axis=None):  # .all(), without its wrappers
            # Every path is shorter than the reference path and no lower (elevations below
            # the horizontal count as horizontal): its integrand exp(-h(r)/H) is nowhere
            # larger, so it crosses less air. The loss difference is negative, far beyond
            # rounding at this margin, and the change is max(0, .) negated: -0.0 dB.
            return -np.zeros(range_m.shape)
        loss = atmospheric_loss_db(
            paths.range_m, paths.frequency_hz, paths.elevation_rad, paths.radar_alt_m
        )
        reference = _reference_path_loss_db(
            float(paths.reference_range_m), float(paths.frequency_hz), float(paths.radar_alt_m)
        )
        return np.asarray(-np.maximum(loss - reference, 0.0), dtype=np.float64)


def false_alarms_per_scan(pfa: ArrayLike, n_resolution_cells: ArrayLike) -> FloatArray:
    """Expected number of false alarms in one scan: ``Pfa x n_cells``.

    Each resolution cell (range x angle x Doppler) is an independent threshold test
    (Skolnik 2001, sec. 2.5).

    Parameters
    ----------
    pfa : array_like of float
        Probability of false alarm per cell and look.
    n_resolution_cells : array_like of float
        Number of cells tested per scan.

    Returns
    -------
    numpy.ndarray of float64
        Mean false alarms per scan (the count is binomial, near Poisson).
    """
    return np.asarray(
        np.asarray(pfa, dtype=np.float64) * np.asarray(n_resolution_cells, dtype=np.float64),
        dtype=np.float64,
    )


def pfa_for_false_alarms_per_scan(
    false_alarms: ArrayLike, n_resolution_cells: ArrayLike
) -> FloatArray:
    """Per-cell Pfa that gives a wanted mean number of false alarms per scan.

    Inverse of :func:`false_alarms_per_scan`: ``Pfa = n_fa / n_cells``.

    Parameters
    ----------
    false_alarms : array_like of float
        Wanted mean false alarms per scan.
    n_resolution_cells : array_like of float
        Number of cells tested per scan.

    Returns
    -------
    numpy.ndarray of float64
        Probability of false alarm per cell.
    """
    return np.asarray(
        np.asarray(false_alarms, dtype=np.float64)
        / np.asarray(n_resolution_cells, dtype=np.float64),
        dtype=np.float64,
    )
