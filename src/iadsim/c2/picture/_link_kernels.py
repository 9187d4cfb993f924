"""Numba kernel of the data link's correlation: passing decided identities on.

:func:`pass_identities_kernel` is the compiled twin of :func:`pass_identities_reference`
(the NumPy code of :meth:`iadsim.c2.picture.datalink.LinkReceiver._pass_identities`): it
only compares and copies integer codes, reading every pair before writing any (as NumPy's
masked assignments do), so the two agree exactly (a test compares them). A post correlates
a source's few tracks at every decision cycle, where the twin's small NumPy calls cost far
more than the comparisons.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["pass_identities_kernel", "pass_identities_reference"]

_PENDING = 0
"""``Identity.PENDING``."""


@numba.njit(cache=True)
def pass_identities_kernel(
    linked, identity, paired, remote_identity, kept, n_own, is_decided
):  # pragma: no cover - numba
    """Offer the decided identities of correlated remote tracks, in place.

    Parameters
    ----------
    linked : (n_own,) int8
        Identity the link offers each own row; a ``PENDING`` one takes a decided remote
        identity (the first source's wins).
    identity : (n_rows,) int8
        Identities of the picture's rows; an undecided remote-only row takes a decided
        remote identity.
    paired : (k,) int64
        Rows paired with the source's tracks.
    remote_identity : (k,) int8
        The paired remote tracks' identities.
    kept : (k,) bool
        The pair held since the last correlation (only those pass identities on).
    n_own : int
        Rows that are the post's own tracks (``paired < n_own``).
    is_decided : (n_codes,) bool
        Identity code -> adopted from the link.
    """
    k = paired.shape[0]
    take = np.zeros(k, dtype=np.bool_)
    fill = np.zeros(k, dtype=np.bool_)
    for m in range(k):  # every read before any write
        if not (is_decided[remote_identity[m]] and kept[m]):
            continue
        row = paired[m]
        if row < n_own:
            take[m] = linked[row] == _PENDING
        else:
            fill[m] = not is_decided[identity[row]]
    for m in range(k):
        if take[m]:
            linked[paired[m]] = remote_identity[m]
    for m in range(k):
        if fill[m]:
            identity[paired[m]] = remote_identity[m]


def pass_identities_reference(
    linked: np.ndarray,
    identity: np.ndarray,
    paired: np.ndarray,
    remote_identity: np.ndarray,
    kept: np.ndarray,
    n_own: int,
    is_decided: np.ndarray,
) -> None:
    """NumPy twin of :func:`pass_identities_kernel` (same arguments, same result)."""
    decided = is_decided[remote_identity] & kept
    own = paired < n_own
    take = own & decided
    take[take] = linked[paired[take]] == _PENDING
    linked[paired[take]] = remote_identity[take]
    fill = ~own & decided
    fill[fill] = ~is_decided[identity[paired[fill]]]
    identity[paired[fill]] = remote_identity[fill]
