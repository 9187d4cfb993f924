"""Track management on a table: M-of-N confirmation, deletion, and a track quality figure.

Each detection opportunity shifts a per-track bit history (bit 0 = newest, 1 = detected).

- **Confirmation** (M-of-N, Blackman & Popoli 1999, sect. 9.2): a tentative track is
  confirmed as soon as at least ``M`` of its latest ``N`` opportunities produced a detection
  (the initiating detection counts as the first); a tentative track that has had ``N``
  opportunities without confirming is deleted.
- **Deletion** of confirmed tracks after ``max_misses`` consecutive missed opportunities, or
  when the position uncertainty ``sqrt(tr P_pos)`` exceeds ``max_position_std_m``, or when no
  detection has been associated for ``max_coast_s``.
- **Quality**: the fraction of the latest ``QUALITY_WINDOW`` opportunities that produced a
  detection, in [0, 1] (a hit-ratio figure like the one used for track-quality reporting
  on tactical data links, where the consumer needs a single number per track).
"""

from __future__ import annotations

import numpy as np

from iadsim.tracking._kernels import deletion_mask_kernel, record_opportunities_kernel
from iadsim.tracking._look_kernels import doomed_count_kernel, doomed_live_slots_kernel
from iadsim.tracking.table import NO_SLOTS, TrackTable

__all__ = [
    "HISTORY_MASK",
    "QUALITY_WINDOW",
    "deletion_mask",
    "deletion_mask_reference",
    "doomed_slots",
    "position_std_m",
    "recent_hits",
    "record_opportunities",
    "record_opportunities_reference",
]

QUALITY_WINDOW = 8
_HISTORY_BITS = 62
HISTORY_MASK = (1 << _HISTORY_BITS) - 1
"""The bits of a track's history kept, newest first."""
_POPCOUNT = getattr(np, "bitwise_count", None)


def recent_hits(history: np.ndarray, window: int) -> np.ndarray:
    """Number of set bits among the ``window`` newest bits of each history, ``(n,) int64``."""
    window_bits = history & ((1 << window) - 1)
    if _POPCOUNT is not None:  # NumPy >= 2: one ufunc instead of a loop over bits
        return _POPCOUNT(window_bits).astype(np.int64)
    count = np.zeros(history.shape, dtype=np.int64)
    for bit in range(window):  # loop over bits (≤ 62), vectorised over tracks
        count += (window_bits >> bit) & 1
    return count


def position_std_m(table: TrackTable, slots: np.ndarray) -> np.ndarray:
    """Position uncertainty ``sqrt(tr P_pos)`` of the tracks in ``slots`` (m)."""
    return np.sqrt(np.trace(table.covariance[slots, :3, :3], axis1=1, axis2=2))


def record_opportunities(
    table: TrackTable,
    slots: np.ndarray,
    detected: np.ndarray,
    confirm_m: int,
    confirm_n: int,
) -> None:
    """Book one detection opportunity for each slot and confirm tracks that reach M-of-N.

    Parameters
    ----------
    table : TrackTable
    slots : (k,) int64 ndarray
        Tracks that had an opportunity (were expected to be seen, or were seen), distinct.
    detected : (k,) bool ndarray
        Whether a detection was associated.

    Both arrays are passed to the compiled kernel as they are (no conversion: this runs on
    every look).
    confirm_m, confirm_n : int
        M-of-N confirmation rule.
    """
    record_opportunities_kernel(
        table.history,
        table.opportunities,
        table.hits,
        table.misses,
        table.quality,
        table.confirmed,
        slots,
        detected,
        confirm_m,
        confirm_n,
        QUALITY_WINDOW,
        HISTORY_MASK,
    )


def record_opportunities_reference(
    table: TrackTable,
    slots: np.ndarray,
    detected: np.ndarray,
    confirm_m: int,
    confirm_n: int,
) -> None:
    """NumPy twin of :func:`record_opportunities` (compiled, one loop over the slots)."""
    hit = detected.astype(np.int64)
    mask = HISTORY_MASK
    history = ((table.history[slots] << 1) | hit) & mask
    table.history[slots] = history
    table.opportunities[slots] += 1
    table.hits[slots] += hit
    table.misses[slots] = np.where(detected, 0, table.misses[slots] + 1)
    window = np.minimum(table.opportunities[slots], QUALITY_WINDOW)
    table.quality[slots] = recent_hits(history, QUALITY_WINDOW) / window
    in_window = recent_hits(history, confirm_n) >= confirm_m
    table.confirmed[slots] |= in_window


def deletion_mask(
    table: TrackTable,
    slots: np.ndarray,
    t_s: float,
    confirm_n: int,
    max_misses: int,
    max_position_std: float,
    max_coast_s: float,
) -> np.ndarray:
    """Which of ``slots`` (an ``(k,) int64`` ndarray, passed to the kernel as it is) should
    be deleted now, ``(k,) bool`` (rules in the module doc)."""
    return deletion_mask_kernel(
        table.confirmed,
        table.opportunities,
        table.misses,
        table.covariance,
        table.last_update_s,
        slots,
        float(t_s),
        confirm_n,
        max_misses,
        float(max_position_std),
        float(max_coast_s),
    )


def doomed_slots(
    table: TrackTable,
    t_s: float,
    confirm_n: int,
    max_misses: int,
    max_position_std: float,
    max_coast_s: float,
    some_doomed: bool = False,
) -> np.ndarray:
    """Slots of the live tracks :func:`deletion_mask` deletes now, ascending, ``(m,) int64``
    (compiled passes over the table, no list of live slots made first; read-only
    :data:`~iadsim.tracking.table.NO_SLOTS` when none, as on most looks). With
    ``some_doomed`` (the caller has counted them) the slots are found without counting
    them first."""
    columns = (
        table.active,
        table.confirmed,
        table.opportunities,
        table.misses,
        table.covariance,
        table.last_update_s,
    )
    rules = (float(t_s), confirm_n, max_misses, float(max_position_std), float(max_coast_s))
    if not some_doomed and doomed_count_kernel(*columns, *rules) == 0:
        return NO_SLOTS
    return doomed_live_slots_kernel(*columns, *rules)


def deletion_mask_reference(
    table: TrackTable,
    slots: np.ndarray,
    t_s: float,
    confirm_n: int,
    max_misses: int,
    max_position_std: float,
    max_coast_s: float,
) -> np.ndarray:
    """NumPy twin of :func:`deletion_mask` (compiled, one loop over the slots)."""
    confirmed = table.confirmed[slots]
    failed_tentative = ~confirmed & (table.opportunities[slots] >= confirm_n)
    lost = confirmed & (table.misses[slots] >= max_misses)
    too_uncertain = position_std_m(table, slots) > max_position_std
    stale = (t_s - table.last_update_s[slots]) > max_coast_s
    return failed_tentative | lost | too_uncertain | stale
