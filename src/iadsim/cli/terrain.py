"""``iadsim terrain LAT LON``: the surface height the model uses at a point, and its source.

Registered in :mod:`iadsim.cli.app`. The height comes from the first terrain layer that has
one there (:class:`iadsim.geo.terrain_layers.TerrainLayers`): the scenario's own
``terrain_dir`` (with ``--scenario``), then ``IADSIM_TERRAIN_DIR``, then the bundled grids.
Also home of :func:`print_terrain_note`, the terrain line that ``run`` and ``coverage``
print.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from iadsim.cli._console import console, errors, fail

__all__ = ["print_terrain_note", "terrain"]


class TerrainInputError(ValueError):
    """A command-line value that cannot be used; the message says which and why."""


def _coordinate(text: str, name: str, limit: float) -> float:
    """``text`` as degrees within +-``limit``; TerrainInputError otherwise."""
    try:
        value = float(text)
    except ValueError:
        msg = f"{name}: expected a number of degrees, got {text!r}"
        raise TerrainInputError(msg) from None
    if not math.isfinite(value) or abs(value) > limit:
        msg = f"{name}: expected degrees within +-{limit:g}, got {text!r}"
        raise TerrainInputError(msg)
    return value


def print_terrain_note(report) -> None:
    """Print a :class:`~iadsim.geo.terrain_layers.TerrainReport` line, and its warning."""
    if report is None:
        return
    line = report.describe()
    console.print(escape(line[:1].upper() + line[1:]), highlight=False)
    warning = report.warning()
    if warning is not None:
        errors.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)


def terrain(
    lat: Annotated[str, typer.Argument(metavar="LAT", help="Latitude, degrees (north positive).")],
    lon: Annotated[str, typer.Argument(metavar="LON", help="Longitude, degrees (east positive).")],
    scenario: Annotated[
        Path | None,
        typer.Option(help="Scenario YAML file: use its terrain_dir too."),
    ] = None,
) -> None:
    """Print the surface height the model uses at LAT LON, with its source and resolution.

    South and west are negative, e.g. ``iadsim terrain -16.5 -68.15`` (La Paz).
    """
    from iadsim.core.errors import InputError
    from iadsim.geo.terrain import TerrainFileError
    from iadsim.geo.terrain_folder import read_terrain_folder, terrain_folders
    from iadsim.geo.terrain_layers import TerrainLayers

    try:
        lat_deg = _coordinate(lat, "LAT", 90.0)
        lon_deg = _coordinate(lon, "LON", 180.0)
        terrain_dir = None
        if scenario is not None:
            from iadsim.scenario.loader import load_scenario
            from iadsim.scenario.terrain_dir import resolve_terrain_dir

            loaded, _ = load_scenario(scenario)
            terrain_dir = resolve_terrain_dir(loaded, scenario).terrain_dir
        box = (lat_deg - 0.01, lat_deg + 0.01, lon_deg - 0.01, lon_deg + 0.01)
        grids = [g for f in terrain_folders(terrain_dir) for g in read_terrain_folder(f, box)]
    except (TerrainInputError, InputError, TerrainFileError) as error:
        fail(error)
    height_m, layer = TerrainLayers.with_user_grids(grids).point(lat_deg, lon_deg)
    surface_m = max(height_m, 0.0)
    north, east = "N" if lat_deg >= 0 else "S", "E" if lon_deg >= 0 else "W"
    console.print(
        f"{abs(lat_deg):.4f} {north} {abs(lon_deg):.4f} {east}: surface {surface_m:.0f} m "
        "above mean sea level",
        highlight=False,
    )
    if height_m < 0.0:
        console.print(
            f"  terrain {height_m:.0f} m is below sea level; the model flies over it as 0 m",
            highlight=False,
        )
    spacing = layer.spacing_arcsec
    angle = f"{spacing / 60:g}'" if spacing >= 60 else f'{spacing:g}"'
    console.print(
        f"  source: {escape(layer.name)}\n"
        f"  resolution: {angle} (about {spacing / 3600 * 111.2:.2f} km between samples, "
        "bilinear between them)",
        highlight=False,
    )
    if layer.kind == "bundled-global":
        console.print(
            "  only the coarse global grid covers this point; add SRTM .hgt or GeoTIFF tiles "
            "(terrain_dir: in a scenario, or IADSIM_TERRAIN_DIR) for finer terrain, see "
            "docs/terrain.md",
            highlight=False,
        )
