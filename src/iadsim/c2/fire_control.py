"""The decision stage at one fire unit: which tracks it may engage, and the orders it gives.

A unit engages confirmed tracks that its fire-control radar has updated recently (within
``FRESH_REVISITS`` revisits) and whose identity its weapon control status allows
(``ENGAGEABLE``); it ranks them by threat, works out which interceptor types can reach
each, keeps out of no-fire areas, and hands the problem to the assignment method its
doctrine names (:data:`iadsim.core.registry.ASSIGNERS`), within its guidance channels and
the rounds it may commit. The orders take rounds from the launchers; the engine schedules
the launches. Each decision also says why the unit holds fire on every other suspect or
hostile track it holds (:mod:`iadsim.c2.hold_fire`), from the same tests: :func:`screen`,
:meth:`~iadsim.c2.engagement.Envelopes.limits` and :func:`assignment_hold`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iadsim.c2._screen_kernels import screen_kernel
from iadsim.c2.doctrine import engagement_channels, reserve_rounds
from iadsim.c2.engagement import Envelopes, GroundUnder, pk_by_track
from iadsim.c2.fragments import EngagedTracks, continues_engaged
from iadsim.c2.hold_fire import LOGGED, Hold, HoldReason
from iadsim.c2.picture.identification import Identity
from iadsim.c2.threat import TargetClass, evaluate_threats, target_class
from iadsim.catalog.models import CommandPostType, RadarType
from iadsim.core.contracts import Assigner, EngagementProblem
from iadsim.core.registry import ASSIGNERS
from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.radar import Radar
from iadsim.weapons.launchers import LauncherTable

ENGAGEABLE = {
    "free": (Identity.UNKNOWN, Identity.SUSPECT, Identity.HOSTILE),
    "tight": (Identity.HOSTILE,),
    "hold": (),
}
"""Identities a unit may engage under each weapon control status (JP 3-01 definitions)."""
FRESH_REVISITS = 2.0
"""A track is fresh enough to engage when its fire-control radar updated it within this
many revisit periods (notional)."""

_IDENTITY_OF = tuple(Identity)
"""Each :class:`Identity` member at the index of its value (a lookup, not an enum call)."""
_HOLD_REASON_OF = tuple(HoldReason)
"""Each :class:`HoldReason` member at the index of its value."""
# Plain integer codes for array operations (an enum member's lookup and conversion cost
# more than the operation on a post's few tracks).
_ENGAGED = int(HoldReason.ENGAGED)
_NOT_ENGAGEABLE = int(HoldReason.IDENTITY_NOT_ENGAGEABLE)
_OUTSIDE_COVERAGE = int(HoldReason.OUTSIDE_FIRE_CONTROL_COVERAGE)
_NO_FIRE_CONTROL_TRACK = int(HoldReason.NO_FIRE_CONTROL_TRACK)
_NO_FIRE_AREA = int(HoldReason.NO_FIRE_AREA)
_BALLISTIC = int(TargetClass.BALLISTIC)

_NO_ENGAGED_TRACKS = EngagedTracks(
    np.zeros(0, dtype=np.int64), np.zeros((0, 6)), np.zeros(0), np.zeros(0)
)


@dataclass(frozen=True)
class EngageOrder:
    """One engagement decided at a fire unit: a salvo at one track.

    Attributes
    ----------
    track_id : int
        The post's track.
    truth : int
        Air entity of the track's last detection (scoring only), -1 for a false track.
    identity : Identity
        The track's identity when the order was given.
    interceptor : int
        Interceptor type (column of the launcher table).
    launches : list of (int, float)
        ``(launcher row, launch time s)`` of each round taken.
    threat_value : float
    engagement_id : int
        Unique within the run, in the order the orders were given.
    """

    track_id: int
    truth: int
    identity: Identity
    interceptor: int
    launches: list[tuple[int, float]]
    threat_value: float
    engagement_id: int


@dataclass(frozen=True)
class Decision:
    """What a fire unit decided at one decision time.

    Attributes
    ----------
    orders : list of EngageOrder
    holds : list of Hold
        Every suspect or hostile track (:data:`~iadsim.c2.hold_fire.LOGGED`) of the post's
        picture, own and remote-only: why the unit does not engage it, ``ENGAGED`` where it
        does (ordered now or interceptors in flight).
    """

    orders: list[EngageOrder]
    holds: list[Hold]


def screen(
    identity: np.ndarray,
    fc_seen_s: np.ndarray,
    pos_ecef_m: np.ndarray,
    radar: Radar,
    weapon_control: str,
    t: float,
) -> np.ndarray:
    """Whether tracks may be engaged: fresh on the fire-control radar, of an allowed identity.

    Parameters
    ----------
    identity : (n,) int8
        :class:`~iadsim.c2.picture.identification.Identity` of each track.
    fc_seen_s : (n,) float64
        Last fire-control update, s (``-inf`` for a track the radar never updated, such as
        a remote-only one).
    pos_ecef_m : (n, 3) float64
        Estimated positions (for the coverage test of stale tracks).
    radar : Radar
        The unit's fire-control radar.
    weapon_control : str
        ``free``, ``tight`` or ``hold`` (:data:`ENGAGEABLE`).
    t : float
        Decision time, s.

    Returns
    -------
    reason : (n,) int8
        :class:`HoldReason`: ``ENGAGED`` (0) where engageable, else identity not
        engageable, or no fresh fire-control update (outside the radar's coverage or not).
    """
    return screen_rows(identity, fc_seen_s, pos_ecef_m.__getitem__, radar, weapon_control, t)


def screen_rows(
    identity: np.ndarray,
    fc_seen_s: np.ndarray,
    positions_of: Callable[[np.ndarray], np.ndarray],
    radar: Radar,
    weapon_control: str,
    t: float,
    tested: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`screen`, with the positions asked for only for the rows whose coverage is
    tested: ``positions_of(rows)`` gives those of ``rows`` ``(k,) int64``, ECEF ``(k, 3)`` m
    (a decision then works out no position for a track that is fresh or held anyway).

    ``tested`` ``(n,) bool``, optional, names the rows whose reason the caller keeps (a
    decision: its suspect and hostile tracks); the coverage test is asked only of those,
    and another stale track of an allowed identity reads ``NO_FIRE_CONTROL_TRACK``
    untested. Default: every row. Compiled (:func:`~iadsim.c2._screen_kernels.screen_kernel`).
    """
    reason, stale = screen_kernel(
        identity,
        fc_seen_s,
        t - FRESH_REVISITS * radar.revisit_s,
        _identity_table(ENGAGEABLE[weapon_control]),
        np.ones(identity.size, dtype=bool) if tested is None else tested,
        _NOT_ENGAGEABLE,
        _NO_FIRE_CONTROL_TRACK,
    )
    if stale.size:  # the coverage test only where its answer is kept
        reason[stale] = np.where(
            radar.in_view(positions_of(stale)), _NO_FIRE_CONTROL_TRACK, _OUTSIDE_COVERAGE
        )
    return reason


def is_one_of(identity: np.ndarray, identities: tuple[Identity, ...]) -> np.ndarray:
    """``np.isin(identity, identities)`` for the few identities of a rule, by a lookup in a
    membership table of the identity values (np.isin sorts; this runs at every decision).

    Parameters
    ----------
    identity : (n,) int8
    identities : tuple of Identity

    Returns
    -------
    (n,) bool
    """
    return _identity_table(identities)[identity]


def _identity_table(identities: tuple[Identity, ...]) -> np.ndarray:
    """Membership table of ``identities``, ``(7,) bool`` indexed by identity value (kept)."""
    lookup = _IDENTITY_SETS.get(identities)
    if lookup is None:
        lookup = np.zeros(len(Identity), dtype=bool)
        lookup[list(identities)] = True
        _IDENTITY_SETS[identities] = lookup
    return lookup


_IDENTITY_SETS: dict[tuple[Identity, ...], np.ndarray] = {}
"""Membership table of each identity tuple asked for, indexed by identity value."""


def assignment_hold(
    problem: EngagementProblem, limit: np.ndarray, stock: np.ndarray, row: int
) -> HoldReason:
    """Why the assignment may leave track ``row`` of ``problem`` unengaged.

    Tested on the problem the assigner was given, in order: interceptors already in flight
    (``ENGAGED``); no feasible type (the reason of the type that came closest, i.e. the
    largest of ``limit``); no usable round of a feasible type (``NO_ROUNDS``, or
    ``RESERVE_HELD`` where the reserve keeps the rounds left); no free guidance channel;
    else ``LOWER_PRIORITY``.

    Parameters
    ----------
    problem : EngagementProblem
    limit : (m,) int8
        :class:`HoldReason` of each type's intercept of the track (0 where feasible).
    stock : (m,) int64
        Rounds left by type, reserve included, before this decision's orders.
    row : int
        The track's row in ``problem``.
    """
    if problem.already_engaged[row]:
        return HoldReason.ENGAGED
    feasible = problem.feasible[row]
    if not feasible.any():
        return HoldReason(int(limit.max()))
    if not np.any(problem.available[feasible] > 0):
        left = np.any(stock[feasible] > 0)
        return HoldReason.RESERVE_HELD if left else HoldReason.NO_ROUNDS
    if problem.free_target_channels <= 0 or problem.free_missile_channels <= 0:
        return HoldReason.CHANNELS_FULL
    return HoldReason.LOWER_PRIORITY


class FireControl:
    """Decides the engagements of every fire unit of a run.

    Parameters
    ----------
    launchers : LauncherTable
        Rounds are taken from it.
    envelopes : Envelopes
        Of the launchers' interceptor types, in the same order.
    assets_ecef_m : (k, 3) float64
        Defended assets; ``asset_values`` (k,) their values.
    terrain : ElevationGrid, optional
        The ground under intercept points, for the interceptors' minimum altitude (a height
        above the ground); default: the sea.
    """

    def __init__(
        self,
        launchers: LauncherTable,
        envelopes: Envelopes,
        assets_ecef_m: np.ndarray,
        asset_values: np.ndarray,
        terrain: ElevationGrid | None = None,
    ) -> None:
        self.launchers = launchers
        self.terrain = terrain
        self.envelopes = envelopes
        self.assets_ecef_m = assets_ecef_m
        self.asset_values = asset_values
        self._assigners: dict[str, Assigner] = {}
        self._reactions: dict[int, float] = {}
        self._grounds: dict[int, GroundUnder] = {}
        self._reserves: dict[tuple[int, float], np.ndarray] = {}
        self._engagement_ids = itertools.count()

    def decide(self, unit, radar: Radar, post: CommandPostType, t: float) -> Decision:
        """The orders of ``unit`` (a :class:`~iadsim.engine.world.FireUnitState`) at ``t``,
        and why it holds fire on its other suspect and hostile tracks.

        ``radar`` is the unit's fire-control radar. Takes the ordered rounds from the
        launchers and books them in ``unit.engaged``.
        """
        picture = unit.picture
        table = picture.table
        column = table.extra  # the picture's columns by name (picture.column), looked up once
        slots = picture.confirmed_slots()
        identity = column["identity"][slots]
        # Only suspect and hostile tracks are logged: their reasons are the ones kept.
        logged = is_one_of(identity, LOGGED)
        screened = screen_rows(
            identity,
            column["fc_seen_s"][slots],
            lambda rows: picture.positions_ecef_m(slots[rows]),
            radar,
            unit.spec.weapon_control,
            t,
            logged,
        )
        engageable = slots[screened == _ENGAGED]
        engaged_tracks = self._engaged_tracks(unit)
        orders: list[EngageOrder] = []
        assigned: dict[int, HoldReason] = {}
        if engageable.size:  # many decisions have nothing to engage
            orders, assigned = self._assign(unit, radar, post, engageable, engaged_tracks, t)
        logged = logged.nonzero()[0]  # selected before building objects
        holds = [
            Hold(
                str(track),
                track,
                truth,
                _IDENTITY_OF[kind],
                assigned.get(track, _HOLD_REASON_OF[reason]),
            )
            for track, truth, kind, reason in zip(
                table.track_id[slots[logged]].tolist(),
                column["truth"][slots[logged]].tolist(),
                identity[logged].tolist(),
                screened[logged].tolist(),
                strict=True,
            )
        ]
        return Decision(orders, holds + self._remote_holds(unit, radar, t))

    def _assign(
        self,
        unit,
        radar: Radar,
        post: CommandPostType,
        engageable: np.ndarray,
        engaged_tracks: EngagedTracks,
        t: float,
    ) -> tuple[list[EngageOrder], dict[int, HoldReason]]:
        """The orders on the engageable tracks (``slots``, ``(n,) int64``), and the hold
        reason of each of them (``ENGAGED`` where ordered) by track id.

        Ballistic tracks are assigned first, with the rounds kept for them; then the rest.
        """
        orders: list[EngageOrder] = []
        assigned: dict[int, HoldReason] = {}
        state = unit.picture.table.state[engageable]
        classes = target_class(state[:, 3:], state[:, 2])
        ballistic = classes == _BALLISTIC
        kept = unit.spec.doctrine.reserve_fraction
        kept_from_others = kept + unit.spec.doctrine.ballistic_reserve_fraction
        for rows, reserve in (
            (ballistic.nonzero()[0], kept),
            ((~ballistic).nonzero()[0], kept_from_others),
        ):
            if rows.size == 0:
                continue
            stock = self.launchers.available(unit.index)  # before this problem's orders
            problem, limit = self._problem(
                unit, radar.spec, post, engageable[rows], classes[rows], stock, reserve,
                engaged_tracks, t,
            )  # fmt: skip
            ordered = self._orders(unit, problem, t)
            orders += ordered
            ordered_ids = {order.track_id for order in ordered}
            assigned |= {
                track: HoldReason.ENGAGED
                if track in ordered_ids
                else assignment_hold(problem, limit[row], stock, row)
                for row, track in enumerate(problem.track_ids.tolist())
            }
        return orders, assigned

    def _orders(self, unit, problem: EngagementProblem, t: float) -> list[EngageOrder]:
        """The assigner's orders, their rounds taken and booked in ``unit.engaged``."""
        picture = unit.picture
        orders = []
        for order in self._assigner(unit.spec.doctrine.assignment).assign(problem):
            slot = int(picture.table.slots_of(np.array([order.track_id]))[0])
            launches = self.launchers.take(
                unit.index, order.interceptor, order.rounds, t, unit.spec.doctrine.salvo_spacing_s
            )
            unit.engaged[order.track_id] = unit.engaged.get(order.track_id, 0) + len(launches)
            table = picture.table
            unit.engaged_at[order.track_id] = (
                table.state[slot].copy(),
                float(table.time_s[slot]),
                float(table.last_update_s[slot]),
            )
            orders.append(
                EngageOrder(
                    order.track_id,
                    int(picture.column("truth")[slot]),
                    Identity(int(picture.column("identity")[slot])),
                    order.interceptor,
                    launches,
                    order.threat_value,
                    next(self._engagement_ids),
                )
            )
        return orders

    @staticmethod
    def _engaged_tracks(unit) -> EngagedTracks:
        """Where the post last held each track it has interceptors at: the picture's state
        while the track is in it, else the state kept when it was last there."""
        if not unit.engaged_at:  # most decisions: no interceptor in flight
            return _NO_ENGAGED_TRACKS
        table = unit.picture.table
        for track in [track for track in unit.engaged_at if track not in unit.engaged]:
            del unit.engaged_at[track]
        ids = np.array(list(unit.engaged_at), dtype=np.int64)
        # The slots of all of them in one lookup (-1: no longer in the picture).
        for track, row in zip(ids.tolist(), table.slots_of(ids).tolist(), strict=True):
            if row >= 0:
                unit.engaged_at[track] = (
                    table.state[row].copy(),
                    float(table.time_s[row]),
                    float(table.last_update_s[row]),
                )
        kept = list(unit.engaged_at.values())
        return EngagedTracks(
            ids,
            np.array([k[0] for k in kept], dtype=float).reshape(-1, 6),
            np.array([k[1] for k in kept], dtype=float),
            np.array([k[2] for k in kept], dtype=float),
        )

    @staticmethod
    def _remote_holds(unit, radar: Radar, t: float) -> list[Hold]:
        """Suspect and hostile rows the post holds from the data link only: the unit
        engages on its own fire-control tracks, so it holds fire on them."""
        fused = unit.receiver.correlated
        if fused is None:
            return []
        n_own = fused.n_own
        rows = n_own + is_one_of(fused.identity[n_own:], LOGGED).nonzero()[0]
        if rows.size == 0:  # most decisions: no suspect or hostile track from the link only
            return []
        screened = screen(
            fused.identity[rows],
            np.full(rows.size, -np.inf),
            fused.state_ecef[rows, :3],
            radar,
            unit.spec.weapon_control,
            t,
        )
        return [
            Hold(fused.ids[row], -1, truth, _IDENTITY_OF[kind], _HOLD_REASON_OF[reason])
            for row, truth, kind, reason in zip(
                rows.tolist(),
                fused.truth[rows].tolist(),
                fused.identity[rows].tolist(),
                screened.tolist(),
                strict=True,
            )
        ]

    def _ground_under(self, unit) -> GroundUnder | None:
        """Terrain height under ENU points of the unit's picture frame (sea level off the
        grid); None without terrain. Kept per unit (the frame is fixed for a run)."""
        if self.terrain is None:
            return None
        ground = self._grounds.get(unit.index)
        if ground is None:
            picture = unit.picture
            ground = GroundUnder(self.terrain, picture.origin_ecef_m, picture.rotation)
            self._grounds[unit.index] = ground
        return ground

    def _problem(
        self,
        unit,
        fire_control: RadarType,
        post: CommandPostType,
        slots: np.ndarray,
        track_class: np.ndarray,
        stock: np.ndarray,
        reserve_fraction: float,
        engaged_tracks: EngagedTracks,
        t: float,
    ) -> tuple[EngagementProblem, np.ndarray]:
        """Threat values, reach and limits of the engageable tracks in ``slots`` (of
        :class:`~iadsim.c2.threat.TargetClass` ``track_class``, (n,) int64), with the
        unit's rounds left by type ``stock`` ((m,) int64) less ``reserve_fraction`` of each
        type's load kept back, and the (n, m)
        :class:`HoldReason` that rules out each intercept (0 where feasible). A track with
        interceptors in flight, or a fragment of such a track
        (:func:`~iadsim.c2.fragments.continues_engaged`), counts as already engaged."""
        picture = unit.picture
        state = picture.table.state[slots]
        assets = picture.in_frame_m(self.assets_ecef_m)
        threats = evaluate_threats(
            state[:, :3], state[:, 3:], assets, self.asset_values, track_class=track_class
        )
        reaction = self._reaction_s(unit.index)
        limit, flight, aim = self.envelopes.limits(
            state[:, :3],
            state[:, 3:],
            reaction,
            unit.spec.site.alt_m,
            self._ground_under(unit),
            track_class == _BALLISTIC,
        )
        if unit.no_fire.zones or unit.no_fire.countries:
            aim_ecef = enu_to_ecef(aim.reshape(-1, 3), picture.origin_ecef_m, picture.rotation)
            lat, lon, _ = ecef_to_lla(aim_ecef)
            forbidden = unit.no_fire.forbidden(lat, lon).reshape(limit.shape)
            limit[(limit == _ENGAGED) & forbidden] = _NO_FIRE_AREA
        doctrine = unit.spec.doctrine
        track_ids = picture.table.track_id[slots]
        targets, missiles = engagement_channels(fire_control, post, unit.engaged)
        problem = EngagementProblem(
            track_ids=track_ids,
            threat_value=threats.value,
            ranking=threats.ranking(),
            feasible=limit == _ENGAGED,
            flight_time_s=flight,
            pk=pk_by_track(self.envelopes.pk, track_class),
            available=np.maximum(stock - self._reserve(unit, reserve_fraction), 0),
            already_engaged=np.array([unit.engaged.get(i, 0) > 0 for i in track_ids.tolist()])
            | (
                continues_engaged(
                    state,
                    picture.table.time_s[slots],
                    picture.table.created_s[slots],
                    engaged_tracks,
                    t,
                )
                >= 0
            ),
            salvo=doctrine.rounds_per_engagement,
            free_target_channels=targets,
            free_missile_channels=missiles,
        )
        return problem, limit

    def _reserve(self, unit, reserve_fraction: float) -> np.ndarray:
        """Rounds of each type the unit keeps back at ``reserve_fraction``
        (:func:`~iadsim.c2.doctrine.reserve_rounds` of its initial load, fixed for a run, so
        kept)."""
        key = (unit.index, reserve_fraction)
        reserve = self._reserves.get(key)
        if reserve is None:
            reserve = self._reserves[key] = reserve_rounds(unit.initial_rounds, reserve_fraction)
        return reserve

    def _reaction_s(self, unit: int) -> float:
        """The shortest reaction time of the unit's launchers, s (fixed for a run, so kept:
        a decision needs it for every problem)."""
        reaction = self._reactions.get(unit)
        if reaction is None:
            own = self.launchers.unit == unit
            reaction = self._reactions[unit] = float(self.launchers.reaction_time_s[own].min())
        return reaction

    def _assigner(self, name: str) -> Assigner:
        if name not in self._assigners:
            self._assigners[name] = ASSIGNERS.get(name)()
        return self._assigners[name]
