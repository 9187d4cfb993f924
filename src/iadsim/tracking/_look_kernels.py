"""Numba kernels of a look's bookkeeping in :meth:`~iadsim.tracking.tracker.GnnTracker.step`.

After the association and update of a look, the tracker notes which detection went to
which track, books an opportunity for the tracks the look updated or could have seen,
finds the detections left to start tracks and deletes the tracks the management rules
condemn. In NumPy each of these is a handful of masks, copies and fancy-indexing calls on
a few tracks; here each is one loop over the look's tracks or detections
(:func:`close_look_kernel` runs the first three in one call), with the rules of
:mod:`iadsim.tracking.management` (:func:`~iadsim.tracking._kernels.book_opportunity`,
:func:`~iadsim.tracking._kernels.is_doomed`): integer and boolean work, and the
comparisons of the deletion rules, so the results are those of the NumPy forms exactly.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.tracking._kernels import book_opportunity, is_doomed
from iadsim.tracking._row_kernels import initiate_rows_kernel

__all__ = [
    "FREE",
    "close_look_kernel",
    "doomed_count_kernel",
    "doomed_live_slots_kernel",
    "mark_free_detections_kernel",
    "record_look_kernel",
    "start_free_tracks_kernel",
]


@numba.njit(cache=True)
def record_look_kernel(
    history,
    opportunities,
    hits,
    misses,
    quality,
    confirmed,
    live,
    detected,
    missed_seen,
    confirm_m,
    confirm_n,
    window,
    history_mask,
):  # pragma: no cover - numba
    """Book an opportunity for each live track the look updated or could have seen.

    Parameters
    ----------
    history, opportunities, hits, misses : (capacity,) int64
    quality : (capacity,) float64
    confirmed : (capacity,) bool
        The table's columns, updated in place.
    live : (n,) int64
        Slots of the look's live tracks.
    detected : (n,) bool
        Whether each was updated (always booked, as a hit).
    missed_seen : (n - detected.sum(),) bool
        Whether the look could have seen each track it did not update, in the order of
        ``live`` (booked as a miss where True).
    confirm_m, confirm_n, window, history_mask : int
        As :func:`~iadsim.tracking._kernels.record_opportunities_kernel` takes them.
    """
    missed = 0
    for k in range(live.shape[0]):
        hit = detected[k]
        if not hit:
            missed += 1
            if not missed_seen[missed - 1]:
                continue
        book_opportunity(
            history,
            opportunities,
            hits,
            misses,
            quality,
            confirmed,
            live[k],
            hit,
            confirm_m,
            confirm_n,
            window,
            history_mask,
        )


FREE = -2
"""Mark of a detection left to start a track, among a look's detection ids."""


@numba.njit(cache=True)
def mark_free_detections_kernel(
    detection_ids, confirmed, live, pair_track, pair_det, discard_in_confirmed_gates
):  # pragma: no cover - numba
    """Mark with :data:`FREE`, in ``detection_ids`` ``(n,) int64``, the detections of a look
    left to start tracks and return how many: those that updated no track (-1) and, with
    ``discard_in_confirmed_gates``, fell in no confirmed track's gate (``confirmed``
    ``(capacity,) bool`` of the table; the gated pairs ``pair_track`` (rows of ``live``)
    and ``pair_det``, ``(p,) int64``)."""
    taken = detection_ids != -1
    if discard_in_confirmed_gates:
        for k in range(pair_track.shape[0]):
            if confirmed[live[pair_track[k]]]:
                taken[pair_det[k]] = True
    count = 0
    for d in range(detection_ids.shape[0]):
        if not taken[d]:
            detection_ids[d] = FREE
            count += 1
    return count


@numba.njit(cache=True)
def start_free_tracks_kernel(
    detection_ids,
    slots,
    z,
    R,
    speed_variance,
    accel_variance,
    ids,
    state,
    covariance,
    history,
    opportunities,
    hits,
    misses,
    quality,
    confirmed,
    confirm_m,
    confirm_n,
    window,
    history_mask,
):  # pragma: no cover - numba
    """Start a track in each of the new ``slots`` ``(f,) int64`` from the detections marked
    :data:`FREE` in ``detection_ids`` ``(n,) int64`` (the k-th free detection in the k-th
    slot), in place: single-point initiation from ``z`` ``(n, 3)`` m and ``R`` ``(n, 3, 3)``
    m² (:func:`~iadsim.tracking._row_kernels.initiate_rows_kernel` with the prior variances
    ``speed_variance`` m²/s² and ``accel_variance`` m²/s⁴), a first opportunity booked as
    detected (:func:`~iadsim.tracking._kernels.book_opportunity`, the rules of
    :func:`~iadsim.tracking._kernels.record_opportunities_kernel`), and the free marks
    replaced by the new tracks' ``ids``. ``state`` to ``confirmed`` are the table's
    columns."""
    n = slots.shape[0]
    z_new, R_new = np.empty((n, 3)), np.empty((n, 3, 3))
    k = 0
    for d in range(detection_ids.shape[0]):
        if detection_ids[d] == FREE:
            z_new[k] = z[d]
            R_new[k] = R[d]
            detection_ids[d] = ids[slots[k]]
            k += 1
    initiate_rows_kernel(state, covariance, slots, z_new, R_new, speed_variance, accel_variance)
    for k in range(n):
        book_opportunity(
            history,
            opportunities,
            hits,
            misses,
            quality,
            confirmed,
            slots[k],
            True,
            confirm_m,
            confirm_n,
            window,
            history_mask,
        )


