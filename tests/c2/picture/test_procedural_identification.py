"""Procedural identification: safe corridors, and filed flight plans compared with tracks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from iadsim.c2.picture.identification import Identity
from iadsim.c2.picture.procedural import (
    PLAN_BLOCK_STEPS,
    Corridor,
    FlightPlans,
    corridor_identities,
    flight_plan_identities,
)
from iadsim.engine.world import build_air_entities, build_flight_plans
from iadsim.geo.frames import ecef_to_enu, enu_rotation, lla_to_ecef
from iadsim.motion.waypoints import RouteTable
from iadsim.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
SQUARE = np.array([[32.0, 39.0], [33.0, 39.0], [33.0, 40.0], [32.0, 40.0]])  # lon, lat


def test_corridor_identity_inside_the_polygon_and_band_only():
    corridors = [Corridor(SQUARE, 5_000.0, 12_000.0, Identity.ASSUMED_FRIEND)]
    lat = np.radians([39.5, 39.5, 39.5, 41.0])
    lon = np.radians([32.5, 32.5, 32.5, 32.5])
    alt = np.array([9_000.0, 1_000.0, 15_000.0, 9_000.0])
    assert corridor_identities(corridors, lat, lon, alt).tolist() == [
        Identity.ASSUMED_FRIEND,
        Identity.PENDING,
        Identity.PENDING,
        Identity.PENDING,
    ]


def test_first_listed_corridor_wins_where_they_overlap():
    corridors = [
        Corridor(SQUARE, 0.0, 20_000.0, Identity.NEUTRAL),
        Corridor(SQUARE, 0.0, 20_000.0, Identity.ASSUMED_FRIEND),
    ]
    out = corridor_identities(corridors, np.radians([39.5]), np.radians([32.5]), np.array([1e3]))
    assert out.tolist() == [Identity.NEUTRAL]


def test_flight_plan_identity_goes_to_tracks_near_a_planned_position():
    planned = np.array([[0.0, 0.0, 10_000.0], [50_000.0, 0.0, 10_000.0]])
    identity = np.array([Identity.NEUTRAL, Identity.ASSUMED_FRIEND])
    tracks = np.array(
        [
            [3_000.0, 0.0, 10_000.0],  # 3 km from the civil flight's planned position
            [50_000.0, 4_000.0, 10_000.0],  # 4 km from the military flight's
            [25_000.0, 0.0, 10_000.0],  # 25 km from both: no plan
        ]
    )
    out = flight_plan_identities(tracks, planned, identity, gate_m=5_000.0)
    assert out.tolist() == [Identity.NEUTRAL, Identity.ASSUMED_FRIEND, Identity.PENDING]
    assert (
        flight_plan_identities(tracks, np.zeros((0, 3)), identity[:0]).tolist()
        == [Identity.PENDING] * 3
    )


def plans() -> FlightPlans:
    """A military flight filed with "blue": due north from 40 N 32 E at 200 m/s from t = 100 s
    for 100 km (500 s), and a red flight with no plan."""
    route = np.array([[40.0, 32.0, 5_000.0, 200.0], [40.9, 32.0, 5_000.0, 200.0]])
    routes = RouteTable.from_routes([route, route], np.array([100.0, 0.0]))
    return FlightPlans.filed(routes, [frozenset({"blue"}), frozenset()], [False, False])


def point(lat_deg: float, alt_m: float = 5_000.0) -> np.ndarray:
    return lla_to_ecef(np.radians([lat_deg]), np.radians([32.0]), np.array([alt_m]))


def test_a_filed_plan_vouches_for_a_track_where_and_when_the_plan_says():
    filed = plans()
    # At t = 200 s the plan puts its aircraft 20 km north of the start (40.18 N).
    on_plan = point(40.0 + 20_000.0 / 111_030.0)
    assert filed.identities("blue", on_plan, 200.0).tolist() == [Identity.ASSUMED_FRIEND]
    # The same track 100 s late, or off the plan by 10 km, or seen by another side: none.
    assert filed.identities("blue", on_plan, 300.0).tolist() == [Identity.PENDING]
    assert filed.identities("blue", point(40.27), 200.0).tolist() == [Identity.PENDING]
    assert filed.identities("red", on_plan, 200.0).tolist() == [Identity.PENDING]


def test_a_plan_ends_when_its_flight_lands():
    filed = plans()
    end = point(40.9)
    assert filed.identities("blue", end, 599.0).tolist() == [Identity.ASSUMED_FRIEND]
    # After its route's end the flight has landed: the plan puts no aircraft anywhere.
    assert filed.identities("blue", end, 700.0).tolist() == [Identity.PENDING]


def test_civil_plans_give_neutral():
    route = np.array([[40.0, 32.0, 10_000.0, 230.0], [41.0, 32.0, 10_000.0, 230.0]])
    filed = FlightPlans.filed(
        RouteTable.from_routes([route], np.array([0.0])), [frozenset({"blue"})], [True]
    )
    assert filed.identities("blue", point(40.0, 10_000.0), 0.0).tolist() == [Identity.NEUTRAL]


def test_plans_computed_in_blocks_of_clock_times_equal_plans_computed_one_time_at_a_time():
    """The simulation's plans compute ``PLAN_BLOCK_STEPS`` clock times at once; every
    state must be bit for bit the one a single-time call gives (the bundled S-400
    scenario: waypoint routes and a ballistic missile)."""
    scenario, catalog = load_scenario(SCENARIOS / "turkey-s400-ankara.yaml")
    entities = build_air_entities(scenario, catalog)
    one_at_a_time = build_flight_plans(entities)
    blocked = build_flight_plans(entities, 0.7)
    t, times = 0.0, []
    for _ in range(int(1500 / 0.7)):
        times.append(t)
        t += 0.7  # summed as the clock sums its steps
    assert blocked.rows.size
    for time_s in times[::7] + times[3::11]:  # out of order: blocks restart
        want_pos, _, _, want_flying = one_at_a_time.routes.state(time_s)
        got_pos, got_flying = blocked._planned_at(time_s)  # the planned flights' rows only
        flying = want_flying[blocked.rows]
        np.testing.assert_array_equal(got_flying, flying)
        # Only a flying plan's position is read; the others' are NaN (not computed).
        np.testing.assert_array_equal(got_pos[flying], want_pos[blocked.rows][flying])
        assert np.isnan(got_pos[~flying]).all()
    assert len(blocked._planned) == PLAN_BLOCK_STEPS


def test_plans_asked_in_a_post_frame_give_the_identities_asked_in_ecef():
    filed = plans()
    lat, lon = np.radians(40.0), np.radians(32.2)
    origin, rotation = lla_to_ecef(lat, lon, 0.0), enu_rotation(lat, lon)
    for time_s in (0.0, 200.0, 300.0, 599.0, 700.0):
        tracks = np.concatenate([point(40.18), point(40.0), point(40.27), point(40.9)])
        enu = ecef_to_enu(tracks, origin, rotation)
        for side in ("blue", "red"):
            want = filed.identities(side, tracks, time_s)
            got = filed.identities_in_frame(side, enu, origin, rotation, time_s)
            np.testing.assert_array_equal(got, want)
    assert Identity.ASSUMED_FRIEND in filed.identities("blue", point(40.18), 200.0)
