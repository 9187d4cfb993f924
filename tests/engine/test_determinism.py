"""Same scenario and seed give byte-identical outputs; another seed gives different ones."""

from __future__ import annotations

import hashlib

import pytest
from tests.conftest import SCENARIOS

from iadsim.runs import run_to_folder
from iadsim.scenario.loader import load_document, validate_document


@pytest.fixture(scope="module")
def short_scenario():
    """The bundled S-400 scenario cut to its first 8 minutes (the first engagements)."""
    document = load_document(SCENARIOS / "turkey-s400-ankara.yaml")
    document["duration_min"] = 8
    return validate_document(document, "turkey-s400-ankara.yaml (8 min)")


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_identical_event_files(short_scenario, tmp_path):
    scenario, catalog = short_scenario
    run_to_folder(scenario, catalog, tmp_path / "a", seed=7, draw_map=False)
    run_to_folder(scenario, catalog, tmp_path / "b", seed=7, draw_map=False)
    run_to_folder(scenario, catalog, tmp_path / "c", seed=8, draw_map=False)
    for name in ("events.parquet", "tracks.parquet", "summary.json"):
        assert _digest(tmp_path / "a" / name) == _digest(tmp_path / "b" / name)
    assert _digest(tmp_path / "a" / "events.parquet") != _digest(tmp_path / "c" / "events.parquet")
