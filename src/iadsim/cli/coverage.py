"""``iadsim coverage``: Pd maps, vertical coverage and detection boundaries of radars.

Registered in :mod:`iadsim.cli.app`; the job itself is :mod:`iadsim.coverage.job`. Everything the
user types is checked before any computing starts; a mistake prints one line and exits
with code 2.
"""

from __future__ import annotations

import difflib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from iadsim.catalog.loader import Catalog
from iadsim.cli._console import fail, shown
from iadsim.cli._options import CatalogOption
from iadsim.coverage.job import CoverageRequest

__all__ = ["coverage"]

_MAX_GRID = 4000
_MIN_GRID = 10
_MAX_ALT_M = 100_000.0


class CoverageInputError(ValueError):
    """A command-line value that cannot be used; the message says which and why."""


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(known)}"


def _parse_floats(text: str, option: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        msg = f"{option}: expected comma-separated numbers, got {text!r}"
        raise CoverageInputError(msg) from None
    if not values or not all(np.isfinite(values)):
        msg = f"{option}: expected comma-separated finite numbers, got {text!r}"
        raise CoverageInputError(msg)
    return values


def _parse_site(text: str) -> tuple[float, float, float | None]:
    values = _parse_floats(text, "--site")
    if len(values) not in (2, 3):
        msg = f"--site: expected LAT,LON or LAT,LON,GROUND_ALT_M in degrees/metres, got {text!r}"
        raise CoverageInputError(msg)
    lat, lon = values[0], values[1]
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        msg = f"--site: latitude must be within +-90 and longitude within +-180, got {text!r}"
        raise CoverageInputError(msg)
    return lat, lon, values[2] if len(values) == 3 else None


def _check_target(name: str, known: tuple[str, ...], option: str) -> str:
    if name not in known:
        msg = f"{option}: unknown target {name!r}{_suggest(name, known)}"
        raise CoverageInputError(msg)
    return name


def _terrain_layers(terrain_dir: str | None, box: tuple[float, float, float, float]):
    """The terrain layers for ``box`` (degrees): the user's folders, then the bundled grids."""
    from iadsim.geo.terrain_folder import read_terrain_folder, terrain_folders
    from iadsim.geo.terrain_layers import TerrainLayers

    grids = [g for f in terrain_folders(terrain_dir) for g in read_terrain_folder(f, box)]
    return TerrainLayers.with_user_grids(grids)


def _coverage_box(radars: list) -> tuple[float, float, float, float]:
    """A box (lat_min, lat_max, lon_min, lon_max; degrees) holding every map the radars get.

    The maps reach each radar's instrumented range and are widened to a square about their
    centre (:func:`iadsim.coverage.maps.map_axes`); the box takes the largest such square.
    """
    metres_per_deg = 111_195.0
    lat = np.degrees([r.lat_rad for r in radars])
    lon = np.degrees([r.lon_rad for r in radars])
    lon = lon[0] + (lon - lon[0] + 180.0) % 360.0 - 180.0
    reach_m = 1.05 * max(r.spec.max_range_m for r in radars)
    centre_lat, centre_lon = 0.5 * (lat.min() + lat.max()), 0.5 * (lon.min() + lon.max())
    spread_m = max(
        0.5 * (lat.max() - lat.min()) * metres_per_deg,
        0.5 * (lon.max() - lon.min()) * metres_per_deg * np.cos(np.radians(centre_lat)),
    )
    half_lat = (spread_m + reach_m) / metres_per_deg
    far_lat = min(abs(centre_lat) + half_lat, 89.0)
    half_lon = min(half_lat / np.cos(np.radians(far_lat)), 180.0)
    return (
        float(max(centre_lat - half_lat, -90.0)),
        float(min(centre_lat + half_lat, 90.0)),
        float(centre_lon - half_lon),
        float(centre_lon + half_lon),
    )


def _site_radar(
    site: str,
    radar_type: str,
    facing_deg: float,
    catalog,
    use_terrain: bool,
    mast_m: float | None = None,
):
    from iadsim.sensors.radar import Radar

    lat, lon, ground = _parse_site(site)
    if radar_type not in catalog.radars:
        known = sorted(catalog.radars)
        msg = f"--radar: unknown radar type {radar_type!r}{_suggest(radar_type, known)}"
        raise CoverageInputError(msg)
    spec = catalog.radars[radar_type]
    antenna_m = spec.antenna_height_m
    if mast_m is not None:
        heights = spec.mast_heights_m
        if heights is None or not heights[0] <= mast_m <= heights[1]:
            gives = "no mast" if heights is None else f"a mast of {heights[0]:g}-{heights[1]:g} m"
            msg = f"--mast-m: {radar_type} has {gives} (catalog mast_heights_m), got {mast_m:g}"
            raise CoverageInputError(msg)
        antenna_m = mast_m
    if ground is None:
        ground = 0.0
        if use_terrain:
            box = (lat - 0.01, lat + 0.01, lon - 0.01, lon + 0.01)
            ground = max(_terrain_layers(None, box).point(lat, lon)[0], 0.0)
    return Radar(
        0,
        radar_type,
        spec,
        float(np.radians(lat)),
        float(np.radians(lon)),
        ground + antenna_m,
        float(np.radians(facing_deg % 360.0)),
        antenna_agl_m=antenna_m,
    )


def _request(
    scenario: Path | None,
    site: str | None,
    radar: str | None,
    facing_deg: float,
    target: str,
    alt_m: str,
    compare: str | None,
    use_terrain: bool,
    known: tuple[str, ...],
    mast_m: float | None = None,
    jam_time_s: float | None = None,
    user_catalogs: Sequence[Path] = (),
) -> tuple[CoverageRequest, str | None, Catalog]:
    """The request, the scenario's terrain folder (absolute; None without one) and catalog.

    ``known`` are the target names there are signatures of; ``user_catalogs`` the
    ``--catalog`` files or folders.
    """
    from iadsim.catalog import load_catalog
    from iadsim.catalog.user_catalog import apply_user_catalogs

    targets = [_check_target(target, known, "--target")]
    compare_list: list[str] = []
    if compare is not None:
        compare_list = [c.strip() for c in compare.split(",") if c.strip()]
        if len(compare_list) < 2 or len(set(compare_list)) != len(compare_list):
            msg = f"--compare: expected two or more different targets, got {compare!r}"
            raise CoverageInputError(msg)
        for name in compare_list:
            _check_target(name, known, "--compare")
    alts = _parse_floats(alt_m, "--alt-m")
    if any(a < 0.0 or a > _MAX_ALT_M for a in alts):
        msg = f"--alt-m: altitudes must lie in 0..{_MAX_ALT_M:.0f} m, got {alt_m!r}"
        raise CoverageInputError(msg)
    if scenario is not None and site is not None:
        msg = "give either a SCENARIO or --site LAT,LON --radar TYPE, not both"
        raise CoverageInputError(msg)
    if scenario is None and site is None:
        msg = "give a SCENARIO file, or --site LAT,LON with --radar TYPE"
        raise CoverageInputError(msg)
    if jam_time_s is not None and scenario is None:
        msg = "--jam-time-s is for a scenario with jammers, not a --site radar"
        raise CoverageInputError(msg)
    if mast_m is not None and site is None:
        msg = "--mast-m is for a --site radar; a scenario gives each radar's mast_m"
        raise CoverageInputError(msg)
    if site is not None:
        if radar is None:
            msg = "--site needs --radar TYPE (e.g. --radar s400/91n6e)"
            raise CoverageInputError(msg)
        catalog = apply_user_catalogs(load_catalog(), user_catalogs)
        unit = _site_radar(site, radar, facing_deg, catalog, use_terrain, mast_m)
        name = f"site-{radar.replace('/', '-')}"
        return CoverageRequest([unit], name, [], alts, targets, compare_list), None, catalog
    from iadsim.engine.world import build_radars
    from iadsim.scenario.loader import load_scenario
    from iadsim.scenario.terrain_dir import resolve_terrain_dir

    assert scenario is not None  # checked above: one of scenario and site is given
    loaded, catalog = load_scenario(scenario, user_catalogs)
    loaded = resolve_terrain_dir(loaded, scenario)
    radars, _ = build_radars(loaded, catalog)
    if radar is not None:
        radars = [r for r in radars if r.spec.key == radar]
        if not radars:
            types = sorted({r.spec.key for r in build_radars(loaded, catalog)[0]})
            msg = f"--radar: the scenario has no radar of type {radar!r}; it has {', '.join(types)}"
            raise CoverageInputError(msg)
    if not radars:
        msg = f"{scenario}: the scenario has no radars"
        raise CoverageInputError(msg)
    # An asset on a radar site would only print its name over the radar marker.
    places = [
        (a.name, a.position.lat_deg, a.position.lon_deg)
        for a in loaded.defended_assets
        if all(
            abs(a.position.lat_rad - r.lat_rad) + abs(a.position.lon_rad - r.lon_rad) > 3e-4
            for r in radars
        )
    ]
    name = loaded.name
    if jam_time_s is not None:
        from iadsim.coverage.jamming import jammed_radars

        if not loaded.jammers:
            msg = f"--jam-time-s: {scenario} declares no jammers"
            raise CoverageInputError(msg)
        if not 0.0 <= jam_time_s <= loaded.duration_s:
            msg = f"--jam-time-s: expected 0..{loaded.duration_s:g} s (the scenario's duration)"
            raise CoverageInputError(msg)
        radars, jammers = jammed_radars(loaded, catalog, radars, jam_time_s)
        places += [
            (f"jammer {label}", float(lat), float(lon))
            for label, lat, lon in zip(jammers.names, jammers.lat_deg, jammers.lon_deg, strict=True)
        ]
        name = f"{loaded.name}-jammed-{jam_time_s:g}s"
    request = CoverageRequest(radars, name, places, alts, targets, compare_list)
    return request, loaded.terrain_dir, catalog


def coverage(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML file: map all its radars.")
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(help="One radar at LAT,LON (degrees), or LAT,LON,GROUND_ALT_M."),
    ] = None,
    radar: Annotated[
        str | None,
        typer.Option(help="Radar type for --site; with a scenario, only its radars of this type."),
    ] = None,
    facing_deg: Annotated[
        float, typer.Option(help="Boresight of a --site sector radar, degrees from north.")
    ] = 0.0,
    mast_m: Annotated[
        float | None,
        typer.Option(help="Antenna of the --site radar on a mast this high, m (e.g. 39)."),
    ] = None,
    target: Annotated[str, typer.Option(help="Target type (signature table name).")] = "f35a",
    alt_m: Annotated[
        str, typer.Option("--alt-m", help="Target altitudes, metres, comma-separated.")
    ] = "100,1000,10000",
    alt_ref: Annotated[
        str, typer.Option(help="Altitudes above the terrain (agl) or sea level (msl).")
    ] = "agl",
    aspect: Annotated[
        str,
        typer.Option(help="Target heading: towards, away, broadside, or a heading in degrees."),
    ] = "towards",
    compare: Annotated[
        str | None,
        typer.Option(help="Targets side by side, e.g. f35a,f16c (writes compare_<a>_<b>.png)."),
    ] = None,
    grid: Annotated[int, typer.Option(help="Map cells per side.")] = 1000,
    pd_threshold: Annotated[
        float, typer.Option(help="Pd of the detection boundary (boundary.geojson).")
    ] = 0.5,
    vertical_az_deg: Annotated[
        float | None,
        typer.Option(help="Azimuth of the vertical coverage diagrams (default: boresight)."),
    ] = None,
    use_terrain: Annotated[
        bool, typer.Option("--terrain/--no-terrain", help="Terrain line of sight.")
    ] = True,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: runs/coverage/<name>).")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace a coverage folder written for another scenario.")
    ] = False,
    jam_time_s: Annotated[
        float | None,
        typer.Option(help="Show the scenario's jammers where they fly at this time, s."),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Map where radars detect a target: Pd maps, vertical coverage, detection boundaries."""
    from iadsim.catalog import load_catalog
    from iadsim.cli.terrain import print_terrain_note
    from iadsim.core.errors import InputError
    from iadsim.coverage.job import coverage_steps, write_coverage_folder
    from iadsim.coverage.maps import Aspect
    from iadsim.geo.terrain import TerrainFileError
    from iadsim.io.safe_output import OutputError, check_output_target
    from iadsim.sensors.signature import signature_table

    terrain, report = None, None
    try:
        known_targets = tuple(load_catalog().signatures)
        if catalog:
            from iadsim.catalog.user_catalog import apply_user_catalogs

            known_targets = tuple(apply_user_catalogs(load_catalog(), catalog).signatures)
        if not _MIN_GRID <= grid <= _MAX_GRID:
            msg = f"--grid: expected {_MIN_GRID}..{_MAX_GRID} cells per side, got {grid}"
            raise CoverageInputError(msg)
        if alt_ref not in ("agl", "msl"):
            msg = f"--alt-ref: expected agl or msl, got {alt_ref!r}"
            raise CoverageInputError(msg)
        if not 0.0 < pd_threshold < 1.0:
            msg = f"--pd-threshold: expected a value strictly between 0 and 1, got {pd_threshold}"
            raise CoverageInputError(msg)
        try:
            rule = Aspect.parse(aspect)
        except ValueError as error:
            raise CoverageInputError(f"--aspect: {error}") from None
        request, terrain_dir, entries = _request(
            scenario,
            site,
            radar,
            facing_deg,
            target,
            alt_m,
            compare,
            use_terrain,
            known_targets,
            mast_m,
            jam_time_s,
            catalog or (),
        )
        signatures = signature_table(entries)  # with user catalogs and the overrides
        folder = out if out is not None else Path("runs") / "coverage" / request.name
        check_output_target(folder, "coverage", request.name, force=force)
        if use_terrain:
            box = _coverage_box(request.radars)
            terrain, report = _terrain_layers(terrain_dir, box).region(box)
    except (CoverageInputError, InputError, OutputError, TerrainFileError) as error:
        fail(error)
    print_terrain_note(report)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("coverage", total=coverage_steps(request))

        def advance(description: str) -> None:
            progress.update(task, advance=1, description=description)

        written, boundaries = write_coverage_folder(
            request,
            folder,
            signatures,
            terrain,
            rule,
            alt_ref,
            grid,
            pd_threshold,
            vertical_az_deg,
            progress=advance,
            force=force,
            terrain_report=report,
        )
    _print_boundaries(boundaries, pd_threshold)
    console = Console()
    console.print(
        f"Coverage folder: [bold]{shown(folder)}[/] ({', '.join(written)}) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _print_boundaries(boundaries, pd_threshold: float) -> None:
    table = Table(
        title=f"Detection range at Pd {pd_threshold:g} (ground range over azimuths, km)",
        title_style="bold",
    )
    for column in ("radar", "target", "altitude (m)", "min", "median", "max"):
        table.add_column(column, justify="left" if column in ("radar", "target") else "right")
    for b in boundaries:
        ranges = b.range_m / 1000.0
        seen = ranges[ranges > 0.0]
        table.add_row(
            shown(b.radar),
            shown(b.target),
            f"{b.alt_m:g}",
            f"{seen.min():.0f}" if seen.size else "-",
            f"{np.median(seen):.0f}" if seen.size else "-",
            f"{seen.max():.0f}" if seen.size else "-",
        )
    Console().print(table)
