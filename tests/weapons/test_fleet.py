"""The interceptor fleet: one slot per interceptor ever launched, growing when full."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from iadsim.catalog import load_catalog
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation
from iadsim.weapons.fleet import InterceptorFleet
from iadsim.weapons.flyout import load_airframes

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def _site():
    lat, lon = np.radians(40.0), np.radians(32.5)
    site = lla_to_ecef(np.array([lat]), np.array([lon]), np.array([900.0])).reshape(3)
    rotation = enu_rotation(np.array([lat]), np.array([lon]))[0]
    aim = site + rotation.T @ np.array([20_000.0, 0.0, 5_000.0])
    return site, rotation, aim


def test_each_launch_takes_a_new_slot_and_a_full_fleet_grows():
    key = "patriot/pac3_mse"
    fleet = InterceptorFleet(1, [load_airframes()[key]], [load_catalog().interceptors[key]])
    site, rotation, aim = _site()
    slots = [fleet.launch(0, 0, 100 + n, -1, site, rotation, aim) for n in range(5)]
    assert slots == [0, 1, 2, 3, 4]
    assert fleet.capacity >= 5
    np.testing.assert_array_equal(fleet.track_id[:5], [100, 101, 102, 103, 104])
    assert fleet.state.active[:5].all()
    assert not fleet.state.active[5:].any()
    # The first interceptor kept its launch state through the growths.
    np.testing.assert_allclose(fleet.state.pos_ecef_m[0], site)


def test_a_finished_slot_is_not_reused():
    key = "patriot/pac3_mse"
    fleet = InterceptorFleet(2, [load_airframes()[key]], [load_catalog().interceptors[key]])
    site, rotation, aim = _site()
    first = fleet.launch(0, 0, 1, -1, site, rotation, aim)
    fleet.state.active[first] = False  # its flight ended
    assert fleet.launch(0, 0, 2, -1, site, rotation, aim) == first + 1


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
