"""What a simulation reads from files besides the scenario and the catalog, read once.

A :class:`~iadsim.engine.simulation.Simulation` is built from in-memory objects only: the
scenario, the catalog and a :class:`SimulationData`. :func:`bundled_data` reads the files
shipped with iadsim once per process (they are immutable), so a campaign of many runs does
not read the terrain and borders again for each one, and a test can build a simulation from
data it made itself. :func:`scenario_data` adds the terrain of the scenario's region: one
grid over every place the scenario names (plus :data:`REGION_MARGIN_M`), sampled from the
best terrain there is (the scenario's ``terrain_dir``, ``IADSIM_TERRAIN_DIR``, the bundled
Turkey grid, the bundled world grid; see :mod:`iadsim.geo.terrain_layers`), built once per
process for each region and folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np

from iadsim.geo.borders import Country, load_borders
from iadsim.geo.terrain import ElevationGrid, load_bundled
from iadsim.geo.terrain_folder import TERRAIN_DIR_VARIABLE, read_terrain_folder, terrain_folders
from iadsim.geo.terrain_layers import TerrainLayers, TerrainReport
from iadsim.scenario.schema import Scenario

__all__ = ["REGION_MARGIN_M", "SimulationData", "bundled_data", "scenario_box_deg", "scenario_data"]

REGION_MARGIN_M = 50_000.0
"""Margin around the places of a scenario, m. Both ends of every radar-target path lie
among those places, so the simulation reads terrain only inside them and the bulge of a
great circle off their bounding box (under 15 km for 600 km paths at 60 deg latitude)."""

_METRES_PER_DEG = 111_195.0  # on the 6371 km sphere, for margins only


@dataclass(frozen=True)
class SimulationData:
    """Terrain and country borders for a run (the catalog gives signatures and airframes).

    Attributes
    ----------
    terrain : ElevationGrid
    borders : tuple of Country
        For no-fire countries.
    terrain_report : TerrainReport, optional
        Which sources ``terrain`` was made of, at what resolution (None: given by hand).
    """

    terrain: ElevationGrid
    borders: tuple[Country, ...]
    terrain_report: TerrainReport | None = None


@cache
def bundled_data() -> SimulationData:
    """The data shipped with iadsim, with the Turkey terrain grid (read once, then shared)."""
    return SimulationData(load_bundled(), tuple(load_borders()))


def scenario_box_deg(scenario: Scenario, margin_m: float = REGION_MARGIN_M) -> tuple:
    """Bounding box of every place a scenario names, with a margin.

    Places: unit sites, radar positions, defended assets, route waypoints (a ballistic
    flight's launch point and target) and no-fire zone vertices. Longitudes are unwrapped
    around the first place, so a box across the antimeridian runs past 180 deg instead of
    spanning the globe.

    Returns
    -------
    (lat_min, lat_max, lon_min, lon_max)
        Degrees, latitudes within +-90.
    """
    points = [(u.site.lat_deg, u.site.lon_deg) for u in scenario.fire_units if u.position]
    for unit in scenario.fire_units:
        points += [(r.position.lat_deg, r.position.lon_deg) for r in unit.radars if r.position]
    points += [(r.position.lat_deg, r.position.lon_deg) for r in scenario.radars]
    points += [(a.position.lat_deg, a.position.lon_deg) for a in scenario.defended_assets]
    points += [(w.lat_deg, w.lon_deg) for t in scenario.air_tracks for w in t.places]
    points += [(v.lat_deg, v.lon_deg) for z in scenario.no_fire_zones for v in z.polygon]
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    lon = lon[0] + (lon - lon[0] + 180.0) % 360.0 - 180.0
    margin_lat = margin_m / _METRES_PER_DEG
    lat_min = max(float(lat.min()) - margin_lat, -90.0)
    lat_max = min(float(lat.max()) + margin_lat, 90.0)
    widest = np.radians(max(abs(lat_min), abs(lat_max)))
    margin_lon = min(margin_lat / max(np.cos(widest), 1e-3), 180.0)
    return (lat_min, lat_max, float(lon.min()) - margin_lon, float(lon.max()) + margin_lon)


def scenario_data(scenario: Scenario) -> SimulationData:
    """:func:`bundled_data` with the terrain of the scenario's region.

    The scenario's ``terrain_dir`` should be absolute (the command line resolves it against
    the scenario's folder); a relative one is read from the working directory.

    Raises
    ------
    TerrainFileError
        A terrain folder that does not exist, or a tile in it that cannot be read.
    """
    box = tuple(round(value, 3) for value in scenario_box_deg(scenario))
    folders = tuple(str(f) for f in terrain_folders(scenario.terrain_dir))
    terrain, report = _region_terrain(box, folders, os.environ.get(TERRAIN_DIR_VARIABLE, ""))
    return replace(bundled_data(), terrain=terrain, terrain_report=report)


@lru_cache(maxsize=4)
def _region_terrain(
    box: tuple, folders: tuple[str, ...], _variable: str
) -> tuple[ElevationGrid, TerrainReport]:
    """The region grid for a box and folders (cached: a campaign builds it once)."""
    grids = [grid for folder in folders for grid in read_terrain_folder(folder, box)]
    return TerrainLayers.with_user_grids(grids).region(box)
