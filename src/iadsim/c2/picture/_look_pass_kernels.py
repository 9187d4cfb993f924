"""Numba kernels of a radar look's whole pass through a post's GNN tracker.

A post whose tracker is a plain :class:`~iadsim.tracking.tracker.GnnTracker` with a
constant-velocity :class:`~iadsim.tracking.filters.KalmanFilter` runs each look with
detections through :func:`look_pass_kernel`, which chains, in one compiled call, what
:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.ingest` and
:meth:`GnnTracker.step <iadsim.tracking.tracker.GnnTracker.step>` otherwise do in a few
dozen Python-level calls:

1. predict the live tracks to the look (the kernel of
   :func:`~iadsim.tracking.kalman.constant_velocity_predict_rows`; the time steps' powers
   are NumPy's, computed by the caller between :func:`begin_look_kernel` and this);
2. gate, and where no track or detection is in two gated pairs, update
   (:func:`~iadsim.tracking._row_kernels.gate_and_update_lone_rows_kernel`);
3. the look pre-test of the tracks no detection updated, on their states as held before the
   prediction (:func:`~iadsim.c2.picture._kernels.track_candidates_kernel`), and whether the
   radar could have seen each candidate: its view verdict and its terrain line of sight
   (:meth:`~iadsim.c2.picture.look_pretest.LookPretest.visible`, with the serial build of
   :func:`~iadsim.geo._los_kernels.clearance_kernel`);
4. the look's bookkeeping (:func:`~iadsim.tracking._look_kernels.close_look_kernel`) and
   the deletions it calls for (``GnnTracker._delete``);
5. the Doppler update of the updated tracks and the post's columns of them (truth, revisit,
   fire-control freshness).

Where a step needs Python (a look too large for the dense gate, shared gated pairs that
need the general assignment, a candidate near an edge of the radar's view, tracks to start)
the kernel stops and returns a status; the caller does that step as the tracker does it and
resumes with :func:`after_update_kernel` or :func:`close_pass_kernel`, or starts the tracks
with :mod:`~iadsim.c2.picture._look_start_kernels`. Each piece is the kernel the Python path
calls, in the same order on the same rows, so the pass agrees with it to the bit (the tests
compare them).
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.c2.picture._kernels import IN_VIEW, NEAR_AN_EDGE, track_candidates_kernel
from iadsim.geo._los_kernels import clearance_kernel_serial
from iadsim.geo.frames import WGS84_A_M
from iadsim.tracking._kernels import converted_measurement_in_frame_kernel
from iadsim.tracking._look_kernels import (
    doomed_count_kernel,
    doomed_live_slots_kernel,
    mark_free_detections_kernel,
    record_look_kernel,
)
from iadsim.tracking._row_kernels import (
    constant_velocity_predict_rows_kernel,
    gate_and_update_lone_rows_kernel,
    range_rate_update_used_rows_kernel,
)
from iadsim.tracking.gating import DENSE_PAIR_LIMIT

__all__ = [
    "DONE",
    "NEED_ASSIGNMENT",
    "NEED_GATE",
    "NEED_SIGHT",
    "NEED_TRACKS",
    "after_update_kernel",
    "begin_detected_look_kernel",
    "begin_look_kernel",
    "close_pass_kernel",
    "finish_look_kernel",
    "look_pass_kernel",
    "release_doomed_kernel",
]

DONE = 0
"""The pass is complete: the look's track ids are written."""
NEED_GATE = 1
"""Too many (track, detection) pairs for the dense gate: the tree gate and the general
assignment, then :func:`after_update_kernel`."""
NEED_ASSIGNMENT = 2
"""Gated pairs shared by tracks or detections (``counts[0]`` of them in the pair buffers):
the general assignment and update, then :func:`after_update_kernel`."""
NEED_SIGHT = 3
"""A pre-test candidate lies near an edge of the view (or the terrain test cannot run
compiled): ``could_see`` of the ``counts[3]`` candidates, then :func:`close_pass_kernel`."""
NEED_TRACKS = 4
"""Detections left to start tracks (``counts[1]``; ``counts[2]`` tracks to delete):
:func:`~iadsim.c2.picture._look_start_kernels.start_tracks_kernel`."""


