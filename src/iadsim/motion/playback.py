"""Truth motion computed ahead of the clock, a block of steps at a time.

Nothing in a run changes where an entity flies (a destroyed entity only stops being present),
so the positions and velocities of many steps can be computed together: one geodesic call
(:meth:`~iadsim.motion.flights.FlightTable.states`) and one terrain lift
(:func:`~iadsim.motion.terrain_following.follow_terrain`) per block instead of per step.
Both are element-wise, so each step gets the same bits as when computed alone.
"""

from __future__ import annotations

import numpy as np

from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.flights import FlightTable
from iadsim.motion.terrain_following import follow_terrain

BLOCK_STEPS = 128
"""Steps computed per block (a few hundred kB of state for a hundred entities)."""


class RoutePlayback:
    """Route states of every entity, served step by step from blocks computed ahead.

    Parameters
    ----------
    routes : FlightTable
    terrain_following : (n,) bool
        Entities whose route heights are above ground level.
    terrain : ElevationGrid
    block_steps : int
        Steps per block.
    """

    def __init__(
        self,
        routes: FlightTable,
        terrain_following: np.ndarray,
        terrain: ElevationGrid,
        block_steps: int = BLOCK_STEPS,
    ) -> None:
        self.routes = routes
        self.agl_rows = np.flatnonzero(terrain_following)
        self.terrain = terrain
        self.block_steps = block_steps
        self._block_row: dict[float, int] = {}  # time -> row of the block; set with it
        self._block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

    def state(
        self, t_s: float, dt_s: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at ``t_s``, ellipsoidal heights.

        Parameters
        ----------
        t_s : float
            Simulation time, s.
        dt_s : float
            Clock step: a time not in the current block starts a new one at ``t_s``, with
            the times ``t_s``, ``t_s + dt_s``, ... summed as the simulation clock sums them.

        Returns
        -------
        pos_ecef_m, vel_ecef_mps : (n, 3) float64
        lla : (n, 3) float64
            Latitude (rad), longitude (rad), height above the ellipsoid (m).
        flying : (n,) bool
            Between its start and its last waypoint.
        """
        row = self._block_row.get(t_s)
        if row is None:
            self._compute_block(t_s, dt_s)
            row = 0
        pos, vel, lla, flying = self._block
        return pos[row], vel[row], lla[row], flying[row]

    def _compute_block(self, t_s: float, dt_s: float) -> None:
        times = [t_s]
        for _ in range(self.block_steps - 1):
            times.append(times[-1] + dt_s)
        pos, vel, lla, flying = self.routes.states(np.array(times))
        if self.agl_rows.size:
            self._lift(pos, vel, lla)
        self._block = (pos, vel, lla, flying)
        self._block_row = {t: row for row, t in enumerate(times)}

    def _lift(self, pos: np.ndarray, vel: np.ndarray, lla: np.ndarray) -> None:
        """Terrain-following entities of a block, from height above ground to the
        ellipsoid (in place; ``(T, n, 3)`` arrays)."""
        agl = self.agl_rows
        shape = (len(pos), agl.size, 3)
        lifted = follow_terrain(
            lla[:, agl].reshape(-1, 3), vel[:, agl].reshape(-1, 3), self.terrain
        )
        pos[:, agl], vel[:, agl], lla[:, agl] = (array.reshape(shape) for array in lifted)
