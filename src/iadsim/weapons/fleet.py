"""Interceptors in flight: the 3-DOF flyouts plus who fired each at what, and kill assessment.

Each simulation step is flown in :data:`SUBSTEPS` flyout steps, with the fire-control track
and the true target extrapolated at constant velocity across it. Guidance needs the
fire-control track: through a gap the missile coasts on inertial guidance towards the
extrapolated track (:class:`iadsim.weapons.engagement.WeaponsStage` decides for how long);
one whose track has been silent longer loses guidance for good (the flyout then flies it
ballistic, see :func:`iadsim.weapons.flyout.step`). In terminal homing the seeker measures
the target with noise drawn from the seeker stream, and locks on at a range set by the
target's RCS. At closest approach the kill is drawn from the round's reliability times its
warhead's kill probability at the miss distance against the target's class
(:mod:`iadsim.weapons.lethality`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import AirPlatformType, InterceptorType
from iadsim.core.tables import Column
from iadsim.geo.terrain import ElevationGrid
from iadsim.weapons._substep_kernels import substep_targets_kernel
from iadsim.weapons.flyout import (
    Airframe,
    EndReason,
    FlyoutState,
    fly_substeps,
    lofted_launch_velocity,
)
from iadsim.weapons.lethality import Lethality, target_class_index
from iadsim.weapons.seeker import GLINT_FRACTION_OF_SIZE

SUBSTEPS = 10
"""Flyout steps per simulation step."""
END_KINDS = {
    EndReason.GROUND_IMPACT: "ground_impact",
    EndReason.MIN_SPEED: "below_min_speed",
    EndReason.MAX_FLIGHT_TIME: "max_flight_time",
}


def substep_targets(
    track_state: np.ndarray, target_state: np.ndarray, accel: np.ndarray, sub_dt: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Track position, true target position and velocity at the start of each of
    :data:`SUBSTEPS` substeps of ``sub_dt`` s, each ``(SUBSTEPS, capacity, 3)``: the track
    extrapolated at constant velocity, the target at constant acceleration ``accel``
    (``p + v e + a e^2 / 2``) with the mid-substep velocity (the chord of the substep's
    arc). NumPy twin of :func:`~iadsim.weapons._substep_kernels.substep_targets_kernel`,
    which :meth:`InterceptorFleet.fly` calls (the same operations, so the same bits).
    """
    elapsed = (np.arange(SUBSTEPS) * sub_dt)[:, None, None]
    mid = elapsed + 0.5 * sub_dt
    track_pos = track_state[:, :3] + track_state[:, 3:] * elapsed
    target_pos = target_state[:, :3] + target_state[:, 3:] * elapsed + 0.5 * accel * elapsed**2
    target_vel = target_state[:, 3:] + accel * mid
    return track_pos, target_pos, target_vel


@dataclass(frozen=True)
class TargetProperties:
    """What the end-game needs of each air entity, by entity index.

    Attributes
    ----------
    target_class : (n_entities,) int64
        Vulnerability class (:data:`iadsim.weapons.lethality.TARGET_CLASSES`).
    rcs_m2 : (n_entities,) float64
        Catalog RCS times the platform's ``rcs_scale``: the seeker's lock-on range.
    glint_m : (n_entities,) float64
        One-sigma glint: :data:`~iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE` of the
        platform's ``size_m``.
    """

    target_class: np.ndarray
    rcs_m2: np.ndarray
    glint_m: np.ndarray

    @classmethod
    def of_platforms(
        cls, platforms: list[str], catalog: dict[str, AirPlatformType]
    ) -> TargetProperties:
        """From each entity's platform key and the catalog's air platforms."""
        specs = [catalog[key] for key in platforms]
        return cls(
            target_class=np.array([target_class_index(s.category) for s in specs], np.int64),
            rcs_m2=np.array([s.rcs_m2 * s.rcs_scale for s in specs], dtype=float),
            glint_m=np.array([GLINT_FRACTION_OF_SIZE * s.size_m for s in specs], dtype=float),
        )


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
    homing: bool
    """The seeker was homing at the end (an end-game miss distance, not an unguided pass)."""


