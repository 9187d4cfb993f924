"""The Python definition of a post's terrain hold, which the compiled steps of
:meth:`CommandPostPicture.hold_above_terrain
<iadsim.c2.picture.post_picture.CommandPostPicture.hold_above_terrain>` reproduce.

:func:`hold_above_terrain_reference` is the hold as NumPy expresses it: the tracks under
the terrain are predicted to the step, those that have met the ground in silence are
deleted and the others projected onto it, in up to ``FLOOR_PASSES`` passes. The picture's
method does the comparisons and gathers in :mod:`~iadsim.c2.picture._hold_kernels`
instead, and the tests hold it to this function bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.c2.picture._impact_kernels import impacts_kernel
from iadsim.tracking.table import NO_SLOTS
from iadsim.tracking.terrain_constraint import constrain_table, local_up_in_frame

if TYPE_CHECKING:
    from iadsim.c2.picture.post_picture import CommandPostPicture

__all__ = ["FLOOR_PASSES", "FLOOR_SETTLED_M", "hold_above_terrain_reference", "impacts"]

FLOOR_PASSES = 3
"""Projections onto the terrain per track and step at most
(:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.hold_above_terrain`)."""
FLOOR_SETTLED_M = 0.01
"""Depth under the terrain (m) below which a raised track counts as on it."""


def hold_above_terrain_reference(
    picture: CommandPostPicture, time_s: float, below: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.hold_above_terrain` of
    ``picture``, in NumPy: same parameters (but the picture) and returns."""
    none = NO_SLOTS
    table, filter_ = picture.table, picture._floor_filter
    slots = below
    if slots.size == 0 or filter_ is None:
        return none, none
    filter_.predict(table, slots, time_s)
    lat, lon, height, floor = picture._geodetic_and_ground(slots)
    impact = impacts(picture, slots, time_s, lat, lon, height < floor)
    deleted = none
    if True in impact:  # impact.any(), without its Python wrapper
        deleted = table.track_id[slots[impact]].copy()
        picture._release(slots[impact])
        kept = ~impact
        slots, lat, lon, height, floor = (a[kept] for a in (slots, lat, lon, height, floor))
    raised = none
    # The vertical and the terrain under a raised track change with the small horizontal
    # shift the projection may give it: a second pass settles it within millimetres.
    for floor_pass in range(FLOOR_PASSES):
        if floor_pass:  # the first pass uses the positions of the impact test
            lat, lon, height, floor = picture._geodetic_and_ground(slots)
        low = height < floor - FLOOR_SETTLED_M
        slots = slots[low]
        if slots.size == 0:
            break
        constrain_table(
            table,
            slots,
            local_up_in_frame(lat[low], lon[low], picture.rotation),
            height[low],
            floor[low],
        )
        if floor_pass == 0:  # a later pass raises some of these again, no others
            raised = slots
    return raised, deleted


def impacts(
    picture: CommandPostPicture,
    slots: np.ndarray,
    time_s: float,
    lat_rad: np.ndarray,
    lon_rad: np.ndarray,
    below: np.ndarray,
) -> np.ndarray:
    """Which tracks of ``slots`` (predicted to ``time_s``, at ``lat_rad``, ``lon_rad``)
    have met the ground: ``below`` the terrain, descending firmly and a revisit without
    a detection, ``(len(slots),) bool``."""
    table = picture.table
    silent = time_s - table.last_update_s[slots] > table.extra["revisit_s"][slots]
    candidates = below & silent
    if True not in candidates:  # no silent track under the ground (half the calls)
        return candidates
    up = local_up_in_frame(lat_rad, lon_rad, picture.rotation)
    # climb + sigmas * climb_std < 0 in one compiled call (impacts_reference's einsums).
    return impacts_kernel(
        table.state, table.covariance, slots, up, candidates, float(picture.pruning.sigmas)
    )
