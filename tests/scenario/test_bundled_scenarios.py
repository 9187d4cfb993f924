"""The bundled Ankara scenarios: valid, big enough, one air picture, the article's contrast."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.engine.world import build_fire_units, build_radars
from iadsim.motion.waypoints import RouteTable
from iadsim.scenario.loader import load_scenario
from iadsim.sensors.iff import CIVIL_MASK, SECURE_MASK, mode_mask

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
S400 = SCENARIOS / "turkey-s400-ankara.yaml"
PATRIOT = SCENARIOS / "turkey-patriot-ankara.yaml"
CORRIDOR = SCENARIOS / "turkey-s400-ankara-corridor.yaml"


@pytest.fixture(scope="module")
def loaded():
    return {path.stem: load_scenario(path) for path in (S400, PATRIOT, CORRIDOR)}


@pytest.mark.parametrize("path", [S400, PATRIOT, CORRIDOR], ids=lambda p: p.stem)
def test_bundled_scenario_validates_from_the_command_line(path):
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


@pytest.mark.parametrize("name", [S400.stem, PATRIOT.stem])
def test_bundled_scenario_is_a_large_half_hour(loaded, name):
    scenario, _ = loaded[name]
    entities = sum(track.count for track in scenario.air_tracks)
    assert entities >= 50
    assert scenario.duration_min >= 30
    # Every entity takes off within the simulated time, and the raid is still flying late.
    starts = [t.start_s + k * t.spacing_s for t in scenario.air_tracks for k in range(t.count)]
    assert max(starts) < scenario.duration_s
    routes = [
        np.array([[w.lat_deg, w.lon_deg, w.alt_m, w.speed_mps] for w in t.waypoints])
        for t in scenario.air_tracks
        for _ in range(t.count)
        if t.route is not None
    ]
    route_starts = [
        t.start_s + k * t.spacing_s
        for t in scenario.air_tracks
        for k in range(t.count)
        if t.route is not None
    ]
    table = RouteTable.from_routes(routes, np.array(route_starts, dtype=float))
    _, _, _, flying = table.state(0.5 * scenario.duration_s)
    assert flying.sum() >= 20


@pytest.mark.parametrize("other", [PATRIOT, CORRIDOR], ids=lambda p: p.stem)
def test_the_scenarios_share_one_air_picture(loaded, other):
    a, _ = loaded[S400.stem]
    b, _ = loaded[other.stem]
    shared = ("air_tracks", "sides", "defended_assets", "identification")
    for field in (*shared, "start_time", "duration_min", "seed"):
        assert getattr(a, field) == getattr(b, field), field
    # Also in the raw files, so that no default papers over a difference.
    raw_a = yaml.safe_load(S400.read_text())
    raw_b = yaml.safe_load(other.read_text())
    for field in shared:
        assert raw_a[field] == raw_b[field], field


@pytest.mark.parametrize("path", [S400, PATRIOT, CORRIDOR], ids=lambda p: p.stem)
def test_identification_rules_weapon_control_and_iff_modes_are_stated(path):
    # The fratricide result hinges on them (README "Identification and weapon control"):
    # each file states them rather than leaving them to defaults.
    raw = yaml.safe_load(path.read_text())
    assert raw["identification"]["name"] == "stanag1241"
    assert "hostile_criteria" in raw["identification"]
    assert raw["fire_units"][0]["weapon_control"] == "free"
    for side in ("turkey", "nato", "civil"):
        assert raw["sides"][side]["iff_modes"] and raw["sides"][side]["transponder"]


def test_the_corridor_variant_differs_from_the_s400_only_by_its_corridor():
    raw_a = yaml.safe_load(S400.read_text())
    raw_b = yaml.safe_load(CORRIDOR.read_text())
    corridors = raw_b.pop("safe_corridors")
    raw_a.pop("name"), raw_b.pop("name")
    assert raw_a == raw_b
    assert [c["known_to"] for c in corridors] == [["s400-murted"]]


def unit_of(loaded, name, index=0):
    scenario, catalog = loaded[name]
    radars, feeds = build_radars(scenario, catalog)
    units = build_fire_units(scenario, catalog, radars, feeds)
    return scenario, units[index]


def test_s400_unit_is_off_the_link_and_cannot_read_mode5(loaded):
    scenario, unit = unit_of(loaded, S400.stem)
    assert scenario.fire_units[0].on_datalink is False
    assert not unit.datalinks
    allied = mode_mask(scenario.sides["nato"].iff_modes)
    turkish = mode_mask(scenario.sides["turkey"].iff_modes)
    shared = unit.interrogator.modes & np.array([allied, turkish])
    # NATO F-35s (Mode 5 only) answer nothing it can read; Turkish jets look civil.
    np.testing.assert_array_equal(shared & SECURE_MASK, [0, 0])
    np.testing.assert_array_equal((shared & CIVIL_MASK) > 0, [False, True])


def test_patriot_unit_is_on_the_link_and_reads_mode5(loaded):
    scenario, unit = unit_of(loaded, PATRIOT.stem)
    assert scenario.fire_units[0].on_datalink is True
    assert "link16" in unit.datalinks
    allied = mode_mask(scenario.sides["nato"].iff_modes)
    assert unit.interrogator.modes & allied & SECURE_MASK


def test_allied_flights_are_in_the_picture(loaded):
    scenario, _ = loaded[S400.stem]
    sides = {t.side for t in scenario.air_tracks}
    assert {"red", "nato", "turkey", "civil"} <= sides
    assert "mode5" in scenario.sides["nato"].iff_modes


@pytest.mark.parametrize("name", [S400.stem, PATRIOT.stem])
def test_a_nato_awacs_orbits_for_the_whole_run_on_link16(loaded, name):
    scenario, unit = unit_of(loaded, name, 1)
    assert unit.spec.carrier == "awacs"
    assert unit.spec.launchers == []
    assert "link16" in unit.datalinks
    assert scenario.datalink("link16").update_interval_s == 12.0
    (track,) = [t for t in scenario.air_tracks if t.name == unit.spec.carrier]
    assert track.type == "e3a" and track.count == 1 and track.start_s == 0.0
    route = np.array([[w.lat_deg, w.lon_deg, w.alt_m, w.speed_mps] for w in track.route])
    table = RouteTable.from_routes([route], np.zeros(1))
    assert table.end_s[0] >= scenario.duration_s  # on station for the whole half hour
    assert np.all((route[:, 2] >= 9000.0) & (route[:, 2] <= 10_000.0))
    # Over central Anatolia, between the Konya FOB (37.87 N) and Ankara (39.92 N).
    assert np.all((route[:, 0] > 37.9) & (route[:, 0] < 39.9))


def test_only_the_patriot_shares_the_awacs_link(loaded):
    _, s400 = unit_of(loaded, S400.stem)
    _, patriot = unit_of(loaded, PATRIOT.stem)
    _, awacs = unit_of(loaded, PATRIOT.stem, 1)
    assert not (s400.datalinks & awacs.datalinks)
    assert patriot.datalinks & awacs.datalinks
