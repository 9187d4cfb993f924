"""``iadsim assure``: exhaustive search of a discrete condition space for friend engagements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown
from iadsim.core.errors import InputError


def assure(
    assurance_file: Annotated[
        Path, typer.Argument(help="Assurance YAML file (factors and levels; docs/studies.md).")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Result folder (default runs/assurance/<name>).")
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(min=1, max=1000, help="Replications per cell (default: the file's)."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Local worker processes.")] = 1,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Explore only the first N cells.")
    ] = None,
) -> None:
    """Run every combination of the factors' levels and report the minimal condition sets
    under which a friend is engaged, those under which none was, the worst case with its
    explain chain, and the coverage.

    Killing it and rerunning the same command runs only the missing replications.
    """
    from iadsim.studies.assurance import load_assurance
    from iadsim.studies.assurance_run import run_assurance, write_assurance

    try:
        loaded = load_assurance(assurance_file)
    except InputError as error:
        fail(error)
    target = out or Path("runs") / "assurance" / loaded.spec.name

    def announce(cell: str) -> None:
        console.print(f"cell: {shown(cell, 1000)}", highlight=False)

    try:
        result = run_assurance(
            loaded,
            replications=replications,
            workers=workers,
            limit=limit,
            on_cell=announce,
            out_dir=target,
        )
    except KeyboardInterrupt:
        console.print(
            "\nInterrupted: the finished replications are saved; rerun the same command to resume."
        )
        raise typer.Exit(code=130) from None
    total = len(result.explored) * result.replications
    console.print(
        f"{result.n_ran} of {total} replications run ({total - result.n_ran} already done)",
        highlight=False,
    )
    markdown = write_assurance(result, target)
    console.print(markdown.read_text("utf-8"), markup=False, highlight=False, soft_wrap=True)
    console.print(f"Results: [bold]{shown(target)}[/]")
