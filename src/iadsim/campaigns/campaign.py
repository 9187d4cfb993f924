"""Monte Carlo campaigns: many replications of a scenario, over sweep points, on any workers.

A campaign runs ``runs`` replications of a scenario at each sweep point (see :mod:`.sweep`
and :mod:`.uncertainty`) with a *replicate* function
``replicate(scenario_doc: dict, seed: int) -> dict[str, float | int]`` that returns a flat
dict of measures of effectiveness, and declares what each measure is (kind, unit, meaning)
with :func:`iadsim.scoring.measures.declare_measures`. The results stream into a Parquet dataset
``out_dir/results/part-*.parquet`` (one row per point and replication) next to
``out_dir/manifest.json``; see :mod:`.store` for the layout and the guarantees.

Seeds. Replication ``k`` gets the integer seed drawn from
``numpy.random.SeedSequence(seed, spawn_key=(k,))`` (the ``k``-th child of
``SeedSequence(seed).spawn``), the same at every sweep point: common random numbers, so
that differences between sweep points are not blurred by different random draws (Law,
*Simulation Modeling and Analysis*, 5th ed., 2015, sec. 11.2). With
``common_random_numbers=False`` the key is ``(p, k)`` instead, independent across points.
Either way the seed of a row depends only on ``(seed, p, k)``, never on the number of
workers or the order of completion, so results are identical for any number of workers.

Workers. ``workers=1`` runs in this process; ``workers>1`` uses a
``ProcessPoolExecutor`` with the ``spawn`` start method; ``scheduler="tcp://host:8786"``
submits to an existing Dask distributed cluster (or pass a ``distributed.Client``).
A replication that raises is retried ``retries`` times with the same seed and, if it still
fails, recorded with ``status="failed"`` and its error, and the campaign goes on.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import iadsim
from iadsim.campaigns.store import (
    CampaignError,
    PartWriter,
    campaign_lock,
    completed_keys,
    load_results,
    prepare_manifest,
    scenario_doc_hash,
    write_json_atomic,
)
from iadsim.campaigns.sweep import SweepAxis, SweepError, apply_point, grid_points, parse_sweep
from iadsim.campaigns.uncertainty import latin_hypercube_points
from iadsim.campaigns.workers import (
    ReplicateFn,
    SharedPool,
    Task,
    connect_dask,
    one_thread_per_worker,
    resolve_replicate,
    run_dask,
    run_in_process,
    run_pool,
)
from iadsim.scoring.measures import Measure, declared_measures

__all__ = [
    "DEFAULT_REPLICATE",
    "CampaignError",
    "CampaignSummary",
    "build_points",
    "load_results",
    "replication_seed",
    "resolve_replicate",
    "run_campaign",
    "scenario_doc_hash",
]

DEFAULT_REPLICATE = "iadsim.scoring.replication.replicate"
"""Dotted name of the engine's replicate function, used when none is given."""

# Spawn key of the Latin hypercube design: three words long, so it can never equal the
# one- or two-word key of a replication.
_UNCERTAINTY_SPAWN_KEY = (0x4C485300, 0, 0)


@dataclass(frozen=True)
class CampaignSummary:
    """What :func:`run_campaign` did.

    Attributes
    ----------
    out_dir : Path
        The campaign folder.
    n_points, runs : int
        Sweep points and replications per point; ``n_total = n_points * runs``.
    n_already_done : int
        Replications found in the folder and not run again (resume).
    n_ran, n_failed : int
        Replications run by this call, and how many of them were recorded as failed.
    elapsed_s : float
        Wall time of this call, in seconds.
    """

    out_dir: Path
    n_points: int
    runs: int
    n_total: int
    n_already_done: int
    n_ran: int
    n_failed: int
    elapsed_s: float

    @property
    def replications_per_s(self) -> float:
        """Replications run by this call per second of wall time."""
        return self.n_ran / self.elapsed_s if self.elapsed_s > 0 else float("nan")

    def describe(self) -> str:
        """One line for the command line, e.g. after ``iadsim mc``."""
        resumed = f" ({self.n_already_done} already done)" if self.n_already_done else ""
        return (
            f"{self.n_ran} of {self.n_total} replications run{resumed} over {self.n_points} "
            f"sweep point(s), {self.n_failed} failed, {self.elapsed_s:.1f} s "
            f"({self.replications_per_s:.2f}/s); results in {self.out_dir}"
        )


