"""The SEAD stage of a run: emission control, passive receivers and anti-radiation missiles.

Each step (:class:`~iadsim.engine.simulation.Simulation`): before the radars look, the
posts' pictures set which radars radiate (:mod:`iadsim.sensors.emission`); after, a radar
whose post recognises an anti-radiation missile coming at it from its tracks
(:mod:`iadsim.ew.arm_warning`) may shut down, the missiles in flight note whether
their radar radiates (:mod:`iadsim.weapons.arm`), and the passive receivers look for
emitters (:mod:`iadsim.sensors.passive`). A missile at the end of its route hits or misses
its radar; a radar hit is destroyed. Nothing here draws a random number, and a scenario
without these features never has a silent radar, so it runs exactly as before.

Events: ``emission`` (a radar starts or stops radiating; detail ``radiating``, ``reason``),
``emitter_detected`` and ``emitter_lost`` (a passive receiver gains or loses an emitter),
``arm_impact`` (detail ``radar``, ``hit``, ``reason``) and ``radar_killed``.
"""

from __future__ import annotations

import numpy as np

from iadsim.c2.picture.identification import Identity
from iadsim.catalog import Catalog
from iadsim.engine.record import Recorder
from iadsim.engine.world import AirEntities, FireUnitState
from iadsim.ew.arm_warning import DEFAULT_RULE, ArmWarningRule, recognise
from iadsim.geo.frames import ecef_to_enu, lla_to_ecef
from iadsim.motion.truth import TruthState
from iadsim.scenario.schema import RadarPlacement, Scenario
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.emission import EmissionControl
from iadsim.sensors.passive import PassiveReceivers
from iadsim.sensors.radar import Radar
from iadsim.weapons.arm import ArmTable

__all__ = ["SeadStage"]

POSSIBLE_ENEMY = (Identity.PENDING, Identity.UNKNOWN, Identity.SUSPECT, Identity.HOSTILE)
"""Identities of the tracks that cue a ``when_cued`` or ``go_live`` radar, and of those
taken for an incoming anti-radiation missile."""

EARTH_RADIUS_M = 6_371_000.0
"""Mean earth radius, m: the local vertical at a track in a post's ENU frame (sphere)."""


