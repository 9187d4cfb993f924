"""Study files: a base scenario, named variants as patches, measures, replications, seed.

A study file is YAML read by the same hardened reader as scenarios
(:mod:`iadsim.core.yaml_input`) and validated at once, every problem named by file, line and
field path (``questions[1].variants[2].patches``); the command line exits with code 2.
A *patch* is ``dotted.path: value`` applied with :func:`iadsim.campaigns.sweep.apply_override`
(keys, list indices ``fire_units.0.iff_modes``, element names
``fire_units.s400-murted.weapon_control``, catalog overrides ``catalog.f35a.rcs_scale``); the
value may be a list or a mapping (whole replacement), which ``iadsim mc --sweep`` cannot
express. A patch may set a field the base scenario leaves out (``safe_corridors``, an air
track's ``iff_modes``): the mappings and list elements it walks through must exist, and the
patched scenario is validated in full, so a misspelt field is still an error ("unknown
key"). Each variant, and each variant under each *condition*
(a second set of patches crossed with the variants, e.g. weapons tight / weapons free), must
give a valid scenario: it is validated here, before anything runs, and an error names the
patch that made it invalid.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from iadsim.campaigns.sweep import SweepError, apply_override
from iadsim.core.errors import InputError, InputIssue
from iadsim.core.yaml_input import PathKey, format_path, line_of, read_yaml
from iadsim.scenario.basics import Strict
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scenario.terrain_dir import resolve_document_terrain_dir
from iadsim.scoring.measures import find_measure
from iadsim.studies.replicate import STUDY_MEASURES

__all__ = [
    "Exposure",
    "LoadedStudy",
    "Question",
    "Study",
    "Variant",
    "load_study",
    "variant_document",
]

Slug = str
"""A name used in folder names: letters, digits, ``-`` and ``_``."""

_SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


class Variant(Strict):
    """One variant (or condition): a name, what it means, and its patches."""

    name: Slug = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    patches: dict[str, Any] = Field(default_factory=dict)


class Exposure(Strict):
    """Signature-exposure tables and polar plots from the per-look records.

    Attributes
    ----------
    platforms : list of str
        Catalog platforms whose exposure is tabulated and plotted (e.g. ``f35a``, ``f16c``).
    air_tracks : list of str, optional
        Only the aircraft of these air tracks (by name), e.g. the flights whose type the
        variants change, so that two platforms are compared on the same routes.
    azimuth_bin_deg, elevation_bin_deg : float
        Aspect bin widths in the aircraft's body frame, degrees; each must divide 360
        (azimuth) or 180 (elevation).
    """

    platforms: list[str] = Field(min_length=1)
    air_tracks: list[str] | None = None
    azimuth_bin_deg: float = Field(default=30.0, gt=0, le=180)
    elevation_bin_deg: float = Field(default=30.0, gt=0, le=90)

    @model_validator(mode="after")
    def _bins_divide_the_circle(self) -> Exposure:
        for name, width, span in (
            ("azimuth_bin_deg", self.azimuth_bin_deg, 360.0),
            ("elevation_bin_deg", self.elevation_bin_deg, 180.0),
        ):
            count = span / width
            if abs(count - round(count)) > 1e-9:
                raise ValueError(f"{name} {width} does not divide {span:g} degrees")
        return self


class Question(Strict):
    """One question: variants compared with a baseline, under each condition.

    Attributes
    ----------
    name : str
        Folder name of the question's results.
    title : str
        The question, in words.
    baseline : str
        The variant every other is compared with (paired differences).
    variants : list of Variant
        At least two, names unique.
    conditions : list of Variant
        Crossed with the variants (each variant runs under each condition); none means one
        condition with no patches.
    measures : list of str
        Measures reported (names of :data:`iadsim.studies.replicate.STUDY_MEASURES`, with a
        family's placeholder filled, e.g. ``friend_held_hostile_time_s_s400-murted``).
    exposure : Exposure, optional
        Keep the per-look records and make exposure tables and plots.
    """

    name: Slug = Field(pattern=_SLUG_PATTERN)
    title: str
    variants: list[Variant] = Field(min_length=2)
    baseline: str
    conditions: list[Variant] = Field(default_factory=list)
    measures: list[str] = Field(min_length=1)
    exposure: Exposure | None = None

    @field_validator("measures")
    @classmethod
    def _declared(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if find_measure(STUDY_MEASURES, name) is None]
        if unknown:
            known = ", ".join(m.name for m in STUDY_MEASURES)
            raise ValueError(f"unknown measure(s) {', '.join(unknown)}; known: {known}")
        return names

    @field_validator("baseline")
    @classmethod
    def _baseline_is_a_variant(cls, baseline: str, info: ValidationInfo) -> str:
        names = [variant.name for variant in info.data.get("variants", [])]
        if names and baseline not in names:
            raise ValueError(
                f"baseline {baseline!r} is not one of the variants: {', '.join(names)}"
            )
        return baseline

    @model_validator(mode="after")
    def _names(self) -> Question:
        for label, items in (("variant", self.variants), ("condition", self.conditions)):
            names = [item.name for item in items]
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:
                raise ValueError(f"{label} name(s) used twice: {', '.join(twice)}")
        return self

    def runs(self) -> list[tuple[Variant | None, Variant]]:
        """``(condition, variant)`` of every run of the question, condition slowest."""
        conditions: list[Variant | None] = list(self.conditions) or [None]
        return [(condition, variant) for condition in conditions for variant in self.variants]


class Study(Strict):
    """A study file (see the module docstring and ``docs/studies.md``)."""

    schema_version: Literal[1]
    name: Slug = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    scenario: str
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    replications: int = Field(ge=1, le=10_000)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _question_names(self) -> Study:
        names = [question.name for question in self.questions]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"question name(s) used twice: {', '.join(twice)}")
        return self


@dataclass(frozen=True)
class LoadedStudy:
    """A validated study and the plain document of its base scenario.

    Attributes
    ----------
    study : Study
    file : Path
        The study file.
    scenario_doc : dict
        The base scenario as a plain dict (``terrain_dir`` made absolute).
    scenario_hash : str
        SHA-256 of the base scenario file's text.
    """

    study: Study
    file: Path
    scenario_doc: dict[str, Any]
    scenario_hash: str


def variant_document(
    scenario_doc: dict[str, Any], condition: Variant | None, variant: Variant
) -> dict[str, Any]:
    """The base scenario with the condition's patches, then the variant's, applied.

    Raises
    ------
    SweepError
        Naming the patch path that does not apply.
    """
    doc = copy.deepcopy(scenario_doc)
    for patches in ([] if condition is None else [condition.patches]) + [variant.patches]:
        for path, value in patches.items():
            # A new last key is allowed: the full validation of the result rejects a typo.
            apply_override(doc, path, copy.deepcopy(value), allow_new_leaf=True)
    return doc


def document_hash(doc: dict[str, Any]) -> str:
    """SHA-256 of a document as canonical JSON (a variant's identity in its campaign)."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_study(path: str | Path, questions: list[str] | None = None) -> LoadedStudy:
    """Read and validate a study file, its base scenario and every variant it makes.

    Parameters
    ----------
    path : str or Path
        The study file.
    questions : list of str, optional
        Keep only these questions (by name), e.g. to run one question of a large study.

    Raises
    ------
    InputError
        With every problem found, each naming the study file, line and field path (a
        problem in the base scenario file names that file).
    """
    file = Path(path)
    document, lines = read_yaml(file)
    if not isinstance(document, dict):
        raise InputError(str(file), [InputIssue("", "expected a mapping at the top level", 1)])
    try:
        study = Study.model_validate(document)
    except ValidationError as error:
        raise InputError(str(file), _issues(error, lines)) from None
    if questions:
        names = [question.name for question in study.questions]
        unknown = [name for name in questions if name not in names]
        if unknown:
            raise InputError(
                str(file),
                [
                    InputIssue(
                        "questions", f"no question {', '.join(unknown)}; it has {', '.join(names)}"
                    )
                ],
            )
        kept = [question for question in study.questions if question.name in questions]
        study = study.model_copy(update={"questions": kept})
    scenario_file = (file.parent / study.scenario).resolve()
    if not scenario_file.is_file():
        raise InputError(
            str(file),
            [
                InputIssue(
                    "scenario", f"no scenario file {scenario_file}", line_of(("scenario",), lines)
                )
            ],
        )
    scenario_doc = resolve_document_terrain_dir(load_document(scenario_file), scenario_file)
    validate_document(scenario_doc, str(scenario_file))
    issues: list[InputIssue] = []
    track_names = [str(track.get("name")) for track in scenario_doc.get("air_tracks", [])]
    for q_index, question in enumerate(study.questions):
        exposure = question.exposure
        for name in (exposure.air_tracks or []) if exposure is not None else []:
            if name not in track_names:
                where: PathKey = ("questions", q_index, "exposure", "air_tracks")
                issues.append(
                    InputIssue(
                        format_path(where),
                        f"no air track {name!r} in the scenario; it has {', '.join(track_names)}",
                        line_of(where, lines),
                    )
                )
        for condition, variant in question.runs():
            issue = _variant_issue(scenario_doc, question, q_index, condition, variant, lines)
            if issue is not None:
                issues.append(issue)
    if issues:
        raise InputError(str(file), issues)
    text_hash = hashlib.sha256(scenario_file.read_bytes()).hexdigest()
    return LoadedStudy(study, file, scenario_doc, text_hash)


def _variant_issue(
    scenario_doc: dict[str, Any],
    question: Question,
    q_index: int,
    condition: Variant | None,
    variant: Variant,
    lines: dict[PathKey, int],
) -> InputIssue | None:
    """The first problem of one (condition, variant) run, as a study-file issue, or None."""
    v_index = question.variants.index(variant)
    where: PathKey = ("questions", q_index, "variants", v_index, "patches")
    label = variant.name if condition is None else f"{variant.name} under {condition.name}"
    try:
        doc = variant_document(scenario_doc, condition, variant)
    except SweepError as error:
        if condition is not None and any(p in str(error) for p in condition.patches):
            where = ("questions", q_index, "conditions", question.conditions.index(condition))
        return InputIssue(format_path(where), str(error), line_of(where, lines))
    try:
        validate_document(doc, label)
    except InputError as error:
        problems = "; ".join(f"{i.field_path}: {i.message}" for i in error.issues[:5])
        return InputIssue(
            format_path(where),
            f"variant {label} is not a valid scenario: {problems}",
            line_of(where, lines),
        )
    return None


def _issues(error: ValidationError, lines: dict[PathKey, int]) -> list[InputIssue]:
    issues = []
    for item in error.errors():
        loc = tuple(item["loc"])
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        message = message.removeprefix("Value error, ")
        issues.append(InputIssue(format_path(loc), message, line_of(loc, lines)))
    return issues
