"""The simulation: one clock, named random streams, tables, and the pipeline of DESIGN.md.

Each fixed step runs motion, sensing, tracking, data links, picture, decision, weapons and
record in that order; launches and kill assessments are timed events on a heap, and so are
data-link track reports (on a heap of their own, delivered before the posts decide).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iadsim.c2.doctrine import engagement_channels, usable_rounds
from iadsim.c2.engagement import Envelopes, greedy_orders, wta_orders
from iadsim.c2.threat import evaluate_threats
from iadsim.catalog import Catalog
from iadsim.core.rng import RandomStreams
from iadsim.engine.datalink import make_report
from iadsim.engine.events import EventHeap
from iadsim.engine.picture_step import update_identities
from iadsim.engine.record import Recorder
from iadsim.engine.world import (
    FireUnitState,
    build_air_entities,
    build_fire_units,
    build_launchers,
    build_radars,
    carriers,
)
from iadsim.geo.frames import ecef_to_lla, enu_rotation, enu_to_ecef, lla_to_ecef
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import load_bundled
from iadsim.motion.terrain_following import follow_terrain
from iadsim.scenario.schema import Scenario
from iadsim.sensors.radar import Radar, TargetView
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.signature import aspect_angles, load_signatures
from iadsim.tracking.identification import Identity
from iadsim.weapons.envelope import envelope_for
from iadsim.weapons.fleet import GUIDANCE_TIMEOUT_S, InterceptorFleet
from iadsim.weapons.flyout import load_airframes

ASSESSMENT_DELAY_S = 3.0
"""Time from an intercept to the post's kill assessment (notional)."""
ENGAGEABLE = {
    "free": (Identity.UNKNOWN, Identity.SUSPECT, Identity.HOSTILE),
    "tight": (Identity.HOSTILE,),
    "hold": (),
}
"""Identities a unit may engage under each weapon control status (JP 3-01 definitions)."""


@dataclass(frozen=True)
class TruthState:
    """Truth of all air entities at one instant (ECEF, SI)."""

    pos_ecef_m: np.ndarray
    vel_ecef_mps: np.ndarray
    lla: np.ndarray
    present: np.ndarray


