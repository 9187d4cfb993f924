"""Numba kernel of the accounting's test for new holdings (:mod:`iadsim.engine.accounting`).

After most looks a post's confirmed tracks are all on entities it has been credited with
already; :func:`new_holdings_kernel` finds that in one pass over the table, where the
NumPy form takes the confirmed slots, their truths and two masks. Integer and boolean work
and one float comparison, so it agrees exactly with the NumPy form it guards
(:meth:`~iadsim.engine.accounting.PostAccounting.ingested`).
"""

from __future__ import annotations

import numba

__all__ = ["new_holdings_kernel"]


@numba.njit(cache=True)
def new_holdings_kernel(
    active, confirmed, truth, fc_seen_s, held_own, held_fire_control, t_s, own, fire_control
):  # pragma: no cover - numba
    """Whether some live confirmed track is on an entity the post does not hold yet.

    Parameters
    ----------
    active, confirmed : (capacity,) bool
    truth : (capacity,) int64
        Entity of each track, -1 for a false track.
    fc_seen_s : (capacity,) float64
        Last fire-control update of each track, s.
    held_own, held_fire_control : (n_entities + 1,) bool
        Entities the post holds an own and a fire-control track on, the last entry (read
        by entity -1) True.
    t_s : float
    own, fire_control : bool
        Which holdings to test: own tracks, and fire-control tracks (those a fire-control
        radar updated at ``t_s``).
    """
    for slot in range(active.shape[0]):
        if not (active[slot] and confirmed[slot]):
            continue
        entity = truth[slot]
        if own and not held_own[entity]:
            return True
        if fire_control and fc_seen_s[slot] == t_s and not held_fire_control[entity]:
            return True
    return False
