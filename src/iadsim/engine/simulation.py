"""The simulation kernel: one clock, named random streams, an event heap, and the stages.

Each fixed step runs the stages of DESIGN.md in order::

    motion -> sensing -> tracking -> IFF -> data links -> picture and decision -> weapons -> record

Each stage lives with its domain (:mod:`iadsim.sensors.sensing`, the posts' pictures,
data links and identification in :mod:`iadsim.c2.picture`, :mod:`iadsim.c2.fire_control`,
:mod:`iadsim.weapons.engagement`); this module only keeps time and passes state between
them. Launches and kill assessments are timed events on a heap, and so are data-link track
reports (on a heap of their own, delivered before the posts decide). Recording only reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from iadsim.c2.engagement import Envelopes
from iadsim.c2.fire_control import EngageOrder, FireControl
from iadsim.c2.hold_fire import Hold, HoldLog, HoldReason
from iadsim.c2.picture.datalink import make_report
from iadsim.c2.picture.identification import Identity, IdentityReason
from iadsim.c2.picture.interrogation import InterrogationStage
from iadsim.c2.picture.stage import update_identities
from iadsim.catalog import Catalog
from iadsim.core.kinematics import vector_norm
from iadsim.core.rng import RandomStreams
from iadsim.engine.accounting import PostAccounting
from iadsim.engine.data import SimulationData, scenario_data
from iadsim.engine.events import EventHeap
from iadsim.engine.record import Recorder
from iadsim.engine.sead import SeadStage
from iadsim.engine.world import (
    TRACKER_CONFIG,
    FireUnitState,
    build_air_entities,
    build_fire_units,
    build_flight_plans,
    build_jammers,
    build_launchers,
    build_radars,
    build_transponders,
    carriers,
)
from iadsim.ew.bearing_fixes import FIX_INTERVAL_S, JammerFix, JammerLocator
from iadsim.geo.frames import ecef_to_lla, enu_rotation, lla_to_ecef
from iadsim.motion.playback import RoutePlayback
from iadsim.motion.truth import TruthState
from iadsim.scenario.schema import Scenario
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.look_records import LookRecords, ieee_band
from iadsim.sensors.sensing import SensingStage
from iadsim.sensors.signature import signature_table
from iadsim.sensors.track_dwells import DwellRequest, TrackDwellSchedule
from iadsim.weapons.engagement import Launch, WeaponsStage
from iadsim.weapons.envelope import envelope_for
from iadsim.weapons.fleet import InterceptorFleet, TargetProperties
from iadsim.weapons.flyout import Airframe

__all__ = ["Simulation"]

_IDENTITY_NAMES = {int(identity): identity.name.lower() for identity in Identity}
"""The recorded string of each identity value."""
_IDENTITY_REASON_NAMES = {int(reason): reason.name.lower() for reason in IdentityReason}
_HOLD_REASON_NAMES = {int(reason): reason.name.lower() for reason in HoldReason}
"""The recorded strings of the identity and hold-fire reasons (a lookup: an enum member's
``name`` is a Python-level property)."""
_NO_TRACK_IDS = np.zeros(0, dtype=np.int64)
_NO_POINTS_ECEF_M = np.zeros((0, 3))
_NO_RANGES_M = np.zeros(0)
"""A post's track dwell request when it holds no confirmed track (read only: the schedule
copies what it keeps)."""
for _empty in (_NO_TRACK_IDS, _NO_POINTS_ECEF_M, _NO_RANGES_M):
    _empty.flags.writeable = False


class Simulation:
    """A single run of a scenario, built from in-memory objects only.

    Parameters
    ----------
    scenario : Scenario
    catalog : Catalog
        With the scenario's overrides applied.
    seed : int, optional
        Overrides ``scenario.seed``.
    data : SimulationData, optional
        Terrain and borders; default: the bundled ones with the terrain of the scenario's
        region (:func:`iadsim.engine.data.scenario_data`, built once per process and region).
    record_looks : bool
        Keep a record of every radar look at every entity in its coverage
        (``self.look_records``, :mod:`iadsim.sensors.look_records`); it changes no outcome.
    record_interceptors : bool
        Record every interceptor's position at the end of each step while it flies
        (``Recorder.interceptors``, ``interceptors.parquet``); it changes no outcome.
    record_tracks : bool
        Record the truth and every post's fused picture each ``record_interval_s``
        (``tracks.parquet``); without them a run keeps only its events (a study that
        measures events alone), with the same outcomes.
    """

    def __init__(
        self,
        scenario: Scenario,
        catalog: Catalog,
        seed: int | None = None,
        data: SimulationData | None = None,
        record_looks: bool = False,
        record_interceptors: bool = True,
        record_tracks: bool = True,
    ):
        data = data if data is not None else scenario_data(scenario)
        self.record_interceptors = record_interceptors
        self.scenario = scenario
        self.catalog = catalog
        self.seed = scenario.seed if seed is None else int(seed)
        self.streams = RandomStreams(self.seed)
        self.terrain = data.terrain
        self.terrain_report = data.terrain_report
        self.entities = build_air_entities(scenario, catalog, self.terrain)
        self.motion = RoutePlayback(
            self.entities.routes, self.entities.terrain_following, self.terrain
        )
        self.radars, feeds = build_radars(scenario, catalog)
        self.units = build_fire_units(
            scenario, catalog, self.radars, feeds, data.borders, self.terrain
        )
        radar_carrier = carriers(self.entities, self.units, len(self.radars))
        self.jammers = build_jammers(scenario, catalog, self.entities)
        signatures = signature_table(catalog)
        self.look_records = (
            LookRecords(
                [radar.name for radar in self.radars],
                [ieee_band(radar.spec.frequency_hz) for radar in self.radars],
                self.entities.name,
                self.entities.labels_of("platform"),
            )
            if record_looks
            else None
        )
        self.sensing = SensingStage(
            self.radars,
            radar_carrier,
            self.entities.swerling,
            signatures,
            signatures.indices(self.entities.labels_of("platform")),
            self.terrain,
            self.streams,
            self.look_records,
            self.jammers,
        )
        self.locator = self._jammer_locator(radar_carrier) if len(self.jammers) else None
        self.dwell_schedules = {
            unit.fire_control_radar: TrackDwellSchedule(self.radars[unit.fire_control_radar].spec)
            for unit in self.units
            if unit.fire_control_radar >= 0
            and self.radars[unit.fire_control_radar].spec.track_update_s is not None
        }
        self.interrogation = InterrogationStage(
            self.units,
            build_transponders(scenario, catalog, self.entities, self.streams.get("transponders")),
            self.terrain,
            self.streams,
            TRACKER_CONFIG.process_noise_mps2,
        )
        self.identification = scenario.identification.build()
        self.flight_plans = build_flight_plans(self.entities, scenario.time_step_s)
        self.launchers = build_launchers(scenario, catalog)
        types = [catalog.interceptors[key] for key in self.launchers.interceptor_types]
        flown = [
            Airframe.from_entry(catalog.airframes[key]) for key in self.launchers.interceptor_types
        ]
        self.envelopes = Envelopes.from_catalog(types, [envelope_for(a) for a in flown])
        for unit in self.units:
            unit.initial_rounds = self.launchers.available(unit.index)
        self.assets_ecef_m = lla_to_ecef(
            np.radians([a.position.lat_deg for a in scenario.defended_assets]),
            np.radians([a.position.lon_deg for a in scenario.defended_assets]),
            np.array([a.position.alt_m for a in scenario.defended_assets], dtype=float),
        ).reshape(-1, 3)
        asset_values = np.array([a.value for a in scenario.defended_assets], dtype=float)
        self.fire_control = FireControl(
            self.launchers, self.envelopes, self.assets_ecef_m, asset_values, self.terrain
        )
        n = len(self.entities)
        self.alive = np.ones(n, dtype=bool)
        self.finished = np.zeros(n, dtype=bool)
        self.next_route_end_s = np.fmin.reduce(self.entities.routes.end_s, initial=np.inf)
        self.hostile_to_defence = np.array(
            [
                any(side in u.hostile_sides for u in self.units)
                for side in self.entities.labels_of("side")
            ]
        )
        self.first_detection_s = np.full(n, np.inf)
        self._entity_sides = self.entities.labels_of("side", np.arange(n))
        """Each entity's side label (fixed for the run; read by every snapshot)."""
        self.heap = EventHeap()
        self.recorder = Recorder()
        self.accounting = PostAccounting(self.units, self.radars, self.entities, self.recorder)
        self.hold_log = HoldLog()
        self.sead = SeadStage(
            scenario, catalog, self.radars, self.units, self.entities, self.recorder
        )
        self.truth: TruthState | None = None
        """Truth at the last step (scoring only)."""
        # Every round it can ever fire (loads and spares): the fleet never reuses a slot, so
        # the slot is each interceptor's unique id, and it never has to grow.
        capacity = int(self.launchers.rounds.sum() + self.launchers.spares.sum())
        self.weapons = WeaponsStage(
            self.units,
            self.launchers,
            self.envelopes,
            InterceptorFleet(
                capacity,
                flown,
                types,
                TargetProperties.of_platforms(
                    self.entities.labels_of("platform"), catalog.air_platforms
                ),
                self.terrain,
            ),
            self.entities.name,
            self.alive,
            self.heap,
            self.recorder,
            self.streams.get("kill-assessment"),
            self.streams.get("seeker"),
            self.streams.get("kill-assessment-report"),
        )
        self.next_decision_s = [0.0] * len(self.units)
        """When each post decides next, s (Python floats: read at every step)."""
        self._armed_units = frozenset(self.launchers.unit.tolist())
        """Units with launchers (fixed for the run)."""
        # One reporting slot per (post, link); each post reports at its own phase.
        self.link_slots = [(u.index, link) for u in self.units for link in sorted(u.datalinks)]
        self.link_settings = {link: scenario.datalink(link) for _, link in self.link_slots}
        """Each link's settings (a link a scenario does not declare has the defaults: a
        model built once here, not at each report)."""
        intervals = [self.link_settings[link].update_interval_s for _, link in self.link_slots]
        self.next_report_s: list[float] = []
        """When each (post, link) slot reports next, s (Python floats, as above)."""
        if intervals:
            phase = self.streams.get("datalink-phase").uniform(0.0, intervals)
            self.next_report_s = phase.tolist()
        self.link_heap = EventHeap()
        self.next_record_s = 0.0 if record_tracks else math.inf
        self.time_s = 0.0
        self.end_s = scenario.duration_s
        """When the run ends: the scenario's end, or the step ``until`` stopped it at."""

    @property
    def fleet(self) -> InterceptorFleet:
        """The interceptors launched so far."""
        return self.weapons.fleet

    # -- the loop -----------------------------------------------------------------------
    def run(
        self,
        on_step: Callable[[float], None] | None = None,
        until: Callable[[Simulation], bool] | None = None,
    ) -> Recorder:
        """Run to the end of the scenario; ``on_step(time_s)`` is called after every step.

        ``until(simulation)``, if given, is asked after every step and ends the run early
        when it returns True (a study whose measures are already decided,
        :func:`iadsim.studies.replicate.sightings_decided`); the run then ends at that step
        as it would at the scenario's end.
        """
        dt = self.scenario.time_step_s
        steps = round(self.scenario.duration_s / dt)
        for _ in range(steps):
            self.step(dt)
            if on_step is not None:
                on_step(self.time_s)
            if until is not None and until(self):
                self.end_s = self.time_s
                break
        if self.truth is not None:
            self.accounting.end(self.time_s, self.truth, self.alive, self.finished)
        return self.recorder

    def step(self, dt_s: float) -> None:
        """Advance one fixed step through the stages."""
        t = self.time_s
        truth = self.truth = self._motion(t, dt_s)
        radiating = None
        if self.sead.active:
            active = [self._post_active(unit, truth) for unit in self.units]
            radiating = self.sead.radiate(t, np.array(active, dtype=bool))
        scans = self.sensing.look(t, dt_s, truth, self._track_dwells(t), radiating)
        if self.locator is not None:  # a run with jammers
            self._jammer_strobes(self.locator, t, truth)
        self.sead.looked(t, scans, truth)
        self.sead.listen(t, truth)
        self._note_first_detections(scans, truth)
        self._tracking(t, scans, truth)
        self.interrogation.step(t, truth)
        self._datalinks(t, truth)
        self._decisions(t, truth)
        self.weapons.step(t, dt_s, truth)
        if self.record_interceptors:
            self._record_interceptors(t + dt_s)
        if t >= self.next_record_s:
            self.next_record_s += self.scenario.record_interval_s
            self._record(t, truth)
        self.time_s = t + dt_s

    # -- stages ---------------------------------------------------------------------------
    def _motion(self, t: float, dt_s: float) -> TruthState:
        pos, vel, lla, flying = self.motion.state(t, dt_s)
        if t >= self.next_route_end_s:  # most steps end no route: nothing to look at
            self._end_routes(t, lla)
        return TruthState(pos, vel, lla, flying & self.alive)

    def _end_routes(self, t: float, lla: np.ndarray) -> None:
        """Finish the routes ended by ``t`` (leaks, route ends); note the next end due."""
        end_s, name = self.entities.routes.end_s, self.entities.name
        for i in ((t >= end_s) & self.alive & ~self.finished).nonzero()[0]:
            self.finished[i] = True
            kind = "leak" if self.hostile_to_defence[i] else "route_end"
            platform = self.entities.label("platform", i)
            self.recorder.event(end_s[i], kind, truth=name[i], lla=tuple(lla[i]), platform=platform)
            self.sead.arrived(int(i), float(end_s[i]), tuple(lla[i]))
        self.next_route_end_s = np.fmin.reduce(end_s[self.alive & ~self.finished], initial=np.inf)

    def _track_dwells(self, t: float) -> dict[int, DwellRequest]:
        """The track dwells each post asks of its multifunction radar now: at the predicted
        positions of its confirmed tracks in that radar's view."""
        requests = {}
        for unit in self.units:
            schedule = self.dwell_schedules.get(unit.fire_control_radar)
            if schedule is None:
                continue
            radar = self.sensing.radars[unit.fire_control_radar]
            picture = unit.picture
            slots = picture.confirmed_slots()
            if slots.size == 0:  # no track to dwell on; the schedule still forgets its dues
                requests[radar.index] = schedule.request(
                    t, _NO_TRACK_IDS, _NO_POINTS_ECEF_M, _NO_RANGES_M
                )
                continue
            pointing = picture.predicted_positions_ecef_m(slots, t)
            seen = radar.in_view(pointing)
            slots, pointing = slots[seen], pointing[seen]
            range_m = vector_norm(pointing - radar.pos_ecef_m)
            track_ids = picture.table.ids[slots]
            requests[radar.index] = schedule.request(t, track_ids, pointing, range_m)
        return requests

    def _post_active(self, unit: FireUnitState, truth: TruthState) -> bool:
        """A ground post always; an airborne one while its carrier flies."""
        return unit.carrier < 0 or bool(truth.present[unit.carrier])

    def _tracking(self, t: float, scans: dict[int, DetectionBatch], truth: TruthState) -> None:
        """Each post's tracker takes the looks of its own radars, radar by radar; then the
        post deletes its stale and implausible tracks, looked at or not."""
        for unit in self.units:
            picture, looked = unit.picture, self.accounting.looked_at[unit.index]
            fire_control = picture.fire_control_radars
            for radar_index in unit.radars:
                if radar_index in scans:
                    radar = self.radars[radar_index]
                    picture.ingest(radar, scans[radar_index], t)
                    # ingested's own test of what is due, inline: most looks leave nothing.
                    changes = picture.changes
                    if looked[0] != changes or (
                        looked[1] != changes and radar_index in fire_control
                    ):
                        self.accounting.ingested(unit, radar, t, truth)
            picture.prune(t)

    def _datalinks(self, t: float, truth: TruthState) -> None:
        """Send the reports due now; deliver those that have arrived (``arrival <= t``)."""
        for k, (index, link) in enumerate(self.link_slots):
            if t < self.next_report_s[k]:
                continue
            settings = self.link_settings[link]
            self.next_report_s[k] += settings.update_interval_s
            unit = self.units[index]
            if self._post_active(unit, truth):
                report = make_report(index, unit.name, unit.picture, link, t)
                self.link_heap.schedule(t + settings.latency_s, "track_report", report)
        # Due at t included: math.nextafter is np.nextafter's IEEE step, without a ufunc.
        for event in self.link_heap.pop_due(math.nextafter(t, math.inf)):
            report = event.payload
            settings = self.link_settings[report.link]
            for unit in self.units:
                if unit.index != report.source and report.link in unit.datalinks:
                    unit.receiver.receive(report, settings.update_interval_s, settings.latency_s)
                    if unit.receiver.reports.get(report.source) is report:
                        self.accounting.received(unit, report, t, truth)

    def _decisions(self, t: float, truth: TruthState) -> None:
        """Posts due to decide identify their tracks; fire units then give their orders."""
        for unit in self.units:
            if t < self.next_decision_s[unit.index]:
                continue
            self.next_decision_s[unit.index] += unit.decision_interval_s
            if not self._post_active(unit, truth):
                continue
            linked = unit.receiver.linked_identities(unit.picture, t)
            changes = update_identities(
                unit,
                linked,
                self.identification,
                self.flight_plans,
                self.assets_ecef_m,
                t,
                self.entities.name,
            )
            for change in changes:
                self.recorder.event(
                    t,
                    "identity",
                    unit=unit.name,
                    track_id=change.track_id,
                    truth=change.truth,
                    lla=change.lla,
                    old=_IDENTITY_NAMES[change.old],
                    new=_IDENTITY_NAMES[change.new],
                    reason=_IDENTITY_REASON_NAMES[change.reason],
                )
            if unit.fire_control_radar < 0 or unit.index not in self._armed_units:
                continue  # a sensor or C2 post
            radar = self.sensing.radars[unit.fire_control_radar]
            post = self.catalog.command_posts[unit.spec.command_post]
            decision = self.fire_control.decide(unit, radar, post, t)
            for order in decision.orders:
                self._engage(unit, order, t)
            self._hold_fire(unit, decision.holds, t)

    def _hold_fire(self, unit: FireUnitState, holds: list[Hold], t: float) -> None:
        """Record the hold-fire reasons of ``unit`` that changed at this decision."""
        for hold in self.hold_log.changes(unit.index, holds):
            self.recorder.event(
                t,
                "hold_fire",
                unit=unit.name,
                track_id=hold.track_id,
                truth=self.entities.name[hold.truth] if hold.truth >= 0 else "",
                identity=_IDENTITY_NAMES[hold.identity],
                reason=_HOLD_REASON_NAMES[hold.reason],
                track=hold.track,
            )

    def _engage(self, unit: FireUnitState, order: EngageOrder, t: float) -> None:
        """Record an order and schedule its launches."""
        self.recorder.event(
            t,
            "engage",
            unit=unit.name,
            track_id=order.track_id,
            truth=self.entities.name[order.truth] if order.truth >= 0 else "",
            identity=_IDENTITY_NAMES[order.identity],
            interceptor=self.launchers.interceptor_types[order.interceptor],
            rounds=len(order.launches),
            threat_value=round(order.threat_value, 6),
            engagement_id=order.engagement_id,
        )
        for launcher, launch_s in order.launches:
            launch = Launch(
                unit.index,
                launcher,
                order.interceptor,
                order.track_id,
                order.truth,
                order.engagement_id,
            )
            self.weapons.schedule(launch_s, launch)

    def _jammer_locator(self, radar_carrier: np.ndarray) -> JammerLocator:
        """Who hears which strobes: each post its own ground radars and those of the posts
        it shares a data link with (:mod:`iadsim.ew.bearing_fixes`)."""
        heard = []
        for unit in self.units:
            partners = [u for u in self.units if u is unit or u.datalinks & unit.datalinks]
            radars = sorted({r for u in partners for r in u.radars if radar_carrier[r] < 0})
            heard.append(radars)
        return JammerLocator(
            np.array([radar.pos_ecef_m for radar in self.radars]).reshape(-1, 3),
            np.array([radar.rotation for radar in self.radars]).reshape(-1, 3, 3),
            heard,
            np.array([(u.spec.site.lat_rad, u.spec.site.lon_rad, u.spec.site.alt_m)
                      for u in self.units]).reshape(-1, 3),
            np.array([radar.spec.max_range_m for radar in self.radars], np.float64),
        )  # fmt: skip

    def _jammer_strobes(self, locator: JammerLocator, t: float, truth: TruthState) -> None:
        """Record the step's jammer strobes, and the fixes ``locator`` (the run's) makes of
        them.

        Strobes and fixes carry no jammer identity (:mod:`iadsim.ew.bearing_fixes`); a
        fix's ``truth`` is scored afterwards as the nearest jammer within three of its
        stated errors, none (a ghost) otherwise."""
        for batch in self.sensing.strobes:
            locator.add(t, batch.radar, batch.bearing_rad, batch.sigma_rad)
            for k in range(len(batch)):
                radar = self.radars[int(batch.radar[k])]
                self.recorder.event(
                    t,
                    "jammer_strobe",
                    lla=(radar.lat_rad, radar.lon_rad, radar.alt_m),
                    radar=radar.name,
                    bearing_deg=round(float(np.degrees(batch.bearing_rad[k])), 4),
                    sigma_deg=round(float(np.degrees(batch.sigma_rad[k])), 5),
                    j_over_n_db=round(float(batch.j_over_n_db[k]), 2),
                )
        for fix in locator.fixes(t):
            carrier = self._fix_truth(fix, truth)
            track_id = self.units[fix.post].picture.ingest_fix(
                fix.pos_ecef_m(), fix.covariance_enu_m2(), t, FIX_INTERVAL_S, carrier
            )
            self.recorder.event(
                t,
                "jammer_fix",
                unit=self.units[fix.post].name,
                truth=self.entities.name[carrier] if carrier >= 0 else "",
                lla=(fix.lat_rad, fix.lon_rad, np.nan),
                track_id=track_id,
                error_m=round(fix.error_m, 1),
                chi_square=round(fix.chi_square, 3),
                radars=[self.radars[r].name for r in fix.radars],
            )

    def _fix_truth(self, fix: JammerFix, truth: TruthState) -> int:
        """Scoring only: the entity of the nearest present jammer within three stated errors
        of the fix, horizontally; -1 for a ghost."""
        carriers = np.unique(self.jammers.carrier)
        carriers = carriers[truth.present[carriers]]
        if carriers.size == 0:
            return -1
        lat, lon = truth.lla[carriers, 0], truth.lla[carriers, 1]
        north = lat - fix.lat_rad
        east = np.angle(np.exp(1j * (lon - fix.lon_rad))) * np.cos(fix.lat_rad)
        miss = 6_371_000.0 * np.hypot(north, east)
        best = int(np.argmin(miss))
        return int(carriers[best]) if miss[best] <= 3.0 * fix.error_m else -1

    def _note_first_detections(self, scans: dict[int, DetectionBatch], truth: TruthState) -> None:
        """Note each entity's first detection by any radar; record each radar's first ones."""
        for radar_index, batch in scans.items():
            if batch.truth.size == 0:  # nothing detected: nothing to note
                continue
            # Only an entity new to this radar can be new to all of them (a radar's looks
            # come in time order, so an entity it saw before has an earlier first time).
            new = self.accounting.detections(self.radars[radar_index], batch, truth)
            if new.size:  # most looks: no entity new to the radar
                self.first_detection_s[new] = np.minimum(self.first_detection_s[new], batch.time_s)

    def _record(self, t: float, truth: TruthState) -> None:
        rows = truth.present.nonzero()[0]
        lat, lon, alt = truth.lla[rows, 0], truth.lla[rows, 1], truth.lla[rows, 2]
        vel = np.einsum("nij,nj->ni", enu_rotation(lat, lon), truth.vel_ecef_mps[rows])
        present = rows.tolist()
        names = [self.entities.name[i] for i in present]
        sides = [self._entity_sides[i] for i in present]
        self.recorder.snapshot(
            t, "truth", names, names, sides, [""] * len(rows), lat, lon, alt, vel
        )
        for unit in self.units:
            if self._post_active(unit, truth):
                self._record_tracks(t, unit)

    def _record_interceptors(self, t: float) -> None:
        """Where each interceptor still in flight is at ``t`` (the step's end), every step: a
        flyout is shorter than a record interval. Reads the fleet only, draws nothing."""
        table = self.weapons.fleet.table  # every step: without the property's call
        slots = table.active.nonzero()[0]
        if slots.size == 0:
            return
        lat, lon, alt = ecef_to_lla(table.pos_ecef_m[slots])
        units = [self.units[u].name for u in table.unit[slots].tolist()]
        self.recorder.interceptor_positions(t, slots, units, lat, lon, alt)

    def _record_tracks(self, t: float, unit: FireUnitState) -> None:
        """The post's fused picture at ``t``: own tracks, then remote-only ones."""
        fused = unit.receiver.fuse(unit.picture, t)
        if len(fused.truth) == 0:  # no row to record
            return
        lat, lon, alt = ecef_to_lla(fused.state_ecef[:, :3])
        vel = np.einsum("nij,nj->ni", enu_rotation(lat, lon), fused.state_ecef[:, 3:])
        truth = fused.truth.tolist()
        names, sides = self.entities.name, self._entity_sides
        self.recorder.snapshot(
            t,
            unit.name,
            fused.ids,
            [names[i] if i >= 0 else "" for i in truth],
            [sides[i] if i >= 0 else "" for i in truth],
            [_IDENTITY_NAMES[v] for v in fused.identity.tolist()],
            lat,
            lon,
            alt,
            vel,
        )