@numba.njit(cache=True)
def begin_look_kernel(
    active, state, time_s, held_state, held_epoch_s, live, dt, t_s
):  # pragma: no cover - numba
    """The start of a look's pass: the live slots, ascending, written
    into ``live`` ``(>= capacity,) int64``, their time steps to ``t_s`` into ``dt``
    ``(>= capacity,)`` s (``elapsed_rows_kernel``'s: never negative, NaN kept), and their
    states and epochs as held now copied into the rows of ``held_state`` ``(capacity, 6)``
    and ``held_epoch_s`` ``(capacity,)`` (what the look pre-test reads after the update).

    Returns
    -------
    n : int
        Number of live tracks.
    moving : bool
        Whether any time step is non-zero (otherwise there is nothing to predict).
    """
    n = 0
    moving = False
    for slot in range(active.shape[0]):
        if active[slot]:
            for i in range(6):
                held_state[slot, i] = state[slot, i]
            held_epoch_s[slot] = time_s[slot]
            live[n] = slot
            step = t_s - time_s[slot]
            dt[n] = step if step >= 0.0 or step != step else 0.0  # np.maximum, NaN first
            moving = moving or dt[n] != 0.0
            n += 1
    return n, moving


@numba.njit(cache=True)
def begin_detected_look_kernel(
    active, state, time_s, held_state, held_epoch_s, live, dt, t_s, detections, frames, z, R
):  # pragma: no cover - numba
    """:func:`begin_look_kernel` of a look with detections, after converting them into the
    post frame (``converted_measurement_in_frame_kernel``, the look's conversion, in one
    call with the pass's start).

    Parameters
    ----------
    active, state, time_s, held_state, held_epoch_s, live, dt, t_s
        As :func:`begin_look_kernel` takes them.
    detections : tuple of six (m,) float64
        The look's ranges (m), azimuths and elevations (rad) and their sigmas.
    frames : tuple
        The antenna's ECEF position ``(3,)`` m and ECEF-to-ENU rotation ``(3, 3)``, then
        the post's.
    z : (m, 3) float64
        Written: the converted detections in the post frame, m.
    R : (m, 3, 3) float64
        Written: their covariances, m².

    Returns
    -------
    As :func:`begin_look_kernel`.
    """
    converted_measurement_in_frame_kernel(
        detections[0],
        detections[1],
        detections[2],
        detections[3],
        detections[4],
        detections[5],
        frames[0],
        frames[1],
        frames[2],
        frames[3],
        z,
        R,
    )
    return begin_look_kernel(active, state, time_s, held_state, held_epoch_s, live, dt, t_s)


@numba.njit(cache=True)
def look_pass_kernel(
    columns,
    post_columns,
    rules,
    live,
    steps,
    moving,
    t_s,
    z,
    R,
    pairs,
    values,
    look,
    pretest,
    held,
    sight,
    detected,
    ids_out,
    counts,
):  # pragma: no cover - numba
    """Predict, gate, update and close a look with detections, as far as it runs compiled.

    Parameters
    ----------
    columns : tuple
        The table's ``active``, ``ids``, ``state`` ``(c, 6)``, ``covariance``
        ``(c, 6, 6)``, ``time_s``, ``last_update_s``, ``history``, ``opportunities``,
        ``hits``, ``misses``, ``quality``, ``confirmed``.
    post_columns : tuple
        The post's ``truth``, ``revisit_s``, ``fc_seen_s`` and ``jammer_fix_s`` columns.
    rules : tuple
        The gate, the acceleration variance (m²/s⁴), ``not initiate_in_gates``,
        ``confirm_m``, ``confirm_n``, the quality window, the history mask,
        ``max_misses``, ``max_position_std_m``, ``max_coast_s``.
    live : (n,) int64
        Live slots, ascending (:func:`begin_look_kernel`).
    steps : tuple of three (n,) float64
        Their time steps ``T``, ``T**4`` and ``T**3`` (NumPy's powers), s.
    moving : bool
        Whether any step is non-zero (else nothing is predicted).
    t_s : float
    z : (m, 3) float64
        Converted detections in the post frame, m.
    R : (m, 3, 3) float64
        Their covariances, m².
    pairs : (2, >= min(n m, DENSE_PAIR_LIMIT)) int64
    values : (2, >= min(n m, DENSE_PAIR_LIMIT)) float64
        The dense gate's buffers.
    look : tuple
        The look's range rates ``(m,)`` m/s, their sigmas ``(m,)``, the antenna's position
        and velocity in the post frame ``(3,)``, the detections' truth ``(m,)``, the
        radar's revisit time (s) and whether it is a fire-control radar of the post.
    pretest : tuple
        The frame's origin and rotation, then the pre-test's seven look terms, then its
        four output buffers (:meth:`~iadsim.c2.picture.look_pretest.LookPretest.found_among`).
    held : tuple
        ``held_state`` and ``held_epoch_s`` (:func:`begin_look_kernel`).
    sight : tuple
        Whether the post has terrain, the grid's heights, cell tops, sample blocks and
        geometry, the first-pass sample spacing (rad), then the antenna's latitude,
        longitude (rad), height (m) and k-factor.
    detected : (>= n,) bool
        Written: whether each live track was updated.
    ids_out : (m,) int64
        Written: the track id per detection (-1 discarded, ``FREE`` left to start a track).
    counts : (4,) int64
        Written: gated pairs, free detections, doomed tracks, pre-test candidates.

    Returns
    -------
    int
        :data:`DONE`, or the step the caller must do in Python.
    """
    state, covariance, time_s = columns[2], columns[3], columns[4]
    if moving:
        T, T4, T3 = steps
        constant_velocity_predict_rows_kernel(
            state, covariance, time_s, live, T, T4, T3, rules[1], t_s
        )
    if live.shape[0] * z.shape[0] > DENSE_PAIR_LIMIT:
        return NEED_GATE
    k, updated = gate_and_update_lone_rows_kernel(
        state, covariance, live, z, R, rules[0], pairs, values
    )
    counts[0] = k
    if not updated:
        return NEED_ASSIGNMENT
    track, det = pairs[0, :k], pairs[1, :k]
    return after_update_kernel(
        columns,
        post_columns,
        rules,
        live,
        track,
        det,
        track,
        det,
        t_s,
        z,
        look,
        pretest,
        held,
        sight,
        detected,
        ids_out,
        counts,
    )


