"""Run a study: every variant of every question as one Monte Carlo campaign, same seeds.

Layout of a study folder::

    study.json                      the study as run: file, hash, seed, replications, and
                                    each question's runs with their campaign folders
    <question>/<run>/               one campaign per (condition, variant): manifest.json,
                                    results/part-*.parquet (see iadsim.campaigns.store)
    <question>/looks/<key>/seed-*.parquet   per-look records (questions with exposure)

``<run>`` is ``<variant>`` or ``<condition>--<variant>``. Each campaign gets the study's
seed, so replication ``k`` of every variant runs with the same seed
(:func:`iadsim.campaigns.campaign.replication_seed`): common random numbers across
variants, what makes paired differences sharp. A campaign folder keeps what it has
finished, so a killed study rerun with the same command runs only the missing
replications; a changed variant (its document hash) or seed stops with an error naming the
folder instead of mixing results. Raising ``replications`` extends a finished study.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import iadsim
from iadsim.campaigns.campaign import run_campaign
from iadsim.campaigns.store import CampaignError, share_results, write_json_atomic
from iadsim.campaigns.workers import SharedPool
from iadsim.scoring.replication import point_key
from iadsim.studies.replicate import StudyReplicate, only_sightings
from iadsim.studies.schema import LoadedStudy, Question, Variant, document_hash, variant_document

__all__ = ["StudyRun", "StudySummary", "run_folder_name", "run_study", "study_runs"]

STUDY_MANIFEST = "study.json"
LOOKS_DIR = "looks"


@dataclass(frozen=True)
class StudyRun:
    """One (condition, variant) of a question, where its campaign lives."""

    question: Question
    condition: Variant | None
    variant: Variant
    folder: Path
    document: dict[str, Any]

    @property
    def condition_name(self) -> str:
        """The condition's name, ``""`` when the question has none."""
        return "" if self.condition is None else self.condition.name


@dataclass(frozen=True)
class StudySummary:
    """What :func:`run_study` did: replications run now and already there, wall time."""

    out_dir: Path
    n_runs: int
    n_total: int
    n_already_done: int
    n_ran: int
    n_failed: int
    elapsed_s: float

    def describe(self) -> str:
        """One line for the command line."""
        per = f"{self.elapsed_s / self.n_ran:.1f} s per replication" if self.n_ran else "none run"
        resumed = f" ({self.n_already_done} already done)" if self.n_already_done else ""
        return (
            f"{self.n_ran} of {self.n_total} replications run{resumed} over {self.n_runs} "
            f"variant runs, {self.n_failed} failed, {self.elapsed_s:.1f} s "
            f"({per}); results in {self.out_dir}"
        )


def run_folder_name(condition: Variant | None, variant: Variant) -> str:
    """``<variant>`` or ``<condition>--<variant>``."""
    return variant.name if condition is None else f"{condition.name}--{variant.name}"


def study_runs(loaded: LoadedStudy, out_dir: Path) -> list[StudyRun]:
    """Every run of the study, question by question, condition slowest."""
    return [
        StudyRun(
            question,
            condition,
            variant,
            out_dir / question.name / run_folder_name(condition, variant),
            variant_document(loaded.base(question).document, condition, variant),
        )
        for question in loaded.study.questions
        for condition, variant in question.runs()
    ]


