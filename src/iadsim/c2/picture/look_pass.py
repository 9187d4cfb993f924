"""A radar look's whole pass through a post's GNN tracker, in one or two compiled calls.

:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.ingest` of a look with detections
predicts the post's tracks, gates, assigns and updates them, pre-tests which of the tracks
not updated the radar could have seen, books the look (M-of-N, misses, deletions), starts
tracks, updates range rates and the post's columns: some fifty Python-level calls per
look, for the few tracks and detections of one look. For the common tracker (a plain
:class:`~iadsim.tracking.tracker.GnnTracker` with a constant-velocity
:class:`~iadsim.tracking.filters.KalmanFilter`), :class:`LookPass` runs it as
:func:`~iadsim.c2.picture._look_pass_kernels.begin_detected_look_kernel` (which also
converts the detections into the post frame), the NumPy powers of the time steps, and
:func:`~iadsim.c2.picture._look_pass_kernels.look_pass_kernel`; the steps
the kernels leave to Python (the tree gate, shared pairs, a candidate near an edge of the
view, tracks to start or delete) are done here by the tracker's and the pre-test's own
methods, in the order the tracker does them, so the result is the same to the bit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from iadsim.c2.picture._look_pass_kernels import (
    DONE,
    NEED_ASSIGNMENT,
    NEED_GATE,
    NEED_SIGHT,
    NEED_TRACKS,
    after_update_kernel,
    begin_detected_look_kernel,
    begin_look_kernel,
    close_pass_kernel,
    finish_look_kernel,
    look_pass_kernel,
)
from iadsim.c2.picture._look_start_kernels import (
    empty_look_kernel,
    empty_pass_kernel,
    start_tracks_kernel,
)
from iadsim.c2.picture.look_pretest import LookPretest
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar import Radar
from iadsim.sensors.track_dwells import Look
from iadsim.tracking import management
from iadsim.tracking.filters import KalmanFilter
from iadsim.tracking.gating import (
    DENSE_PAIR_LIMIT,
    GatedPairs,
    dense_gated_pairs,
    gate_table_pairs,
)
from iadsim.tracking.table import TrackTable
from iadsim.tracking.tracker import GnnTracker

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid

__all__ = ["LookPass"]

_NO_TERRAIN = (np.zeros((0, 0)), np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(4), 1.0)
"""The terrain terms of a post without terrain (never read)."""


class LookPass:
    """The compiled pass of a post's looks with detections (:mod:`module notes
    <iadsim.c2.picture.look_pass>`).

    Parameters
    ----------
    tracker : GnnTracker
        The post's tracker; :meth:`suits` must hold.
    pretest : LookPretest
        The post's pre-test (its buffers receive the candidates, as its own calls do).
    terrain : ElevationGrid or None
    origin_ecef_m : (3,) float64
    rotation : (3, 3) float64
        The post frame (C-ordered float64).
    fire_control_radars : frozenset of int
        The post's fire-control radars.
    radar_in_frame : callable
        A radar's antenna position (m) and velocity (m/s) in the post frame, ``(3,)`` each.
    """

    def __init__(
        self,
        tracker: GnnTracker,
        pretest: LookPretest,
        terrain: ElevationGrid | None,
        origin_ecef_m: np.ndarray,
        rotation: np.ndarray,
        fire_control_radars: frozenset[int],
        radar_in_frame: Callable[[Radar], tuple[np.ndarray, np.ndarray]],
    ) -> None:
        if not self.suits(tracker):
            raise TypeError("LookPass needs a plain GnnTracker with a constant-velocity filter")
        config, kalman = tracker.config, tracker.filter
        assert isinstance(kalman, KalmanFilter)
        self.tracker = tracker
        self._pretest = pretest
        self._terrain = terrain
        self._frame = (origin_ecef_m, rotation)
        self._fire_control_radars = fire_control_radars
        self._radar_in_frame = radar_in_frame
        self._rules = (
            tracker.gate,
            kalman.process_noise_mps2**2,  # as constant_velocity_predict_rows squares it
            not config.initiate_in_gates,
            config.confirm_m,
            config.confirm_n,
            management.QUALITY_WINDOW,
            management.HISTORY_MASK,
            config.max_misses,
            float(config.max_position_std_m),
            float(config.max_coast_s),
        )
        if terrain is None:
            self._terrain_terms: tuple = (False, *_NO_TERRAIN)
        else:
            self._terrain_terms = (
                True,
                terrain.heights_m,
                terrain.cell_tops_m,
                terrain.sample_blocks_m,
                terrain.kernel_geometry,
                terrain.cell_angle_rad,  # line_of_sight.sample_spacing_rad
            )
        self._radars: dict[int, tuple[Radar, tuple, tuple, tuple]] = {}
        self._reset_of: tuple = (None, None)
        self._reset_columns: tuple = ()
        self._grow(0)
        self._prepared: tuple = (None, None, None, (None,))  # _prepare's, of the table now
        self._pairs = np.empty((2, 0), dtype=np.int64)  # the dense gate's buffers
        self._values = np.empty((2, 0))
        self._counts = np.zeros(4, dtype=np.int64)

    @staticmethod
    def suits(tracker: object) -> bool:
        """Whether ``tracker`` is a :class:`GnnTracker` itself (no subclass: its pieces are
        GNN's own) with a constant-velocity :class:`KalmanFilter` and its compiled rows."""
        if type(tracker) is not GnnTracker:
            return False
        kalman = tracker.filter
        return (
            type(kalman) is KalmanFilter
            and kalman.model == "cv"
            and tracker._fused
            and tracker._rate_rows
        )

    def run(
        self,
        table: TrackTable,
        radar: Radar,
        batch: DetectionBatch,
        time_s: float,
    ) -> np.ndarray:
        """The tracker's step on ``table`` of the look's detections, converted into the post
        frame (``converted_measurement_in_frame``), then its range rates and the post's
        columns, as ``CommandPostPicture.ingest`` does them.

        Parameters
        ----------
        table : TrackTable
            The post's table, with its columns ``truth``, ``revisit_s``, ``fc_seen_s`` and
            ``jammer_fix_s``.
        radar : Radar
        batch : DetectionBatch
            The look, with at least one detection.
        time_s : float

        Returns
        -------
        (m,) int64
            The track id per detection, -1 where discarded.
        """
        t = float(time_s)
        _, columns, post_columns, buffers, held = self._prepared_for(table)
        terms = self._radars.get(radar.index)
        if terms is None or terms[0] is not radar:  # a new radar object, or one that moved
            terms = self._radar_terms(radar)
        _, (position, velocity, revisit_s, fire_control), sight, frames = terms
        m = batch.range_m.shape[0]
        z, R = np.empty((m, 3)), np.empty((m, 3, 3))
        detections = (
            batch.range_m,
            batch.az_rad,
            batch.el_rad,
            batch.sigma_range_m,
            batch.sigma_az_rad,
            batch.sigma_el_rad,
        )
        n, moving = begin_detected_look_kernel(
            table.active,
            table.state,
            table.time_s,
            held[0],
            held[1],
            self._live,
            self._dt,
            t,
            detections,
            frames,
            z,
            R,
        )
        live, T = self._live[:n], self._dt[:n]
        steps = (T, T**4, T**3) if moving else (T, T, T)  # the powers as NumPy computes them
        size = n * m
        if self._pairs.shape[1] < size <= DENSE_PAIR_LIMIT:
            self._pairs = np.empty((2, 2 * size), dtype=np.int64)
            self._values = np.empty((2, 2 * size))
        look = (
            batch.range_rate_mps,
            batch.sigma_range_rate_mps,
            position,
            velocity,
            batch.truth,
            revisit_s,
            fire_control,
        )
        pretest = self._pretest
        candidates = (*self._frame, *pretest._look_terms(radar, batch.look), *buffers)
        detected, counts = self._detected, self._counts
        ids_out = np.empty(m, dtype=np.int64)
        status = look_pass_kernel(
            columns,
            post_columns,
            self._rules,
            live,
            steps,
            moving,
            t,
            z,
            R,
            self._pairs,
            self._values,
            look,
            candidates,
            held,
            sight,
            detected,
            ids_out,
            counts,
        )
        if status == DONE:  # most looks
            return ids_out
        tracker = self.tracker
        k = int(counts[0])
        pair_track, pair_det = self._pairs[0, :k], self._pairs[1, :k]
        used_track, used_det = pair_track, pair_det
        if status in (NEED_GATE, NEED_ASSIGNMENT):
            gated: GatedPairs
            if status == NEED_GATE:
                gated = gate_table_pairs(table.state, table.covariance, live, z, R, tracker.gate)
            else:
                gated = dense_gated_pairs(self._pairs, self._values, k)
            used_track, used_det = tracker._associate_and_update(table, live, z, R, gated)
            pair_track, pair_det = gated.track, gated.detection
            status = after_update_kernel(
                columns,
                post_columns,
                self._rules,
                live,
                pair_track,
                pair_det,
                used_track,
                used_det,
                t,
                z,
                look,
                candidates,
                held,
                sight,
                detected,
                ids_out,
                counts,
            )
        if status == NEED_SIGHT:  # could_see of the candidates, by the pre-test itself
            count = int(counts[3])
            missed_seen = np.zeros(n - int(np.count_nonzero(detected[:n])), dtype=bool)
            missed_seen[pretest.found[:count]] = pretest.visible(
                radar, batch.look, count, self._terrain
            )
            status = close_pass_kernel(
                columns,
                post_columns,
                self._rules,
                live,
                pair_track,
                pair_det,
                used_track,
                used_det,
                detected[:n],
                missed_seen,
                t,
                m,
                look,
                ids_out,
                counts,
            )
        if status == NEED_TRACKS:
            self._start_tracks(table, radar, ids_out, z, R, t, look)
        return ids_out

    def run_empty(self, table: TrackTable, radar: Radar, look: Look | None, time_s: float) -> bool:
        """A look without detections: the tracker books a miss for each track the radar
        could have seen (the pre-test's candidates, :meth:`LookPretest.visible`), if any,
        as ``CommandPostPicture.ingest`` has it do. Returns whether the tracker ran (the
        table may have changed)."""
        t = float(time_s)
        _, columns, post_columns, buffers, held = self._prepared_for(table)
        terms = self._radars.get(radar.index)
        if terms is None or terms[0] is not radar:  # a new radar object, or one that moved
            terms = self._radar_terms(radar)
        pretest = self._pretest
        seen = self._detected  # a buffer of the right size, free until the pass
        count, decided = empty_look_kernel(
            table.state,
            table.time_s,
            table.active,
            t,
            (*self._frame, *pretest._look_terms(radar, look), *buffers),
            post_columns[3],
            terms[2],
            seen,
        )
        if count == 0:
            return False
        # Where a candidate lies near an edge, could_see of them by the pre-test itself.
        seen = seen[:count] if decided else pretest.visible(radar, look, count, self._terrain)
        if True not in seen:  # seen.any(), without its Python wrapper
            return False
        n, moving = begin_look_kernel(
            table.active,
            table.state,
            table.time_s,
            held[0],
            held[1],
            self._live,
            self._dt,
            t,
        )
        T = self._dt[:n]
        steps = (T, T**4, T**3) if moving else (T, T, T)  # the powers as NumPy computes them
        found = pretest.found[:count]
        empty_pass_kernel(
            columns, self._rules, self._live[:n], steps, moving, t, found, seen, count
        )
        return True

    def _start_tracks(
        self,
        table: TrackTable,
        radar: Radar,
        ids_out: np.ndarray,
        z: np.ndarray,
        R: np.ndarray,
        t: float,
        look: tuple,
    ) -> None:
        """The end of a look that starts tracks: the tracker's initiation of the
        detections marked free in ``ids_out`` and its deletions, then the look's range
        rates and post columns on the slots of the tracks that remain; compiled unless the
        table must grow."""
        tracker, config = self.tracker, self.tracker.config
        n_free, n_doomed = int(self._counts[1]), int(self._counts[2])
        speed_std = (
            config.ballistic_initial_speed_std_mps
            if radar.spec.tracks_ballistic_targets
            else config.initial_speed_std_mps
        )
        columns, post_columns = self._columns(table)
        next_id = start_tracks_kernel(
            columns,
            self._resets(table),
            (table.created_s, table.time_s, table.last_update_s),
            post_columns,
            self._rules,
            ids_out,
            n_free,
            z,
            R,
            speed_std**2,
            tracker._accel_variance,
            t,
            table.next_id,
            look,
        )
        if next_id >= 0:
            table.next_id = next_id
            return
        tracker._start_free_tracks(table, t, ids_out, n_free, z, R, speed_std)
        tracker._delete(table, t, n_doomed > 0)
        # A track deleted in the same step has no slot (-1); the table has grown.
        slots = table.slots_of(ids_out)
        _, post_columns = self._columns(table)
        finish_look_kernel(table.state, table.covariance, post_columns, slots, t, look)

    def _columns(self, table: TrackTable) -> tuple[tuple, tuple]:
        """The table's columns as the kernels take them (:meth:`_prepare`)."""
        prepared = self._prepared_for(table)
        return prepared[1], prepared[2]

    def _prepared_for(self, table: TrackTable) -> tuple:
        """:attr:`_prepared`, made again (:meth:`_prepare`) for a new or grown table or
        replaced pre-test buffers."""
        prepared = self._prepared
        if prepared[0] is not table.active or prepared[3][0] is not self._pretest.found:
            prepared = self._prepare(table)
        return prepared

    def _prepare(self, table: TrackTable) -> tuple:
        """What a look's pass takes of ``table`` and holds until the table grows (growth
        replaces every column): the buffers grown to its capacity, and the tuple
        ``(active, columns, post_columns, buffers, held)`` of the table's columns, the
        post's, the pre-test's output buffers and the held states, kept as
        :attr:`_prepared`."""
        capacity = table.active.shape[0]
        if self._live.shape[0] < capacity:
            self._grow(capacity)
        pretest = self._pretest
        if pretest.found.shape[0] < capacity:
            pretest._grow_buffers(capacity)
        columns = (
            table.active,
            table.ids,
            table.state,
            table.covariance,
            table.time_s,
            table.last_update_s,
            table.history,
            table.opportunities,
            table.hits,
            table.misses,
            table.quality,
            table.confirmed,
        )
        extra = table.extra
        post_columns = (
            extra["truth"],
            extra["revisit_s"],
            extra["fc_seen_s"],
            extra["jammer_fix_s"],
        )
        buffers = (
            pretest.found,
            pretest.found_ecef_m,
            pretest._found_geodetic,
            pretest._found_view,
        )
        held = (self._held_state, self._held_epoch_s)
        self._prepared = (table.active, columns, post_columns, buffers, held)
        return self._prepared

    def _resets(self, table: TrackTable) -> tuple:
        """The table's columns but ``active`` and ``ids`` with the values of a new row
        (``Table._fills``, each cast to its column's dtype as NumPy's assignment casts
        it), made again when the table grows or gains a column."""
        active, fills = self._reset_of
        if active is not table.active or fills is not table._fills:
            arrays = table.__dict__  # the columns are instance attributes (Table._reset)
            self._reset_columns = tuple(
                (arrays[name], arrays[name].dtype.type(fill)) for name, fill in table._fills
            )
            self._reset_of = (table.active, table._fills)
        return self._reset_columns

    def _radar_terms(self, radar: Radar) -> tuple:
        """The radar's constants of a look in the post, kept per radar object (a radar
        that moves is a new object) in :attr:`_radars`: ``(radar, constants, sight,
        frames)``, where ``constants`` are its antenna position and velocity in the post
        frame, its revisit time (s) and whether it is a fire-control radar of the post;
        ``sight`` the terms of the terrain test from it (:func:`candidates_seen`); and
        ``frames`` its antenna's ECEF position and rotation, then the post frame's (the
        conversion of its detections)."""
        position, velocity = self._radar_in_frame(radar)
        fire_control = radar.index in self._fire_control_radars
        constants = (position, velocity, float(radar.revisit_s), fire_control)
        site = (float(radar.lat_rad), float(radar.lon_rad), float(radar.alt_m))
        sight = (*self._terrain_terms, *site, float(radar.k_factor))
        frames = (radar.pos_ecef_m, radar.rotation, *self._frame)
        cached = (radar, constants, sight, frames)
        self._radars[radar.index] = cached
        return cached

    def _grow(self, capacity: int) -> None:
        """Buffers for a table of ``capacity`` slots and more."""
        size = 2 * capacity
        self._live = np.empty(size, dtype=np.int64)
        self._dt = np.empty(size)
        self._detected = np.empty(size, dtype=bool)
        self._held_state = np.empty((size, 6))
        self._held_epoch_s = np.empty(size)
