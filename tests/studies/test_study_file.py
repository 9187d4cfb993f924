"""Study files: every problem named by file, line and field; exit code 2 from the CLI."""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import sys
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


def test_the_bundled_study_asks_all_four_questions():
    loaded = load_study(ROOT / "studies" / "turkey-s400.yaml")
    names = [q.name for q in loaded.study.questions]
    q1 = [f"q1-{a}-{h}" for a in ("head-on", "crossing") for h in ("10km", "3km", "300m")]
    assert names == [*q1, "q2-friends-as-enemies", "q3-patriot-vs-s400", "q4-signature-exposure"]
    runs = {q.name: len(q.runs()) for q in loaded.study.questions}
    assert runs["q2-friends-as-enemies"] == 12 and runs["q3-patriot-vs-s400"] == 3
    # Q1 on its own scenario (the radars and one aircraft), the rest on the Ankara day.
    bases = {q.name: loaded.base(q).file.name for q in loaded.study.questions}
    assert {bases[name] for name in q1} == {"s400-sees-fighters.yaml"}
    assert {bases[name] for name in names[6:]} == {"turkey-s400-ankara.yaml"}
    # The included questions are the separate files' questions, unchanged.
    for file in ("s400-sees-fighters.yaml", "patriot-vs-s400.yaml"):
        alone = load_study(ROOT / "studies" / file)
        for question in alone.study.questions:
            inside = next(q for q in loaded.study.questions if q.name == question.name)
            assert inside == question
            assert loaded.base(inside) == alone.base(question)


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


def test_the_q1_study_crosses_aircraft_with_the_disputed_rcs_and_radar_figures():
    loaded = load_study(ROOT / "studies" / "s400-sees-fighters.yaml")
    questions = loaded.study.questions
    assert len(questions) == 6
    for question in questions:
        runs = question.runs()
        assert len(runs) == 9 * 2
        assert [(c.name, v.name) for c, v in runs][:2] == [
            ("rcs-low-radars-low", "f35a"),
            ("rcs-low-radars-low", "f16c"),
        ]
        doc = variant_document(loaded.scenario_doc, *runs[1])
        assert doc["air_tracks"][0]["type"] == "f16c"
        radars = {
            key: {"reference_rcs_m2": 10.0} for key in ("s400/91n6e", "s400/92n6e", "s400/96l6e")
        }
        assert doc["catalog_overrides"] == {
            "f35a": {"rcs_scale": 0.6667},
            "f16c": {"rcs_scale": 0.5},
            **radars,
        }
        nominal = [c for c, _ in runs if c.name == "rcs-nominal-radars-nominal"]
        assert nominal and not nominal[0].patches
    # The file is what scripts/q1_routes.py writes.
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "q1_routes.py"), "--check"], check=False
    )
    assert check.returncode == 0


