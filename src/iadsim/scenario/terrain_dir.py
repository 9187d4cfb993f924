"""A scenario's ``terrain_dir``: resolved against the scenario file's folder, checked once.

The schema keeps ``terrain_dir`` as written; the command line calls :func:`resolve_terrain_dir`
(or :func:`resolve_document_terrain_dir` for a campaign's plain document) right after
loading, so everything downstream sees an absolute folder that exists, whatever the
working directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from iadsim.core.errors import InputError, InputIssue
from iadsim.geo.terrain_folder import TERRAIN_DIR_VARIABLE
from iadsim.scenario.schema import Scenario

__all__ = ["resolve_document_terrain_dir", "resolve_terrain_dir"]


def _resolved(terrain_dir: str, scenario_file: str | Path) -> str:
    """The folder made absolute against the scenario's folder; InputError if it is none."""
    folder = Path(terrain_dir).expanduser()
    if not folder.is_absolute():
        folder = Path(scenario_file).resolve().parent / folder
    if not folder.is_dir():
        message = (
            f"{folder} is not a folder (a relative terrain_dir is read from the folder of "
            "the scenario file)"
        )
        raise InputError(str(scenario_file), [InputIssue("terrain_dir", message)])
    return str(folder)


def _check_variable() -> None:
    """InputError if :data:`TERRAIN_DIR_VARIABLE` names something that is not a folder."""
    value = os.environ.get(TERRAIN_DIR_VARIABLE)
    if value and not Path(value).expanduser().is_dir():
        issue = InputIssue(TERRAIN_DIR_VARIABLE, f"{value} is not a folder")
        raise InputError("environment", [issue])


def resolve_terrain_dir(scenario: Scenario, scenario_file: str | Path) -> Scenario:
    """``scenario`` with its ``terrain_dir`` made absolute and checked.

    Raises
    ------
    InputError
        The folder (or the one in ``IADSIM_TERRAIN_DIR``) does not exist.
    """
    _check_variable()
    if scenario.terrain_dir is None:
        return scenario
    folder = _resolved(scenario.terrain_dir, scenario_file)
    return scenario.model_copy(update={"terrain_dir": folder})


def resolve_document_terrain_dir(document: dict[str, Any], scenario_file: str | Path) -> dict:
    """A scenario document (plain dict) with its ``terrain_dir`` made absolute and checked."""
    _check_variable()
    value = document.get("terrain_dir")
    if not isinstance(value, str):
        return document
    return {**document, "terrain_dir": _resolved(value, scenario_file)}
