"""Numba kernels of the elementwise steps of a post's terrain hold
(:meth:`CommandPostPicture.hold_above_terrain
<iadsim.c2.picture.post_picture.CommandPostPicture.hold_above_terrain>`).

The hold runs on the one to five tracks a step finds under the terrain, where each NumPy
call (a gather, a comparison, a mask) costs far more than its arithmetic. These kernels do
the comparisons and gathers of its Python definition
(:func:`~iadsim.c2.picture.terrain_hold.hold_above_terrain_reference`) in one call each,
with the same IEEE operations (a subtraction, then a comparison), so the same answers; the
local verticals and the covariance products stay NumPy's.
"""

from __future__ import annotations

import numba

__all__ = ["impact_candidates_kernel", "low_rows_kernel"]


@numba.njit(cache=True)
def impact_candidates_kernel(
    geodetic, slots, last_update_s, revisit_s, time_s, candidates
):  # pragma: no cover - numba
    """Which tracks ``slots`` ``(n,)`` may have met the ground: under the terrain (height
    below the ground, rows 2 and 3 of ``geodetic`` ``(4, >= n)``) and silent for a revisit
    (``time_s - last_update_s > revisit_s``, the table's ``(capacity,)`` columns), written
    into ``candidates[:n]`` (bool). Returns whether any is."""
    found = False
    for k in range(slots.shape[0]):
        slot = slots[k]
        candidate = (geodetic[2, k] < geodetic[3, k]) & (
            time_s - last_update_s[slot] > revisit_s[slot]
        )
        candidates[k] = candidate
        found = found or candidate
    return found


@numba.njit(cache=True)
def low_rows_kernel(geodetic, slots, settled_m, low_slots, low_geodetic):  # pragma: no cover
    """The tracks ``slots`` ``(n,)`` more than ``settled_m`` under the ground
    (``height < ground - settled_m``, rows 2 and 3 of ``geodetic`` ``(4, >= n)``): their
    slots written into ``low_slots`` and their columns of ``geodetic`` into those of
    ``low_geodetic`` ``(4, >= n)``, in order. Returns how many."""
    m = 0
    for k in range(slots.shape[0]):
        if geodetic[2, k] < geodetic[3, k] - settled_m:
            low_slots[m] = slots[k]
            for i in range(4):
                low_geodetic[i, m] = geodetic[i, k]
            m += 1
    return m
