"""The bundled SEAD scenario and its study (issue 16, point 7): valid, and what they hold."""

from __future__ import annotations

import json
import math
from pathlib import Path

from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.scenario.loader import load_scenario, validate_document
from iadsim.scoring.measures import find_measure
from iadsim.scoring.replication import run_simulation
from iadsim.studies.replicate import STUDY_MEASURES
from iadsim.studies.schema import load_study, variant_document

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "kaliningrad-sead.yaml"
STUDY = ROOT / "studies" / "kaliningrad-sead.yaml"


def test_the_sead_scenario_validates_from_the_command_line():
    result = CliRunner().invoke(app, ["validate", str(SCENARIO)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output


def test_the_package_has_shooters_missiles_decoys_a_jammer_and_receivers():
    scenario, catalog = load_scenario(SCENARIO)
    categories = {}
    for track in scenario.air_tracks:
        category = catalog.air_platforms[track.type].category
        categories[category] = categories.get(category, 0) + track.count
    assert categories == {"decoy": 12, "fighter": 5, "anti_radiation_missile": 10, "support": 1}
    targets = {t.target_radar for t in scenario.air_tracks if t.target_radar}
    s400 = {f"s400-gvardeysk/s400/{r}" for r in ("91n6e", "92n6e", "96l6e")}
    assert targets == s400 | {"pantsir-gvardeysk/pantsir/1rs2-1e"}
    # an EA-18G carries the ALQ-99 and aims it at the S-400 post
    (jammer,) = scenario.jammers
    carrier = next(t for t in scenario.air_tracks if t.name == jammer.on)
    assert (carrier.type, jammer.type, jammer.aim_at) == (
        "ea18g",
        "ea18g/alq99",
        ["s400-gvardeysk"],
    )
    assert [r.kind for r in scenario.passive_receivers] == ["rwr", "elint"]


def test_every_variant_of_the_study_is_a_valid_scenario_and_its_measures_are_declared():
    loaded = load_study(STUDY)
    (question,) = loaded.study.questions
    runs = question.runs()
    assert len(runs) == 15  # 3 emission-control conditions x 5 package variants
    for condition, variant in runs:
        doc = variant_document(loaded.scenario_doc, condition, variant)
        scenario, _ = validate_document(
            doc, f"{condition.name if condition else ''}/{variant.name}"
        )
        if variant.name == "mald-j":
            # the MALD-Js carry their stand-in jammers, and the Growler keeps its own
            mald = next(track for track in scenario.air_tracks if track.name == "mald")
            assert mald.type == "adm160c"
            assert {(j.type, j.on) for j in scenario.jammers} == {
                ("ea18g/alq99", "growler"),
                ("adm160c/jammer", "mald"),
            }
    for measure in question.measures:
        assert find_measure(STUDY_MEASURES, measure) is not None, measure


def test_a_pantsir_defends_the_s400_radars():
    scenario, catalog = load_scenario(SCENARIO)
    units = {unit.name: unit for unit in scenario.fire_units}
    pantsir, s400 = units["pantsir-gvardeysk"], units["s400-gvardeysk"]
    assert pantsir.command_post == "pantsir/combat_vehicle"
    assert {r.type for r in pantsir.radars} == {"pantsir/1rs1-1e", "pantsir/1rs2-1e"}
    # within a few km of the radars it defends (haversine on a 6,371 km sphere), well
    # inside its missile's 20 km reach
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        (
            pantsir.position.lat_deg,
            pantsir.position.lon_deg,
            s400.position.lat_deg,
            s400.position.lon_deg,
        ),
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    gap_m = 2 * 6_371_000.0 * math.asin(math.sqrt(h))
    assert 500.0 < gap_m < 0.25 * catalog.interceptors["pantsir/57e6"].max_range_m


def test_in_a_run_the_growler_jams_every_s400_radar_and_the_pantsir_fires():
    """One replication (about 5 s of CPU): the ALQ-99 is strong enough at its stand-off
    range for each S-400 radar to strobe it (J/N >= 13 dB), and the Pantsir engages."""
    scenario, catalog = load_scenario(SCENARIO)
    result = run_simulation(scenario, catalog, None, None, False)
    rows = result.events.select(["kind", "detail"]).to_pylist()
    strobed = {json.loads(r["detail"])["radar"] for r in rows if r["kind"] == "jammer_strobe"}
    assert strobed >= {f"s400-gvardeysk/s400/{r}" for r in ("91n6e", "92n6e", "96l6e")}
    assert result.summary["interceptors_fired"].get("pantsir/57e6", 0) >= 1
    sead = result.summary["sead"]
    assert sead["arms"]["fired"] == 10
    assert sead["decoys"]["flown"] == 12
