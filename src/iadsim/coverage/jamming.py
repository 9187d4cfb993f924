"""Coverage under jamming: the scenario's jammers where they fly at one instant.

A coverage map is a snapshot; jammers move. ``iadsim coverage SCENARIO --jam-time-s T``
flies the scenario's air tracks to time ``T`` (the same route playback as a run), takes
the jammers radiating then (:meth:`iadsim.ew.jammers.JammerSet.toward`) and gives each
radar a ``noise_jamming`` effect fixed to them, so the map's Pd goes through the same
sensor chain and the same jamming equation as the run's detection draws at ``T``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from iadsim.catalog import Catalog
from iadsim.engine.data import scenario_data
from iadsim.engine.world import build_air_entities, build_jammers
from iadsim.ew.noise_jamming import NoiseJamming
from iadsim.motion.playback import RoutePlayback
from iadsim.scenario.schema import Scenario
from iadsim.sensors.radar import Radar

__all__ = ["JammerSnapshot", "jammed_radars"]


@dataclasses.dataclass(frozen=True)
class JammerSnapshot:
    """Where the jammers are at the map's instant: names and latitudes, longitudes (deg) of
    those whose carrier flies."""

    names: list[str]
    lat_deg: np.ndarray
    lon_deg: np.ndarray


def jammed_radars(
    scenario: Scenario, catalog: Catalog, radars: list[Radar], time_s: float
) -> tuple[list[Radar], JammerSnapshot]:
    """The radars with their jamming fixed at ``time_s``, and where the jammers are.

    Parameters
    ----------
    scenario : Scenario
        With ``jammers``; its terrain folder resolved (for terrain-following flights).
    catalog : Catalog
    radars : list of Radar
        As :func:`iadsim.engine.world.build_radars` builds them (ground radars).
    time_s : float
        Scenario time, s.
    """
    terrain = scenario_data(scenario).terrain
    entities = build_air_entities(scenario, catalog, terrain)
    motion = RoutePlayback(entities.routes, entities.terrain_following, terrain)
    pos, _vel, lla, flying = motion.state(float(time_s), scenario.time_step_s)
    jammers = build_jammers(scenario, catalog, entities)
    jammed = []
    for radar in radars:
        emitters = jammers.toward(radar.name, radar.spec.frequency_hz, pos, flying)
        kept = tuple(e for e in radar.signal_effects if not isinstance(e, NoiseJamming))
        jammed.append(
            dataclasses.replace(radar, signal_effects=(*kept, NoiseJamming(emitters=emitters)))
        )
    on = np.array([flying[c] for c in jammers.carrier], dtype=bool)
    rows = jammers.carrier[on]
    snapshot = JammerSnapshot(
        [name for name, up in zip(jammers.names, on, strict=True) if up],
        np.degrees(lla[rows, 0]),
        np.degrees(lla[rows, 1]),
    )
    return jammed, snapshot