@numba.njit(cache=True)
def after_update_kernel(
    columns,
    post_columns,
    rules,
    live,
    pair_track,
    pair_det,
    used_track,
    used_det,
    t_s,
    z,
    look,
    pretest,
    held,
    sight,
    detected,
    ids_out,
    counts,
):  # pragma: no cover - numba
    """The rest of :func:`look_pass_kernel` after the update: the gated pairs
    ``pair_track``, ``pair_det`` and the pairs used ``used_track``, ``used_det`` (rows of
    ``live``, detections, ``(k,) int64``); the pre-test of the tracks not updated, the
    sight of its candidates, then :func:`close_pass_kernel`. Same arguments and returns
    as :func:`look_pass_kernel`; with :data:`NEED_SIGHT` the caller finds the tracks not
    updated as ``live[~detected[:n]]``."""
    n = live.shape[0]
    for r in range(n):
        detected[r] = False
    for r in range(used_track.shape[0]):
        detected[used_track[r]] = True
    rest = np.empty(n, dtype=np.int64)
    m = 0
    for r in range(n):
        if not detected[r]:
            rest[m] = live[r]
            m += 1
    missed_seen = np.zeros(m, dtype=np.bool_)
    if m:
        origin, rotation = pretest[0], pretest[1]
        found, found_ecef_m, geodetic, view = pretest[9], pretest[10], pretest[11], pretest[12]
        count = track_candidates_kernel(
            held[0],
            held[1],
            rest[:m],
            t_s,
            origin,
            rotation,
            pretest[2],
            pretest[3],
            pretest[4],
            pretest[5],
            pretest[6],
            pretest[7],
            pretest[8],
            post_columns[3],
            found,
            found_ecef_m,
            geodetic,
            view,
        )
        counts[3] = count
        if count:
            seen = np.empty(count, dtype=np.bool_)
            if not candidates_seen(view, geodetic, count, sight, seen):
                return NEED_SIGHT
            for c in range(count):
                missed_seen[found[c]] = seen[c]
    return close_pass_kernel(
        columns,
        post_columns,
        rules,
        live,
        pair_track,
        pair_det,
        used_track,
        used_det,
        detected[:n],
        missed_seen,
        t_s,
        z.shape[0],
        look,
        ids_out,
        counts,
    )


@numba.njit(cache=True)
def candidates_seen(view, geodetic, count, sight, seen):  # pragma: no cover - numba
    """:meth:`~iadsim.c2.picture.look_pretest.LookPretest.visible` of the ``count``
    candidates whose verdicts ``view`` and geodetic positions ``geodetic`` ``(3, >= count)``
    the pre-test wrote, written into ``seen`` ``(count,) bool``: in view and, with terrain,
    clear of it (``site_targets_clear`` of the terms ``sight``, pair by pair as the serial
    clearance kernel takes them). Returns False, with ``seen`` unfinished, where
    ``could_see`` itself must decide: a candidate near an edge, or a terrain test with a
    k-factor the compiled call does not take."""
    inside = 0
    for c in range(count):
        if view[c] == NEAR_AN_EDGE:
            return False
        if view[c] == IN_VIEW:
            inside += 1
    if not sight[0] or inside == 0:
        for c in range(count):
            seen[c] = view[c] == IN_VIEW
        return True
    k_factor = sight[9]
    if not k_factor > 0.0:
        return False
    ends = np.empty((6, inside))  # site lat, lon, alt, target lat, lon, alt
    j = 0
    for c in range(count):
        if view[c] == IN_VIEW:
            ends[0, j], ends[1, j], ends[2, j] = sight[6], sight[7], sight[8]
            ends[3, j], ends[4, j], ends[5, j] = geodetic[0, c], geodetic[1, c], geodetic[2, c]
            j += 1
    clearance = clearance_kernel_serial(
        ends, (sight[1], sight[2], sight[3]), sight[4], k_factor, WGS84_A_M, 0, sight[5], True
    )
    j = 0
    for c in range(count):
        seen[c] = False
        if view[c] == IN_VIEW:
            seen[c] = clearance[j] > 0.0
            j += 1
    return True


