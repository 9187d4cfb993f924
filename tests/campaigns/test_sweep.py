"""``--sweep PATH=V1,V2`` parsing and application to a scenario document."""

from __future__ import annotations

import copy

import pytest

from iadsim.campaigns.campaign import build_points
from iadsim.campaigns.sweep import (
    SweepAxis,
    SweepError,
    apply_override,
    apply_point,
    grid_points,
    parse_sweep,
    parse_value,
)

DOC = {
    "name": "ankara",
    "weather": {"rain_mm_per_h": 0.0},
    "air_tracks": [
        {"name": "raid1", "count": 4, "type": "f16c"},
        {"name": "raid2", "count": 2, "type": "f35a"},
    ],
    "sensors": [{"id": "s400_radar", "max_range_km": 400}],
}


def test_values_are_parsed_as_yaml_scalars():
    axis = parse_sweep("x=4, 0.5 ,true,x-band,1e3,null,'7'")
    assert axis.path == "x"
    assert axis.values == (4, 0.5, True, "x-band", 1000.0, None, "7")
    assert [type(v) for v in axis.values[:3]] == [int, float, bool]


@pytest.mark.parametrize(
    "spec", ["no-equals-sign", "=1,2", "x=1,,2", "x=1,2,", "x=[1, 2]", "x=1,1"]
)
def test_malformed_sweeps_are_rejected(spec):
    with pytest.raises(SweepError):
        parse_sweep(spec)


def test_list_element_is_selected_by_name_or_id_or_index():
    doc = copy.deepcopy(DOC)
    apply_override(doc, "air_tracks.raid1.count", 16)
    apply_override(doc, "sensors.s400_radar.max_range_km", 250)
    apply_override(doc, "air_tracks.1.type", "f35b")
    apply_override(doc, "air_tracks.-1.count", 3)
    assert doc["air_tracks"][0]["count"] == 16
    assert doc["sensors"][0]["max_range_km"] == 250
    assert doc["air_tracks"][1] == {"name": "raid2", "count": 3, "type": "f35b"}


def test_catalog_paths_go_to_catalog_overrides():
    doc = apply_point(DOC, {"catalog.f35a.rcs_scale": 0.5, "catalog.f35a.speed_scale": 2})
    assert doc["catalog_overrides"] == {"f35a": {"rcs_scale": 0.5, "speed_scale": 2}}
    assert "catalog_overrides" not in DOC  # the input is not modified


def test_grid_is_full_factorial_first_axis_slowest():
    axes = [parse_sweep("a=1,2"), parse_sweep("b=x,y,z")]
    points = grid_points(axes)
    assert points == [{"a": a, "b": b} for a in (1, 2) for b in ("x", "y", "z")]
    assert grid_points([]) == [{}]


def test_unknown_key_error_names_the_path_and_the_available_keys():
    with pytest.raises(SweepError) as error:
        apply_point(DOC, {"weather.rain_mm_per_hour": 5})
    message = str(error.value)
    assert "weather.rain_mm_per_hour" in message
    assert "did you mean 'rain_mm_per_h'?" in message


def test_unknown_list_name_error_lists_the_names():
    with pytest.raises(SweepError) as error:
        apply_point(DOC, {"air_tracks.raid9.count": 5})
    assert "raid1, raid2" in str(error.value)
    assert "air_tracks.raid9.count" in str(error.value)


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("air_tracks.5.count", "out of range"),
        ("name.first", "is a str"),
        ("weather..rain", "empty segment"),
        ("catalog.f35a", "catalog.<entry>.<field>"),
        ("nosuch", "available keys: name, weather, air_tracks, sensors"),
    ],
)
def test_bad_paths_raise_clear_errors(path, fragment):
    with pytest.raises(SweepError, match=None) as error:
        apply_point(DOC, {path: 1})
    assert fragment in str(error.value)


def test_new_leaf_only_when_allowed():
    with pytest.raises(SweepError):
        apply_point(DOC, {"weather.fog": True})
    assert apply_point(DOC, {"weather.fog": True}, allow_new_leaf=True)["weather"]["fog"] is True


def test_duplicate_names_in_a_list_must_be_selected_by_index():
    doc = {"items": [{"name": "a", "v": 1}, {"name": "a", "v": 2}]}
    with pytest.raises(SweepError, match="use an index"):
        apply_point(doc, {"items.a.v": 3})


def test_build_points_checks_every_path_before_running():
    with pytest.raises(SweepError, match="raid7"):
        build_points(DOC, ["air_tracks.raid1.count=1,2", "air_tracks.raid7.count=3"])
    axes, points = build_points(DOC, [SweepAxis("air_tracks.raid2.count", (1, 2))])
    assert [axis.path for axis in axes] == ["air_tracks.raid2.count"]
    assert points == [{"air_tracks.raid2.count": 1}, {"air_tracks.raid2.count": 2}]


def test_same_path_twice_is_an_error():
    with pytest.raises(SweepError, match="twice"):
        grid_points([parse_sweep("a=1"), parse_sweep("a=2")])


def test_spec_round_trips():
    axis = parse_sweep("catalog.f35a.rcs_scale=0.5,1,2,true,x")
    assert parse_sweep(axis.spec()) == axis
    assert parse_value("1.5e-2") == 0.015
