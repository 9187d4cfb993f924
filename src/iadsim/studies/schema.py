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

A question may name its own base scenario (``scenario:`` beside its ``title``, relative to
the file that holds the question), and an item of ``questions`` may be ``include: FILE``:
the questions of another study file, in its place, each on that file's base scenario
unless it names its own (the included file's ``seed`` and ``replications`` are not used:
the including study's are). So ``studies/turkey-s400.yaml`` asks all four of the article's
questions while ``studies/s400-sees-fighters.yaml`` (question 1, on a scenario of its own)
stays a study on its own too. An included file may not include others, and a question
name may occur only once in the whole study.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from iadsim.campaigns.sweep import SweepError, apply_override
from iadsim.core.errors import InputError, InputIssue
from iadsim.core.yaml_input import PathKey, format_path, line_of, read_yaml
from iadsim.scenario.basics import Strict
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scenario.terrain_dir import resolve_document_terrain_dir
from iadsim.scoring.measures import find_measure
from iadsim.studies.replicate import STUDY_MEASURES

__all__ = [
    "BaseScenario",
    "Exposure",
    "Include",
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
    scenario : str, optional
        The question's own base scenario, relative to the file that holds the question;
        default the study's ``scenario``.
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
    scenario: str | None = None
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


class Include(Strict):
    """An item of ``questions`` that stands for every question of another study file.

    Attributes
    ----------
    include : str
        The study file, relative to the including one.
    """

    include: str = Field(min_length=1)


def _entry_kind(value: Any) -> str:
    """``include`` for an include item (a mapping with an ``include`` key), else ``question``."""
    if isinstance(value, dict) and "include" in value:
        return "include"
    if isinstance(value, Include):
        return "include"
    return "question"


QuestionEntry = Annotated[
    Annotated[Question, Tag("question")] | Annotated[Include, Tag("include")],
    Discriminator(_entry_kind),
]
"""An item of a study file's ``questions``: a question, or the questions of another file."""


class StudyFile(Strict):
    """A study file as written: its questions may include other study files."""

    schema_version: Literal[1]
    name: Slug = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    scenario: str
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    replications: int = Field(ge=1, le=10_000)
    questions: list[QuestionEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _question_names(self) -> StudyFile:
        names = [item.name for item in self.questions if isinstance(item, Question)]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"question name(s) used twice: {', '.join(twice)}")
        return self


class Study(Strict):
    """A study with its includes replaced by their questions (see the module docstring and
    ``docs/studies.md``); what :func:`load_study` returns."""

    schema_version: Literal[1]
    name: Slug = Field(pattern=_SLUG_PATTERN)
    description: str = ""
    scenario: str
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    replications: int = Field(ge=1, le=10_000)
    questions: list[Question] = Field(min_length=1)


@dataclass(frozen=True)
class BaseScenario:
    """A base scenario of a study.

    Attributes
    ----------
    file : Path
        The scenario file (absolute).
    label : str
        The file as the study names it, relative to the study file.
    document : dict
        The scenario as a plain dict (``terrain_dir`` made absolute), validated.
    sha256 : str
        SHA-256 of the scenario file's text.
    """

    file: Path
    label: str
    document: dict[str, Any]
    sha256: str


@dataclass(frozen=True)
class LoadedStudy:
    """A validated study and the plain documents of its base scenarios.

    Attributes
    ----------
    study : Study
        Includes replaced by the questions they stand for.
    file : Path
        The study file.
    scenario_doc : dict
        The study's base scenario as a plain dict (``terrain_dir`` made absolute).
    scenario_hash : str
        SHA-256 of the study's base scenario file's text.
    bases : dict of str to BaseScenario
        Each question's base scenario, by question name (the study's, or the question's
        own, or its included file's).
    """

    study: Study
    file: Path
    scenario_doc: dict[str, Any]
    scenario_hash: str
    bases: dict[str, BaseScenario]

    def base(self, question: Question) -> BaseScenario:
        """The base scenario of ``question``."""
        return self.bases[question.name]


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
    """Read and validate a study file, its includes, base scenarios and every variant.

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
        problem in an included study file names that file, one in a base scenario file
        names that file).
    """
    file = Path(path)
    loaded = _load(file, None)
    if not questions:
        return loaded
    names = [question.name for question in loaded.study.questions]
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
    kept = [question for question in loaded.study.questions if question.name in questions]
    study = loaded.study.model_copy(update={"questions": kept})
    bases = {name: base for name, base in loaded.bases.items() if name in questions}
    return LoadedStudy(study, file, loaded.scenario_doc, loaded.scenario_hash, bases)


def _load(file: Path, included_by: Path | None) -> LoadedStudy:
    """:func:`load_study` of every question; ``included_by`` the file including this one."""
    parsed, lines = _read_study_file(file)
    scenarios: dict[Path, BaseScenario] = {}
    own_base = _base_scenario(file, parsed.scenario, ("scenario",), lines, scenarios)
    flat: list[Question] = []
    bases: dict[str, BaseScenario] = {}
    issues: list[InputIssue] = []
    for q_index, item in enumerate(parsed.questions):
        where: PathKey = ("questions", q_index)
        if isinstance(item, Include):
            where = (*where, "include")
            target = (file.parent / item.include).resolve()
            problem = None
            if included_by is not None:
                problem = (
                    f"an included study ({included_by.name} includes it) may not include others"
                )
            elif not target.is_file():
                problem = f"no study file {target}"
            elif target == file.resolve():
                problem = "a study may not include itself"
            if problem is not None:
                issues.append(InputIssue(format_path(where), problem, line_of(where, lines)))
                continue
            sub = _load(target, file)  # its problems name its own file
            found = [(question, sub.bases[question.name]) for question in sub.study.questions]
        else:
            base = own_base
            if item.scenario is not None:
                at: PathKey = ("questions", q_index, "scenario")
                base = _base_scenario(file, item.scenario, at, lines, scenarios)
            _check_question(item, q_index, base.document, lines, issues)
            found = [(item, base)]
        for question, base in found:
            if question.name in bases:
                issues.append(
                    InputIssue(
                        format_path(where),
                        f"question name {question.name!r} occurs twice in the study",
                        line_of(where, lines),
                    )
                )
                continue
            flat.append(question)
            bases[question.name] = base
    if issues:
        raise InputError(str(file), issues)
    study = Study.model_validate({**parsed.model_dump(exclude={"questions"}), "questions": flat})
    return LoadedStudy(study, file, own_base.document, own_base.sha256, bases)


def _read_study_file(file: Path) -> tuple[StudyFile, dict[PathKey, int]]:
    """Parse and validate one study file (includes not followed)."""
    document, lines = read_yaml(file)
    if not isinstance(document, dict):
        raise InputError(str(file), [InputIssue("", "expected a mapping at the top level", 1)])
    try:
        return StudyFile.model_validate(document), lines
    except ValidationError as error:
        raise InputError(str(file), _issues(error, lines)) from None


def _base_scenario(
    file: Path,
    name: str,
    where: PathKey,
    lines: dict[PathKey, int],
    scenarios: dict[Path, BaseScenario],
) -> BaseScenario:
    """Load and validate a base scenario named in ``file`` at ``where`` (once per file)."""
    scenario_file = (file.parent / name).resolve()
    if scenario_file in scenarios:
        return scenarios[scenario_file]
    if not scenario_file.is_file():
        raise InputError(
            str(file),
            [
                InputIssue(
                    format_path(where), f"no scenario file {scenario_file}", line_of(where, lines)
                )
            ],
        )
    scenario_doc = resolve_document_terrain_dir(load_document(scenario_file), scenario_file)
    validate_document(scenario_doc, str(scenario_file))
    text_hash = hashlib.sha256(scenario_file.read_bytes()).hexdigest()
    base = BaseScenario(scenario_file, name, scenario_doc, text_hash)
    scenarios[scenario_file] = base
    return base


def _check_question(
    question: Question,
    q_index: int,
    scenario_doc: dict[str, Any],
    lines: dict[PathKey, int],
    issues: list[InputIssue],
) -> None:
    """Add the problems of one question: an exposure air track the scenario lacks, a run
    that is not a valid scenario."""
    exposure = question.exposure
    track_names = [str(track.get("name")) for track in scenario_doc.get("air_tracks", [])]
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
        if len(loc) > 2 and loc[0] == "questions" and loc[2] in ("question", "include"):
            loc = loc[:2] + loc[3:]  # the tag of the question-or-include union
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        message = message.removeprefix("Value error, ")
        issues.append(InputIssue(format_path(loc), message, line_of(loc, lines)))
    return issues
