"""Numba kernel of a post's pruning pass (:meth:`CommandPostPicture.prune
<iadsim.c2.picture.post_picture.CommandPostPicture.prune>`).

:func:`prune_pass_kernel` runs, in one call, what ``prune`` does before it holds tracks
above the terrain: the pruning rules on every live track
(:func:`~iadsim.tracking._pruning_kernels.doomed_kernel`), the release of the doomed ones
(as ``TrackTable.release`` releases them, their ids kept first) and the under-terrain test
of the survivors (:func:`~iadsim.c2.picture._kernels.below_terrain_kernel`): the same
kernels on the same slots, in the same order, so the result is the Python path's to the bit.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.c2.picture._kernels import below_terrain_kernel
from iadsim.tracking._pruning_kernels import doomed_kernel

__all__ = ["prune_pass_kernel"]


@numba.njit(cache=True)
def prune_pass_kernel(
    columns, t_s, doomed_terms, below_terms, hold, doomed, deleted, below
):  # pragma: no cover - numba
    """Delete the live tracks the pruning rules condemn; find the survivors under the
    terrain.

    Parameters
    ----------
    columns : tuple
        The table's ``active``, ``ids``, ``confirmed``, ``state`` ``(c, d)``,
        ``covariance`` ``(c, d, d)``, ``time_s``, ``last_update_s`` and the post's
        ``revisit_s``.
    t_s : float
    doomed_terms : tuple
        The rules' and frame's arguments of ``doomed_kernel`` after ``t_s``: coast
        revisits, maximum speed, terrain tolerance, sigmas, frame origin and rotation,
        origin height, highest ground, earth radius, the grid's heights and its
        ``lat0``, ``lon0``, ``dlat``, ``dlon``.
    below_terms : tuple
        The arguments of ``below_terrain_kernel`` after ``time_s``: origin height, low
        limit, earth radius, frame origin and rotation, grid heights and its four terms.
    hold : bool
        Whether to test the survivors against the terrain.
    doomed : (>= n,) bool
    deleted, below : (>= n,) int64
        Buffers: the doomed mask of the ``n`` live tracks; the ids of the deleted tracks
        and the slots of the survivors under the terrain, in their first entries.

    Returns
    -------
    n_deleted : int
    n_below : int
    """
    active, ids, confirmed = columns[0], columns[1], columns[2]
    slots = np.flatnonzero(active)
    n = slots.shape[0]
    if n == 0:
        return 0, 0
    mask = doomed[:n]
    (
        coast_revisits,
        max_speed_mps,
        tolerance_m,
        sigmas,
        origin_ecef_m,
        rotation,
        origin_height_m,
        highest_ground_m,
        earth_radius_m,
        heights,
        lat0,
        lon0,
        dlat,
        dlon,
    ) = doomed_terms
    doomed_kernel(
        columns[3],
        columns[4],
        columns[5],
        columns[6],
        columns[7],
        slots,
        t_s,
        coast_revisits,
        max_speed_mps,
        tolerance_m,
        sigmas,
        origin_ecef_m,
        rotation,
        origin_height_m,
        highest_ground_m,
        earth_radius_m,
        heights,
        lat0,
        lon0,
        dlat,
        dlon,
        mask,
    )
    n_deleted = 0
    survivors = np.empty(n, dtype=np.int64)
    n_left = 0
    for k in range(n):
        if mask[k]:
            deleted[n_deleted] = ids[slots[k]]
            n_deleted += 1
        else:
            survivors[n_left] = slots[k]
            n_left += 1
    for k in range(n):  # released after every id is read, as TrackTable.release does
        if mask[k]:
            active[slots[k]] = False
            ids[slots[k]] = -1
            confirmed[slots[k]] = False
    if n_left == 0 or not hold:
        return n_deleted, 0
    height_m, low_limit_m, radius_m, origin, frame_rotation, grid, g0, g1, g2, g3 = below_terms
    n_below = below_terrain_kernel(
        columns[3],
        columns[5],
        survivors[:n_left],
        t_s,
        height_m,
        low_limit_m,
        radius_m,
        origin,
        frame_rotation,
        grid,
        g0,
        g1,
        g2,
        g3,
        below,
    )
    return n_deleted, n_below
