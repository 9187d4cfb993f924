"""Shared fixtures: the bundled scenarios and their end-to-end runs (run once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BUNDLED = ("turkey-s400-ankara", "turkey-patriot-ankara", "turkey-s400-ankara-corridor")


@pytest.fixture(scope="session")
def bundled_runs(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Each bundled scenario run once through ``iadsim run``: name -> (run folder, output)."""
    runner = CliRunner()
    runs = {}
    for name in BUNDLED:
        out = tmp_path_factory.mktemp("runs") / name
        result = runner.invoke(app, ["run", str(SCENARIOS / f"{name}.yaml"), "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs[name] = (out, result.output)
    return runs


SHORT_RUN_MIN = 10.0
"""Scenario minutes: long enough for launches, a kill and a miss (near 212 s to 382 s)."""


@pytest.fixture(scope="session")
def short_run(tmp_path_factory) -> Path:
    """The bundled S-400 scenario cut to :data:`SHORT_RUN_MIN`, as a run folder (the
    export and report tests: launches, flown interceptor paths, a kill and a miss)."""
    from iadsim.runs import run_to_folder
    from iadsim.scenario.loader import load_document, validate_document

    document = load_document(SCENARIOS / "turkey-s400-ankara.yaml")
    document["duration_min"] = SHORT_RUN_MIN
    scenario, catalog = validate_document(document, "turkey-s400-ankara.yaml")
    folder = tmp_path_factory.mktemp("export") / "run"
    run_to_folder(scenario, catalog, folder, draw_map=False, record_looks=False)
    return folder
