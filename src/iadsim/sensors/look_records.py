"""Per-look records: what each radar look made of each target in its coverage.

One row per radar look and air entity inside the radar's coverage for that look (range,
elevation limits, azimuth sector or the beam's sweep, radar horizon): the geometry, the
signature the radar saw, and the detection chance and draw. They are the raw material of
signature-exposure studies (how long, from which aspects and bands, is an aircraft exposed
to a radar?) and are written as ``looks.parquet``.

Recording them reads what the sensing stage computed and draws nothing, so a run gives the
same outcomes with or without them.

==================  ==========================================================================
column              meaning
==================  ==========================================================================
``time_s``          time of the look, s since the scenario start
``radar``           the radar (``post/battery/type``)
``band``            its IEEE letter band (:func:`ieee_band`)
``target``          the air entity
``platform``        its platform (catalog key)
``range_km``        true slant range, km
``aspect_az_deg``   azimuth of the radar seen from the target's body frame, deg: 0 nose-on,
                    90 off the right wing, +-180 tail-on (``aspect.aspect_angles``)
``aspect_el_deg``   elevation of the radar above the target's wing plane, deg
``rcs_dbsm``        mean RCS at that aspect and the radar's frequency, dBsm (each look's
                    Swerling fluctuation about it is folded into ``pd``)
``snr_db``          signal-to-noise ratio of the mean RCS, dB, after the signal effects
``pd``              probability of detection of the look
``detected``        whether the look's draw detected it
``masked``          whether terrain (with the radar's k-factor) blocks the straight ray; the
                    look is then seen, if at all, through the knife-edge diffraction loss
                    in its ``snr_db`` (``sensors.diffraction``)
==================  ==========================================================================
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
import pyarrow as pa

LOOK_SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("radar", pa.dictionary(pa.int32(), pa.string())),
        ("band", pa.dictionary(pa.int32(), pa.string())),
        ("target", pa.dictionary(pa.int32(), pa.string())),
        ("platform", pa.dictionary(pa.int32(), pa.string())),
        ("range_km", pa.float64()),
        ("aspect_az_deg", pa.float64()),
        ("aspect_el_deg", pa.float64()),
        ("rcs_dbsm", pa.float64()),
        ("snr_db", pa.float64()),
        ("pd", pa.float64()),
        ("detected", pa.bool_()),
        ("masked", pa.bool_()),
    ]
)
"""Columns of ``looks.parquet``."""

_RAW_COLUMNS = (
    "target",
    "range_m",
    "aspect_az_rad",
    "aspect_el_rad",
    "rcs_m2",
    "snr_db",
    "pd",
    "detected",
    "masked",
)
"""The columns each look hands :meth:`LookRecords.add`, in its order, buffered as given
(fresh arrays) and converted once, whole, by :meth:`LookRecords.table`: each conversion is
element-wise, so the values are those of converting each look's."""

IEEE_BANDS = (
    (3e6, "HF"),
    (30e6, "VHF"),
    (300e6, "UHF"),
    (1e9, "L"),
    (2e9, "S"),
    (4e9, "C"),
    (8e9, "X"),
    (12e9, "Ku"),
    (18e9, "K"),
    (27e9, "Ka"),
    (40e9, "V"),
    (75e9, "W"),
    (110e9, "mm"),
)
"""Lower edge (Hz) and letter of each radar band, IEEE Std 521-2019, Table 1."""


def ieee_band(frequency_hz: float) -> str:
    """The IEEE Std 521-2019 letter band of a radar frequency (``"?"`` below HF).

    Each band includes its lower edge: 1 GHz is L band, 8 GHz X band.
    """
    index = bisect_right([edge for edge, _ in IEEE_BANDS], frequency_hz) - 1
    return IEEE_BANDS[index][1] if index >= 0 else "?"


