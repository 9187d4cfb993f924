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
