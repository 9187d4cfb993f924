"""Vectorised 3-DOF point-mass flyout of surface-to-air interceptors over the WGS-84 earth.

Many interceptors fly at once as the rows of a table (:class:`FlyoutState`) in the rotating
earth-centred earth-fixed frame: gravity is WGS-84 with J2 and points to the earth's centre
(plus the centrifugal term), Coriolis is included, altitude is the exact ellipsoidal height and
the air is the 1976 standard atmosphere. Each call of :func:`step` does, for every active
missile:

1. guidance, from the state at the start of each guidance sample and held over it:
   *midcourse* command guidance (proportional navigation toward a lofted aimpoint above the
   predicted intercept point, computed from the fire-control track), then *terminal*
   proportional navigation on the seeker's noisy line-of-sight measurements
   (:mod:`iadsim.weapons.seeker`) once the target is within the seeker's lock-on range, which
   follows from its RCS; terminal homing is sampled at 100 Hz. Gravity is compensated, the
   command is limited by the airframe's load factor and the achieved acceleration follows it
   through a first-order autopilot lag. When the caller reports the track lost the missile
   loses guidance for good and flies ballistic (active-seeker missiles already homing keep
   homing);
2. integration of the point-mass equations (RK4 or RK2, fixed step), thrust along the
   velocity, zero-lift drag from a C_D0(Mach) table;
3. fuzing at closest approach to the true target, found on the cubic Hermite curve of the
   relative state inside each sample (so the step creates no miss), then the other end
   conditions (ground impact, below minimum speed after burnout, maximum flight time).

See ``docs/models/flyout.md`` for equations and sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, Literal

import numpy as np

from iadsim.core.tables import Column, Table
from iadsim.geo.frames import ecef_to_lla
from iadsim.geo.terrain import ElevationGrid
from iadsim.weapons import _flyout_model as k
from iadsim.weapons._flyout_compiled import advance_compiled, advance_substeps_compiled
from iadsim.weapons._flyout_reference import advance_reference, guidance_samples
from iadsim.weapons.airframe import Airframe, _airframe_row, load_airframes
from iadsim.weapons.guidance import PnLaw
from iadsim.weapons.launch_geometry import launch_velocity, lofted_launch_velocity


class Phase(IntEnum):
    """Flight phase of a slot."""

    EMPTY = k.EMPTY
    MIDCOURSE = k.MIDCOURSE
    TERMINAL = k.TERMINAL
    BALLISTIC = k.BALLISTIC
    DONE = k.DONE


class EndReason(IntEnum):
    """Why a flyout ended."""

    CLOSEST_APPROACH = k.CLOSEST_APPROACH
    GROUND_IMPACT = k.GROUND_IMPACT
    MIN_SPEED = k.MIN_SPEED_REACHED
    MAX_FLIGHT_TIME = k.MAX_TIME_REACHED


@dataclass(frozen=True)
class FlyoutOptions:
    """Numerical and physical switches of the flyout (the defaults are the full model).

    Parameters
    ----------
    integrator : {"rk4", "rk2"}
        Fixed-step Runge-Kutta scheme.
    gravity : {"j2", "central", "none"}
        Gravitation model; "none" with ``earth_rotation=False`` gives the ideal kinematic
        engagement of guidance textbooks.
    earth_rotation : bool
        Include Coriolis and centrifugal accelerations of the rotating ECEF frame.
    gravity_compensation : bool
        Add the lateral component of -g to the guidance command.
    pn_law : {"true", "pure"}
        Proportional-navigation variant.
    arming_time_s : float
        No fuzing or ground-impact end before this time of flight.
    backend : {"compiled", "reference"}
        Numba kernel, or the vectorised NumPy reference twin it is tested against.
    """

    integrator: Literal["rk4", "rk2"] = "rk4"
    gravity: k.GravityModel = "j2"
    earth_rotation: bool = True
    gravity_compensation: bool = True
    pn_law: PnLaw = "true"
    arming_time_s: float = 0.5
    backend: Literal["compiled", "reference"] = "compiled"


class FlyoutState(Table):
    """Interceptor flyouts, one row each: a :class:`~iadsim.core.tables.Table`.

    Parameters
    ----------
    capacity : int
        Initial number of slots (the table grows when a launch finds it full).

    Attributes
    ----------
    active : (capacity,) bool
        Slots in flight (the table's mask; a flyout that ends is released).
    pos_ecef_m, vel_ecef_mps : (capacity, 3) float64
        Position and earth-relative velocity in ECEF, m and m/s.
    mass_kg, time_s : (capacity,) float64
        Current mass and time since launch.
    phase : (capacity,) int8
        :class:`Phase` of each slot.
    accel_cmd_mps2 : (capacity, 3) float64
        Lateral acceleration commanded at the last guidance sample, m/s².
    lateral_accel_mps2 : (capacity, 3) float64
        The autopilot lag's state: the achieved lateral acceleration before the airframe's
        load-factor limit, m/s².
    seeker_los : (capacity, 3) float64
        The seeker's last measured line of sight (zeros before lock-on).
    glint_offset_m : (capacity, 3) float64
        The seeker's glint offset (apparent minus true target position) at the last sample,
        ECEF, m.
    params : (capacity, n_params) float64
        Per-slot airframe constants, columns named in :mod:`._flyout_model`.
    airframes : list of Airframe
        Types launched so far; ``drag_table`` row ``i`` belongs to ``airframes[i]``.
    drag_table : (n_types, n_mach) float64
        Drag coefficient of each type on the kernel's uniform Mach grid.
    """

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("pos_ecef_m", np.float64, 0.0, (3,)),
        Column("vel_ecef_mps", np.float64, 0.0, (3,)),
        Column("mass_kg", np.float64, 0.0),
        Column("time_s", np.float64, 0.0),
        Column("phase", np.int8, int(Phase.EMPTY)),
        Column("accel_cmd_mps2", np.float64, 0.0, (3,)),
        Column("lateral_accel_mps2", np.float64, 0.0, (3,)),
        Column("seeker_los", np.float64, 0.0, (3,)),
        Column("glint_offset_m", np.float64, 0.0, (3,)),
        Column("params", np.float64, 0.0, (k.N_PARAMS,)),
    )

    pos_ecef_m: np.ndarray
    vel_ecef_mps: np.ndarray
    mass_kg: np.ndarray
    time_s: np.ndarray
    phase: np.ndarray
    accel_cmd_mps2: np.ndarray
    lateral_accel_mps2: np.ndarray
    seeker_los: np.ndarray
    glint_offset_m: np.ndarray
    params: np.ndarray

    def __init__(self, capacity: int = 64) -> None:
        super().__init__(capacity)
        self.airframes: list[Airframe] = []
        self.drag_table = np.zeros((0, k.MACH_GRID.size))

    def _type_index(self, airframe: Airframe) -> int:
        for i, known in enumerate(self.airframes):
            if known == airframe:
                return i
        self.airframes.append(airframe)
        row = k.resample_drag_table(airframe.drag_mach, airframe.drag_cd0)
        self.drag_table = np.vstack([self.drag_table, row[None, :]])
        return len(self.airframes) - 1

    def launch(self, airframe: Airframe, pos_ecef_m, vel_ecef_mps) -> np.ndarray:
        """Put missiles of one type in flight, in new rows.

        Parameters
        ----------
        airframe : Airframe
        pos_ecef_m : array_like, shape (m, 3) or (3,)
            Launch positions, m.
        vel_ecef_mps : array_like, shape (m, 3) or (3,)
            Initial velocities (direction of launch times the exit speed), m/s; must be
            non-zero.

        Returns
        -------
        (m,) int64
            The missiles' slots, in launch order.
        """
        count, _ = np.broadcast_shapes(
            np.atleast_2d(pos_ecef_m).shape, np.atleast_2d(vel_ecef_mps).shape
        )
        slots = self.allocate(count)
        self.params[slots] = _airframe_row(airframe, self._type_index(airframe))
        self.params[slots, k.LAUNCH_X : k.LAUNCH_Z + 1] = pos_ecef_m
        self.pos_ecef_m[slots] = pos_ecef_m
        self.vel_ecef_mps[slots] = vel_ecef_mps
        self.mass_kg[slots] = airframe.launch_mass_kg
        self.phase[slots] = Phase.MIDCOURSE
        return slots


_EMPTY_EVENTS: dict[type, FlyoutEvents] = {}


@dataclass(frozen=True)
class FlyoutEvents:
    """Flyouts that ended during one step, one row each.

    Attributes
    ----------
    slot : ndarray of int, shape (m,)
    reason : ndarray of int8, shape (m,)
        :class:`EndReason`.
    time_since_launch_s : ndarray, shape (m,)
        At closest approach (interpolated) or at the step end for the other reasons.
    time_in_step_s : ndarray, shape (m,)
        Same instant, measured from the start of the step.
    miss_distance_m : ndarray, shape (m,)
        Distance to the true target at that instant.
    pos_ecef_m, target_pos_ecef_m : ndarray, shape (m, 3)
        Missile and target positions at that instant.
    speed_mps : ndarray, shape (m,)
        Missile speed at that instant.
    homing : ndarray of bool, shape (m,)
        The seeker was homing on the target (terminal guidance) when the flyout ended.
    """

    slot: np.ndarray
    reason: np.ndarray
    time_since_launch_s: np.ndarray
    time_in_step_s: np.ndarray
    miss_distance_m: np.ndarray
    pos_ecef_m: np.ndarray
    target_pos_ecef_m: np.ndarray
    speed_mps: np.ndarray
    homing: np.ndarray

    def __len__(self) -> int:
        return self.slot.size

    @classmethod
    def empty(cls) -> FlyoutEvents:
        """No flyout ended (one shared instance of read-only empty arrays: most steps)."""
        cached = _EMPTY_EVENTS.get(cls)
        if cached is None:
            cached = _EMPTY_EVENTS[cls] = cls._new_empty()
        return cached

    @classmethod
    def _new_empty(cls) -> FlyoutEvents:
        scalars, vectors = np.zeros(0), np.zeros((0, 3))
        scalars.flags.writeable = vectors.flags.writeable = False
        return cls(
            slot=np.zeros(0, dtype=np.intp),
            reason=np.zeros(0, dtype=np.int8),
            time_since_launch_s=scalars,
            time_in_step_s=scalars,
            miss_distance_m=scalars,
            pos_ecef_m=vectors,
            target_pos_ecef_m=vectors,
            speed_mps=scalars,
            homing=np.zeros(0, dtype=bool),
        )


def _rows(values, capacity: int, index: np.ndarray, width: int | None = 3) -> np.ndarray:
    """Rows ``index`` of a per-slot input given per slot or once for all (broadcast)."""
    shape = (capacity, width) if width else (capacity,)
    if type(values) is np.ndarray and values.dtype == np.float64 and values.shape == shape:
        return values[index]  # the common case; fancy indexing already copies contiguously
    array = np.asarray(values, dtype=float)
    if array.shape != shape:
        array = np.broadcast_to(array, shape)
    return np.ascontiguousarray(array[index])


def _norm(a: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("ij,ij->i", a, a))


def step(
    state: FlyoutState,
    track_pos_ecef_m,
    track_vel_ecef_mps,
    track_valid,
    dt_s: float,
    *,
    target_pos_ecef_m=None,
    target_vel_ecef_mps=None,
    target_rcs_m2=None,
    glint_m=None,
    seeker_rng: np.random.Generator | None = None,
    options: FlyoutOptions = FlyoutOptions(),
    terrain: ElevationGrid | None = None,
) -> FlyoutEvents:
    """Advance every active interceptor by ``dt_s`` and report the flyouts that ended.

    Parameters
    ----------
    state : FlyoutState
        Updated in place.
    track_pos_ecef_m, track_vel_ecef_mps : array_like, shape (capacity, 3) or (3,)
        Fire-control track of each slot's target at the step start (position m, velocity
        m/s), possibly noisy; used by midcourse guidance.
    track_valid : array_like of bool, shape (capacity,) or scalar
        False where the fire-control track is lost: those missiles lose guidance for good and
        fly ballistic (except active-seeker missiles already in terminal homing).
    dt_s : float
        Step length, s.
    target_pos_ecef_m, target_vel_ecef_mps : array_like, shape (capacity, 3), optional
        True target state at the step start: what the seeker measures (through its errors)
        and the fuze; defaults to the track. The target is taken to move at constant velocity
        over the step.
    target_rcs_m2 : array_like, shape (capacity,) or scalar, optional
        RCS the seeker sees (lock-on range); default: each airframe's reference RCS.
    glint_m : array_like, shape (capacity,) or scalar, optional
        One-sigma glint of each target, m; default 0.
    seeker_rng : numpy.random.Generator, optional
        Stream of the seeker's noise; without it the seeker measures without noise (the
        ideal seeker of envelope building and of textbook checks).
    options : FlyoutOptions
    terrain : ElevationGrid, optional
        Terrain (heights above sea level): an armed missile whose height at the step's end
        is below the surface under it ends in a ground impact. Without it the surface is
        the ellipsoid.

    Returns
    -------
    FlyoutEvents
        The missiles whose flyout ended in this step (their rows are released).
    """
    idx = state.active.nonzero()[0]
    n = state.capacity
    track_pos = _rows(track_pos_ecef_m, n, idx)
    track_vel = _rows(track_vel_ecef_mps, n, idx)
    valid = _rows(track_valid, n, idx, width=None).astype(bool)
    target_pos = track_pos if target_pos_ecef_m is None else _rows(target_pos_ecef_m, n, idx)
    target_vel = track_vel if target_vel_ecef_mps is None else _rows(target_vel_ecef_mps, n, idx)
    params = state.params[idx]
    rcs = (
        params[:, k.SEEKER_REFERENCE_RCS]
        if target_rcs_m2 is None
        else _rows(target_rcs_m2, n, idx, width=None)
    )
    glint = np.zeros(idx.size) if glint_m is None else _rows(glint_m, n, idx, width=None)
    samples = guidance_samples(float(dt_s))
    noise = (
        np.zeros((idx.size, samples, 6))
        if seeker_rng is None
        else seeker_rng.standard_normal((idx.size, samples, 6))
    )
    t0 = state.time_s[idx]

    advance = advance_compiled if options.backend == "compiled" else advance_reference
    pos1, vel1, mass1, phase, command, lateral, los, glint_state, reason, t_event, miss = advance(
        state.pos_ecef_m[idx],
        state.vel_ecef_mps[idx],
        t0,
        state.phase[idx],
        params,
        state.drag_table,
        track_pos,
        track_vel,
        valid,
        target_pos,
        target_vel,
        state.lateral_accel_mps2[idx],
        state.seeker_los[idx],
        state.glint_offset_m[idx],
        np.ascontiguousarray(rcs, dtype=float),
        np.ascontiguousarray(glint, dtype=float),
        noise,
        float(dt_s),
        k.GRAVITY_CODES[options.gravity],
        options.earth_rotation,
        options.gravity_compensation,
        options.pn_law == "true",
        options.integrator == "rk4",
        float(options.arming_time_s),
    )
    if terrain is not None:
        flying = (reason == 0) & (t0 + dt_s >= options.arming_time_s)
        if flying.any():
            lat, lon, height = ecef_to_lla(pos1[flying])
            into_ground = height < terrain.surface_height_m(lat, lon)
            rows = np.flatnonzero(flying)[into_ground]
            reason[rows] = k.GROUND_IMPACT
            phase[rows] = k.DONE
    ended = reason > 0
    state.pos_ecef_m[idx] = pos1
    state.vel_ecef_mps[idx] = vel1
    state.time_s[idx] = t0 + dt_s
    state.mass_kg[idx] = mass1
    state.accel_cmd_mps2[idx] = command
    state.lateral_accel_mps2[idx] = lateral
    state.seeker_los[idx] = los
    state.glint_offset_m[idx] = glint_state
    state.phase[idx] = phase
    if not ended.any():
        return FlyoutEvents.empty()
    return _ended(state, idx, reason, t_event, miss, t0, target_pos, target_vel)


def _ended(state, idx, reason, t_event, miss, t0, target_pos, target_vel) -> FlyoutEvents:
    """Release the slots ``idx`` that ended in the step just flown and describe them.

    ``reason``, ``t_event``, ``miss`` and ``t0`` (start time since launch) are the step's,
    ``target_pos`` and ``target_vel`` the true target rows, all by row of ``idx``; the
    missiles' state is read from the table, where the step left it.
    """
    e = (reason > 0).nonzero()[0]
    slots = idx[e]
    state.release(slots)
    t_end = t_event[e]
    pos1 = state.pos_ecef_m[slots]
    # The kernel leaves an ended missile where its flight ended (the closest approach).
    event_target = target_pos[e] + target_vel[e] * t_end[:, None]
    at_closest = reason[e] == k.CLOSEST_APPROACH
    return FlyoutEvents(
        slot=slots,
        reason=reason[e],
        time_since_launch_s=t0[e] + t_end,
        time_in_step_s=t_end,
        miss_distance_m=np.where(at_closest, miss[e], _norm(event_target - pos1)),
        pos_ecef_m=pos1,
        target_pos_ecef_m=event_target,
        speed_mps=_norm(state.vel_ecef_mps[slots]),
        homing=_norm(state.seeker_los[slots]) > 0.0,
    )


def fly_substeps(
    state: FlyoutState,
    track_pos_ecef_m: np.ndarray,
    track_vel_ecef_mps: np.ndarray,
    track_valid: np.ndarray,
    dt_s: float,
    first: int,
    *,
    target_pos_ecef_m: np.ndarray,
    target_vel_ecef_mps: np.ndarray,
    target_rcs_m2: np.ndarray,
    glint_m: np.ndarray,
    seeker_rng: np.random.Generator | None = None,
    options: FlyoutOptions = FlyoutOptions(),
    terrain: ElevationGrid | None = None,
) -> tuple[FlyoutEvents, int]:
    """Advance every active interceptor through steps ``first, first + 1, ...`` of a
    sequence, up to the first step in which a flyout ends: :func:`step` called on each in
    turn, with the same results and the same seeker draws, in one compiled call.

    Parameters
    ----------
    state : FlyoutState
        Updated in place.
    track_pos_ecef_m : (steps, capacity, 3) float64
        Fire-control track position of each slot's target at the start of each step, m.
    track_vel_ecef_mps : (capacity, 3) float64
        Its velocity, m/s.
    track_valid : (capacity,) bool
        As for :func:`step`.
    dt_s : float
        Length of each step, s.
    first : int
        The first step to fly, ``0 <= first < steps``.
    target_pos_ecef_m, target_vel_ecef_mps : (steps, capacity, 3) float64
        True target state at the start of each step.
    target_rcs_m2, glint_m : (capacity,) float64
        As for :func:`step`.
    seeker_rng, options, terrain
        As for :func:`step`.

    Returns
    -------
    events : FlyoutEvents
        The flyouts that ended in the last step flown (their rows are released).
    next_step : int
        The step after the last one flown: ``steps`` once all are flown.
    """
    if options.backend != "compiled":  # the reference twin: one step at a time
        events = step(
            state, track_pos_ecef_m[first], track_vel_ecef_mps, track_valid, dt_s,
            target_pos_ecef_m=target_pos_ecef_m[first],
            target_vel_ecef_mps=target_vel_ecef_mps[first], target_rcs_m2=target_rcs_m2,
            glint_m=glint_m, seeker_rng=seeker_rng, options=options, terrain=terrain,
        )  # fmt: skip
        return events, first + 1
    idx = state.active.nonzero()[0]
    shape = (len(track_pos_ecef_m) - first, idx.size, guidance_samples(float(dt_s)), 6)
    if seeker_rng is None:
        noise = np.zeros(shape)
    else:
        # The draws of every step left at once (the stream gives the same numbers in one
        # draw as in consecutive ones); rewound below to those of the steps flown.
        before = seeker_rng.bit_generator.state
        noise = seeker_rng.standard_normal(shape)
    heights, geometry = _NO_TERRAIN if terrain is None else (
        terrain.heights_m, terrain.kernel_geometry
    )  # fmt: skip
    next_step, reason, t_event, miss, t0 = advance_substeps_compiled(
        idx, state.pos_ecef_m, state.vel_ecef_mps, state.time_s, state.mass_kg, state.phase,
        state.accel_cmd_mps2, state.lateral_accel_mps2, state.seeker_los, state.glint_offset_m,
        state.params, state.drag_table, track_pos_ecef_m, track_vel_ecef_mps, track_valid,
        target_pos_ecef_m, target_vel_ecef_mps, target_rcs_m2, glint_m, noise, first,
        float(dt_s), k.GRAVITY_CODES[options.gravity], options.earth_rotation,
        options.gravity_compensation, options.pn_law == "true", options.integrator == "rk4",
        float(options.arming_time_s), heights, geometry, terrain is not None,
    )  # fmt: skip
    flown = next_step - first
    if seeker_rng is not None and flown < shape[0]:
        seeker_rng.bit_generator.state = before
        seeker_rng.standard_normal((flown, *shape[1:]))
    if (reason > 0).any():
        last = next_step - 1
        target_pos = target_pos_ecef_m[last][idx]
        events = _ended(state, idx, reason, t_event, miss, t0, target_pos,
                        target_vel_ecef_mps[last][idx])  # fmt: skip
        return events, next_step
    return FlyoutEvents.empty(), next_step


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


_NO_TERRAIN = (_read_only(np.zeros((2, 2))), _read_only(np.zeros(4)))
"""Stand-ins for the terrain arrays of :func:`advance_substeps_compiled` (not read),
read-only as a grid's are, so that a float grid shares their compiled specialisation."""


__all__ = [
    "Airframe",
    "EndReason",
    "FlyoutEvents",
    "FlyoutOptions",
    "FlyoutState",
    "Phase",
    "fly_substeps",
    "launch_velocity",
    "load_airframes",
    "lofted_launch_velocity",
    "step",
]
