"""``iadsim report``: one self-contained HTML page for a run, campaign or study folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown


def report(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Run folder (iadsim run), campaign folder (iadsim mc) or study folder "
            "(iadsim study)."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option(help="HTML file to write (default: FOLDER/report.html).")
    ] = None,
    coverage: Annotated[
        Path | None,
        typer.Option(help="A folder of iadsim coverage: its Pd boundaries and figures."),
    ] = None,
) -> None:
    """Write one HTML page that opens from disk with no network: for a run, the map with a
    time slider, each post's picture, coverage, engagements and explain chains, the event
    timeline, run tables, SIAP/GOSPA plots, decision log and assumptions; for a campaign,
    its tables and interval plots; for a study, per question the variants' means and
    intervals, their distributions and the paired differences from the baseline."""
    from iadsim.campaigns.campaign import CampaignError
    from iadsim.report.coverage_products import CoverageFolderError
    from iadsim.report.write import ReportError, write_report
    from iadsim.scoring.explain import RunFolderError

    try:
        target = write_report(folder, out, coverage)
    except (ReportError, CoverageFolderError, RunFolderError, CampaignError, OSError) as error:
        fail(error)
    size_mb = target.stat().st_size / 1e6
    console.print(f"Report: [bold]{shown(target)}[/] ({size_mb:.1f} MB)")
