"""Launchers as a table: rounds by interceptor type, readiness, firing rate, reloads."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class LauncherTable:
    """All launchers of a simulation, one row each.

    Attributes
    ----------
    unit : (n,) int64
        Fire unit owning each launcher.
    rounds : (n, m) int64
        Ready rounds by interceptor type (columns follow ``interceptor_types``).
    ready_s : (n,) float64
        Earliest time each launcher can fire its next round, s.
    reaction_time_s, launch_interval_s, reload_time_s : (n,) float64
        From the launcher's catalog type.
    interceptor_types : list of str
        Catalog keys of the interceptor columns.
    load : (n, m) int64
        The load a reload restores.
    spares : (n_units, m) int64
        Reload rounds held at each unit (transloader stock), by interceptor type.
    reload_done_s : (n,) float64
        When a reload in progress ends (``inf``: none).
    next_reload_s : float
        The earliest of ``reload_done_s``, kept by the table's methods (which alone change
        it), so that the reloads due are looked for only when one is.
    """

    unit: np.ndarray
    rounds: np.ndarray
    ready_s: np.ndarray
    reaction_time_s: np.ndarray
    launch_interval_s: np.ndarray
    interceptor_types: list[str]
    reload_time_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    load: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    spares: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    reload_done_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    next_reload_s: float = field(init=False)

    def __post_init__(self) -> None:
        self.next_reload_s = float(np.min(self.reload_done_s, initial=np.inf))

    def available(self, unit: int) -> np.ndarray:
        """Rounds by interceptor type that ``unit`` can still fire, ``(m,)`` int64."""
        return self.rounds[self.unit == unit].sum(axis=0)

    def take(
        self, unit: int, interceptor: int, count: int, time_s: float, spacing_s: float = 0.0
    ) -> list[tuple[int, float]]:
        """Reserve ``count`` rounds of one type from a unit's launchers.

        Rounds come from the launcher that can fire soonest (ties: lowest row), each after
        its reaction time (first round) or launch interval (following rounds), and each
        round of the salvo at least ``spacing_s`` after the one before (so that salvo
        rounds do not fly identical paths). A launcher left empty starts a reload if its
        unit holds spare rounds of its load.

        Returns
        -------
        list of (launcher row, launch time s)
            One entry per round actually taken (fewer if the unit runs short).
        """
        launches: list[tuple[int, float]] = []
        for _ in range(count):
            rows = np.flatnonzero((self.unit == unit) & (self.rounds[:, interceptor] > 0))
            if rows.size == 0:
                break
            start = np.maximum(self.ready_s[rows], time_s + self.reaction_time_s[rows])
            row = rows[np.argmin(start)]
            launch_s = float(max(self.ready_s[row], time_s + self.reaction_time_s[row]))
            if launches:
                launch_s = max(launch_s, launches[-1][1] + spacing_s)
            self.rounds[row, interceptor] -= 1
            self.ready_s[row] = launch_s + self.launch_interval_s[row]
            launches.append((int(row), launch_s))
            self._start_reload(int(row), launch_s)
        return launches

    def _start_reload(self, row: int, time_s: float) -> None:
        if self.spares.size == 0 or self.rounds[row].any() or np.isfinite(self.reload_done_s[row]):
            return
        if (np.minimum(self.load[row], self.spares[self.unit[row]]) > 0).any():
            self.reload_done_s[row] = time_s + self.reload_time_s[row]
            self.next_reload_s = min(self.next_reload_s, float(self.reload_done_s[row]))

    def complete_reloads(self, time_s: float) -> np.ndarray:
        """Finish the reloads due by ``time_s``; returns the reloaded rows.

        A reload restores the launcher's load as far as its unit's spares allow.
        """
        if time_s < self.next_reload_s:  # most steps: none is due
            return _NO_ROWS
        rows = (self.reload_done_s <= time_s).nonzero()[0]
        for row in rows:
            spares = self.spares[self.unit[row]]
            restored = np.minimum(self.load[row], spares)
            self.rounds[row] += restored
            spares -= restored
            self.reload_done_s[row] = np.inf
            self.ready_s[row] = max(self.ready_s[row], time_s)
        self.next_reload_s = float(np.min(self.reload_done_s, initial=np.inf))
        return rows


_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_ROWS.flags.writeable = False
