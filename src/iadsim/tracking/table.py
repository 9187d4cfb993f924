"""Columnar track table: one row (slot) per track, struct of arrays, growing capacity.

Tracks live in fixed-capacity NumPy columns with an ``active`` mask. Slots are reused
after deletion; track ids are stable, unique and increasing and are never reused.
When every slot is taken the table doubles its capacity (amortised O(1) per track).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TrackTable"]

# Columns copied when the table grows, with their fill value for empty slots.
_COLUMNS: dict[str, float | int | bool] = {
    "active": False,
    "track_id": -1,
    "confirmed": False,
    "hits": 0,
    "misses": 0,
    "opportunities": 0,
    "history": 0,
    "created_s": np.nan,
    "time_s": np.nan,
    "last_update_s": np.nan,
    "quality": 0.0,
}


class TrackTable:
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

    def __init__(self, capacity: int = 256, state_dim: int = 6) -> None:
        capacity = max(int(capacity), 1)
        self.state_dim = int(state_dim)
        self.next_id = 0
        for name, fill in _COLUMNS.items():
            setattr(self, name, np.full(capacity, fill, dtype=_dtype(fill)))
        self.state = np.zeros((capacity, self.state_dim))
        self.covariance = np.zeros((capacity, self.state_dim, self.state_dim))
        self.extra: dict[str, np.ndarray] = {}
        self._extra_fill: dict[str, float] = {}

    # -- size -------------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        """Number of slots."""
        return self.active.shape[0]

    @property
    def n_active(self) -> int:
        """Number of live tracks."""
        return int(np.count_nonzero(self.active))

    def active_slots(self) -> np.ndarray:
        """Slots of live tracks, ascending ``(n_active,) int64``."""
        return np.flatnonzero(self.active)

    def add_column(self, name: str, shape: tuple[int, ...], fill: float = 0.0) -> np.ndarray:
        """Add an extra per-track column (e.g. IMM mode probabilities) that grows with the table.

        New slots (growth or a new track in a reused slot) start at ``fill``.

        Parameters
        ----------
        name : str
            Column name, stored in ``self.extra``.
        shape : tuple of int
            Per-track shape of the column (``()`` for a scalar).
        fill : float
            Initial value.
        """
        column = np.full((self.capacity, *shape), fill, dtype=float)
        self.extra[name] = column
        self._extra_fill[name] = fill
        return column

    # -- slots ------------------------------------------------------------------------
    def allocate(self, count: int, time_s: float) -> np.ndarray:
        """Take ``count`` free slots for new tracks and give them fresh ids.

        Parameters
        ----------
        count : int
            Number of tracks to create.
        time_s : float
            Creation time (s).

        Returns
        -------
        (count,) int64
            The slots, ordered so that ids increase with position.
        """
        free = np.flatnonzero(~self.active)
        if free.size < count:
            self._grow(self.n_active + count)
            free = np.flatnonzero(~self.active)
        slots = free[:count]
        self.active[slots] = True
        self.track_id[slots] = np.arange(self.next_id, self.next_id + count, dtype=np.int64)
        self.next_id += count
        self.confirmed[slots] = False
        self.hits[slots] = 0
        self.misses[slots] = 0
        self.opportunities[slots] = 0
        self.history[slots] = 0
        self.created_s[slots] = time_s
        self.time_s[slots] = time_s
        self.last_update_s[slots] = time_s
        self.quality[slots] = 0.0
        for name, column in self.extra.items():
            column[slots] = self._extra_fill[name]
        return slots

    def release(self, slots: np.ndarray) -> None:
        """Delete the tracks in ``slots``; their ids are never reused."""
        self.active[slots] = False
        self.track_id[slots] = -1
        self.confirmed[slots] = False

    def slots_of(self, track_ids: np.ndarray) -> np.ndarray:
        """Slots of live tracks with the given ids (-1 where an id is not live)."""
        track_ids = np.asarray(track_ids, dtype=np.int64)
        if track_ids.ndim == 1 and track_ids.size * self.capacity <= _DIRECT_MATCH_LIMIT:
            # Few ids (a decision, a launch, one scan): compare with every slot at once.
            match = (self.track_id == track_ids[:, None]) & self.active
            return np.where(match.any(axis=1), match.argmax(axis=1), -1).astype(np.int64)
        out = np.full(track_ids.shape, -1, dtype=np.int64)
        live = self.active_slots()
        if live.size == 0:
            return out
        order = np.argsort(self.track_id[live])
        sorted_ids = self.track_id[live][order]
        pos = np.clip(np.searchsorted(sorted_ids, track_ids), 0, sorted_ids.size - 1)
        hit = sorted_ids[pos] == track_ids
        out[hit] = live[order[pos[hit]]]
        return out

    def _grow(self, needed: int) -> None:
        new_capacity = self.capacity
        while new_capacity < needed:
            new_capacity *= 2
        extra_slots = new_capacity - self.capacity
        for name, fill in _COLUMNS.items():
            column = getattr(self, name)
            setattr(
                self,
                name,
                np.concatenate([column, np.full(extra_slots, fill, dtype=column.dtype)]),
            )
        self.state = np.concatenate([self.state, np.zeros((extra_slots, self.state_dim))])
        self.covariance = np.concatenate(
            [self.covariance, np.zeros((extra_slots, self.state_dim, self.state_dim))]
        )
        for name, column in self.extra.items():
            pad = np.full((extra_slots, *column.shape[1:]), self._extra_fill[name], column.dtype)
            self.extra[name] = np.concatenate([column, pad])


_DIRECT_MATCH_LIMIT = 16_384
"""Up to this many (id, slot) comparisons :meth:`TrackTable.slots_of` compares directly."""


def _dtype(fill: float | int | bool) -> type:
    if isinstance(fill, bool):
        return np.bool_
    if isinstance(fill, int):
        return np.int64
    return np.float64
