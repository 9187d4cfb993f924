"""The draws of one radar look at the targets it can see: SNR, Pd, hits, measurements.

:meth:`iadsim.sensors.radar.Radar.detect` gathers the visible targets' rows from a
:class:`~iadsim.sensors.radar_view.TargetView`; the simulation's sensing stage
(:mod:`iadsim.sensors.sensing`) hands over the rows of all radar-target pairs of a step at
once, each look taking its slice, without building a view per look. Both end in
:func:`detect_visible`, so the two give the same draws from the same stream: one uniform
per visible target, then four standard normals per detection, then the false alarms
(:func:`~iadsim.sensors.false_alarms.false_alarm_batch`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from iadsim.core.contracts import JammerEmitters
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.sensors import chain
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.measurement import measured_detections
from iadsim.sensors.track_dwells import Look, SearchAndTrackLook

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = ["Observer", "detect_visible"]

Observer = Callable[[np.ndarray, np.ndarray, np.ndarray], None]
"""``observe(snr_db, pd, hit)``: reads the ``(m,)`` arrays of a look's ``m`` visible
targets before the detections are built (per-look records); it must not change them."""


def detect_visible(
    radar: Radar,
    entity: np.ndarray,
    aer: np.ndarray,
    pos_ecef_m: np.ndarray,
    vel_ecef_mps: np.ndarray | None,
    obstacle: DominantObstacle | None,
    jammers: JammerEmitters | None,
    rcs_m2: np.ndarray,
    swerling: np.ndarray,
    time_s: float,
    rng: np.random.Generator,
    look: Look | None,
    observe: Observer | None = None,
    snr_db: np.ndarray | None = None,
    pd: tuple[np.ndarray, np.ndarray] | None = None,
) -> DetectionBatch:
    """Detection draws, measurement errors and false alarms of one look at ``m`` targets.

    Parameters
    ----------
    radar : Radar
    entity : (m,) int64
        The visible targets, in increasing order (``m`` > 0).
    aer : (m, 3) float64
        Their azimuth (rad), elevation (rad) and slant range (m) from the radar.
    pos_ecef_m : (m, 3) float64
        Their positions, ECEF, m.
    vel_ecef_mps : (m, 3) float64 or None
        Their velocities, ECEF, m/s; None: unknown (no range rate, no Doppler notch).
    obstacle : DominantObstacle or None
        Each path's dominant terrain obstacle, arrays ``(m,)``; None: no terrain.
    jammers : JammerEmitters or None
        Noise jammers radiating at the radar now.
    rcs_m2 : (m,) float64
        Their mean RCS towards the radar, m^2.
    swerling : (m,) int64
        Their fluctuation cases.
    time_s : float
    rng : numpy.random.Generator
        The radar's stream.
    look : Look or None
        Azimuths looked at (None: the sector); stamped on the batch.
    observe : Observer, optional
        Called with the SNR, Pd and hits of the ``m`` targets.
    snr_db : (m,) float64, optional
        Their SNR before any track dwell's change, dB, where the caller computed it
        (:func:`~iadsim.sensors.step_chain.step_snr_db`); the sensor chain otherwise
        (:func:`~iadsim.sensors.chain.look_snr_db`).
    pd : tuple of two (m,) float64, optional
        With ``snr_db``: its linear SNR ``np.power(10.0, snr_db / 10.0)`` and Pd
        (:func:`~iadsim.sensors.chain.detection_probability`), where the caller computed
        them (a look with track dwells computes its own, from its changed SNR).
    """
    snr = snr_db
    if snr is None:
        snr = chain.look_snr_db(radar, aer, pos_ecef_m, obstacle, vel_ecef_mps, jammers, rcs_m2)
    if type(look) is SearchAndTrackLook:  # track dwells put more energy on target
        snr = snr + look.snr_change_db(aer[:, 0], aer[:, 1], entity)  # tests of _view
        pd = None
    if pd is None:
        ratio = np.power(10.0, snr / 10.0)  # linear SNR: of the Pd and of the measurements
        probability = chain.detection_probability(radar, snr, swerling, ratio)
    else:
        ratio, probability = pd
    hit = rng.random(entity.size) < probability
    if observe is not None:
        observe(snr, probability, hit)
    rows = hit.nonzero()[0]  # the detections' rows, which the measurements gather
    if rows.size == 0:  # nothing detected: as for an empty look
        return radar._false_alarms(time_s, rng, look, look)
    noise = rng.standard_normal((4, rows.size))
    detections = measured_detections(
        radar, time_s, rows, entity, snr, ratio, aer, pos_ecef_m, vel_ecef_mps, noise, look
    )
    alarms = radar._false_alarms(time_s, rng, look, look)
    if alarms.radar.size == 0:  # len(alarms), without its two calls
        return detections
    return DetectionBatch.concatenate([detections, alarms], time_s, look)
