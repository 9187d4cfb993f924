"""User catalogs: files that add or override catalog entries, and their errors by line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.catalog.user_catalog import apply_user_catalogs, read_user_catalog
from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_document, load_scenario, validate_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "user-catalog"
TAURUS = EXAMPLE / "catalog" / "taurus.yaml"
MINIMAL = ROOT / "tests" / "data" / "scenarios" / "minimal.yaml"

OVERRIDE = """\
sources:
  U9: "A user's own figure (test)"
air_platforms:
  kalibr:
    max_speed_m_s: 300
    source: [U9]
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _minimal_with_taurus(tmp_path: Path, speed_kt: float) -> Path:
    """minimal.yaml with its raider a Taurus from the example user catalog (a copy beside)."""
    document = yaml.safe_load(MINIMAL.read_text("utf-8"))
    document["catalog"] = ["user/taurus.yaml"]
    document["duration_min"] = 4
    raider = document["air_tracks"][0]
    raider["type"] = "taurus_kepd350"
    for waypoint in raider["route"]:
        waypoint["speed_kt"] = speed_kt
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "taurus.yaml").write_text(TAURUS.read_text("utf-8"), "utf-8")
    return _write(tmp_path, "scenario.yaml", yaml.safe_dump(document, sort_keys=False))


def test_the_example_catalog_adds_a_sourced_platform_and_signature():
    catalog = apply_user_catalogs(load_catalog(), [TAURUS])
    taurus = catalog.air_platforms["taurus_kepd350"]
    assert taurus.max_speed_m_s == 323.0
    assert taurus.source == ["U1", "U2", "S2"]
    assert "U1" in catalog.sources and "taurus_kepd350" in catalog.signatures
    assert "taurus_kepd350" not in load_catalog().air_platforms  # the bundled one is unchanged