def _range_km(lat_deg: float, lon_deg: float) -> float:
    """Great-circle distance from the S-400 post (haversine, mean earth radius)."""
    lat0, lon0 = math.radians(40.0789), math.radians(32.5656)
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    h = (
        math.sin((lat - lat0) / 2) ** 2
        + math.cos(lat0) * math.cos(lat) * math.sin((lon - lon0) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_the_low_crossing_starts_inside_reach_of_the_horizon_and_ends_in_time():
    """The 300 m spiral starts at 150 km, a few minutes outside the battalion's low-level
    horizon (99 km smooth-earth: 4.12 (sqrt(45) + sqrt(300)), Skolnik eq. 8.46), and its
    whole path fits the run; the higher spirals still start at 400 km."""
    loaded = load_study(ROOT / "studies" / "s400-sees-fighters.yaml")
    by_name = {q.name: q for q in loaded.study.questions}
    for name, start_km, end_km in (("q1-crossing-300m", 150, 20), ("q1-crossing-3km", 400, 40)):
        variant = by_name[name].variants[0]
        route = variant.patches["air_tracks.subject.route"]
        ranges = [_range_km(p["lat_deg"], p["lon_deg"]) for p in route]
        assert ranges[0] == pytest.approx(start_km, abs=0.5)
        assert end_km <= ranges[-1] < end_km * 1.2
        assert all(b < a for a, b in itertools.pairwise(ranges))
    low = by_name["q1-crossing-300m"].variants[0]
    route = low.patches["air_tracks.subject.route"]
    path_km = sum(_distance_km(a, b) for a, b in itertools.pairwise(route))
    flight_min = path_km * 1000 / (515 * 1852 / 3600) / 60
    # A log spiral within 30 deg of beam: path = 2 (r0 - r1) (its arc length).
    assert path_km == pytest.approx(
        2 * (150 - _range_km(route[-1]["lat_deg"], route[-1]["lon_deg"])), rel=0.02
    )
    assert flight_min < low.patches["duration_min"] <= flight_min + 3


def _distance_km(a: dict, b: dict) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a["lat_deg"], a["lon_deg"], b["lat_deg"], b["lon_deg"])
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


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


def _included_study(tmp_path: Path, question_text: str = "") -> Path:
    """A copy of the tiny study as ``other.yaml`` and a study including it between two
    questions of its own; returns the including file."""
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    scenario = ROOT / "tests" / "data" / "scenarios" / "minimal.yaml"
    (tmp_path / "scenarios" / "minimal.yaml").write_text(scenario.read_text("utf-8"))
    (tmp_path / "studies").mkdir(exist_ok=True)
    text = TINY.read_text("utf-8")
    (tmp_path / "studies" / "other.yaml").write_text(text + question_text, "utf-8")
    main = tmp_path / "studies" / "main.yaml"
    main.write_text(
        "schema_version: 1\n"
        "name: main\n"
        "scenario: ../scenarios/minimal.yaml\n"
        "replications: 2\n"
        "questions:\n"
        "  - name: first\n"
        "    title: First\n"
        "    scenario: ../scenarios/minimal.yaml\n"
        "    baseline: a\n"
        "    variants:\n"
        "      - {name: a}\n"
        "      - {name: b, patches: {fire_units.battery.weapon_control: tight}}\n"
        "    measures: [kills]\n"
        "  - include: other.yaml\n",
        "utf-8",
    )
    return main


def test_an_include_brings_the_other_files_questions_on_their_scenario(tmp_path):
    main = _included_study(tmp_path)
    loaded = load_study(main)
    assert [q.name for q in loaded.study.questions] == ["first", "iff"]
    assert loaded.study.replications == 2  # the including file's, not the included one's
    assert {loaded.base(q).file for q in loaded.study.questions} == {
        (tmp_path / "scenarios" / "minimal.yaml").resolve()
    }
    assert load_study(main, ["iff"]).study.questions[0].exposure is not None


def test_a_question_names_its_own_scenario_relative_to_its_file(tmp_path):
    main = _included_study(tmp_path)
    (tmp_path / "scenarios" / "alone.yaml").write_text(
        (tmp_path / "scenarios" / "minimal.yaml")
        .read_text("utf-8")
        .replace("name: minimal", "name: alone", 1),
        "utf-8",
    )
    text = main.read_text("utf-8").replace(
        "../scenarios/minimal.yaml\n    baseline", "../scenarios/alone.yaml\n    baseline"
    )
    main.write_text(text, "utf-8")
    loaded = load_study(main)
    first, other = loaded.study.questions
    assert loaded.base(first).file.name == "alone.yaml"
    assert loaded.base(other).file.name == "minimal.yaml"
    assert loaded.base(first).document["name"] != loaded.base(other).document["name"]


INCLUDE_CASES = {
    # name: (edit of main.yaml or None, text appended to other.yaml, file named, line,
    # field, message)
    "missing_file": (
        ("include: other.yaml", "include: nothere.yaml"),
        "",
        "main",
        14,
        "questions[1].include",
        "no study file",
    ),
    "own_scenario_missing": (
        (
            "scenario: ../scenarios/minimal.yaml\n    baseline",
            "scenario: ../scenarios/none.yaml\n    baseline",
        ),
        "",
        "main",
        8,
        "questions[0].scenario",
        "no scenario file",
    ),
    "unknown_key_in_include": (
        ("include: other.yaml", "include: other.yaml\n    as: q"),
        "",
        "main",
        15,
        "questions[1].as",
        "unknown key",
    ),
    "bad_patch_in_included_file": (
        None,
        "",
        "other",
        15,
        "questions[0].variants[0].patches",
        "no element named 'escrt'",
    ),
    "nested_include": (
        None,
        "  - include: main.yaml\n",
        "other",
        21,
        "questions[1].include",
        "may not include others",
    ),
    "name_twice": (
        ("name: first", "name: iff"),
        "",
        "main",
        14,
        "questions[1].include",
        "question name 'iff' occurs twice",
    ),
}


@pytest.mark.parametrize("name", sorted(INCLUDE_CASES))
def test_a_bad_include_names_file_line_and_field(name, tmp_path):
    edit, appended, file_name, line, field, message = INCLUDE_CASES[name]
    main = _included_study(tmp_path, appended)
    if edit is not None:
        text = main.read_text("utf-8")
        assert edit[0] in text
        main.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    other = tmp_path / "studies" / "other.yaml"
    if name == "bad_patch_in_included_file":
        other.write_text(
            other.read_text("utf-8").replace(
                "air_tracks.escort.iff_modes: [mode5]}", "air_tracks.escrt.iff_modes: [mode5]}", 1
            )
        )
    with pytest.raises(InputError) as caught:
        load_study(main)
    assert Path(caught.value.file).name == f"{file_name}.yaml"
    issues = [issue for issue in caught.value.issues if issue.field_path == field]
    assert issues, [(i.field_path, i.message) for i in caught.value.issues]
    assert message in issues[0].message
    assert issues[0].line == line
    result = CliRunner().invoke(app, ["study", str(main)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert f"{file_name}.yaml:{line}" in result.output
