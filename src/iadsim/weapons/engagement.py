"""The weapons stage: reloads, launches, interceptor flight, and kill assessment.

Launch orders arrive as timed :class:`Launch` events (the decision stage takes the rounds;
a launcher fires when ready). Each step the interceptors in flight are guided on their
post's fire-control track and fly the step. Through a gap in the track a missile flies on
inertial guidance towards the track extrapolated at constant velocity, for up to its unit's
``doctrine.guidance_coast_s`` of silence; then it loses guidance. An intercept's outcome
is assessed at the post ``ASSESSMENT_DELAY_S`` later (a :class:`KillAssessment` event),
which frees the engagement. The assessment is imperfect: a killed target is judged killed
with the unit's ``kill_assessment_probability``, a surviving one with its
``false_kill_probability`` (one uniform draw per assessment from its own stream); a target
judged killed has its track dropped, so it is not engaged again on that track, and a
target judged missed is free for the next shot (shoot-look-shoot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from iadsim.c2.engagement import Envelopes
from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
from iadsim.motion.truth import TruthState
from iadsim.weapons._guidance_kernels import extrapolated_tracks_kernel, target_states_kernel
from iadsim.weapons.fleet import InterceptorFleet
from iadsim.weapons.launchers import LauncherTable

if TYPE_CHECKING:
    from iadsim.engine.events import EventHeap
    from iadsim.engine.record import Recorder

ASSESSMENT_DELAY_S = 3.0
"""Time from an intercept to the post's kill assessment (notional)."""


@dataclass(frozen=True)
class Launch:
    """A round to fire: which unit, launcher, interceptor type, at which track."""

    unit: int
    launcher: int
    interceptor: int
    track_id: int
    truth: int
    """Air entity of the track (scoring and truth-homing end-game only), -1 if false."""
    engagement_id: int
    """The engagement (order) the round belongs to, unique within the run."""


@dataclass(frozen=True)
class KillAssessment:
    """The post judges the outcome of one interceptor's engagement of a track."""

    unit: int
    track_id: int
    killed: bool
    """The round killed its target (truth)."""
    slot: int = -1
    """The interceptor."""
    intercept: bool = False
    """It ended at closest approach (a kill or a miss to judge), not by self-destruct."""


def judged_killed(killed: bool, draw: float, detect: float, false_kill: float) -> bool:
    """The post's verdict on one intercept from a uniform ``draw`` in [0, 1).

    Parameters
    ----------
    killed : bool
        The round killed its target.
    draw : float
        Uniform draw of the assessment stream.
    detect, false_kill : float
        P(judged killed | killed) and P(judged killed | survived).
    """
    return draw < (detect if killed else false_kill)


