"""Stone Soup interoperability, part 2: any Stone Soup tracker inside an iadsim run.

:class:`StoneSoupTracker` puts a set of Stone Soup components behind the interface of
:class:`~iadsim.tracking.tracker.GnnTracker` (``new_table`` / ``step`` / ``coast``), with the
Stone Soup tracks mirrored into the table after every step. A scenario selects it with
``tracker: stonesoup`` (:func:`stonesoup_tracker`, registered in
:data:`iadsim.core.registry.TRACKERS`); other Stone Soup component sets are registered
under their own names. Converters are in :mod:`iadsim.interop.stonesoup.convert`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import chi2
from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
from stonesoup.deleter.error import CovarianceBasedDeleter
from stonesoup.deleter.multi import CompositeDeleter
from stonesoup.deleter.time import UpdateTimeStepsDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.models.transition.linear import (
    CombinedLinearGaussianTransitionModel,
    ConstantVelocity,
)
from stonesoup.predictor.kalman import KalmanPredictor
from stonesoup.types.detection import Detection
from stonesoup.types.multihypothesis import MultipleHypothesis
from stonesoup.types.state import GaussianState
from stonesoup.types.track import Track
from stonesoup.updater.kalman import KalmanUpdater

from iadsim.interop.stonesoup.convert import (
    EPOCH,
    POSITION_MAPPING,
    VELOCITY_MAPPING,
    book,
    detection_list,
    detections_of,
    to_datetime,
    to_seconds,
    write_state,
)
from iadsim.tracking.doppler import RangeRates
from iadsim.tracking.table import TrackTable
from iadsim.tracking.tracker import TrackerConfig

__all__ = ["StoneSoupDefaults", "StoneSoupTracker", "default_components", "stonesoup_tracker"]


@dataclasses.dataclass(frozen=True)
class StoneSoupDefaults:
    """Settings of :func:`default_components`, matched to iadsim's command-post tracker.

    Parameters
    ----------
    acceleration_std_mps2 : float
        Unmodelled acceleration standard deviation ``σa`` (m/s²).
    scan_period_s : float
        Scan period at which Stone Soup's continuous white-noise acceleration model matches
        iadsim's discrete one in velocity variance: ``q = σa² T`` (m²/s³), since the CWNA
        velocity variance per step is ``q T`` (BLK eq. 6.2.2-12) and the DWNA one ``σa² T²``
        (BLK eq. 6.3.2-4).
    initial_speed_std_mps : float
        Prior velocity standard deviation of a new track (m/s).
    ballistic_initial_speed_std_mps : float
        The same for tracks started by a radar that tracks ballistic targets (m/s).
    gate_probability : float
        Probability mass of the Mahalanobis gate (chi-square, 3 dof); the hypothesiser's
        ``missed_distance`` is its square root.
    min_points : int
        Updates a tentative track needs to be released as confirmed.
    tentative_missed_steps : int
        Steps without update that drop a tentative track.
    max_missed_steps : int
        Steps without update that delete a confirmed track.
    max_position_std_m : float
        Delete a track whose ``sqrt(tr P_pos)`` exceeds this (m).
    fallback_measurement_std_m : float
        Per-axis noise of the updater's own measurement model, used only for detections
        without a model (the converted ones always carry theirs) and by Stone Soup's
        innovation-form ``PDAUpdater`` for the missed-detection term; prefer
        ``PDAUpdater(..., gm_method=True)``, which uses each detection's covariance.
    """

    acceleration_std_mps2: float = 15.0
    scan_period_s: float = 5.0
    initial_speed_std_mps: float = 1000.0
    ballistic_initial_speed_std_mps: float = 1000.0
    gate_probability: float = 0.999
    min_points: int = 2
    tentative_missed_steps: int = 2
    max_missed_steps: int = 4
    max_position_std_m: float = 20_000.0
    fallback_measurement_std_m: float = 100.0


def default_components(settings: StoneSoupDefaults | None = None) -> dict[str, Any]:
    """A GNN tracker from Stone Soup parts, as in its multi-target tracking tutorials.

    Kalman predictor on three constant-velocity blocks, Kalman updater (Joseph form, BLK eq.
    5.2.3-18, symmetrised), Mahalanobis
    distance hypothesiser, GNN by 2-D assignment, multi-measurement initiation (the same
    associator on tentative tracks) and deletion by missed steps or by position
    covariance trace.

    Returns
    -------
    dict
        ``predictor``, ``updater``, ``hypothesiser``, ``data_associator``, ``initiator``,
        ``ballistic_initiator`` (the same with the ballistic velocity prior), ``deleter``.
    """
    s = settings if settings is not None else StoneSoupDefaults()
    q = s.acceleration_std_mps2**2 * s.scan_period_s
    transition = CombinedLinearGaussianTransitionModel([ConstantVelocity(q) for _ in range(3)])
    predictor = KalmanPredictor(transition)
    fallback = LinearGaussian(
        ndim_state=6,
        mapping=POSITION_MAPPING,
        noise_covar=np.eye(3) * s.fallback_measurement_std_m**2,
    )
    # Joseph form, symmetrised: the short form P - K S Kᵀ loses symmetry geometrically over
    # long runs of metre-class fire-control updates (and downstream fusion needs P > 0).
    updater = KalmanUpdater(fallback, force_symmetric_covariance=True, use_joseph_cov=True)
    gate = float(np.sqrt(chi2.ppf(s.gate_probability, 3)))
    hypothesiser = DistanceHypothesiser(predictor, updater, Mahalanobis(), missed_distance=gate)
    data_associator = GNNWith2DAssignment(hypothesiser)

    def initiator_with(speed_std_mps: float) -> MultiMeasurementInitiator:
        prior = GaussianState(np.zeros((6, 1)), np.diag([0.0, speed_std_mps**2] * 3))
        return MultiMeasurementInitiator(
            prior_state=prior,
            deleter=UpdateTimeStepsDeleter(s.tentative_missed_steps),
            data_associator=GNNWith2DAssignment(hypothesiser),
            updater=updater,
            measurement_model=fallback,
            min_points=s.min_points,
        )

    deleter = CompositeDeleter(
        [
            UpdateTimeStepsDeleter(s.max_missed_steps),
            CovarianceBasedDeleter(
                covar_trace_thresh=s.max_position_std_m**2, mapping=list(POSITION_MAPPING)
            ),
        ],
        intersect=False,
    )
    return {
        "predictor": predictor,
        "updater": updater,
        "hypothesiser": hypothesiser,
        "data_associator": data_associator,
        "initiator": initiator_with(s.initial_speed_std_mps),
        "ballistic_initiator": initiator_with(s.ballistic_initial_speed_std_mps),
        "deleter": deleter,
    }


class StoneSoupTracker:
    """Stone Soup components behind :class:`~iadsim.tracking.tracker.GnnTracker`'s interface.

    One :meth:`step` runs Stone Soup's multi-target loop (``MultiTargetTracker.__next__``):
    associate the confirmed tracks with the batch, update or predict them, delete, and pass
    the unused detections to the initiator. Then the tracks are mirrored into the table:

    * each Stone Soup track gets a table row and a stable table id on first sight (tentative
      tracks held by a ``MultiMeasurementInitiator`` too, as ``confirmed = False``); a
      tentative track released by the initiator keeps its id and becomes confirmed;
    * rows of tracks that Stone Soup deleted are released; a row released by someone else
      (e.g. a kill assessment) drops the Stone Soup track;
    * every state appended to a track is one detection opportunity (see
      :func:`stonesoup_tracks_to_table`).

    ``expected`` is honoured as in ``GnnTracker``: a track that was not expected and not
    detected gets no predicted state appended, so step-counting deleters see only
    opportunities. Components are stateful (an initiator holds tentative tracks), so one
    adapter serves one table. A look with ``ballistic=True`` passes its unused detections
    to ``ballistic_initiator`` (its tentative tracks are its own).

    Parameters
    ----------
    data_associator, updater, deleter, initiator : Stone Soup components, optional
        Missing ones come from :func:`default_components` (6-D CV state; the default
        initiator has its own predictor and hypothesiser, so pass an initiator with any
        other state). A ``MultipleHypothesis`` per track (JPDA) needs an updater that takes
        one (e.g. ``PDAUpdater``).
    ballistic_initiator : Stone Soup initiator, optional
        Initiator for looks of radars that track ballistic targets; default: the default
        one with the ballistic prior when ``initiator`` was not given, else ``initiator``.
    settings : StoneSoupDefaults, optional
        Settings of the default components.
    epoch : datetime.datetime
        Datetime of simulation time 0.
    ndim_state : int
        Length of the Stone Soup state; detections measure ``position_mapping``.
    position_mapping, velocity_mapping : sequence of 3 int
        Stone Soup state indices of ENU position and velocity.

    Attributes
    ----------
    tracks : set of Track
        Live confirmed Stone Soup tracks.
    deleted_tracks : set of Track
        Confirmed tracks deleted so far (Stone Soup's deleter or the table), e.g. for
        Stone Soup metrics.
    """

    def __init__(
        self,
        data_associator: Any = None,
        updater: Any = None,
        deleter: Any = None,
        initiator: Any = None,
        ballistic_initiator: Any = None,
        *,
        settings: StoneSoupDefaults | None = None,
        epoch: datetime.datetime = EPOCH,
        ndim_state: int = 6,
        position_mapping: Sequence[int] = POSITION_MAPPING,
        velocity_mapping: Sequence[int] = VELOCITY_MAPPING,
    ) -> None:
        if any(c is None for c in (data_associator, updater, deleter, initiator)):
            defaults = default_components(settings)
            data_associator = _given(data_associator, defaults["data_associator"])
            updater = _given(updater, defaults["updater"])
            deleter = _given(deleter, defaults["deleter"])
            if initiator is None:
                ballistic_initiator = _given(ballistic_initiator, defaults["ballistic_initiator"])
            initiator = _given(initiator, defaults["initiator"])
        self.data_associator = data_associator
        self.updater = updater
        self.deleter = deleter
        self.initiator = initiator
        self.ballistic_initiator = _given(ballistic_initiator, initiator)
        self.epoch = epoch
        self.ndim_state = int(ndim_state)
        self.position_mapping = tuple(position_mapping)
        self.velocity_mapping = tuple(velocity_mapping)
        self.tracks: set[Track] = set()
        self.deleted_tracks: set[Track] = set()
        self._table: TrackTable | None = None
        self._rows: dict[str, tuple[Any, int, int]] = {}  # ss id -> (track, table id, booked)

    # -- interface of GnnTracker ------------------------------------------------------
    def new_table(self, capacity: int = 256) -> TrackTable:
        """An empty 6-state table, bound to this tracker."""
        table = TrackTable(capacity, state_dim=6)
        self._bind(table)
        return table

    def step(
        self,
        table: TrackTable,
        t_s: float,
        z_m: np.ndarray,
        R_m2: np.ndarray,
        expected: np.ndarray | None = None,
        ballistic: bool = False,
    ) -> np.ndarray:
        """Process one batch of position detections taken at ``t_s``.

        Parameters
        ----------
        table : TrackTable
            This tracker's table, modified in place.
        t_s : float
            Time of the batch (s).
        z_m : (n, 3) float64
            Detected ENU positions (m).
        R_m2 : (n, 3, 3) float64
            Their error covariances (m²).
        expected : (capacity,) bool, optional
            Tracks the sensor could have detected; default every live track.
        ballistic : bool
            The batch comes from a radar that tracks ballistic targets: unused detections
            go to ``ballistic_initiator``.

        Returns
        -------
        (n,) int64
            Id of the track each detection updated or started (the most probable one under
            probabilistic association), -1 if none that is still live.
        """
        self._bind(table)
        self._drop_released(table)
        when = to_datetime(t_s, self.epoch)
        detections = detection_list(
            z_m, R_m2, t_s, self.epoch, self.ndim_state, self.position_mapping
        )
        batch = set(detections)
        used: set[Detection] = set()
        expected_ids = self._expected_ids(table, expected)
        for track, hypothesis in self.data_associator.associate(self.tracks, batch, when).items():
            if isinstance(hypothesis, MultipleHypothesis):
                gated = {h.measurement for h in hypothesis if h}
                if gated or self._expects(track, expected_ids):
                    track.append(self.updater.update(hypothesis))
                used |= gated
            elif hypothesis:
                track.append(self.updater.update(hypothesis))
                used.add(hypothesis.measurement)
            elif self._expects(track, expected_ids):
                track.append(hypothesis.prediction)
        deleted = self.deleter.delete_tracks(self.tracks)
        self.tracks -= deleted
        self.deleted_tracks |= deleted
        initiator = self.ballistic_initiator if ballistic else self.initiator
        self.tracks |= initiator.initiate(batch - used, when)
        return self._mirror(table, t_s, detections)

    def update_range_rate(
        self, table: TrackTable, track_ids: np.ndarray, measured: RangeRates
    ) -> None:
        """Not used: the adapter feeds Stone Soup position detections only."""

    def coast(self, table: TrackTable, t_s: float, expected: np.ndarray | None = None) -> None:
        """A scan without detections at ``t_s``."""
        self.step(table, t_s, np.empty((0, 3)), np.empty((0, 3, 3)), expected)

    # -- lookups ----------------------------------------------------------------------
    @property
    def tentative_tracks(self) -> set[Track]:
        """Tracks the initiators hold (empty for single-point initiators)."""
        return set(getattr(self.initiator, "holding_tracks", ())) | set(
            getattr(self.ballistic_initiator, "holding_tracks", ())
        )

    def stonesoup_track(self, track_id: int) -> Track | None:
        """The Stone Soup track behind a live table id (``None`` if not live)."""
        for track, table_id, _ in self._rows.values():
            if table_id == track_id:
                return track
        return None

    # -- internals --------------------------------------------------------------------
    def _bind(self, table: TrackTable) -> None:
        if self._table is None:
            if table.state_dim < 6:
                raise ValueError(f"need a table with state_dim >= 6, got {table.state_dim}")
            self._table = table
        elif table is not self._table:
            msg = "a StoneSoupTracker keeps the Stone Soup tracks of one table; make one per table"
            raise ValueError(msg)

    def _drop_released(self, table: TrackTable) -> None:
        """Forget tracks whose rows were released outside the tracker."""
        if not self._rows:
            return
        keys = list(self._rows)
        ids = np.array([self._rows[k][1] for k in keys], dtype=np.int64)
        gone = [k for k, slot in zip(keys, table.slots_of(ids), strict=True) if slot < 0]
        holdings = [
            getattr(initiator, "holding_tracks", None)
            for initiator in {id(i): i for i in (self.initiator, self.ballistic_initiator)}.values()
        ]
        for key in gone:
            track = self._rows.pop(key)[0]
            if track in self.tracks:
                self.tracks.discard(track)
                self.deleted_tracks.add(track)
            for holding in holdings:
                if holding is not None:
                    holding.discard(track)

    def _expected_ids(self, table: TrackTable, expected: np.ndarray | None) -> set[int] | None:
        if expected is None:
            return None
        slots = table.active_slots()
        return set(table.track_id[slots[np.asarray(expected, dtype=bool)[slots]]].tolist())

    def _expects(self, track: Track, expected_ids: set[int] | None) -> bool:
        if expected_ids is None:
            return True
        row = self._rows.get(track.id)
        return row is None or row[1] in expected_ids

    def _mirror(self, table: TrackTable, t_s: float, detections: list[Detection]) -> np.ndarray:
        """Bring the table in line with the Stone Soup tracks; ids per detection."""
        when = to_datetime(t_s, self.epoch)
        confirmed = {track.id: track for track in self.tracks}
        current = dict(confirmed)
        current.update({track.id: track for track in self.tentative_tracks})
        gone = [key for key in self._rows if key not in current]
        if gone:
            slots = table.slots_of(np.array([self._rows.pop(key)[1] for key in gone]))
            table.release(slots[slots >= 0])

        row_of = {id(det): i for i, det in enumerate(detections)}
        new = [track for key, track in current.items() if key not in self._rows]
        # Deterministic ids whatever the set order: by the batch row that started the track.
        new.sort(key=lambda track: (self._first_row(track, row_of), track.timestamp))
        slots = table.allocate(len(new), t_s)
        for slot, track in zip(slots, new, strict=True):
            table.created_s[slot] = to_seconds(track.states[0].timestamp, self.epoch)
            table.last_update_s[slot] = table.created_s[slot]
            self._rows[track.id] = (track, int(table.track_id[slot]), 0)

        detection_ids = np.full(len(detections), -1, dtype=np.int64)
        keys = list(current)
        live = table.slots_of(np.array([self._rows[key][1] for key in keys], dtype=np.int64))
        for key, slot in zip(keys, live, strict=True):
            track, table_id, booked = self._rows[key]
            fresh = track.states[booked:] if booked <= len(track) else track.states[-1:]
            book(table, slot, fresh, self.epoch, (when, t_s))
            self._rows[key] = (track, table_id, len(track))
            table.confirmed[slot] = key in confirmed
            write_state(
                table, slot, track, self.epoch, self.position_mapping, self.velocity_mapping
            )
            if track.timestamp == when:  # the batch time itself, not its microsecond rounding
                table.time_s[slot] = t_s
            for state in fresh:
                found = detections_of(state)
                if found and id(found[0]) in row_of:
                    detection_ids[row_of[id(found[0])]] = table_id
        return detection_ids

    @staticmethod
    def _first_row(track: Track, row_of: dict[int, int]) -> int:
        for state in track.states:
            for det in detections_of(state):
                if id(det) in row_of:
                    return row_of[id(det)]
        return len(row_of)


def _given(component: Any, default: Any) -> Any:
    return default if component is None else component


def stonesoup_tracker(config: TrackerConfig) -> StoneSoupTracker:
    """Registered as ``stonesoup``: Stone Soup's GNN components with ``config``'s settings.

    Needs the optional ``stonesoup`` extra (``pip install 'iadsim[stonesoup]'``).
    """
    settings = StoneSoupDefaults(
        acceleration_std_mps2=config.process_noise_mps2,
        initial_speed_std_mps=config.initial_speed_std_mps,
        ballistic_initial_speed_std_mps=config.ballistic_initial_speed_std_mps,
        gate_probability=config.gate_probability,
        min_points=config.confirm_m,
        max_missed_steps=config.max_misses,
        max_position_std_m=config.max_position_std_m,
    )
    return StoneSoupTracker(settings=settings)
