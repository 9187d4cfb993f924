"""The user's own elevation data: a folder of SRTM ``.hgt`` tiles and GeoTIFFs.

A terrain folder holds any number of SRTM tiles (``N50E021.hgt``, 1" or 3") and
single-band geographic GeoTIFFs (``.tif``/``.tiff``, e.g. Copernicus GLO-30 tiles), in
the folder itself or in sub-folders, for any region. Tiles of equal spacing on one common
lattice are joined into one grid with :func:`iadsim.geo.terrain.mosaic`; tiles that do not
fit a lattice stay grids of their own. Only tiles that reach a requested box are read, and
SRTM tiles are chosen by their names without being opened.

A folder comes from a scenario (``terrain_dir:``) or from the environment variable
:data:`TERRAIN_DIR_VARIABLE`; :func:`terrain_folders` lists both, scenario first.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from iadsim.geo.terrain import ElevationGrid, TerrainFileError, mosaic, read_geotiff, read_srtm_hgt

__all__ = ["TERRAIN_DIR_VARIABLE", "read_terrain_folder", "terrain_folders"]

TERRAIN_DIR_VARIABLE = "IADSIM_TERRAIN_DIR"
"""Environment variable naming a terrain folder used by every run (after the scenario's)."""

_HGT = re.compile(r"^([NS])(\d{2})([EW])(\d{3})\.hgt$", re.IGNORECASE)

Box = tuple[float, float, float, float]
"""(lat_min, lat_max, lon_min, lon_max), degrees; longitudes may run past +-180."""


def terrain_folders(scenario_dir: str | Path | None = None) -> list[Path]:
    """The terrain folders in force: the scenario's, then :data:`TERRAIN_DIR_VARIABLE`'s.

    Parameters
    ----------
    scenario_dir : str or Path, optional
        The scenario's ``terrain_dir``, already resolved against the scenario's folder.

    Returns
    -------
    list of Path
        Without repeats.

    Raises
    ------
    TerrainFileError
        A named folder does not exist.
    """
    named = [(scenario_dir, "the scenario's terrain_dir")]
    named.append((os.environ.get(TERRAIN_DIR_VARIABLE) or None, TERRAIN_DIR_VARIABLE))
    folders: list[Path] = []
    for folder, what in named:
        if folder is None:
            continue
        path = Path(folder).expanduser()
        if not path.is_dir():
            msg = f"{what}: {path} is not a folder"
            raise TerrainFileError(msg)
        if path.resolve() not in [f.resolve() for f in folders]:
            folders.append(path)
    return folders


def _hgt_reaches(name: str, box: Box | None) -> bool:
    """Whether the SRTM tile ``name`` (1 x 1 deg from its south-west corner) reaches ``box``."""
    if box is None:
        return True
    match = _HGT.match(name)
    if match is None:
        return True  # let the reader name the problem
    lat_sw = int(match[2]) * (1 if match[1].upper() == "N" else -1)
    lon_sw = int(match[4]) * (1 if match[3].upper() == "E" else -1)
    return _overlaps(box, (lat_sw, lat_sw + 1.0, lon_sw, lon_sw + 1.0))


def _overlaps(box: Box, tile: Box) -> bool:
    """Whether two lat/lon boxes overlap, longitudes taken modulo a full turn."""
    if tile[1] < box[0] or tile[0] > box[1]:
        return False
    centre = 0.5 * (box[2] + box[3])
    # Bring the tile's west edge to within half a turn of the box centre.
    west = tile[2] + 360.0 * np.round((centre - 0.5 * (tile[2] + tile[3])) / 360.0)
    return bool(west <= box[3] and west + (tile[3] - tile[2]) >= box[2])


def _grid_box(grid: ElevationGrid) -> Box:
    lat, lon = np.degrees(grid.lat_rad), np.degrees(grid.lon_rad)
    return (float(lat[0]), float(lat[-1]), float(lon[0]), float(lon[-1]))


def read_terrain_folder(folder: str | Path, box: Box | None = None) -> list[ElevationGrid]:
    """Read the tiles of a terrain folder that reach ``box`` and join them by lattice.

    Parameters
    ----------
    folder : str or Path
        Searched recursively for ``*.hgt``, ``*.tif`` and ``*.tiff`` (any letter case).
    box : (lat_min, lat_max, lon_min, lon_max), optional
        Degrees; default: every tile.

    Returns
    -------
    list of ElevationGrid
        Float32 grids (NaN voids), finest spacing first; each ``source`` names the folder
        and its tiles.

    Raises
    ------
    TerrainFileError
        A tile that cannot be read (the message names it).
    """
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    grids = []
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".hgt" and _hgt_reaches(path.name, box):
            grids.append(read_srtm_hgt(path))
        elif suffix in (".tif", ".tiff"):
            grid = read_geotiff(path)
            if box is None or _overlaps(box, _grid_box(grid)):
                grids.append(grid)
    groups: dict[tuple[float, float, float, float], list[ElevationGrid]] = defaultdict(list)
    for grid in grids:
        # Grids that share spacing and lattice phase join; round to a millionth of a cell.
        phase_lat = round((grid.lat0_rad / grid.dlat_rad) % 1.0 * 1e6) % 1_000_000
        phase_lon = round((grid.lon0_rad / grid.dlon_rad) % 1.0 * 1e6) % 1_000_000
        key = (round(grid.dlat_rad, 14), round(grid.dlon_rad, 14), phase_lat, phase_lon)
        groups[key].append(grid)
    joined = []
    for members in groups.values():
        grid = mosaic(members) if len(members) > 1 else members[0]
        names = sorted(g.source.split(" ", 1)[-1] for g in members)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        joined.append(
            ElevationGrid(
                grid.lat0_rad,
                grid.lon0_rad,
                grid.dlat_rad,
                grid.dlon_rad,
                grid.heights_m,
                source=f"{folder}: {shown}",
            )
        )
    return sorted(joined, key=lambda g: g.dlat_rad * g.dlon_rad)
