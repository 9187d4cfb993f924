"""Dominant terrain obstacles remembered by their exact inputs.

The obstacle of a radar-target path (:func:`~iadsim.geo.terrain_obstacle.obstacle_columns`)
depends only on the path's six coordinates, the radar's wavelength, the k-factor and the
terrain grid. A raid's aircraft and missiles flying one route at whole-step intervals pass
through the same points, which a fixed radar sees again: in the bundled Ankara scenario half
of the sensing stage's paths repeat one seen earlier to the bit. :class:`ObstacleMemo`
keeps each path's result under the bytes of its inputs, so a repeated path costs a
dictionary lookup instead of the terrain search, and its result is the one the search gave
(the same compiled kernel on the same inputs: the same bits).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from iadsim.geo.line_of_sight import PARALLEL_MIN_PAIRS
from iadsim.geo.terrain import ElevationGrid
from iadsim.geo.terrain_obstacle import obstacle_columns

__all__ = ["MEMO_MAX_PATHS", "ObstacleMemo"]

MEMO_MAX_PATHS = 200_000
"""Paths remembered at most (some 50 MB); the memo starts afresh when it is full."""

_KEY_COLUMNS = 7
"""The six coordinates of :func:`obstacle_columns`'s pairs, then the wavelength."""
_KEY = np.dtype((np.void, 8 * _KEY_COLUMNS))
"""One path's key columns as one value, whose ``tolist()`` gives its bytes."""


class ObstacleMemo:
    """:func:`~iadsim.geo.terrain_obstacle.obstacle_columns`, each path's result
    remembered by the bytes of its inputs (one memo per k-factor, for the grid of the
    latest call: another grid starts it afresh).

    Parameters
    ----------
    max_paths : int
        Paths remembered at most, per k-factor.
    """

    def __init__(self, max_paths: int = MEMO_MAX_PATHS) -> None:
        self.max_paths = max_paths
        self._grid: ElevationGrid | None = None
        self._memos: dict[float, _Memo] = {}

    def columns(
        self,
        pairs: NDArray[np.float64],
        grid: ElevationGrid,
        k_factor: float,
        wavelength_m: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """:func:`~iadsim.geo.terrain_obstacle.obstacle_columns` of ``pairs``, the same
        ``(3, n_pairs)`` values: height above the ray, ``d1`` and ``d2`` (m).

        Parameters
        ----------
        pairs : (6, n_pairs) float64
            Radar latitude, longitude (rad) and height (m), then the target's.
        grid : ElevationGrid
        k_factor : float
        wavelength_m : (n_pairs,) float64, contiguous
            Wavelength of each pair's radar, m.
        """
        n = pairs.shape[1]
        if n >= PARALLEL_MIN_PAIRS:  # the threaded kernel's batches: not remembered
            return obstacle_columns(pairs, grid, k_factor, wavelength_m)
        if grid is not self._grid:
            self._grid, self._memos = grid, {}
        memo = self._memos.get(k_factor)
        if memo is None or memo.used + n > self.max_paths:
            memo = self._memos[k_factor] = _Memo()
        rows = np.empty((n, _KEY_COLUMNS))
        rows[:, :6] = pairs.T
        rows[:, 6] = wavelength_m
        keys: list[Any] = rows.view(_KEY)[:, 0].tolist()  # bytes, one per path
        slots: list[Any] = list(map(memo.slot_of.get, keys))  # column, or None: new
        if None not in slots:  # every path seen before
            return memo.results.take(slots, axis=1)
        missing = [i for i, slot in enumerate(slots) if slot is None]
        m = len(missing)
        if m == n:
            fresh = obstacle_columns(pairs, grid, k_factor, wavelength_m)
        else:
            fresh = obstacle_columns(  # take: C-contiguous, as the kernel is compiled for
                pairs.take(missing, axis=1), grid, k_factor, wavelength_m.take(missing)
            )
        # The new paths' results in the memo's next m columns (grown by doubling if full).
        first = memo.used
        if first + m > memo.results.shape[1]:
            memo.grow(first + m)
        memo.results[:, first : first + m] = fresh
        new_keys = map(keys.__getitem__, missing)
        memo.slot_of.update(zip(new_keys, range(first, first + m), strict=True))
        memo.used = first + m
        if m == n:
            return fresh
        for slot, i in enumerate(missing, first):
            slots[i] = slot
        return memo.results.take(slots, axis=1)


class _Memo:
    """The paths of one k-factor: the column of each path's result (by the bytes of its
    inputs) in ``results`` ``(3, capacity)``, whose first ``used`` columns are filled."""

    def __init__(self) -> None:
        self.slot_of: dict[bytes, int] = {}
        self.results = np.empty((3, 1024))
        self.used = 0

    def grow(self, columns: int) -> None:
        """Room for at least ``columns`` results: twice the capacity, or more."""
        grown = np.empty((3, max(2 * self.results.shape[1], columns)))
        grown[:, : self.used] = self.results[:, : self.used]
        self.results = grown
