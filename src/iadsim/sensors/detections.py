"""The detection batch: what radars hand to trackers, one row per detection."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DetectionBatch:
    """Detections of one radar scan (or several concatenated).

    Attributes
    ----------
    time_s : float
        Scan time, s.
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

    def __len__(self) -> int:
        return len(self.radar)

    @classmethod
    def empty(cls, time_s: float) -> DetectionBatch:
        """A batch with no detections."""
        ints = np.zeros(0, dtype=np.int64)
        floats = np.zeros(0)
        return cls(time_s, ints, ints, *([floats] * 7))

    @classmethod
    def concatenate(cls, batches: list[DetectionBatch], time_s: float) -> DetectionBatch:
        """Join batches (e.g. the scans of several radars in one step)."""
        if not batches:
            return cls.empty(time_s)
        names = (
            "radar",
            "truth",
            "range_m",
            "az_rad",
            "el_rad",
            "sigma_range_m",
            "sigma_az_rad",
            "sigma_el_rad",
            "snr_db",
        )
        return cls(time_s, *(np.concatenate([getattr(b, n) for b in batches]) for n in names))
