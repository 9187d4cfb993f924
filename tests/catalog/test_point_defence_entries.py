"""NASAMS, Pantsir-S1 and Kh-101 catalog entries: sourced, valid, and they fly and fire."""

from __future__ import annotations

from pathlib import Path

import pytest

from iadsim.catalog import load_catalog
from iadsim.scenario.loader import load_scenario
from iadsim.scoring.replication import run_simulation

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "point-defence.yaml"

NEW_ENTRIES = {
    "radars": ["nasams/mpq64f1", "pantsir/1rs1-1e", "pantsir/1rs2-1e"],
    "interceptors": ["nasams/aim120c", "pantsir/57e6"],
    "airframes": ["nasams/aim120c", "pantsir/57e6"],
    "launchers": ["nasams/canister_launcher", "pantsir/combat_vehicle"],
    "command_posts": ["nasams/fdc", "pantsir/combat_vehicle"],
    "interrogators": ["nasams/mpq64-iff", "pantsir/1rs1-iff"],
    "air_platforms": ["kh101"],
    "signatures": ["kh101"],
}
OWN_SOURCES = {f"S{n}" for n in range(220, 240)}


@pytest.mark.parametrize(
    ("section", "key"), [(s, k) for s, keys in NEW_ENTRIES.items() for k in keys]
)
def test_each_new_entry_cites_a_new_public_source(section, key):
    catalog = load_catalog()
    entry = catalog.section(section)[key]
    assert set(entry.source) & OWN_SOURCES, entry.source
    assert all(source in catalog.sources for source in entry.source)
    assert entry.note  # how assumed figures were derived


def test_public_figures_are_the_sources_figures():
    catalog = load_catalog()
    # Pantsir-S1: 12 missiles of 20 km reach, targets from 5 m to 15 km (S223, S224).
    assert catalog.launchers["pantsir/combat_vehicle"].capacity == {"pantsir/57e6": 12}
    missile = catalog.interceptors["pantsir/57e6"]
    assert (missile.max_range_m, missile.min_altitude_m, missile.max_altitude_m) == (
        20000,
        5,
        15000,
    )
    # NASAMS: six AIM-120 per launcher (S221); AMRAAM 152 kg (S35).
    assert catalog.launchers["nasams/canister_launcher"].capacity == {"nasams/aim120c": 6}
    assert catalog.airframes["nasams/aim120c"].launch_mass_kg == 152
    # Sentinel: 40 km (S34) to 75 km (S220); ranges keep both.
    sentinel = catalog.radars["nasams/mpq64f1"]
    assert sentinel.ranges["detection_range_m"] == (40000, 75000)
    # Kh-101: about 0.01 m2 claimed (S227), the signature anchored on it.
    assert catalog.signatures["kh101"].anchor.rcs_m2 == catalog.air_platforms["kh101"].rcs_m2
    assert catalog.air_platforms["kh101"].rcs_m2 == 0.01


@pytest.fixture(scope="module")
def summary():
    scenario, catalog = load_scenario(SCENARIO)
    return run_simulation(scenario, catalog, None, None, False).summary


def test_nasams_and_pantsir_fire_their_missiles(summary):
    fired = summary["interceptors_fired"]
    assert fired.get("nasams/aim120c", 0) >= 1
    assert fired.get("pantsir/57e6", 0) >= 1


def test_the_kh101s_fly_their_route_until_killed_or_arrived(summary):
    kh101 = next(o for o in summary["outcomes"] if o["platform"] == "kh101")
    assert kh101["launched"] == 2
    assert kh101["airborne_at_end"] == 0  # 38.9 km at 231 m/s: 168 s of the 240 s run
    assert kh101["killed"] + kh101["leaked"] == 2
