"""Jammer strobes: the bearing a jammed radar measures to a noise jammer it looks at.

A noise jammer hides the echoes but shows itself: when the beam passes over it, the noise
in the receiver jumps, a radial "strobe" on the display at the jammer's bearing
(Adamy, *EW 102*, 2004, radar jamming; Schleher, 1999, ch. 3). A look records a strobe
of each jammer that radiates at the radar, lies in the look (coverage, sweep and line of
sight, as for a target) and gives a jamming-to-noise ratio with the beam on it at or above
:data:`STROBE_THRESHOLD_DB`. The bearing is measured with the radar's own angle accuracy
at ``J / N`` in place of the SNR (:meth:`iadsim.sensors.radar.Radar.measurement_sigmas`,
``theta_3dB / (k_m sqrt(2 J/N))``, floored), drawn from a stream of the radar's own
(``strobes:<radar>``) so a jammed radar's detection draws are those it would make anyway.
No range: a strobe is angle-only (:mod:`iadsim.ew.triangulation` locates the jammer).
A strobe is a measurement: it names the radar, the time, the bearing, its error and the
measured ``J / N``, never the jammer that made it (:mod:`iadsim.ew.bearing_fixes`
associates strobes by their geometry alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.core.contracts import JammerEmitters
from iadsim.ew.noise_jamming import jamming_to_noise
from iadsim.sensors.chain import radar_terms
from iadsim.sensors.radar import Radar

__all__ = ["STROBE_THRESHOLD_DB", "Strobes", "jammer_strobes"]

STROBE_THRESHOLD_DB = 13.0
"""Least ``J / N`` with the beam on the jammer that shows as a strobe, dB (D: the
single-pulse SNR a Swerling 1 target needs for Pd 0.5 at Pfa 1e-6 is about 13 dB)."""


@dataclass(frozen=True)
class Strobes:
    """The ``k`` strobes of one look.

    Attributes
    ----------
    time_s : float
    radar : (k,) int64
        Radar index.
    bearing_rad : (k,) float64
        Measured azimuth, clockwise from north in the radar's frame, rad.
    sigma_rad : (k,) float64
        Its one-sigma error, rad.
    j_over_n_db : (k,) float64
        Jamming-to-noise ratio with the beam on the jammer, dB.
    """

    time_s: float
    radar: np.ndarray
    bearing_rad: np.ndarray
    sigma_rad: np.ndarray
    j_over_n_db: np.ndarray

    def __len__(self) -> int:
        return int(self.radar.shape[0])


def jammer_strobes(
    radar: Radar,
    jammers: JammerEmitters,
    azimuth_rad: np.ndarray,
    in_look: np.ndarray,
    time_s: float,
    rng: np.random.Generator,
) -> Strobes:
    """The strobes of one look of ``radar`` (module notes).

    Parameters
    ----------
    radar : Radar
    jammers : JammerEmitters
        The ``m`` jammers radiating at the radar now.
    azimuth_rad : (m,) float64
        True azimuth of each from the radar, rad.
    in_look : (m,) bool
        The look covers the jammer (sector, sweep, horizon, terrain).
    time_s : float
    rng : numpy.random.Generator
        The radar's strobe stream (``strobes:<radar name>``).
    """
    rows = np.flatnonzero(in_look)
    if rows.size:
        look = jammers.pos_ecef_m[rows] - radar.pos_ecef_m
        ratio = jamming_to_noise(
            radar_terms(radar), radar.spec.frequency_hz, radar.pos_ecef_m, look, jammers
        )
        strong = ratio >= 10.0 ** (STROBE_THRESHOLD_DB / 10.0)
        rows, ratio = rows[strong], ratio[strong]
    else:
        ratio = np.zeros(0)
    _, sigma, _ = radar.measurement_sigmas(ratio)
    noise = rng.standard_normal(rows.size)
    return Strobes(
        time_s,
        np.full(rows.size, radar.index, np.int64),
        np.mod(azimuth_rad[rows] + sigma * noise, 2.0 * np.pi),
        np.asarray(sigma, np.float64).reshape(-1),
        10.0 * np.log10(ratio) if rows.size else np.zeros(0),
    )
