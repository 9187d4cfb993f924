"""Doppler blind zone: the clutter filter's notch at the ground's Doppler.

An MTI or pulse-Doppler radar rejects clutter by rejecting echoes at the Doppler of the
ground; a target whose radial velocity relative to the ground is small (one crossing the
beam tangentially) falls into the same notch and is rejected with it. The ground in the
target's direction moves at ``-u . v_radar`` relative to the radar and the target at
``u . (v_target - v_radar)`` (``u`` the unit line of sight), so the target's offset from
the clutter's Doppler is its own radial velocity over the ground

    v_r = u . v_target

(Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001, eq. 3.2 for the Doppler shift
``f_d = 2 v_r / lambda``; for an airborne radar this neglects the spread of the mainbeam
clutter's Doppler across the beam). The notch's power response is modelled as a
Gaussian notch with its -3 dB points at the catalog's half-width ``v_n`` and its floor at
the clutter's rejection, ``1 / I``::

    H(v_r) = max(1 - exp(-ln 2 (v_r / v_n)^2), 1 / I)

(an assumption: near zero Doppler it rises as ``v_r^2`` like the single delay-line
canceller's ``4 sin^2(pi f_d T)``, Skolnik 2001, eq. 3.6; blind speeds at multiples of the
PRF are not modelled, as the catalog gives no PRFs). The SNR change is ``10 log10 H``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.core.contracts import RadarPaths
from iadsim.core.kinematics import vector_norm
from iadsim.sensors._kernels import line_of_sight_speed_kernel

__all__ = ["DopplerNotch", "ground_radial_velocity_mps", "notch_response_db"]

_AT_REST = np.zeros(3)
"""Velocity of the ground, ECEF, m/s (radial velocities over the ground)."""


def notch_response_db(
    radial_velocity_mps: ArrayLike, notch_half_width_mps: float, improvement_db: float
) -> NDArray[np.float64]:
    """Power response of the clutter notch, ``10 log10 H(v_r)`` (module notes), dB, <= 0.

    Parameters
    ----------
    radial_velocity_mps : (n,) float64
        Target radial velocity over the ground, m/s.
    notch_half_width_mps : float
        Half-width at the -3 dB points, m/s; 0 gives no notch (0 dB everywhere).
    improvement_db : float
        Clutter improvement factor ``I``: the notch's floor is ``-I`` dB.
    """
    v = np.asarray(radial_velocity_mps, np.float64)
    if notch_half_width_mps <= 0.0:
        return np.zeros(v.shape)
    passed = -np.expm1(-np.log(2.0) * (v / notch_half_width_mps) ** 2)
    floor = 10.0 ** (-improvement_db / 10.0)
    return np.asarray(10.0 * np.log10(np.maximum(passed, floor)))


def ground_radial_velocity_mps(
    radar_pos_ecef_m: NDArray[np.float64],
    target_pos_ecef_m: NDArray[np.float64],
    target_vel_ecef_mps: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Radial velocity of targets over the ground, ``u . v_target``, m/s, ``(n,)``.

    Parameters
    ----------
    radar_pos_ecef_m : (3,) float64
    target_pos_ecef_m, target_vel_ecef_mps : (n, 3) float64
    """
    line = np.asarray(target_pos_ecef_m) - np.asarray(radar_pos_ecef_m)
    distance = np.maximum(vector_norm(line), 1.0)
    return np.asarray(np.einsum("ni,ni->n", line, np.asarray(target_vel_ecef_mps)) / distance)


@dataclass(frozen=True)
class DopplerNotch:
    """Signal effect: the Doppler blind zone of a radar's clutter filter.

    Registered as ``doppler_notch`` and applied to every radar by default. A radar
    without a notch in the catalog, or a path whose target velocity is not known, is
    unchanged.
    """

    def snr_change_db(self, paths: RadarPaths) -> NDArray[np.float64]:
        """``10 log10 H(u . v_target)``, dB, never positive (see
        :class:`iadsim.core.contracts.SignalEffect`)."""
        terms = paths.radar
        if terms is None or paths.target_vel_ecef_mps is None or terms.doppler_notch_mps <= 0:
            return np.zeros(paths.range_m.shape)
        # ground_radial_velocity_mps, compiled (the same operations)
        radial = line_of_sight_speed_kernel(
            paths.radar_pos_ecef_m, paths.target_pos_ecef_m, paths.target_vel_ecef_mps, _AT_REST
        )
        return notch_response_db(radial, terms.doppler_notch_mps, terms.clutter_improvement_db)
