"""Loading a valid scenario: SI conversions at the edge, defaults, line map, overrides."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from iadsim.catalog import load_catalog
from iadsim.core.errors import InputError
from iadsim.scenario.loader import (
    format_path,
    line_of,
    load_document,
    load_scenario,
    parse_yaml,
    validate_document,
)

MINIMAL = Path(__file__).parent.parent / "data" / "scenarios" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal():
    return load_scenario(MINIMAL)


def test_minimal_scenario_loads_with_its_contents(minimal):
    scenario, catalog = minimal
    assert scenario.name == "minimal"
    assert [u.name for u in scenario.fire_units] == ["battery"]
    assert [t.name for t in scenario.air_tracks] == ["raider", "escort"]
    assert [a.name for a in scenario.defended_assets] == ["base"]
    assert catalog.command_posts[scenario.fire_units[0].command_post].name


def test_edge_units_are_converted_to_si(minimal):
    scenario, _ = minimal
    assert scenario.duration_s == 120.0
    waypoint = scenario.air_tracks[0].route[0]
    assert waypoint.speed_mps == pytest.approx(530 * 1852.0 / 3600.0)  # knots, by definition
    assert waypoint.lat_rad == pytest.approx(math.radians(40.5))
    assert waypoint.lon_rad == pytest.approx(32.5 * math.pi / 180.0)


def test_defaults_are_filled_in(minimal):
    scenario, _ = minimal
    unit = scenario.fire_units[0]
    assert unit.weapon_control == "free"  # stated in the file; the default is below
    assert type(unit).model_fields["weapon_control"].default == "tight"
    assert scenario.identification.name == "stanag1241"
    assert unit.on_datalink is True
    assert unit.iff_modes is None
    assert unit.doctrine.rounds_per_engagement == 1  # shoot_look_shoot
    assert scenario.air_tracks[0].count == 1
    assert scenario.air_tracks[1].altitude_reference == "msl"
    assert scenario.record_interval_s == 10.0


def test_scenario_is_frozen(minimal):
    scenario, _ = minimal
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        scenario.name = "changed"


def test_line_map_points_at_each_field():
    text = MINIMAL.read_text("utf-8")
    rows = text.splitlines()
    document, lines = parse_yaml(text, str(MINIMAL))
    assert document["name"] == "minimal"
    for path, needle, occurrence in [
        (("duration_min",), "duration_min:", 0),
        (("fire_units", 0, "launchers", 0, "count"), "count: 2", 0),
        (("air_tracks", 1, "route", 0, "speed_kt"), "speed_kt: 500", 0),
        (("air_tracks", 1, "name"), "name: escort", 0),
    ]:
        expected = [i for i, row in enumerate(rows, 1) if needle in row][occurrence]
        assert lines[path] == expected
        assert line_of(path, lines) == expected
    # An unknown deeper path falls back to its deepest known parent.
    deeper = ("air_tracks", 1, "route", 0, "speed_kt", "nonsense")
    assert line_of(deeper, lines) == lines[("air_tracks", 1, "route", 0, "speed_kt")]


def test_format_path():
    assert format_path(("fire_units", 0, "radars", 1, "type")) == "fire_units[0].radars[1].type"
    assert format_path(()) == ""


def test_load_document_is_plain_data_that_validates():
    document = load_document(MINIMAL)
    assert isinstance(document, dict)
    document["air_tracks"][0]["count"] = 3
    document["air_tracks"][0]["spacing_s"] = 5
    scenario, _ = validate_document(document, "edited")
    assert scenario.air_tracks[0].count == 3


def test_raid_without_spacing_is_rejected():
    document = load_document(MINIMAL)
    document["air_tracks"][0]["count"] = 3
    with pytest.raises(InputError) as caught:
        validate_document(document, "edited")
    assert caught.value.issues[0].field_path == "air_tracks[0].spacing_s"


def test_catalog_overrides_are_applied_to_a_copy(tmp_path):
    text = MINIMAL.read_text("utf-8") + "\ncatalog_overrides:\n  f35a: {rcs_scale: 2.5}\n"
    path = tmp_path / "override.yaml"
    path.write_text(text)
    _, catalog = load_scenario(path)
    assert catalog.air_platforms["f35a"].rcs_scale == 2.5
    assert load_catalog().air_platforms["f35a"].rcs_scale == 1.0


def test_bad_catalog_override_is_an_input_error(tmp_path):
    text = MINIMAL.read_text("utf-8") + "\ncatalog_overrides:\n  f35a: {rcs_scale: -1}\n"
    path = tmp_path / "override.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    issue = caught.value.issues[0]
    assert issue.field_path == "catalog_overrides.f35a.rcs_scale"
    assert issue.line == len(text.splitlines())


@pytest.mark.parametrize(
    ("load", "valid"),
    [
        ("{patriot/pac2_gem_t: 2, patriot/pac3_mse: 6}", True),  # 1/2 + 1/2 = 1
        ("{patriot/pac2_gem_t: 3, patriot/pac3_mse: 6}", False),  # 3/4 + 1/2 > 1
        ("{patriot/pac2_gem_t: 4}", True),  # PAC-3 CRI has no flyout airframe yet
    ],
)
def test_mixed_launcher_loads_are_checked_by_capacity_fractions(tmp_path, load, valid):
    text = MINIMAL.read_text("utf-8").replace(
        "        load:\n          patriot/pac3_mse: 12\n", f"        load: {load}\n"
    )
    path = tmp_path / "mixed.yaml"
    path.write_text(text)
    if valid:
        load_scenario(path)
    else:
        with pytest.raises(InputError):
            load_scenario(path)


def test_empty_and_non_mapping_files_are_input_errors(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    for path in (empty, listed):
        with pytest.raises(InputError):
            load_scenario(path)
