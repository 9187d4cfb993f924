"""Load a scenario YAML file into a validated :class:`~iadsim.scenario.schema.Scenario`.

Every problem is reported at once, each with the file, the line and the field path
(``fire_units[0].radars[1].type``), what was expected, and the closest catalog names when
one was misspelt. The loader keeps the plain document too (``load_document``) so that
campaign sweeps can edit it before validation. Files are read by the hardened reader of
:mod:`iadsim.core.yaml_input` (regular files only, size, depth and alias budgets, plain data).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from iadsim.catalog import Catalog, load_catalog
from iadsim.catalog.user_catalog import apply_user_catalogs
from iadsim.core.errors import InputError, InputIssue
from iadsim.core.yaml_input import PathKey, format_path, line_of, parse_yaml, read_yaml
from iadsim.scenario.references import check_references
from iadsim.scenario.schema import Scenario

__all__ = [
    "format_path",
    "line_of",
    "load_document",
    "load_scenario",
    "parse_yaml",
    "validate_document",
]


def _model_at(path: PathKey) -> type[BaseModel] | None:
    """The pydantic model that holds the mapping found at ``path`` (for key suggestions)."""
    model: Any = Scenario
    keyed = False  # the next part is a key of a mapping (sides.<name>, datalinks.<name>)
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        if keyed:
            keyed = False
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = None
        keyed = typing.get_origin(field.annotation) is dict
        for candidate in _unwrap(field.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
    return model


def _unwrap(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (list, dict, typing.Union, types.UnionType):
        return [inner for arg in typing.get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def _issues_from(error: ValidationError, lines: dict[PathKey, int]) -> list[InputIssue]:
    issues = []
    for item in error.errors():
        loc = tuple(item["loc"])
        suggestions: list[str] = []
        if item["type"] == "extra_forbidden":
            message = "unknown key"
            model = _model_at(loc[:-1])
            if model is not None:
                fields = list(model.model_fields)
                suggestions = difflib.get_close_matches(str(loc[-1]), fields, n=3, cutoff=0.4)
                if not suggestions:
                    message += f"; expected one of {', '.join(fields)}"
        else:
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] not in ("missing", "value_error") and "input" in item:
                message += f" (got {shorten(repr(item['input']))})"
        issues.append(InputIssue(format_path(loc), message, line_of(loc, lines), suggestions))
    return issues


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (a 4,000-digit number is not worth printing)."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def load_document(path: str | Path) -> dict[str, Any]:
    """Read a scenario file as a plain dictionary (syntax checked, schema not yet)."""
    document, _ = _read(path)
    return document


def _read(path: str | Path) -> tuple[dict[str, Any], dict[PathKey, int]]:
    file = str(path)
    document, lines = read_yaml(path)
    if document is None:
        raise InputError(file, [InputIssue("", "the file is empty", 1)])
    if not isinstance(document, dict):
        raise InputError(file, [InputIssue("", "expected a mapping at the top level", 1)])
    return _resolve_catalog_paths(document, Path(path).parent), lines


def _resolve_catalog_paths(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The document with its ``catalog`` paths made relative to the scenario's ``folder``.

    Done when the file is read, so that a document edited and validated later (campaign
    sweeps, studies) still finds its user catalogs. Anything but a list of text is left for
    the schema to reject.
    """
    paths = document.get("catalog")
    if isinstance(paths, list) and all(isinstance(p, str) for p in paths):
        return {**document, "catalog": [str(folder / p) for p in paths]}
    return document


def _user_catalogs(
    scenario: Scenario,
    catalog: Catalog,
    extra: Sequence[str | Path],
    file: str,
    lines: dict[PathKey, int],
) -> Catalog:
    """``catalog`` with the scenario's user catalogs, then the command line's, applied."""
    missing = [
        InputIssue(
            format_path(("catalog", i)),
            f"no such catalog file or folder {path!r}",
            line_of(("catalog", i), lines),
        )
        for i, path in enumerate(scenario.catalog)
        if not Path(path).exists()
    ]
    if missing:
        raise InputError(file, missing)
    return apply_user_catalogs(catalog, [*scenario.catalog, *extra])


def validate_document(
    document: dict[str, Any],
    file: str,
    lines: dict[PathKey, int] | None = None,
    catalog: Catalog | None = None,
    user_catalogs: Sequence[str | Path] = (),
) -> tuple[Scenario, Catalog]:
    """Validate a scenario document against the schema and the catalog.

    Parameters
    ----------
    document : dict
    file : str
        Named in errors.
    lines : dict, optional
        Line of each field path.
    catalog : Catalog, optional
        Default: the bundled catalog.
    user_catalogs : sequence of path
        User catalog files or folders (``--catalog``), applied after the scenario's own
        ``catalog`` files and before its ``catalog_overrides``.

    Returns
    -------
    scenario : Scenario
    catalog : Catalog
        ``catalog`` with the user catalogs and the scenario's ``catalog_overrides`` applied.

    Raises
    ------
    InputError
        With every problem found, each naming file, line and field path.
    """
    lines = lines or {}
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as error:
        raise InputError(file, _issues_from(error, lines)) from None
    catalog = catalog or load_catalog()
    if scenario.catalog or user_catalogs:
        catalog = _user_catalogs(scenario, catalog, user_catalogs, file, lines)
    problems, catalog = check_references(scenario, catalog)
    if problems:
        raise InputError(
            file,
            [
                InputIssue(format_path(path), message, line_of(path, lines), suggestions)
                for path, message, suggestions in problems
            ],
        )
    return scenario, catalog


def load_scenario(
    path: str | Path, user_catalogs: Sequence[str | Path] = ()
) -> tuple[Scenario, Catalog]:
    """Read, parse and fully validate a scenario file (with extra user catalogs, if given)."""
    document, lines = _read(path)
    return validate_document(document, str(path), lines, user_catalogs=user_catalogs)
