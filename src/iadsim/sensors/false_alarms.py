"""False alarms of a radar look: Poisson in count, uniform over the volume looked at.

The count has mean ``Pfa`` times the resolution cells of the look; each alarm gets an
azimuth drawn over the look (dropped outside the radar's sector, which keeps the count
Poisson), an elevation and a range uniform over the radar's volume, and, for a
pulse-Doppler radar, a range rate uniform over +-:data:`FALSE_ALARM_RANGE_RATE_SPAN_MPS`.
Their errors are those of a detection at :data:`FALSE_ALARM_SNR`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.scan_pattern import TWO_PI
from iadsim.sensors.track_dwells import Look

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = ["FALSE_ALARM_RANGE_RATE_SPAN_MPS", "FALSE_ALARM_SNR", "false_alarm_batch"]

FALSE_ALARM_RANGE_RATE_SPAN_MPS = 1500.0
"""False alarms spread uniformly over +-this range rate, m/s (notional Doppler window)."""
FALSE_ALARM_SNR = 20.0
"""Linear SNR given to false alarms (just above a 1e-6 threshold), for their error sizes."""
_FALSE_ALARM_SNR_DB = 10.0 * np.log10(FALSE_ALARM_SNR)
"""The SNR column of false alarms, dB."""


def false_alarm_batch(
    radar: Radar,
    time_s: float,
    rng: np.random.Generator,
    look: Look | None,
    stamp: Look | None,
) -> DetectionBatch:
    """The false alarms of one look of ``radar`` (``look`` None: its sector), drawn from
    its stream ``rng``, as a batch whose ``look`` is ``stamp``.

    :class:`~iadsim.sensors.radar.Radar` takes this function as its ``_false_alarms``
    method (every look of every radar draws, so without a call in between).
    """
    look = radar.sector if look is None else look
    pfa, range_cells, beamwidth_rad, full_circle = radar._alarm_terms
    extent_rad = look.extent_rad
    if extent_rad > TWO_PI:  # min(extent, 2 pi), without the builtin's call
        extent_rad = TWO_PI
    # pfa * resolution_cells(look), inlined
    drawn = rng.poisson(pfa * (range_cells * extent_rad / beamwidth_rad))
    if drawn == 0:  # the usual case: no further draws
        return DetectionBatch.empty(time_s, stamp)
    spec = radar.spec
    az = look.sample(drawn, rng)
    if not full_circle:  # a full-circle sector contains every azimuth: nothing to drop
        az = az[radar.sector.contains(az)]
    count = len(az)
    el = np.radians(rng.uniform(spec.min_elevation_deg, spec.max_elevation_deg, count))
    rng_m = rng.uniform(spec.min_range_m, spec.max_range_m, count)
    # The constant columns as rows of two arrays (np.full's values, without its wrapper).
    constant = np.empty((5, count))
    constant[0], constant[1], constant[4] = radar._false_alarm_sigmas
    constant[2] = constant[1]
    constant[3] = _FALSE_ALARM_SNR_DB
    sources = np.empty((2, count), dtype=np.int64)
    sources[0] = radar.index
    sources[1] = -1  # no true entity
    if radar.measures_range_rate:
        span = FALSE_ALARM_RANGE_RATE_SPAN_MPS
        range_rate = rng.uniform(-span, span, count)
    else:
        range_rate = np.empty(count)
        range_rate.fill(np.nan)
    return DetectionBatch.of_columns(
        time_s,
        sources[0],
        sources[1],
        rng_m,
        az,
        el,
        constant[0],
        constant[1],
        constant[2],
        constant[3],
        range_rate,
        constant[4],
        stamp,
    )
