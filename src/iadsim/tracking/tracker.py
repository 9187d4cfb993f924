"""Multi-target trackers on track tables: global nearest neighbour (GNN).

One :meth:`GnnTracker.step` processes one batch of position detections (one radar scan or
dwell) against a whole :class:`~iadsim.tracking.table.TrackTable`:

1. predict every live track to the batch time (:mod:`iadsim.tracking.filters`);
2. chi-square gate with a k-d tree pre-gate (:mod:`iadsim.tracking.gating`);
3. assign by GNN, cluster by cluster (:mod:`iadsim.tracking.association`), confirmed
   tracks first, tentative tracks on what is left;
4. update the assigned tracks (Kalman, Joseph form); a Doppler radar's range rates follow
   through :meth:`GnnTracker.update_range_rate`;
5. book a detection opportunity for every expected or updated track, confirm by M-of-N,
   delete lost, stale or diverged tracks (:mod:`iadsim.tracking.management`);
6. start tentative tracks from the detections left over (single-point initiation).

Everything is vectorised over tracks and detections; the only Python loop is over
association clusters with more than one track.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iadsim.tracking import management
from iadsim.tracking._association_kernels import tiered_lone_assignment_into_kernel
from iadsim.tracking._look_kernels import FREE, close_look_kernel, start_free_tracks_kernel
from iadsim.tracking._row_kernels import (
    gate_and_update_lone_rows_kernel,
    range_rate_update_used_rows_kernel,
)
from iadsim.tracking.association import tiered_assignment
from iadsim.tracking.doppler import RangeRates
from iadsim.tracking.filters import KalmanFilter, TableFilter
from iadsim.tracking.gating import (
    DENSE_PAIR_LIMIT,
    GatedPairs,
    dense_gated_pairs,
    gate_table_pairs,
    gate_threshold,
)
from iadsim.tracking.imm import ImmFilter
from iadsim.tracking.table import TrackTable

__all__ = ["ExpectedTracks", "GnnTracker", "TrackerConfig", "make_filter"]

ExpectedTracks = np.ndarray | Callable[[np.ndarray], np.ndarray]
"""Tracks a look could have detected: a ``(capacity,) bool`` mask, or a function of slots
``(k,) int64`` giving ``(k,) bool``, asked by :meth:`GnnTracker.step` only about the live
tracks that no detection of the look updated (what the look could have seen costs a
line-of-sight test per track; a detected track needs none)."""


@dataclass(frozen=True)
class TrackerConfig:
    """Tracker settings; the defaults suit air targets seen by surveillance radars.

    Parameters
    ----------
    process_noise_mps2 : float
        Standard deviation of the unmodelled acceleration (m/s²); ~1.5 g covers
        manoeuvring aircraft between 4-10 s scans.
    motion_model : {"cv", "ca", "imm"}
        Constant velocity, constant acceleration, or IMM of CV, coordinated turns and a
        ballistic (free-fall) model.
    initial_speed_std_mps : float
        Prior velocity standard deviation of a track started by a radar that does not
        track ballistic targets (m/s). Single-point initiation
        (:func:`~iadsim.tracking.filters.initial_covariance`) needs the fastest target of
        interest inside the gate of the second detection; with the 0.999 gate (about
        4 sigma in 3 dof) a speed of 2 sigma leaves room for the measurement errors. 300
        m/s puts Mach 1.8 (600 m/s) at 2 sigma: aircraft and cruise missiles.
    ballistic_initial_speed_std_mps : float
        The same for a look from a radar whose catalog entry says it tracks ballistic
        targets (``tracks_ballistic_targets``), m/s: 1,000 m/s puts a short-range
        ballistic missile's ~2 km/s (burnout ``sqrt(g R)`` = 2.2 km/s for 500 km,
        reference/public-parameters) at 2 sigma.
    gate_probability : float
        Probability that the true detection falls in the gate (chi-square, 3 dof).
    confirm_m, confirm_n : int
        M-of-N confirmation.
    max_misses : int
        Consecutive missed opportunities that delete a confirmed track.
    max_position_std_m : float
        Delete a track whose ``sqrt(tr P_pos)`` exceeds this (m).
    max_coast_s : float
        Delete a track with no associated detection for this long (s).
    initiate_in_gates : bool
        Start new tracks also from detections inside a confirmed track's gate (otherwise
        such detections are discarded, which avoids duplicate tracks).
    detection_probability : float
        Pd assumed by probabilistic association (JPDA) and the IMM likelihoods.
    clutter_density_per_m3 : float
        Spatial density of false detections assumed by JPDA (1/m³).
    imm_turn_rate_radps : float
        Turn rate of the IMM's coordinated-turn models (±, rad/s).
    imm_quiet_noise_mps2 : float
        Acceleration standard deviation of the IMM's constant-velocity model (m/s²); the
        turn models use ``process_noise_mps2``.
    imm_mean_sojourn_s : float
        Mean time the IMM expects a target to stay in one mode (s).
    imm_ballistic_noise_mps2 : float
        Acceleration standard deviation of the IMM's ballistic model around free fall
        (m/s²), for drag and terminal manoeuvre. Assumption: 20 m/s² (range 10-50): drag
        deceleration ``rho v² / (2 beta)`` of a 2 km/s body at 10 km altitude (``rho`` =
        0.4135 kg/m³, U.S. Standard Atmosphere 1976) is 17-41 m/s² for a ballistic
        coefficient ``beta = m / (C_D A)`` of 5e4-2e4 kg/m², and less higher up.
    """

    process_noise_mps2: float = 15.0
    motion_model: str = "cv"
    initial_speed_std_mps: float = 300.0
    ballistic_initial_speed_std_mps: float = 1000.0
    gate_probability: float = 0.999
    confirm_m: int = 2
    confirm_n: int = 3
    max_misses: int = 4
    max_position_std_m: float = 20_000.0
    max_coast_s: float = np.inf
    initiate_in_gates: bool = False
    detection_probability: float = 0.9
    clutter_density_per_m3: float = 1e-12
    imm_turn_rate_radps: float = np.radians(6.0)
    imm_quiet_noise_mps2: float = 2.0
    imm_mean_sojourn_s: float = 60.0
    imm_ballistic_noise_mps2: float = 20.0

    def __post_init__(self) -> None:
        if not 0 < self.confirm_m <= self.confirm_n <= 62:
            msg = f"need 0 < confirm_m <= confirm_n <= 62, got {self.confirm_m}/{self.confirm_n}"
            raise ValueError(msg)
        if self.motion_model not in ("cv", "ca", "imm"):
            msg = f"motion_model must be 'cv', 'ca' or 'imm', got {self.motion_model!r}"
            raise ValueError(msg)


def make_filter(config: TrackerConfig) -> TableFilter:
    """The table filter named by ``config.motion_model``."""
    if config.motion_model == "imm":
        return ImmFilter.cv_turns_and_ballistic(
            process_noise_mps2=config.process_noise_mps2,
            turn_rate_radps=config.imm_turn_rate_radps,
            quiet_noise_mps2=config.imm_quiet_noise_mps2,
            ballistic_noise_mps2=config.imm_ballistic_noise_mps2,
            mean_sojourn_s=config.imm_mean_sojourn_s,
            initial_speed_std_mps=config.initial_speed_std_mps,
        )
    return KalmanFilter(
        model=config.motion_model,
        process_noise_mps2=config.process_noise_mps2,
        initial_speed_std_mps=config.initial_speed_std_mps,
    )


class GnnTracker:
    """Global-nearest-neighbour multi-target tracker acting on a :class:`TrackTable`.

    Parameters
    ----------
    config : TrackerConfig
    """

    def __init__(self, config: TrackerConfig | None = None) -> None:
        self.config = config if config is not None else TrackerConfig()
        self.filter = make_filter(self.config)
        self.gate = gate_threshold(self.config.gate_probability, 3)
        cls = type(self)
        # Whether association and initiation are GNN's own (not overridden): then a look
        # without detections takes the short path of step.
        self._plain_gnn = (
            cls._associate_and_update is _GNN_ASSOCIATE and cls._initiate is _GNN_INITIATE
        )
        # Whether a small look may gate, assign and update in one compiled call, and start
        # its tracks in another (GNN's own association and initiation with a Kalman
        # filter's position update and initiation, whose acceleration prior is this).
        kalman = self.filter if isinstance(self.filter, KalmanFilter) else None
        self._fused = self._plain_gnn and kalman is not None
        self._accel_variance = kalman.initial_accel_std_mps2**2 if kalman is not None else 0.0
        # Whether range rates update the table's rows in one compiled call (constant velocity)
        self._rate_rows = kalman is not None and kalman.state_dim == 6
        self._rows = np.empty(0, dtype=np.int64)  # association's chosen pairs, reused
        self._pairs = np.empty((2, 0), dtype=np.int64)  # the dense gate's buffers, reused
        self._values = np.empty((2, 0))

    def new_table(self, capacity: int = 256) -> TrackTable:
        """An empty table shaped for this tracker's filter."""
        table = TrackTable(capacity, state_dim=self.filter.state_dim)
        self.filter.prepare(table)
        return table

    # -- the scan -------------------------------------------------------------------
    def step(
        self,
        table: TrackTable,
        t_s: float,
        z_m: np.ndarray,
        R_m2: np.ndarray,
        expected: ExpectedTracks | None = None,
        ballistic: bool = False,
    ) -> np.ndarray:
        """Process one batch of position detections taken at ``t_s``.

        Parameters
        ----------
        table : TrackTable
            Tracks, modified in place.
        t_s : float
            Time of the batch (s).
        z_m : (n, 3) float64
            Detected positions in the table's ENU frame (m).
        R_m2 : (n, 3, 3) float64
            Their error covariances (m²).
        expected : (capacity,) bool or callable, optional
            Tracks the sensor could have detected in this batch (e.g. inside its coverage);
            only these, and tracks that were updated, book a detection opportunity (miss
            counting, M-of-N). Default: every live track. A callable
            (:data:`ExpectedTracks`) is asked once, after the update, about the live tracks
            no detection updated.
        ballistic : bool
            The batch comes from a radar that tracks ballistic targets: new tracks get
            the ballistic velocity prior (``ballistic_initial_speed_std_mps``).

        Returns
        -------
        (n,) int64
            Id of the track each detection updated or started, -1 if discarded.
        """
        z, R = z_m, R_m2
        # float64 arrays (every look of a post) as they are; np.asarray is a call per look
        if type(z) is not np.ndarray or z.dtype != np.float64:
            z = np.asarray(z_m, dtype=float)
        if type(R) is not np.ndarray or R.dtype != np.float64:
            R = np.asarray(R_m2, dtype=float)
        if z.ndim != 2 or R.ndim != 3:  # one detection's (3,) and (3, 3), or empty lists
            z, R = z.reshape(-1, 3), R.reshape(-1, 3, 3)
        live = table.active.nonzero()[0]  # table.active_slots(), without its call
        self.filter.predict(table, live, t_s)
        if z.shape[0] == 0 and self._plain_gnn:
            # A look without detections (most looks of a rotating radar): nothing to gate
            # or assign, only misses to book and deletions, as with no pairs.
            pair_track = pair_det = used_track = used_det = _NO_ROWS
        elif self._fused and live.shape[0] * z.shape[0] <= DENSE_PAIR_LIMIT:
            pair_track, pair_det, used_track, used_det = self._gate_and_update(table, live, z, R)
        else:
            pairs = gate_table_pairs(table.state, table.covariance, live, z, R, self.gate)
            used_track, used_det = self._associate_and_update(table, live, z, R, pairs)
            pair_track, pair_det = pairs.track, pairs.detection
        detected = np.zeros(live.size, dtype=bool)  # the live tracks the look updated
        detected[used_track] = True
        if expected is None:
            missed_seen = ~np.zeros(live.size, dtype=bool)  # (np.ones has Python layers)
        else:
            # An updated track was seen whatever ``expected`` says of it.
            missed_seen = _expected_among(expected, live[~detected])
        config = self.config
        # In one compiled pass: the track each detection updated and their last update;
        # an opportunity for each track updated or seen (M-of-N); then the detections that
        # updated no track (and, unless ``initiate_in_gates``, fell in no confirmed track's
        # gate, confirmations of this look included), marked FREE: they start tracks; and
        # how many tracks the management rules delete now.
        detection_ids, n_free, n_doomed = close_look_kernel(
            table.ids,
            table.last_update_s,
            table.history,
            table.opportunities,
            table.hits,
            table.misses,
            table.quality,
            table.confirmed,
            live,
            used_track,
            used_det,
            detected,
            missed_seen,
            pair_track,
            pair_det,
            z.shape[0],
            float(t_s),
            not config.initiate_in_gates,
            config.confirm_m,
            config.confirm_n,
            management.QUALITY_WINDOW,
            management.HISTORY_MASK,
            table.active,
            table.covariance,
            config.max_misses,
            float(config.max_position_std_m),
            float(config.max_coast_s),
        )
        if n_free:  # most looks start no track
            speed_std = (
                config.ballistic_initial_speed_std_mps
                if ballistic
                else config.initial_speed_std_mps
            )
            if self._fused:
                self._start_free_tracks(table, t_s, detection_ids, n_free, z, R, speed_std)
            else:
                free = (detection_ids == FREE).nonzero()[0]
                new_slots = self._initiate(table, t_s, free, z, R, speed_std)
                detection_ids[free] = table.ids[new_slots]
        if n_free or n_doomed:  # most looks start and delete no track
            self._delete(table, t_s, n_doomed > 0)
        return detection_ids

    def update_range_rate(
        self,
        table: TrackTable,
        track_ids: np.ndarray,
        measured: RangeRates,
        slots: np.ndarray | None = None,
    ) -> None:
        """Doppler update of the tracks a batch has just updated or started.

        Parameters
        ----------
        table : TrackTable
        track_ids : (n,) int64
            Track per detection, as :meth:`step` returned it (-1: none).
        measured : RangeRates
            One range rate per detection; NaN rates (no Doppler) are skipped.
        slots : (n,) int64, optional
            ``table.slots_of(track_ids)``, where the caller has it (-1: none).
        """
        if slots is None:
            slots = table.slots_of(track_ids)
        if self._rate_rows:  # the rows with a track and a rate, chosen in the kernel
            range_rate_update_used_rows_kernel(
                table.state,
                table.covariance,
                slots,
                measured.sensor_position_m,
                measured.sensor_velocity_mps,
                measured.rate_mps,
                measured.sigma_mps,
            )
            return
        use = (slots >= 0) & np.isfinite(measured.rate_mps)
        if use.size and False not in use:  # every detection kept a track and has a rate
            self.filter.update_range_rate(table, slots, measured)
        elif True in use:  # use.any(), without its Python wrapper
            self.filter.update_range_rate(table, slots[use], measured.take(use))

    def coast(self, table: TrackTable, t_s: float, expected: ExpectedTracks | None = None):
        """Predict to ``t_s`` and book a missed opportunity (a scan without detections)."""
        self.step(table, t_s, np.empty((0, 3)), np.empty((0, 3, 3)), expected)

    # -- pieces, overridable ----------------------------------------------------------
    def _associate_and_update(
        self, table: TrackTable, live: np.ndarray, z: np.ndarray, R: np.ndarray, pairs: GatedPairs
    ) -> tuple[np.ndarray, np.ndarray]:
        """GNN assignment then Kalman update; returns the (track row, detection) pairs used.

        Confirmed tracks choose first, tentative tracks share what is left (so a new, vague
        track cannot take a detection from an established one). The pair cost is the
        negative log-likelihood up to constants, ``d² + ln det S`` (Blackman & Popoli 1999,
        sect. 6.5.1), which keeps a vague track from winning with its small ``d²``; a track's
        miss cost is the gate plus its largest ``ln det S``, so any gated detection beats a
        miss unless another track needs it.
        """
        if pairs.track.size == 0:  # nothing gated: nothing to assign or update
            return pairs.track, pairs.detection
        cost = pairs.distance2 + pairs.log_det_s
        # Most looks: no detection gated by two tracks of a tier, each track takes its
        # cheapest pair (compiled); otherwise the tiers are clustered.
        if self._rows.shape[0] < cost.shape[0]:  # the chosen rows' reused array
            self._rows = np.empty(2 * cost.shape[0], dtype=np.int64)
        count = tiered_lone_assignment_into_kernel(
            table.confirmed, live, pairs.track, pairs.detection, cost, z.shape[0], self._rows
        )
        if count >= 0:
            rows = self._rows[:count]
            track, det = pairs.track[rows], pairs.detection[rows]
        else:
            miss_cost = np.empty(live.size)
            miss_cost.fill(-np.inf)
            np.maximum.at(miss_cost, pairs.track, pairs.log_det_s)
            miss_cost += self.gate
            established = table.confirmed[live[pairs.track]]
            track, det = tiered_assignment(
                established, pairs.track, pairs.detection, cost, live.size, z.shape[0], miss_cost
            )
        if track.size:
            self.filter.update(table, live[track], z[det], R[det])
        return track, det

    def _gate_and_update(
        self, table: TrackTable, live: np.ndarray, z: np.ndarray, R: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The gate, association and update of a small look, most looks in one compiled
        call (:func:`~iadsim.tracking._row_kernels.gate_and_update_lone_rows_kernel`: where
        no track or detection is in two gated pairs, every pair is used, whatever its
        cost); a look with shared pairs takes :meth:`_associate_and_update`. Returns the
        gated pairs then the pairs used, (rows of ``live``, detections), ``(k,) int64``."""
        size = live.shape[0] * z.shape[0]
        if self._pairs.shape[1] < size:  # the gate's reused buffers
            self._pairs = np.empty((2, 2 * size), dtype=np.int64)
            self._values = np.empty((2, 2 * size))
        k, updated = gate_and_update_lone_rows_kernel(
            table.state, table.covariance, live, z, R, self.gate, self._pairs, self._values
        )
        if updated:
            track, det = self._pairs[0, :k], self._pairs[1, :k]
            return track, det, track, det
        pairs = dense_gated_pairs(self._pairs, self._values, k)
        used_track, used_det = self._associate_and_update(table, live, z, R, pairs)
        return pairs.track, pairs.detection, used_track, used_det

    def _record(self, table: TrackTable, slots: np.ndarray, detected: np.ndarray) -> None:
        management.record_opportunities(
            table, slots, detected, self.config.confirm_m, self.config.confirm_n
        )

    def _initiate(
        self,
        table: TrackTable,
        t_s: float,
        dets: np.ndarray,
        z: np.ndarray,
        R: np.ndarray,
        speed_std_mps: float,
    ) -> np.ndarray:
        if dets.size == 0:  # every detection was used or discarded
            return dets
        slots = table.allocate(dets.size, t_s)
        self.filter.initiate(table, slots, z[dets], R[dets], speed_std_mps)
        self._record(table, slots, ~np.zeros(dets.size, dtype=bool))  # all detected
        return slots

    def _start_free_tracks(
        self,
        table: TrackTable,
        t_s: float,
        detection_ids: np.ndarray,
        n_free: int,
        z: np.ndarray,
        R: np.ndarray,
        speed_std_mps: float,
    ) -> None:
        """:meth:`_initiate` of the ``n_free`` detections marked :data:`FREE` in
        ``detection_ids`` with the Kalman filter's initiation, and the marks replaced by
        the new tracks' ids, in one compiled call after the allocation."""
        config = self.config
        slots = table.allocate(n_free, t_s)  # first: a growing table has new columns
        start_free_tracks_kernel(
            detection_ids,
            slots,
            z,
            R,
            speed_std_mps**2,
            self._accel_variance,
            table.ids,
            table.state,
            table.covariance,
            table.history,
            table.opportunities,
            table.hits,
            table.misses,
            table.quality,
            table.confirmed,
            config.confirm_m,
            config.confirm_n,
            management.QUALITY_WINDOW,
            management.HISTORY_MASK,
        )

    def _delete(self, table: TrackTable, t_s: float, some_doomed: bool = False) -> None:
        """Release the tracks the management rules delete now; ``some_doomed``: the look
        has counted some (new tracks may add to them), so they need no second count."""
        config = self.config
        doomed = management.doomed_slots(
            table,
            t_s,
            config.confirm_n,
            config.max_misses,
            config.max_position_std_m,
            config.max_coast_s,
            some_doomed,
        )
        if doomed.size:  # most looks delete nothing
            table.release(doomed)


def _expected_among(expected: ExpectedTracks, slots: np.ndarray) -> np.ndarray:
    """``expected`` of the tracks in ``slots``, ``(len(slots),) bool`` (read-only where
    ``slots`` is empty)."""
    if type(expected) is np.ndarray and expected.dtype == np.bool_:  # a mask, as it is
        return expected[slots]
    if not callable(expected):
        return np.asarray(expected, dtype=bool)[slots]
    if slots.size == 0:  # nothing to ask
        return _NONE_EXPECTED
    seen = expected(slots)
    if type(seen) is np.ndarray and seen.dtype == np.bool_:  # as the pictures answer
        return seen
    return np.asarray(seen, dtype=bool)


_NO_ROWS = np.zeros(0, dtype=np.int64)
"""No pairs: those of a look without detections (empty, so never written)."""

_NONE_EXPECTED = np.zeros(0, dtype=bool)
"""The answer about no tracks (read-only)."""
_NONE_EXPECTED.flags.writeable = False


_GNN_ASSOCIATE = GnnTracker._associate_and_update
_GNN_INITIATE = GnnTracker._initiate


def gnn_tracker(config: TrackerConfig) -> GnnTracker:
    """Registered as ``gnn``: global nearest neighbour with the configured motion model."""
    return GnnTracker(config)


def imm_tracker(config: TrackerConfig) -> GnnTracker:
    """Registered as ``imm``: GNN association with the IMM of CV, coordinated turns and
    free fall."""
    return GnnTracker(dataclasses.replace(config, motion_model="imm"))
