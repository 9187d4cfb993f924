"""Numba kernels of the rarer ends of a look's compiled pass (:mod:`~iadsim.c2.picture.look_pass`).

* :func:`start_tracks_kernel` - a look that leaves detections to start tracks: the slots
  taken as ``TrackTable.allocate`` takes them (the lowest free slots, every column reset to
  its fill value, new ids in slot order, the creation, state and update times set), the
  tracks started (``start_free_tracks_kernel``), the tracks the rules condemn deleted, then
  the look's end in the post (:func:`~iadsim.c2.picture._look_pass_kernels.finish_look_kernel`).
* :func:`empty_look_kernel` - a look without detections: its pre-test of the live tracks
  (``live_track_candidates_kernel``) and whether the radar could have seen each candidate
  (:func:`~iadsim.c2.picture._look_pass_kernels.candidates_seen`).
* :func:`empty_pass_kernel` - the tracker's step on such a look where it could have seen a
  track: the prediction, a miss booked for each track seen, the deletions.

Each is the sequence of kernels and writes of the Python path, in its order, so the results
are the same to the bit.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import literal_unroll

from iadsim.c2.picture._kernels import live_track_candidates_kernel
from iadsim.c2.picture._look_pass_kernels import (
    candidates_seen,
    finish_look_kernel,
    release_doomed_kernel,
)
from iadsim.core._table_kernels import matching_slots_kernel
from iadsim.tracking._look_kernels import (
    doomed_count_kernel,
    record_look_kernel,
    start_free_tracks_kernel,
)
from iadsim.tracking._row_kernels import constant_velocity_predict_rows_kernel

__all__ = ["empty_look_kernel", "empty_pass_kernel", "start_tracks_kernel"]


@numba.njit(cache=True)
def start_tracks_kernel(
    columns,
    resets,
    times,
    post_columns,
    rules,
    ids_out,
    n_free,
    z,
    R,
    speed_variance,
    accel_variance,
    t_s,
    next_id,
    look,
):  # pragma: no cover - numba
    """Start a track from each of the ``n_free`` detections marked ``FREE`` in ``ids_out``
    ``(m,) int64`` (their ids written there), delete the doomed tracks and finish the look.

    Parameters
    ----------
    columns, post_columns, rules, look
        As :func:`~iadsim.c2.picture._look_pass_kernels.look_pass_kernel` takes them.
    resets : tuple of (array, fill) pairs
        Every column of the table but ``active`` and ``ids``, each with the value a new
        row starts with (``Table._fills``, the fill cast to the column's dtype).
    times : tuple of three (capacity,) float64
        The table's ``created_s``, ``time_s`` and ``last_update_s``, set to ``t_s``.
    z : (m, 3) float64
    R : (m, 3, 3) float64
        The look's converted detections and covariances.
    speed_variance, accel_variance : float
        The initiation's prior variances (m²/s², m²/s⁴).
    t_s : float
    next_id : int
        The table's next id.

    Returns
    -------
    int
        The table's next id after the new tracks, or -1 where the table has too few free
        slots (nothing is changed: the caller grows it the table's own way).
    """
    active, ids = columns[0], columns[1]
    slots = np.empty(n_free, dtype=np.int64)
    k = 0
    for slot in range(active.shape[0]):
        if k == n_free:
            break
        if not active[slot]:
            slots[k] = slot
            k += 1
    if k < n_free:
        return -1
    for pair in literal_unroll(resets):
        column, fill = pair
        for slot in slots:
            column[slot] = fill
    for j in range(n_free):
        active[slots[j]] = True
        ids[slots[j]] = next_id + j
    for column in times:
        for slot in slots:
            column[slot] = t_s
    start_free_tracks_kernel(
        ids_out,
        slots,
        z,
        R,
        speed_variance,
        accel_variance,
        ids,
        columns[2],
        columns[3],
        columns[6],
        columns[7],
        columns[8],
        columns[9],
        columns[10],
        columns[11],
        rules[3],
        rules[4],
        rules[5],
        rules[6],
    )
    release_doomed_kernel(columns, rules, t_s)
    # A track deleted in the same step has no slot (-1), as Table.slots_of finds.
    detection_slots = matching_slots_kernel(ids, active, ids_out)
    finish_look_kernel(columns[2], columns[3], post_columns, detection_slots, t_s, look)
    return next_id + n_free


@numba.njit(cache=True)
def empty_look_kernel(
    state, time_s, active, t_s, pretest, unseen_s, sight, seen
):  # pragma: no cover - numba
    """The pre-test of a look without detections over the live tracks (their states as
    held at ``time_s``), into the pre-test's buffers, and whether the radar could have seen
    each candidate, written into ``seen`` ``(>= m,) bool``.

    Parameters
    ----------
    state : (capacity, >= 6) float64
    time_s : (capacity,) float64
    active : (capacity,) bool
    t_s : float
    pretest, sight
        As :func:`~iadsim.c2.picture._look_pass_kernels.look_pass_kernel` takes them.
    unseen_s : (capacity,) float64
        The post's ``jammer_fix_s`` (tracks with a finite value are not expected).
    seen : (>= capacity,) bool

    Returns
    -------
    m : int
        Number of candidates (their slots in the pre-test's ``found[:m]``).
    decided : bool
        Whether ``seen[:m]`` holds their answer; False: a candidate lies near an edge of
        the view, and ``could_see`` must decide.
    """
    found, found_ecef_m, geodetic, view = pretest[9], pretest[10], pretest[11], pretest[12]
    count = live_track_candidates_kernel(
        state,
        time_s,
        active,
        t_s,
        pretest[0],
        pretest[1],
        pretest[2],
        pretest[3],
        pretest[4],
        pretest[5],
        pretest[6],
        pretest[7],
        pretest[8],
        unseen_s,
        found,
        found_ecef_m,
        geodetic,
        view,
    )
    if count == 0:
        return 0, True
    return count, candidates_seen(view, geodetic, count, sight, seen)


@numba.njit(cache=True)
def empty_pass_kernel(
    columns, rules, live, steps, moving, t_s, found, seen, count
):  # pragma: no cover - numba
    """``GnnTracker.step`` of a look without detections that could have seen some tracks:
    the live tracks ``live`` ``(n,) int64`` predicted (``steps`` and ``moving`` as
    :func:`~iadsim.c2.picture._look_pass_kernels.look_pass_kernel` takes them), a miss
    booked for each of the ``count`` candidates ``found`` (slots) whose ``seen`` is True,
    and the tracks the rules then condemn deleted."""
    state, covariance, time_s = columns[2], columns[3], columns[4]
    if moving:
        T, T4, T3 = steps
        constant_velocity_predict_rows_kernel(
            state, covariance, time_s, live, T, T4, T3, rules[1], t_s
        )
    expected = np.zeros(columns[0].shape[0], dtype=np.bool_)
    for c in range(count):
        expected[found[c]] = seen[c]
    n = live.shape[0]
    detected = np.zeros(n, dtype=np.bool_)
    missed_seen = np.empty(n, dtype=np.bool_)
    for r in range(n):
        missed_seen[r] = expected[live[r]]
    record_look_kernel(
        columns[6],
        columns[7],
        columns[8],
        columns[9],
        columns[10],
        columns[11],
        live,
        detected,
        missed_seen,
        rules[3],
        rules[4],
        rules[5],
        rules[6],
    )
    n_doomed = doomed_count_kernel(
        columns[0],
        columns[11],
        columns[7],
        columns[9],
        columns[3],
        columns[5],
        t_s,
        rules[4],
        rules[7],
        rules[8],
        rules[9],
    )
    if n_doomed:
        release_doomed_kernel(columns, rules, t_s)
