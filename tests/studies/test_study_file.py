"""Study files: every problem named by file, line and field; exit code 2 from the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

import iadsim.studies.schema as study_schema
from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.studies.schema import load_study, variant_document

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "studies" / "tiny.yaml"


def _variant(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the tiny study with one edit, next to a copy of its scenario; the line
    of the edit's last line."""
    text = TINY.read_text("utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    scenario = ROOT / "tests" / "data" / "scenarios" / "minimal.yaml"
    (tmp_path / "scenarios" / "minimal.yaml").write_text(scenario.read_text("utf-8"))
    (tmp_path / "studies").mkdir(exist_ok=True)
    path = tmp_path / "studies" / "study.yaml"
    path.write_text(edited, "utf-8")
    last_line = new.splitlines()[-1]
    line = edited[: edited.index(new) + new.index(last_line)].count("\n") + 1
    return path, line


CASES = {
    "unknown_key": (
        "replications: 3",
        "replications: 3\nreplicates: 4",
        "replicates",
        "unknown key",
    ),
    "replications_zero": (
        "replications: 3",
        "replications: 0",
        "replications",
        "greater than or equal to 1",
    ),
    "unknown_measure": (
        "measures: [kills,",
        "measures: [kils,",
        "questions[0].measures",
        "unknown measure(s) kils",
    ),
    "baseline_not_a_variant": (
        "baseline: mode5-only",
        "baseline: mode5",
        "questions[0].baseline",
        "baseline 'mode5' is not one of the variants",
    ),
    "bad_patch_path": (
        "patches: {air_tracks.escort.iff_modes: [mode5]}",
        "patches: {air_tracks.escrt.iff_modes: [mode5]}",
        "questions[0].variants[0].patches",
        "no element named 'escrt'",
    ),
    "patch_gives_an_invalid_scenario": (
        "patches: {air_tracks.escort.iff_modes: [mode5, mode3c]}",
        "patches: {air_tracks.escort.iff_modes: [mode7]}",
        "questions[0].variants[1].patches",
        "variant mode5-and-3c is not a valid scenario: air_tracks[1].iff_modes[0]",
    ),
    "misspelt_new_field": (
        "patches: {air_tracks.escort.iff_modes: [mode5]}",
        "patches: {air_tracks.escort.iff_mode: [mode5]}",
        "questions[0].variants[0].patches",
        "air_tracks[1].iff_mode: unknown key",
    ),
    "exposure_bin": (
        "azimuth_bin_deg: 45",
        "azimuth_bin_deg: 50",
        "questions[0].exposure",
        "does not divide 360",
    ),
    "exposure_air_track": (
        "exposure: {platforms: [f35a, kalibr], azimuth_bin_deg: 45}",
        "exposure: {platforms: [f35a], air_tracks: [escrt], azimuth_bin_deg: 45}",
        "questions[0].exposure.air_tracks",
        "no air track 'escrt'",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_study_file_names_file_line_and_field(name, tmp_path):
    old, new, field, message = CASES[name]
    path, line = _variant(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        load_study(path)
    issues = [issue for issue in caught.value.issues if issue.field_path == field]
    assert issues, [(i.field_path, i.message) for i in caught.value.issues]
    assert message in issues[0].message
    assert issues[0].line == line
    result = CliRunner().invoke(app, ["study", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert f"{path}:{line}" in result.output
    assert "Traceback" not in result.output


def test_patches_replace_whole_lists_and_add_fields_the_base_leaves_out():
    loaded = load_study(TINY)
    question = loaded.study.questions[0]
    docs = [variant_document(loaded.scenario_doc, None, v) for v in question.variants]
    escort = [next(t for t in doc["air_tracks"] if t["name"] == "escort") for doc in docs]
    assert [e["iff_modes"] for e in escort] == [["mode5"], ["mode5", "mode3c"]]
    assert "iff_modes" not in next(
        t for t in loaded.scenario_doc["air_tracks"] if t["name"] == "escort"
    )


def test_conditions_cross_the_variants_and_apply_first(tmp_path):
    path, _ = _variant(
        tmp_path,
        "    baseline: mode5-only",
        "    baseline: mode5-only\n    conditions:\n"
        "      - {name: hold, patches: {fire_units.0.weapon_control: hold}}\n"
        "      - {name: tight, patches: {fire_units.battery.weapon_control: tight}}",
    )
    loaded = load_study(path)
    runs = loaded.study.questions[0].runs()
    assert [(c.name, v.name) for c, v in runs] == [
        ("hold", "mode5-only"),
        ("hold", "mode5-and-3c"),
        ("tight", "mode5-only"),
        ("tight", "mode5-and-3c"),
    ]
    doc = variant_document(loaded.scenario_doc, *runs[2])
    assert doc["fire_units"][0]["weapon_control"] == "tight"


def test_the_bundled_study_is_valid():
    loaded = load_study(ROOT / "studies" / "turkey-s400.yaml")
    names = [q.name for q in loaded.study.questions]
    assert names == ["q2-friends-as-enemies", "q4-signature-exposure"]
    assert len(loaded.study.questions[0].runs()) == 12


def test_every_study_field_is_read_somewhere():
    """Nothing accepted and ignored: each field of the study models is read outside them."""
    source = Path(study_schema.__file__).resolve()
    package = source.parent
    text = "\n".join(
        p.read_text("utf-8")
        for p in [*package.glob("*.py"), package.parents[0] / "cli" / "study.py"]
        if p.resolve() != source
    )
    schema_text = source.read_text("utf-8")
    models = [
        value
        for value in vars(study_schema).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == study_schema.__name__
    ]
    unread = [
        (model.__name__, field)
        for model in models
        for field in model.model_fields
        if field != "schema_version"  # the version check is the Literal[1] itself
        and not re.search(rf"\.{field}\b|[\"']{field}[\"']", text)
        and not re.search(rf"\.{field}\b", schema_text.split("def load_study")[1])
    ]
    assert unread == []


def test_a_study_can_be_cut_to_some_questions():
    bundled = ROOT / "studies" / "turkey-s400.yaml"
    loaded = load_study(bundled, ["q4-signature-exposure"])
    assert [q.name for q in loaded.study.questions] == ["q4-signature-exposure"]
    with pytest.raises(InputError, match="no question q9"):
        load_study(bundled, ["q9"])


def test_the_q1_study_is_valid_and_crosses_aircraft_with_the_rcs_conditions():
    loaded = load_study(ROOT / "studies" / "s400-sees-fighters.yaml")
    questions = loaded.study.questions
    assert len(questions) == 6
    for question in questions:
        runs = question.runs()
        assert [(c.name, v.name) for c, v in runs][:2] == [("rcs-low", "f35a"), ("rcs-low", "f16c")]
        assert len(runs) == 6
        doc = variant_document(loaded.scenario_doc, *runs[1])
        assert doc["air_tracks"][0]["type"] == "f16c"
        assert doc["catalog_overrides"] == {
            "f35a": {"rcs_scale": 0.6667},
            "f16c": {"rcs_scale": 0.5},
        }


def test_the_q3_study_puts_the_patriot_battery_in_the_same_scenario():
    loaded = load_study(ROOT / "studies" / "patriot-vs-s400.yaml")
    (question,) = loaded.study.questions
    docs = {v.name: variant_document(loaded.scenario_doc, None, v) for _, v in question.runs()}
    s400, patriot = docs["s400"], docs["patriot"]
    assert [u["name"] for u in patriot["fire_units"]] == ["patriot-murted", "nato-awacs"]
    assert patriot["air_tracks"] == s400["air_tracks"]
    assert patriot["defended_assets"] == s400["defended_assets"]
    import yaml

    text = (ROOT / "scenarios" / "turkey-patriot-ankara.yaml").read_text("utf-8")
    assert patriot["fire_units"] == yaml.safe_load(text)["fire_units"]