def replication_seed(
    seed: int, point: int, replication: int, *, common_random_numbers: bool = True
) -> int:
    """Integer seed of replication ``replication`` at sweep point ``point``.

    Parameters
    ----------
    seed : int
        Campaign seed (non-negative).
    point, replication : int
        Sweep point index ``p`` and replication index ``k``.
    common_random_numbers : bool
        If True the seed depends on ``k`` only (same draws at every point).

    Returns
    -------
    int
        A 63-bit non-negative integer, the first 64-bit word of
        ``SeedSequence(seed, spawn_key=(k,) or (p, k)).generate_state`` shifted right by 1
        so that it fits a signed 64-bit Parquet column.
    """
    key = (replication,) if common_random_numbers else (point, replication)
    state = np.random.SeedSequence(seed, spawn_key=key).generate_state(1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))


def build_points(
    scenario_doc: Mapping[str, Any],
    sweeps: Sequence[str | SweepAxis] = (),
    *,
    uncertainty_ranges: Mapping[str, Sequence[Any]] | None = None,
    sample_uncertainty: int = 0,
    seed: int = 0,
) -> tuple[list[SweepAxis], list[dict[str, Any]]]:
    """Parse the sweeps and make the list of sweep points, checking every path on the doc.

    The points are the full-factorial grid of ``sweeps`` crossed with ``sample_uncertainty``
    Latin hypercube points over ``uncertainty_ranges`` (grid slowest). The design's seed is
    ``SeedSequence(seed, spawn_key=(0x4C485300, 0, 0))``.

    Returns
    -------
    axes : list of SweepAxis
    points : list of dict
        ``{path: value}`` per point, at least one (``{}`` when nothing is swept).

    Raises
    ------
    SweepError
        On a malformed sweep or a path that does not exist in ``scenario_doc``.
    """
    axes = [parse_sweep(item) if isinstance(item, str) else item for item in sweeps]
    points = grid_points(axes)
    if sample_uncertainty:
        design_seed = np.random.SeedSequence(seed, spawn_key=_UNCERTAINTY_SPAWN_KEY)
        samples = latin_hypercube_points(uncertainty_ranges or {}, sample_uncertainty, design_seed)
        overlap = set(points[0]) & set(samples[0])
        if overlap:
            raise SweepError(f"swept and sampled at once: {', '.join(sorted(overlap))}")
        points = [{**point, **sample} for point in points for sample in samples]
    for point in points:
        apply_point(scenario_doc, point)  # raises SweepError naming a bad path
    return axes, points


