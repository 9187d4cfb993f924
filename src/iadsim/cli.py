"""The ``iadsim`` command: run, validate, catalog, and the analysis commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from iadsim.catalog import load_catalog
from iadsim.core.errors import InputError

app = typer.Typer(
    help="iadsim: an open simulator of integrated air and missile defence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(help="Browse the sourced catalog.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
console = Console()
errors = Console(stderr=True)


def fail(error: Exception) -> None:
    """Print a user error without a traceback and exit with code 2."""
    # Escaped: the message quotes user text, which must not be read as Rich markup.
    errors.print(
        f"[bold red]error:[/] {escape(str(error))}", highlight=False, markup=True, soft_wrap=True
    )
    raise typer.Exit(code=2)


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
    """Check a scenario file completely without running it."""
    from iadsim.scenario.loader import load_scenario

    try:
        loaded, _ = load_scenario(scenario)
    except InputError as error:
        fail(error)
    console.print(
        f"{scenario}: valid ({loaded.name}, {len(loaded.air_tracks)} air tracks, "
        f"{len(loaded.fire_units)} fire units)"
    )


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default: runs/<scenario name>).")
    ] = None,
    map_png: Annotated[bool, typer.Option("--map/--no-map", help="Draw map.png.")] = True,
) -> None:
    """Run a scenario and write its run folder (events, tracks, summary, map)."""
    from iadsim.runs import run_to_folder
    from iadsim.scenario.loader import load_scenario

    try:
        loaded, catalog = load_scenario(scenario)
    except InputError as error:
        fail(error)
    target = out or Path("runs") / loaded.name
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[clock]}"),
        TimeRemainingColumn(),
        console=errors,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task(loaded.name, total=loaded.duration_s, clock="t=0 s")

        def advance(time_s: float) -> None:
            progress.update(task, completed=time_s, clock=f"t={time_s:.0f} s")

        result = run_to_folder(loaded, catalog, target, seed, advance, draw_map=map_png)
    print_summary(result.summary)
    console.print(
        f"\nRun folder: [bold]{target}[/] (events.parquet, tracks.parquet, summary.json"
        f"{', map.png' if map_png else ''}) in {time.perf_counter() - started:.1f} s"
    )


def print_summary(summary: dict) -> None:
    """Rich tables of a run summary: outcome per threat type, then friendly engagements."""
    table = Table(title=f"{summary['scenario']} (seed {summary['seed']})", title_style="bold")
    for column in (
        "threat",
        "launched",
        "detected",
        "engaged",
        "killed",
        "leaked",
        "interceptors",
        "first det. (km)",
    ):
        table.add_column(column, justify="left" if column == "threat" else "right")
    for row in summary["threats"]:
        first = row["first_detection_range_km_mean"]
        table.add_row(
            row["platform"],
            *(
                str(row[k])
                for k in (
                    "launched",
                    "detected",
                    "engaged",
                    "killed",
                    "leaked",
                    "interceptors_fired",
                )
            ),
            "-" if first is None else f"{first:.0f}",
        )
    totals = summary["totals"]
    table.add_section()
    table.add_row(
        "total",
        str(totals["threats_launched"]),
        "",
        "",
        str(totals["threats_killed"]),
        str(totals["threats_leaked"]),
        str(totals["interceptors_fired"]),
        "",
    )
    console.print(table)
    if summary["fratricide"]:
        friendly = Table(title="Allied and civil aircraft engaged", title_style="bold red")
        for column in (
            "aircraft",
            "side",
            "unit",
            "time (s)",
            "identity",
            "interceptors",
            "killed",
        ):
            friendly.add_column(column)
        for row in summary["fratricide"]:
            friendly.add_row(
                row["truth"],
                row["side"],
                row["unit"],
                f"{row['time_s']:.0f}",
                row["identity"],
                str(row["interceptors"]),
                "yes" if row["killed"] else "no",
            )
        console.print(friendly)
    else:
        console.print("[green]No allied or civil aircraft engaged.[/]")


@catalog_app.command("list")
def catalog_list() -> None:
    """List every catalog entry with its sources."""
    catalog = load_catalog()
    table = Table(title="iadsim catalog")
    for column in ("section", "key", "name", "sources"):
        table.add_column(column)
    for section, key, entry in catalog.entries():
        table.add_row(section, key, entry.name, ", ".join(entry.source))
    console.print(table)


@catalog_app.command("show")
def catalog_show(key: Annotated[str, typer.Argument(help="Entry key, e.g. s400/92n6e.")]) -> None:
    """Show one entry: every value, its confidence, ranges and full source citations."""
    catalog = load_catalog()
    try:
        section, entry = catalog.find(key)
    except KeyError as error:
        fail(Exception(str(error).strip("\"'")))
    table = Table(title=f"{key}: {entry.name} ({section})", show_header=False)
    provenance = {"key", "name", "source", "confidence", "ranges", "note"}
    for field, value in entry.model_dump().items():
        if field not in provenance:
            spread = entry.ranges.get(field)
            table.add_row(
                field, f"{value}" + (f"  (sources span {list(spread)})" if spread else "")
            )
    table.add_row("confidence", str(entry.confidence))
    if entry.note:
        table.add_row("note", entry.note)
    console.print(table)
    for source in entry.source:
        console.print(f"  [bold]{source}[/]: {catalog.sources[source]}", highlight=False)


def main() -> None:
    """Entry point that turns user errors into exit code 2 without a traceback."""
    app()
