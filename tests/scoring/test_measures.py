"""Declared measures: what each measure of a replication is, and that the engine declares all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iadsim.scoring import replication
from iadsim.scoring.measures import (
    KINDS,
    REPLICATION_MEASURES,
    Measure,
    declare_measures,
    declared_measures,
    find_measure,
)


def _summary():
    """A run summary by hand: two threat types, one allied aircraft engaged."""
    return {
        "totals": {
            "threats_leaked": 3,
            "threats_killed": 2,
            "interceptors_fired": 5,
            "threats_airborne_at_end": 4,
            "allied_engaged": 1,
            "civil_engaged": 0,
        },
        "threats": [{"platform": "kalibr", "leaked": 1}, {"platform": "shahed136", "leaked": 2}],
        "posts": {
            "sam": {
                "first_tracks": [
                    {"own_track_range_km": 40.0},
                    {"own_track_range_km": 60.0},
                    {"own_track_range_km": None},  # held over a link only
                ]
            },
        },
    }


def test_every_measure_of_a_run_is_declared_and_every_declaration_is_produced():
    produced = replication.measures(_summary())
    for name in produced:
        assert find_measure(REPLICATION_MEASURES, name) is not None, name
    for measure in REPLICATION_MEASURES:
        assert any(measure.match(name) for name in produced), measure.name
    assert produced["any_friendly_engaged"] == 1.0
    assert produced["first_track_range_km_mean_sam"] == 50.0
    assert produced["own_tracked_sam"] == 2
    assert produced["airborne_at_end"] == 4
    assert (produced["leakers_kalibr"], produced["leakers_shahed136"]) == (1, 2)


def test_the_engine_replicate_declares_the_replication_measures():
    assert declared_measures(replication.replicate) == REPLICATION_MEASURES


def test_declared_kinds_of_the_engine_measures():
    kinds = {m.name: (m.kind, m.unit) for m in REPLICATION_MEASURES}
    assert kinds["allied_engaged"] == ("count", "aircraft")  # not a proportion, even if 0/1
    assert kinds["any_friendly_engaged"] == ("proportion", "")
    assert kinds["first_track_range_km_mean_<post>"] == ("range", "km")
    assert kinds["own_tracked_<post>"] == ("count", "threats")
    assert kinds["interceptors_fired"] == ("count", "interceptors")
    assert {m.kind for m in REPLICATION_MEASURES} <= set(KINDS)


def test_a_family_fills_its_placeholder_in_name_and_description():
    family = Measure("leakers_<platform>", "count", "threats", "Leaked <platform> threats.")
    found = family.match("leakers_kalibr")
    assert found == Measure("leakers_kalibr", "count", "threats", "Leaked kalibr threats.")
    assert family.match("leakers") is None
    assert family.match("kills_kalibr") is None


def test_an_exact_declaration_wins_over_a_family():
    exact = Measure("leakers_total", "ratio", "", "Something else.")
    family = Measure("leakers_<platform>", "count", "threats", "Leaked <platform> threats.")
    assert find_measure([family, exact], "leakers_total") is exact
    assert find_measure([family, exact], "kills") is None


@pytest.mark.parametrize(
    ("name", "kind", "unit", "description", "message"),
    [
        ("x", "mean", "", "A mean.", "kind 'mean'"),
        ("x", "proportion", "%", "A share.", "no unit"),
        ("x", "count", "", "", "description"),
        ("x", "count", "", "two\nlines", "description"),
        ("<a>_<b>", "count", "", "Two holes.", "placeholder"),
    ],
)
def test_malformed_declarations_are_refused(name, kind, unit, description, message):
    with pytest.raises(ValueError, match=message):
        Measure(name, kind, unit, description)


def test_declare_measures_sets_and_checks_the_declarations():
    kills = Measure("kills", "count", "threats", "Threats killed.")

    @declare_measures(kills)
    def toy(_scenario_doc, _seed):
        return {"kills": 1}

    assert declared_measures(toy) == (kills,)
    assert declared_measures(lambda _doc, _seed: {}) is None
    with pytest.raises(ValueError, match="twice"):
        declare_measures(kills, kills)


def test_json_round_trip():
    for measure in REPLICATION_MEASURES:
        assert Measure.from_json(measure.to_json()) == measure


def test_the_measures_table_in_the_docs_is_the_declarations():
    page = (Path(__file__).resolve().parents[2] / "docs" / "campaigns.md").read_text("utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| (\w+) \| (\w*) ?\| (.+) \|$", page, re.MULTILINE)
    documented = [
        (name, kind, unit, meaning.replace("`", "")) for name, kind, unit, meaning in rows
    ]
    declared = [(m.name, m.kind, m.unit, m.description) for m in REPLICATION_MEASURES]
    assert documented == declared
