"""A mutation fuzzer over the bundled scenarios: ``iadsim validate`` never fails badly.

Every case (:mod:`tests.scenario.scenario_mutations`: a bundled scenario with one to three
mutations of its bytes or of its values and catalog overrides, fixed seed) must give exit
code 0 or 2 from ``iadsim validate``, never a traceback, and a message naming the file when
it is refused. Every accepted case is then run for a few simulated minutes in-process and
must finish without an exception, with a summary that is strict JSON (no NaN or infinity)
and finite numbers in its events (NaN only as the place of an event that has none) and
tracks.

Timing is measured, not asserted: the slowest ``validate`` is reported (run pytest with
``-rP`` to see it), and only a hang is a failure (a case over
:data:`HANG_CEILING_S`, far above the 2 s the loader is meant to take). Replay a failing
case with ``scenario_mutations.mutant(SEED, index)``.
"""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from tests.scenario.scenario_mutations import Mutant, mutant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation

SEED = 20260601
HANG_CEILING_S = 10.0
"""A ``validate`` slower than this is a hang (the loader's budget is 2 s; cases take ms)."""
RUN_MINUTES = 2.0
"""Simulated minutes each accepted case is run for."""
PLACE_COLUMNS = ("lat_deg", "lon_deg", "alt_m")
"""Event columns that are NaN for an event that has no place (an engagement order)."""


@dataclass
class FuzzReport:
    """What a fuzzing session saw."""

    exit_codes: Counter = field(default_factory=Counter)
    operators: Counter = field(default_factory=Counter)
    slowest_s: float = 0.0
    slowest_case: str = ""
    runs: int = 0
    cases: int = 0

    def line(self) -> str:
        """One line for the test log."""
        return (
            f"{self.cases} cases, exit codes {dict(self.exit_codes)}, {self.runs} runs; "
            f"slowest validate {self.slowest_s * 1000:.0f} ms ({self.slowest_case})"
        )


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``TimeoutError`` in the block after ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):  # noqa: ARG001 (the signal handler's signature)
        raise TimeoutError(f"over {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def validate_case(case: Mutant, index: int, path: Path, report: FuzzReport) -> int:
    """Run ``iadsim validate`` on one case; check the outcome; return the exit code."""
    path.write_bytes(case.data)
    label = f"case {index} ({case.describe()})"
    started = time.perf_counter()
    with deadline(HANG_CEILING_S):
        result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    elapsed_s = time.perf_counter() - started
    report.cases += 1
    report.exit_codes[result.exit_code] += 1
    report.operators.update(op.split(" ")[0] for op in case.operators)
    if elapsed_s > report.slowest_s:
        report.slowest_s, report.slowest_case = elapsed_s, label
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{label}: {result.exception!r}") from result.exception
    assert result.exit_code in (0, 2), f"{label}: {result.output}"
    assert "Traceback" not in result.output, label
    if result.exit_code == 2:
        assert str(path) in result.output, f"{label}: {result.output}"
    return result.exit_code


def run_case(path: Path, label: str) -> None:
    """Run an accepted case for :data:`RUN_MINUTES`; check its outputs are finite."""
    document = load_document(path)
    document["duration_min"] = min(document["duration_min"], RUN_MINUTES)
    scenario, catalog = validate_document(document, str(path))
    result = run_simulation(scenario, catalog)
    json.dumps(result.summary, allow_nan=False)  # ValueError on NaN or infinity
    for name, table in (("events", result.events), ("tracks", result.tracks)):
        for column in table.column_names:
            if pa.types.is_floating(table.schema.field(column).type):
                values = table[column].to_numpy(zero_copy_only=False)
                if name == "events" and column in PLACE_COLUMNS:
                    values = values[~np.isnan(values)]  # an event without a place
                assert np.isfinite(values).all(), f"{label}: {name}.{column} is not finite"


def fuzz(indices: range, max_runs: int, budget_s: float, tmp_path: Path) -> FuzzReport:
    """Validate cases ``indices`` (and run up to ``max_runs`` accepted ones) within a budget."""
    report = FuzzReport()
    started = time.perf_counter()
    for index in indices:
        if time.perf_counter() - started > budget_s:
            break
        case = mutant(SEED, index)
        path = tmp_path / f"case-{index}.yaml"
        code = validate_case(case, index, path, report)
        if code == 0 and report.runs < max_runs:
            run_case(path, f"case {index} ({case.describe()})")
            report.runs += 1
        path.unlink()
    return report


def test_fuzzed_scenarios_validate_cleanly(tmp_path, record_property):
    report = fuzz(range(150), max_runs=6, budget_s=40.0, tmp_path=tmp_path)
    record_property("fuzz", report.line())
    print(report.line())
    assert report.cases >= 50, "the fuzzer ran too few cases to mean anything"
    assert report.exit_codes[0] > 0 and report.exit_codes[2] > 0


@pytest.mark.slow
def test_fuzzed_scenarios_validate_cleanly_and_accepted_ones_run(tmp_path, record_property):
    report = fuzz(range(150, 1150), max_runs=60, budget_s=120.0, tmp_path=tmp_path)
    record_property("fuzz", report.line())
    print(report.line())
    print("operators:", dict(report.operators))
    assert report.cases >= 200, "the fuzzer ran too few cases to mean anything"
    assert report.runs >= 10, "too few accepted cases were run"
