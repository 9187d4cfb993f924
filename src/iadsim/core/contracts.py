"""The roles of the pipeline as Protocols: what a model of each role takes and gives.

A model plays a role by having these methods (structural typing: no base class), registers a
factory under a stable name in :mod:`iadsim.core.registry`, and the contract suite in
``tests/contracts`` checks every registered model the same way (shapes, units, determinism
under a seed, inputs left unchanged), in the manner of scikit-learn's estimator checks.

| role | in | out |
|---|---|---|
| :class:`Tracker` | position detections of one look | updated track table |
| :class:`Assigner` | an :class:`EngagementProblem` | fire orders |
| :class:`IdentificationRules` | evidence on tracks | identities and reasons |
| :class:`SignalEffect` | radar path geometry | SNR change on each path, dB |
| :class:`Sensor` | truth at one instant | detection batch (IFF: reply batch) |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:  # type-only: core imports no domain package at run time
    from iadsim.tracking.doppler import RangeRates
    from iadsim.tracking.table import TrackTable


@runtime_checkable
class Tracker(Protocol):
    """A multi-target tracker acting on a track table, one look at a time."""

    def new_table(self, capacity: int = 256) -> TrackTable:
        """An empty table shaped for this tracker's filter."""
        ...

    def step(
        self,
        table: TrackTable,
        t_s: float,
        z_m: np.ndarray,
        R_m2: np.ndarray,
        expected: np.ndarray | None = None,
        ballistic: bool = False,
    ) -> np.ndarray:
        """Predict to ``t_s``, associate, update, start and delete tracks.

        Parameters
        ----------
        table : TrackTable
            Modified in place.
        t_s : float
            Time of the look, s.
        z_m : (n, 3) float64
            Detected positions in the table's ENU frame, m. Not modified.
        R_m2 : (n, 3, 3) float64
            Their error covariances, m². Not modified.
        expected : (capacity,) bool, optional
            Tracks the sensor could have detected in this look.

        Returns
        -------
        (n,) int64
            Id of the track each detection updated or started, -1 if discarded.
        """
        ...

    def update_range_rate(
        self, table: TrackTable, track_ids: np.ndarray, measured: RangeRates
    ) -> None:
        """Doppler update of tracks just updated or started by :meth:`step`."""
        ...

    def coast(self, table: TrackTable, t_s: float, expected: np.ndarray | None = None) -> None:
        """A look with no detections."""
        ...


class FireOrder(Protocol):
    """A decision to fire ``rounds`` of interceptor type ``interceptor`` at one track."""

    track_id: int
    interceptor: int
    rounds: int
    threat_value: float


@dataclass(frozen=True)
class EngagementProblem:
    """What a fire unit knows when it decides: tracks, their value, and what can reach them.

    Attributes
    ----------
    track_ids : (n,) int64
        Engageable tracks (fresh, of an identity the weapon control status allows).
    threat_value : (n,) float64
        Threat evaluation's value of each track, dimensionless.
    ranking : (n,) int64
        Rows of the tracks, most threatening first.
    feasible : (n, m) bool
        Track ``i`` can be intercepted by interceptor type ``j``.
    flight_time_s : (n, m) float64
        Time of flight to the intercept point, s (inf where infeasible).
    pk : (n, m) float64
        Planning single-shot kill probability of each type against each track's estimated
        target class (:func:`iadsim.c2.engagement.pk_by_track`); a ``(m,)`` array means
        the same Pk against every track.
    available : (m,) int64
        Rounds the unit may fire, by type, after any reserve.
    already_engaged : (n,) bool
        Tracks with interceptors already in flight at them.
    salvo : int
        Rounds per engagement.
    free_target_channels, free_missile_channels : int
        Guidance channels still free at the fire-control radar.
    """

    track_ids: np.ndarray
    threat_value: np.ndarray
    ranking: np.ndarray
    feasible: np.ndarray
    flight_time_s: np.ndarray
    pk: np.ndarray
    available: np.ndarray
    already_engaged: np.ndarray
    salvo: int
    free_target_channels: int
    free_missile_channels: int


@runtime_checkable
class Assigner(Protocol):
    """A weapon-target assignment method."""

    def assign(self, problem: EngagementProblem) -> Sequence[FireOrder]:
        """Fire orders within the problem's channels and magazines, most valuable first.

        Must not modify ``problem``'s arrays, order at most ``available`` rounds of a type,
        at most ``free_target_channels`` tracks and ``free_missile_channels`` rounds, only
        at feasible tracks not already engaged.
        """
        ...