class LookRecords:
    """Columnar buffer of per-look records, filled by the sensing stage.

    Parameters
    ----------
    radar_names : list of str
        By radar index.
    radar_bands : list of str
        By radar index.
    entity_names, entity_platforms : list of str
        By air entity index.
    """

    def __init__(
        self,
        radar_names: list[str],
        radar_bands: list[str],
        entity_names: list[str],
        entity_platforms: list[str],
    ) -> None:
        self.radar_names = list(radar_names)
        self.radar_bands = list(radar_bands)
        self.entity_names = list(entity_names)
        self.entity_platforms = list(entity_platforms)
        self._time_s: list[float] = []  # of each look
        self._radar: list[int] = []
        self._rows: list[int] = []
        self._columns: list[list[np.ndarray]] = [[] for _ in _RAW_COLUMNS]

    def __len__(self) -> int:
        return sum(self._rows)

    def add(
        self,
        time_s: float,
        radar: int,
        entity: np.ndarray,
        range_m: np.ndarray,
        aspect_az_rad: np.ndarray,
        aspect_el_rad: np.ndarray,
        rcs_m2: np.ndarray,
        snr_db: np.ndarray,
        pd: np.ndarray,
        detected: np.ndarray,
        masked: np.ndarray,
    ) -> None:
        """Record one look of radar ``radar`` at the ``m`` entities in its coverage.

        Parameters
        ----------
        time_s : float
        radar : int
            Radar index.
        entity : (m,) int64
            Air entity indices.
        range_m, aspect_az_rad, aspect_el_rad : (m,) float64
        rcs_m2, snr_db : (m,) float64
            NaN where masked.
        pd : (m,) float64
        detected, masked : (m,) bool
        """
        m = len(entity)
        if m == 0:
            return
        self._time_s.append(float(time_s))
        self._radar.append(radar)
        self._rows.append(m)
        given = (
            entity,
            range_m,
            aspect_az_rad,
            aspect_el_rad,
            rcs_m2,
            snr_db,
            pd,
            detected,
            masked,
        )
        for column, values in zip(self._columns, given, strict=True):
            column.append(values)

    def table(self) -> pa.Table:
        """The records as an Arrow table (:data:`LOOK_SCHEMA`), in look order."""
        rows = np.array(self._rows, dtype=np.int64)
        raw = {
            name: np.concatenate(column) if column else np.zeros(0)
            for name, column in zip(_RAW_COLUMNS, self._columns, strict=True)
        }
        with np.errstate(divide="ignore", invalid="ignore"):
            rcs_dbsm = 10.0 * np.log10(raw["rcs_m2"])
        radar = np.repeat(np.array(self._radar, dtype=np.int32), rows)
        target = raw["target"].astype(np.int32)
        columns = {
            "time_s": np.repeat(np.array(self._time_s, dtype=np.float64), rows),
            "range_km": raw["range_m"].astype(np.float64) / 1000.0,
            "aspect_az_deg": np.degrees(raw["aspect_az_rad"]),
            "aspect_el_deg": np.degrees(raw["aspect_el_rad"]),
            "rcs_dbsm": rcs_dbsm,
            "snr_db": raw["snr_db"].astype(np.float64),
            "pd": raw["pd"].astype(np.float64),
            "detected": raw["detected"].astype(bool),
            "masked": raw["masked"].astype(bool),
        }
        arrays = {
            **{name: pa.array(column) for name, column in columns.items()},
            "radar": _labels(radar, self.radar_names),
            "band": _labels(radar, self.radar_bands),
            "target": _labels(target, self.entity_names),
            "platform": _labels(target, self.entity_platforms),
        }
        return pa.table([arrays[name] for name in LOOK_SCHEMA.names], schema=LOOK_SCHEMA)


def _labels(index: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    """Indices into ``labels`` as a dictionary-encoded string column (each label once in
    the dictionary, so that readers can turn it into a categorical)."""
    unique, code = np.unique(np.array(labels, dtype=object), return_inverse=True)
    return pa.DictionaryArray.from_arrays(
        pa.array(code[index], type=pa.int32()), pa.array(unique.tolist(), type=pa.string())
    )
