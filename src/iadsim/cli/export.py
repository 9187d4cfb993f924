"""``iadsim export``: a finished run as CZML (CesiumJS), KML (Google Earth) or ACMI (Tacview)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown


class ExportFormat(StrEnum):
    """The formats ``iadsim export`` writes (keys of :data:`iadsim.export.FORMATS`)."""

    czml = "czml"
    kml = "kml"
    acmi = "acmi"


def export(
    run_dir: Annotated[Path, typer.Argument(help="Run folder (from iadsim run).")],
    format_name: Annotated[
        ExportFormat,
        typer.Option("--format", help="czml (CesiumJS), kml (Google Earth), acmi (Tacview)."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Output file (default: RUN_DIR/<scenario>.czml, .kml, .txt.acmi)."),
    ] = None,
) -> None:
    """Export a run's truth, each post's tracks (with identities), interceptors and
    kills for a 3-D viewer."""
    from iadsim.export import ExportError, default_path, export_run, read_run_record
    from iadsim.scoring.explain import RunFolderError

    try:
        record = read_run_record(run_dir)
        target = out if out is not None else default_path(run_dir, record, format_name.value)
        written = export_run(record, format_name.value, target)
    except (RunFolderError, ExportError) as error:
        fail(error)
        return
    console.print(
        f"{shown(written)}: {len(record.trajectories)} objects, {len(record.markers)} events "
        f"({format_name.value})"
    )
