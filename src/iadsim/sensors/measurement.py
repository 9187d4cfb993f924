"""The detections of one look: measured range, angles and range rate, with their errors.

The errors are those of :meth:`iadsim.sensors.radar.Radar.measurement_sigmas` at each
detection's SNR (Barton 2005, sec. 5.2), each measured value the true one plus its error
times one standard normal draw, the azimuth folded to ``[0, 2 pi)``; a pulse-Doppler radar
measures the true range rate relative to itself
(:meth:`~iadsim.sensors.radar.Radar.range_rate_mps`). The arithmetic runs compiled
(:func:`~iadsim.sensors._chain_kernels.measurement_kernel`, the same operations).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.sensors._chain_kernels import measurement_kernel
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.track_dwells import Look

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = ["measured_detections"]


def measured_detections(
    radar: Radar,
    time_s: float,
    rows: np.ndarray,
    entity: np.ndarray,
    snr_db: np.ndarray,
    snr_linear: np.ndarray,
    aer: np.ndarray,
    pos_ecef_m: np.ndarray,
    vel_ecef_mps: np.ndarray | None,
    noise: np.ndarray,
    look: Look | None,
) -> DetectionBatch:
    """The batch of the ``m`` detections of one look of ``radar`` at ``n`` visible targets.

    Parameters
    ----------
    radar : Radar
    time_s : float
    rows : (m,) int64
        The rows of the detected targets, in increasing order; the other arrays hold all
        ``n`` targets (the compiled measurement gathers the rows it reads).
    entity : (n,) int64
    snr_db : (n,) float64
    snr_linear : (n,) float64
        The same SNR as a power ratio, ``np.power(10.0, snr_db / 10.0)`` (the look's Pd
        computed it).
    aer : (n, 3) float64
        True azimuth (rad), elevation (rad) and range (m).
    pos_ecef_m : (n, 3) float64
        Positions, ECEF, m.
    vel_ecef_mps : (n, 3) float64 or None
        Velocities, ECEF, m/s; None: unknown (no range rate measured).
    noise : (4, m) float64
        Standard normal draws for range, azimuth, elevation and range rate.
    look : Look or None
        Stamped on the batch.
    """
    count = rows.shape[0]
    measures = radar.measures_range_rate and vel_ecef_mps is not None
    out = np.empty((8, count))
    measurement_kernel(
        rows,
        aer,
        snr_linear,
        noise,
        pos_ecef_m,
        pos_ecef_m if vel_ecef_mps is None else vel_ecef_mps,
        radar.pos_ecef_m,
        radar.vel_ecef_mps,
        radar._measurement_terms,
        measures,
        out,
    )
    # The radar and entity columns as rows of one array (np.full and astype, in one call)
    sources = np.empty((2, count), dtype=np.int64)
    sources[0] = radar.index
    sources[1] = entity[rows]
    return DetectionBatch.of_columns(
        time_s,
        sources[0],
        sources[1],
        out[0],
        out[1],
        out[2],
        out[3],
        out[4],
        out[5],
        snr_db[rows],
        out[6],
        out[7],
        look,
    )