@dataclass(frozen=True)
class TrackEvidence:
    """What a post knows about its confirmed tracks when it identifies them (never truth).

    Attributes
    ----------
    current : (n,) int8
        Current identities (``Identity`` values).
    secure_reply_age_s, civil_reply_age_s : (n,) float64
        Time since a secure (Mode 5/4) or a Mode 3/A-C reply last correlated with the track,
        s (``inf``: never since the reply code last changed).
    linked : (n,) int8
        Identity received over the data link, ``Identity.PENDING`` where none.
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's ENU frame, m and m/s.
    asset_pos_m : (k, 3) float64
        Defended assets in the same frame, m.
    procedural : (n,) int8
        Identity from flight plans and corridors, ``Identity.PENDING`` where none.
    speed_low_mps : (n, h) float64
        Lower two-sigma bound of the track's speed at each of its latest ``h`` radar
        updates, newest first, m/s (NaN before the track had that many).
    update_age_s : (n,) float64
        Time since the last radar update of the track, s.
    interrogated : (n,) bool
        The post's IFF interrogator has scanned the track's position since it began.
    """

    current: np.ndarray
    secure_reply_age_s: np.ndarray
    civil_reply_age_s: np.ndarray
    linked: np.ndarray
    pos_m: np.ndarray
    vel_mps: np.ndarray
    asset_pos_m: np.ndarray
    procedural: np.ndarray
    speed_low_mps: np.ndarray
    update_age_s: np.ndarray
    interrogated: np.ndarray


