"""``iadsim explain``: the chain of one aircraft or missile through a finished run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iadsim.cli._console import console, fail, shown


def explain(
    run_dir: Annotated[Path, typer.Argument(help="Run folder (from iadsim run).")],
    name: Annotated[str, typer.Argument(help="Aircraft or missile, e.g. iskander-02.")],
) -> None:
    """Why an aircraft or missile leaked or died: detections, tracks, identities,
    hold-fire decisions, engagements and outcome."""
    from iadsim.scoring.explain import RunFolderError, UnknownNameError, explain, read_run

    try:
        events, tracks = read_run(run_dir)
        lines = explain(events, tracks, name)
    except (RunFolderError, UnknownNameError) as error:
        fail(error)
        return
    for line in lines:
        console.print(shown(line, limit=1000), highlight=False, soft_wrap=True)
