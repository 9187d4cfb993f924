"""``iadsim mc`` and ``iadsim mc-report``: Monte Carlo campaigns from the command line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown
from iadsim.core.errors import InputError


def mc(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    runs: Annotated[int, typer.Option(min=1, help="Replications per sweep point.")] = 10,
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Campaign seed.")] = 0,
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes.")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            help="PATH=V1,V2,... (repeatable; full factorial), e.g. "
            "air_tracks.kalibr-ankara.count=3,6,12 or catalog.f35a.rcs_scale=0.5,1,2."
        ),
    ] = None,
    sample_uncertainty: Annotated[
        int, typer.Option(min=0, help="Latin-hypercube samples of the catalog's disputed figures.")
    ] = 0,
    out: Annotated[
        Path | None, typer.Option(help="Campaign folder (default runs/mc/<name>).")
    ] = None,
    looks: Annotated[
        bool,
        typer.Option(
            "--looks/--no-looks",
            help="Keep every replication's looks.parquet under <folder>/looks (large).",
        ),
    ] = False,
) -> None:
    """Run (or resume) a Monte Carlo campaign: N replications per sweep point.

    Killing it and rerunning the same command runs only the missing replications.
    """
    from iadsim.campaigns.campaign import CampaignError, run_campaign
    from iadsim.campaigns.catalog_uncertainty import catalog_uncertainty_ranges
    from iadsim.campaigns.sweep import SweepError
    from iadsim.scenario.loader import load_document, load_scenario, validate_document
    from iadsim.scenario.terrain_dir import resolve_document_terrain_dir

    try:
        loaded, catalog = load_scenario(scenario)
        # Replications run anywhere (workers, a cluster): give them an absolute terrain_dir.
        document = resolve_document_terrain_dir(load_document(scenario), scenario)
    except InputError as error:
        fail(error)
    text = scenario.read_text("utf-8")
    used = (
        {t.type for t in loaded.air_tracks}
        | {key for u in loaded.fire_units for g in u.launchers for key in g.load}
        | {r.type for u in loaded.fire_units for r in u.radars}
        | {j.type for j in loaded.jammers}
    )
    target = out or Path("runs") / "mc" / loaded.name

    def check_point(doc: dict) -> None:
        """A swept value the scenario rejects stops the campaign before it starts."""
        try:
            validate_document(doc, str(scenario))
        except InputError as error:
            raise SweepError(str(error)) from None

    try:
        summary = run_campaign(
            document,
            hashlib.sha256(text.encode("utf-8")).hexdigest(),
            runs,
            seed,
            out_dir=target,
            workers=workers,
            scheduler=scheduler,
            sweeps=sweep or (),
            sample_uncertainty=sample_uncertainty,
            uncertainty_ranges=catalog_uncertainty_ranges(catalog, sorted(used)),
            check_point=check_point,
            looks=looks,
        )
    except (SweepError, CampaignError) as error:
        fail(error)
    except KeyboardInterrupt:
        console.print(
            "\nInterrupted: the finished replications are saved; rerun the same command to resume."
        )
        raise typer.Exit(code=130) from None
    console.print(shown(summary.describe(), 1000))
    console.print(
        f"Results: [bold]{shown(target)}/results[/]; report: iadsim mc-report {shown(target)}"
    )


def mc_report(
    campaign: Annotated[Path, typer.Argument(help="Campaign folder written by iadsim mc.")],
) -> None:
    """Tables (mean and 95% CI per measure and sweep point) and plots of a campaign."""
    from iadsim.campaigns.campaign import CampaignError
    from iadsim.campaigns.report import make_report

    try:
        report = make_report(campaign)
    except (CampaignError, OSError, ValueError) as error:
        fail(error)
    console.print(report.markdown.read_text("utf-8"), markup=False, highlight=False)
    console.print(f"Report: [bold]{shown(report.report_dir)}[/] ({len(report.figures)} figures)")