def run_study(
    loaded: LoadedStudy,
    out_dir: str | Path,
    *,
    replications: int | None = None,
    workers: int = 1,
    scheduler: str | Any | None = None,
    progress: bool = True,
    on_run: Callable[[StudyRun], None] | None = None,
) -> StudySummary:
    """Run (or resume) every replication of a study into ``out_dir``.

    Parameters
    ----------
    loaded : LoadedStudy
        From :func:`iadsim.studies.schema.load_study`.
    out_dir : str or Path
        Study folder; created if missing.
    replications : int, optional
        Replications per variant; default the study's ``replications``.
    workers : int
        Local worker processes per campaign (1: in this process).
    scheduler : str or distributed.Client, optional
        Dask scheduler address or client; the folder must be on a file system the workers
        share when a question keeps looks.
    progress : bool
        Rich progress bars on a terminal.
    on_run : callable, optional
        Called with each run before it starts (the command line prints its name).

    Returns
    -------
    StudySummary

    Raises
    ------
    iadsim.campaigns.store.CampaignError
        A campaign folder made by a different study (variant, seed), a locked folder, or
        an ``out_dir`` that holds files but no ``study.json``.
    """
    started = time.perf_counter()
    study = loaded.study
    runs_per_variant = replications or study.replications
    folder = Path(out_dir)
    if folder.exists() and any(folder.iterdir()) and not (folder / STUDY_MANIFEST).is_file():
        # Never write into a folder iadsim did not make (a home directory, a source tree).
        raise CampaignError(
            f"{folder} is not empty and is not a study folder (no {STUDY_MANIFEST}); "
            "give --out a new or empty folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    runs = study_runs(loaded, folder)
    write_json_atomic(folder / STUDY_MANIFEST, _manifest(loaded, runs, runs_per_variant))
    total = done = ran = failed = 0
    with ExitStack() as stack:
        # One pool for every campaign of the study: its workers import the package and
        # load the compiled kernels once, not once per variant run (the results are the
        # same: each replication depends only on its document and seed).
        pool = None
        if workers > 1 and scheduler is None:
            pool = stack.enter_context(SharedPool(workers))  # workers start at first use
        # A run whose document (after its patches) and replicate an earlier run of the study
        # already had takes that run's results (question 3's S-400 is question 2's
        # baseline): the same document and seeds give the same measures.
        first_of: dict[tuple[str, StudyReplicate], Path] = {}
        for run in runs:
            if on_run is not None:
                on_run(run)
            looks_dir = None
            if run.question.exposure is not None:
                looks_dir = str((folder / run.question.name / LOOKS_DIR).resolve())
            replicate = StudyReplicate(
                looks_dir,
                sightings_only=looks_dir is None and only_sightings(run.question.measures),
            )
            key = (document_hash(run.document), replicate)
            if key in first_of:
                share_results(first_of[key], run.folder)
            first_of.setdefault(key, run.folder)
            summary = run_campaign(
                run.document,
                key[0],
                runs_per_variant,
                study.seed,
                out_dir=run.folder,
                workers=workers,
                scheduler=scheduler,
                replicate=replicate,
                progress=progress,
                pool=pool,
            )
            total += summary.n_total
            done += summary.n_already_done
            ran += summary.n_ran
            failed += summary.n_failed
    return StudySummary(folder, len(runs), total, done, ran, failed, time.perf_counter() - started)


def _manifest(loaded: LoadedStudy, runs: list[StudyRun], replications: int) -> dict[str, Any]:
    study = loaded.study
    return {
        "format": "iadsim-study/1",
        "iadsim_version": iadsim.__version__,
        "name": study.name,
        "description": study.description,
        "study_file": str(loaded.file),
        "scenario": study.scenario,
        "scenario_hash": loaded.scenario_hash,
        "seed": study.seed,
        "replications": replications,
        "seeding": "common-random-numbers",
        "questions": [
            {
                "name": question.name,
                "title": question.title,
                "scenario": _relative(loaded.base(question).file, loaded.file),
                "scenario_hash": loaded.base(question).sha256,
                "baseline": question.baseline,
                "measures": list(question.measures),
                "exposure": None if question.exposure is None else question.exposure.model_dump(),
                "runs": [
                    {
                        "condition": run.condition_name,
                        "variant": run.variant.name,
                        "description": run.variant.description,
                        "condition_description": (
                            "" if run.condition is None else run.condition.description
                        ),
                        "folder": str(run.folder.relative_to(run.folder.parents[1])),
                        "document_hash": document_hash(run.document),
                        "looks_key": point_key(run.document),
                    }
                    for run in runs
                    if run.question is question
                ],
            }
            for question in study.questions
        ],
    }


def _relative(path: Path, study_file: Path) -> str:
    """``path`` relative to the study file's folder (as the file would name it)."""
    try:
        return os.path.relpath(path, study_file.resolve().parent)
    except ValueError:  # another drive
        return str(path)
