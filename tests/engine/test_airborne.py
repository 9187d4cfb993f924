"""Airborne posts: the radar rides on its carrier, scans only while it flies, sees farther."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.engine.look_spy import spied_looks

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document

START_S = 30.0
SHOT_DOWN_S = 150.0


def _waypoint(lat, lon, alt, kt):
    return {"lat_deg": lat, "lon_deg": lon, "alt_m": alt, "speed_kt": kt}


DOCUMENT = {
    "schema_version": 1,
    "name": "airborne-test",
    "start_time": "2026-06-01T05:00:00Z",
    "duration_min": 4,
    "record_interval_s": 5.0,
    "seed": 1,
    "sides": {"blue": {"iff_modes": ["mode5"], "datalinks": ["link16"]}},
    "fire_units": [
        {  # an E-3 over the Black Sea, no launchers
            "name": "awacs-post",
            "side": "blue",
            "command_post": "nato/e3_mission_crew",
            "carrier": "awacs",
            "radars": [{"type": "nato/apy2"}],
        },
        {  # the same radar at sea level under the carrier's first waypoint
            "name": "ground-post",
            "side": "blue",
            "command_post": "nato/e3_mission_crew",
            "position": {"lat_deg": 42.5, "lon_deg": 33.0, "alt_m": 0.0},
            "on_datalink": False,
            "radars": [{"type": "nato/apy2"}],
        },
    ],
    "air_tracks": [
        {
            "name": "awacs",
            "side": "blue",
            "type": "e3a",
            "start_s": START_S,
            "route": [_waypoint(42.5, 33.0, 9150.0, 412), _waypoint(42.5, 35.0, 9150.0, 412)],
        },
        {  # 100 m above the sea, 150-170 km east: beyond a sea-level radar's 41 km horizon
            "name": "low",
            "side": "blue",
            "type": "airliner",
            "route": [_waypoint(42.3, 34.8, 100.0, 250), _waypoint(42.7, 34.8, 100.0, 250)],
        },
    ],
}


@pytest.fixture(scope="module")
def flown():
    scenario, catalog = validate_document(DOCUMENT, "airborne-test")
    sim = Simulation(scenario, catalog)
    carrier = sim.entities.name.index("awacs")
    with spied_looks(sim) as looks:
        for _ in range(round(scenario.duration_s)):
            if sim.time_s >= SHOT_DOWN_S:
                sim.alive[carrier] = False
            sim.step(1.0)
    scans = [
        (radar.name, t, radar.lat_rad, radar.lon_rad, radar.alt_m, radar.vel_ecef_mps)
        for radar, t, *_ in looks
    ]
    tracks = {k: np.array(v) for k, v in sim.recorder.snapshot_table().to_pydict().items()}
    return sim, scans, tracks


def test_the_airborne_radar_scans_from_where_its_carrier_is(flown):
    sim, scans, _ = flown
    mine = [s for s in scans if s[0] == "awacs-post/nato/apy2"]
    assert len(mine) >= 10
    carrier = sim.entities.name.index("awacs")
    for _, t, lat, lon, alt, _ in mine:
        _, _, lla, flying = sim.entities.routes.state(t)
        assert flying[carrier]
        assert (lat, lon) == pytest.approx((lla[carrier, 0], lla[carrier, 1]), abs=1e-12)
        assert alt == pytest.approx(9150.0, abs=1.0)  # antenna height 0 above the aircraft
    # It moved: ~212 m/s east between the first and last scan.
    first, last = mine[0], mine[-1]
    east_m = (last[3] - first[3]) * 6.39e6 * math.cos(first[2])
    assert east_m == pytest.approx(212.0 * (last[1] - first[1]), rel=0.05)


def test_the_airborne_radar_moves_with_its_carrier_and_the_ground_one_stands(flown):
    _, scans, _ = flown
    speeds = {name: [] for name in ("awacs-post/nato/apy2", "ground-post/nato/apy2")}
    for name, *_, vel in scans:
        speeds[name].append(np.linalg.norm(vel))
    # 412 kt = 212 m/s over the ground, flying east: at 9150 m the aircraft moves
    # (N + h) / N faster (N the prime-vertical radius at 42.5 deg); range rates are
    # measured relative to the moving antenna.
    prime_vertical_m = 6_378_137.0 / math.sqrt(1.0 - 0.00669438 * math.sin(math.radians(42.5)) ** 2)
    expected = 412 * 1852 / 3600 * (1.0 + 9150.0 / prime_vertical_m)
    np.testing.assert_allclose(speeds["awacs-post/nato/apy2"], expected, rtol=1e-5)
    np.testing.assert_array_equal(speeds["ground-post/nato/apy2"], 0.0)


def test_no_scans_before_take_off_or_after_the_carrier_is_destroyed(flown):
    _, scans, tracks = flown
    times = [s[1] for s in scans if s[0] == "awacs-post/nato/apy2"]
    assert min(times) >= START_S
    assert max(times) < SHOT_DOWN_S + 1.0
    ground = [s[1] for s in scans if s[0] == "ground-post/nato/apy2"]
    assert max(ground) > SHOT_DOWN_S + 30.0  # the ground radar goes on
    # The airborne post reports no picture while its carrier is not flying.
    post_times = tracks["time_s"][tracks["source"] == "awacs-post"]
    assert post_times.min() >= START_S and post_times.max() < SHOT_DOWN_S + 1.0


def test_from_altitude_the_radar_sees_past_the_sea_level_horizon(flown):
    _, _, tracks = flown
    airborne = (tracks["source"] == "awacs-post") & (tracks["truth"] == "low")
    ground = (tracks["source"] == "ground-post") & (tracks["truth"] == "low")
    assert airborne.any()
    assert not ground.any()


def test_the_post_keeps_the_frame_of_the_first_waypoint(flown):
    sim, _, _ = flown
    picture = sim.units[0].picture
    assert (picture.lat_rad, picture.lon_rad, picture.alt_m) == pytest.approx(
        (math.radians(42.5), math.radians(33.0), 9150.0)
    )
