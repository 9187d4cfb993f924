"""Numba kernel of a fire unit's screen of its tracks (:func:`iadsim.c2.fire_control.screen`).

A unit screens its confirmed tracks at every decision, where the seven small NumPy calls of
the screen (a comparison, a table lookup, masks, a nonzero) cost far more than the
comparisons. :func:`screen_kernel` makes them in one loop; :func:`screen_reference` is the
NumPy twin (the tests compare them). The coverage test of the stale tracks, a radar's
:meth:`~iadsim.sensors.radar.Radar.in_view`, stays with the caller.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["screen_kernel", "screen_reference"]


@numba.njit(cache=True)
def screen_kernel(
    identity, fc_seen_s, oldest_fresh_s, allowed_identity, tested, not_engageable, untested
):  # fmt: skip  # pragma: no cover - numba
    """Hold reasons of the tracks before the coverage test, and the rows it is asked of.

    Parameters
    ----------
    identity : (n,) int8
        Identity values of the tracks.
    fc_seen_s : (n,) float64
        Last fire-control update of each, s.
    oldest_fresh_s : float
        Updates at or after this are fresh, s.
    allowed_identity : (7,) bool
        Whether each identity value may be engaged.
    tested : (n,) bool
        Rows whose coverage answer is kept.
    not_engageable, untested : int
        Reason of a track of a held identity, and of a stale track of an allowed identity
        (to be replaced by the coverage test's answer where it is asked).

    Returns
    -------
    reason : (n,) int8
        0 where fresh and allowed.
    stale : (k,) int64
        Ascending rows of stale tracks of an allowed identity among ``tested``: those whose
        coverage the caller tests.
    """
    n = identity.shape[0]
    reason = np.zeros(n, dtype=np.int8)
    stale = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        if not allowed_identity[identity[i]]:
            reason[i] = not_engageable
        elif not fc_seen_s[i] >= oldest_fresh_s:
            reason[i] = untested
            if tested[i]:
                stale[k] = i
                k += 1
    return reason, stale[:k]


def screen_reference(
    identity, fc_seen_s, oldest_fresh_s, allowed_identity, tested, not_engageable, untested
):  # fmt: skip
    """NumPy twin of :func:`screen_kernel` (same arguments, same results)."""
    fresh = fc_seen_s >= oldest_fresh_s
    allowed = allowed_identity[identity]
    reason = np.zeros(identity.size, dtype=np.int8)
    reason[~fresh & allowed] = untested
    reason[~allowed] = not_engageable
    return reason, (~fresh & allowed & tested).nonzero()[0]
