"""The interceptor fleet: one slot per interceptor ever launched, growing when full."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from iadsim.catalog import load_catalog
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation
from iadsim.weapons.fleet import InterceptorFleet, TargetProperties
from iadsim.weapons.flyout import Phase, load_airframes
from iadsim.weapons.lethality import TARGET_CLASSES
from iadsim.weapons.seeker import GLINT_FRACTION_OF_SIZE

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def _site():
    lat, lon = np.radians(40.0), np.radians(32.5)
    site = lla_to_ecef(np.array([lat]), np.array([lon]), np.array([900.0])).reshape(3)
    rotation = enu_rotation(np.array([lat]), np.array([lon]))[0]
    aim = site + rotation.T @ np.array([20_000.0, 0.0, 5_000.0])
    return site, rotation, aim


def _fleet(capacity: int, max_flight_time_s: float | None = None) -> InterceptorFleet:
    key = "patriot/pac3_mse"
    airframe = load_airframes()[key]
    if max_flight_time_s is not None:
        airframe = dataclasses.replace(airframe, max_flight_time_s=max_flight_time_s)
    return InterceptorFleet(capacity, [airframe], [load_catalog().interceptors[key]])


def test_each_launch_takes_the_next_slot_which_is_its_id():
    fleet = _fleet(4)
    site, rotation, aim = _site()
    slots = [fleet.launch(0, 0, 100 + n, -1, site, rotation, aim, 7 + n) for n in range(3)]
    table = fleet.table
    assert slots == [0, 1, 2]
    assert table.ids.tolist() == [0, 1, 2, -1]
    assert table.active.tolist() == [True, True, True, False]
    assert table.track_id.tolist() == [100, 101, 102, -1]
    assert table.engagement_id.tolist() == [7, 8, 9, -1]
    assert table.guided.tolist() == [True, True, True, False]


def test_a_full_fleet_grows_keeping_earlier_rows():
    fleet = _fleet(1)
    site, rotation, aim = _site()
    slots = [fleet.launch(n, 0, 100 + n, 40 + n, site, rotation, aim) for n in range(5)]
    table = fleet.table
    assert slots == [0, 1, 2, 3, 4]
    assert table.capacity == 8  # doubled 1 -> 2 -> 4 -> 8
    assert table.unit.tolist() == [0, 1, 2, 3, 4, -1, -1, -1]
    assert table.truth.tolist() == [40, 41, 42, 43, 44, -1, -1, -1]
    assert table.active.tolist() == [True] * 5 + [False] * 3
    # The first interceptor kept its launch state through the growths.
    np.testing.assert_array_equal(table.pos_ecef_m[0], site)
    assert table.mass_kg[0] == load_airframes()["patriot/pac3_mse"].launch_mass_kg
    assert table.phase[0] == Phase.MIDCOURSE and table.phase[5] == Phase.EMPTY


def test_an_ended_flight_keeps_its_row_and_its_slot_is_not_reused():
    fleet = _fleet(2)
    site, rotation, aim = _site()
    first = fleet.launch(0, 0, 1, -1, site, rotation, aim)
    fleet.table.release([first])  # e.g. its target was destroyed
    second = fleet.launch(0, 0, 2, -1, site, rotation, aim)
    assert (first, second) == (0, 1)
    assert fleet.table.active.tolist() == [False, True]
    assert fleet.table.ids.tolist() == [-1, 1]
    assert fleet.table.track_id[first] == 1  # the ended row is still readable for events


def test_a_flight_that_ends_in_the_step_is_released_and_its_track_loss_reported():
    fleet = _fleet(2, max_flight_time_s=1.0)
    site, rotation, aim = _site()
    for track_id in (1, 2):
        fleet.launch(0, 0, track_id, -1, site, rotation, aim)
    track_state = np.tile(np.concatenate([aim, np.zeros(3)]), (2, 1))
    valid = np.array([True, False])  # the second one's fire-control track went silent
    lost, outcomes = fleet.fly(0.0, 2.0, track_state, valid, track_state, np.random.default_rng(0))
    assert lost.tolist() == [1]
    assert fleet.table.guided.tolist() == [True, False]
    assert [(o.slot, o.kind, o.reason) for o in outcomes] == [
        (0, "self_destruct", "max_flight_time"),
        (1, "self_destruct", "max_flight_time"),
    ]
    assert not fleet.table.active.any()
    assert fleet.launch(0, 0, 3, -1, site, rotation, aim) == 2


def _raid_on_a_patriot_with_spares() -> dict:
    """Two rounds loaded, 20 spares, 5 s reloads, against a raid of 12 fighters."""
    document = load_document(MINIMAL)
    document["duration_min"] = 6
    unit = document["fire_units"][0]
    unit["weapon_control"] = "free"
    unit["launchers"] = [
        {
            "type": "patriot/m903",
            "count": 1,
            "load": {"patriot/pac3_mse": 2},
            "spares": {"patriot/pac3_mse": 20},
        }
    ]
    document["catalog_overrides"] = {"patriot/m903": {"reload_time_s": 5.0}}
    raid = document["air_tracks"][0]
    raid.update(type="su35", count=12, spacing_s=4.0, altitude_reference="msl")
    for waypoint in raid["route"]:
        waypoint.update(alt_m=6000.0, speed_kt=450.0)
    return document


def test_spares_with_a_short_reload_run_and_fire_more_than_the_initial_load():
    document = _raid_on_a_patriot_with_spares()
    scenario, catalog = validate_document(document, "spares and reloads")
    result = run_simulation(scenario, catalog)
    launches = result.events.filter(pc.equal(result.events["kind"], "launch"))
    assert launches.num_rows > 2
    assert pc.count_distinct(launches["interceptor_id"]).as_py() == launches.num_rows
    reloads = pc.sum(pc.equal(result.events["kind"], "reload")).as_py()
    assert reloads >= 1
    assert result.simulation.time_s == scenario.duration_s


def test_an_airframe_override_reaches_the_flyout():
    """The interceptor's key sets its airframe's fields too. With 3 s of guided flight the
    envelope, computed from the airframe, reaches none of the raid the loaded run fires at."""
    document = _raid_on_a_patriot_with_spares()
    document["catalog_overrides"]["patriot/pac3_mse"] = {"max_flight_time_s": 3.0}
    scenario, catalog = validate_document(document, "short-lived interceptors")
    result = run_simulation(scenario, catalog)
    assert pc.sum(pc.equal(result.events["kind"], "launch")).as_py() == 0
    flown = [airframe.max_flight_time_s for airframe in result.simulation.weapons.fleet.airframes]
    assert flown == [3.0]


def test_launch_copies_the_targets_class_rcs_and_glint_from_its_platform():
    catalog = load_catalog()
    targets = TargetProperties.of_platforms(["f35a", "iskander"], catalog.air_platforms)
    key = "patriot/pac3_mse"
    fleet = InterceptorFleet(2, [load_airframes()[key]], [catalog.interceptors[key]], targets)
    site, rotation, aim = _site()
    slot = fleet.launch(0, 0, 5, 1, site, rotation, aim)
    iskander = catalog.air_platforms["iskander"]
    assert TARGET_CLASSES[fleet.table.target_class[slot]] == "ballistic_missile"
    assert fleet.table.target_rcs_m2[slot] == iskander.rcs_m2 * iskander.rcs_scale
    assert fleet.table.target_glint_m[slot] == GLINT_FRACTION_OF_SIZE * iskander.size_m


def test_homing_intercepts_record_their_miss_distance_and_reliability_decides_kills():
    """The raid's rounds home and miss by metres (seeker noise, glint, lag), and the summary
    tabulates them; with a reliability of zero the same intercepts kill nothing."""
    document = _raid_on_a_patriot_with_spares()
    scenario, catalog = validate_document(document, "end-game")
    result = run_simulation(scenario, catalog)
    (row,) = result.summary["miss_distances"]
    assert (row["interceptor"], row["target_class"]) == ("patriot/pac3_mse", "aircraft")
    assert row["homing_intercepts"] >= 3
    assert 0.1 < row["miss_p50_m"] < 20.0
    assert row["kills"] >= 1
    document["catalog_overrides"]["patriot/pac3_mse"] = {"reliability": 0.0}
    scenario, catalog = validate_document(document, "unreliable rounds")
    unreliable = run_simulation(scenario, catalog)
    assert pc.sum(pc.equal(unreliable.events["kind"], "kill")).as_py() == 0


def test_the_compiled_substep_targets_are_the_numpy_twins_to_the_bit():
    from iadsim.weapons._substep_kernels import substep_targets_kernel
    from iadsim.weapons.fleet import SUBSTEPS, substep_targets

    rng = np.random.default_rng(5)
    scale = np.array([6e6, 6e6, 6e6, 900.0, 900.0, 900.0])
    track_state, target_state = rng.normal(size=(2, 17, 6)) * scale
    accel = rng.normal(size=(17, 3)) * 30.0
    for sub_dt in (0.1, 0.05, 1.0 / 3.0):
        compiled = np.full((3, SUBSTEPS, 17, 3), np.nan)
        substep_targets_kernel(track_state, target_state, accel, sub_dt, compiled)
        plain_arrays = substep_targets(track_state, target_state, accel, sub_dt)
        for fast, plain in zip(compiled, plain_arrays, strict=True):
            assert fast.shape == plain.shape == (SUBSTEPS, 17, 3)
            assert np.array_equal(fast, plain)
