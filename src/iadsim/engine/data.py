"""What a simulation reads from files besides the scenario and the catalog, read once.

A :class:`~iadsim.engine.simulation.Simulation` is built from in-memory objects only: the
scenario, the catalog and a :class:`SimulationData`. :func:`bundled_data` reads the files
shipped with iadsim once per process (they are immutable), so a campaign of many runs does
not read the terrain grid and the signature tables again for each one, and a test can build
a simulation from data it made itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from iadsim.geo.borders import Country, load_borders
from iadsim.geo.terrain import ElevationGrid, load_bundled
from iadsim.sensors.signature import SignatureTable, load_signatures
from iadsim.weapons.flyout import Airframe, load_airframes


@dataclass(frozen=True)
class SimulationData:
    """Terrain, signatures, interceptor airframes and country borders for a run.

    Attributes
    ----------
    terrain : ElevationGrid
    signatures : SignatureTable
    airframes : dict of str to Airframe
        By interceptor catalog key.
    borders : tuple of Country
        For no-fire countries.
    """

    terrain: ElevationGrid
    signatures: SignatureTable
    airframes: dict[str, Airframe]
    borders: tuple[Country, ...]


@cache
def bundled_data() -> SimulationData:
    """The data shipped with iadsim (read on the first call, then shared)."""
    return SimulationData(
        load_bundled(), load_signatures(), load_airframes(), tuple(load_borders())
    )
