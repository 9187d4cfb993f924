"""Execution of campaign replications: in this process, on a process pool, on Dask.

Each backend takes a list of :class:`Task` (point, replication, seed) and calls
``on_row(row)`` in the campaign process for every finished replication, in completion
order; the row is a dict ``point, replication, seed, status, attempts, error, measures``.
:func:`attempt` is the unit of work shipped to workers: it resolves the replicate by name
there, retries a replication that raises, and never raises itself for a replication's error.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import importlib
import multiprocessing
import os
import re
import socket
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

from iadsim.campaigns.store import FIXED_COLUMNS, SWEEP_PREFIX, CampaignError

__all__ = [
    "ReplicateFn",
    "RowSink",
    "SharedPool",
    "Task",
    "attempt",
    "connect_dask",
    "exit_with_parent",
    "resolve_replicate",
    "run_dask",
    "run_in_process",
    "run_pool",
]

ReplicateFn = Callable[[dict[str, Any], int], Mapping[str, Any]]
RowSink = Callable[[dict[str, Any]], None]
_ERROR_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Task:
    """One replication to run: sweep point index, replication index and its seed."""

    point: int
    replication: int
    seed: int


def resolve_replicate(replicate: str | ReplicateFn) -> ReplicateFn:
    """Return the replicate function named ``"package.module.function"`` (or ``module:fn``)."""
    if callable(replicate):
        return replicate
    module_name, sep, attribute = replicate.partition(":")
    if not sep:
        module_name, _, attribute = replicate.rpartition(".")
    if not module_name or not attribute:
        raise CampaignError(f"replicate {replicate!r} must be a dotted name module.function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise CampaignError(
            f"cannot import the module of replicate {replicate!r}: {error}"
        ) from error
    function = getattr(module, attribute, None)
    if not callable(function):
        raise CampaignError(f"module {module_name!r} has no function {attribute!r}")
    return function


def attempt(
    replicate: str | ReplicateFn, doc: dict[str, Any], task: Task, retries: int
) -> dict[str, Any]:
    """Run one replication with retries; never raises for an error of the replication.

    Module level so that worker processes and Dask workers can unpickle it.
    """
    row: dict[str, Any] = {
        "point": task.point,
        "replication": task.replication,
        "seed": task.seed,
    }
    error_text = ""
    for number in range(1, retries + 2):
        try:
            function = resolve_replicate(replicate)
            # A fresh copy each time: a replicate may edit its input, and Dask workers and
            # the in-process loop hand the same point document to many replications.
            measures = _check_measures(function(copy.deepcopy(doc), task.seed))
        except Exception as error:  # any failure of a replication is recorded
            error_text = "".join(traceback.format_exception(error))[-_ERROR_TEXT_LIMIT:]
            continue
        return {**row, "status": "ok", "attempts": number, "error": None, "measures": measures}
    return {**row, "status": "failed", "attempts": retries + 1, "error": error_text, "measures": {}}


def _check_measures(measures: Any) -> dict[str, bool | int | float | None]:
    if not isinstance(measures, Mapping):
        raise TypeError(f"replicate returned {type(measures).__name__}, expected a dict")
    checked: dict[str, bool | int | float | None] = {}
    for name, value in measures.items():
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(name, str) or not isinstance(value, (bool, int, float, type(None))):
            raise TypeError(f"measure {name!r} = {value!r} is not a number")
        if name in FIXED_COLUMNS or name.startswith(SWEEP_PREFIX):
            raise ValueError(f"measure name {name!r} is reserved for a campaign column")
        checked[name] = value
    return checked


THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)
"""Thread-pool sizes a worker process inherits: one each, so that ``workers`` processes share
the cores instead of each starting a pool per core (oversubscription)."""


@contextlib.contextmanager
def one_thread_per_worker() -> Iterator[None]:
    """Set :data:`THREAD_VARIABLES` to 1 while worker processes are started."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def exit_with_parent(parent_pid: int) -> None:
    """Pool initializer: end this worker when the campaign process dies (even by SIGKILL).

    Linux delivers SIGKILL to the worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere a daemon thread polls for the parent. Without this, a killed campaign leaves
    its workers running.
    """
    import ctypes
    import ctypes.util
    import signal
    import threading
    import time

    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        armed = libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError, TypeError):
        armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="iadsim-parent-watch", daemon=True).start()


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A spawn-started pool whose workers end with this process."""
    return cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


class SharedPool:
    """A process pool that outlives one :func:`run_pool` call, e.g. across the campaigns of a
    study, so that its workers import the package and load the compiled kernels once.

    Use as a context manager (the pool is shut down at the end); it starts lazily, and
    :func:`run_pool` replaces a pool a dead worker broke.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: cf.ProcessPoolExecutor | None = None

    @property
    def executor(self) -> cf.ProcessPoolExecutor:
        """The live pool (started on first use)."""
        if self._executor is None:
            self._executor = _new_pool(self.workers)
        return self._executor

    def replace(self) -> cf.ProcessPoolExecutor:
        """Drop the current pool without waiting (it is broken) and start a new one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = _new_pool(self.workers)
        return self._executor

    def close(self) -> None:
        """Shut the pool down, waiting for its workers."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> SharedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_pool(
    workers: int,
    replicate: str | ReplicateFn,
    point_docs: list[dict[str, Any]],
    tasks: list[Task],
    retries: int,
    on_row: RowSink,
    pool: SharedPool | None = None,
) -> None:
    """Run tasks on a spawn-started process pool, at most ``4 * workers`` in flight.

    A worker that dies (segfault, out of memory, ``os._exit``) breaks the pool and takes
    every task in flight with it. Those tasks become suspects and run again one at a time
    on a new pool, so that the one that kills its worker is found; it is recorded as failed
    after ``retries + 1`` crashes on its own, and the others are not charged.

    With ``pool`` the tasks run on that pool (``workers`` is then its size) and it is left
    running for the caller's next call; without, a pool is started and shut down here.
    """
    queue = list(reversed(tasks))
    suspects: list[Task] = []
    crashes: dict[Task, int] = {}
    own = pool is None
    shared = SharedPool(workers) if pool is None else pool
    window = 4 * shared.workers
    executor = shared.executor
    pending: dict[cf.Future[dict[str, Any]], Task] = {}
    try:
        while queue or suspects or pending:
            # Suspects run alone; otherwise keep the window full.
            source, limit = (suspects, 1) if suspects else (queue, window)
            lost: list[Task] = []
            while source and len(pending) < limit:
                task = source.pop()
                try:
                    future = executor.submit(
                        attempt, replicate, point_docs[task.point], task, retries
                    )
                except BrokenProcessPool:  # broke since the last wait: task never ran
                    source.append(task)
                    lost.append(task)
                    break
                pending[future] = task
            if not lost:
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    try:
                        row = future.result()
                    except BrokenProcessPool:
                        lost.append(task)
                        continue
                    on_row(row)
            if not lost:
                continue
            in_flight = [task for task in lost if task not in source] + list(pending.values())
            pending.clear()
            if len(in_flight) == 1:  # it ran alone, so it is the one that killed its worker
                task = in_flight[0]
                crashes[task] = crashes.get(task, 0) + 1
                if crashes[task] > retries:
                    on_row(_crash_row(task, crashes[task]))
                else:
                    suspects.append(task)
            else:
                suspects.extend(in_flight)
            executor = shared.replace()
    finally:
        if own:
            shared.close()
        elif pending:  # interrupted: what is still queued must not run for the next caller
            for future in pending:
                future.cancel()


