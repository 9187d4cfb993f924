"""Numba kernel of a track-dwell schedule's step: which tracks the radar holds and which are
due a dwell (:meth:`iadsim.sensors.track_dwells.TrackDwellSchedule.request`).

:func:`due_dwells_kernel` is the compiled twin of :func:`due_dwells_reference`, the NumPy
and Python code the schedule ran at every step (a stable argsort of the ranges, then a loop
over the held tracks with a dictionary of their dues): the same held tracks in the same
order, the same dues (a comparison, a sum and a maximum per track), so the same dwells (a
test compares them). A multifunction radar asks it once per step for its few tracks.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["due_dwells_kernel", "due_dwells_reference"]


@numba.njit(cache=True)
def due_dwells_kernel(
    t, track_ids, range_m, capacity, update_s, previous_ids, previous_due_s, held_ids, held_due_s,
    due_rows,
):  # fmt: skip  # pragma: no cover - numba
    """The tracks held and due a dwell at ``t``, written into ``held_ids``, ``held_due_s``
    and ``due_rows``.

    Parameters
    ----------
    t : float
        Time of the step, s.
    track_ids : (m,) int64
        Confirmed tracks in the radar's view.
    range_m : (m,) float64
        Their predicted ranges, m: the nearest ``capacity`` are held (a stable sort, NaN
        last, as ``argsort(kind="stable")`` orders them).
    capacity : int
        Tracks the radar holds at most.
    update_s : float
        Time between the dwells of a held track, s.
    previous_ids : (p,) int64
    previous_due_s : (p,) float64
        The tracks held at the previous step and when each is due (a track not among them
        is due now).
    held_ids : (>= min(m, capacity),) int64
    held_due_s : (>= min(m, capacity),) float64
        Filled with the held tracks, nearest first, and their next dues.
    due_rows : (>= min(m, capacity),) int64
        Filled with the rows of ``track_ids`` due a dwell now, in held order.

    Returns
    -------
    held, due : int
        How many tracks are held, and how many of them are due.
    """
    m = range_m.size
    order = np.empty(m, dtype=np.int64)
    for i in range(m):  # insertion sort: stable, NaN after every number
        key = range_m[i]
        j = i
        while j > 0:
            other = range_m[order[j - 1]]
            if key < other or (other != other and key == key):
                order[j] = order[j - 1]
                j -= 1
            else:
                break
        order[j] = i
    held = min(m, capacity)
    due = 0
    for k in range(held):
        row = order[k]
        track = track_ids[row]
        next_due = t
        for j in range(previous_ids.size):
            if previous_ids[j] == track:
                next_due = previous_due_s[j]
                break
        if next_due <= t:
            due_rows[due] = row
            due += 1
            next_due = next_due + update_s
            if t > next_due:
                next_due = t
        held_ids[k] = track
        held_due_s[k] = next_due
    return held, due


def due_dwells_reference(
    t: float,
    track_ids: np.ndarray,
    range_m: np.ndarray,
    capacity: int,
    update_s: float,
    previous: dict[int, float],
) -> tuple[dict[int, float], list[int]]:
    """NumPy and Python twin of :func:`due_dwells_kernel`: the held tracks' next dues (in
    held order) and the rows due a dwell, from the previous step's dues ``previous``."""
    held = range_m.argsort(kind="stable")[:capacity]
    next_due_s: dict[int, float] = {}
    due = []
    for row, track in zip(held.tolist(), track_ids[held].tolist(), strict=True):
        next_due = previous.get(track, t)
        if next_due <= t:
            due.append(row)
            next_due = max(next_due + update_s, t)
        next_due_s[track] = next_due
    return next_due_s, due
