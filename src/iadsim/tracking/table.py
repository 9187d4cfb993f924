"""Columnar track table: one row (slot) per track, on the engine's one table type.

Tracks live in the columns of a :class:`~iadsim.core.tables.Table`: slots are reused after
deletion; track ids are stable, unique and increasing and are never reused; the table
doubles its capacity when every slot is taken (amortised O(1) per track).
"""

from __future__ import annotations

import numpy as np

from iadsim.core.tables import Column, Table

__all__ = ["NO_SLOTS", "TrackTable"]

NO_SLOTS = np.zeros(0, dtype=np.int64)
"""No slots (or no track ids), ``(0,) int64``, read-only: what a step that finds no track
returns, made once."""
NO_SLOTS.flags.writeable = False


class TrackTable(Table):
    """Struct-of-arrays table of tracks.

    Parameters
    ----------
    capacity : int
        Initial number of slots (grows by doubling when full).
    state_dim : int
        Length of the state vector; 6 for ``[e, n, u, ve, vn, vu]`` (m, m/s).

    Attributes
    ----------
    active : (capacity,) bool
        Slot holds a live track.
    track_id : (capacity,) int64
        Stable track id (-1 for empty slots).
    state : (capacity, state_dim) float64
        State estimate at ``time_s``; ENU position (m) then velocity (m/s).
    covariance : (capacity, state_dim, state_dim) float64
        State error covariance (m², m²/s, m²/s²).
    confirmed : (capacity,) bool
        Track passed M-of-N confirmation.
    hits, misses : (capacity,) int64
        Total detections associated; consecutive missed opportunities.
    opportunities : (capacity,) int64
        Detection opportunities seen since initiation (the first detection counts).
    history : (capacity,) int64
        Bit mask of the latest opportunities, bit 0 the newest (1 = detected).
    created_s, time_s, last_update_s : (capacity,) float64
        Initiation time, time of the state estimate, time of the last associated
        detection (s, simulation time).
    quality : (capacity,) float64
        Track quality figure in [0, 1] (see :mod:`iadsim.tracking.management`).
    """

    confirmed: np.ndarray
    hits: np.ndarray
    misses: np.ndarray
    opportunities: np.ndarray
    history: np.ndarray
    created_s: np.ndarray
    time_s: np.ndarray
    last_update_s: np.ndarray
    quality: np.ndarray
    state: np.ndarray
    covariance: np.ndarray

    def __init__(self, capacity: int = 256, state_dim: int = 6) -> None:
        self.state_dim = int(state_dim)
        super().__init__(capacity)

    def columns(self) -> tuple[Column, ...]:
        """Track bookkeeping plus the state and covariance of ``state_dim``."""
        n = self.state_dim
        return (
            Column("confirmed", np.bool_, False),
            Column("hits", np.int64, 0),
            Column("misses", np.int64, 0),
            Column("opportunities", np.int64, 0),
            Column("history", np.int64, 0),
            Column("created_s", np.float64, np.nan),
            Column("time_s", np.float64, np.nan),
            Column("last_update_s", np.float64, np.nan),
            Column("quality", np.float64, 0.0),
            Column("state", np.float64, 0.0, (n,)),
            Column("covariance", np.float64, 0.0, (n, n)),
        )

    @property
    def track_id(self) -> np.ndarray:
        """``(capacity,) int64`` stable track ids, -1 for empty slots (the table's ids)."""
        return self.ids

    def add_column(
        self, name: str, shape: tuple[int, ...] = (), fill: float = 0.0, dtype: type = np.float64
    ) -> np.ndarray:
        """Add a per-track column (e.g. IMM mode probabilities), stored in ``self.extra``.

        New slots (growth or a new track in a reused slot) start at ``fill``.
        """
        return super().add_column(name, shape, fill, dtype)

    def allocate(self, count: int, time_s: float = np.nan) -> np.ndarray:  # type: ignore[override]
        """Take ``count`` free slots for new tracks created at ``time_s`` (s).

        Returns
        -------
        (count,) int64
            The slots, ordered so that ids increase with position.
        """
        slots = super().allocate(count)
        if count == 1:  # the usual single new track: scalar writes of its one row
            slot = int(slots[0])
            self.created_s[slot] = time_s
            self.time_s[slot] = time_s
            self.last_update_s[slot] = time_s
            return slots
        self.created_s[slots] = time_s
        self.time_s[slots] = time_s
        self.last_update_s[slots] = time_s
        return slots

    def release(self, slots: np.ndarray) -> None:
        """Delete the tracks in ``slots``; their ids are never reused."""
        super().release(slots)
        self.confirmed[slots] = False
