"""The registry: models by stable name, helpful errors, one registration per name."""

from __future__ import annotations

from pathlib import Path

import pytest

from iadsim.core.errors import InputError
from iadsim.core.registry import TRACKERS, Registry, UnknownModelError
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation

MINIMAL = Path(__file__).parents[1] / "data" / "scenarios" / "minimal.yaml"


def test_builtins_resolve_lazily_and_by_name():
    registry = Registry("thing", {"dict": "builtins:dict"})
    assert registry.names() == ("dict",)
    assert registry.get("dict") is dict


def test_unknown_name_lists_the_known_ones_and_suggests_the_closest():
    with pytest.raises(UnknownModelError, match="did you mean 'jpda'"):
        TRACKERS.get("jpdaa")


def test_a_name_cannot_be_registered_twice():
    registry = Registry("thing")
    registry.register("a", dict)
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a", list)


def test_a_scenario_picks_its_tracker_by_name_and_runs_with_it():
    document = load_document(MINIMAL)
    document["tracker"] = "jpda"
    scenario, catalog = validate_document(document, "minimal.yaml")
    result = run_simulation(scenario, catalog)
    pictures = result.simulation.units
    assert pictures and all(type(u.picture.tracker).__name__ == "JpdaTracker" for u in pictures)


def test_an_unknown_tracker_is_a_field_error_with_a_suggestion():
    document = load_document(MINIMAL)
    document["tracker"] = "jpdaa"
    with pytest.raises(InputError) as caught:
        validate_document(document, "minimal.yaml")
    (issue,) = caught.value.issues
    assert issue.field_path == "tracker"
    assert "did you mean 'jpda'" in issue.message
