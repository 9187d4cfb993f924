"""The sensing stage: every radar's looks due in a step, from truth to detection batches.

A rotating radar looks every step at the azimuths its beam sweeps in that step; an
electronically scanned radar at the directions its search raster steps through in that step
(:mod:`iadsim.sensors.timeline`). An airborne radar moves
with its carrier and is silent while the carrier is on the ground or destroyed. The geometry
of all looks of the step is worked out in one pass over every radar-entity pair; the terrain
test and the signatures then run once for all pairs still visible (each pair's result does
not depend on the others), and the detection draws last, radar by radar, each from the
radar's own random stream.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from iadsim.core.contracts import JammerEmitters
from iadsim.core.rng import RandomStreams
from iadsim.ew.jammers import JammerSet
from iadsim.geo.obstacle_memo import ObstacleMemo
from iadsim.geo.terrain import ElevationGrid
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.motion.truth import TruthState
from iadsim.sensors._chain_kernels import CLEAR_AIR_LOSS
from iadsim.sensors.aspect import aspect_angles
from iadsim.sensors.chain import detection_probability
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.diffraction import SPEED_OF_LIGHT_MPS
from iadsim.sensors.look_detections import detect_visible
from iadsim.sensors.look_records import LookRecords
from iadsim.sensors.radar import Look, Radar
from iadsim.sensors.radar_view import _view
from iadsim.sensors.scan_pattern import FULL_CIRCLE_RAD, AzimuthInterval
from iadsim.sensors.signature import SignatureTable
from iadsim.sensors.step_chain import step_snr_db
from iadsim.sensors.strobes import Strobes, jammer_strobes
from iadsim.sensors.timeline import RasterLook
from iadsim.sensors.track_dwells import BeamLook, DwellRequest, SearchAndTrackLook


@dataclass
class _Looks:
    """The ``k`` looks of one step and what each radar can see of the ``n`` entities.

    Attributes
    ----------
    radars : list of k Radar
    azimuths : list of k Look
        Sweep of a rotating radar, or the share of a search raster's frame.
    visible : (k, n) bool
        Coverage, then cleared where terrain hides the entity.
    aer : (k, n, 3) float64
        Azimuth (rad), elevation (rad) and slant range (m) from each radar.
    constants : (k, 21) float64
        Each radar's ``_view_constants`` (its antenna position, ECEF m, first).
    frequency_hz : (k,) float64
        Each radar's carrier frequency, Hz.
    chain : tuple of ((k, N_CHAIN_CONSTANTS) float64, (k,) float64), optional
        Each radar's ``_chain_constants`` and ``reference_snr_db``, where every radar of
        the run has the default chain (the step's SNR then runs at once:
        :func:`~iadsim.sensors.step_chain.step_snr_db`).
    rcs_m2 : (k, n) float64, optional
        Mean RCS towards each radar of the entities it can see (0 elsewhere), m^2; filled
        for the look records only (:meth:`SensingStage._spread_for_records`).
    obstacle : (3, k, n) float64, optional
        Dominant terrain obstacle of each visible pair: height above the ray, d1, d2 (m;
        see :class:`~iadsim.geo.terrain_obstacle.DominantObstacle`); filled for the look
        records only, where a pair is visible.
    """

    radars: list[Radar]
    azimuths: list[Look]
    visible: np.ndarray
    aer: np.ndarray
    constants: np.ndarray
    frequency_hz: np.ndarray
    chain: tuple[np.ndarray, np.ndarray] | None = None
    rcs_m2: np.ndarray | None = None
    obstacle: np.ndarray | None = None


@dataclass(frozen=True)
class _Pairs:
    """The ``p`` radar-entity pairs in view of a step's looks, look by look (the order of
    ``_Looks.visible.nonzero()``), with what the detections read of them; each look
    takes its slice.

    Attributes
    ----------
    look_of, entity : (p,) int64
        Row of the look and index of the entity of each pair.
    stops : list of k int
        End of each look's slice (a look sees nothing where it equals the previous one).
    stop_rows : (k,) int64
        The same ends as an array.
    aer : (p, 3) float64
        Azimuth (rad), elevation (rad) and slant range (m) of each pair.
    pos_ecef_m, vel_ecef_mps : (p, 3) float64
        The entity's position (m) and velocity (m/s), ECEF.
    swerling : (p,) int64
        The entity's fluctuation case.
    obstacle : (3, p) float64
        Dominant terrain obstacle of each pair: height above the ray, d1, d2 (m).
    rcs_m2 : (p,) float64
        Mean RCS of the entity towards the look's radar, m^2.
    """

    look_of: np.ndarray
    entity: np.ndarray
    stops: list[int]
    stop_rows: np.ndarray
    aer: np.ndarray
    pos_ecef_m: np.ndarray
    vel_ecef_mps: np.ndarray
    swerling: np.ndarray
    obstacle: np.ndarray
    rcs_m2: np.ndarray


def _no_pairs(n_radars: int) -> _Pairs:
    """The :class:`_Pairs` of a step with no pair in view, for up to ``n_radars`` looks."""
    none = np.zeros(0, dtype=np.int64)
    rows = np.zeros((0, 3))
    stops = np.zeros(n_radars, dtype=np.int64)
    return _Pairs(
        none, none, [0] * n_radars, stops, rows, rows, rows, none, np.zeros((3, 0)), rows[:, 0]
    )


class SensingStage:
    """The radars of a run, their scan schedules, and what they see of the truth.

    Parameters
    ----------
    radars : list of Radar
        Indexed by ``Radar.index``; airborne radars are replaced as their carriers move.
    radar_carrier : (n_radars,) int64
        Air entity carrying each radar, -1 for a ground radar.
    swerling : (n_entities,) int64
        Fluctuation case of each air entity.
    signatures : SignatureTable
        With each platform's ``rcs_scale`` applied.
    signature_index : (n_entities,) int64
        Row of each entity in ``signatures``.
    terrain : ElevationGrid
    streams : RandomStreams
        ``radar-phase`` sets the scan phases; ``radar:<name>`` draws each radar's looks.
    look_records : LookRecords, optional
        Filled with one record per look and entity in coverage when given (it changes
        nothing else: the records read what the looks computed).
    jammers : JammerSet, optional
        The run's noise jammers (:mod:`iadsim.ew`): each look's paths carry those
        radiating at its radar, for the ``noise_jamming`` signal effect.
    """

    def __init__(
        self,
        radars: list[Radar],
        radar_carrier: np.ndarray,
        swerling: np.ndarray,
        signatures: SignatureTable,
        signature_index: np.ndarray,
        terrain: ElevationGrid,
        streams: RandomStreams,
        look_records: LookRecords | None = None,
        jammers: JammerSet | None = None,
    ) -> None:
        self.radars = radars
        self.radar_carrier = radar_carrier
        self.swerling = swerling
        self.signatures = signatures
        self.signature_index = signature_index
        self.terrain = terrain
        self.streams = streams
        self.look_records = look_records
        self.jammers = jammers if jammers is not None and len(jammers) else None
        self.strobes: list[Strobes] = []
        """Jammer strobes of the latest :meth:`look` (:mod:`iadsim.sensors.strobes`)."""
        phase = streams.get("radar-phase")
        # A rotating beam passes north, and a search raster starts its frame, at a random
        # time within the first revisit, then once per revisit.
        revisit_s = [r.revisit_s for r in radars]
        self.frame_start_s = phase.uniform(0.0, revisit_s)
        self.raster_phase = np.mod(-self.frame_start_s / revisit_s, 1.0)
        # The same numbers as Python floats, for the scalar arithmetic of every step.
        self._revisit_s = revisit_s
        self._north_s = self.frame_start_s.tolist()
        self._raster_phase = self.raster_phase.tolist()
        # Each radar's stream by index (a stream depends only on its name, not on when it
        # is first asked for; a moved airborne radar keeps its name).
        self._radar_streams = [streams.get(f"radar:{r.name}") for r in radars]
        self._carrier = [int(c) for c in radar_carrier]
        # Every radar's coverage constants, stacked once (radar_view._view); an airborne
        # radar's row follows its carrier.
        self._view_table = np.array([radar._view_constants for radar in radars])
        self._frequency_hz = np.array([radar.spec.frequency_hz for radar in radars])
        # The terrain step's per-radar columns, built once (an airborne radar's site row
        # follows its carrier, in _move): site (n_radars, 3) lat (rad), lon (rad), alt (m),
        # and wavelength (n_radars,) m.
        self._site_lla = np.array([(r.lat_rad, r.lon_rad, r.alt_m) for r in radars])
        self._wavelength_m = SPEED_OF_LIGHT_MPS / self._frequency_hz
        self._k_factors = [radar.k_factor for radar in radars]
        self._one_k_factor = len(set(self._k_factors)) == 1
        # The obstacles of the paths seen so far, by their exact inputs (a raid flying one
        # route passes the same points again: geo.obstacle_memo).
        self._obstacles = ObstacleMemo()
        # Each radar's look of the step as the view kernel's row (radar_view._look_rows):
        # a rotating beam's sweep, written every step; zeros (no restriction) for a raster.
        self._look_table = np.zeros((len(radars), 3))
        # Row r + 1 for each look row r: where each look's pairs end (_pairs).
        self._row_ends = np.arange(1, len(radars) + 1)
        self._no_pairs = _no_pairs(len(radars))
        """The pairs of a step in which no look sees an entity."""
        self._no_beams: dict[int, BeamLook] = {}
        """Each multifunction radar's BeamLook of a step without dwells, by index."""
        self._chain_table: tuple[np.ndarray, np.ndarray] | None = None
        """Every radar's ``_chain_constants`` and ``reference_snr_db`` (an airborne radar's
        row follows its carrier), where all radars have the default chain."""
        # The step's Pd at once too (chain.detection_probability reads only the radar's
        # Pfa) where the radars share one Pfa and every Swerling case is 1 or 3, whose Pd
        # is element by element (pd_one_look).
        self._step_pd = len({radar.spec.reference_pfa for radar in radars}) == 1 and set(
            swerling.tolist()
        ) <= {1, 3}
        if radars and all(radar.default_chain for radar in radars):
            self._chain_table = (
                np.array([radar._chain_constants for radar in radars]),
                np.array([radar.reference_snr_db for radar in radars]),
            )

    def look(
        self,
        t: float,
        dt_s: float,
        truth: TruthState,
        dwells: Mapping[int, DwellRequest] | None = None,
        radiating: np.ndarray | None = None,
    ) -> dict[int, DetectionBatch]:
        """Detection batches of the looks due in ``[t, t + dt_s)``, by radar index.

        ``dwells`` holds the track dwells the posts ask of their multifunction radars this
        step, by radar index (:class:`~iadsim.sensors.track_dwells.DwellRequest`).
        ``radiating`` (n_radars,) bool: radars silent by emission control
        (:mod:`iadsim.sensors.emission`) make no looks; their scan clocks run on. None: all
        radiate.
        """
        self.strobes = []
        looks = self._geometry(t, dt_s, truth, dwells or {}, radiating)
        if looks is None:
            return {}
        covered = None
        pairs = self._pairs(looks, truth)
        if self.look_records is not None:
            covered = looks.visible.copy()
            self._spread_for_records(looks, pairs)
        snr_db: np.ndarray | None = None
        flags: list[int] = []
        step_pd: tuple[np.ndarray, np.ndarray] | None = None
        if looks.chain is not None and pairs.entity.size:  # the step's SNR at once
            snr_db, flags = step_snr_db(
                looks.radars,
                pairs.stop_rows,
                pairs.aer,
                pairs.rcs_m2,
                pairs.pos_ecef_m,
                pairs.vel_ecef_mps,
                pairs.obstacle,
                looks.constants,
                *looks.chain,
            )
            if self._step_pd:  # the linear SNR and Pd of the step's pairs
                ratio = np.power(10.0, snr_db / 10.0)
                step_pd = (
                    ratio,
                    detection_probability(looks.radars[0], snr_db, pairs.swerling, ratio),
                )
        start = 0
        scans = {}
        for row, radar in enumerate(looks.radars):
            jammers = None if self.jammers is None else self._jammers_at(radar, truth)
            observe = None
            if covered is not None:
                observe = self._recorder(t, looks, row, covered[row], truth)
            stream = self._radar_streams[radar.index]
            look = looks.azimuths[row]
            stop = pairs.stops[row]
            if stop == start:  # Radar.detect's own first step: false alarms only
                scans[radar.index] = radar._false_alarms(t, stream, look, look)
            elif snr_db is not None and not flags[row] & CLEAR_AIR_LOSS:  # SNR computed
                scans[radar.index] = detect_visible(
                    radar,
                    pairs.entity[start:stop],
                    pairs.aer[start:stop],
                    pairs.pos_ecef_m[start:stop],
                    pairs.vel_ecef_mps[start:stop],
                    None,
                    jammers,
                    pairs.rcs_m2[start:stop],
                    pairs.swerling[start:stop],
                    t,
                    stream,
                    look,
                    observe,
                    snr_db[start:stop],
                    None if step_pd is None else (step_pd[0][start:stop], step_pd[1][start:stop]),
                )
            else:  # the look's slice of the step's pairs
                scans[radar.index] = detect_visible(
                    radar,
                    pairs.entity[start:stop],
                    pairs.aer[start:stop],
                    pairs.pos_ecef_m[start:stop],
                    pairs.vel_ecef_mps[start:stop],
                    DominantObstacle(*pairs.obstacle[:, start:stop]),
                    jammers,
                    pairs.rcs_m2[start:stop],
                    pairs.swerling[start:stop],
                    t,
                    stream,
                    look,
                    observe,
                )
            start = stop
            if jammers is not None and len(jammers):
                self._strobe(radar, jammers, looks, row, t)
        return scans

    def _pairs(self, looks: _Looks, truth: TruthState) -> _Pairs:
        """The radar-entity pairs in view of the step's looks, look by look, with what the
        detections read of them; terrain and signatures only for these pairs (each pair's
        result does not depend on the others)."""
        look_of, entity = looks.visible.nonzero()
        if not entity.size:  # the usual step of a small run: every look false alarms only
            return self._no_pairs
        pos_ecef_m = truth.pos_ecef_m.take(entity, 0)
        vel_ecef_mps = truth.vel_ecef_mps.take(entity, 0)
        obstacle = self._terrain_obstacles(looks, truth, look_of, entity)
        rcs_m2 = self._signatures(looks, look_of, entity, pos_ecef_m, vel_ecef_mps)
        stops = look_of.searchsorted(self._row_ends[: len(looks.radars)])
        return _Pairs(
            look_of,
            entity,
            stops.tolist(),
            stops,
            looks.aer[look_of, entity],
            pos_ecef_m,
            vel_ecef_mps,
            self.swerling.take(entity),
            obstacle,
            rcs_m2,
        )

    @staticmethod
    def _spread_for_records(looks: _Looks, pairs: _Pairs) -> None:
        """The pairs' RCS and obstacles spread into ``looks.rcs_m2`` and ``looks.obstacle``
        ``(k, n)``, as the look records read them (no obstacle where no pair is in view)."""
        look_of, entity = pairs.look_of, pairs.entity
        looks.rcs_m2 = np.zeros(looks.visible.shape)
        looks.rcs_m2[look_of, entity] = pairs.rcs_m2
        if entity.size:
            obstacle = np.zeros((3, *looks.visible.shape))
            obstacle[0] = -np.inf
            obstacle[1:] = 1.0
            obstacle[:, look_of, entity] = pairs.obstacle
            looks.obstacle = obstacle

    def _strobe(
        self, radar: Radar, jammers: JammerEmitters, looks: _Looks, row: int, t: float
    ) -> None:
        """Record the strobes of look ``row`` at the jammers it covers."""
        assert self.jammers is not None
        carrier = self.jammers.carrier[jammers.index]
        strobes = jammer_strobes(
            radar,
            jammers,
            looks.aer[row, carrier, 0],
            looks.visible[row, carrier],
            t,
            self.streams.get(f"strobes:{radar.name}"),
        )
        if len(strobes):
            self.strobes.append(strobes)

    def _jammers_at(self, radar: Radar, truth: TruthState) -> JammerEmitters | None:
        """The jammers radiating at ``radar`` now; None in a run without jammers."""
        if self.jammers is None:
            return None
        return self.jammers.toward(
            radar.name, radar.spec.frequency_hz, truth.pos_ecef_m, truth.present
        )

    def _recorder(
        self, t: float, looks: _Looks, row: int, covered: np.ndarray, truth: TruthState
    ) -> Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None:
        """The ``observe`` callback that records look ``row`` at the entities it covered;
        None (recording the masked ones now) when it sees none of them."""
        records = self.look_records
        assert records is not None
        radar = looks.radars[row]
        entity = np.flatnonzero(covered)
        if entity.size == 0:
            return None
        visible = looks.visible[row, entity]
        az, el = aspect_angles(
            truth.pos_ecef_m[entity], truth.vel_ecef_mps[entity], radar.pos_ecef_m
        )
        nan = np.full(entity.size, np.nan)
        assert looks.rcs_m2 is not None  # spread for the records
        rcs = np.where(visible, looks.rcs_m2[row, entity], np.nan)

        def record(snr_db: np.ndarray, pd: np.ndarray, hit: np.ndarray) -> None:
            snr, probability, detected = nan.copy(), np.zeros(entity.size), np.zeros_like(visible)
            snr[visible], probability[visible], detected[visible] = snr_db, pd, hit
            ranges = looks.aer[row, entity, 2]
            blocked = ~visible
            if looks.obstacle is not None:  # the straight ray is below the terrain
                blocked |= looks.obstacle[0, row, entity] > 0.0
            records.add(
                t, radar.index, entity, ranges, az, el, rcs, snr, probability, detected, blocked
            )

        if not visible.any():
            record(nan[:0], nan[:0], np.zeros(0, dtype=bool))
            return None
        return record

    def _geometry(
        self,
        t: float,
        dt_s: float,
        truth: TruthState,
        dwells: Mapping[int, DwellRequest],
        radiating: np.ndarray | None = None,
    ) -> _Looks | None:
        """The looks due now, each radar at its place, and their coverage in one pass;
        None when no radar looks."""
        radars: list[Radar] = []
        sweeps: list[Look] = []
        rows = self._look_table
        rasters: list[tuple[int, RasterLook | SearchAndTrackLook]] = []
        for index in range(len(self.radars)):
            radar = self.radars[index]
            look = self._swept(radar, t, dt_s, dwells)
            if radiating is not None and not radiating[index]:
                continue  # silent (emission control) or destroyed
            carrier = self._carrier[index]
            if carrier >= 0:
                if not truth.present[carrier]:
                    continue  # on the ground, or shot down
                radar = self._move(radar, truth.lla[carrier], truth.vel_ecef_mps[carrier])
            if type(look) is AzimuthInterval:  # the row of radar_view._look_rows
                extent = look.extent_rad
                rows[index] = (look.start_rad, extent, 0.0 if extent >= FULL_CIRCLE_RAD else 1.0)
            else:
                rasters.append((len(radars), look))  # type: ignore[arg-type]
            radars.append(radar)
            sweeps.append(look)
        if not radars:
            return None
        constants, frequency_hz = self._view_table, self._frequency_hz
        chain = self._chain_table
        if len(radars) < len(self.radars):
            looking = [radar.index for radar in radars]
            constants, frequency_hz = constants[looking], frequency_hz[looking]
            rows = rows[looking]
            if chain is not None:
                chain = (chain[0][looking], chain[1][looking])
        # radar_view.coverage's steps, reading the truth without a TargetView
        visible, aer = _view(
            radars,
            sweeps,
            truth.pos_ecef_m,
            truth.present,
            truth.lla[:, 2],
            constants,
            (rows, rasters),
        )
        return _Looks(radars, sweeps, visible, aer, constants, frequency_hz, chain)

    def _swept(
        self, radar: Radar, t: float, dt_s: float, dwells: Mapping[int, DwellRequest]
    ) -> Look:
        """What the radar's beams cover during ``[t, t + dt_s)``: the azimuths a rotating
        beam sweeps, or the share of its frame a search raster steps through in the time
        its track dwells (``dwells``, by radar index; only a raster's are read) leave it,
        with those dwells."""
        index = radar.index
        raster = radar.search_raster
        if raster is None:
            return AzimuthInterval.swept(t, dt_s, self._revisit_s[index], self._north_s[index])
        request = dwells.get(index)
        share = 0.0 if request is None else request.time_share
        extent = dt_s * (1.0 - share) / raster.frame_s
        phase = self._raster_phase[index]
        search = RasterLook(raster, phase, extent)
        self._raster_phase[index] = self.raster_phase[index] = (phase + extent) % 1.0
        if request is None:
            return search
        return SearchAndTrackLook(search, self._beams(radar, request))

    def _beams(self, radar: Radar, request: DwellRequest) -> BeamLook:
        """The request's beams from ``radar``; a request with no dwell due (most steps)
        gets the radar's one empty BeamLook, built on first use (its beamwidth and dwell
        gain depend only on the catalog type, not on where the radar is), which the
        beams of the other steps take them from."""
        idle = self._no_beams.get(radar.index)
        if idle is None:
            idle = self._no_beams[radar.index] = BeamLook.idle(radar.spec)
        pointing = request.pointing_ecef_m
        return idle.toward(radar, pointing) if len(pointing) else idle

    def _move(self, radar: Radar, lla: np.ndarray, vel_ecef_mps: np.ndarray) -> Radar:
        """An airborne radar at its carrier's position (the antenna height above it) and
        with its carrier's velocity; its height above the terrain under it for clutter."""
        lat_rad, lon_rad = float(lla[0]), float(lla[1])
        antenna_m = float(lla[2]) + radar.spec.antenna_height_m
        ground_m = self.terrain.surface_height_at(lat_rad, lon_rad)
        moved = radar.moved(lat_rad, lon_rad, antenna_m, vel_ecef_mps, antenna_m - ground_m)
        self.radars[radar.index] = moved
        self._view_table[radar.index] = moved._view_constants
        if self._chain_table is not None:  # only the antenna's height above the ground moves
            self._chain_table[0][radar.index] = moved._chain_constants
        self._site_lla[radar.index] = (lat_rad, lon_rad, antenna_m)  # moved's lat, lon, alt
        return moved

    def _terrain_obstacles(
        self, looks: _Looks, truth: TruthState, look_of: np.ndarray, entity: np.ndarray
    ) -> np.ndarray:
        """The dominant terrain obstacle of the visible radar-entity pairs of the step
        (``look_of``, ``entity``: ``looks.visible.nonzero()``, not empty), ``(3, p)``
        height above the ray, d1, d2 (m), for the diffraction loss of the sensor chain
        (:mod:`iadsim.sensors.diffraction`): one batch per k-factor."""
        radars = looks.radars
        # each pair's radar index (a look's row is its radar's index when all look)
        radar_of = look_of
        if len(radars) < len(self.radars):
            radar_of = np.array([radar.index for radar in radars])[look_of]
        pairs = np.empty((6, entity.size))  # the kernel's columns: site, then target
        pairs[:3] = self._site_lla.T[:, radar_of]
        pairs[3:] = truth.lla[entity].T
        wavelength_m = self._wavelength_m[radar_of]
        if self._one_k_factor:  # the usual run: every pair in one batch
            k_factor = float(self._k_factors[0])
            return self._obstacles.columns(pairs, self.terrain, k_factor, wavelength_m)
        k_factors = [radar.k_factor for radar in radars]
        found = np.empty((3, entity.size))
        of_pair = np.array(k_factors)[look_of]
        for k_factor in set(k_factors):
            batch = of_pair == k_factor
            found[:, batch] = self._obstacles.columns(
                pairs[:, batch], self.terrain, float(k_factor), wavelength_m[batch]
            )
        return found

    def _signatures(
        self,
        looks: _Looks,
        look_of: np.ndarray,
        entity: np.ndarray,
        pos_ecef_m: np.ndarray,
        vel_ecef_mps: np.ndarray,
    ) -> np.ndarray:
        """Mean RCS towards each look's radar of the entities it can see (``look_of``,
        ``entity``: ``looks.visible.nonzero()``, not empty; ``pos_ecef_m``,
        ``vel_ecef_mps`` ``(p, 3)``: theirs), ``(p,)`` m^2: one signature lookup for all
        radar-entity pairs of the step."""
        radar_pos = looks.constants[look_of, :3]  # each radar's pos_ecef_m
        frequency = looks.frequency_hz[look_of]
        az, el = aspect_angles(pos_ecef_m, vel_ecef_mps, radar_pos)
        return self.signatures.rcs_m2(self.signature_index[entity], az, el, frequency)
