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
from iadsim.cli._options import CatalogOption
from iadsim.core.errors import InputError


def validate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    catalog: CatalogOption = None,
) -> None:
    """Check a scenario file (and the user catalogs it uses) completely without running it."""
    from iadsim.scenario.loader import load_scenario
    from iadsim.scenario.terrain_dir import resolve_terrain_dir

    try:
        loaded, _ = load_scenario(scenario, catalog or ())
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
    looks: Annotated[
        bool,
        typer.Option(
            "--looks/--no-looks",
            help="Write looks.parquet: every radar look at every aircraft in its coverage.",
        ),
    ] = True,
    force: Annotated[
        bool, typer.Option(help="Replace a run folder written for another scenario.")
    ] = False,
    catalog: CatalogOption = None,
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
        loaded, entries = load_scenario(scenario, catalog or ())
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
                loaded,
                entries,
                target,
                seed,
                advance,
                draw_map=map_png,
                force=force,
                record_looks=looks,
            )
        except (OutputError, TerrainFileError) as error:
            fail(error)
    print_summary(result.summary)
    print_terrain_note(result.simulation.terrain_report)
    console.print(
        f"\nRun folder: [bold]{shown(target)}[/] (events, tracks, picture_metrics, summary.json"
        f"{', looks' if looks else ''}{', map.png' if map_png else ''})"
        f" in {time.perf_counter() - started:.1f} s"
    )


def print_summary(summary: dict) -> None:
    """Rich tables of a run summary: one block per fire unit (what that post saw, held and
    engaged), then what became of every aircraft and missile, then friendly engagements."""
    title = f"{shown(summary['scenario'])} (seed {summary['seed']})"
    console.print(f"[bold]{title}[/]")
    for post, account in summary["posts"].items():
        if account["fire_unit"]:
            console.print(post_table(post, account, summary["threats"]))
    sensors = [shown(post) for post, a in summary["posts"].items() if not a["fire_unit"]]
    if sensors:
        console.print(f"Sensor posts (no launchers, see summary.json): {', '.join(sensors)}")
    console.print(outcome_table(summary))
    if summary["fratricide"]:
        friendly = Table(title="Allied and civil aircraft engaged", title_style="bold red")
        columns = ("engagement", "aircraft", "side", "unit", "time (s)", "identity", "rounds")
        for column in (*columns, "result"):
            friendly.add_column(column)
        for row in summary["fratricide"]:
            friendly.add_row(
                str(row["engagement_id"]),
                shown(row["truth"]),
                shown(row["side"]),
                shown(row["unit"]),
                f"{row['time_s']:.0f}",
                shown(row["identity"]),
                ", ".join(row["rounds"]),
                row["result"],
            )
        console.print(friendly)
    else:
        console.print("[green]No allied or civil aircraft engaged.[/]")
    console.print(picture_table([summary]))


def _km(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def post_table(post: str, account: dict, threats: list[dict]) -> Table:
    """One fire unit's own account: each of its radars' first detections (how many, mean
    range from the radar), its own confirmed tracks (first one's range from the post), the
    threats it held over a link (and those it held over a link only), fire-control tracks,
    engagements, kills and interceptors fired. Ranges in km."""
    links = ", ".join(account["datalinks"]) or "none"
    table = Table(
        title=f"{shown(post)}: its own radars, tracks and engagements (links: {shown(links)})",
        title_style="bold",
        caption="det. n, km: threats each radar detected, mean range of its first detection",
    )
    table.add_column("threat")
    table.add_column("launched", justify="right")
    for radar in account["radars"]:  # narrow columns: three radars fit 120 characters
        table.add_column(f"{shown(radar.rsplit('/', 1)[-1])}\ndet.\nn, km", justify="right")
    for column in ("tracked", "first\ntrack km\nmin/mean", "via link\n(only)", "fire\nctl\ntrack"):
        table.add_column(column, justify="right")
    for column in ("engaged", "killed", "fired"):
        table.add_column(column, justify="right")
    launched = {t["platform"]: t["launched"] for t in threats}
    for platform, row in account["threats"].items():
        detected = [
            f"{a[platform]['detected']}, {_km(a[platform]['first_detection_range_km_mean'])}"
            for a in account["radars"].values()
        ]
        table.add_row(
            shown(platform),
            str(launched[platform]),
            *detected,
            str(row["own_tracked"]),
            f"{_km(row['first_own_track_range_km_min'])}/"
            f"{_km(row['first_own_track_range_km_mean'])}",
            f"{row['link_tracked']} ({row['link_only']})",
            str(row["fire_control_tracked"]),
            str(row["engaged"]),
            str(row["killed"]),
            str(row["interceptors_fired"]),
        )
    return table


OUTCOME_COLUMNS = ("launched", "killed", "leaked", "route_ended", "airborne_at_end")
"""Truth outcome counts, in the order the outcome table shows them."""


def outcome_table(summary: dict) -> Table:
    """What became of every air entity (scenario-wide truth, not any post's view); each row
    adds up: launched = killed + leaked + route ended + airborne at end."""
    table = Table(title="Outcomes (truth, every aircraft and missile)", title_style="bold")
    table.add_column("side")
    table.add_column("platform")
    for column in OUTCOME_COLUMNS:
        table.add_column(column.replace("_", " "), justify="right")
    for row in summary["outcomes"]:
        table.add_row(
            shown(row["side"]), shown(row["platform"]), *(str(row[c]) for c in OUTCOME_COLUMNS)
        )
    totals = summary["totals"]
    table.add_section()
    table.add_row(
        "threats",
        "",
        str(totals["threats_launched"]),
        str(totals["threats_killed"]),
        str(totals["threats_leaked"]),
        "-",
        str(totals["threats_airborne_at_end"]),
    )
    airborne = [row["truth"] for row in summary["airborne_at_end"] if row["threat"]]
    if airborne:
        table.caption = "Threats still airborne at the end: " + ", ".join(map(shown, airborne))
    return table


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
