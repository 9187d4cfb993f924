"""The detection batch: what radars hand to trackers, one row per detection."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import itemgetter
from typing import Any

import numpy as np

from iadsim.sensors.track_dwells import Look


@dataclass(frozen=True)
class DetectionBatch:
    """Detections of one radar look (or several concatenated).

    Attributes
    ----------
    time_s : float
        Time of the look, s.
    radar : (n,) int64
        Index of the radar that made each detection.
    truth : (n,) int64
        Index of the true air entity, -1 for a false alarm (kept for scoring only; trackers
        must not read it).
    range_m, az_rad, el_rad : (n,) float64
        Measured slant range, azimuth (clockwise from north) and elevation in the radar's
        ENU frame.
    sigma_range_m, sigma_az_rad, sigma_el_rad : (n,) float64
        One-sigma measurement errors.
    snr_db : (n,) float64
        Signal-to-noise ratio of the detection.
    range_rate_mps, sigma_range_rate_mps : (n,) float64
        Measured range rate (positive opening, relative to the radar) and its one-sigma
        error, m/s; NaN where the radar does not measure it.
    look : Look or None
        Azimuths searched (a rotating beam's sweep, or the sector); None when unknown,
        e.g. for batches joined from several radars.
    """

    time_s: float
    radar: np.ndarray
    truth: np.ndarray
    range_m: np.ndarray
    az_rad: np.ndarray
    el_rad: np.ndarray
    sigma_range_m: np.ndarray
    sigma_az_rad: np.ndarray
    sigma_el_rad: np.ndarray
    snr_db: np.ndarray
    range_rate_mps: np.ndarray
    sigma_range_rate_mps: np.ndarray
    look: Look | None = None

    def __len__(self) -> int:
        return len(self.radar)

    @classmethod
    def empty(cls, time_s: float, look: Look | None = None) -> DetectionBatch:
        """A batch with no detections (its zero-length columns are shared by all).

        Most looks detect nothing, so the batch is filled in without the frozen
        dataclass's ``__init__`` (one ``object.__setattr__`` per field): the same fields,
        the same values.
        """
        batch = object.__new__(cls)
        fields_ = batch.__dict__
        fields_.update(_EMPTY_COLUMNS)
        fields_["time_s"] = time_s
        fields_["look"] = look
        return batch

    @classmethod
    def of_columns(
        cls,
        time_s: float,
        radar: np.ndarray,
        truth: np.ndarray,
        range_m: np.ndarray,
        az_rad: np.ndarray,
        el_rad: np.ndarray,
        sigma_range_m: np.ndarray,
        sigma_az_rad: np.ndarray,
        sigma_el_rad: np.ndarray,
        snr_db: np.ndarray,
        range_rate_mps: np.ndarray,
        sigma_range_rate_mps: np.ndarray,
        look: Look | None,
    ) -> DetectionBatch:
        """``DetectionBatch(...)`` of these fields, filled in as :meth:`empty` is (a look's
        detections and false alarms: one batch each per look)."""
        batch = object.__new__(cls)
        fields_ = batch.__dict__
        fields_["time_s"], fields_["radar"], fields_["truth"] = time_s, radar, truth
        fields_["range_m"], fields_["az_rad"], fields_["el_rad"] = range_m, az_rad, el_rad
        fields_["sigma_range_m"], fields_["sigma_az_rad"] = sigma_range_m, sigma_az_rad
        fields_["sigma_el_rad"], fields_["snr_db"] = sigma_el_rad, snr_db
        fields_["range_rate_mps"] = range_rate_mps
        fields_["sigma_range_rate_mps"] = sigma_range_rate_mps
        fields_["look"] = look
        return batch

    @classmethod
    def concatenate(
        cls,
        batches: list[DetectionBatch],
        time_s: float,
        look: Look | None = None,
    ) -> DetectionBatch:
        """Join batches (e.g. a look's detections and its false alarms).

        Filled in as :meth:`empty` is (no per-field ``object.__setattr__``), over the
        column names listed once at import rather than ``dataclasses.fields`` per call,
        each batch's columns read in one ``itemgetter`` call and regrouped by ``zip``
        (rather than one list per column).
        """
        if not batches:
            return cls.empty(time_s, look)
        batch = object.__new__(cls)
        joined: dict[str, Any] = batch.__dict__
        by_column = zip(*[_column_values(b.__dict__) for b in batches], strict=True)
        for name, parts in zip(_COLUMN_NAMES, by_column, strict=True):
            joined[name] = np.concatenate(parts)
        joined["time_s"] = time_s
        joined["look"] = look
        return batch


_EMPTY_COLUMNS: dict[str, np.ndarray] = {
    f.name: np.zeros(0, dtype=np.int64 if f.name in ("radar", "truth") else np.float64)
    for f in fields(DetectionBatch)
    if f.name not in ("time_s", "look")
}
"""Zero-length columns of :class:`DetectionBatch`, by field name (built once: most looks
detect nothing)."""
_COLUMN_NAMES = tuple(_EMPTY_COLUMNS)
"""The array fields of :class:`DetectionBatch`, in declaration order."""
_column_values = itemgetter(*_COLUMN_NAMES)
"""``_column_values(batch.__dict__)``: the tuple of a batch's columns, in :data:`_COLUMN_NAMES`
order."""
