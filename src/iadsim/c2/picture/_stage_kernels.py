"""Numba kernels of the picture stage of a decision cycle
(:func:`iadsim.c2.picture.stage.update_identities`): the evidence read from a post's track
columns, and the identities written back.

A post identifies its few confirmed tracks at every decision cycle, where a dozen small
NumPy calls (a gather, a subtraction, a comparison each) cost far more than the arithmetic.
:func:`evidence_columns_kernel` gathers the ages and the interrogation flag of the slots in
one call, each value as its NumPy expression gives it (one subtraction or comparison, so
the same bits); :func:`write_identities_kernel` stores the new identities and their link
flags and lists the rows that changed, as the NumPy statements it replaces do;
:func:`evidence_columns_reference` and :func:`write_identities_reference` are those
statements (the tests compare them).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "evidence_columns_kernel",
    "evidence_columns_reference",
    "write_identities_kernel",
    "write_identities_reference",
]


@numba.njit(cache=True)
def evidence_columns_kernel(
    slots, time_s, secure_reply_s, civil_reply_s, last_update_s, interrogated_s, created_s
):  # fmt: skip  # pragma: no cover - numba
    """Reply and update ages and the interrogation flag of the tracks in ``slots``.

    Parameters
    ----------
    slots : (n,) int64
    time_s : float
        Decision time, s.
    secure_reply_s, civil_reply_s, last_update_s, interrogated_s, created_s : (capacity,)
        float64
        The picture's columns by slot, s.

    Returns
    -------
    ages_s : (3, n) float64
        ``time_s -`` the secure reply, civil reply and last update times.
    interrogated : (n,) bool
        ``interrogated_s >= created_s``.
    """
    n = slots.shape[0]
    ages = np.empty((3, n))
    interrogated = np.empty(n, dtype=np.bool_)
    for k in range(n):
        s = slots[k]
        ages[0, k] = time_s - secure_reply_s[s]
        ages[1, k] = time_s - civil_reply_s[s]
        ages[2, k] = time_s - last_update_s[s]
        interrogated[k] = interrogated_s[s] >= created_s[s]
    return ages, interrogated


def evidence_columns_reference(
    slots, time_s, secure_reply_s, civil_reply_s, last_update_s, interrogated_s, created_s
):  # fmt: skip
    """NumPy twin of :func:`evidence_columns_kernel` (same arguments, same bits)."""
    ages = np.stack(
        [
            time_s - secure_reply_s[slots],
            time_s - civil_reply_s[slots],
            time_s - last_update_s[slots],
        ]
    )
    return ages, interrogated_s[slots] >= created_s[slots]


@numba.njit(cache=True)
def write_identities_kernel(
    slots, current, new, reason, identity, from_link, by_datalink, kept
):  # fmt: skip  # pragma: no cover - numba
    """Store the identities decided for ``slots`` and note which came from the link.

    Parameters
    ----------
    slots : (n,) int64
    current, new, reason : (n,) int8
        Identities before and after, and the reasons of the new ones.
    identity : (capacity,) int8
        The picture's identity column: ``new`` is written at ``slots``.
    from_link : (capacity,) bool
        Set at ``slots`` where the reason is ``by_datalink``, or ``kept`` with the flag
        already set (a kept identity that the link had set); cleared elsewhere.
    by_datalink, kept : int
        The two reason codes.

    Returns
    -------
    (m,) int64
        Rows of ``slots`` whose identity changed, ascending.
    """
    n = slots.shape[0]
    changed = np.empty(n, dtype=np.int64)
    m = 0
    for k in range(n):
        s = slots[k]
        identity[s] = new[k]
        from_link[s] = reason[k] == by_datalink or (reason[k] == kept and from_link[s] > 0)
        if new[k] != current[k]:
            changed[m] = k
            m += 1
    return changed[:m]


def write_identities_reference(slots, current, new, reason, identity, from_link, by_datalink, kept):
    """NumPy twin of :func:`write_identities_kernel` (same arguments, same result)."""
    identity[slots] = new
    from_link[slots] = (reason == by_datalink) | ((reason == kept) & (from_link[slots] > 0))
    return (new != current).nonzero()[0]
