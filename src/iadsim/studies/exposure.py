"""Signature exposure from per-look records: looks and time by aspect bin, band and radar.

For each aircraft of the chosen platforms and each radar, the looks of the radar that had
the aircraft in its coverage (:mod:`iadsim.sensors.look_records`) are binned by the
*collected aspect*: the direction of the radar in the aircraft's body frame (azimuth 0
nose-on, 90 right wing, +-180 tail; elevation above the wing plane), which is what an
observer collecting the aircraft's signature would see. Per bin:

* ``looks`` and ``detections`` (looks whose draw detected the aircraft);
* ``look_time_s``: time the aircraft spent in the radar's coverage at that aspect. Each look
  stands for the time to the radar's next look at the same aircraft, capped at the median
  such interval of that radar and aircraft (so that leaving coverage and coming back is not
  counted as exposure); the last look stands for the median interval;
* ``detected_time_s``: the same, summed over detecting looks only: time held by detections;
* ``tracked_time_s``: the same, summed over the looks at which the radar's own post held a
  track on the aircraft (at the last record instant, every ``record_interval_s``; the
  post's tracks kept by :class:`iadsim.studies.replicate.StudyReplicate`): track time by
  the aspect at which this radar saw the aircraft;
* ``snr_db_mean`` and ``pd_mean``: means over the unmasked looks of the bin;
* ``snr_db_ge_13``: looks whose mean-RCS SNR was at least 13 dB (about Pd 0.9 at Pfa 1e-6
  for a steady target, Skolnik, *Radar Handbook*, 3rd ed., 2008, Fig. 2.6).

Rows are per replication (``seed``); averaging over replications is the reader's choice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EXPOSURE_KEYS", "exposure_table", "look_durations_s", "tracked_at_look"]

EXPOSURE_KEYS = ("platform", "target", "radar", "band", "az_bin_deg", "el_bin_deg")
"""Grouping columns of :func:`exposure_table` (besides the ones the caller adds)."""

SNR_THRESHOLD_DB = 13.0


def look_durations_s(time_s: np.ndarray, radar: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Time each look stands for: to the next look of its radar at its target, capped.

    Parameters
    ----------
    time_s : (n,) float64
        Look times, s.
    radar, target : (n,) int
        Radar and target codes of each look.

    Returns
    -------
    (n,) float64
        ``min(gap to the next look of the same (radar, target), median gap of that pair)``;
        the pair's last look gets the median gap; a pair with one look gets 0 s.
    """
    n = time_s.size
    out = np.zeros(n)
    if n == 0:
        return out
    order = np.lexsort((time_s, target, radar))
    t = time_s[order]
    pair = radar[order].astype(np.int64) * (int(target.max()) + 1) + target[order]
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    ends = np.r_[starts[1:], n]
    gaps = np.r_[np.diff(t), np.nan]
    gaps[ends - 1] = np.nan  # no next look within the pair
    durations = np.zeros(n)
    for start, end in zip(starts, ends, strict=True):
        pair_gaps = gaps[start : end - 1]
        if pair_gaps.size == 0:
            continue
        median = float(np.median(pair_gaps))
        durations[start : end - 1] = np.minimum(pair_gaps, median)
        durations[end - 1] = median
    out[order] = durations
    return out


def tracked_at_look(
    time_s: np.ndarray,
    post: np.ndarray,
    target: np.ndarray,
    held: pa.Table,
    record_interval_s: float,
) -> np.ndarray:
    """Whether the post held a track on the target at the last record instant of each look.

    Parameters
    ----------
    time_s : (n,) float64
        Look times, s.
    post, target : (n,) str
        The post that owns the look's radar, and the target.
    held : pyarrow.Table
        ``time_s``, ``post``, ``target``: one row per record instant, post and target it
        held a track on (:func:`iadsim.studies.replicate.held_tracks`).
    record_interval_s : float
        Interval of the record instants, s.

    Returns
    -------
    (n,) bool
    """
    if time_s.size == 0 or held.num_rows == 0:
        return np.zeros(time_s.size, dtype=bool)
    held_post = np.asarray(held.column("post").to_numpy(zero_copy_only=False), dtype=str)
    held_target = np.asarray(held.column("target").to_numpy(zero_copy_only=False), dtype=str)
    names, codes = np.unique(
        np.concatenate([post, target, held_post, held_target]).astype(str), return_inverse=True
    )
    n, m = time_s.size, held.num_rows
    look_post, look_target = codes[:n], codes[n : 2 * n]
    held_post_code, held_target_code = codes[2 * n : 2 * n + m], codes[2 * n + m :]
    # A small tolerance: a look at a record instant belongs to that instant.
    look_step = np.floor(time_s / record_interval_s + 1e-9).astype(np.int64)
    held_step = np.rint(held.column("time_s").to_numpy() / record_interval_s).astype(np.int64)
    size = np.int64(len(names))
    look_key = (look_step * size + look_post) * size + look_target
    held_key = (held_step * size + held_post_code) * size + held_target_code
    return np.isin(look_key, held_key)


