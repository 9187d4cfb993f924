"""Identity review of the bundled S-400 run (scripts/identity_review.py): no allied aircraft
is declared hostile by a kinematic or profile rule alone (STANAG 1241: such rules give
suspect at most; hostile needs a criterion of the identification authority)."""

from __future__ import annotations

import importlib.util

import pytest
from tests.conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location(
        "identity_review", ROOT / "scripts" / "identity_review.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


def test_the_review_flags_an_allied_hostile_by_a_kinematic_rule_and_not_by_the_authority():
    held = {
        "lightning-1-01": {"hostile": {"ballistic_trajectory"}, "suspect": {"inbound"}},
        "lightning-1-02": {"hostile": {"datalink"}, "suspect": set()},
        "falcon-2-01": {"hostile": set(), "suspect": {"inbound", "high_speed"}},
    }
    assert SCRIPT.kinematic_hostiles({"held": held}) == ["lightning-1-01"]


@pytest.mark.slow
def test_no_allied_aircraft_is_declared_hostile_by_a_kinematic_or_profile_rule(tmp_path):
    """The bundled S-400 scenario as shipped (weapons free, NATO jets on Mode 5 only)."""
    run = SCRIPT.run_variant("turkey-s400-ankara", "free:mode5", tmp_path)
    result = SCRIPT.review(run, "s400-murted")
    assert result["held"], "the off-link S-400 holds some allied aircraft suspect"
    assert SCRIPT.kinematic_hostiles(result) == []
    for entry in result["held"].values():
        assert not entry["hostile"] - {"datalink"}, entry
