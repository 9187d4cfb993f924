"""Assurance search over a discrete space of conditions: the file, its cells, and the minimal
condition sets that give (or never give) a friend engagement.

An assurance file names a base scenario, a seed, replications per cell and *factors*, each
with two or more *levels*; a level is a named set of patches (as a study variant's,
:mod:`iadsim.studies.schema`). A *cell* takes one level of every factor; its scenario is the
base with every chosen level's patches applied in factor order. The search is exhaustive:
every cell runs ``replications`` times with common random numbers.

A *condition set* fixes the levels of some factors and leaves the rest free. It is
*sufficient* for an outcome when every explored cell that matches it shows the outcome (and at
least one does), and *minimal* when freeing any one of its factors makes it insufficient
(freeing a factor only adds cells, so no smaller set can be sufficient either): the prime
implicants of the outcome over the explored cells (Quine, "The problem of simplifying truth
functions", Amer. Math. Monthly 59(8), 1952). Over an exhaustively explored space with
deterministic outcomes this is exact; with a few replications per cell, "no engagement" means
none in those replications, which the report states with the coverage.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from iadsim.campaigns.sweep import SweepError, apply_override
from iadsim.core.errors import InputError, InputIssue
from iadsim.core.yaml_input import PathKey, format_path, line_of, read_yaml
from iadsim.scenario.basics import Strict
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scenario.terrain_dir import resolve_document_terrain_dir
from iadsim.studies.schema import _SLUG_PATTERN, Variant

__all__ = [
    "MAX_CONDITION_SETS",
    "AssuranceFile",
    "Factor",
    "LoadedAssurance",
    "cell_document",
    "cells",
    "load_assurance",
    "minimal_condition_sets",
]

MAX_CONDITION_SETS = 2_000_000
"""Most condition sets (product of levels + 1 over the factors) the minimal-set search
enumerates."""

Cell = tuple[int, ...]
"""Level index of each factor."""
ConditionSet = tuple[int | None, ...]
"""Level index of each factor, None where the factor is free."""


class Factor(Strict):
    """One factor: a name and two or more levels (each a name and its patches)."""

    name: str = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    levels: list[Variant] = Field(min_length=2)

    @model_validator(mode="after")
    def _level_names(self) -> Factor:
        names = [level.name for level in self.levels]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"level name(s) used twice: {', '.join(twice)}")
        return self


class AssuranceFile(Strict):
    """An assurance file (module docstring; ``docs/studies.md``).

    Attributes
    ----------
    name : str
        Folder name of the results.
    scenario : str
        Base scenario, relative to the file.
    seed : int
        Replication ``k`` of every cell runs with the same seed (common random numbers).
    replications : int
        Per cell.
    factors : list of Factor
        The space: one cell per combination of levels.
    """

    schema_version: Literal[1]
    name: str = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    scenario: str
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    replications: int = Field(default=2, ge=1, le=1000)
    factors: list[Factor] = Field(min_length=1)

    @model_validator(mode="after")
    def _factor_names(self) -> AssuranceFile:
        names = [factor.name for factor in self.factors]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"factor name(s) used twice: {', '.join(twice)}")
        size = 1
        for factor in self.factors:
            size *= len(factor.levels) + 1
        if size > MAX_CONDITION_SETS:
            raise ValueError(f"{size} condition sets: more than {MAX_CONDITION_SETS} to search")
        return self

    def describe(self, cell: Sequence[int | None]) -> str:
        """``factor=level, ...`` of a cell or condition set (free factors left out)."""
        parts = [
            f"{factor.name}={factor.levels[level].name}"
            for factor, level in zip(self.factors, cell, strict=True)
            if level is not None
        ]
        return ", ".join(parts) or "(any)"


@dataclass(frozen=True)
class LoadedAssurance:
    """A validated assurance file and its base scenario as a plain dict.

    Attributes
    ----------
    spec : AssuranceFile
    file : Path
    scenario_doc : dict
    scenario_hash : str
        SHA-256 of the base scenario file's text.
    """

    spec: AssuranceFile
    file: Path
    scenario_doc: dict[str, Any]
    scenario_hash: str


def cells(factors: Sequence[Factor]) -> list[Cell]:
    """Every cell of the space, the last factor fastest."""
    return list(itertools.product(*(range(len(factor.levels)) for factor in factors)))


def cell_document(
    scenario_doc: Mapping[str, Any], factors: Sequence[Factor], cell: Cell
) -> dict[str, Any]:
    """The base scenario with the chosen level of every factor applied, in factor order.

    Raises
    ------
    SweepError
        Naming the patch path that does not apply.
    """
    doc = copy.deepcopy(dict(scenario_doc))
    for factor, level in zip(factors, cell, strict=True):
        for path, value in factor.levels[level].patches.items():
            apply_override(doc, path, copy.deepcopy(value), allow_new_leaf=True)
    return doc


def _matches(condition: ConditionSet, cell: Cell) -> bool:
    return all(c is None or c == level for c, level in zip(condition, cell, strict=True))


def minimal_condition_sets(
    levels: Sequence[int], outcome: Mapping[Cell, bool], wanted: bool = True
) -> list[ConditionSet]:
    """The minimal condition sets sufficient for ``outcome == wanted`` over explored cells.

    Parameters
    ----------
    levels : sequence of int
        Number of levels of each factor.
    outcome : mapping of cell to bool
        The outcome of each explored cell (cells not in it are unexplored and neither
        support nor refute a set).
    wanted : bool
        The outcome the sets must guarantee.

    Returns
    -------
    list of tuple
        Each a level index per factor, None where free; fewest fixed factors first, then in
        level order.

    Examples
    --------
    Two binary factors, the outcome only when both are at level 1:

    >>> minimal_condition_sets([2, 2], {(0, 0): False, (0, 1): False, (1, 0): False,
    ...                                  (1, 1): True})
    [(1, 1)]
    >>> minimal_condition_sets([2, 2], {(0, 0): False, (0, 1): False, (1, 0): False,
    ...                                  (1, 1): True}, wanted=False)
    [(None, 0), (0, None)]
    """
    explored = list(outcome.items())

    def sufficient(condition: ConditionSet) -> bool:
        matched = [value for cell, value in explored if _matches(condition, cell)]
        return bool(matched) and all(value == wanted for value in matched)

    found: list[ConditionSet] = []
    for condition in itertools.product(*([None, *range(n)] for n in levels)):
        if not sufficient(condition):
            continue
        fixed = [k for k, level in enumerate(condition) if level is not None]
        freed = ((*condition[:k], None, *condition[k + 1 :]) for k in fixed)
        if not any(sufficient(c) for c in freed):
            found.append(condition)
    return sorted(
        found, key=lambda c: (sum(x is not None for x in c), [-1 if x is None else x for x in c])
    )


def load_assurance(path: str | Path) -> LoadedAssurance:
    """Read and validate an assurance file, its base scenario and every cell's scenario.

    Raises
    ------
    InputError
        Each problem named by file, line and field path (a cell's by the first factor level
        whose patch fails, or by the factors when the combination is invalid).
    """
    file = Path(path)
    document, lines = read_yaml(file)
    if not isinstance(document, dict):
        raise InputError(str(file), [InputIssue("", "expected a mapping at the top level", 1)])
    try:
        spec = AssuranceFile.model_validate(document)
    except ValidationError as error:
        issues = []
        for item in error.errors():
            loc = tuple(item["loc"])
            message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
            issues.append(
                InputIssue(
                    format_path(loc), message.removeprefix("Value error, "), line_of(loc, lines)
                )
            )
        raise InputError(str(file), issues) from None
    scenario_file = (file.parent / spec.scenario).resolve()
    if not scenario_file.is_file():
        where: PathKey = ("scenario",)
        issue = InputIssue("scenario", f"no scenario file {scenario_file}", line_of(where, lines))
        raise InputError(str(file), [issue])
    scenario_doc = resolve_document_terrain_dir(load_document(scenario_file), scenario_file)
    validate_document(scenario_doc, str(scenario_file))
    issues = _cell_issues(spec, scenario_doc, lines, validate_document)
    if issues:
        raise InputError(str(file), issues)
    text_hash = hashlib.sha256(scenario_file.read_bytes()).hexdigest()
    return LoadedAssurance(spec, file, scenario_doc, text_hash)


def _cell_issues(
    spec: AssuranceFile,
    scenario_doc: dict[str, Any],
    lines: dict[PathKey, int],
    validate: Callable[[dict[str, Any], str], Any],
) -> list[InputIssue]:
    """The first problem of each cell whose scenario does not build or validate."""
    issues: list[InputIssue] = []
    for cell in cells(spec.factors):
        label = spec.describe(cell)
        try:
            doc = cell_document(scenario_doc, spec.factors, cell)
        except SweepError as error:
            where: PathKey = ("factors",)
            for f_index, (factor, level) in enumerate(zip(spec.factors, cell, strict=True)):
                if any(path in str(error) for path in factor.levels[level].patches):
                    where = ("factors", f_index, "levels", level, "patches")
                    break
            issues.append(InputIssue(format_path(where), str(error), line_of(where, lines)))
            return issues
        try:
            validate(doc, label)
        except InputError as error:
            problems = "; ".join(f"{i.field_path}: {i.message}" for i in error.issues[:5])
            where = ("factors",)
            issues.append(
                InputIssue(
                    format_path(where),
                    f"cell {label} is not a valid scenario: {problems}",
                    line_of(where, lines),
                )
            )
            return issues
    return issues