class SeadStage:
    """Emission control, passive receivers and anti-radiation missiles of one run.

    Parameters
    ----------
    scenario : Scenario
    catalog : Catalog
    radars : list of Radar
        As :func:`~iadsim.engine.world.build_radars` numbers them (units' radars first).
    units : list of FireUnitState
    entities : AirEntities
    recorder : Recorder
    """

    def __init__(
        self,
        scenario: Scenario,
        catalog: Catalog,
        radars: list[Radar],
        units: list[FireUnitState],
        entities: AirEntities,
        recorder: Recorder,
    ) -> None:
        placements: list[RadarPlacement | None] = [
            p for unit in scenario.fire_units for p in unit.radars
        ]
        placements += [None] * (len(radars) - len(placements))
        self.emission = EmissionControl.from_placements(placements)
        self.radars = radars
        self.units = units
        self.recorder = recorder
        self.names = [radar.name for radar in radars]
        frequency = np.array([radar.spec.frequency_hz for radar in radars])
        self.arms = ArmTable.build(scenario, catalog, self.names, frequency)
        self.is_arm = np.array(
            [c == "anti_radiation_missile" for c in entities.labels_of("category")], dtype=bool
        )
        """Truth: which air entities are anti-radiation missiles (for resolving their impact
        and for scoring; the defence's recognition never reads it)."""
        self.warning_rule: ArmWarningRule = DEFAULT_RULE
        self.entity_names = entities.name
        self.radiating = np.ones(len(radars), dtype=bool)
        self.active = self.emission.controlled or len(self.arms) > 0
        self.unit_of_radar = np.full(len(radars), -1, dtype=np.int64)
        for unit in units:
            self.unit_of_radar[unit.radars[: len(unit.spec.radars)]] = unit.index
        self._passive(scenario, catalog, entities)
        self.in_use = (
            self.active
            or bool(self.receivers.names)
            or "decoy" in set(entities.labels_of("category"))
        )
        """The scenario uses SEAD features: its summary gets a ``sead`` entry."""

    def _passive(self, scenario: Scenario, catalog: Catalog, entities: AirEntities) -> None:
        """The passive receivers and the emitter parameters of each radar."""
        specs = scenario.passive_receivers
        m = len(specs)
        fixed = np.zeros((m, 3))
        height = np.zeros(m)
        carrier = np.full(m, -1, dtype=np.int64)
        for r, spec in enumerate(specs):
            if spec.carrier is not None:
                carrier[r] = entities.name.index(spec.carrier)
            elif spec.position is not None:
                p = spec.position
                fixed[r] = np.reshape(lla_to_ecef(p.lat_rad, p.lon_rad, p.alt_m), 3)
                height[r] = p.alt_m
        self.receivers = PassiveReceivers(
            [spec.name for spec in specs],
            [spec.kind for spec in specs],
            carrier,
            fixed,
            height,
            np.array([spec.sensitivity_dbm for spec in specs]),
            np.array([spec.antenna_gain_dbi for spec in specs]),
            np.array([spec.losses_db for spec in specs]),
            np.array([spec.band_hz for spec in specs]).reshape(m, 2),
            np.array([spec.interval_s for spec in specs]),
            np.zeros((m, len(self.radars)), dtype=bool),
            np.zeros(m),
        )
        emitters = [catalog.emitters.get(radar.spec.key) for radar in self.radars]
        self.emitter_power_w = np.array([e.peak_power_w if e else 0.0 for e in emitters])
        self.emitter_gain_dbi = np.array([e.main_lobe_gain_dbi if e else -np.inf for e in emitters])
        self.has_emitter = np.array([e is not None for e in emitters], dtype=bool)

    # -- before the looks -----------------------------------------------------------------
    def radiate(self, t: float, units_active: np.ndarray) -> np.ndarray | None:
        """Which radars radiate at ``t`` (None when no radar can be silent in this run).

        ``units_active`` (n_units,) bool: posts at work (a carried one while it flies).
        """
        if not self.active:
            return None
        nearest = np.full(len(self.radars), np.inf)
        cued = self.emission.needs_cues
        for unit in self.units:
            own = [r for r in unit.radars[: len(unit.spec.radars)] if cued[r]]
            if not own or not units_active[unit.index]:
                continue
            fused = unit.receiver.fuse(unit.picture, t)
            enemy = np.isin(fused.identity, [int(i) for i in POSSIBLE_ENEMY])
            positions = fused.state_ecef[enemy, :3]
            if not len(positions):
                continue
            for r in own:
                distance = np.linalg.norm(positions - self.radars[r].pos_ecef_m, axis=1)
                nearest[r] = float(distance.min())
        now = self.emission.emitting(t, nearest)
        for changed in np.flatnonzero(now != self.radiating):
            r = int(changed)
            if self.emission.dead[r]:
                reason = "destroyed"
            elif t < self.emission.silent_until_s[r]:
                reason = "arm_shutdown"
            else:
                reason = "policy"
            self.recorder.event(
                t,
                "emission",
                unit=self._unit_name(r),
                radar=self.names[r],
                radiating=bool(now[r]),
                reason=reason,
            )
        self.radiating = now
        return now

    def _unit_name(self, radar: int) -> str:
        unit = self.unit_of_radar[radar]
        return self.units[unit].name if unit >= 0 else ""

    # -- after the looks ------------------------------------------------------------------
    def looked(self, t: float, scans: dict[int, DetectionBatch], truth: TruthState) -> None:
        """Radars whose post recognises an anti-radiation missile coming at them shut down (by
        their policy); the missiles in flight note whether their radar radiates.

        Recognition reads the post's own confirmed tracks of possible enemies, their
        estimated positions and velocities (:func:`~iadsim.ew.arm_warning.recognise`), never
        ``scans``' truth column or the entities' categories. ``truth`` is read only by the
        missiles' seekers (whether their radar radiates).
        """
        del scans  # their truth column is for scoring only
        if not self.active:
            return
        for unit in self.units:
            watched = [
                r for r in unit.radars[: len(unit.spec.radars)] if self.emission.shutdown_on_arm[r]
            ]
            if watched:
                for r in self.arm_warnings(unit, watched):
                    self.emission.arm_detected(t, r)
        self.arms.observe(t, truth.present, self.radiating)

    def arm_warnings(self, unit: FireUnitState, radars: list[int]) -> list[int]:
        """Of ``radars`` (indices), those at which ``unit``'s post sees an anti-radiation
        missile coming, by :attr:`warning_rule` on its confirmed tracks."""
        picture = unit.picture
        slots = picture.confirmed_slots()
        enemy = np.isin(picture.column("identity")[slots], [int(i) for i in POSSIBLE_ENEMY])
        state = picture.table.state[slots[enemy], :6]
        if not len(state):
            return []
        pos, vel = state[:, :3], state[:, 3:6]
        up = pos + np.array([0.0, 0.0, EARTH_RADIUS_M + picture.alt_m])
        up /= np.linalg.norm(up, axis=1, keepdims=True)
        antennas = np.array([self.radars[r].pos_ecef_m for r in radars]).reshape(-1, 3)
        local = np.reshape(ecef_to_enu(antennas, picture.origin_ecef_m, picture.rotation), (-1, 3))
        return [
            r
            for r, antenna in zip(radars, local, strict=True)
            if recognise(pos, vel, up, antenna, self.warning_rule).any()
        ]

    def listen(self, t: float, truth: TruthState) -> None:
        """The passive receivers due now look at the radiating radars with emitter data."""
        receivers = self.receivers
        if not receivers.names:
            return
        carried = receivers.carrier >= 0
        position = receivers.fixed_ecef_m.copy()
        height = receivers.fixed_height_m.copy()
        present = np.ones(len(receivers.names), dtype=bool)
        position[carried] = truth.pos_ecef_m[receivers.carrier[carried]]
        height[carried] = truth.lla[receivers.carrier[carried], 2]
        present[carried] = truth.present[receivers.carrier[carried]]
        emitters = np.array([radar.pos_ecef_m for radar in self.radars]).reshape(-1, 3)
        emitter_height = np.array([radar.alt_m for radar in self.radars])
        frequency = np.array([radar.spec.frequency_hz for radar in self.radars])
        gained, lost = receivers.look(
            t,
            position,
            height,
            present,
            emitters,
            emitter_height,
            self.emitter_power_w,
            self.emitter_gain_dbi,
            frequency,
            self.radiating & self.has_emitter,
        )
        for r, k, power in gained:
            self.recorder.event(
                t,
                "emitter_detected",
                unit=receivers.names[r],
                receiver=receivers.kinds[r],
                radar=self.names[k],
                power_dbm=round(power, 3),
            )
        for r, k in lost:
            self.recorder.event(t, "emitter_lost", unit=receivers.names[r], radar=self.names[k])

    def arrived(self, entity: int, t: float, lla: tuple[float, float, float]) -> None:
        """An air entity reached the end of its route (a leak, recorded by the engine): if it
        is an anti-radiation missile, resolve its impact."""
        row = self.arms.row_of(entity) if self.is_arm[entity] else -1
        if row < 0:
            return
        impact = self.arms.impact(row, t)
        radar = self.names[impact.radar]
        self.recorder.event(
            t,
            "arm_impact",
            unit=self._unit_name(impact.radar),
            truth=self.entity_names[entity],
            lla=lla,
            radar=radar,
            hit=impact.hit,
            reason=impact.reason,
        )
        if impact.hit and not self.emission.dead[impact.radar]:
            self.emission.kill(impact.radar)
            self.recorder.event(
                t,
                "radar_killed",
                unit=self._unit_name(impact.radar),
                truth=self.entity_names[entity],
                radar=radar,
            )
