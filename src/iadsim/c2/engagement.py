"""Engagement planning at one fire unit: which tracks to shoot, with what, how many.

Feasibility: a track is feasible for an interceptor type when the predicted intercept point
-- the target extrapolated at constant velocity over the reaction time and the flight --
lies inside the type's published envelope (range and altitude) and the type's flyout table
says the interceptor gets there. Assignment: the greedy rule of many fielded systems'
automatic modes (threats in ranked order, each given the feasible type with the best
single-shot Pk, ties to the shortest flight) or the weapon-target assignment of
:mod:`iadsim.c2.wta`, both within guidance channels and magazines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, cast

import numpy as np

from iadsim.c2._plan_kernels import first_root_into_kernel, limits_into_kernel
from iadsim.c2.hold_fire import HoldReason
from iadsim.c2.wta import assign
from iadsim.catalog.models import InterceptorType
from iadsim.core.kinematics import intercept_time_s
from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
from iadsim.geo.terrain import ElevationGrid

FLIGHT_TIME_HORIZON_S = 420.0
"""Longest flight searched for an intercept, s (the 40N6E flies about 370 s)."""
FLIGHT_TIME_SAMPLES = 85
"""Samples of the flight-time equation over the horizon (every 5 s)."""
MEAN_EARTH_RADIUS_M = 6_371_000.0
_SAMPLED_TIMES_S = np.linspace(0.0, FLIGHT_TIME_HORIZON_S, FLIGHT_TIME_SAMPLES)
_SAMPLED_TIMES_S.flags.writeable = False
_LIMIT_REASONS = tuple(
    int(reason)
    for reason in (
        HoldReason.NO_INTERCEPT_SOLUTION,
        HoldReason.TOO_CLOSE,
        HoldReason.TOO_FAR,
        HoldReason.TOO_LOW,
        HoldReason.TOO_HIGH,
        HoldReason.NOT_REACHABLE,
    )
)
"""The tests of :meth:`Envelopes.limits`, in order, as plain integer hold reasons."""
_LIMIT_REASON_CODES = np.array(_LIMIT_REASONS, dtype=np.int8)
_LIMIT_REASON_CODES.flags.writeable = False
PK_CLASSES = ("aircraft", "cruise_missile", "ballistic_missile")
"""Catalog suffixes of the planning Pk, in :class:`iadsim.c2.threat.TargetClass` order."""


def pk_by_track(pk: np.ndarray, track_class: np.ndarray) -> np.ndarray:
    """Planning Pk of every type against every track, from the track's estimated class.

    Parameters
    ----------
    pk : (m, 3) float64
        :attr:`Envelopes.pk`.
    track_class : (n,) int
        :class:`iadsim.c2.threat.TargetClass` of each track.

    Returns
    -------
    (n, m) float64
    """
    return pk[:, np.asarray(track_class, dtype=np.intp)].T


def _per_track(pk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``pk`` as ``(n, m)``: a per-type ``(m,)`` Pk is the same against every track."""
    pk = np.asarray(pk, dtype=float)
    if pk.shape == shape:  # already per track (a decision's pk_by_track)
        return pk
    return np.broadcast_to(pk, shape)


class FlightTimeTable(Protocol):
    """What planning needs of a flyout table (:class:`iadsim.weapons.envelope.FlightTimeTable`)."""

    def time_of_flight_s(self, ground_range_m, altitude_m) -> np.ndarray: ...

    def reachable(self, ground_range_m, altitude_m) -> np.ndarray: ...


