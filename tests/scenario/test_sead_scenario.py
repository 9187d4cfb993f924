"""The bundled SEAD scenario and its study (issue 16, point 7): valid, and what they hold."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.scenario.loader import load_scenario, validate_document
from iadsim.scoring.measures import find_measure
from iadsim.studies.replicate import STUDY_MEASURES
from iadsim.studies.schema import load_study, variant_document

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "kaliningrad-sead.yaml"
STUDY = ROOT / "studies" / "kaliningrad-sead.yaml"


def test_the_sead_scenario_validates_from_the_command_line():
    result = CliRunner().invoke(app, ["validate", str(SCENARIO)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output


def test_the_package_has_shooters_missiles_decoys_and_receivers():
    scenario, catalog = load_scenario(SCENARIO)
    categories = {}
    for track in scenario.air_tracks:
        category = catalog.air_platforms[track.type].category
        categories[category] = categories.get(category, 0) + track.count
    assert categories == {"decoy": 12, "fighter": 4, "anti_radiation_missile": 8}
    targets = {t.target_radar for t in scenario.air_tracks if t.target_radar}
    assert targets == {f"s400-gvardeysk/s400/{r}" for r in ("91n6e", "92n6e", "96l6e")}
    assert [r.kind for r in scenario.passive_receivers] == ["rwr", "elint"]


def test_every_variant_of_the_study_is_a_valid_scenario_and_its_measures_are_declared():
    loaded = load_study(STUDY)
    (question,) = loaded.study.questions
    runs = question.runs()
    assert len(runs) == 9  # 3 emission-control conditions x 3 package variants
    for condition, variant in runs:
        doc = variant_document(loaded.scenario_doc, condition, variant)
        validate_document(doc, f"{condition.name if condition else ''}/{variant.name}")
    for measure in question.measures:
        assert find_measure(STUDY_MEASURES, measure) is not None, measure