def exposure_table(
    looks: pa.Table,
    platforms: Sequence[str],
    azimuth_bin_deg: float = 30.0,
    elevation_bin_deg: float = 30.0,
    air_tracks: Sequence[str] | None = None,
    held: pa.Table | None = None,
    record_interval_s: float = 10.0,
) -> pa.Table:
    """Exposure of the aircraft of ``platforms`` in one run's looks, by aspect bin.

    Parameters
    ----------
    looks : pyarrow.Table
        ``looks.parquet`` of one run (:data:`iadsim.sensors.look_records.LOOK_SCHEMA`).
    platforms : sequence of str
        Catalog platforms kept.
    azimuth_bin_deg, elevation_bin_deg : float
        Bin widths, degrees; bins start at -180 (azimuth) and -90 (elevation).
    air_tracks : sequence of str, optional
        Keep only the aircraft of these air tracks: target ``name`` or ``name-NN``.
    held : pyarrow.Table, optional
        The posts' tracks (:func:`tracked_at_look`); without it ``tracked_time_s`` is null.
    record_interval_s : float
        Interval of ``held``'s record instants, s.

    Returns
    -------
    pyarrow.Table
        One row per non-empty (:data:`EXPOSURE_KEYS`) group: ``az_bin_deg`` and
        ``el_bin_deg`` are the bins' lower edges, then ``looks``, ``detections``,
        ``look_time_s``, ``detected_time_s``, ``tracked_time_s``, ``snr_db_mean``,
        ``pd_mean``, ``snr_db_ge_13``.
    """
    platform = looks.column("platform").cast(pa.string())
    kept = looks.filter(pc.is_in(platform, pa.array(list(platforms), pa.string())))
    if air_tracks is not None:
        pattern = "^(" + "|".join(re.escape(name) for name in air_tracks) + r")(-\d+)?$"
        kept = kept.filter(
            pc.match_substring_regex(kept.column("target").cast(pa.string()), pattern)
        )
    strings = {
        name: np.asarray(kept.column(name).cast(pa.string()).to_numpy(zero_copy_only=False))
        for name in ("platform", "target", "radar", "band")
    }
    time_s = kept.column("time_s").to_numpy()
    radar_codes = np.unique(strings["radar"], return_inverse=True)[1]
    target_codes = np.unique(strings["target"], return_inverse=True)[1]
    duration = look_durations_s(time_s, radar_codes, target_codes)
    detected = np.asarray(kept.column("detected").to_numpy(zero_copy_only=False), dtype=bool)
    masked = np.asarray(kept.column("masked").to_numpy(zero_copy_only=False), dtype=bool)
    snr = kept.column("snr_db").to_numpy(zero_copy_only=False)
    pd = kept.column("pd").to_numpy(zero_copy_only=False)
    azimuth = kept.column("aspect_az_deg").to_numpy(zero_copy_only=False)
    elevation = kept.column("aspect_el_deg").to_numpy(zero_copy_only=False)
    az_bins = round(360.0 / azimuth_bin_deg)
    el_bins = round(180.0 / elevation_bin_deg)
    # +180 and -180 deg are the same direction (tail-on): wrap, then bin.
    az_index = np.clip(np.floor(np.mod(azimuth + 180.0, 360.0) / azimuth_bin_deg), 0, az_bins - 1)
    el_index = np.clip(np.floor((elevation + 90.0) / elevation_bin_deg), 0, el_bins - 1)
    unmasked = ~masked & np.isfinite(snr)
    if held is None:
        tracked_time = pa.nulls(kept.num_rows, pa.float64())
    else:
        # Radars are named "<post>/<catalog key>": the post is the first segment.
        posts = np.array([name.split("/", 1)[0] for name in strings["radar"]], dtype=str)
        tracked = tracked_at_look(time_s, posts, strings["target"], held, record_interval_s)
        tracked_time = pa.array(np.where(tracked, duration, 0.0), pa.float64())
    table = pa.table(
        {
            **{name: pa.array(values, pa.string()) for name, values in strings.items()},
            "az_bin_deg": az_index * azimuth_bin_deg - 180.0,
            "el_bin_deg": el_index * elevation_bin_deg - 90.0,
            "looks": np.ones(kept.num_rows, dtype=np.int64),
            "detections": detected.astype(np.int64),
            "look_time_s": duration,
            "detected_time_s": np.where(detected, duration, 0.0),
            "tracked_time_s": tracked_time,
            "snr_db": pa.array(np.where(unmasked, snr, math.nan), pa.float64(), mask=~unmasked),
            "pd": pa.array(pd, pa.float64(), mask=~unmasked),
            "snr_db_ge_13": (
                unmasked & (np.nan_to_num(snr, nan=-math.inf) >= SNR_THRESHOLD_DB)
            ).astype(np.int64),
        }
    )
    grouped = table.group_by(list(EXPOSURE_KEYS)).aggregate(
        [
            ("looks", "sum"),
            ("detections", "sum"),
            ("look_time_s", "sum"),
            ("detected_time_s", "sum"),
            ("tracked_time_s", "sum"),
            ("snr_db", "mean"),
            ("pd", "mean"),
            ("snr_db_ge_13", "sum"),
        ]
    )
    renamed = [name.removesuffix("_sum") for name in grouped.column_names]
    renamed = [
        {"snr_db_mean": "snr_db_mean", "pd_mean": "pd_mean"}.get(name, name) for name in renamed
    ]
    return grouped.rename_columns(renamed).sort_by([(key, "ascending") for key in EXPOSURE_KEYS])
