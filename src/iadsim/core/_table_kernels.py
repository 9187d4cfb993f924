"""Numba kernel of :meth:`iadsim.core.tables.Table.slots_of` for a few ids.

A tracker looks up the slots of a scan's few track ids several times per look; one compiled
scan over the slots replaces the comparison matrix and its four reductions. Integer
comparisons only, so it agrees exactly with the sorted search
(``Table._slots_by_search``) that serves large queries.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["matching_slots_kernel"]


@numba.njit(cache=True)
def matching_slots_kernel(table_ids, active, ids):  # pragma: no cover - numba
    """Slot of each of ``ids`` among the live rows, -1 where it is not live.

    Parameters
    ----------
    table_ids : (capacity,) int64
        The table's id per slot.
    active : (capacity,) bool
        The slot holds a live row.
    ids : (n,) int64
        Ids to find.

    Returns
    -------
    (n,) int64
        The first live slot holding each id (ids are unique among live rows), -1 if none.
    """
    out = np.full(ids.shape[0], -1, dtype=np.int64)
    for k in range(ids.shape[0]):
        for slot in range(table_ids.shape[0]):
            if active[slot] and table_ids[slot] == ids[k]:
                out[k] = slot
                break
    return out