class InterceptorTable(FlyoutState):
    """Every interceptor of a simulation, one row each: its flyout, who fired it at what.

    Slots are never reused (``REUSES_SLOTS`` is False): the ``n``-th interceptor launched
    takes slot ``n``, so a slot is also the interceptor's unique id, increasing in launch
    order, and an ended flight's row stays readable for the events that name it.

    Attributes
    ----------
    unit : (capacity,) int64
        Fire unit that launched it.
    type_index : (capacity,) int64
        Interceptor type, by the fleet's type index.
    track_id : (capacity,) int64
        The unit's track it was fired at.
    truth : (capacity,) int64
        Air entity of that track (scoring and the end-game), -1 for a false track.
    engagement_id : (capacity,) int64
        The engagement (fire order) it belongs to.
    guided : (capacity,) bool
        Still under fire-control guidance (False once the track went silent).
    guidance_track_ecef : (capacity, 6) float64
        The fire-control track it was last guided on, ECEF position (m) and velocity
        (m/s); held while the track is missing from the picture.
    guidance_time_s : (capacity,) float64
        Time of that track state, s (NaN before the first).
    guidance_fresh_s : (capacity,) float64
        Last fire-control update of the track, s: the start of any gap it coasts through.
    target_class : (capacity,) int64
        Vulnerability class of the target (aircraft for a false track).
    target_rcs_m2, target_glint_m : (capacity,) float64
        What its seeker sees of the target (:class:`TargetProperties`).
    """

    REUSES_SLOTS = False
    COLUMNS = (
        *FlyoutState.COLUMNS,
        Column("unit", np.int64, -1),
        Column("type_index", np.int64, -1),
        Column("track_id", np.int64, -1),
        Column("truth", np.int64, -1),
        Column("engagement_id", np.int64, -1),
        Column("guided", np.bool_, False),
        Column("guidance_track_ecef", np.float64, 0.0, (6,)),
        Column("guidance_time_s", np.float64, np.nan),
        Column("guidance_fresh_s", np.float64, -np.inf),
        Column("target_class", np.int64, 0),
        Column("target_rcs_m2", np.float64, 1.0),
        Column("target_glint_m", np.float64, 0.0),
    )

    unit: np.ndarray
    type_index: np.ndarray
    track_id: np.ndarray
    truth: np.ndarray
    engagement_id: np.ndarray
    guided: np.ndarray
    guidance_track_ecef: np.ndarray
    guidance_time_s: np.ndarray
    guidance_fresh_s: np.ndarray
    target_class: np.ndarray
    target_rcs_m2: np.ndarray
    target_glint_m: np.ndarray


