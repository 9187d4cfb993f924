"""The scenario's identification rules and transponders: named, defaulted, checked at load."""

from __future__ import annotations

import pytest
from tests.scenario.minimal_variant import write_minimal_variant as _write

from iadsim.c2.picture.identification import Stanag1241Rules
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario


def _issue(path):
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    (issue,) = caught.value.issues
    return issue


def test_stanag1241_is_the_default_rule_set(tmp_path):
    scenario, _ = load_scenario(_write(tmp_path, lambda _d: None))
    assert scenario.identification.name == "stanag1241"
    assert scenario.identification.build() == Stanag1241Rules()


def test_a_bare_name_or_a_mapping_with_settings_picks_the_rules(tmp_path):
    bare = _write(tmp_path, lambda d: d.update(identification="stanag1241"))
    assert load_scenario(bare)[0].identification.build() == Stanag1241Rules()

    def settings(document):
        document["identification"] = {
            "name": "stanag1241",
            "hostile_criteria": ["datalink"],
            "reply_hold_s": 45,
        }

    rules = load_scenario(_write(tmp_path, settings))[0].identification.build()
    assert rules.hostile_criteria == ("datalink",)
    assert rules.reply_hold_s == 45


def test_an_unknown_rule_set_is_named_with_a_suggestion(tmp_path):
    issue = _issue(_write(tmp_path, lambda d: d.update(identification="stanag1214")))
    assert issue.field_path == "identification.name"
    assert "did you mean 'stanag1241'" in issue.message


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"hostile_criteria": ["hostile_act"]}, "hostile_criteria: unknown"),
        ({"ballistic_looks": 0}, "ballistic_looks"),
        ({"reply_hold_s": "long"}, "reply_hold_s"),
        ({"no_such_setting": 1}, "no_such_setting"),
    ],
)
def test_bad_settings_name_the_setting_and_the_line(tmp_path, settings, words):
    path = _write(tmp_path, lambda d: d.update(identification={"name": "stanag1241", **settings}))
    issue = _issue(path)
    assert issue.field_path == "identification"
    assert words in issue.message
    assert issue.line is not None


def test_transponder_types_are_checked_against_the_catalog(tmp_path):
    def side(document):
        document["sides"]["blue"]["transponder"] = "iff/mode-z"

    issue = _issue(_write(tmp_path, side))
    assert issue.field_path == "sides.blue.transponder"
    assert "iff/mode-s" in issue.suggestions

    def track(document):
        document["air_tracks"][1]["transponder"] = "iff/markxiia"

    issue = _issue(_write(tmp_path, track))
    assert issue.field_path == "air_tracks[1].transponder"
    assert "iff/mark-xiia" in issue.suggestions