@dataclass(frozen=True)
class Envelopes:
    """Engagement envelopes of the interceptor types, one row per type.

    Attributes
    ----------
    min_range_m, max_range_m, min_altitude_m, max_altitude_m, average_speed_mps : (m,)
        Published envelope limits and a mean flyout speed. The minimum altitude is a height
        above the ground (how low a target can fly and still be engaged), the maximum one a
        height above sea level (a ceiling).
    max_range_vs_ballistic_m : (m,) float64
        Published maximum ground range against ballistic missiles (``inf``: none).
    pk : (m, 3) float64
        Planning single-shot Pk of each type against each target class, columns in
        :class:`iadsim.c2.threat.TargetClass` order (aircraft, cruise missile, ballistic).
    tables : tuple of FlightTimeTable or None
        Flyout time-of-flight tables (:mod:`iadsim.weapons.envelope`); when given they
        decide kinematic reach and time of flight instead of the mean speed.
    """

    min_range_m: np.ndarray
    max_range_m: np.ndarray
    min_altitude_m: np.ndarray
    max_altitude_m: np.ndarray
    average_speed_mps: np.ndarray
    pk: np.ndarray
    tables: tuple[FlightTimeTable, ...] | None = None
    max_range_vs_ballistic_m: np.ndarray | None = None

    @classmethod
    def from_catalog(
        cls, types: list[InterceptorType], tables: list[FlightTimeTable] | None = None
    ) -> Envelopes:
        """Stack catalog entries (and their flyout tables, in the same order)."""

        def column(name: str) -> np.ndarray:
            return np.array([getattr(t, name) for t in types], dtype=float)

        return cls(
            column("min_range_m"),
            column("max_range_m"),
            column("min_altitude_m"),
            column("max_altitude_m"),
            column("average_speed_m_s"),
            np.array(
                [
                    [
                        t.single_shot_pk_vs_aircraft,
                        t.single_shot_pk_vs_cruise_missile,
                        t.single_shot_pk_vs_ballistic_missile,
                    ]
                    for t in types
                ],
                dtype=float,
            ).reshape(-1, len(PK_CLASSES)),
            None if tables is None else tuple(tables),
            np.array([t.max_range_vs_ballistic_m for t in types], dtype=float),
        )

    def intercepts(
        self, pos_m: np.ndarray, vel_mps: np.ndarray, delay_s: float, site_alt_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Predicted intercepts of every track by every type: :meth:`limits`, with
        ``feasible`` where no limit stops the intercept."""
        limit, flight, aim = self.limits(pos_m, vel_mps, delay_s, site_alt_m)
        return limit == HoldReason.ENGAGED, flight, aim

    def limits(
        self,
        pos_m: np.ndarray,
        vel_mps: np.ndarray,
        delay_s: float,
        site_alt_m: float,
        ground_height_m: Callable[[np.ndarray], np.ndarray] | None = None,
        ballistic: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Predicted intercepts of every track by every type, and what stops each.

        Without flyout tables the interceptor flies its mean speed on a collision course.
        With them, the flight time is the earliest root of ``g(t) = tof(aim(t)) - t``, where
        ``aim(t)`` is the target extrapolated ``t`` seconds after launch: ``g`` is sampled on
        a grid of times and the first sign change is interpolated linearly. (A fixed-point
        iteration ``t <- tof(aim(t))`` diverges when the target closes faster than the
        interceptor's mean speed, as ballistic missiles do.) Altitudes add the earth's
        curvature drop ``d^2 / 2R`` to the local ENU height (R = 6371 km).

        Parameters
        ----------
        pos_m, vel_mps : (n, 3) float64
            Track states in the unit's ENU frame (origin at the launchers).
        delay_s : float
            Time before launch (reaction), s.
        site_alt_m : float
            Altitude of the frame origin above sea level, m.
        ground_height_m : callable, optional
            Height above sea level of the ground under predicted intercept points:
            ``(n, m, 3)`` ENU points in, ``(n, m)`` m out; default: the sea (0 m). The
            minimum altitude is tested above it.
        ballistic : (n,) bool, optional
            Tracks of the ballistic class: their maximum range is the published one against
            ballistic missiles (:attr:`max_range_vs_ballistic_m`) where it is shorter.

        Returns
        -------
        limit : (n, m) int8
            The first :class:`~iadsim.c2.hold_fire.HoldReason` that rules the intercept out,
            tested in the order no solution, too close, too far, too low, too high, not
            reachable; ``ENGAGED`` (0) where it is feasible.
        flight_time_s : (n, m) float64
            ``inf`` where no intercept exists.
        aim_m : (n, m, 3) float64
            Predicted intercept points.
        """
        start = pos_m + vel_mps * delay_s
        if self._compiled_limits_apply(ground_height_m):
            ground = cast(GroundUnder | None, ground_height_m)
            return self._compiled_limits(start, vel_mps, site_alt_m, ground, ballistic)
        if self.tables is None:
            flight = intercept_time_s(
                start[:, None, :], vel_mps[:, None, :], self.average_speed_mps[None, :]
            )
        else:
            flight = self._table_flight_times(start, vel_mps, site_alt_m)
        solvable = np.isfinite(flight)
        flight = np.where(solvable, flight, 0.0)
        aim = start[:, None, :] + vel_mps[:, None, :] * flight[..., None]
        ground, alt = self._ground_and_altitude(aim, site_alt_m)
        above_ground = alt if ground_height_m is None else alt - ground_height_m(aim)
        passed = [
            solvable,
            ground >= self.min_range_m,
            ground <= self._max_range_m(ballistic),
            above_ground >= self.min_altitude_m,
            alt <= self.max_altitude_m,
        ]
        if self.tables is not None:
            reachable = [t.reachable(ground[:, m], alt[:, m]) for m, t in enumerate(self.tables)]
            passed.append(np.stack(reachable, axis=1))
        limit = np.zeros(solvable.shape, dtype=np.int8)
        # The first failed test wins (tests and reasons in _LIMIT_REASONS order).
        for reason, ok in reversed(list(zip(_LIMIT_REASONS, passed, strict=False))):
            limit[~ok] = reason
        return limit, np.where(solvable, flight, np.inf), aim

    def _compiled_limits_apply(self, ground_height_m) -> bool:
        """The compiled path of :meth:`limits` applies: gridded flyout tables, and the ground
        the sea or a :class:`GroundUnder` (whose grid the kernel reads)."""
        return (
            self.tables is not None
            and self._tables_gridded
            and (ground_height_m is None or type(ground_height_m) is GroundUnder)
        )

    def _compiled_limits(
        self,
        start: np.ndarray,
        vel_mps: np.ndarray,
        site_alt_m: float,
        ground: GroundUnder | None,
        ballistic: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`limits` by :func:`~iadsim.c2._plan_kernels.limits_into_kernel`
        (:func:`~iadsim.c2._plan_kernels.type_limits_into_kernel` for each type in one call;
        same limits, flight times and intercept points to the bit)."""
        assert self.tables is not None
        n, m = len(start), len(self.tables)
        start = np.ascontiguousarray(start, dtype=np.float64)
        vel_mps = np.ascontiguousarray(vel_mps, dtype=np.float64)
        limit = np.empty((n, m), dtype=np.int8)
        flight = np.empty((n, m))
        aim = np.empty((n, m, 3))
        if ballistic is None or self.max_range_vs_ballistic_m is None:
            ballistic = np.zeros(n, dtype=bool)
            type_terms = self._type_terms
        else:
            ballistic = np.asarray(ballistic, dtype=bool)
            type_terms = self._type_terms_vs_ballistic
        terrain = _NO_TERRAIN if ground is None else ground.kernel_terms
        tof_grids, speed_grids, ranges_m, alts_m = self._kernel_tables
        limits_into_kernel(
            start,
            vel_mps,
            float(site_alt_m),
            _SAMPLED_TIMES_S,
            tof_grids,
            speed_grids,
            ranges_m,
            alts_m,
            type_terms,
            MEAN_EARTH_RADIUS_M,
            ballistic,
            *terrain,
            _LIMIT_REASON_CODES,
            limit,
            flight,
            aim,
        )
        return limit, flight, aim

    @cached_property
    def _kernel_tables(self) -> tuple[tuple[np.ndarray, ...], ...]:
        """The gridded flyout tables' time-of-flight and arrival-speed grids, ground ranges
        and altitudes, each a tuple by type (:func:`limits_into_kernel`'s arguments)."""
        assert self.tables is not None
        names = ("time_of_flight_grid_s", "arrival_speed_grid_mps", "ground_range_m", "altitude_m")
        return tuple(
            tuple(np.ascontiguousarray(getattr(t, name), dtype=np.float64) for t in self.tables)
            for name in names
        )

    @cached_property
    def _type_terms(self) -> np.ndarray:
        """:func:`limits_into_kernel`'s ``(m, 7)`` terms of each type, with no maximum
        range of its own against ballistic tracks."""
        return self._type_terms_against(self.max_range_m)

    @cached_property
    def _type_terms_vs_ballistic(self) -> np.ndarray:
        """:attr:`_type_terms` with the maximum ranges against ballistic tracks."""
        return self._type_terms_against(self._max_range_vs_ballistic_m)

    def _type_terms_against(self, against_ballistic_m: np.ndarray) -> np.ndarray:
        """Per type: its table's maximum flight time and minimum speed, its minimum range,
        maximum range, ``against_ballistic_m``, minimum and maximum altitude, ``(m, 7)``."""
        assert self.tables is not None
        rows = [
            [
                float(t.max_flight_time_s),  # type: ignore[attr-defined]
                float(t.min_speed_mps),  # type: ignore[attr-defined]
                float(self.min_range_m[k]),
                float(self.max_range_m[k]),
                float(against_ballistic_m[k]),
                float(self.min_altitude_m[k]),
                float(self.max_altitude_m[k]),
            ]
            for k, t in enumerate(self.tables)
        ]
        return np.array(rows, dtype=np.float64).reshape(-1, 7)

    @cached_property
    def _max_range_vs_ballistic_m(self) -> np.ndarray:
        """Maximum range of each type against ballistic tracks, ``(m,)`` m."""
        assert self.max_range_vs_ballistic_m is not None
        return np.minimum(self.max_range_m, self.max_range_vs_ballistic_m)

    def _max_range_m(self, ballistic: np.ndarray | None) -> np.ndarray:
        """Maximum ground range of each (track, type), m: ``(n, m)``, or ``(m,)`` (the same
        for every track) without ballistic tracks to tell apart; broadcasts against
        ``(n, m)``."""
        if ballistic is None or self.max_range_vs_ballistic_m is None:
            return self.max_range_m
        against_ballistic = np.minimum(self.max_range_m, self.max_range_vs_ballistic_m)
        return np.where(
            np.asarray(ballistic, dtype=bool)[:, None], against_ballistic, self.max_range_m
        )

    @cached_property
    def _tables_gridded(self) -> bool:
        """Every flyout table has a time-of-flight grid (the compiled search applies), and
        the arrival-speed grid and thresholds of its reachability test."""
        assert self.tables is not None
        return all(
            hasattr(t, name)
            for t in self.tables
            for name in (
                "time_of_flight_grid_s",
                "arrival_speed_grid_mps",
                "max_flight_time_s",
                "min_speed_mps",
            )
        )

    def _table_flight_times(self, start, vel_mps, site_alt_m) -> np.ndarray:
        """Earliest root of ``tof(aim(t)) - t`` per track and type, ``inf`` if none,
        ``(n, m)`` s: compiled (:mod:`iadsim.c2._plan_kernels`) for flyout tables with a
        grid, else :meth:`_table_flight_times_reference` (same bits)."""
        assert self.tables is not None
        if not self._tables_gridded:
            return self._table_flight_times_reference(start, vel_mps, site_alt_m)
        start = np.ascontiguousarray(start, dtype=np.float64)
        vel_mps = np.ascontiguousarray(vel_mps, dtype=np.float64)
        flight = np.empty((len(start), len(self.tables)))
        for m, table in enumerate(self.tables):
            first_root_into_kernel(
                start,
                vel_mps,
                float(site_alt_m),
                _SAMPLED_TIMES_S,
                table.time_of_flight_grid_s,  # type: ignore[attr-defined]
                table.ground_range_m,  # type: ignore[attr-defined]
                table.altitude_m,  # type: ignore[attr-defined]
                MEAN_EARTH_RADIUS_M,
                flight[:, m],
            )
        return flight

    def _table_flight_times_reference(self, start, vel_mps, site_alt_m) -> np.ndarray:
        """NumPy twin of :meth:`_table_flight_times` (any :class:`FlightTimeTable`)."""
        assert self.tables is not None
        times = _SAMPLED_TIMES_S
        aim = start[:, None, :] + vel_mps[:, None, :] * times[None, :, None]
        ground = np.hypot(aim[..., 0], aim[..., 1])
        alt = aim[..., 2] + site_alt_m + ground**2 / (2.0 * MEAN_EARTH_RADIUS_M)
        flight = np.full((len(start), len(self.tables)), np.inf)
        for m, table in enumerate(self.tables):
            gap = table.time_of_flight_s(ground, alt) - times[None, :]
            crossed = (gap[:, 1:] <= 0.0) & (gap[:, :-1] > 0.0)
            crossed[:, 0] |= gap[:, 0] <= 0.0
            rows = np.flatnonzero(crossed.any(axis=1))
            k = np.argmax(crossed[rows], axis=1)
            g0, g1 = gap[rows, k], gap[rows, k + 1]
            fraction = np.where(g0 > 0.0, g0 / (g0 - g1), 0.0)
            flight[rows, m] = times[k] + fraction * (times[k + 1] - times[k])
        return flight

    @staticmethod
    def _ground_and_altitude(aim, site_alt_m):
        """Ground range from the origin and altitude above sea level of ENU points, m."""
        ground = np.hypot(aim[..., 0], aim[..., 1])
        return ground, aim[..., 2] + site_alt_m + ground**2 / (2.0 * MEAN_EARTH_RADIUS_M)


_TerrainTerms = tuple[np.ndarray, float, float, float, float, np.ndarray, np.ndarray]
"""Heights, grid origin and steps (rad), frame origin and rotation: the terrain as
:func:`~iadsim.c2._plan_kernels.type_limits_into_kernel` takes it."""


@dataclass(frozen=True, eq=False)
class GroundUnder:
    """The ground under ENU points of a unit's frame: a terrain grid, sea level off it.

    Called with ``(..., 3)`` ENU points (m), it gives the terrain height (m) under each,
    ``(...)``; :meth:`Envelopes.limits` reads its grid directly (:attr:`kernel_terms`) in
    its compiled path.

    Parameters
    ----------
    terrain : ElevationGrid
    origin_ecef_m : (3,) float64
    rotation : (3, 3) float64
        The frame's origin and ECEF -> ENU rotation.
    """

    terrain: ElevationGrid
    origin_ecef_m: np.ndarray
    rotation: np.ndarray

    def __call__(self, points_m: np.ndarray) -> np.ndarray:
        ecef = enu_to_ecef(points_m.reshape(-1, 3), self.origin_ecef_m, self.rotation)
        lat, lon, _ = ecef_to_lla(ecef)
        return self.terrain.height_m(lat, lon, fill_m=0.0).reshape(points_m.shape[:-1])

    @cached_property
    def kernel_terms(self) -> _TerrainTerms:
        """Heights, grid origin and steps (rad), frame origin and rotation, as
        :func:`~iadsim.c2._plan_kernels.type_limits_into_kernel` takes them."""
        t = self.terrain
        return (
            t.heights_m,
            float(t.lat0_rad),
            float(t.lon0_rad),
            float(t.dlat_rad),
            float(t.dlon_rad),
            np.ascontiguousarray(self.origin_ecef_m, dtype=np.float64),
            np.ascontiguousarray(self.rotation, dtype=np.float64),
        )


_NO_TERRAIN: _TerrainTerms = (np.zeros((0, 0)), 0.0, 0.0, 1.0, 1.0, np.zeros(3), np.eye(3))
"""The kernel terms of no terrain (the ground is the sea level)."""


@dataclass(frozen=True)
class Order:
    """A decision to fire ``rounds`` of one interceptor type at one track."""

    track_id: int
    interceptor: int
    rounds: int
    threat_value: float


def greedy_orders(
    ranking: np.ndarray,
    track_ids: np.ndarray,
    threat_value: np.ndarray,
    feasible: np.ndarray,
    flight_time_s: np.ndarray,
    pk: np.ndarray,
    available: np.ndarray,
    already_engaged: np.ndarray,
    rounds_per_engagement: int,
    free_target_channels: int,
    free_missile_channels: int,
) -> list[Order]:
    """Greedy assignment in threat order under channel and magazine limits.

    Parameters
    ----------
    ranking : (n,) int
        Track rows, most threatening first.
    track_ids, threat_value : (n,)
    feasible, flight_time_s : (n, m)
        From :meth:`Envelopes.intercepts`.
    pk : (n, m) or (m,) float64
        Planning Pk of each type against each track (or against every track).
    available : (m,) int64
        Rounds the unit can fire by type (modified copy kept internally).
    already_engaged : (n,) bool
        Tracks with interceptors already in flight at them (skipped).
    rounds_per_engagement : int
        Salvo size.
    free_target_channels, free_missile_channels : int
        Guidance channels still free at the fire-control radar.
    """
    stock = available.copy()
    pk = _per_track(pk, feasible.shape)
    orders: list[Order] = []
    for row in ranking:
        if free_target_channels <= 0 or free_missile_channels <= 0:
            break
        if already_engaged[row]:
            continue
        usable = feasible[row] & (stock > 0)
        if not usable.any():
            continue
        candidates = np.flatnonzero(usable)
        best = candidates[np.lexsort((flight_time_s[row, candidates], -pk[row, candidates]))[0]]
        rounds = int(min(rounds_per_engagement, stock[best], free_missile_channels))
        stock[best] -= rounds
        free_target_channels -= 1
        free_missile_channels -= rounds
        orders.append(Order(int(track_ids[row]), int(best), rounds, float(threat_value[row])))
    return orders


EXACT_WTA_MAX_PAIRS = 64
"""Weapon-target problems up to this many (salvo, track) pairs are solved exactly."""


def wta_orders(
    track_ids: np.ndarray,
    threat_value: np.ndarray,
    feasible: np.ndarray,
    pk: np.ndarray,
    available: np.ndarray,
    already_engaged: np.ndarray,
    rounds_per_engagement: int,
    free_target_channels: int,
    free_missile_channels: int,
) -> list[Order]:
    """Weapon-target assignment of salvos to tracks under channel and magazine limits.

    Each weapon is one salvo of ``rounds_per_engagement`` rounds of a type, with kill
    probability ``1 - (1 - pk)^salvo`` on the tracks it can reach (``pk`` of the type
    against the track's class, so each target class draws the type best against it); the static WTA
    (:func:`iadsim.c2.wta.assign`, exact when small) maximises the expected destroyed threat
    value. Each track then keeps its best salvo only (shoot-look-shoot re-engages after the
    kill assessment), and tracks beyond the free target and missile channels are dropped,
    lowest value first.

    Parameters
    ----------
    track_ids, threat_value : (n,)
    feasible : (n, m) bool
    pk : (n, m) or (m,) float64
        Planning Pk of each type against each track (or against every track).
    available : (m,) int64
        Rounds the unit may fire by type (after any reserve).
    already_engaged : (n,) bool
    rounds_per_engagement : int
    free_target_channels, free_missile_channels : int

    Returns
    -------
    list of Order
        In descending threat value.
    """
    salvo = rounds_per_engagement
    pk = _per_track(pk, feasible.shape)
    per_type = np.minimum(
        available // salvo, max(min(free_target_channels, free_missile_channels // salvo), 0)
    )
    weapon_type = np.repeat(np.arange(feasible.shape[1]), per_type)
    open_tracks = np.flatnonzero(~already_engaged)
    if weapon_type.size == 0 or open_tracks.size == 0:
        return []
    salvo_pk = 1.0 - (1.0 - pk[open_tracks][:, weapon_type].T) ** salvo  # (weapons, tracks)
    kill_prob = np.where(feasible[open_tracks][:, weapon_type].T, salvo_pk, 0.0)
    exact = kill_prob.size <= EXACT_WTA_MAX_PAIRS
    target = assign(threat_value[open_tracks], kill_prob, method="exact" if exact else "heuristic")
    best: dict[int, int] = {}
    for weapon in np.flatnonzero(target >= 0):
        row = int(target[weapon])
        if row not in best or salvo_pk[weapon, row] > salvo_pk[best[row], row]:
            best[row] = int(weapon)
    # Salvos of several types may each fit the missile channels alone, not together.
    channels = min(free_target_channels, free_missile_channels // salvo)
    chosen = sorted(best, key=lambda r: (-threat_value[open_tracks[r]], r))[:channels]
    return [
        Order(
            int(track_ids[open_tracks[row]]),
            int(weapon_type[best[row]]),
            salvo,
            float(threat_value[open_tracks[row]]),
        )
        for row in chosen
    ]
