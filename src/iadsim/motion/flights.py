"""Every air entity's truth motion: waypoint routes and ballistic flights in one table.

Rows are the entities; each is flown either by the :class:`~iadsim.motion.waypoints.
RouteTable` (aircraft, cruise missiles, drones) or by the :class:`~iadsim.motion.
ballistic_table.BallisticTable` (ballistic missiles). Both are element-wise in time, so a
block of times gives the same bits as one time at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TypeVar

import numpy as np

from iadsim.motion.ballistic_table import BallisticTable
from iadsim.motion.waypoints import RouteTable

_Table = TypeVar("_Table", RouteTable, BallisticTable)


def _take_rows(table: _Table, rows: np.ndarray) -> _Table:
    """``table`` with only its entity rows ``rows`` (every array field is per entity)."""
    taken = {
        f.name: getattr(table, f.name)[rows]
        for f in fields(table)
        if isinstance(getattr(table, f.name), np.ndarray)
    }
    return replace(table, **taken)


def _kept(position: np.ndarray, table_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a part table ``(k,)`` whose entities are kept, in the order of their new rows
    ``position[table_rows]`` ``(k,)`` (-1: dropped), and those new rows."""
    keep = (position[table_rows] >= 0).nonzero()[0]
    keep = keep[np.argsort(position[table_rows[keep]], kind="stable")]
    return keep, position[table_rows[keep]]


@dataclass(frozen=True)
class FlightTable:
    """Routes and ballistic flights of ``n`` entities.

    Attributes
    ----------
    routes : RouteTable or None
        The route-flown entities, rows ``route_rows``.
    ballistic : BallisticTable or None
        The ballistic entities, rows ``ballistic_rows``.
    route_rows, ballistic_rows : (n_r,), (n_b,) int64
    start_s, end_s : (n,) float64
        Each entity's start, and the time it reaches its last waypoint or its target, s.
    """

    routes: RouteTable | None
    ballistic: BallisticTable | None
    route_rows: np.ndarray
    ballistic_rows: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray

    @classmethod
    def combine(
        cls,
        n: int,
        routes: RouteTable | None,
        route_rows: np.ndarray,
        ballistic: BallisticTable | None,
        ballistic_rows: np.ndarray,
    ) -> FlightTable:
        """The table of ``n`` entities, ``route_rows`` and ``ballistic_rows`` between them."""
        start, end = np.zeros(n), np.zeros(n)
        for table, rows in ((routes, route_rows), (ballistic, ballistic_rows)):
            if table is not None:
                start[rows], end[rows] = table.start_s, table.end_s
        return cls(routes, ballistic, route_rows, ballistic_rows, start, end)

    @classmethod
    def of_routes(cls, routes: RouteTable) -> FlightTable:
        """A table of route-flown entities only."""
        n = len(routes.start_s)
        return cls.combine(n, routes, np.arange(n), None, np.zeros(0, dtype=np.int64))

    def subset(self, rows: np.ndarray) -> FlightTable:
        """The table of entities ``rows`` only (ascending, unique), row ``i`` being
        ``rows[i]``: each entity's states are computed element-wise, so its bits do not
        depend on the others."""
        position = np.full(len(self.start_s), -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        route_keep, route_rows = _kept(position, self.route_rows)
        ballistic_keep, ballistic_rows = _kept(position, self.ballistic_rows)
        routes = ballistic = None
        if self.routes is not None and route_keep.size:
            routes = _take_rows(self.routes, route_keep)
        if self.ballistic is not None and ballistic_keep.size:
            ballistic = _take_rows(self.ballistic, ballistic_keep)
        return FlightTable.combine(len(rows), routes, route_rows, ballistic, ballistic_rows)

    def state(self, t_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at ``t_s``: :meth:`states` at one time."""
        pos, vel, lla, flying = self.states(np.array([t_s], dtype=np.float64))
        return pos[0], vel[0], lla[0], flying[0]

    def states(self, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at each of ``times_s``.

        Returns
        -------
        pos_ecef_m, vel_ecef_mps : (T, n, 3) float64
        lla : (T, n, 3) float64
            Latitude (rad), longitude (rad), altitude (m).
        flying : (T, n) bool
        """
        times = np.asarray(times_s, dtype=np.float64)
        if self.ballistic is None and self.routes is not None:
            return self.routes.states(times)
        shape = (len(times), len(self.start_s))
        pos, vel, lla = (np.zeros((*shape, 3)) for _ in range(3))
        flying = np.zeros(shape, dtype=bool)
        parts = (
            (self.routes.states if self.routes is not None else None, self.route_rows),
            (self.ballistic.states_at if self.ballistic is not None else None, self.ballistic_rows),
        )
        for states, rows in parts:
            if states is not None and rows.size:
                pos[:, rows], vel[:, rows], lla[:, rows], flying[:, rows] = states(times)
        return pos, vel, lla, flying