class InterceptorFleet:
    """The interceptors of a simulation (an :class:`InterceptorTable`) and their flight.

    A simulation sizes the table to every round it can ever fire (loads plus spares), and
    then it never grows; it would grow if it had to.

    Parameters
    ----------
    capacity : int
        Initial number of slots.
    airframes : list of Airframe
        By interceptor type index.
    types : list of InterceptorType
        Catalog entries by the same index (reliability, warhead, lethal radii).
    targets : TargetProperties, optional
        Of the simulation's air entities; without it every target is a 1 m^2 aircraft
        without glint.
    terrain : ElevationGrid, optional
        Terrain a missile that flies into ends on (ground impact above the ground, not
        the ellipsoid); none: the ellipsoid.
    """

    def __init__(
        self,
        capacity: int,
        airframes: list[Airframe],
        types: list[InterceptorType],
        targets: TargetProperties | None = None,
        terrain: ElevationGrid | None = None,
    ):
        self.table = InterceptorTable(capacity)
        self.terrain = terrain
        self.airframes = airframes
        self.lethality = Lethality.from_catalog(types)
        self.targets = targets

    def launch(
        self,
        unit: int,
        type_index: int,
        track_id: int,
        truth: int,
        site_ecef_m: np.ndarray,
        rotation: np.ndarray,
        aim_ecef_m: np.ndarray,
        engagement_id: int = -1,
    ) -> int:
        """Put one interceptor in flight towards a predicted intercept point.

        Returns
        -------
        int
            Its slot, which is also its unique id (launch order, from 0).
        """
        airframe = self.airframes[type_index]
        velocity = lofted_launch_velocity(site_ecef_m, rotation, aim_ecef_m[None, :], airframe)
        table = self.table
        (slot,) = table.launch(airframe, site_ecef_m, velocity)
        table.unit[slot], table.type_index[slot] = unit, type_index
        table.track_id[slot], table.truth[slot] = track_id, truth
        table.engagement_id[slot] = engagement_id
        table.guided[slot] = True
        if truth >= 0 and self.targets is not None:
            table.target_class[slot] = self.targets.target_class[truth]
            table.target_rcs_m2[slot] = self.targets.rcs_m2[truth]
            table.target_glint_m[slot] = self.targets.glint_m[truth]
        return int(slot)

    def fly(
        self,
        time_s: float,
        dt_s: float,
        track_state: np.ndarray,
        track_valid: np.ndarray,
        target_state: np.ndarray,
        rng: np.random.Generator,
        seeker_rng: np.random.Generator | None = None,
        target_accel_ecef_mps2: np.ndarray | None = None,
    ) -> tuple[np.ndarray, list[Outcome]]:
        """Fly every active interceptor through ``[time_s, time_s + dt_s)``.

        Parameters
        ----------
        time_s, dt_s : float
        track_state : (capacity, 6) float64
            Fire-control track of each slot's target at ``time_s`` (ECEF, m and m/s).
        track_valid : (capacity,) bool
            The missile is still guided (its track is fresh, or silent for no longer than
            it may coast).
        target_state : (capacity, 6) float64
            True state of each slot's target (the track for a false track).
        rng : numpy.random.Generator
            The kill-assessment stream.
        seeker_rng : numpy.random.Generator, optional
            The seeker-noise stream (None: noiseless seekers).
        target_accel_ecef_mps2 : (capacity, 3) float64, optional
            True acceleration of each slot's target (None: zero). The target is then
            extrapolated at constant acceleration across the step, substep by substep
            (``p + v e + a e^2 / 2``, ``v + a e``), and at constant velocity within a
            substep (a position error of ``a h^2 / 8`` at most, h the substep).

        Returns
        -------
        lost : (k,) int64
            Slots that lost guidance in this step.
        outcomes : list of Outcome
            Flyouts that ended, in time order.
        """
        table = self.table
        lost = (table.active & table.guided & ~track_valid).nonzero()[0]
        table.guided[lost] = False
        sub_dt = dt_s / SUBSTEPS
        outcomes = []
        if target_accel_ecef_mps2 is None:
            accel = np.zeros((len(target_state), 3))
        else:
            accel = np.asarray(target_accel_ecef_mps2, dtype=float)
        # The inputs of every substep at once, in one compiled call per step.
        inputs = np.empty((3, SUBSTEPS, len(track_state), 3))
        substep_targets_kernel(track_state, target_state, accel, sub_dt, inputs)
        track_pos, target_pos, target_vel = inputs
        track_vel = track_state[:, 3:]
        # The substeps up to the first in which a flyout ends in one call, its ends assessed,
        # then the next ones (most simulation steps: all ten in one call).
        k = 0
        while k < SUBSTEPS and table.active.any():
            events, k = fly_substeps(
                table,
                track_pos,
                track_vel,
                table.guided,
                sub_dt,
                k,
                target_pos_ecef_m=target_pos,
                target_vel_ecef_mps=target_vel,
                terrain=self.terrain,
                target_rcs_m2=table.target_rcs_m2,
                glint_m=table.target_glint_m,
                seeker_rng=seeker_rng,
            )
            outcomes += self._assess(events, time_s + (k - 1) * sub_dt, rng)
        return lost, outcomes

    def _assess(self, events, step_start_s: float, rng: np.random.Generator) -> list[Outcome]:
        if len(events) == 0:  # most substeps: nothing ended, and no draw is taken
            return []
        order = np.lexsort((events.slot, events.time_in_step_s))
        slots = events.slot[order]
        truth = self.table.truth
        types = self.table.type_index[slots]
        pk = self.lethality.kill_probability(
            types, self.table.target_class[slots], events.miss_distance_m[order]
        )
        draws = rng.random(slots.size)
        outcomes = []
        for row, slot in enumerate(slots):
            i = order[row]
            reason = EndReason(int(events.reason[i]))
            if reason == EndReason.CLOSEST_APPROACH:
                killed = truth[slot] >= 0 and draws[row] < pk[row]
                kind, why = ("kill" if killed else "miss"), "closest_approach"
            else:
                kind, why = "self_destruct", END_KINDS[reason]
            outcomes.append(
                Outcome(
                    int(slot),
                    kind,
                    why,
                    step_start_s + float(events.time_in_step_s[i]),
                    int(truth[slot]),
                    float(events.miss_distance_m[i]),
                    events.pos_ecef_m[i].copy(),
                    bool(events.homing[i]),
                )
            )
        return outcomes
