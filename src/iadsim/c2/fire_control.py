"""The decision stage at one fire unit: which tracks it may engage, and the orders it gives.

A unit engages confirmed tracks that its fire-control radar has updated recently (within
``FRESH_REVISITS`` revisits) and whose identity its weapon control status allows
(``ENGAGEABLE``); it ranks them by threat, works out which interceptor types can reach
each, keeps out of no-fire areas, and hands the problem to the assignment method its
doctrine names (:data:`iadsim.core.registry.ASSIGNERS`), within its guidance channels and
the rounds it may commit. The orders take rounds from the launchers; the engine schedules
the launches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.c2.doctrine import engagement_channels, usable_rounds
from iadsim.c2.engagement import Envelopes
from iadsim.c2.picture.identification import Identity
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.c2.threat import evaluate_threats
from iadsim.catalog.models import CommandPostType, RadarType
from iadsim.core.contracts import Assigner, EngagementProblem
from iadsim.core.registry import ASSIGNERS
from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
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
    """

    track_id: int
    truth: int
    identity: Identity
    interceptor: int
    launches: list[tuple[int, float]]
    threat_value: float


def engageable_slots(
    picture: CommandPostPicture, fire_control: RadarType, weapon_control: str, t: float
) -> np.ndarray:
    """Slots of confirmed, fresh tracks whose identity the weapon control status allows."""
    slots = picture.confirmed_slots()
    fresh = picture.column("fc_seen_s")[slots] >= t - FRESH_REVISITS * fire_control.revisit_s
    allowed = np.isin(picture.column("identity")[slots], ENGAGEABLE[weapon_control])
    return slots[fresh & allowed]


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
    """

    def __init__(
        self,
        launchers: LauncherTable,
        envelopes: Envelopes,
        assets_ecef_m: np.ndarray,
        asset_values: np.ndarray,
    ) -> None:
        self.launchers = launchers
        self.envelopes = envelopes
        self.assets_ecef_m = assets_ecef_m
        self.asset_values = asset_values
        self._assigners: dict[str, Assigner] = {}

    def decide(
        self, unit, fire_control: RadarType, post: CommandPostType, t: float
    ) -> list[EngageOrder]:
        """The orders of ``unit`` (a :class:`~iadsim.engine.world.FireUnitState`) at ``t``.

        Takes the ordered rounds from the launchers and books them in ``unit.engaged``.
        """
        picture = unit.picture
        table = picture.table
        slots = engageable_slots(picture, fire_control, unit.spec.weapon_control, t)
        if slots.size == 0:
            return []
        problem = self._problem(unit, fire_control, post, slots)
        orders = []
        for order in self._assigner(unit.spec.doctrine.assignment).assign(problem):
            slot = int(table.slots_of(np.array([order.track_id]))[0])
            launches = self.launchers.take(unit.index, order.interceptor, order.rounds, t)
            unit.engaged[order.track_id] = unit.engaged.get(order.track_id, 0) + len(launches)
            orders.append(
                EngageOrder(
                    order.track_id,
                    int(picture.column("truth")[slot]),
                    Identity(int(picture.column("identity")[slot])),
                    order.interceptor,
                    launches,
                    order.threat_value,
                )
            )
        return orders

    def _problem(
        self, unit, fire_control: RadarType, post: CommandPostType, slots: np.ndarray
    ) -> EngagementProblem:
        """Threat values, reach and limits of the engageable tracks in ``slots``."""
        picture = unit.picture
        state = picture.table.state[slots]
        assets = picture.in_frame_m(self.assets_ecef_m)
        threats = evaluate_threats(state[:, :3], state[:, 3:], assets, self.asset_values)
        own = self.launchers.unit == unit.index
        reaction = float(self.launchers.reaction_time_s[own].min())
        feasible, flight, aim = self.envelopes.intercepts(
            state[:, :3], state[:, 3:], reaction, unit.spec.site.alt_m
        )
        if unit.no_fire.zones or unit.no_fire.countries:
            aim_ecef = enu_to_ecef(aim.reshape(-1, 3), picture.origin_ecef_m, picture.rotation)
            lat, lon, _ = ecef_to_lla(aim_ecef)
            feasible &= ~unit.no_fire.forbidden(lat, lon).reshape(feasible.shape)
        doctrine = unit.spec.doctrine
        track_ids = picture.table.track_id[slots]
        targets, missiles = engagement_channels(fire_control, post, unit.engaged)
        return EngagementProblem(
            track_ids=track_ids,
            threat_value=threats.value,
            ranking=threats.ranking(),
            feasible=feasible,
            flight_time_s=flight,
            pk=self.envelopes.pk,
            available=usable_rounds(
                self.launchers.available(unit.index),
                unit.initial_rounds,
                doctrine.reserve_fraction,
            ),
            already_engaged=np.array([unit.engaged.get(int(i), 0) > 0 for i in track_ids]),
            salvo=doctrine.rounds_per_engagement,
            free_target_channels=targets,
            free_missile_channels=missiles,
        )

    def _assigner(self, name: str) -> Assigner:
        if name not in self._assigners:
            self._assigners[name] = ASSIGNERS.get(name)()
        return self._assigners[name]