class Simulation:
    """A single run of a scenario.

    Parameters
    ----------
    scenario : Scenario
    catalog : Catalog
        With the scenario's overrides applied.
    seed : int, optional
        Overrides ``scenario.seed``.
    """

    def __init__(self, scenario: Scenario, catalog: Catalog, seed: int | None = None):
        self.scenario = scenario
        self.catalog = catalog
        self.seed = scenario.seed if seed is None else int(seed)
        self.streams = RandomStreams(self.seed)
        self.entities = build_air_entities(scenario, catalog)
        self.radars, feeds = build_radars(scenario, catalog)
        self.units = build_fire_units(scenario, catalog, self.radars, feeds)
        self.radar_carrier = carriers(self.entities, self.units, len(self.radars))
        self.launchers = build_launchers(scenario, catalog)
        types = [catalog.interceptors[key] for key in self.launchers.interceptor_types]
        airframes = load_airframes()
        flown = [airframes[key] for key in self.launchers.interceptor_types]
        self.envelopes = Envelopes.from_catalog(types, [envelope_for(a) for a in flown])
        for unit in self.units:
            unit.initial_rounds = self.launchers.available(unit.index)
        # Every round it can ever fire (loads and spares): the fleet never reuses a slot, so
        # the slot is each interceptor's unique id, and it never has to grow.
        capacity = int(self.launchers.rounds.sum() + self.launchers.spares.sum())
        self.fleet = InterceptorFleet(capacity, flown, types)
        self.last_guidance_state = np.zeros((capacity, 6))
        self.kill_rng = self.streams.get("kill-assessment")
        scales = {key: catalog.air_platforms[key].rcs_scale for key in set(self.entities.platform)}
        self.signatures = load_signatures().with_rcs_scale(scales)
        self.signature_index = self.signatures.indices(self.entities.platform)
        self.assets_ecef_m = lla_to_ecef(
            np.radians([a.position.lat_deg for a in scenario.defended_assets]),
            np.radians([a.position.lon_deg for a in scenario.defended_assets]),
            np.array([a.position.alt_m for a in scenario.defended_assets], dtype=float),
        ).reshape(-1, 3)
        self.asset_values = np.array([a.value for a in scenario.defended_assets], dtype=float)
        self.terrain = load_bundled()
        n = len(self.entities)
        self.alive = np.ones(n, dtype=bool)
        self.finished = np.zeros(n, dtype=bool)
        self.hostile_to_defence = np.array(
            [any(side in u.hostile_sides for u in self.units) for side in self.entities.side]
        )
        self.first_detection_s = np.full(n, np.inf)
        self.heap = EventHeap()
        self.recorder = Recorder()
        phase = self.streams.get("radar-phase")
        self.next_scan_s = phase.uniform(0.0, [r.spec.revisit_s for r in self.radars])
        # A rotating beam passes north at its first scan time, then once per revisit.
        self.north_time_s = self.next_scan_s.copy()
        self.next_decision_s = np.zeros(len(self.units))
        # One reporting slot per (post, link); each post reports at its own phase.
        self.link_slots = [(u.index, link) for u in self.units for link in sorted(u.datalinks)]
        intervals = [scenario.datalink(link).update_interval_s for _, link in self.link_slots]
        self.next_report_s = np.zeros(len(intervals))
        if intervals:
            self.next_report_s = self.streams.get("datalink-phase").uniform(0.0, intervals)
        self.link_heap = EventHeap()
        self.next_record_s = 0.0
        self.time_s = 0.0

    # -- the loop -----------------------------------------------------------------------
    def run(self, on_step: Callable[[float], None] | None = None) -> Recorder:
        """Run to the end of the scenario; ``on_step(time_s)`` is called after every step."""
        dt = self.scenario.time_step_s
        steps = round(self.scenario.duration_s / dt)
        for _ in range(steps):
            self.step(dt)
            if on_step is not None:
                on_step(self.time_s)
        return self.recorder

    def step(self, dt_s: float) -> None:
        """Advance one fixed step: motion, sensing, tracking, links, picture, decision, weapons,
        record."""
        t = self.time_s
        truth = self._motion(t)
        scans = self._sensing(t, dt_s, truth)
        for unit in self.units:
            for radar_index in unit.radars:
                if radar_index in scans:
                    unit.picture.ingest(self.radars[radar_index], scans[radar_index], t)
        self._datalinks(t, truth)
        for unit in self.units:
            if t >= self.next_decision_s[unit.index]:
                self.next_decision_s[unit.index] += unit.decision_interval_s
                if not self._post_active(unit, truth):
                    continue
                linked = unit.receiver.linked_identities(unit.picture, t)
                update_identities(
                    unit, linked, self.entities, truth, self.assets_ecef_m, t, self.recorder
                )
                self._decide(unit, t)
        self._weapons(t, dt_s, truth)
        if t >= self.next_record_s:
            self.next_record_s += self.scenario.record_interval_s
            self._record(t, truth)
        self.time_s = t + dt_s

    # -- stages ---------------------------------------------------------------------------
    def _motion(self, t: float) -> TruthState:
        pos, vel, lla, flying = self.entities.routes.state(t)
        agl = np.flatnonzero(self.entities.terrain_following)
        if agl.size:
            pos[agl], vel[agl], lla[agl] = follow_terrain(lla[agl], vel[agl], self.terrain)
        ended = (t >= self.entities.routes.end_s) & self.alive & ~self.finished
        for i in np.flatnonzero(ended):
            self.finished[i] = True
            kind = "leak" if self.hostile_to_defence[i] else "route_end"
            self.recorder.event(
                self.entities.routes.end_s[i],
                kind,
                truth=self.entities.name[i],
                lla=tuple(lla[i]),
                platform=self.entities.platform[i],
            )
        return TruthState(pos, vel, lla, flying & self.alive)

    def _post_active(self, unit: FireUnitState, truth: TruthState) -> bool:
        """A ground post always; an airborne one while its carrier flies."""
        return unit.carrier < 0 or bool(truth.present[unit.carrier])

    def _datalinks(self, t: float, truth: TruthState) -> None:
        """Send the reports due now; deliver those that have arrived (``arrival <= t``)."""
        for k, (index, link) in enumerate(self.link_slots):
            if t < self.next_report_s[k]:
                continue
            settings = self.scenario.datalink(link)
            self.next_report_s[k] += settings.update_interval_s
            unit = self.units[index]
            if self._post_active(unit, truth):
                report = make_report(index, unit.name, unit.picture, link, t)
                self.link_heap.schedule(t + settings.latency_s, "track_report", report)
        for event in self.link_heap.pop_due(np.nextafter(t, np.inf)):
            report = event.payload
            settings = self.scenario.datalink(report.link)
            for unit in self.units:
                if unit.index != report.source and report.link in unit.datalinks:
                    unit.receiver.receive(report, settings.update_interval_s, settings.latency_s)

    def _sensing(self, t: float, dt_s: float, truth: TruthState) -> dict:
        """Looks due this step: a rotating radar's sweep every step, an electronically
        scanned radar's whole sector at each revisit.

        The geometry of every look is worked out first; the terrain test and the
        signatures then run once for all looks of the step together (each pair's result
        does not depend on the others), and the detection draws last, radar by radar,
        each from its own stream.
        """
        n = len(self.entities)
        looks = []
        for index in range(len(self.radars)):
            radar = self.radars[index]
            look = None
            if radar.spec.scan_mode == "rotating":
                look = AzimuthInterval.swept(
                    t, dt_s, radar.spec.revisit_s, self.north_time_s[index]
                )
            elif t >= self.next_scan_s[index]:
                self.next_scan_s[index] += radar.spec.revisit_s
            else:
                continue
            carrier = self.radar_carrier[index]
            if carrier >= 0:
                if not truth.present[carrier]:
                    continue  # on the ground, or shot down
                radar = self._move(radar, truth.lla[carrier], truth.vel_ecef_mps[carrier])
            view = TargetView(
                truth.pos_ecef_m,
                truth.lla[:, 2],
                np.zeros(n),
                self.entities.swerling,
                truth.present,
                truth.vel_ecef_mps,
            )
            visible, aer = radar.in_coverage(view, look)
            looks.append((radar, look, view, visible, aer))
        self._mask_terrain(looks, truth)
        self._signatures(looks, truth)
        scans = {}
        for radar, look, view, visible, aer in looks:
            stream = self.streams.get(f"radar:{radar.name}")
            batch = radar.detect(view, aer, visible, t, stream, look)
            scans[radar.index] = batch
            if len(batch):
                self._note_first_detections(radar, batch, truth)
        return scans

    def _mask_terrain(self, looks: list, truth: TruthState) -> None:
        """Clear ``visible`` of each look where terrain hides the entity: one line-of-sight
        batch for all looks that share a k-factor (a rotating look often holds nobody)."""
        pending = [(radar, visible, np.flatnonzero(visible)) for radar, _, _, visible, _ in looks]
        pending = [entry for entry in pending if entry[2].size]
        for k_factor in dict.fromkeys(radar.k_factor for radar, _, _ in pending):
            group = [entry for entry in pending if entry[0].k_factor == k_factor]
            counts = [rows.size for _, _, rows in group]
            rows = np.concatenate([rows for _, _, rows in group])
            clear = terrain_clear(
                np.repeat([radar.lat_rad for radar, _, _ in group], counts),
                np.repeat([radar.lon_rad for radar, _, _ in group], counts),
                np.repeat([radar.alt_m for radar, _, _ in group], counts),
                truth.lla[rows, 0],
                truth.lla[rows, 1],
                truth.lla[rows, 2],
                self.terrain,
                k_factor,
            )
            start = 0
            for (_, visible, look_rows), count in zip(group, counts, strict=True):
                visible[look_rows] = clear[start : start + count]
                start += count

    def _signatures(self, looks: list, truth: TruthState) -> None:
        """Mean RCS towards each look's radar of the entities it can see, written into the
        look's target view: one signature lookup for all looks of the step."""
        seen = [(view, np.flatnonzero(visible)) for radar, _, view, visible, _ in looks]
        if not any(rows.size for _, rows in seen):
            return
        counts = [rows.size for _, rows in seen]
        rows = np.concatenate([rows for _, rows in seen])
        radar_pos = np.repeat([radar.pos_ecef_m for radar, *_ in looks], counts, axis=0)
        frequency = np.repeat([radar.spec.frequency_hz for radar, *_ in looks], counts)
        rcs = self._rcs_towards(radar_pos, frequency, truth, rows)
        start = 0
        for (view, look_rows), count in zip(seen, counts, strict=True):
            view.rcs_m2[look_rows] = rcs[start : start + count]
            start += count

    def _move(self, radar: Radar, lla: np.ndarray, vel_ecef_mps: np.ndarray) -> Radar:
        """An airborne radar at its carrier's position (the antenna height above it) and
        with its carrier's velocity."""
        moved = radar.moved(
            float(lla[0]), float(lla[1]), float(lla[2]) + radar.spec.antenna_height_m, vel_ecef_mps
        )
        self.radars[radar.index] = moved
        return moved

    def _rcs_towards(
        self, radar_pos_ecef_m: np.ndarray, frequency_hz, truth: TruthState, rows: np.ndarray
    ) -> np.ndarray:
        """Mean RCS of entities ``rows`` seen from radars at ``radar_pos_ecef_m`` ((3,) or
        one row per entity) on ``frequency_hz``: signature at aspect and band."""
        az, el = aspect_angles(truth.pos_ecef_m[rows], truth.vel_ecef_mps[rows], radar_pos_ecef_m)
        return self.signatures.rcs_m2(self.signature_index[rows], az, el, frequency_hz)

    def _note_first_detections(self, radar, batch, truth: TruthState) -> None:
        for row in np.flatnonzero(batch.truth >= 0):
            entity = int(batch.truth[row])
            if np.isfinite(self.first_detection_s[entity]):
                continue
            self.first_detection_s[entity] = batch.time_s
            self.recorder.event(
                batch.time_s,
                "first_detection",
                unit=radar.name,
                truth=self.entities.name[entity],
                lla=tuple(truth.lla[entity]),
                range_km=round(float(batch.range_m[row]) / 1000.0, 3),
                platform=self.entities.platform[entity],
            )

    def _decide(self, unit: FireUnitState, t: float) -> None:
        if unit.fire_control_radar < 0 or not np.any(self.launchers.unit == unit.index):
            return  # a sensor or C2 post
        picture = unit.picture
        table = picture.table
        slots = picture.confirmed_slots()
        fc = self.radars[unit.fire_control_radar].spec
        fresh = picture.column("fc_seen_s")[slots] >= t - 2.0 * fc.revisit_s
        engageable = np.isin(
            picture.column("identity")[slots], ENGAGEABLE[unit.spec.weapon_control]
        )
        slots = slots[fresh & engageable]
        if slots.size == 0:
            return
        state = table.state[slots]
        assets = picture.in_frame_m(self.assets_ecef_m)
        threats = evaluate_threats(state[:, :3], state[:, 3:], assets, self.asset_values)
        reaction = float(self.launchers.reaction_time_s[self.launchers.unit == unit.index].min())
        feasible, flight, aim = self.envelopes.intercepts(
            state[:, :3], state[:, 3:], reaction, unit.spec.site.alt_m
        )
        if unit.no_fire.zones or unit.no_fire.countries:
            aim_ecef = enu_to_ecef(aim.reshape(-1, 3), picture.origin_ecef_m, picture.rotation)
            lat, lon, _ = ecef_to_lla(aim_ecef)
            feasible &= ~unit.no_fire.forbidden(lat, lon).reshape(feasible.shape)
        doctrine = unit.spec.doctrine
        track_ids = table.track_id[slots]
        engaged = np.array([unit.engaged.get(int(i), 0) > 0 for i in track_ids])
        salvo = doctrine.rounds_per_engagement
        available = usable_rounds(
            self.launchers.available(unit.index), unit.initial_rounds, doctrine.reserve_fraction
        )
        channels = engagement_channels(
            fc, self.catalog.command_posts[unit.spec.command_post], unit.engaged
        )
        if doctrine.assignment == "wta":
            orders = wta_orders(
                track_ids,
                threats.value,
                feasible,
                self.envelopes.pk,
                available,
                engaged,
                salvo,
                *channels,
            )
        else:
            orders = greedy_orders(
                threats.ranking(),
                track_ids,
                threats.value,
                feasible,
                flight,
                self.envelopes.pk,
                available,
                engaged,
                salvo,
                *channels,
            )
        for order in orders:
            slot = int(table.slots_of(np.array([order.track_id]))[0])
            truth_index = int(picture.column("truth")[slot])
            launches = self.launchers.take(unit.index, order.interceptor, order.rounds, t)
            unit.engaged[order.track_id] = unit.engaged.get(order.track_id, 0) + len(launches)
            self.recorder.event(
                t,
                "engage",
                unit=unit.name,
                track_id=order.track_id,
                truth=self.entities.name[truth_index] if truth_index >= 0 else "",
                identity=Identity(int(picture.column("identity")[slot])).name.lower(),
                interceptor=self.launchers.interceptor_types[order.interceptor],
                rounds=len(launches),
                threat_value=round(order.threat_value, 6),
            )
            for launcher, launch_s in launches:
                self.heap.schedule(
                    launch_s,
                    "launch",
                    (unit.index, launcher, order.interceptor, order.track_id, truth_index),
                )

    def _weapons(self, t: float, dt_s: float, truth: TruthState) -> None:
        for row in self.launchers.complete_reloads(t):
            unit = self.units[self.launchers.unit[row]]
            self.recorder.event(
                t,
                "reload",
                unit=unit.name,
                launcher=int(row),
                rounds=self.launchers.rounds[row].tolist(),
            )
        for event in self.heap.pop_due(t + dt_s):
            if event.kind == "launch":
                self._launch(event.time_s, *event.payload)
            elif event.kind == "assessment":
                self._assess(*event.payload)
        fleet = self.fleet
        slots = fleet.active_slots()
        if slots.size == 0:
            return
        gone = slots[(fleet.truth[slots] >= 0) & ~self.alive[np.maximum(fleet.truth[slots], 0)]]
        for slot in gone:
            fleet.state.active[slot] = False
            self._flight_end(t, int(slot), "self_destruct", reason="target_destroyed")
        track_state, valid = self._guidance_tracks(t, fleet.active_slots())
        target_state = track_state.copy()
        real = fleet.truth >= 0
        present = real & truth.present[np.maximum(fleet.truth, 0)]
        target_state[present, :3] = truth.pos_ecef_m[fleet.truth[present]]
        target_state[present, 3:] = truth.vel_ecef_mps[fleet.truth[present]]
        lost, outcomes = fleet.fly(t, dt_s, track_state, valid, target_state, self.kill_rng)
        for slot in lost:
            self._flight_event(t, int(slot), "guidance_lost")
        for outcome in outcomes:
            kind, reason = outcome.kind, outcome.reason
            if kind == "kill" and not self.alive[outcome.truth]:
                kind, reason = "miss", "target_already_destroyed"
            if kind == "kill":
                self.alive[outcome.truth] = False
            self._flight_end(
                outcome.time_s,
                outcome.slot,
                kind,
                reason,
                outcome.miss_distance_m,
                outcome.pos_ecef_m,
            )

    def _guidance_tracks(self, t: float, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fire-control track (ECEF state) of each flying interceptor's target, and freshness."""
        fleet = self.fleet
        state = self.last_guidance_state
        valid = np.zeros(fleet.state.capacity, dtype=bool)
        for slot in slots:
            picture = self.units[fleet.unit[slot]].picture
            row = int(picture.table.slots_of(np.array([fleet.track_id[slot]]))[0])
            if row < 0:
                continue
            enu = picture.table.state[row]
            state[slot, :3] = enu_to_ecef(enu[:3], picture.origin_ecef_m, picture.rotation)
            state[slot, 3:] = enu[3:] @ picture.rotation
            valid[slot] = picture.column("fc_seen_s")[row] >= t - GUIDANCE_TIMEOUT_S
        return state.copy(), valid

    def _launch(self, time_s, unit_index, launcher, interceptor, track_id, truth_index) -> None:
        unit = self.units[unit_index]
        picture = unit.picture
        row = int(picture.table.slots_of(np.array([track_id]))[0])
        if row < 0:
            self.launchers.rounds[launcher, interceptor] += 1
            self._engagement_done(unit_index, track_id)
            self.recorder.event(
                time_s,
                "abort",
                unit=unit.name,
                track_id=track_id,
                reason="track_dropped_before_launch",
            )
            return
        track = picture.table.state[row][None, :]
        _, _, aim = self.envelopes.intercepts(track[:, :3], track[:, 3:], 0.0, unit.spec.site.alt_m)
        aim_ecef = enu_to_ecef(aim[0, interceptor], picture.origin_ecef_m, picture.rotation)
        slot = self.fleet.launch(
            unit_index,
            interceptor,
            track_id,
            truth_index,
            picture.origin_ecef_m,
            picture.rotation,
            aim_ecef,
        )
        self.last_guidance_state[slot] = 0.0
        pos = unit.spec.site
        self.recorder.event(
            time_s,
            "launch",
            unit=unit.name,
            track_id=track_id,
            truth=self.entities.name[truth_index] if truth_index >= 0 else "",
            interceptor_id=slot,
            lla=(pos.lat_rad, pos.lon_rad, pos.alt_m),
            interceptor=self.launchers.interceptor_types[interceptor],
            launcher=launcher,
        )

    def _flight_event(self, time_s: float, slot: int, kind: str, pos_ecef_m=None, **detail) -> None:
        fleet = self.fleet
        unit = self.units[fleet.unit[slot]]
        truth = int(fleet.truth[slot])
        pos = fleet.state.pos_ecef_m[slot] if pos_ecef_m is None else pos_ecef_m
        lat, lon, alt = ecef_to_lla(pos)
        self.recorder.event(
            time_s,
            kind,
            unit=unit.name,
            track_id=int(fleet.track_id[slot]),
            truth=self.entities.name[truth] if truth >= 0 else "",
            interceptor_id=slot,
            lla=(float(lat), float(lon), float(alt)),
            **detail,
        )

    def _flight_end(self, time_s, slot, kind, reason, miss_distance_m=None, pos_ecef_m=None):
        detail = {"reason": reason}
        if miss_distance_m is not None:
            detail["miss_distance_m"] = round(float(miss_distance_m), 3)
        self._flight_event(time_s, slot, kind, pos_ecef_m, **detail)
        payload = (int(self.fleet.unit[slot]), int(self.fleet.track_id[slot]), kind == "kill")
        self.heap.schedule(time_s + ASSESSMENT_DELAY_S, "assessment", payload)

    def _assess(self, unit_index: int, track_id: int, killed: bool) -> None:
        """Kill assessment at the post: a killed target's track is dropped (no re-engagement)."""
        self._engagement_done(unit_index, track_id)
        if killed:
            table = self.units[unit_index].picture.table
            row = table.slots_of(np.array([track_id]))
            table.release(row[row >= 0])

    def _engagement_done(self, unit_index: int, track_id: int) -> None:
        engaged = self.units[unit_index].engaged
        engaged[track_id] -= 1
        if engaged[track_id] <= 0:
            del engaged[track_id]

    def _record(self, t: float, truth: TruthState) -> None:
        rows = np.flatnonzero(truth.present)
        lat, lon, alt = truth.lla[rows, 0], truth.lla[rows, 1], truth.lla[rows, 2]
        vel = np.einsum("nij,nj->ni", enu_rotation(lat, lon), truth.vel_ecef_mps[rows])
        names = [self.entities.name[i] for i in rows]
        sides = [self.entities.side[i] for i in rows]
        self.recorder.snapshot(
            t, "truth", names, names, sides, [""] * len(rows), lat, lon, alt, vel
        )
        for unit in self.units:
            if self._post_active(unit, truth):
                self._record_tracks(t, unit)

    def _record_tracks(self, t: float, unit: FireUnitState) -> None:
        """The post's fused picture at ``t``: own tracks, then remote-only ones."""
        fused = unit.receiver.fuse(unit.picture, t)
        lat, lon, alt = ecef_to_lla(fused.state_ecef[:, :3])
        vel = np.einsum("nij,nj->ni", enu_rotation(lat, lon), fused.state_ecef[:, 3:])
        truth = fused.truth
        self.recorder.snapshot(
            t,
            unit.name,
            fused.ids,
            [self.entities.name[i] if i >= 0 else "" for i in truth],
            [self.entities.side[i] if i >= 0 else "" for i in truth],
            [Identity(int(v)).name.lower() for v in fused.identity],
            lat,
            lon,
            alt,
            vel,
        )