@numba.njit(cache=True)
def close_pass_kernel(
    columns,
    post_columns,
    rules,
    live,
    pair_track,
    pair_det,
    used_track,
    used_det,
    detected,
    missed_seen,
    t_s,
    n_detections,
    look,
    ids_out,
    counts,
):  # pragma: no cover - numba
    """``close_look_kernel`` of the look into ``ids_out``, then, where it leaves no
    track to start or delete, the slots of the detections' tracks and
    :func:`finish_look_kernel`; ``missed_seen`` ``(n - detected.sum(),) bool`` whether
    the radar could have seen each track not updated. The other arguments are those of
    :func:`after_update_kernel`."""
    ids, state, covariance = columns[1], columns[2], columns[3]
    last_update_s, history, opportunities = columns[5], columns[6], columns[7]
    hits, misses, quality, confirmed = columns[8], columns[9], columns[10], columns[11]
    for d in range(n_detections):
        ids_out[d] = -1
    for r in range(used_track.shape[0]):
        slot = live[used_track[r]]
        ids_out[used_det[r]] = ids[slot]
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
        rules[3],
        rules[4],
        rules[5],
        rules[6],
    )
    n_free = mark_free_detections_kernel(ids_out, confirmed, live, pair_track, pair_det, rules[2])
    n_doomed = doomed_count_kernel(
        columns[0],
        confirmed,
        opportunities,
        misses,
        covariance,
        last_update_s,
        t_s,
        rules[4],
        rules[7],
        rules[8],
        rules[9],
    )
    counts[1], counts[2] = n_free, n_doomed
    if n_free:
        return NEED_TRACKS
    if n_doomed:
        release_doomed_kernel(columns, rules, t_s)
    slots = np.full(n_detections, -1, dtype=np.int64)
    for r in range(used_track.shape[0]):
        slot = live[used_track[r]]
        if columns[0][slot]:  # not deleted now
            slots[used_det[r]] = slot
    finish_look_kernel(state, covariance, post_columns, slots, t_s, look)
    return DONE


@numba.njit(cache=True)
def release_doomed_kernel(columns, rules, t_s):  # pragma: no cover - numba
    """Delete the live tracks the management rules condemn now: the slots of
    ``doomed_live_slots_kernel``, released as ``TrackTable.release`` releases them
    (inactive, id -1, unconfirmed). ``columns`` and ``rules`` as :func:`look_pass_kernel`
    takes them."""
    active, ids, confirmed = columns[0], columns[1], columns[11]
    doomed = doomed_live_slots_kernel(
        active,
        confirmed,
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
    for slot in doomed:
        active[slot] = False
        ids[slot] = -1
        confirmed[slot] = False


@numba.njit(cache=True)
def finish_look_kernel(state, covariance, post_columns, slots, t_s, look):  # pragma: no cover
    """The end of a look in the post (``slots`` ``(m,) int64`` the slot each detection's
    track holds, -1 where none): the Doppler update of the tracks with a finite range rate
    (``range_rate_update_used_rows_kernel``), then each track's ``truth`` set to its
    detection's, its ``revisit_s`` raised to the radar's (``np.maximum``: NaN wins) and, for
    a fire-control radar, its ``fc_seen_s`` set to ``t_s``. ``post_columns`` and ``look``
    as :func:`look_pass_kernel` takes them."""
    rate, sigma, position, velocity, truth, revisit_s, fire_control = look
    range_rate_update_used_rows_kernel(state, covariance, slots, position, velocity, rate, sigma)
    truth_column, revisit_column, fc_seen_s = post_columns[0], post_columns[1], post_columns[2]
    for d in range(slots.shape[0]):
        slot = slots[d]
        if slot < 0:
            continue
        truth_column[slot] = truth[d]
        held = revisit_column[slot]
        if not (held != held or held >= revisit_s):
            revisit_column[slot] = revisit_s
        if fire_control:
            fc_seen_s[slot] = t_s
