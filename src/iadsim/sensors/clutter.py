"""Ground clutter: constant-gamma land clutter in the target's range cell, after the
radar's clutter improvement factor.

A target low enough to share its range cell with illuminated ground competes with the
ground's echo. For a radar whose antenna is ``h`` above a smooth effective earth of radius
``R_e = k a``, the ground at slant range ``R`` is seen at grazing angle ``psi`` (law of
cosines in the triangle earth centre, antenna, ground patch)::

    sin psi = ((R_e + h)^2 - R_e^2 - R^2) / (2 R_e R)

(ground beyond the clutter horizon, ``sin psi <= 0``, gives no clutter). The constant-gamma
model gives the patch's reflectivity (Richards, *Fundamentals of Radar Signal
Processing*, 2nd ed., 2014, eq. 2.64; after Long, *Radar Reflectivity of Land and Sea*,
3rd ed., 2001)::

    sigma0 = gamma sin psi

and the pulse-limited patch of the range cell has area ``R theta_3 dR / cos psi``
(Richards 2014, eq. 2.31 and Fig. 2.3b; Nathanson, *Radar Design Principles*, 2nd ed.,
1999, eq. 7.1 at low grazing), so the clutter RCS is

    sigma_c = gamma sin psi R theta_3 dR / cos psi = gamma R theta_3 dR tan psi.

The clutter echo comes through the beam pointed at the target: the two-way gain towards
the patch is ``exp(-8 ln 2 (delta / theta_3)^2)`` for a Gaussian main beam
(``-24.1 (delta / theta_3)^2`` dB, -6 dB at half the beamwidth off boresight), floored at
a two-way sidelobe level, with ``delta`` the angle between the target's elevation and the
patch's depression below the horizontal. Clutter-to-noise ratio by the same radar
equation as the target (Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001, eq. 2.1
in ratio form), reduced by the MTI or pulse-Doppler improvement factor ``I`` (Skolnik
2001, sec. 3.5: the ratio of signal-to-clutter out to in, averaged over target Dopplers)::

    CNR = SNR_ref + 10 log10(sigma_c / sigma_ref) + 40 log10(R_ref / R) + G2(delta) - I

and the clutter adds to the noise, so the SNR becomes ``S / (N + C)`` and the SNR change
is ``-10 log10(1 + CNR)``.

Assumptions (ranges in the catalog and the effect's settings): a smooth effective earth
under the antenna (hills rising into the beam beyond the smooth clutter horizon and
terrain shadowing of the ground are not modelled), one gamma for the whole area, the
elevation beamwidth equal to the catalog's azimuth beamwidth, and an airborne radar's
clutter spread in Doppler inside its improvement factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.core.contracts import RadarPaths
from iadsim.geo.frames import WGS84_A_M

__all__ = [
    "DEFAULT_GAMMA_DB",
    "SIDELOBE_TWO_WAY_DB",
    "GroundClutter",
    "clutter_rcs_m2",
    "constant_gamma_sigma0",
    "gamma_at_frequency_db",
    "grazing_and_depression_rad",
]

DEFAULT_GAMMA_DB = -15.0
"""Gamma of land clutter at 10 GHz, dB: farmland and woods (assumption, R; range -20 dB
for flatland to -5 dB for rugged mountains, the constant-gamma values of Nathanson 1999
and Long 2001 as tabulated at 10 GHz by MathWorks' ``surfacegamma`` documentation)."""
GAMMA_REFERENCE_HZ = 1.0e10
"""Frequency at which :data:`DEFAULT_GAMMA_DB` is stated."""
SIDELOBE_TWO_WAY_DB = -50.0
"""Two-way gain of the antenna's sidelobes relative to the beam's peak, dB (assumption:
-25 dB one-way sidelobes of a low-sidelobe array; range -60 to -40 dB two-way)."""
EFFECTIVE_EARTH_K = 4.0 / 3.0
"""Effective-earth factor of the standard atmosphere (Skolnik 2001, sec. 8.2)."""


def gamma_at_frequency_db(gamma_db: float, frequency_hz: ArrayLike) -> NDArray[np.float64]:
    """Gamma at a frequency from its value at 10 GHz: ``gamma_0 + 5 log10(f / f_0)``.

    The frequency scaling of land clutter of Barton, *Land Clutter Models for Radar Design
    and Analysis*, Proc. IEEE 73(2), 1985 (as used by MathWorks' ``surfacegamma``; R).
    """
    return np.asarray(
        gamma_db + 5.0 * np.log10(np.asarray(frequency_hz, np.float64) / GAMMA_REFERENCE_HZ)
    )


def grazing_and_depression_rad(
    antenna_height_m: ArrayLike,
    slant_range_m: ArrayLike,
    effective_radius_m: float = EFFECTIVE_EARTH_K * WGS84_A_M,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Grazing angle at a ground patch and its depression seen from the antenna.

    Law of cosines in the triangle (earth centre, antenna at ``R_e + h``, patch at ``R_e``,
    slant range ``R``): ``sin psi = ((R_e + h)^2 - R_e^2 - R^2) / (2 R_e R)`` and the
    depression below the antenna's horizontal ``sin eps = ((R_e + h)^2 + R^2 - R_e^2) /
    (2 (R_e + h) R)``.

    Parameters
    ----------
    antenna_height_m : float or (n,) float64
        Antenna above the ground under it, m.
    slant_range_m : (n,) float64
        Slant range to the patch, m.
    effective_radius_m : float
        Effective earth radius, m.

    Returns
    -------
    grazing_rad, depression_rad : (n,) float64
        Negative grazing angle: the patch is beyond the clutter horizon (no clutter).
    """
    h = np.asarray(antenna_height_m, np.float64)
    r = np.maximum(np.asarray(slant_range_m, np.float64), 1.0)
    radius = effective_radius_m
    top = radius + h
    sin_grazing = _sin_grazing(top, radius, r)
    sin_depression = (top * top + r * r - radius * radius) / (2.0 * top * r)
    # np.minimum(np.maximum(.)): np.clip's result without its Python-level wrappers
    return (
        np.arcsin(np.minimum(np.maximum(sin_grazing, -1.0), 1.0)),
        np.arcsin(np.minimum(np.maximum(sin_depression, -1.0), 1.0)),
    )


def _sin_grazing(top: NDArray[np.float64], radius: float, r: NDArray[np.float64]) -> NDArray:
    """``sin psi`` of :func:`grazing_and_depression_rad` (antenna at radius ``top``, patch
    at ``radius``, slant range ``r``)."""
    return np.asarray((top * top - radius * radius - r * r) / (2.0 * radius * r))


def beyond_clutter_horizon(antenna_height_m: ArrayLike, slant_range_m: ArrayLike) -> bool:
    """True when no path's range cell reaches the ground (every grazing angle of
    :func:`grazing_and_depression_rad` is non-positive, or NaN): the clutter is then
    ``-inf`` dB on every path. Same operations as that function's grazing angle."""
    # A look's plain float height and (n,) float64 ranges as they are (no np.asarray call)
    h: float | NDArray[np.float64]
    if type(antenna_height_m) is float:
        h = antenna_height_m
    else:
        h = np.asarray(antenna_height_m, np.float64)
    r = slant_range_m
    if not (type(r) is np.ndarray and r.dtype == np.float64):
        r = np.asarray(slant_range_m, np.float64)
    radius = EFFECTIVE_EARTH_K * WGS84_A_M
    if (type(h) is float or h.ndim == 0) and r.size:
        # sin psi has the sign of (top^2 - radius^2) - r^2 (the divisor 2 radius r is
        # positive and the quotient cannot underflow at these magnitudes), which never
        # rises with r, rounding included: the shortest range decides for every path.
        nearest = float(np.minimum.reduce(r, axis=None))  # r.min(), without its wrappers
        if nearest == nearest:  # no NaN range (a NaN path would not count)
            # The numerator of _sin_grazing at the shortest range, in its order of
            # operations (Python floats are IEEE doubles like NumPy's).
            top = radius + float(h)
            nearest = max(nearest, 1.0)
            return not (top * top - radius * radius - nearest * nearest > 0.0)
    r = np.maximum(r, 1.0)
    return not bool(np.any(_sin_grazing(radius + h, radius, r) > 0.0))


def constant_gamma_sigma0(gamma_db: ArrayLike, grazing_rad: ArrayLike) -> NDArray[np.float64]:
    """Clutter reflectivity ``sigma0 = gamma sin psi`` (Richards 2014, eq. 2.64), m^2/m^2;
    0 at non-positive grazing angles."""
    gamma = 10.0 ** (np.asarray(gamma_db, np.float64) / 10.0)
    return np.asarray(gamma * np.maximum(np.sin(grazing_rad), 0.0))


def clutter_rcs_m2(
    sigma0: ArrayLike,
    slant_range_m: ArrayLike,
    beamwidth_rad: float,
    range_resolution_m: float,
    grazing_rad: ArrayLike,
) -> NDArray[np.float64]:
    """RCS of the pulse-limited clutter patch of a range cell, m^2.

    ``sigma_c = sigma0 R theta_3 dR / cos psi`` (Richards 2014, eq. 2.31 and Fig. 2.3b).

    Parameters
    ----------
    sigma0 : (n,) float64
        Reflectivity, m^2/m^2.
    slant_range_m : (n,) float64
    beamwidth_rad : float
        Azimuth half-power beamwidth, rad.
    range_resolution_m : float
        ``c tau / 2``, m.
    grazing_rad : (n,) float64
    """
    return np.asarray(
        np.asarray(sigma0)
        * np.asarray(slant_range_m)
        * beamwidth_rad
        * range_resolution_m
        / np.cos(grazing_rad)
    )


@dataclass(frozen=True)
class GroundClutter:
    """Signal effect: constant-gamma ground clutter in the target's range cell.

    Registered as ``ground_clutter`` and applied to every radar by default; a scenario
    sets the terrain's ``gamma_db`` (at 10 GHz) with ``signal_effects: [{name:
    ground_clutter, gamma_db: -10}]``.

    Parameters
    ----------
    gamma_db : float
        Gamma of the land at 10 GHz, dB (default :data:`DEFAULT_GAMMA_DB`), between -40
        and 0 dB.
    """

    gamma_db: float = DEFAULT_GAMMA_DB

    def __post_init__(self) -> None:
        if not -40.0 <= self.gamma_db <= 0.0:
            msg = f"gamma_db must lie in [-40, 0] dB, got {self.gamma_db}"
            raise ValueError(msg)

    def clutter_to_noise_db(self, paths: RadarPaths) -> NDArray[np.float64]:
        """Clutter-to-noise ratio in each path's range cell after the improvement factor,
        dB (``-inf`` where no ground is in the cell)."""
        terms = paths.radar
        if terms is None:
            return np.full(paths.range_m.shape, -np.inf)
        grazing, depression = grazing_and_depression_rad(terms.antenna_height_agl_m, paths.range_m)
        gamma_db = gamma_at_frequency_db(self.gamma_db, paths.frequency_hz)
        sigma0 = constant_gamma_sigma0(gamma_db, grazing)
        rcs = clutter_rcs_m2(
            sigma0, paths.range_m, terms.beamwidth_rad, terms.range_resolution_m, grazing
        )
        off_beam = (np.asarray(paths.elevation_rad) + depression) / terms.beamwidth_rad
        gain_db = np.maximum(-80.0 * np.log10(2.0) * off_beam**2, SIDELOBE_TWO_WAY_DB)
        range_m = np.maximum(paths.range_m, 1.0)
        ratio = rcs / terms.reference_rcs_m2
        # log10(ratio), -inf where the patch has no RCS (no ground: zero reflectivity),
        # without np.errstate's divide warning guard (np.full's values, without its wrapper)
        log_ratio = np.empty(ratio.shape)
        log_ratio.fill(-np.inf)
        np.log10(ratio, out=log_ratio, where=ratio != 0.0)
        cnr_db = (
            terms.reference_snr_db
            + 10.0 * log_ratio
            + 40.0 * np.log10(paths.reference_range_m / range_m)
            + gain_db
            - terms.clutter_improvement_db
        )
        return np.asarray(np.where(grazing > 0.0, cnr_db, -np.inf))

    def snr_change_db(self, paths: RadarPaths) -> NDArray[np.float64]:
        """``-10 log10(1 + CNR)``, dB, never positive (see
        :class:`iadsim.core.contracts.SignalEffect`)."""
        terms = paths.radar
        if terms is None or beyond_clutter_horizon(terms.antenna_height_agl_m, paths.range_m):
            # CNR -inf on every path: -10 log10(1 + 0) = -0.0 dB, as the full computation
            # gives (the usual look of a ground radar at targets beyond its clutter horizon).
            return -np.zeros(paths.range_m.shape)
        cnr_db = self.clutter_to_noise_db(paths)
        return np.asarray(-10.0 * np.log10(1.0 + 10.0 ** (cnr_db / 10.0)))