@numba.njit(cache=True)
def close_look_kernel(
    ids,
    last_update_s,
    history,
    opportunities,
    hits,
    misses,
    quality,
    confirmed,
    live,
    used_track,
    used_det,
    detected,
    missed_seen,
    pair_track,
    pair_det,
    n_detections,
    t_s,
    discard_in_confirmed_gates,
    confirm_m,
    confirm_n,
    window,
    history_mask,
    active,
    covariance,
    max_misses,
    max_position_std,
    max_coast_s,
):  # pragma: no cover - numba
    """The bookkeeping of a look after its update, in the table's columns, in place: the
    updated tracks' last update set to ``t_s``, an opportunity booked for each live track
    the look updated or could have seen (:func:`record_look_kernel`), then the detections
    left to start tracks marked (:func:`mark_free_detections_kernel`, with the
    confirmations of this look), and the live tracks the management rules now delete
    counted (:func:`doomed_count_kernel`).

    Parameters
    ----------
    ids, last_update_s, history, opportunities, hits, misses, quality, confirmed
        The table's columns.
    live : (n,) int64
        Slots of the look's live tracks.
    used_track, used_det : (k,) int64
        The (row of ``live``, detection) pairs the look's update used.
    detected, missed_seen
        As :func:`record_look_kernel` takes them (``detected`` marks ``used_track``).
    pair_track, pair_det : (p,) int64
        The gated pairs (rows of ``live``, detections).
    n_detections : int
    t_s : float
        Time of the look, s.
    discard_in_confirmed_gates : bool
    confirm_m, confirm_n, window, history_mask : int
        As :func:`~iadsim.tracking._kernels.record_opportunities_kernel` takes them.
    active, covariance, max_misses, max_position_std, max_coast_s
        The table's columns and the rules as :func:`doomed_count_kernel` takes them.

    Returns
    -------
    detection_ids : (n_detections,) int64
        Id of the track each detection updated, -1 where none, :data:`FREE` where it is
        left to start a track.
    n_free : int
        How many are left to start tracks (an int, nothing to box).
    n_doomed : int
        How many live tracks the management rules delete now, before any track starts
        (most looks: 0, and no deletion pass to make).
    """
    detection_ids = np.full(n_detections, -1, dtype=np.int64)
    for k in range(used_track.shape[0]):
        slot = live[used_track[k]]
        detection_ids[used_det[k]] = ids[slot]
        last_update_s[slot] = t_s
    record_look_kernel(
        history,
        opportunities,
        hits,
        misses,
        quality,
        confirmed,
        live,
        detected,
        missed_seen,
        confirm_m,
        confirm_n,
        window,
        history_mask,
    )
    n_free = mark_free_detections_kernel(
        detection_ids, confirmed, live, pair_track, pair_det, discard_in_confirmed_gates
    )
    n_doomed = doomed_count_kernel(
        active,
        confirmed,
        opportunities,
        misses,
        covariance,
        last_update_s,
        t_s,
        confirm_n,
        max_misses,
        max_position_std,
        max_coast_s,
    )
    return detection_ids, n_free, n_doomed


@numba.njit(cache=True)
def doomed_count_kernel(
    active,
    confirmed,
    opportunities,
    misses,
    covariance,
    last_update_s,
    t_s,
    confirm_n,
    max_misses,
    max_position_std,
    max_coast_s,
):  # pragma: no cover - numba
    """How many live tracks the management rules delete now (the arguments of
    :func:`doomed_live_slots_kernel`): an int, which costs no array to box when, as on
    most looks, it is 0."""
    return _doomed_into(
        active,
        confirmed,
        opportunities,
        misses,
        covariance,
        last_update_s,
        t_s,
        confirm_n,
        max_misses,
        max_position_std,
        max_coast_s,
        np.empty(0, dtype=np.int64),
    )


@numba.njit(cache=True)
def doomed_live_slots_kernel(
    active,
    confirmed,
    opportunities,
    misses,
    covariance,
    last_update_s,
    t_s,
    confirm_n,
    max_misses,
    max_position_std,
    max_coast_s,
):  # pragma: no cover - numba
    """Slots of the live tracks (``active`` ``(capacity,) bool``) the management rules
    delete now, ascending, ``(m,) int64`` (the rules and other arguments of
    :func:`~iadsim.tracking._kernels.deletion_mask_kernel`)."""
    doomed = np.empty(active.shape[0], dtype=np.int64)
    count = _doomed_into(
        active,
        confirmed,
        opportunities,
        misses,
        covariance,
        last_update_s,
        t_s,
        confirm_n,
        max_misses,
        max_position_std,
        max_coast_s,
        doomed,
    )
    return doomed[:count]


@numba.njit(cache=True)
def _doomed_into(
    active,
    confirmed,
    opportunities,
    misses,
    covariance,
    last_update_s,
    t_s,
    confirm_n,
    max_misses,
    max_position_std,
    max_coast_s,
    out,
):  # pragma: no cover - numba
    """Number of live tracks the rules delete; their slots written into ``out``, ascending,
    as far as it has room."""
    count = 0
    for slot in range(active.shape[0]):
        if active[slot] and is_doomed(
            confirmed,
            opportunities,
            misses,
            covariance,
            last_update_s,
            slot,
            t_s,
            confirm_n,
            max_misses,
            max_position_std,
            max_coast_s,
        ):
            if count < out.shape[0]:
                out[count] = slot
            count += 1
    return count
