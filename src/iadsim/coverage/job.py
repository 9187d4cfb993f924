"""The ``iadsim coverage`` job: every coverage product of a request, written all at once.

The command line (:mod:`iadsim.cli.coverage`) checks the user's input and shows progress;
this module computes the Pd maps, detection boundaries and vertical diagrams through the
sensor chain and writes the coverage folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class CoverageRequest:
    """What to map: radars (built), a name for the folder, places to mark, altitudes (m),
    the target and the targets to compare."""

    radars: list
    name: str
    places: list[tuple[str, float, float]]
    alts_m: list[float]
    targets: list[str]
    compare: list[str]


def coverage_steps(request: CoverageRequest) -> int:
    """Progress steps of :func:`write_coverage_folder` for ``request``."""
    n_radars, n_alts = len(request.radars), len(request.alts_m)
    return n_radars * n_alts * (2 + len(request.compare)) + n_radars


def file_part(name: str) -> str:
    """``name`` made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


def write_coverage_folder(
    request: CoverageRequest,
    folder: Path,
    signatures,
    terrain,
    rule,
    alt_ref: str,
    grid: int,
    pd_threshold: float,
    vertical_az_deg: float | None,
    *,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
    terrain_report=None,
) -> tuple[list[str], list]:
    """Compute every coverage product of ``request`` and write them into ``folder`` at once.

    Writes ``pd_map.png``, ``pd_map.nc``, one GeoTIFF per altitude, ``boundary.geojson``,
    one vertical-coverage diagram per radar and, with ``request.compare``, a comparison map,
    all through :func:`iadsim.io.safe_output.atomic_output` (all or nothing).
    ``terrain_report`` (a :class:`~iadsim.geo.terrain_layers.TerrainReport`) describes
    ``terrain`` in the NetCDF attributes and in ``terrain.json``.
    ``progress(description)`` is called after each of :func:`coverage_steps` steps.

    Returns
    -------
    written : list of str
        File names written.
    boundaries : list of DetectionBoundary
        The detection boundaries at ``pd_threshold``.
    """
    from iadsim.catalog import load_catalog
    from iadsim.coverage.maps import pd_map, shared_axes
    from iadsim.coverage.profiles import detection_boundaries, vertical_coverage
    from iadsim.io.geojson import boundary_features, write_geojson
    from iadsim.io.raster import write_geotiff, write_netcdf
    from iadsim.io.safe_output import atomic_output
    from iadsim.viz.coverage_plots import plot_comparison, plot_pd_map, plot_vertical_coverage

    catalog = load_catalog()
    radars, target, alts = request.radars, request.targets[0], request.alts_m
    labels = {
        name: catalog.air_platforms[name].name if name in catalog.air_platforms else name
        for name in {target, *request.compare}
    }
    radar_labels = [r.spec.key for r in radars]
    options = {
        "terrain": terrain,
        "aspect": rule,
        "altitude_reference": alt_ref,
    }
    advance = progress if progress is not None else (lambda _description: None)
    with atomic_output(folder, "coverage", request.name, force=force) as temporary:
        written = []
        main = pd_map(radars, target, alts, signatures, n_cells=grid, progress=advance, **options)
        plot_pd_map(
            main,
            temporary / "pd_map.png",
            target_label=labels[target],
            radar_labels=radar_labels,
            places=request.places,
            grid=terrain,
        )
        attributes = {
            "radars": ", ".join(main.radars),
            "target": target,
            "aspect": main.aspect,
            "altitude_reference": alt_ref,
            "terrain": terrain.source if terrain is not None else "none (smooth earth)",
            "source": "iadsim coverage",
        }
        if terrain is not None and terrain_report is not None:
            attributes["terrain"] = terrain_report.describe()
            attributes["terrain_spacing_arcsec"] = terrain_report.spacing_arcsec
            attributes["terrain_warning"] = terrain_report.warning() or "none"
        terrain_record = {"terrain": None if terrain is None else terrain.source}
        if terrain is not None and terrain_report is not None:
            terrain_record = {"terrain": terrain_report.as_dict()}
        (temporary / "terrain.json").write_text(
            json.dumps(terrain_record, indent=2) + "\n", encoding="utf-8"
        )
        written.append("terrain.json")
        write_netcdf(
            temporary / "pd_map.nc",
            main.pd,
            main.lat_deg,
            main.lon_deg,
            main.alt_m,
            altitude_reference=alt_ref,
            attributes=attributes,
        )
        written += ["pd_map.png", "pd_map.nc"]
        for k, alt in enumerate(main.alt_m):
            name = f"pd_map_{alt:g}m.tif"
            write_geotiff(
                temporary / name,
                main.pd[k],
                main.lat_deg,
                main.lon_deg,
                description=f"single-scan Pd, {target}, {alt:g} m {alt_ref.upper()}",
            )
            written.append(name)
        boundaries = detection_boundaries(
            radars,
            target,
            alts,
            signatures,
            pd_threshold=pd_threshold,
            progress=advance,
            **options,
        )
        write_geojson(temporary / "boundary.geojson", boundary_features(boundaries))
        written.append("boundary.geojson")
        for radar in radars:
            vertical = vertical_coverage(
                radar,
                target,
                signatures,
                az_rad=None if vertical_az_deg is None else np.radians(vertical_az_deg),
                terrain=terrain,
                aspect=rule,
            )
            name = f"vertical_{file_part(radar.name)}.png"
            plot_vertical_coverage(
                vertical, temporary / name, target_label=labels[target], radar_label=radar.name
            )
            written.append(name)
            advance(f"vertical {radar.name}")
        if request.compare:
            axes = shared_axes(radars, request.compare, alts, signatures, n_cells=grid, **options)
            maps = {
                name: pd_map(
                    radars, name, alts, signatures, axes_rad=axes, progress=advance, **options
                )
                for name in request.compare
            }
            name = f"compare_{'_'.join(file_part(n) for n in request.compare)}.png"
            plot_comparison(
                maps,
                temporary / name,
                target_labels=labels,
                radar_labels=radar_labels,
                places=request.places,
                grid=terrain,
            )
            written.append(name)
    return written, boundaries