def run_campaign(
    scenario_doc: Mapping[str, Any],
    scenario_hash: str | None,
    runs: int,
    seed: int = 0,
    *,
    out_dir: str | Path,
    workers: int = 1,
    in_process: bool | None = None,
    scheduler: str | Any | None = None,
    sweeps: Sequence[str | SweepAxis] = (),
    uncertainty_ranges: Mapping[str, Sequence[Any]] | None = None,
    sample_uncertainty: int = 0,
    replicate: str | ReplicateFn = DEFAULT_REPLICATE,
    check_point: Callable[[dict[str, Any]], None] | None = None,
    progress: bool = True,
    retries: int = 1,
    retry_failed: bool = False,
    common_random_numbers: bool = True,
    flush_rows: int = 64,
    flush_interval_s: float = 5.0,
    looks: bool = False,
    pool: SharedPool | None = None,
) -> CampaignSummary:
    """Run (or resume) a Monte Carlo campaign into ``out_dir``.

    Parameters
    ----------
    scenario_doc : mapping
        The scenario as a plain dict loaded from YAML, before validation.
    scenario_hash : str or None
        Identity of the scenario (e.g. SHA-256 of the file); None hashes ``scenario_doc``.
    runs : int
        Replications per sweep point. Rerunning with a larger ``runs`` extends the campaign.
    seed : int
        Campaign seed, non-negative.
    out_dir : str or Path
        Campaign folder; created if missing. Existing results are kept and only missing
        replications run, provided the manifest matches (else :class:`CampaignError`).
    workers : int
        Local worker processes. Ignored with ``scheduler``.
    in_process : bool, optional
        Run replications in this process rather than in a pool; default: when
        ``workers == 1`` (False forces a one-process pool, e.g. to benchmark it).
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``"tcp://host:8786"``) or a connected client.
    sweeps : sequence of str or SweepAxis
        ``"PATH=V1,V2,..."`` items forming a full-factorial grid.
    uncertainty_ranges : mapping, optional
        ``{"f35a.rcs_scale": (lo, hi) or (lo, hi, "log")}`` for ``sample_uncertainty``.
    sample_uncertainty : int
        Number of Latin hypercube points over ``uncertainty_ranges`` (0: none).
    replicate : str or callable
        Dotted name or function ``(scenario_doc, seed) -> {measure: number}``; with
        workers or a cluster it must be importable there (module level). It declares its
        measures with :func:`iadsim.scoring.measures.declare_measures` (a ``measures``
        attribute holding :class:`~iadsim.scoring.measures.Measure` objects); the
        declarations go into the manifest, and the report takes each measure's kind and
        unit from them. A measure it returns without a declaration is reported as
        ``undeclared`` (a plain mean, with a note), never given a kind guessed from values.
    check_point : callable, optional
        Called with each sweep point's scenario document before anything runs or is
        written; raises :class:`SweepError` for a point the replicate would reject (the
        command line validates each point as a scenario).
    progress : bool
        Show a Rich progress bar with ETA on stderr (only when it is a terminal).
    retries : int
        Further attempts for a replication that raises, with the same seed.
    retry_failed : bool
        Also rerun replications recorded as failed by an earlier run.
    common_random_numbers : bool
        Seed replication ``k`` the same at every point (see the module docstring).
    flush_rows, flush_interval_s : int, float
        A part file is written after this many rows or seconds, whichever comes first;
        what is not yet written when the process is killed is simply run again.
    looks : bool
        Keep every replication's per-look records (the engine's replicate only):
        ``out_dir/looks/<point folder>/seed-<seed>.parquet``, with
        ``out_dir/looks/points.json`` naming each sweep point's folder
        (:class:`iadsim.scoring.replication.ReplicateWithLooks`).
    pool : SharedPool, optional
        Run the replications on this process pool, left running for the caller (e.g. a
        study's campaigns share one, so its workers start once); ``workers`` is then
        ignored. Not with ``scheduler`` or in process.

    Returns
    -------
    CampaignSummary

    Raises
    ------
    SweepError
        A bad sweep path or a point ``check_point`` rejects (before anything runs).
    CampaignError
        A manifest mismatch, a locked folder, or an unusable replicate or scheduler.
    """
    started = time.perf_counter()
    if runs < 1:
        raise CampaignError(f"runs must be at least 1, got {runs}")
    if seed < 0:
        raise CampaignError(f"seed must be non-negative, got {seed}")
    if retries < 0:
        raise CampaignError(f"retries must be non-negative, got {retries}")
    axes, points = build_points(
        scenario_doc,
        sweeps,
        uncertainty_ranges=uncertainty_ranges,
        sample_uncertainty=sample_uncertainty,
        seed=seed,
    )
    point_docs = [apply_point(scenario_doc, point) for point in points]
    if looks:
        replicate = _recording_looks(replicate, Path(out_dir) / "looks")
    if check_point is not None:
        for point, doc in zip(points, point_docs, strict=True):
            try:
                check_point(doc)
            except SweepError as error:
                where = ", ".join(f"{path}={value!r}" for path, value in point.items())
                raise SweepError(f"sweep point {where}: {error}") from None
    replicate_name = _replicate_name(replicate)
    if in_process is None:
        in_process = workers <= 1 and pool is None
    in_process = in_process and scheduler is None
    if not in_process and not isinstance(replicate, str) and "<" in replicate_name:
        raise CampaignError(
            f"replicate {replicate_name} is not a module-level function, so worker "
            "processes cannot import it; pass a dotted name or a module-level function"
        )
    declarations = _declarations(replicate, must_import=scheduler is None)
    out_path = Path(out_dir)
    # The client connects before the folder is made: a wrong address leaves nothing behind.
    with _dask_client(scheduler) as client, campaign_lock(out_path):
        prepare_manifest(
            out_path,
            {
                "scenario_hash": scenario_hash or scenario_doc_hash(scenario_doc),
                "scenario": {
                    "name": _text_or_none(scenario_doc.get("name")),
                    "description": _text_or_none(scenario_doc.get("description")),
                },
                "iadsim_version": iadsim.__version__,
                "seed": seed,
                "runs": runs,
                "seeding": "common-random-numbers" if common_random_numbers else "independent",
                "sweeps": [{"path": axis.path, "values": list(axis.values)} for axis in axes],
                "uncertainty": (
                    {"samples": sample_uncertainty, "ranges": dict(uncertainty_ranges or {})}
                    if sample_uncertainty
                    else None
                ),
                "points": points,
                "replicate": replicate_name,
                "measures": (None if declarations is None else [m.to_json() for m in declarations]),
            },
        )
        if looks:
            _write_looks_index(out_path / "looks", points, point_docs)
        done = completed_keys(out_path, include_failed=not retry_failed)
        todo = [(p, k) for p in range(len(points)) for k in range(runs) if (p, k) not in done]
        n_total = len(points) * runs
        writer = PartWriter(
            out_path, points, flush_rows=flush_rows, flush_interval_s=flush_interval_s
        )
        tasks = [
            Task(p, k, replication_seed(seed, p, k, common_random_numbers=common_random_numbers))
            for p, k in todo
        ]
        with _Progress(progress, n_total, n_total - len(todo)) as bar, _sigterm_as_interrupt():

            def on_row(row: dict[str, Any]) -> None:
                writer.add(row)
                bar.advance(row["status"] != "ok")

            try:
                if client is not None:
                    run_dask(client, replicate, point_docs, tasks, retries, on_row)
                elif in_process:
                    run_in_process(replicate, point_docs, tasks, retries, on_row)
                else:
                    with one_thread_per_worker():
                        run_pool(
                            max(1, workers), replicate, point_docs, tasks, retries, on_row, pool
                        )
            finally:
                writer.flush()
    return CampaignSummary(
        out_dir=out_path,
        n_points=len(points),
        runs=runs,
        n_total=n_total,
        n_already_done=n_total - len(todo),
        n_ran=writer.n_rows,
        n_failed=writer.n_failed,
        elapsed_s=time.perf_counter() - started,
    )


