"""A command post's air picture: its tracker's table plus what the post knows of each track.

The post fuses its own radars at measurement level: every radar's detections are converted
(debiased, :func:`~iadsim.tracking.measurements.converted_measurement`) into the post's ENU
frame and fed to one tracker, radar by radar. Per-track columns added to the table:

``truth``        index of the true entity of the last associated detection (-1: false alarm);
                 used for scoring only, never by decisions or identification
``fc_seen_s``    last time a fire-control radar of the post updated the track
``identity``     :class:`~iadsim.c2.picture.identification.Identity`
``identity_from_link``  1 where the identity was adopted from a data link (such an identity
                 is not reported back over the link, which would echo it)
``secure_reply_s``, ``civil_reply_s``  last time a secure (Mode 5/4) or a Mode 3/A-C reply
                 correlated with the track (:mod:`~iadsim.c2.picture.iff_correlation`)
``reply_code``   code of the last reply correlated with the track (-1: none yet)
``interrogated_s``  last time the post's interrogator scanned the track's position
``speed_low_mps``  lower two-sigma speed bound at the latest radar updates, newest first
``evaluated_update_s``  the track's last update time when its identity was last evaluated
``jammer_fix_s``  last time a triangulated jammer fix updated the track: a radar the
                 jammer blinds is not expected to detect it (no missed opportunity)
``revisit_s``    revisit time of the slowest of the post's radars that updated the track (s);
                 the unit of its coast limit (:mod:`~iadsim.tracking.pruning`)

:meth:`CommandPostPicture.prune`, called once per step after the post's radars, deletes the
tracks that have coasted too long, gone under ground or become impossibly fast, including
those no radar of the post looks at any more (which its tracker never sees).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from iadsim.c2.picture._hold_kernels import impact_candidates_kernel, low_rows_kernel
from iadsim.c2.picture._impact_kernels import impacts_kernel
from iadsim.c2.picture._kernels import below_terrain_kernel, geodetic_and_ground_kernel
from iadsim.c2.picture._prune_kernels import prune_pass_kernel
from iadsim.c2.picture.identification import SPEED_HISTORY, Identity
from iadsim.c2.picture.look_pass import LookPass
from iadsim.c2.picture.look_pretest import LookPretest
from iadsim.c2.picture.terrain_below import grid_terms
from iadsim.c2.picture.terrain_hold import FLOOR_PASSES, FLOOR_SETTLED_M
from iadsim.core.contracts import Tracker
from iadsim.geo._frame_kernels import ecef_to_enu_point_kernel
from iadsim.geo.frames import ecef_to_enu, enu_rotation, enu_to_ecef, lla_to_ecef
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar import Radar
from iadsim.sensors.track_dwells import Look
from iadsim.tracking.doppler import RangeRates
from iadsim.tracking.filters import KalmanFilter
from iadsim.tracking.imm import ImmFilter
from iadsim.tracking.measurements import converted_measurement_in_frame
from iadsim.tracking.pruning import (
    MEAN_EARTH_RADIUS_M,
    PostFrame,
    PruningRules,
    highest_ground_m,
)
from iadsim.tracking.table import NO_SLOTS, TrackTable
from iadsim.tracking.terrain_constraint import (
    FLOOR_STD_M,
    constrain_table,
    local_up_in_frame,
    project_rows_onto_floor,
)
from iadsim.tracking.tracker import ExpectedTracks, GnnTracker

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid

COLUMNS: dict[str, tuple[type, float]] = {
    "truth": (np.int64, -1),
    "fc_seen_s": (np.float64, -np.inf),
    "identity": (np.int8, Identity.PENDING),
    "identity_from_link": (np.bool_, False),
    "secure_reply_s": (np.float64, -np.inf),
    "civil_reply_s": (np.float64, -np.inf),
    "reply_code": (np.int64, -1),
    "interrogated_s": (np.float64, -np.inf),
    "evaluated_update_s": (np.float64, -np.inf),
    "revisit_s": (np.float64, 0.0),
    "jammer_fix_s": (np.float64, -np.inf),
}
"""Per-track knowledge of the post: column name -> (dtype, value of a new track)."""

_NO_POSITIONS, _NO_COVARIANCES = np.zeros((0, 3)), np.zeros((0, 3, 3))
"""The converted measurements of an empty look (read-only)."""
_NO_POSITIONS.flags.writeable = _NO_COVARIANCES.flags.writeable = False
_NO_TRACK_IDS = np.zeros(0, dtype=np.int64)  # of a look booking no miss (nothing to write)


@dataclass
class CommandPostPicture:
    """The picture held by one command post.

    Parameters
    ----------
    name : str
    lat_rad, lon_rad, alt_m : float
        Origin of the post's ENU frame.
    tracker : Tracker
        Any registered tracker (:data:`iadsim.core.registry.TRACKERS`).
    fire_control_radars : frozenset of int
        Radar indices whose updates count as fire-control quality (guidance).
    terrain : ElevationGrid, optional
        Terrain under the tracks (MSL heights); None: flat at height 0 (the ellipsoid).
    pruning : PruningRules
        Settings of :meth:`prune`.
    """

    name: str
    lat_rad: float
    lon_rad: float
    alt_m: float
    tracker: Tracker
    fire_control_radars: frozenset[int]
    terrain: ElevationGrid | None = None
    pruning: PruningRules = field(default_factory=PruningRules)
    table: TrackTable = field(init=False)
    changes: int = field(init=False)
    """How many times the table's set of tracks may have changed: the tracker ran on it (a
    look with detections or expected tracks, a fix), or tracks were deleted. Tracks are
    confirmed, started or given a truth only when the tracker runs; whatever writes the
    table's ``active`` or ``confirmed`` goes through the picture and counts here
    (:meth:`confirmed_slots` is kept until the count moves)."""

    def __post_init__(self) -> None:
        self.table = self.tracker.new_table(256)
        for column, (dtype, fill) in COLUMNS.items():
            self.table.add_column(column, (), fill, dtype)
        self.table.add_column("speed_low_mps", (SPEED_HISTORY,), np.nan, np.float64)
        self.origin_ecef_m = lla_to_ecef(self.lat_rad, self.lon_rad, self.alt_m)
        self.rotation = enu_rotation(self.lat_rad, self.lon_rad)
        self.frame = PostFrame(self.origin_ecef_m, self.rotation, self.alt_m)
        self._highest_ground_m = highest_ground_m(self.terrain)
        self._grid_terms = grid_terms(self.terrain)
        self._doomed = np.empty(0, dtype=bool)  # prune's mask of the live tracks, reused
        self._deleted = np.empty(0, dtype=np.int64)  # prune's deleted ids, reused
        self._below = np.empty(0, dtype=np.int64)  # _below_terrain's slots, reused
        self._hold_slots = np.empty(0, dtype=np.int64)  # hold_above_terrain's, reused
        self._hold_geodetic = np.empty((4, 0))
        self._hold_candidates = np.empty(0, dtype=bool)
        # The filter hold_above_terrain constrains tables of: the project's own only.
        filter_ = getattr(self.tracker, "filter", None)
        self._floor_filter = filter_ if isinstance(filter_, KalmanFilter | ImmFilter) else None
        # Tracks well above any ground skip the exact terrain test: the spherical height is
        # within 1 km of the geodetic one out to 1,000 km.
        self._low_limit_m = self._highest_ground_m + 1000.0
        # prune's arguments of doomed_among and _below_terrain, made once; its columns.
        rules, grid = self.pruning, self._grid_terms
        self._doomed_terms = (
            float(rules.coast_revisits),
            float(rules.max_speed_mps),
            float(rules.terrain_tolerance_m),
            float(rules.sigmas),
            self.frame.origin_ecef_m,
            self.frame.rotation,
            float(self.frame.origin_height_m),
            float(self._highest_ground_m),
            MEAN_EARTH_RADIUS_M,
            *grid,
        )
        self._below_terms = (
            float(self.alt_m),
            self._low_limit_m,
            MEAN_EARTH_RADIUS_M,
            self.origin_ecef_m,
            self.rotation,
            *grid,
        )
        self._prune_columns: tuple = (None,)
        self._in_frame: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._pretest = LookPretest()
        # Radar index -> (radar, its antenna's position and velocity in the post frame).
        self._radar_in_frame: dict[int, tuple[Radar, np.ndarray, np.ndarray]] = {}
        self.changes = 0
        self._confirmed = NO_SLOTS  # confirmed_slots() as of _confirmed_at changes
        self._confirmed_at = 0
        # The looks of the common tracker run through one compiled pass.
        tracker = self.tracker
        self._look_pass = (
            LookPass(
                tracker,
                self._pretest,
                self.terrain,
                self.frame.origin_ecef_m,
                self.frame.rotation,
                self.fire_control_radars,
                self._radar_position_and_velocity,
            )
            if isinstance(tracker, GnnTracker) and LookPass.suits(tracker)
            else None
        )

    def in_frame_m(self, points_ecef_m: np.ndarray) -> np.ndarray:
        """Fixed ECEF points (e.g. defended assets) in the post's ENU frame, ``(n, 3)`` m;
        computed once per array (the array must not change afterwards)."""
        cached = self._in_frame.get(id(points_ecef_m))
        if cached is None or cached[0] is not points_ecef_m:
            cached = (points_ecef_m, ecef_to_enu(points_ecef_m, self.origin_ecef_m, self.rotation))
            self._in_frame[id(points_ecef_m)] = cached
        return cached[1]

    def column(self, name: str) -> np.ndarray:
        """A per-track column (``(capacity,)``, typed as in :data:`COLUMNS`), by slot."""
        return self.table.extra[name]

    def ingest(self, radar: Radar, batch: DetectionBatch, time_s: float) -> np.ndarray:
        """Feed one radar's scan to the tracker.

        Parameters
        ----------
        radar : Radar
        batch : DetectionBatch
            This radar's detections at ``time_s``.
        time_s : float

        Returns
        -------
        (n,) int64
            Track id per detection (-1 if discarded), as the tracker returns.
        """
        if batch.radar.size == 0 and self._look_pass is not None:  # the compiled pass
            if self._look_pass.run_empty(self.table, radar, batch.look, time_s):
                self.changes += 1
            return _NO_TRACK_IDS
        if batch.radar.size == 0:  # len(batch), without its two Python-level calls
            # Most such looks cover none of the post's tracks: the pre-test's one call. A
            # jammer located by its strobes is not expected in its radars' looks (see
            # _expected_later).
            table = self.table
            unseen_s = table.extra["jammer_fix_s"]
            count = self._pretest.found_live(radar, batch.look, table, time_s, self.frame, unseen_s)
            return self._book_misses(radar, batch.look, count, time_s) if count else _NO_TRACK_IDS
        self.changes += 1
        if self._look_pass is not None:  # the common tracker: the compiled pass
            return self._look_pass.run(self.table, radar, batch, time_s)
        z_post, R_post = converted_measurement_in_frame(
            batch.range_m,
            batch.az_rad,
            batch.el_rad,
            batch.sigma_range_m,
            batch.sigma_az_rad,
            batch.sigma_el_rad,
            radar.pos_ecef_m,
            radar.rotation,
            self.origin_ecef_m,
            self.rotation,
        )
        ballistic = radar.spec.tracks_ballistic_targets
        tracker, table, columns = self.tracker, self.table, self.table.extra
        if isinstance(tracker, GnnTracker):
            # The tracker asks only about the tracks the look did not update.
            expected = self._expected_later(radar, batch.look, time_s)
            track_ids = tracker.step(table, time_s, z_post, R_post, expected, ballistic=ballistic)
        else:
            expected_mask = self._expected(radar, batch.look, time_s)
            track_ids = self._track(time_s, z_post, R_post, expected_mask, ballistic)
        # A tracker may return the id of a track it deleted in the same step: skip those.
        slots = table.slots_of(track_ids)
        if True in np.isfinite(batch.range_rate_mps):  # any(), without its Python wrapper
            rates = self._range_rates(radar, batch)
            if isinstance(tracker, GnnTracker):  # takes the slots instead of finding them
                tracker.update_range_rate(table, track_ids, rates, slots)
            else:
                tracker.update_range_rate(table, track_ids, rates)
        used = slots >= 0
        slots = slots[used]
        # New tracks start with the columns' fill values (TrackTable.allocate resets them).
        columns["truth"][slots] = batch.truth[used]
        revisit = columns["revisit_s"]
        revisit[slots] = np.maximum(revisit[slots], radar.revisit_s)
        if radar.index in self.fire_control_radars:
            columns["fc_seen_s"][slots] = time_s
        return track_ids

    def _book_misses(
        self, radar: Radar, look: Look | None, count: int, time_s: float
    ) -> np.ndarray:
        """A look without detections that may cover ``count`` tracks (the pre-test's
        ``found_live`` candidates): the tracker books a miss for those the radar could have
        seen (:meth:`_expected`), if any; otherwise the picture stays as it is (tracks are
        predicted at their next update). Returns no track ids, ``(0,) int64``."""
        table, pretest = self.table, self._pretest
        # could_see is element by element: the tracks the pre-test leaves out are not visible.
        seen = pretest.visible(radar, look, count, self.terrain)
        if True in seen:  # seen.any(), without its Python wrapper
            self.changes += 1
            expected = np.zeros(table.active.shape[0], dtype=bool)  # capacity, no property call
            expected[pretest.found[:count]] = seen
            ballistic = radar.spec.tracks_ballistic_targets
            return self._track(time_s, _NO_POSITIONS, _NO_COVARIANCES, expected, ballistic)
        return _NO_TRACK_IDS

    def _track(
        self,
        time_s: float,
        z_m: np.ndarray,
        R_m2: np.ndarray,
        expected: ExpectedTracks,
        ballistic: bool,
    ) -> np.ndarray:
        """The tracker's step on the table; only a :class:`GnnTracker` (or a subclass)
        takes ``expected`` as a function of slots."""
        tracker = self.tracker
        if isinstance(tracker, GnnTracker):
            return tracker.step(self.table, time_s, z_m, R_m2, expected, ballistic=ballistic)
        if not isinstance(expected, np.ndarray):
            raise TypeError("only a GnnTracker takes expected tracks as a function")
        return tracker.step(self.table, time_s, z_m, R_m2, expected, ballistic=ballistic)

    def ingest_fix(
        self,
        pos_ecef_m: np.ndarray,
        covariance_enu_m2: np.ndarray,
        time_s: float,
        revisit_s: float,
        truth: int = -1,
    ) -> int:
        """Feed one position fix that no radar look made (a triangulated jammer).

        Parameters
        ----------
        pos_ecef_m : (3,) float64
            The fix, ECEF, m.
        covariance_enu_m2 : (3, 3) float64
            Its error covariance in the post's ENU frame, m^2.
        time_s : float
        revisit_s : float
            How often such fixes come, s (the track's staleness scale).
        truth : int
            Entity the fix came from (scoring only), -1 if none.

        Returns
        -------
        int
            Id of the track it updated or started, -1 if discarded. No other track is
            expected in a fix, so none counts a miss.
        """
        self.changes += 1
        z = ecef_to_enu(np.asarray(pos_ecef_m, np.float64), self.origin_ecef_m, self.rotation)
        expected = np.zeros(self.table.capacity, dtype=bool)
        ids = self.tracker.step(
            self.table, time_s, z.reshape(1, 3), covariance_enu_m2.reshape(1, 3, 3), expected
        )
        slots = self.table.slots_of(ids)
        if slots[0] >= 0:
            self.column("truth")[slots] = truth
            self.column("jammer_fix_s")[slots] = time_s
            revisit = self.column("revisit_s")
            revisit[slots] = np.maximum(revisit[slots], revisit_s)
        return int(ids[0])

    def _range_rates(self, radar: Radar, batch: DetectionBatch) -> RangeRates:
        """The batch's range rates with the radar's position and velocity in the post frame."""
        position, velocity = self._radar_position_and_velocity(radar)
        return RangeRates(batch.range_rate_mps, batch.sigma_range_rate_mps, position, velocity)

    def _radar_position_and_velocity(self, radar: Radar) -> tuple[np.ndarray, np.ndarray]:
        """The radar's antenna position (m) and velocity (m/s) in the post frame, ``(3,)``
        each, read-only; computed once per radar object."""
        cached = self._radar_in_frame.get(radar.index)
        if cached is None or cached[0] is not radar:  # a new radar object, or one that moved
            # ecef_to_enu of one point, compiled (an airborne radar is new every step).
            position = ecef_to_enu_point_kernel(radar.pos_ecef_m, self.origin_ecef_m, self.rotation)
            velocity = self.rotation @ radar.vel_ecef_mps
            position.flags.writeable = velocity.flags.writeable = False
            cached = (radar, position, velocity)
            self._radar_in_frame[radar.index] = cached
        return cached[1], cached[2]

    def _expected(self, radar: Radar, look: Look | None, time_s: float) -> np.ndarray:
        """Tracks the radar could have detected in this look: predicted to the look's time,
        inside its volume and the azimuths it looked at, with a terrain-clear line of sight
        (:func:`~iadsim.sensors.visibility.could_see`). Only these book a miss."""
        expected, slots = np.zeros(self.table.capacity, dtype=bool), self.table.active_slots()
        expected[slots] = self._expected_later(radar, look, time_s)(slots)
        return expected

    def _expected_later(
        self, radar: Radar, look: Look | None, time_s: float
    ) -> Callable[[np.ndarray], np.ndarray]:
        """:meth:`_expected` as a function of slots, for the tracker to ask after its update
        about the tracks the look did not update only (a detected track needs no
        line-of-sight test): the pre-test's
        :meth:`~iadsim.c2.picture.look_pretest.LookPretest.seen_among`, called by the
        tracker itself. The positions are those of the table now, before the tracker
        predicts and updates it (held by the pre-test until the next look's), so the
        answer is the same, bit for bit, whenever it is asked."""
        # A jammer the post locates by its strobes hides from the radars it jams: their
        # silence on its track is no evidence against it (left out as never seen).
        unseen_s, pretest = self.table.extra["jammer_fix_s"], self._pretest
        state, epoch_s = pretest.held(self.table)
        bound = (radar, look, time_s, self.frame, self.terrain, unseen_s, state, epoch_s)
        return partial(pretest.seen_among, *bound)

    def prune(self, time_s: float) -> np.ndarray:
        """Delete the stale, under-ground and too-fast tracks (:mod:`~iadsim.tracking.pruning`).

        Each track is extrapolated to ``time_s`` (constant velocity) for the tests; the
        vertical is the local one at the track, not the post's. Then the survivors are held
        on or above the terrain (:meth:`hold_above_terrain`), which deletes the impacts.

        Returns
        -------
        (k,) int64
            Ids of the deleted tracks.
        """
        table = self.table
        capacity = table.active.shape[0]
        if self._doomed.shape[0] < capacity:  # the pass's reused buffers
            self._doomed = np.empty(2 * capacity, dtype=bool)
            self._deleted = np.empty(2 * capacity, dtype=np.int64)
            self._below = np.empty(2 * capacity, dtype=np.int64)
        if self._prune_columns[0] is not table.active:  # made again when the table grows
            self._prune_columns = (
                table.active,
                table.ids,
                table.confirmed,
                table.state,
                table.covariance,
                table.time_s,
                table.last_update_s,
                table.extra["revisit_s"],
            )
        # The rules, the release of the doomed and the under-terrain test in one call.
        n_deleted, n_below = prune_pass_kernel(
            self._prune_columns,
            float(time_s),
            self._doomed_terms,
            self._below_terms,
            self._floor_filter is not None,  # another tracker keeps its states
            self._doomed,
            self._deleted,
            self._below,
        )
        deleted = NO_SLOTS
        if n_deleted:
            self.changes += 1
            deleted = self._deleted[:n_deleted].copy()
        if n_below == 0:  # most steps: no track near the ground
            return deleted
        _, impacts = self.hold_above_terrain(time_s, self._below[:n_below].copy())
        return np.concatenate([deleted, impacts]) if impacts.size else deleted

    def hold_above_terrain(self, time_s: float, below: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hold the tracks ``below`` the terrain on or above it
        (:mod:`~iadsim.tracking.terrain_constraint`).

        A track below the terrain as held, or when extrapolated at constant velocity to
        ``time_s`` (where the snapshots and the link see it; :meth:`_below_terrain` finds
        them), is predicted by the tracker's filter to ``time_s``. If it is still below,
        then either it has met the ground: it is descending (its climb rate plus
        ``pruning.sigmas`` standard deviations is negative) and has had no detection for a
        whole revisit, the silence an impact produces, and it is deleted (the under-ground
        rule of :mod:`~iadsim.tracking.pruning` with no tolerance left); or it is projected
        onto the terrain under it. Only tables of the project's own filters (Kalman, IMM) are
        constrained; another tracker keeps its own states.

        Parameters
        ----------
        time_s : float
        below : (n,) int64
            The slots of the live tracks below the terrain (:meth:`_below_terrain`).

        Returns
        -------
        raised : (k,) int64
            Slots of the tracks raised.
        deleted : (m,) int64
            Ids of the tracks deleted as impacts.
        """
        none = NO_SLOTS
        table, filter_ = self.table, self._floor_filter
        slots = below
        n = slots.size
        if n == 0 or filter_ is None:
            return none, none
        # hold_above_terrain_reference, with its comparisons and gathers compiled.
        if self._hold_slots.shape[0] < n:  # the hold's reused buffers
            self._hold_slots = np.empty(2 * n, dtype=np.int64)
            self._hold_geodetic = np.empty((4, 2 * n))
            self._hold_candidates = np.empty(2 * n, dtype=bool)
        filter_.predict(table, slots, time_s)
        origin, rotation, grid = self.origin_ecef_m, self.rotation, self._grid_terms
        # Latitude, longitude, height and ground under each track (_geodetic_and_ground).
        geodetic = geodetic_and_ground_kernel(table.state, slots, origin, rotation, *grid)
        deleted = none
        candidates = self._hold_candidates
        revisit_s = table.extra["revisit_s"]
        if impact_candidates_kernel(
            geodetic, slots, table.last_update_s, revisit_s, float(time_s), candidates
        ):  # a silent track under the ground (half the calls): the impact test
            up = local_up_in_frame(geodetic[0], geodetic[1], rotation)
            impact = impacts_kernel(
                table.state,
                table.covariance,
                slots,
                up,
                candidates[:n],
                float(self.pruning.sigmas),
            )
            if True in impact:  # impact.any(), without its Python wrapper
                deleted = table.track_id[slots[impact]].copy()
                self._release(slots[impact])
                kept = ~impact
                slots, geodetic = slots[kept], geodetic[:, kept]
        raised = none
        low_slots, low_geodetic = self._hold_slots, self._hold_geodetic
        plain = "imm_state" not in table.extra and table.state_dim == 6
        for floor_pass in range(FLOOR_PASSES):
            if floor_pass:  # the first pass uses the positions of the impact test
                geodetic = geodetic_and_ground_kernel(table.state, slots, origin, rotation, *grid)
            m = low_rows_kernel(geodetic, slots, FLOOR_SETTLED_M, low_slots, low_geodetic)
            if m == 0:
                break
            slots = low_slots[:m].copy()
            lat, lon, height, floor = low_geodetic[:, :m]
            up = local_up_in_frame(lat, lon, rotation)
            if plain:  # constrain_table's own path for such a table, every rise positive
                project_rows_onto_floor(table, slots, up, floor - height, FLOOR_STD_M)
            else:
                constrain_table(table, slots, up, height, floor)
            if floor_pass == 0:  # a later pass raises some of these again, no others
                raised = slots
        return raised, deleted

    def _geodetic_and_ground(
        self, slots: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Latitude, longitude (rad) and height (m) of the tracks ``slots`` as held, and the
        terrain height under them, m (0 without terrain), each ``(len(slots),)``: the
        values of ``ecef_to_lla(self.positions_ecef_m(slots))`` and the grid's
        ``surface_height_m`` there, in one compiled call."""
        lat, lon, height, ground = geodetic_and_ground_kernel(
            self.table.state, slots, self.origin_ecef_m, self.rotation, *self._grid_terms
        )
        return lat, lon, height, ground

    def _below_terrain(self, slots: np.ndarray, time_s: float) -> np.ndarray:
        """The tracks of ``slots`` below the terrain as held or extrapolated at constant
        velocity to ``time_s``, ``(m,) int64``
        (:func:`~iadsim.c2.picture.terrain_below.below_terrain_reference`, compiled)."""
        if self._below.shape[0] < slots.size:
            self._below = np.empty(2 * slots.size, dtype=np.int64)
        found = below_terrain_kernel(
            self.table.state,
            self.table.time_s,
            slots,
            float(time_s),
            float(self.alt_m),
            self._low_limit_m,
            MEAN_EARTH_RADIUS_M,
            self.origin_ecef_m,
            self.rotation,
            *self._grid_terms,
            self._below,
        )
        return self._below[:found].copy() if found else NO_SLOTS

    def positions_ecef_m(self, slots: np.ndarray) -> np.ndarray:
        """Track positions in ECEF, ``(len(slots), 3)`` m."""
        return enu_to_ecef(self.table.state[slots, :3], self.origin_ecef_m, self.rotation)

    def predicted_positions_ecef_m(self, slots: np.ndarray, time_s: float) -> np.ndarray:
        """Track positions extrapolated at constant velocity to ``time_s``, ECEF,
        ``(len(slots), 3)`` m (where a radar points a track dwell)."""
        # The state is held at its own epoch ``time_s`` of the table (predicted to every
        # look of the post's radars), not at the last update: extrapolating from the last
        # update would count the time since then twice.
        state = self.table.state
        elapsed = time_s - self.table.time_s[slots]
        enu = state[slots, :3] + state[slots, 3:6] * elapsed[:, None]
        return enu_to_ecef(enu, self.origin_ecef_m, self.rotation)

    def drop(self, track_id: int) -> None:
        """Delete the track ``track_id`` if the post still holds it (a target judged killed)."""
        slot = self.table.slots_of(np.array([track_id]))
        if slot[0] >= 0:
            self._release(slot)

    def _release(self, slots: np.ndarray) -> None:
        """Delete the tracks in ``slots`` ``(k,) int64``, counted in :attr:`changes`."""
        self.changes += 1
        self.table.release(slots)

    def confirmed_slots(self) -> np.ndarray:
        """Slots of the live confirmed tracks, ascending, ``(k,) int64``; read-only, the
        same array until :attr:`changes` moves (most asks find the table unchanged)."""
        if self._confirmed_at != self.changes:
            table = self.table
            slots = (table.active & table.confirmed).nonzero()[0]
            slots.flags.writeable = False
            self._confirmed, self._confirmed_at = slots, self.changes
        return self._confirmed
