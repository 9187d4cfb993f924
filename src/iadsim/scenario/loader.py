"""Load a scenario YAML file into a validated :class:`~iadsim.scenario.schema.Scenario`.

Every problem is reported at once, each with the file, the line and the field path
(``fire_units[0].radars[1].type``), what was expected, and the closest catalog names when
one was misspelt. The loader keeps the plain document too (``load_document``) so that
campaign sweeps can edit it before validation.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from iadsim.catalog import Catalog, load_catalog
from iadsim.core.errors import InputError, InputIssue
from iadsim.scenario.references import check_references
from iadsim.scenario.schema import Scenario

PathKey = tuple[str | int, ...]


def _construct(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> Any:
    """Build Python objects from a YAML node tree, recording the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader(" ").construct_object(key_node)
            result[key] = _construct(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader(" ").construct_object(node)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text into plain objects and a ``path -> line`` map.

    Raises
    ------
    InputError
        On a YAML syntax error, with its line.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(file, [InputIssue("", f"YAML syntax error: {problem}", line)]) from None
    if root is None:
        raise InputError(file, [InputIssue("", "the file is empty", 1)])
    lines: dict[PathKey, int] = {}
    return _construct(root, (), lines), lines


def format_path(path: PathKey) -> str:
    """``("fire_units", 0, "type")`` -> ``fire_units[0].type``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(path: PathKey, lines: dict[PathKey, int]) -> int | None:
    """Line of the deepest known prefix of ``path``."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


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
                message += f" (got {item['input']!r})"
        issues.append(InputIssue(format_path(loc), message, line_of(loc, lines), suggestions))
    return issues


def load_document(path: str | Path) -> dict[str, Any]:
    """Read a scenario file as a plain dictionary (syntax checked, schema not yet)."""
    document, _ = _read(path)
    return document


def _read(path: str | Path) -> tuple[dict[str, Any], dict[PathKey, int]]:
    file = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as error:
        raise InputError(
            file, [InputIssue("", f"cannot read the file: {error.strerror}")]
        ) from None
    document, lines = parse_yaml(text, file)
    if not isinstance(document, dict):
        raise InputError(file, [InputIssue("", "expected a mapping at the top level", 1)])
    return document, lines


def validate_document(
    document: dict[str, Any],
    file: str,
    lines: dict[PathKey, int] | None = None,
    catalog: Catalog | None = None,
) -> tuple[Scenario, Catalog]:
    """Validate a scenario document against the schema and the catalog.

    Returns
    -------
    scenario : Scenario
    catalog : Catalog
        The bundled catalog with the scenario's ``catalog_overrides`` applied.

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


def load_scenario(path: str | Path) -> tuple[Scenario, Catalog]:
    """Read, parse and fully validate a scenario file."""
    document, lines = _read(path)
    return validate_document(document, str(path), lines)