class WeaponsStage:
    """Launchers, the interceptors in flight, and the outcomes they produce.

    Parameters
    ----------
    units : list of FireUnitState
        The fire units (their pictures guide the interceptors; ``engaged`` is booked).
    launchers : LauncherTable
    envelopes : Envelopes
        Of the launchers' interceptor types (aim points at launch).
    fleet : InterceptorFleet
    entity_names : list of str
        For event records.
    alive : (n_entities,) bool
        Shared with the engine; a kill clears it.
    heap : EventHeap
        Where launches and assessments wait.
    recorder : Recorder
    kill_rng : numpy.random.Generator
        The ``kill-assessment`` stream.
    seeker_rng : numpy.random.Generator, optional
        The ``seeker`` stream: the interceptors' seeker noise (None: noiseless seekers).
    assessment_rng : numpy.random.Generator, optional
        The ``kill-assessment-report`` stream: the post's verdicts (None: perfect
        assessment).
    """

    def __init__(
        self,
        units: list[Any],
        launchers: LauncherTable,
        envelopes: Envelopes,
        fleet: InterceptorFleet,
        entity_names: list[str],
        alive: np.ndarray,
        heap: EventHeap,
        recorder: Recorder,
        kill_rng: np.random.Generator,
        seeker_rng: np.random.Generator | None = None,
        assessment_rng: np.random.Generator | None = None,
    ) -> None:
        self.units = units
        self.launchers = launchers
        self.envelopes = envelopes
        self.fleet = fleet
        self.names = entity_names
        self.alive = alive
        self.heap = heap
        self.recorder = recorder
        self.kill_rng = kill_rng
        self.seeker_rng = seeker_rng
        self.assessment_rng = assessment_rng
        self._previous_truth: tuple[float, np.ndarray, np.ndarray] | None = None
        """Time, velocity (ECEF) and presence of the air entities at the previous step."""
        self._track_state = np.empty((0, 6))
        self._target_state = np.empty((0, 6))
        self._target_accel = np.empty((0, 3))
        """The step's guidance tracks and true target states and accelerations, by slot
        (:meth:`_fly` fills them for the fleet's flight of the step, which reads them only
        within the step; :meth:`_guidance_tracks` sizes them to the fleet)."""

    def schedule(self, launch_s: float, launch: Launch) -> None:
        """Fire ``launch`` at ``launch_s``."""
        self.heap.schedule(launch_s, "launch", launch)

    def step(self, t: float, dt_s: float, truth: TruthState) -> None:
        """Reloads done by ``t``, events due in the step, then every interceptor's flight."""
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
            if isinstance(event.payload, Launch):
                self._launch(event.time_s, event.payload)
            elif isinstance(event.payload, KillAssessment):
                self._assess(event.time_s, event.payload)
        self._fly(t, dt_s, truth)

    def _fly(self, t: float, dt_s: float, truth: TruthState) -> None:
        table = self.fleet.table
        slots = table.active_slots()
        if slots.size == 0:
            return
        gone = slots[(table.truth[slots] >= 0) & ~self.alive[np.maximum(table.truth[slots], 0)]]
        if gone.size:  # most steps: every target still alive
            table.release(gone)
            for slot in gone:
                self._flight_end(t, int(slot), "self_destruct", reason="target_destroyed")
            slots = table.active_slots()
        track_state, valid = self._guidance_tracks(t, slots)  # sizes the buffers
        target_state, target_accel = self._target_state, self._target_accel
        target_states_kernel(
            track_state, table.truth, truth.present, truth.pos_ecef_m, truth.vel_ecef_mps,
            self._truth_acceleration(t, truth), target_state, target_accel,
        )  # fmt: skip
        lost, outcomes = self.fleet.fly(
            t,
            dt_s,
            track_state,
            valid,
            target_state,
            self.kill_rng,
            self.seeker_rng,
            target_accel_ecef_mps2=target_accel,
        )
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
                outcome.homing,
            )

    def _resize_buffers(self, capacity: int) -> None:
        """Size the step's guidance tracks ``(capacity, 6)``, target states
        ``(capacity, 6)`` and target accelerations ``(capacity, 3)`` to the fleet's
        ``capacity`` (a fleet grows when full; the kernels that fill them do not check
        bounds)."""
        self._track_state = np.empty((capacity, 6))
        self._target_state = np.empty((capacity, 6))
        self._target_accel = np.empty((capacity, 3))

    def _truth_acceleration(self, t: float, truth: TruthState) -> np.ndarray:
        """Each air entity's acceleration over the last step, ECEF m/s^2, (n_entities, 3).

        The backward difference of the true velocity, ``(v(t) - v(t - dt)) / dt``: what
        gravity, drag, turns and a terminal manoeuvre did to the target. Zero for an entity
        not flying at both instants. Kept so that the end-game target accelerates within
        the step instead of moving in a straight line between steps and jumping to truth.
        """
        accel = np.zeros(truth.vel_ecef_mps.shape)
        previous = self._previous_truth
        if previous is not None and t > previous[0]:
            both = truth.present & previous[2]
            accel[both] = (truth.vel_ecef_mps[both] - previous[1][both]) / (t - previous[0])
        if previous is None or t > previous[0]:
            self._previous_truth = (t, truth.vel_ecef_mps.copy(), truth.present.copy())
        return accel

    def _guidance_tracks(self, t: float, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each flying interceptor's guidance state at ``t``, and whether it is still guided.

        The guidance state is the fire-control track of its target (ECEF) extrapolated at
        constant velocity from the track's time to ``t``; a track missing from the picture
        is held as last seen and extrapolated the same way (inertial midcourse). A missile
        stays guided while the track's last fire-control update is within its unit's
        ``doctrine.guidance_coast_s`` of ``t``.

        Returns
        -------
        state : (capacity, 6) float64
            The stage's buffer, rewritten at the next step.
        valid : (capacity,) bool
        """
        table = self.fleet.table
        state = table.guidance_track_ecef
        capacity = len(state)  # the table's, without its property's call
        valid = np.zeros(capacity, dtype=bool)
        units = table.unit[slots]
        # Unit by unit (one picture each), all of its interceptors at once.
        for index in sorted(set(units.tolist())):  # np.unique's order, without its overhead
            mine = slots[units == index]
            unit = self.units[index]
            picture = unit.picture
            rows = picture.table.slots_of(table.track_id[mine])
            found = rows >= 0
            held, rows = mine[found], rows[found]
            if held.size:
                enu = picture.table.state[rows]
                state[held, :3] = enu_to_ecef(enu[:, :3], picture.origin_ecef_m, picture.rotation)
                state[held, 3:] = enu[:, 3:] @ picture.rotation
                table.guidance_time_s[held] = picture.table.time_s[rows]
                fresh, kept = picture.column("fc_seen_s")[rows], table.guidance_fresh_s[held]
                table.guidance_fresh_s[held] = np.where(fresh > kept, fresh, kept)
            silence = t - table.guidance_fresh_s[mine]
            valid[mine] = silence <= unit.spec.doctrine.guidance_coast_s
        if len(self._track_state) != capacity:  # the first guidance, or a grown fleet
            self._resize_buffers(capacity)
        extrapolated_tracks_kernel(state, table.guidance_time_s, t, self._track_state)
        return self._track_state, valid

    def _launch(self, time_s: float, launch: Launch) -> None:
        unit = self.units[launch.unit]
        picture = unit.picture
        row = int(picture.table.slots_of(np.array([launch.track_id]))[0])
        if row < 0:
            self.launchers.rounds[launch.launcher, launch.interceptor] += 1
            self._engagement_done(launch.unit, launch.track_id)
            self.recorder.event(
                time_s,
                "abort",
                unit=unit.name,
                track_id=launch.track_id,
                engagement_id=launch.engagement_id,
                reason="track_dropped_before_launch",
            )
            return
        track = picture.table.state[row][None, :]
        _, _, aim = self.envelopes.intercepts(track[:, :3], track[:, 3:], 0.0, unit.spec.site.alt_m)
        aim_ecef = enu_to_ecef(aim[0, launch.interceptor], picture.origin_ecef_m, picture.rotation)
        slot = self.fleet.launch(
            launch.unit,
            launch.interceptor,
            launch.track_id,
            launch.truth,
            picture.origin_ecef_m,
            picture.rotation,
            aim_ecef,
            launch.engagement_id,
        )
        pos = unit.spec.site
        self.recorder.event(
            time_s,
            "launch",
            unit=unit.name,
            track_id=launch.track_id,
            truth=self.names[launch.truth] if launch.truth >= 0 else "",
            interceptor_id=slot,
            engagement_id=launch.engagement_id,
            lla=(pos.lat_rad, pos.lon_rad, pos.alt_m),
            interceptor=self.launchers.interceptor_types[launch.interceptor],
            launcher=launch.launcher,
        )

    def _flight_event(self, time_s: float, slot: int, kind: str, pos_ecef_m=None, **detail) -> None:
        table = self.fleet.table
        unit = self.units[table.unit[slot]]
        truth = int(table.truth[slot])
        pos = table.pos_ecef_m[slot] if pos_ecef_m is None else pos_ecef_m
        lat, lon, alt = ecef_to_lla(pos)
        self.recorder.event(
            time_s,
            kind,
            unit=unit.name,
            track_id=int(table.track_id[slot]),
            truth=self.names[truth] if truth >= 0 else "",
            interceptor_id=slot,
            engagement_id=int(table.engagement_id[slot]),
            lla=(float(lat), float(lon), float(alt)),
            **detail,
        )

    def _flight_end(
        self, time_s, slot, kind, reason, miss_distance_m=None, pos_ecef_m=None, homing=False
    ):
        detail: dict[str, Any] = {"reason": reason}
        if miss_distance_m is not None:
            detail["miss_distance_m"] = round(float(miss_distance_m), 3)
            detail["homing"] = bool(homing)
        self._flight_event(time_s, slot, kind, pos_ecef_m, **detail)
        table = self.fleet.table
        assessment = KillAssessment(
            int(table.unit[slot]),
            int(table.track_id[slot]),
            kind == "kill",
            int(slot),
            kind in ("kill", "miss"),
        )
        self.heap.schedule(time_s + ASSESSMENT_DELAY_S, "assessment", assessment)

    def _assess(self, time_s: float, assessment: KillAssessment) -> None:
        """Kill assessment at the post: the engagement is freed; a target judged killed has
        its track dropped (not engaged again on it). Each intercept's verdict is drawn
        (:func:`judged_killed`) and recorded as a ``kill_assessment`` event."""
        self._engagement_done(assessment.unit, assessment.track_id)
        verdict = assessment.killed
        unit = self.units[assessment.unit]
        if assessment.intercept and self.assessment_rng is not None:
            doctrine = unit.spec.doctrine
            verdict = judged_killed(
                assessment.killed,
                float(self.assessment_rng.random()),
                doctrine.kill_assessment_probability,
                doctrine.false_kill_probability,
            )
        if assessment.intercept:
            truth = int(self.fleet.table.truth[assessment.slot])
            self.recorder.event(
                time_s,
                "kill_assessment",
                unit=unit.name,
                track_id=assessment.track_id,
                truth=self.names[truth] if truth >= 0 else "",
                interceptor_id=assessment.slot,
                engagement_id=int(self.fleet.table.engagement_id[assessment.slot]),
                killed=assessment.killed,
                judged_killed=verdict,
                correct=verdict == assessment.killed,
            )
        if verdict:
            unit.picture.drop(assessment.track_id)

    def _engagement_done(self, unit_index: int, track_id: int) -> None:
        engaged = self.units[unit_index].engaged
        engaged[track_id] -= 1
        if engaged[track_id] <= 0:
            del engaged[track_id]