def test_a_scenario_flies_a_platform_its_user_catalog_adds(tmp_path):
    # 600 kt (309 m/s) is over the bundled kalibr's 272 m/s but within the Taurus's 323 m/s.
    scenario = _minimal_with_taurus(tmp_path, speed_kt=600)
    out = tmp_path / "run"
    args = ["run", str(scenario), "--out", str(out), "--no-map", "--no-looks"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    outcomes = json.loads((out / "summary.json").read_text("utf-8"))["outcomes"]
    taurus = [o for o in outcomes if o["platform"] == "taurus_kepd350"]
    assert taurus and taurus[0]["launched"] == 1
    assert taurus[0]["airborne_at_end"] == 0  # 55.6 km at 309 m/s: 180 s of the 240 s run


def test_the_platform_is_unknown_without_its_user_catalog(tmp_path):
    scenario = _minimal_with_taurus(tmp_path, speed_kt=500)
    document = load_document(scenario)
    document.pop("catalog")
    with pytest.raises(InputError, match="unknown air platform type 'taurus_kepd350'"):
        validate_document(document, str(scenario))
    loaded, catalog = validate_document(load_document(scenario), str(scenario))
    assert "taurus_kepd350" in catalog.air_platforms
    assert loaded.catalog == [str(tmp_path / "user" / "taurus.yaml")]  # relative to the file


def test_overriding_a_bundled_entry_changes_only_the_fields_given(tmp_path):
    bundled = load_catalog().air_platforms["kalibr"]
    catalog = read_user_catalog(load_catalog(), _write(tmp_path, "o.yaml", OVERRIDE))
    kalibr = catalog.air_platforms["kalibr"]
    assert kalibr.max_speed_m_s == 300.0 != bundled.max_speed_m_s
    assert kalibr.rcs_m2 == bundled.rcs_m2 and kalibr.size_m == bundled.size_m
    assert kalibr.source == ["U9", *bundled.source]  # the user's source first


def test_an_override_drops_the_bundled_range_of_the_field_it_sets(tmp_path):
    text = OVERRIDE.replace("max_speed_m_s: 300", "rcs_m2: 0.2\n    max_speed_m_s: 272")
    text = text.replace(
        "air_platforms:",
        "signatures:\n  kalibr:\n    anchor: {rcs_m2: 0.2}\n    source: [U9]\nair_platforms:",
    )
    catalog = read_user_catalog(load_catalog(), _write(tmp_path, "o.yaml", text))
    assert "rcs_m2" in load_catalog().air_platforms["kalibr"].ranges
    assert "rcs_m2" not in catalog.air_platforms["kalibr"].ranges
    assert catalog.signatures["kalibr"].anchor.rcs_m2 == 0.2
    assert catalog.signatures["kalibr"].anchor.aspect  # merged into the nested anchor


def test_command_line_catalog_overrides_after_the_scenario_s_own(tmp_path):
    override = _write(tmp_path, "o.yaml", OVERRIDE)
    _, catalog = load_scenario(MINIMAL, [override])
    assert catalog.air_platforms["kalibr"].max_speed_m_s == 300.0
    folder = tmp_path / "folder"
    folder.mkdir()
    _write(folder, "a.yaml", OVERRIDE)
    _write(folder, "b.yml", OVERRIDE.replace("300", "310"))  # later files win
    _, catalog = load_scenario(MINIMAL, [folder])
    assert catalog.air_platforms["kalibr"].max_speed_m_s == 310.0


BAD_FILES = [
    (  # no source
        "air_platforms:\n  x:\n    name: X\n    category: drone\n    rcs_m2: 0.1\n",
        2,  # the entry's line: the field is missing
        "air_platforms.x.source",
        "needs a source",
    ),
    (  # a number field given text
        OVERRIDE.replace("300", "fast"),
        5,
        "air_platforms.kalibr.max_speed_m_s",
        "valid number",
    ),
    (  # a misspelt field
        OVERRIDE.replace("max_speed_m_s", "max_speed_ms"),
        5,
        "air_platforms.kalibr.max_speed_ms",
        "unknown field",
    ),
    (  # a misspelt section
        OVERRIDE.replace("air_platforms:", "air_platform:"),
        3,
        "air_platform",
        "unknown catalog section",
    ),
    (  # a source that is not a list
        OVERRIDE.replace("source: [U9]", "source: U9"),
        6,
        "air_platforms.kalibr.source",
        "expected a non-empty list of source ids",
    ),
    (  # a source id defined nowhere
        OVERRIDE.replace("source: [U9]", "source: [U8]"),
        6,
        "air_platforms.kalibr.source[0]",
        "unknown source id 'U8'",
    ),
    (  # a bundled source id redefined
        OVERRIDE.replace("U9: ", "S2: "),
        2,
        "sources.S2",
        "bundled source",
    ),
    (  # a new platform without a signature
        TAURUS.read_text("utf-8").split("\nsignatures:")[0],
        10,
        "air_platforms.taurus_kepd350",
        "needs a signature",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_FILES)
def test_a_bad_user_catalog_is_named_by_file_line_and_field(tmp_path, text, line, field, message):
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as caught:
        read_user_catalog(load_catalog(), path)
    lines = str(caught.value).splitlines()
    expected = f"{path}:{line}: {field}: "
    assert any(entry.startswith(expected) and message in entry for entry in lines), lines


def test_the_cli_reports_a_bad_catalog_with_exit_code_2_and_no_traceback(tmp_path):
    bad = _write(tmp_path, "bad.yaml", OVERRIDE.replace("max_speed_m_s", "max_speed_ms"))
    for command in ("validate", "run"):
        result = CliRunner().invoke(app, [command, str(MINIMAL), "--catalog", str(bad)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert re.search(
            r"bad\.yaml:5: air_platforms\.kalibr\.max_speed_ms: unknown field", result.output
        )


def test_a_missing_scenario_catalog_is_named_at_its_line(tmp_path):
    text = MINIMAL.read_text("utf-8").replace("seed: 7\n", "seed: 7\ncatalog: [nowhere.yaml]\n")
    scenario = _write(tmp_path, "s.yaml", text)
    result = CliRunner().invoke(app, ["validate", str(scenario)])
    assert result.exit_code == 2
    assert re.search(r"s\.yaml:10: catalog\[0\]: no such catalog file or folder", result.output)


def test_coverage_accepts_a_catalog_target(tmp_path):
    out = tmp_path / "cov"
    args = [
        "coverage", "--site", "40,32.5,900", "--radar", "s400/91n6e", "--target",
        "taurus_kepd350", "--catalog", str(TAURUS), "--grid", "10", "--alt-m", "100",
        "--no-terrain", "--out", str(out),
    ]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    without = CliRunner().invoke(app, args[:7] + args[9:])
    assert without.exit_code == 2 and "taurus_kepd350" in without.output


def test_catalog_show_and_list_include_user_entries(tmp_path):
    shown = CliRunner().invoke(app, ["catalog", "show", "taurus_kepd350", "--catalog", str(TAURUS)])
    assert shown.exit_code == 0, shown.output
    assert "Taurus KEPD 350" in shown.output and "U1" in shown.output
    listed = CliRunner().invoke(app, ["catalog", "list", "--catalog", str(EXAMPLE / "catalog")])
    assert listed.exit_code == 0 and "taurus_kepd350" in listed.output
    bad = _write(tmp_path, "bad.yaml", OVERRIDE.replace("source: [U9]", "source: [U8]"))
    failed = CliRunner().invoke(app, ["catalog", "list", "--catalog", str(bad)])
    assert failed.exit_code == 2 and "bad.yaml:6: air_platforms.kalibr.source[0]" in failed.output
