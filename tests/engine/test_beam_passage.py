"""In the engine a rotating radar looks where its beam is; a sector radar steps its raster.

Aircraft stand on a circle around an S-400 site. The oracle is the beam angle
``360 deg (t - t_north) / T_rev``: each aircraft must be looked at, and detected, in the step
in which the beam crosses its azimuth, once per rotation, and its track must survive the
steps in which the beam looks elsewhere.
"""

from __future__ import annotations

import itertools

import numpy as np
import pymap3d
import pytest
from tests.engine.look_spy import spied_looks

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document

SITE = (39.95, 32.70)
BEARINGS_DEG = (20.0, 100.0, 170.0, 250.0, 330.0)
RANGE_M = 120_000.0
ROTATING = "s400-test/s400/91n6e"
SECTOR = "s400-test/s400/92n6e"


def _point(bearing_deg, ground_m):
    lat, lon, _ = pymap3d.aer2geodetic(bearing_deg, 0.0, ground_m, *SITE, 0.0)
    return float(lat), float(lon)


def _airliner(k, bearing_deg):
    # Flying roughly tangentially at 10 km, about 8 degrees of bearing in 2 minutes.
    start = _point(bearing_deg - 5.0, RANGE_M)
    end = _point(bearing_deg + 5.0, RANGE_M)
    waypoints = [
        {"lat_deg": lat, "lon_deg": lon, "alt_m": 10_000.0, "speed_kt": 250}
        for lat, lon in (start, end)
    ]
    return {"name": f"a{k}", "side": "civil", "type": "airliner", "route": waypoints}


DOCUMENT = {
    "schema_version": 1,
    "name": "beam-test",
    "start_time": "2026-06-01T05:00:00Z",
    "duration_min": 2,
    "seed": 3,
    "sides": {"turkey": {"iff_modes": ["mode3c"]}, "civil": {"iff_modes": ["mode3c"]}},
    "fire_units": [
        {
            "name": "s400-test",
            "side": "turkey",
            "command_post": "s400/55k6e",
            "position": {"lat_deg": SITE[0], "lon_deg": SITE[1], "alt_m": 900.0},
            "radars": [{"type": "s400/91n6e"}, {"type": "s400/92n6e", "facing_deg": 100.0}],
        }
    ],
    "air_tracks": [_airliner(k, b) for k, b in enumerate(BEARINGS_DEG)],
}


@pytest.fixture(scope="module")
def flown():
    scenario, catalog = validate_document(DOCUMENT, "beam-test")
    sim = Simulation(scenario, catalog)
    with spied_looks(sim) as looks:
        for _ in range(round(scenario.duration_s)):
            sim.step(1.0)
    return sim, looks


def test_the_rotating_radar_sweeps_the_circle_step_by_step(flown):
    sim, looks = flown
    mine = [(t, look) for radar, t, look, *_ in looks if radar.name == ROTATING]
    assert [t for t, _ in mine] == list(np.arange(0.0, len(mine)))
    index = [r.name for r in sim.radars].index(ROTATING)
    north_s = sim.sensing.frame_start_s[index]
    period_s = sim.radars[index].spec.revisit_s
    for t, look in mine:
        expected_deg = np.mod(360.0 * (t - north_s) / period_s, 360.0)
        assert np.degrees(look.start_rad) == pytest.approx(expected_deg, abs=1e-9)
        assert np.degrees(look.extent_rad) == pytest.approx(360.0 / period_s)


def test_each_aircraft_is_detected_in_the_step_the_beam_crosses_it(flown):
    sim, looks = flown
    index = [r.name for r in sim.radars].index(ROTATING)
    north_s, period_s = sim.sensing.frame_start_s[index], sim.radars[index].spec.revisit_s
    hits = {k: [] for k in range(len(BEARINGS_DEG))}
    for radar, t, _, batch, pos in looks:
        if radar.name != ROTATING:
            continue
        for truth in batch.truth[batch.truth >= 0]:
            lat, lon, alt = np.degrees(radar.lat_rad), np.degrees(radar.lon_rad), radar.alt_m
            az_deg = pymap3d.ecef2aer(*pos[truth], lat, lon, alt)[0]
            hits[int(truth)].append((t, az_deg))
    rotations = sim.time_s / period_s
    for k in range(len(BEARINGS_DEG)):
        times, az_deg = np.array(hits[k]).T
        # Pd is near one at 120 km for a 40 m2 airliner: about once per rotation, never twice.
        assert len(times) >= 0.8 * rotations
        assert np.all(np.diff(times) >= period_s - 1.0)
        # The beam reaches the aircraft's azimuth during the step of the detection.
        crossing_s = north_s + az_deg / 360.0 * period_s
        lag_s = np.mod(crossing_s - times, period_s)
        assert np.all(lag_s < 1.0 + 1e-9)


def test_the_sector_radar_steps_through_its_search_raster_and_dwells_on_its_tracks(flown):
    sim, looks = flown
    mine = [(t, look) for radar, t, look, *_ in looks if radar.name == SECTOR]
    assert [t for t, _ in mine] == list(np.arange(0.0, len(mine)))
    frame_s = next(r for r in sim.radars if r.name == SECTOR).revisit_s
    searches = [getattr(look, "search", look) for _, look in mine]
    # Each step's share of the frame starts where the last one ended, at most dt / frame.
    for before, after in itertools.pairwise(searches):
        assert after.start == pytest.approx((before.start + before.extent) % 1.0, abs=1e-12)
        assert 0.0 < before.extent <= 1.0 / frame_s + 1e-12
    # Once the aircraft in the sector is tracked, the radar points track dwells at it.
    dwells = [look.track for _, look in mine if hasattr(look, "track")]
    assert dwells and all(d.az_rad.size <= 1 for d in dwells)
    assert sum(d.az_rad.size for d in dwells) >= 0.5 * len(mine)


def test_tracks_survive_the_steps_in_which_the_beam_looks_elsewhere(flown):
    sim, _ = flown
    picture = sim.units[0].picture
    table = picture.table
    confirmed = picture.confirmed_slots()
    truth = picture.column("truth")[confirmed].astype(int)
    real = confirmed[truth >= 0]
    # One confirmed track per aircraft, held from the first rotations to the end.
    assert sorted(truth[truth >= 0]) == list(range(len(BEARINGS_DEG)))
    period_s = next(r for r in sim.radars if r.name == ROTATING).spec.revisit_s
    assert np.all(table.created_s[real] <= 2.0 * period_s)
    # A detection opportunity is booked only when a look covered the track: once per
    # rotation, plus the 92N6E revisits for the aircraft in its sector (bearing 100 deg).
    rotations = sim.time_s / period_s
    in_sector = np.array(BEARINGS_DEG)[picture.column("truth")[real].astype(int)] == 100.0
    assert np.all(table.opportunities[real[~in_sector]] <= rotations + 1)
    assert np.all(table.opportunities[real[in_sector]] > 2 * rotations)