@contextlib.contextmanager
def _dask_client(scheduler: str | Any | None) -> Iterator[Any]:
    """The Dask client to use (None: local), connected here and closed after when given
    an address, used as is when given a connected client."""
    if not isinstance(scheduler, str):
        yield scheduler
        return
    client = connect_dask(scheduler)
    try:
        yield client
    finally:
        client.close()


def _declarations(replicate: str | ReplicateFn, *, must_import: bool) -> tuple[Measure, ...] | None:
    """The replicate's declared measures (None: it declares none).

    Resolving the replicate here also makes a wrong name fail now, not once per
    replication; with a cluster (``must_import`` False) the function may be importable
    on the workers only, and then its declarations are unknown here.
    """
    try:
        function = resolve_replicate(replicate)
    except CampaignError:
        if must_import:
            raise
        return None
    try:
        return declared_measures(function)
    except TypeError as error:
        raise CampaignError(str(error)) from None


def _recording_looks(replicate: str | ReplicateFn, folder: Path) -> ReplicateFn:
    """The engine's replicate, keeping per-look records under ``folder``."""
    if replicate != DEFAULT_REPLICATE:
        raise CampaignError("looks are recorded by the engine's replicate only")
    from iadsim.scoring.replication import ReplicateWithLooks

    return ReplicateWithLooks(str(folder.resolve()))


def _write_looks_index(folder: Path, points: list[dict[str, Any]], docs: list[dict]) -> None:
    """``points.json``: each sweep point, its values and the folder of its looks."""
    from iadsim.scoring.replication import point_key

    folder.mkdir(parents=True, exist_ok=True)
    index = [
        {"point": number, "folder": point_key(doc), "sweep": point}
        for number, (point, doc) in enumerate(zip(points, docs, strict=True))
    ]
    write_json_atomic(folder / "points.json", index)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _replicate_name(replicate: str | ReplicateFn) -> str:
    """``module:function`` form of the replicate, as recorded in the manifest."""
    if isinstance(replicate, str):
        if ":" in replicate:
            return replicate
        module_name, _, attribute = replicate.rpartition(".")
        return f"{module_name}:{attribute}"
    if isinstance(getattr(replicate, "replicate_name", None), str):
        return replicate.replicate_name  # type: ignore[attr-defined]
    return f"{replicate.__module__}:{getattr(replicate, '__qualname__', repr(replicate))}"


class _Progress:
    """Rich progress bar with ETA, or nothing when disabled or stderr is not a terminal."""

    def __init__(self, enabled: bool, total: int, completed: int) -> None:
        self._progress = None
        self._task_id = None
        self._failed = 0
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        if not console.is_terminal:
            return
        self._progress = Progress(
            TextColumn("[bold]replications"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self._task_id = self._progress.add_task("mc", total=total, completed=completed, failed=0)

    def __enter__(self) -> _Progress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, failed: bool) -> None:
        self._failed += failed
        if self._progress is not None and self._task_id is not None:
            self._progress.update(self._task_id, advance=1, failed=self._failed)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so that buffered rows are written before exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