def _crash_row(task: Task, crashes: int) -> dict[str, Any]:
    return {
        "point": task.point,
        "replication": task.replication,
        "seed": task.seed,
        "status": "failed",
        "attempts": crashes,
        "error": f"worker process died {crashes} times while this replication was running",
        "measures": {},
    }


def connect_dask(address: str, timeout_s: float = 10.0) -> Any:
    """Connect to the Dask scheduler at ``address``, failing fast with the real cause.

    The address is checked first (``tcp://host:port``, ``tls://host:port`` or
    ``host:port``), then a plain TCP connection is tried, so a wrong host or a closed port
    is reported at once ("Connection refused") instead of after Dask's connect timeout.

    Returns
    -------
    distributed.Client
        Not the process-wide default client: a campaign leaves no global state behind.

    Raises
    ------
    CampaignError
        On a malformed address or when the scheduler cannot be reached.
    """
    try:
        import distributed
    except ImportError as error:  # pragma: no cover - dask is a dependency
        raise CampaignError("--scheduler needs the 'distributed' package") from error
    match = _SCHEDULER_ADDRESS.fullmatch(address.strip())
    if match is None:
        raise CampaignError(
            f"--scheduler {address!r} is not a Dask scheduler address; "
            "expected tcp://HOST:PORT, tls://HOST:PORT or HOST:PORT"
        )
    host, port = match["host"].strip("[]"), int(match["port"])
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
        return distributed.Client(address, timeout=f"{timeout_s}s", set_as_default=False)
    except OSError as error:
        cause = error.strerror or str(error) or type(error).__name__
        raise CampaignError(f"cannot reach the Dask scheduler at {address}: {cause}") from None


_SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[\w.-]+):(?P<port>\d{1,5})"
)
"""Scheme (optional), host name, IPv4 or bracketed IPv6 address, and port."""


def run_dask(
    client: Any,
    replicate: str | ReplicateFn,
    point_docs: list[dict[str, Any]],
    tasks: list[Task],
    retries: int,
    on_row: RowSink,
) -> None:
    """Run tasks on a connected Dask client, keeping about 4 tasks per thread in flight."""
    import distributed

    if not tasks:
        return
    if isinstance(replicate, str):
        problems = {
            worker: message
            for worker, message in client.run(_import_problem, replicate).items()
            if message
        }
        if problems:
            raise CampaignError(f"Dask workers cannot load the replicate: {problems}")
    doc_futures = client.scatter(point_docs, broadcast=False)
    window = max(16, 4 * sum(client.nthreads().values()))
    queue = list(reversed(tasks))
    in_flight: dict[Any, Task] = {}

    def submit_next() -> Any:
        task = queue.pop()
        future = client.submit(
            attempt, replicate, doc_futures[task.point], task, retries, pure=False
        )
        in_flight[future.key] = task
        return future

    first = [submit_next() for _ in range(min(window, len(queue)))]
    # Our client's loop: without it as_completed looks for a process-wide default client.
    futures = distributed.as_completed(first, loop=client.loop)
    for future in futures:
        task = in_flight.pop(future.key)
        try:
            row = future.result()
        except distributed.KilledWorker as error:
            row = {**_crash_row(task, retries + 1), "error": f"KilledWorker: {error}"}
        on_row(row)
        if queue:
            futures.add(submit_next())


def _import_problem(replicate: str) -> str:
    """Run on each Dask worker: empty if the replicate imports there, else the error."""
    try:
        resolve_replicate(replicate)
    except CampaignError as error:
        return str(error)
    return ""


def run_in_process(
    replicate: str | ReplicateFn,
    point_docs: list[dict[str, Any]],
    tasks: list[Task],
    retries: int,
    on_row: RowSink,
) -> None:
    """Run tasks one after the other in this process (``workers=1``)."""
    function = resolve_replicate(replicate)
    for task in tasks:
        on_row(attempt(function, point_docs[task.point], task, retries))
