"""The registered weapon-target assigners: ``doctrine.assignment: wta | greedy``.

Each wraps one method of :mod:`iadsim.c2.engagement` behind the
:class:`~iadsim.core.contracts.Assigner` contract, so the fire-control stage asks the
registry for a method by name and never branches on it.
"""

from __future__ import annotations

from iadsim.c2.engagement import Order, greedy_orders, wta_orders
from iadsim.core.contracts import EngagementProblem


class WeaponTargetAssigner:
    """Static weapon-target assignment maximising expected destroyed value (``wta``)."""

    def assign(self, problem: EngagementProblem) -> list[Order]:
        """Orders of :func:`iadsim.c2.engagement.wta_orders`."""
        p = problem
        return wta_orders(
            p.track_ids,
            p.threat_value,
            p.feasible,
            p.pk,
            p.available,
            p.already_engaged,
            p.salvo,
            p.free_target_channels,
            p.free_missile_channels,
        )


class GreedyAssigner:
    """Threats in ranked order, each given the best feasible type (``greedy``)."""

    def assign(self, problem: EngagementProblem) -> list[Order]:
        """Orders of :func:`iadsim.c2.engagement.greedy_orders`."""
        p = problem
        return greedy_orders(
            p.ranking,
            p.track_ids,
            p.threat_value,
            p.feasible,
            p.flight_time_s,
            p.pk,
            p.available,
            p.already_engaged,
            p.salvo,
            p.free_target_channels,
            p.free_missile_channels,
        )
