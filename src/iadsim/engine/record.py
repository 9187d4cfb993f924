"""Recording: events as they happen and state snapshots at a fixed rate, columnar."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

DEGREES_PER_RADIAN = 180.0 / math.pi
"""The factor of ``np.degrees`` (``x * (180 / pi)``): a float times it is ``np.degrees`` of
it to the bit, without a ufunc call per event."""

EVENT_SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("track_id", pa.int64()),
        ("truth", pa.string()),
        ("interceptor_id", pa.int64()),
        ("engagement_id", pa.int64()),
        ("lat_deg", pa.float64()),
        ("lon_deg", pa.float64()),
        ("alt_m", pa.float64()),
        ("detail", pa.string()),
    ]
)
"""Columns of ``events.parquet``: one row per event."""

SNAPSHOT_SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("source", pa.string()),
        ("id", pa.string()),
        ("truth", pa.string()),
        ("side", pa.string()),
        ("identity", pa.string()),
        ("lat_deg", pa.float64()),
        ("lon_deg", pa.float64()),
        ("alt_m", pa.float64()),
        ("vel_east_mps", pa.float64()),
        ("vel_north_mps", pa.float64()),
        ("vel_up_mps", pa.float64()),
    ]
)
"""Columns of ``tracks.parquet``: truth (``source == "truth"``) and each post's tracks."""

INTERCEPTOR_SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("interceptor_id", pa.int64()),
        ("unit", pa.string()),
        ("lat_deg", pa.float64()),
        ("lon_deg", pa.float64()),
        ("alt_m", pa.float64()),
    ]
)
"""Columns of ``interceptors.parquet``: each interceptor in flight at the end of every
step, keyed by its id (its fleet slot, unique in a run, as in ``events.parquet``) and the
post that fired it. Read only for display: nothing in the run depends on it."""
INTERCEPTORS_FILE = "interceptors.parquet"
"""The run folder's file of :data:`INTERCEPTOR_SCHEMA` rows."""


@dataclass
class Recorder:
    """Append-only columnar buffers for events and snapshots."""

    events: dict[str, list] = field(default_factory=lambda: {n: [] for n in EVENT_SCHEMA.names})
    snapshots: dict[str, list] = field(
        default_factory=lambda: {n: [] for n in SNAPSHOT_SCHEMA.names}
    )
    interceptors: dict[str, list] = field(
        default_factory=lambda: {n: [] for n in INTERCEPTOR_SCHEMA.names}
    )

    def event(
        self,
        time_s: float,
        kind: str,
        *,
        unit: str = "",
        track_id: int = -1,
        truth: str = "",
        interceptor_id: int = -1,
        engagement_id: int = -1,
        lla: tuple[float, float, float] = (np.nan, np.nan, np.nan),
        **detail: Any,
    ) -> None:
        """Record one event. ``lla`` is latitude (rad), longitude (rad), altitude (m)."""
        row = (
            float(time_s),
            kind,
            unit,
            int(track_id),
            truth,
            int(interceptor_id),
            int(engagement_id),
            float(lla[0]) * DEGREES_PER_RADIAN,
            float(lla[1]) * DEGREES_PER_RADIAN,
            float(lla[2]),
            json.dumps(detail, sort_keys=True, default=_plain),
        )
        for name, value in zip(EVENT_SCHEMA.names, row, strict=True):
            self.events[name].append(value)

    def snapshot(
        self,
        time_s: float,
        source: str,
        ids: list[str],
        truth: list[str],
        side: list[str],
        identity: list[str],
        lat_rad: np.ndarray,
        lon_rad: np.ndarray,
        alt_m: np.ndarray,
        vel_enu_mps: np.ndarray,
    ) -> None:
        """Record the rows of one source (truth or a post) at one time.

        Parameters
        ----------
        ids, truth, side, identity : list of str, (n,)
        lat_rad, lon_rad, alt_m : (n,) float64
        vel_enu_mps : (n, 3) float64
            Velocity in the local ENU frame of each row's position.
        """
        n = len(ids)
        columns = {
            "time_s": [float(time_s)] * n,
            "source": [source] * n,
            "id": list(ids),
            "truth": list(truth),
            "side": list(side),
            "identity": list(identity),
            "lat_deg": np.degrees(lat_rad).tolist(),
            "lon_deg": np.degrees(lon_rad).tolist(),
            "alt_m": np.asarray(alt_m, dtype=float).tolist(),
            "vel_east_mps": vel_enu_mps[:, 0].tolist(),
            "vel_north_mps": vel_enu_mps[:, 1].tolist(),
            "vel_up_mps": vel_enu_mps[:, 2].tolist(),
        }
        for name, values in columns.items():
            self.snapshots[name].extend(values)

    def interceptor_positions(
        self,
        time_s: float,
        ids: np.ndarray,
        units: list[str],
        lat_rad: np.ndarray,
        lon_rad: np.ndarray,
        alt_m: np.ndarray,
    ) -> None:
        """Record where the interceptors in flight are at ``time_s``.

        Parameters
        ----------
        ids : (n,) int
            Interceptor ids (fleet slots).
        units : list of str, (n,)
            The post that fired each.
        lat_rad, lon_rad, alt_m : (n,) float64
            Geodetic position (rad, rad, m above the ellipsoid).
        """
        n = len(units)
        columns = {
            "time_s": [float(time_s)] * n,
            "interceptor_id": [int(i) for i in ids],
            "unit": list(units),
            "lat_deg": np.degrees(lat_rad).tolist(),
            "lon_deg": np.degrees(lon_rad).tolist(),
            "alt_m": np.asarray(alt_m, dtype=float).tolist(),
        }
        for name, values in columns.items():
            self.interceptors[name].extend(values)

    def interceptor_table(self, start_time: datetime | None = None) -> pa.Table:
        """Interceptor positions as an Arrow table (``start_time`` as in
        :meth:`event_table`)."""
        return with_start_time(pa.table(self.interceptors, schema=INTERCEPTOR_SCHEMA), start_time)

    def event_table(self, start_time: datetime | None = None) -> pa.Table:
        """Events as an Arrow table, in recording order (deterministic).

        ``start_time`` (the scenario's) is kept in the schema metadata as ``start_time``
        (ISO 8601): the instant ``time_s`` counts from.
        """
        return with_start_time(pa.table(self.events, schema=EVENT_SCHEMA), start_time)

    def snapshot_table(self, start_time: datetime | None = None) -> pa.Table:
        """Snapshots as an Arrow table (``start_time`` as in :meth:`event_table`)."""
        return with_start_time(pa.table(self.snapshots, schema=SNAPSHOT_SCHEMA), start_time)


def with_start_time(table: pa.Table, start_time: datetime | None) -> pa.Table:
    """``table`` with the run's start instant (ISO 8601) as schema metadata ``start_time``,
    the instant its ``time_s`` counts from (unchanged when None)."""
    if start_time is None:
        return table
    return table.replace_schema_metadata({"start_time": start_time.isoformat()})


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot record {type(value).__name__}")
