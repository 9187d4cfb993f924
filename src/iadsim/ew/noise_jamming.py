"""Noise jamming as a signal effect: the SNR a radar loses to the jammers radiating at it.

For each path (the radar looking at a target) and each jammer ``k`` radiating at the radar
(:class:`~iadsim.core.contracts.JammerEmitters`), the jamming power in the receiver is the
one-way link of :func:`~iadsim.ew.jamming_equation.received_jamming_power_w`, with the
radar antenna's gain towards the jammer while it looks along the path::

    G_R(theta) = G max(exp(-4 ln 2 (theta / theta_B)^2), SLL)

a Gaussian main beam whose half-power points lie at ``theta_B / 2`` (Stutzman and Thiele,
*Antenna Theory and Design*, 3rd ed., 2012, sec. 2), floored at the antenna's mean
sidelobe level ``SLL`` (catalog ``sidelobe_level_db``). ``theta`` is the angle between the
path and the direction of the jammer: a self-protection jammer rides on the target and
enters the main lobe (``theta = 0``); a stand-off jammer away from the target enters a
sidelobe. The radar's gain follows from its half-power beamwidth, the same in azimuth and
elevation (Stutzman and Thiele, directivity ``41253 / theta_deg^2`` at an aperture
efficiency of 0.65)::

    G = 0.65 * 41253 / theta_B,deg^2

its noise bandwidth from its range resolution, ``B = c / (2 Delta R)`` (Skolnik, 3rd ed.,
sec. 1.5), and its noise ``N = k T0 B F``. The jammers' powers add, and the SNR change is
``-10 log10(1 + sum_k J_k / N)`` (:func:`~iadsim.ew.jamming_equation.snr_change_db`).

Assumptions and what they leave out: noise jamming only (no deception); the jammer's
noise is centred on the radar's carrier (a spot jammer tuned to it, or a barrage that
covers it); no sidelobe canceller or sidelobe blanker; no frequency agility of the radar;
the catalog's detection statement was made without jamming, so its reference SNR holds
with ``J = 0``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from iadsim.core.contracts import JammerEmitters, RadarPaths, RadarTerms
from iadsim.ew.jamming_equation import (
    SPEED_OF_LIGHT_MPS,
    received_jamming_power_w,
    snr_change_db,
    thermal_noise_power_w,
)

__all__ = [
    "APERTURE_EFFICIENCY",
    "NoiseJamming",
    "antenna_gain",
    "jamming_to_noise",
    "main_lobe_gain",
    "noise_jamming",
    "radar_bandwidth_hz",
]

APERTURE_EFFICIENCY = 0.65
"""Share of the beamwidth's directivity an antenna's gain keeps (Stutzman and Thiele)."""
SQUARE_DEGREES_PER_STERADIAN_SPHERE = 41_253.0
"""``4 pi (180 / pi)^2``: square degrees of the whole sphere."""


def main_lobe_gain(beamwidth_rad: float) -> float:
    """Peak gain of a pencil beam of equal azimuth and elevation beamwidths, linear.

    ``G = 0.65 * 41253 / theta_deg^2`` (module notes).
    """
    theta_deg = math.degrees(beamwidth_rad)
    return APERTURE_EFFICIENCY * SQUARE_DEGREES_PER_STERADIAN_SPHERE / theta_deg**2


def antenna_gain(
    off_axis_rad: NDArray[np.float64], beamwidth_rad: float, sidelobe_level_db: float
) -> NDArray[np.float64]:
    """Gain towards a direction ``off_axis_rad`` from the beam's axis, linear.

    Parameters
    ----------
    off_axis_rad : (...) float64
        Angle from the beam axis, rad.
    beamwidth_rad : float
        Half-power beamwidth, rad.
    sidelobe_level_db : float
        Mean sidelobe level relative to the peak, dB (negative).

    Returns
    -------
    (...) float64
        ``G max(exp(-4 ln 2 (theta / theta_B)^2), 10^(SLL / 10))``.
    """
    shape = np.exp(-4.0 * math.log(2.0) * (np.asarray(off_axis_rad) / beamwidth_rad) ** 2)
    floor = 10.0 ** (sidelobe_level_db / 10.0)
    return np.asarray(main_lobe_gain(beamwidth_rad) * np.maximum(shape, floor))


def radar_bandwidth_hz(range_resolution_m: float) -> float:
    """Receiver noise bandwidth of a radar from its range resolution, ``c / (2 Delta R)``."""
    return SPEED_OF_LIGHT_MPS / (2.0 * range_resolution_m)


def jamming_to_noise(
    radar: RadarTerms,
    frequency_hz: float,
    radar_pos_ecef_m: NDArray[np.float64],
    look_ecef: NDArray[np.float64],
    jammers: JammerEmitters,
) -> NDArray[np.float64]:
    """Total ``J / N`` in the radar's receiver while it looks along each direction, linear.

    Parameters
    ----------
    radar : RadarTerms
    frequency_hz : float
        Carrier, Hz.
    radar_pos_ecef_m : (3,) float64
        Antenna, ECEF, m.
    look_ecef : (n, 3) float64
        Directions the beam points at (need not be unit vectors), ECEF.
    jammers : JammerEmitters
        ``m`` jammers radiating at the radar.

    Returns
    -------
    (n,) float64
        Sum over the jammers of ``J_k / N``.
    """
    look = np.asarray(look_ecef, np.float64).reshape(-1, 3)
    if len(jammers) == 0:
        return np.zeros(look.shape[0])
    to_jammer = jammers.pos_ecef_m - radar_pos_ecef_m
    jammer_range = np.linalg.norm(to_jammer, axis=1)
    unit_jammer = to_jammer / np.maximum(jammer_range, 1.0)[:, None]
    look_norm = np.linalg.norm(look, axis=1)
    unit_look = look / np.maximum(look_norm, 1e-9)[:, None]
    off_axis = np.arccos(np.clip(unit_look @ unit_jammer.T, -1.0, 1.0))  # (n, m)
    gain = antenna_gain(off_axis, radar.beamwidth_rad, radar.sidelobe_level_db)
    bandwidth = radar_bandwidth_hz(radar.range_resolution_m)
    wavelength = SPEED_OF_LIGHT_MPS / frequency_hz
    power = received_jamming_power_w(
        jammers.erp_w[None, :],
        gain,
        jammer_range[None, :],
        wavelength,
        bandwidth,
        jammers.bandwidth_hz[None, :],
    )
    noise = thermal_noise_power_w(bandwidth, radar.noise_figure_db)
    return np.asarray(power.sum(axis=1) / noise)


@dataclass(frozen=True)
class NoiseJamming:
    """Signal effect: the SNR lost to noise jammers, ``-10 log10(1 + J / N)`` on each path.

    Registered as ``noise_jamming``; a scenario with ``jammers`` applies it to every radar.
    It reads the jammers of each look from ``paths.jammers`` (the simulation fills them in
    at each step); ``emitters`` is a fixed set used when the paths carry none (a coverage
    map at one instant, ``iadsim coverage --jam-time-s``). No jammers: no change.
    """

    emitters: JammerEmitters | None = None

    def snr_change_db(self, paths: RadarPaths) -> NDArray[np.float64]:
        """SNR change on each path, dB, never positive (see
        :class:`iadsim.core.contracts.SignalEffect`)."""
        jammers = paths.jammers if paths.jammers is not None else self.emitters
        n = np.shape(paths.range_m)[0]
        if jammers is None or len(jammers) == 0 or paths.radar is None or n == 0:
            return np.zeros(n)
        look = paths.target_pos_ecef_m - paths.radar_pos_ecef_m
        ratio = jamming_to_noise(
            paths.radar, paths.frequency_hz, paths.radar_pos_ecef_m, look, jammers
        )
        return snr_change_db(ratio)


def noise_jamming() -> NoiseJamming:
    """The registered factory (``signal_effects: [{name: noise_jamming}]``): no settings,
    the jammers come from the scenario's ``jammers`` (a scenario with jammers applies it to
    every radar without being asked)."""
    return NoiseJamming()
