"""Interceptors in flight: the 3-DOF flyouts plus who fired each at what, and kill assessment.

Each simulation step is flown in :data:`SUBSTEPS` flyout steps, with the fire-control track
and the true target extrapolated at constant velocity across it. Guidance needs fresh
fire-control updates: a missile whose track has not been updated for
:data:`GUIDANCE_TIMEOUT_S` loses guidance (the flyout then flies it ballistic, see
:func:`iadsim.weapons.flyout.step`). At closest approach the kill is drawn from the Carleton
damage function (:mod:`iadsim.weapons.lethality`) at the miss distance.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import InterceptorType
from iadsim.weapons.flyout import (
    Airframe,
    EndReason,
    FlyoutState,
    lofted_launch_velocity,
    step,
)
from iadsim.weapons.lethality import kill_probability

GUIDANCE_TIMEOUT_S = 6.0
"""Fire-control silence after which a missile loses guidance (notional)."""
SUBSTEPS = 10
"""Flyout steps per simulation step."""
_PER_TYPE = ("airframes", "drag_table")
"""Fields of :class:`FlyoutState` held per interceptor type, not per slot."""
END_KINDS = {
    EndReason.GROUND_IMPACT: "ground_impact",
    EndReason.MIN_SPEED: "below_min_speed",
    EndReason.MAX_FLIGHT_TIME: "max_flight_time",
}


@dataclass(frozen=True)
class Outcome:
    """How one flyout ended."""

    slot: int
    kind: str
    """``kill`` or ``miss`` at closest approach, else ``self_destruct``."""
    reason: str
    time_s: float
    truth: int
    miss_distance_m: float
    pos_ecef_m: np.ndarray


class InterceptorFleet:
    """Every interceptor of a simulation, one slot each, never reused.

    The ``n``-th interceptor launched takes slot ``n``, so a slot is also the interceptor's
    unique id, increasing in launch order. The slot arrays start at ``capacity`` and double
    whenever a launch finds them full, so a fleet never runs out; a simulation sizes it to
    every round it can ever fire (loads plus spares), and then it never grows.

    Parameters
    ----------
    capacity : int
        Initial number of slots (0 allowed).
    airframes : list of Airframe
        By interceptor type index.
    types : list of InterceptorType
        Catalog entries by the same index (Pk, lethal radius).
    """

    def __init__(self, capacity: int, airframes: list[Airframe], types: list[InterceptorType]):
        self.state = FlyoutState.empty(capacity)
        self.airframes = airframes
        self.direct_hit_pk = np.array([t.single_shot_pk for t in types])
        self.lethal_radius_m = np.array([t.lethal_radius_m for t in types])
        self.unit = np.full(capacity, -1, dtype=np.int64)
        self.type_index = np.full(capacity, -1, dtype=np.int64)
        self.track_id = np.full(capacity, -1, dtype=np.int64)
        self.truth = np.full(capacity, -1, dtype=np.int64)
        self.guided = np.zeros(capacity, dtype=bool)
        self.launched = 0
        """Interceptors launched so far (the next launch's slot and id)."""

    @property
    def capacity(self) -> int:
        """Number of slots held now."""
        return self.state.capacity

    def _grow(self, capacity: int) -> None:
        """Enlarge every per-slot array to ``capacity`` rows; new rows are empty slots."""
        grown = FlyoutState.empty(capacity)
        old = self.state.capacity
        for state_field in dataclasses.fields(FlyoutState):
            value = getattr(self.state, state_field.name)
            if state_field.name in _PER_TYPE:
                setattr(grown, state_field.name, value)
            else:
                getattr(grown, state_field.name)[:old] = value
        self.state = grown
        for name, fill in (("unit", -1), ("type_index", -1), ("track_id", -1), ("truth", -1)):
            column = np.full(capacity, fill, dtype=np.int64)
            column[:old] = getattr(self, name)
            setattr(self, name, column)
        guided = np.zeros(capacity, dtype=bool)
        guided[:old] = self.guided
        self.guided = guided

    def active_slots(self) -> np.ndarray:
        """Slots in flight, ascending."""
        return np.flatnonzero(self.state.active)

    def launch(
        self,
        unit: int,
        type_index: int,
        track_id: int,
        truth: int,
        site_ecef_m: np.ndarray,
        rotation: np.ndarray,
        aim_ecef_m: np.ndarray,
    ) -> int:
        """Put one interceptor in flight towards a predicted intercept point.

        Returns
        -------
        int
            Its slot, which is also its unique id (launch order, from 0).
        """
        slot = self.launched
        if slot >= self.capacity:
            self._grow(max(2 * self.capacity, slot + 1))
        self.launched += 1
        airframe = self.airframes[type_index]
        velocity = lofted_launch_velocity(site_ecef_m, rotation, aim_ecef_m[None, :], airframe)
        self.state.launch([slot], airframe, site_ecef_m, velocity)
        self.unit[slot], self.type_index[slot] = unit, type_index
        self.track_id[slot], self.truth[slot] = track_id, truth
        self.guided[slot] = True
        return slot

    def fly(
        self,
        time_s: float,
        dt_s: float,
        track_state: np.ndarray,
        track_valid: np.ndarray,
        target_state: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, list[Outcome]]:
        """Fly every active interceptor through ``[time_s, time_s + dt_s)``.

        Parameters
        ----------
        time_s, dt_s : float
        track_state : (capacity, 6) float64
            Fire-control track of each slot's target at ``time_s`` (ECEF, m and m/s).
        track_valid : (capacity,) bool
            The track was updated within :data:`GUIDANCE_TIMEOUT_S`.
        target_state : (capacity, 6) float64
            True state of each slot's target (the track for a false track).
        rng : numpy.random.Generator
            The kill-assessment stream.

        Returns
        -------
        lost : (k,) int64
            Slots that lost guidance in this step.
        outcomes : list of Outcome
            Flyouts that ended, in time order.
        """
        lost = np.flatnonzero(self.state.active & self.guided & ~track_valid)
        self.guided[lost] = False
        sub_dt = dt_s / SUBSTEPS
        outcomes = []
        for k in range(SUBSTEPS):
            if not self.state.active.any():
                break
            elapsed = k * sub_dt
            events = step(
                self.state,
                track_state[:, :3] + track_state[:, 3:] * elapsed,
                track_state[:, 3:],
                self.guided,
                sub_dt,
                target_pos_ecef_m=target_state[:, :3] + target_state[:, 3:] * elapsed,
                target_vel_ecef_mps=target_state[:, 3:],
            )
            outcomes += self._assess(events, time_s + elapsed, rng)
        return lost, outcomes

    def _assess(self, events, step_start_s: float, rng: np.random.Generator) -> list[Outcome]:
        if len(events) == 0:  # most substeps: nothing ended, and no draw is taken
            return []
        order = np.lexsort((events.slot, events.time_in_step_s))
        slots = events.slot[order]
        types = self.type_index[slots]
        pk = kill_probability(
            events.miss_distance_m[order], self.direct_hit_pk[types], self.lethal_radius_m[types]
        )
        draws = rng.random(slots.size)
        outcomes = []
        for row, slot in enumerate(slots):
            i = order[row]
            reason = EndReason(int(events.reason[i]))
            if reason == EndReason.CLOSEST_APPROACH:
                killed = self.truth[slot] >= 0 and draws[row] < pk[row]
                kind, why = ("kill" if killed else "miss"), "closest_approach"
            else:
                kind, why = "self_destruct", END_KINDS[reason]
            outcomes.append(
                Outcome(
                    int(slot),
                    kind,
                    why,
                    step_start_s + float(events.time_in_step_s[i]),
                    int(self.truth[slot]),
                    float(events.miss_distance_m[i]),
                    events.pos_ecef_m[i].copy(),
                )
            )
        return outcomes
