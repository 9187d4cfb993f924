"""Every look a simulation's sensing stage makes, for tests that follow radars step by step.

The stage decides each radar's look in ``SensingStage._swept`` and returns a detection batch
for every radar that looked (:meth:`~iadsim.sensors.sensing.SensingStage.look`), whether it
saw anything or drew only false alarms. Spying on those two, on the stage instance only,
follows what the engine did rather than which radar method it called for a look.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from iadsim.engine.simulation import Simulation


@contextlib.contextmanager
def spied_looks(simulation: Simulation) -> Iterator[list[tuple[Any, ...]]]:
    """Collect ``(radar, time_s, look, batch, truth_pos_ecef_m)`` for each look made.

    ``radar`` is the radar as it looked (an airborne one at its carrier's place), ``look``
    what its beams covered, ``batch`` its detections and ``truth_pos_ecef_m`` (n, 3) the
    entities' true positions at the look.
    """
    stage = simulation.sensing
    swept, look = stage._swept, stage.look
    latest: dict[int, Any] = {}
    made: list[tuple[Any, ...]] = []

    def spy_swept(radar, t, dt_s, dwells):
        latest[radar.index] = swept(radar, t, dt_s, dwells)
        return latest[radar.index]

    def spy_look(t, dt_s, truth, dwells=None, radiating=None):
        scans = look(t, dt_s, truth, dwells, radiating)
        for index, batch in scans.items():
            made.append((stage.radars[index], t, latest[index], batch, truth.pos_ecef_m.copy()))
        return scans

    stage._swept, stage.look = spy_swept, spy_look
    try:
        yield made
    finally:
        del stage._swept, stage.look
