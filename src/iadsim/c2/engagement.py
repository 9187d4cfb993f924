"""Engagement planning at one fire unit: which tracks to shoot, with what, how many.

The first model is the greedy rule of many fielded systems' automatic modes: take threats
in ranked order and give each the feasible interceptor type with the best single-shot Pk
(ties: the shortest time of flight), while guidance channels and magazines last. A track is
feasible for a type when the kinematic intercept point -- the target extrapolated at
constant velocity over the reaction time and the flight at the type's average speed -- lies
inside the type's published envelope (range and altitude).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import InterceptorType
from iadsim.core.kinematics import intercept_time_s


@dataclass(frozen=True)
class Envelopes:
    """Envelope arrays of the interceptor types, one row per type.

    Attributes
    ----------
    min_range_m, max_range_m, min_altitude_m, max_altitude_m, average_speed_mps, pk : (m,)
    """

    min_range_m: np.ndarray
    max_range_m: np.ndarray
    min_altitude_m: np.ndarray
    max_altitude_m: np.ndarray
    average_speed_mps: np.ndarray
    pk: np.ndarray

    @classmethod
    def from_catalog(cls, types: list[InterceptorType]) -> Envelopes:
        """Stack catalog entries."""

        def column(name: str) -> np.ndarray:
            return np.array([getattr(t, name) for t in types], dtype=float)

        return cls(
            column("min_range_m"),
            column("max_range_m"),
            column("min_altitude_m"),
            column("max_altitude_m"),
            column("average_speed_m_s"),
            column("single_shot_pk"),
        )

    def intercepts(
        self, pos_m: np.ndarray, vel_mps: np.ndarray, delay_s: float, site_alt_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kinematic intercepts of every track by every type.

        Parameters
        ----------
        pos_m, vel_mps : (n, 3) float64
            Track states in the unit's ENU frame (origin at the launchers).
        delay_s : float
            Time before launch (reaction), s.
        site_alt_m : float
            Altitude of the frame origin, m (envelope altitudes are above sea level).

        Returns
        -------
        feasible : (n, m) bool
        flight_time_s : (n, m) float64
        aim_m : (n, m, 3) float64
            Predicted intercept points.
        """
        start = pos_m + vel_mps * delay_s
        flight = intercept_time_s(
            start[:, None, :], vel_mps[:, None, :], self.average_speed_mps[None, :]
        )
        finite = np.isfinite(flight)
        aim = start[:, None, :] + vel_mps[:, None, :] * np.where(finite, flight, 0.0)[..., None]
        ground = np.hypot(aim[..., 0], aim[..., 1])
        alt = aim[..., 2] + site_alt_m
        feasible = (
            finite
            & (ground >= self.min_range_m)
            & (ground <= self.max_range_m)
            & (alt >= self.min_altitude_m)
            & (alt <= self.max_altitude_m)
        )
        return feasible, flight, aim


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
    pk : (m,) float64
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
        best = candidates[np.lexsort((flight_time_s[row, candidates], -pk[candidates]))[0]]
        rounds = int(min(rounds_per_engagement, stock[best], free_missile_channels))
        stock[best] -= rounds
        free_target_channels -= 1
        free_missile_channels -= rounds
        orders.append(Order(int(track_ids[row]), int(best), rounds, float(threat_value[row])))
    return orders