@runtime_checkable
class IdentificationRules(Protocol):
    """A set of identification rules: evidence on tracks in, identities and reasons out."""

    def identify(self, evidence: TrackEvidence) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(identity (n,) int8, reason (n,) int8)`` for the evidence's tracks.

        Must not modify ``evidence``; the same evidence gives the same answer.
        """
        ...


if TYPE_CHECKING:  # type-only, like the imports above
    from iadsim.sensors.detections import DetectionBatch
    from iadsim.sensors.radar_view import TargetView
    from iadsim.sensors.scan_pattern import AzimuthInterval


@dataclass(frozen=True)
class RadarPaths:
    """Geometry of the paths from one radar to ``n`` targets, what a signal effect reads.

    Attributes
    ----------
    radar_pos_ecef_m : (3,) float64
        Antenna position, ECEF, m.
    radar_alt_m : float
        Antenna height above the ellipsoid, m.
    frequency_hz : float
        Carrier frequency, Hz.
    reference_range_m : float
        Range of the catalog's detection statement, m. Losses on that reference path
        (horizontal ray at this range) are already inside the catalog's reference SNR.
    range_m : (n,) float64
        Slant range to each target, m.
    azimuth_rad : (n,) float64
        Azimuth of each target, clockwise from north, rad.
    elevation_rad : (n,) float64
        Elevation of each target above the antenna's local horizontal, rad.
    target_pos_ecef_m : (n, 3) float64
        Target positions, ECEF, m.
    obstacle_height_m, obstacle_d1_m, obstacle_d2_m : (n,) float64 or None
        The dominant terrain obstacle of each path
        (:func:`iadsim.geo.terrain_obstacle.dominant_obstacle`): its height above the straight
        effective-earth ray (m, negative where the ray clears it) and its ground distances
        from the radar and the target (m); None without terrain.
    target_vel_ecef_mps : (n, 3) float64 or None
        Target velocities, ECEF, m/s; None where not known (no Doppler effect then).
    radar : RadarTerms or None
        The radar's own constants that clutter and Doppler effects need.
    jammers : JammerEmitters or None
        The noise jammers radiating at this radar at the time of the look; None: none.
    """

    radar_pos_ecef_m: np.ndarray
    radar_alt_m: float
    frequency_hz: float
    reference_range_m: float
    range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    target_pos_ecef_m: np.ndarray
    obstacle_height_m: np.ndarray | None = None
    obstacle_d1_m: np.ndarray | None = None
    obstacle_d2_m: np.ndarray | None = None
    target_vel_ecef_mps: np.ndarray | None = None
    radar: RadarTerms | None = None
    jammers: JammerEmitters | None = None


@dataclass(frozen=True)
class JammerEmitters:
    """The ``m`` noise jammers radiating at one radar at one instant (:mod:`iadsim.ew`).

    Attributes
    ----------
    index : (m,) int64
        Each jammer's row in the scenario's ``jammers`` list.
    pos_ecef_m : (m, 3) float64
        Jammer positions, ECEF, m.
    erp_w : (m,) float64
        Effective radiated power towards this radar, W (main beam where the jammer aims at
        the radar, its sidelobes otherwise).
    bandwidth_hz : (m,) float64
        Noise bandwidth, Hz, centred on the radar's carrier (only jammers that can tune
        to it are listed).
    """

    index: np.ndarray
    pos_ecef_m: np.ndarray
    erp_w: np.ndarray
    bandwidth_hz: np.ndarray

    def __len__(self) -> int:
        return int(self.index.shape[0])


@dataclass(frozen=True)
class RadarTerms:
    """What clutter and Doppler signal effects read of a radar (from its catalog type).

    Attributes
    ----------
    reference_snr_db : float
        Single-pulse SNR of the reference target at the reference range, dB.
    reference_rcs_m2 : float
        RCS of the catalog's reference target, m^2.
    beamwidth_rad : float
        Half-power beamwidth (azimuth; taken for elevation too), rad.
    range_resolution_m : float
        Range resolution ``c tau / 2``, m.
    antenna_height_agl_m : float
        Antenna height above the ground under it, m.
    clutter_improvement_db : float
        MTI or pulse-Doppler clutter improvement factor ``I``, dB (0: none).
    doppler_notch_mps : float
        Half-width of the clutter notch in radial velocity at its -3 dB points, m/s
        (0: no notch).
    velocity_ecef_mps : (3,) float64
        Antenna velocity, ECEF, m/s.
    noise_figure_db : float
        Receiver noise figure, dB (noise jamming: ``N = k T0 B F``).
    sidelobe_level_db : float
        Mean antenna sidelobe level relative to the main-lobe gain, dB (negative).
    """

    reference_snr_db: float
    reference_rcs_m2: float
    beamwidth_rad: float
    range_resolution_m: float
    antenna_height_agl_m: float
    clutter_improvement_db: float
    doppler_notch_mps: float
    velocity_ecef_mps: np.ndarray
    noise_figure_db: float = 5.0
    sidelobe_level_db: float = -30.0


@runtime_checkable
class SignalEffect(Protocol):
    """Anything that changes a radar's SNR on a path: attenuation, clutter, jamming.

    Effects add in dB on top of the radar equation (Skolnik, *Introduction to Radar
    Systems*, 3rd ed., 2001, eq. 2.1: every loss is a factor, so a sum in dB); the sensor
    chain (:mod:`iadsim.sensors.chain`) applies them in the simulation and in coverage maps
    alike. An effect is built by its registered factory from the scenario's settings
    (``signal_effects: [{name: ..., setting: value}]``) and must be deterministic: any
    randomness belongs to the detection draw, not to the mean SNR.
    """

    def snr_change_db(self, paths: RadarPaths) -> np.ndarray:
        """SNR change on each path, relative to the catalog's reference statement.

        Parameters
        ----------
        paths : RadarPaths
            Geometry of ``n`` paths of one radar. Not modified.

        Returns
        -------
        (n,) float64
            Change of single-pulse SNR, dB, finite (negative: a loss).
        """
        ...


@runtime_checkable
class Sensor(Protocol):
    """A sensor: truth at one instant in, the detections of one look out."""

    def scan(
        self,
        targets: TargetView,
        time_s: float,
        rng: np.random.Generator,
        visible: np.ndarray | None = None,
        look: AzimuthInterval | None = None,
    ) -> DetectionBatch:
        """Detections (with their errors) and false alarms of one look.

        Parameters
        ----------
        targets : TargetView
            Truth of the ``n`` air entities (positions ECEF m, RCS m^2...). Not modified.
        time_s : float
            Time of the look, s.
        rng : numpy.random.Generator
            This sensor's own stream: the same stream state gives the same batch.
        visible : (n,) bool, optional
            Extra visibility mask (terrain line of sight).
        look : AzimuthInterval, optional
            Azimuths looked at (a rotating beam's sweep); default: the whole sector.
        """
        ...
