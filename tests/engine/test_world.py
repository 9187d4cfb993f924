"""The scenario's air entities as one table: a row per aircraft, enumerations as codes."""

from __future__ import annotations

from pathlib import Path

from iadsim.engine.world import build_air_entities
from iadsim.scenario.loader import load_document, validate_document

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def test_a_raid_expands_into_rows_whose_side_and_type_are_codes_into_labels():
    document = load_document(MINIMAL)
    document["air_tracks"][0].update(count=3, spacing_s=5.0)  # raider x3, then the escort
    scenario, catalog = validate_document(document, "a raid of three")
    entities = build_air_entities(scenario, catalog)
    assert entities.name == ["raider-01", "raider-02", "raider-03", "escort"]
    assert len(entities) == 4 and entities.ids.tolist() == [0, 1, 2, 3]
    assert entities.labels["side"] == ["red", "blue"]
    assert entities.side.tolist() == [0, 0, 0, 1]
    assert entities.labels["platform"] == ["kalibr", "f35a"]
    assert entities.label("platform", 3) == "f35a"
    assert entities.labels_of("side") == ["red", "red", "red", "blue"]
    assert entities.terrain_following.tolist() == [True, True, True, False]
    assert entities.routes.start_s.tolist() == [0.0, 5.0, 10.0, 10.0]
