"""One short run of the bundled S-400 scenario, written as a run folder, for the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from iadsim.runs import run_to_folder
from iadsim.scenario.loader import load_document, validate_document

ROOT = Path(__file__).resolve().parents[2]
SHORT_RUN_MIN = 10.0
"""Scenario minutes: long enough for launches, a kill and a miss (near 212 s to 382 s)."""


@pytest.fixture(scope="session")
def short_run(tmp_path_factory) -> Path:
    """The bundled S-400 scenario cut to :data:`SHORT_RUN_MIN`, as a run folder."""
    document = load_document(ROOT / "scenarios" / "turkey-s400-ankara.yaml")
    document["duration_min"] = SHORT_RUN_MIN
    scenario, catalog = validate_document(document, "turkey-s400-ankara.yaml")
    folder = tmp_path_factory.mktemp("export") / "run"
    run_to_folder(scenario, catalog, folder, draw_map=False, record_looks=False)
    return folder
