"""The one table type: rows in reusable slots, stable ids, typed columns, growth.

Every per-entity state in the engine -- tracks, pictures, interceptors in flight -- is a
:class:`Table`: NumPy columns of one length (the capacity), an ``active`` mask, and an ``id``
per row that is unique, increasing and never reused, so events can name a row for good while
its slot is recycled. A subclass declares its columns once, as :class:`Column` entries (and
as annotations, so type checkers see them); the table creates them, resets them when a slot
is taken, and doubles them all when it is full (amortised O(1) per row; no fixed capacity).
Enumerations are stored as small integers, never as floats; one whose labels are known only
at run time (a scenario's sides, catalog keys) is a *labelled* column: integer codes into the
table's growing list of labels. A table whose rows must stay
readable after they end (interceptors, named by slot in events) sets ``REUSES_SLOTS`` to
False: every row then takes the next slot, and its slot equals its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from iadsim.core._table_kernels import matching_slots_kernel

__all__ = ["Column", "Table"]

DIRECT_MATCH_LIMIT = 16_384
"""Up to this many (id, slot) comparisons :meth:`Table.slots_of` compares directly."""


@dataclass(frozen=True)
class Column:
    """One typed column: per-row shape, dtype and the value of an empty or new row.

    A ``labelled`` column holds integer codes into ``Table.labels[name]`` (-1: no label).
    """

    name: str
    dtype: type | np.dtype
    fill: float | int | bool = 0
    shape: tuple[int, ...] = ()
    labelled: bool = False


class Table:
    """Rows in slots with stable ids; columns declared by subclasses in ``COLUMNS``.

    Parameters
    ----------
    capacity : int
        Initial number of slots (the table grows by doubling when full).

    Attributes
    ----------
    COLUMNS : tuple of Column
        The declared columns (class attribute).
    REUSES_SLOTS : bool
        Class attribute. True: a new row takes the lowest free slot. False: it takes the
        next slot, so a slot is never reused (slot == id) and a released row keeps its
        values for good.
    active : (capacity,) bool
        The slot holds a live row.
    ids : (capacity,) int64
        Stable id of each live row, -1 for empty slots.
    next_id : int
        The id the next row will get.
    extra : dict of str to ndarray
        Columns added after construction with :meth:`add_column`, by name.
    labels : dict of str to list of str
        The labels of each labelled column, by code (see :meth:`encode`).
    """

    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    REUSES_SLOTS: ClassVar[bool] = True

    active: np.ndarray
    ids: np.ndarray

    def __init__(self, capacity: int = 64) -> None:
        capacity = max(int(capacity), 1)
        self.next_id = 0
        self._columns: dict[str, Column] = {}
        self.extra: dict[str, np.ndarray] = {}
        self.labels: dict[str, list[str]] = {}
        self._fills: tuple[tuple[str, float | int | bool], ...] = ()
        for column in (Column("active", np.bool_, False), Column("ids", np.int64, -1)):
            self._add(column, capacity)
        for column in self.columns():
            self._add(column, capacity)

    def columns(self) -> tuple[Column, ...]:
        """The declared columns; override to size them from constructor arguments."""
        return self.COLUMNS

    # -- size -------------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        """Number of slots."""
        return int(self.active.shape[0])

    @property
    def n_active(self) -> int:
        """Number of live rows."""
        return int(np.count_nonzero(self.active))

    def active_slots(self) -> np.ndarray:
        """Slots of live rows, ascending, ``(n_active,) int64``."""
        return self.active.nonzero()[0]

    def add_column(
        self, name: str, shape: tuple[int, ...] = (), fill: float = 0.0, dtype: type = np.float64
    ) -> np.ndarray:
        """Add a column after construction (e.g. a picture's per-track knowledge)."""
        array = self._add(Column(name, dtype, fill, shape), self.capacity)
        self.extra[name] = array
        return array

    # -- labelled columns -------------------------------------------------------------
    def encode(self, name: str, values: Iterable[str]) -> np.ndarray:
        """Codes of ``values`` in the labelled column ``name``; new labels are appended.

        Returns
        -------
        (n_values,) integer array, of the column's dtype
            Index of each value in ``labels[name]``.
        """
        labels = self.labels[name]
        code_of = {label: code for code, label in enumerate(labels)}
        codes = []
        for value in values:
            if value not in code_of:
                code_of[value] = len(labels)
                labels.append(value)
            codes.append(code_of[value])
        return np.array(codes, dtype=self._columns[name].dtype)

    def label(self, name: str, slot: int | np.integer) -> str:
        """The label of row ``slot`` in the labelled column ``name``."""
        return self.labels[name][getattr(self, name)[slot]]

    def labels_of(self, name: str, slots: np.ndarray | None = None) -> list[str]:
        """Labels of ``slots`` (default: every live row) in the labelled column ``name``."""
        slots = self.active_slots() if slots is None else slots
        labels = self.labels[name]
        return [labels[code] for code in getattr(self, name)[slots].tolist()]

    # -- rows -------------------------------------------------------------------------
    def allocate(self, count: int) -> np.ndarray:
        """Take ``count`` free slots (growing if needed), reset them, give them new ids.

        Returns
        -------
        (count,) int64
            The slots, in the order of their (increasing) ids.
        """
        if count == 0:  # most scans start no row: nothing to search or reset
            return np.empty(0, dtype=np.int64)
        if count == 1 and self.REUSES_SLOTS:  # one new track: the lowest free slot
            return self._allocate_one()
        free = self._free_slots()
        if free.size < count:
            self._grow(self.capacity - free.size + count)
            free = self._free_slots()
        slots = free[:count]
        self._reset(slots)
        self.active[slots] = True
        self.ids[slots] = np.arange(self.next_id, self.next_id + count, dtype=np.int64)
        self.next_id += count
        return slots

    def _allocate_one(self) -> np.ndarray:
        """:meth:`allocate` of one row in a table that reuses slots, by scalar indexing."""
        slot = int(self.active.argmin())  # the first False: the lowest free slot
        if self.active[slot]:  # every slot taken
            slot = self.capacity
            self._grow(slot + 1)
        self._reset(slot)
        self.active[slot] = True
        self.ids[slot] = self.next_id
        self.next_id += 1
        return np.array([slot], dtype=np.int64)

    def _reset(self, slots: int | np.ndarray) -> None:
        """Set every column but ``active`` and ``ids`` to its fill value in ``slots``."""
        arrays = self.__dict__  # the columns are instance attributes (see _add)
        for name, fill in self._fills:
            arrays[name][slots] = fill

    def _free_slots(self) -> np.ndarray:
        """Slots a new row may take, ascending."""
        if self.REUSES_SLOTS:
            return np.flatnonzero(~self.active)
        return np.arange(self.next_id, self.capacity)

    def release(self, slots: np.ndarray) -> None:
        """Free ``slots``; their ids are never given again."""
        self.active[slots] = False
        self.ids[slots] = -1

    def slots_of(self, ids: np.ndarray) -> np.ndarray:
        """Slots of the live rows with ``ids`` (any shape), -1 where an id is not live."""
        ids = np.asarray(ids, dtype=np.int64)
        # self.capacity, without the property's call (a few calls per look)
        if ids.ndim == 1 and ids.size * self.active.shape[0] <= DIRECT_MATCH_LIMIT:
            # Few ids (a decision, a launch, one scan): a compiled scan over the slots.
            return matching_slots_kernel(self.ids, self.active, ids)
        return self._slots_by_search(ids)

    def _slots_by_search(self, ids: np.ndarray) -> np.ndarray:
        """:meth:`slots_of` by a binary search in the sorted live ids (many ids)."""
        out = np.full(ids.shape, -1, dtype=np.int64)
        live = self.active_slots()
        if live.size == 0:
            return out
        order = np.argsort(self.ids[live])
        sorted_ids = self.ids[live][order]
        pos = np.clip(np.searchsorted(sorted_ids, ids), 0, sorted_ids.size - 1)
        hit = sorted_ids[pos] == ids
        out[hit] = live[order[pos[hit]]]
        return out

    # -- storage ----------------------------------------------------------------------
    def _add(self, column: Column, capacity: int) -> np.ndarray:
        if column.name in self._columns or hasattr(self, column.name):
            raise ValueError(f"column {column.name!r} exists or names an attribute")
        array = np.full((capacity, *column.shape), column.fill, dtype=column.dtype)
        self._columns[column.name] = column
        if column.name not in ("active", "ids"):  # set by allocate itself
            self._fills = (*self._fills, (column.name, column.fill))
        if column.labelled:
            self.labels[column.name] = []
        setattr(self, column.name, array)
        return array

    def _grow(self, needed: int) -> None:
        capacity = self.capacity
        while capacity < needed:
            capacity *= 2
        extra = capacity - self.capacity
        for column in self._columns.values():
            old = getattr(self, column.name)
            pad = np.full((extra, *column.shape), column.fill, dtype=old.dtype)
            setattr(self, column.name, np.concatenate([old, pad]))
        for name in self.extra:
            self.extra[name] = getattr(self, name)
