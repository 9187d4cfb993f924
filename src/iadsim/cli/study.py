"""``iadsim study``: run (or resume) a study file and write its tables, plots and summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown
from iadsim.core.errors import InputError


def study(
    study_file: Annotated[Path, typer.Argument(help="Study YAML file (see docs/studies.md).")],
    out: Annotated[
        Path | None, typer.Option(help="Study folder (default runs/studies/<name>).")
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(min=1, max=10_000, help="Replications per variant (default: the file's)."),
    ] = None,
    question: Annotated[
        list[str] | None, typer.Option(help="Run only this question (repeatable).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes.")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
) -> None:
    """Run every variant of a study with common random numbers, then compare them in pairs.

    Killing it and rerunning the same command runs only the missing replications.
    """
    from iadsim.campaigns.store import CampaignError
    from iadsim.studies.outputs import write_study_outputs
    from iadsim.studies.runner import StudyRun, run_folder_name, run_study
    from iadsim.studies.schema import load_study

    try:
        loaded = load_study(study_file, question)
    except InputError as error:
        fail(error)
    target = out or Path("runs") / "studies" / loaded.study.name

    def announce(run: StudyRun) -> None:
        name = run_folder_name(run.condition, run.variant)
        console.print(f"{shown(run.question.name)}: {shown(name)}", highlight=False)

    try:
        summary = run_study(
            loaded,
            target,
            replications=replications,
            workers=workers,
            scheduler=scheduler,
            on_run=announce,
        )
    except CampaignError as error:
        fail(error)
    except KeyboardInterrupt:
        console.print(
            "\nInterrupted: the finished replications are saved; rerun the same command to resume."
        )
        raise typer.Exit(code=130) from None
    console.print(shown(summary.describe(), 1000))
    outputs = write_study_outputs(target)
    console.print(outputs.summary_markdown.read_text("utf-8"), markup=False, highlight=False)
    console.print(
        f"Summary: [bold]{shown(outputs.summary_markdown)}[/], {shown(outputs.summary_json)}; "
        f"{len(outputs.plots)} plots in {shown(target)}/plots"
    )
