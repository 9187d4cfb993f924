"""Procedural identification: safe corridors and filed flight plans, compared with tracks.

Procedural control identifies a track by where and when it flies, not by what answers
(US JP 3-52, *Joint Airspace Control*, on procedural versus positive control; STANAG 1241
"assumed friend" for a track assumed friendly by its behaviour or origin):

- a **safe corridor** (a published transit corridor, a civil airway) gives its identity to
  any track inside its polygon and altitude band;
- a **filed flight plan** says where its aircraft should be at each time; a track within
  :data:`FLIGHT_PLAN_GATE_M` of the position the plan gives *now* takes the plan's identity
  (neutral for a civil flight, assumed friend otherwise). The comparison is between the
  plan and the post's *track*: an aircraft off its plan, or a hostile one on it, is
  treated accordingly. A plan ends when its aircraft lands (its route's end): from then on
  it puts no aircraft anywhere.

Both would give the same identity to a hostile aircraft flying the corridor or the plan's
path: that is the price of procedural identification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from iadsim.c2.picture._identification_kernels import flight_plan_kernel, plans_in_frame_kernel
from iadsim.c2.picture.identification import Identity
from iadsim.core.kinematics import vector_norm
from iadsim.geo.areas import inside_polygon
from iadsim.motion.flights import FlightTable
from iadsim.motion.waypoints import RouteTable

_PENDING = int(Identity.PENDING)
FLIGHT_PLAN_GATE_M = 5_000.0
"""A track this close to a planned position correlates with the flight plan (notional: about
20 s of flight at 250 m/s, the timing a filed plan is held to)."""


@dataclass(frozen=True)
class Corridor:
    """A safe corridor known to a post: polygon (lon, lat deg), altitude band, identity."""

    ring_lonlat_deg: np.ndarray
    min_alt_m: float
    max_alt_m: float
    identity: Identity


def corridor_identities(
    corridors: Sequence[Corridor], lat_rad: np.ndarray, lon_rad: np.ndarray, alt_m: np.ndarray
) -> np.ndarray:
    """Identity of the corridor each point is in (the first listed wins), else PENDING.

    Parameters
    ----------
    corridors : sequence of Corridor
    lat_rad, lon_rad, alt_m : (n,) float64

    Returns
    -------
    (n,) int8
    """
    identity = np.full(np.shape(lat_rad), Identity.PENDING, dtype=np.int8)
    for corridor in reversed(corridors):
        inside = inside_polygon(corridor.ring_lonlat_deg, lat_rad, lon_rad)
        inside &= (alt_m >= corridor.min_alt_m) & (alt_m <= corridor.max_alt_m)
        identity[inside] = corridor.identity
    return identity


def flight_plan_identities(
    track_pos_m: np.ndarray,
    planned_pos_m: np.ndarray,
    planned_identity: np.ndarray,
    gate_m: float = FLIGHT_PLAN_GATE_M,
) -> np.ndarray:
    """Identity from the nearest flight plan within the gate, else PENDING.

    Parameters
    ----------
    track_pos_m : (n, 3) float64
        Track positions (any Cartesian frame, e.g. ECEF).
    planned_pos_m : (k, 3) float64
        Where the flight plans the post holds put their aircraft now, same frame.
    planned_identity : (k,) int
        Identity each plan gives (neutral for civil flights, assumed friend otherwise).
    gate_m : float

    Returns
    -------
    (n,) int8
    """
    identity = np.full(len(track_pos_m), Identity.PENDING, dtype=np.int8)
    if len(planned_pos_m) == 0 or len(track_pos_m) == 0:
        return identity
    distance = vector_norm(track_pos_m[:, None, :] - planned_pos_m[None, :, :])
    nearest = np.argmin(distance, axis=1)
    close = distance[np.arange(len(track_pos_m)), nearest] <= gate_m
    identity[close] = np.asarray(planned_identity)[nearest[close]]
    return identity


PLAN_BLOCK_STEPS = 128
"""Clock times whose planned states :class:`FlightPlans` computes in one call."""


@dataclass(frozen=True)
class FlightPlans:
    """The filed flight plans of a run: which flights, who holds them, what they say.

    Attributes
    ----------
    routes : FlightTable
        The filed routes and times (row ``rows[i]`` is plan ``i``'s flight).
    rows : (k,) int64
        Rows of ``routes`` that have a filed plan.
    holders : list of frozenset of str
        Sides whose posts hold each plan.
    identity : (k,) int8
        Identity each plan gives: neutral for a civil flight, assumed friend otherwise.
    """

    routes: FlightTable
    rows: np.ndarray
    holders: list[frozenset[str]]
    identity: np.ndarray
    block_step_s: float | None = field(default=None, compare=False)
    """The simulation's time step: the plans' states are then computed for
    :data:`PLAN_BLOCK_STEPS` clock times at once (``t``, ``t + dt``, ... summed as the clock
    sums them), for every post deciding in that span; None: one time per call."""
    _planned: dict[float, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _held: dict[str, np.ndarray | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Which plans each side holds (None: none), worked out at its first decision."""

    @cached_property
    def _planned_routes(self) -> FlightTable:
        """The routes of the planned flights only, row ``i`` being plan ``i``'s."""
        return self.routes.subset(self.rows)

    def _planned_at(self, time_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Planned ECEF positions ``(k, 3)`` m and flying flags ``(k,)`` of each plan's
        flight at ``time_s``, remembered for the block of clock times that holds it.

        Only the positions of the flights flying now are read (NaN for the others): the
        states are computed for the flights that fly at some time of the block only.
        """
        planned = self._planned.get(time_s)
        if planned is None:
            times = [time_s]
            if self.block_step_s is not None:
                for _ in range(PLAN_BLOCK_STEPS - 1):
                    times.append(times[-1] + self.block_step_s)
            pos, flying = self._flying_states(np.array(times, dtype=np.float64))
            self._planned.clear()
            self._planned.update({t: (pos[row], flying[row]) for row, t in enumerate(times)})
            planned = self._planned[time_s]
        return planned

    def _flying_states(self, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Planned ECEF positions ``(T, k, 3)`` m and flying flags ``(T, k)`` of each plan at
        each of ``times_s`` ``(T,)`` s (ascending), positions NaN where not flying.

        A flight flies at ``t`` when ``start_s <= t < end_s`` (the routes' and ballistic
        flights' own test), so one that starts after the last time or ends by the first
        flies at none of them and is not computed; the others are, as a subset of the
        plans' routes (element-wise, so the same bits as with every plan). Flights not
        flying waste most of a block's points (the geodesic of each point is the cost).
        """
        routes = self._planned_routes
        in_block = (routes.start_s <= times_s[-1]) & (routes.end_s > times_s[0])
        if in_block.all():
            pos, _, _, flying = routes.states(times_s)
            return np.where(flying[..., None], pos, np.nan), flying
        pos = np.full((len(times_s), len(routes.start_s), 3), np.nan)
        flying = np.zeros((len(times_s), len(routes.start_s)), dtype=bool)
        rows = in_block.nonzero()[0]
        if rows.size:
            some_pos, _, _, some_flying = routes.subset(rows).states(times_s)
            pos[:, rows] = np.where(some_flying[..., None], some_pos, np.nan)
            flying[:, rows] = some_flying
        return pos, flying

    @classmethod
    def filed(
        cls,
        routes: FlightTable | RouteTable,
        holders: Sequence[frozenset[str]],
        civil: Sequence[bool],
        block_step_s: float | None = None,
    ) -> FlightPlans:
        """The plans of the flights with at least one holder.

        Parameters
        ----------
        routes : FlightTable or RouteTable
            Every flight's route and times, one row per air entity.
        holders : sequence of frozenset of str
            Sides holding each entity's plan (empty: no plan filed).
        civil : sequence of bool
            Each entity is a civil flight.
        """
        if isinstance(routes, RouteTable):
            routes = FlightTable.of_routes(routes)
        rows = np.array([i for i, sides in enumerate(holders) if sides], dtype=np.int64)
        identity = np.array(
            [Identity.NEUTRAL if civil[i] else Identity.ASSUMED_FRIEND for i in rows],
            dtype=np.int8,
        )
        return cls(routes, rows, [holders[i] for i in rows], identity, block_step_s)

    def identities(self, side: str, track_pos_ecef_m: np.ndarray, time_s: float) -> np.ndarray:
        """Identity each track takes from the plans ``side`` holds, PENDING where none.

        Parameters
        ----------
        side : str
            The post's side.
        track_pos_ecef_m : (n, 3) float64
            Track positions, ECEF, m.
        time_s : float
            Time the positions refer to, s.

        Returns
        -------
        (n,) int8
        """
        held = self._held_by(side)
        if held is None or len(track_pos_ecef_m) == 0:
            return np.full(len(track_pos_ecef_m), _PENDING, dtype=np.int8)
        pos, flying = self._planned_at(time_s)
        active = held & flying
        # Compiled twin of flight_plan_identities (same bits).
        return flight_plan_kernel(
            np.asarray(track_pos_ecef_m, dtype=np.float64),
            pos[active],
            self.identity[active],
            FLIGHT_PLAN_GATE_M,
        )

    def identities_in_frame(
        self,
        side: str,
        track_enu_m: np.ndarray,
        origin_ecef_m: np.ndarray,
        rotation: np.ndarray,
        time_s: float,
    ) -> np.ndarray:
        """:meth:`identities` of tracks given in a post's ENU frame (``(n, 3)`` float64 m,
        any strides; origin ``(3,)`` ECEF m, ECEF -> ENU rotation ``(3, 3)``): the
        conversion, the plans flying now and the matching in one compiled call
        (:func:`~iadsim.c2.picture._identification_kernels.plans_in_frame_kernel`), the
        same identities."""
        held = self._held_by(side)
        if held is None or len(track_enu_m) == 0:
            return np.full(len(track_enu_m), _PENDING, dtype=np.int8)
        pos, flying = self._planned_at(time_s)
        return plans_in_frame_kernel(
            track_enu_m,
            origin_ecef_m,
            rotation,
            pos,
            self.identity,
            held,
            flying,
            FLIGHT_PLAN_GATE_M,
        )

    def _held_by(self, side: str) -> np.ndarray | None:
        """``(k,) bool``: the plans ``side`` holds; None where it holds none."""
        if side not in self._held:
            held = np.array([side in sides for sides in self.holders], dtype=bool)
            self._held[side] = held if held.any() else None
        return self._held[side]
