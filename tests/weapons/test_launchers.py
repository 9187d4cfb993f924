"""Launchers: firing order and rate, and reloads from the unit's spare rounds."""

from __future__ import annotations

import numpy as np

from iadsim.weapons.launchers import LauncherTable


def _table(spares):
    load = np.array([[2, 0], [0, 4]])
    return LauncherTable(
        unit=np.array([0, 0]),
        rounds=load.copy(),
        ready_s=np.zeros(2),
        reaction_time_s=np.array([10.0, 10.0]),
        launch_interval_s=np.array([3.0, 3.0]),
        interceptor_types=["big", "small"],
        reload_time_s=np.array([600.0, 600.0]),
        load=load,
        spares=np.array([spares]),
        reload_done_s=np.full(2, np.inf),
    )


def test_rounds_leave_after_the_reaction_time_then_at_the_launch_interval():
    table = _table([0, 0])
    assert table.take(0, 0, 2, 100.0) == [(0, 110.0), (0, 113.0)]
    assert table.take(0, 0, 1, 200.0) == []  # empty, no spares: nothing left
    assert table.available(0).tolist() == [0, 4]


def test_an_emptied_launcher_reloads_from_spares_after_its_reload_time():
    table = _table([3, 0])
    table.take(0, 0, 2, 100.0)  # empties launcher 0 at t = 113 s
    assert table.reload_done_s[0] == 713.0
    assert table.next_reload_s == 713.0  # the earliest reload, noted as it starts
    assert table.complete_reloads(712.0).tolist() == []
    assert table.complete_reloads(713.0).tolist() == [0]
    assert table.next_reload_s == np.inf  # none left in progress
    assert table.rounds[0].tolist() == [2, 0]
    assert table.spares[0].tolist() == [1, 0]
    table.take(0, 0, 2, 800.0)
    table.complete_reloads(1e9)
    assert table.rounds[0].tolist() == [1, 0]  # only one spare was left
    assert table.spares[0].tolist() == [0, 0]


def test_salvo_rounds_from_two_launchers_leave_the_salvo_spacing_apart():
    load = np.array([[1], [1]])
    table = LauncherTable(
        unit=np.array([0, 0]),
        rounds=load.copy(),
        ready_s=np.zeros(2),
        reaction_time_s=np.array([10.0, 10.0]),
        launch_interval_s=np.array([3.0, 3.0]),
        interceptor_types=["big"],
        reload_time_s=np.array([600.0, 600.0]),
        load=load,
        spares=np.array([[0]]),
        reload_done_s=np.full(2, np.inf),
    )
    # Without spacing both launchers would fire at 110 s, on one path.
    assert table.take(0, 0, 2, 100.0, spacing_s=4.0) == [(0, 110.0), (1, 114.0)]
