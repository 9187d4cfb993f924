"""A small run, campaign and study folder for the report's tests (once a session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.campaigns import mc_toys
from tests.conftest import ROOT
from typer.testing import CliRunner

from iadsim.campaigns.campaign import run_campaign
from iadsim.cli import app

MINIMAL = ROOT / "tests" / "data" / "scenarios" / "minimal.yaml"
TINY_STUDY = ROOT / "tests" / "data" / "studies" / "tiny.yaml"


@pytest.fixture(scope="session")
def minimal_run(tmp_path_factory) -> Path:
    """``iadsim run`` of the minimal scenario (one battery, a cruise missile, an escort)."""
    out = tmp_path_factory.mktemp("report-runs") / "minimal"
    result = CliRunner().invoke(app, ["run", str(MINIMAL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def small_campaign(tmp_path_factory) -> Path:
    """A toy campaign: 3 sweep points of 12 replications (no simulation: toy replicate)."""
    out = tmp_path_factory.mktemp("report-campaign") / "toy-raid"
    run_campaign(
        {"name": "toy-raid", "description": "Six threats.", "raid": {"count": 6, "pk": 0.5}},
        "h",
        12,
        3,
        out_dir=out,
        sweeps=("raid.pk=0.3,0.6,0.9",),
        replicate=mc_toys.normal_replicate,
        progress=False,
    )
    return out


@pytest.fixture(scope="session")
def minimal_coverage(tmp_path_factory) -> Path:
    """``iadsim coverage`` of the minimal scenario on a coarse grid (one altitude)."""
    out = tmp_path_factory.mktemp("report-coverage") / "minimal"
    result = CliRunner().invoke(
        app,
        ["coverage", str(MINIMAL), "--alt-m", "1000", "--grid", "60", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def small_study(tmp_path_factory) -> Path:
    """``tests/data/studies/tiny.yaml`` at 2 replications: 2 variants of the minimal
    scenario, one question with exposure (its aspect plots), common random numbers."""
    from iadsim.studies.runner import run_study
    from iadsim.studies.schema import load_study

    out = tmp_path_factory.mktemp("report-study") / "tiny"
    summary = run_study(load_study(TINY_STUDY), out, replications=2, progress=False)
    assert (summary.n_ran, summary.n_failed) == (4, 0)
    return out
