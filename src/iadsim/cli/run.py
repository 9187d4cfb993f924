"""Single-run commands: ``iadsim validate``, ``iadsim run``, ``iadsim compare``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from iadsim.cli._console import console, errors, fail, shown
from iadsim.core.errors import InputError


def validate(scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")]) -> None:
    """Check a scenario file completely without running it."""
    from iadsim.scenario.loader import load_scenario
    from iadsim.scenario.terrain_dir import resolve_terrain_dir

    try:
        loaded, _ = load_scenario(scenario)
        resolve_terrain_dir(loaded, scenario)
    except InputError as error:
        fail(error)
    console.print(
        f"{shown(scenario)}: valid ({shown(loaded.name)}, {len(loaded.air_tracks)} air tracks, "
        f"{len(loaded.fire_units)} fire units)"
    )


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    seed: Annotated[
        int | None,
        typer.Option(min=0, max=2**63 - 1, help="Random seed (default: the scenario's)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default: runs/<scenario name>).")
    ] = None,
    map_png: Annotated[bool, typer.Option("--map/--no-map", help="Draw map.png.")] = True,
    force: Annotated[
        bool, typer.Option(help="Replace a run folder written for another scenario.")
    ] = False,
) -> None:
    """Run a scenario and write its run folder (events, tracks, summary, map).

    An existing folder at the output path is replaced only if iadsim wrote it as a run
    folder; a file or any other folder is refused before the simulation starts.
    """
    from iadsim.cli.terrain import print_terrain_note
    from iadsim.geo.terrain import TerrainFileError
    from iadsim.io.safe_output import OutputError
    from iadsim.runs import run_to_folder
    from iadsim.scenario.loader import load_scenario
    from iadsim.scenario.terrain_dir import resolve_terrain_dir

    try:
        loaded, catalog = load_scenario(scenario)
        loaded = resolve_terrain_dir(loaded, scenario)
    except InputError as error:
        fail(error)
    target = out if out is not None else Path("runs") / loaded.name
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[clock]}"),
        TimeRemainingColumn(),
        console=errors,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task(shown(loaded.name), total=loaded.duration_s, clock="t=0 s")

        def advance(time_s: float) -> None:
            progress.update(task, completed=time_s, clock=f"t={time_s:.0f} s")

        try:
            result = run_to_folder(
                loaded, catalog, target, seed, advance, draw_map=map_png, force=force
            )
        except (OutputError, TerrainFileError) as error:
            fail(error)
    print_summary(result.summary)
    print_terrain_note(result.simulation.terrain_report)
    console.print(
        f"\nRun folder: [bold]{shown(target)}[/] (events, tracks, picture_metrics, summary.json"
        f"{', map.png' if map_png else ''}) in {time.perf_counter() - started:.1f} s"
    )


def print_summary(summary: dict) -> None:
    """Rich tables of a run summary: outcome per threat type, then friendly engagements."""
    title = f"{shown(summary['scenario'])} (seed {summary['seed']})"
    table = Table(title=title, title_style="bold")
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
            shown(row["platform"]),
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
                shown(row["truth"]),
                shown(row["side"]),
                shown(row["unit"]),
                f"{row['time_s']:.0f}",
                shown(row["identity"]),
                str(row["interceptors"]),
                "yes" if row["killed"] else "no",
            )
        console.print(friendly)
    else:
        console.print("[green]No allied or civil aircraft engaged.[/]")
    console.print(picture_table([summary]))


PICTURE_ROWS = (
    ("completeness", "completeness"),
    ("ambiguity", "ambiguity"),
    ("spuriousness", "spuriousness"),
    ("position error (m)", "position_error_m"),
    ("velocity error (m/s)", "velocity_error_mps"),
    ("track number changes / truth", "track_number_changes_per_truth"),
    ("identity correct", "identity_correct"),
    ("friend held suspect/hostile", "friend_held_hostile_fraction"),
    ("  ... for (s, summed)", "friend_held_hostile_time_s"),
    ("mean GOSPA (m)", "gospa_m_mean"),
)
"""Air-picture measures shown by ``run`` and ``compare``: (label, summary key)."""


def picture_table(summaries: list[dict]) -> Table:
    """SIAP measures of every post of one or more runs, side by side."""
    table = Table(title="Air picture (SIAP measures, time-averaged)", title_style="bold")
    table.add_column("measure")
    posts = [(s["scenario"], unit, m) for s in summaries for unit, m in s["air_picture"].items()]
    for scenario, unit, _ in posts:
        label = shown(unit) if len(summaries) == 1 else f"{shown(unit)}\n({shown(scenario)})"
        table.add_column(label, justify="right")
    for label, key in PICTURE_ROWS:
        cells = [m[key] for _, _, m in posts]
        table.add_row(label, *("-" if v is None else f"{v:.3g}" for v in cells))
    return table


def compare(
    runs: Annotated[list[Path], typer.Argument(help="Run folders (from iadsim run).")],
) -> None:
    """Compare the summaries of several runs side by side (outcomes and air picture)."""
    import json

    summaries = []
    for folder in runs:
        try:
            summaries.append(json.loads((folder / "summary.json").read_text("utf-8")))
        except (OSError, ValueError) as error:
            fail(Exception(f"{folder}: not a run folder ({error})"))
    table = Table(title="Outcomes", title_style="bold")
    table.add_column("measure")
    for summary in summaries:
        table.add_column(shown(summary["scenario"]), justify="right")
    for key in ("threats_launched", "threats_killed", "threats_leaked", "interceptors_fired",
                "interceptors_per_kill", "allied_engaged", "civil_engaged",
                "friendly_lost_to_own_fire"):  # fmt: skip
        values = [s["totals"][key] for s in summaries]
        table.add_row(key.replace("_", " "), *("-" if v is None else f"{v:g}" for v in values))
    console.print(table)
    console.print(picture_table(summaries))
