"""Waypoint motion follows the WGS-84 geodesic at the stated speed (checked with pyproj Geod
and pymap3d, computed here independently of the route table)."""

from __future__ import annotations

import numpy as np
import pymap3d
import pyproj
import pytest

from iadsim.motion.waypoints import RouteTable

GEOD = pyproj.Geod(ellps="WGS84")
KNOT = 1852.0 / 3600.0

# lat_deg, lon_deg, alt_m, speed_mps (speed flown on the leg that starts at the point).
LONG_ROUTE = np.array(
    [
        [42.6, 34.0, 9_000.0, 500 * KNOT],  # level leg
        [41.0, 33.2, 9_000.0, 300 * KNOT],  # descending leg
        [39.9208, 32.8541, 1_000.0, 480 * KNOT],  # climbing leg
        [70.0, 20.0, 11_000.0, 480 * KNOT],
    ]
)
SHORT_ROUTE = np.array([[0.0, 10.0, 100.0, 250.0], [1.0, 11.0, 100.0, 250.0]])
STARTS = np.array([30.0, 100.0])


def leg_durations(route):
    """Independent leg timing: the slant path length over the leg speed."""
    _, _, dist = GEOD.inv(route[:-1, 1], route[:-1, 0], route[1:, 1], route[1:, 0])
    dist = np.asarray(dist)
    return np.hypot(dist, np.diff(route[:, 2])) / route[:-1, 3], dist


@pytest.fixture(scope="module")
def table():
    return RouteTable.from_routes([LONG_ROUTE, SHORT_ROUTE], STARTS)


def leg_times(route, start):
    durations, _ = leg_durations(route)
    return start + np.concatenate([[0.0], np.cumsum(durations)])


def test_entity_reaches_each_waypoint_at_the_end_of_its_leg(table):
    arrivals = leg_times(LONG_ROUTE, STARTS[0])
    for k in range(1, len(LONG_ROUTE)):
        _, _, lla, flying = table.state(arrivals[k] - 1e-7)
        _, _, miss = GEOD.inv(
            np.degrees(lla[0, 1]), np.degrees(lla[0, 0]), LONG_ROUTE[k, 1], LONG_ROUTE[k, 0]
        )
        assert miss < 1.0
        assert lla[0, 2] == pytest.approx(LONG_ROUTE[k, 2], abs=1e-3)
    assert flying[0]


def test_end_time_is_the_sum_of_leg_times(table):
    np.testing.assert_allclose(
        table.end_s, [leg_times(LONG_ROUTE, STARTS[0])[-1], leg_times(SHORT_ROUTE, STARTS[1])[-1]]
    )


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.93])
def test_distance_flown_is_speed_times_time_on_every_leg(table, fraction):
    arrivals = leg_times(LONG_ROUTE, STARTS[0])
    durations, lengths = leg_durations(LONG_ROUTE)
    for k in range(len(LONG_ROUTE) - 1):
        elapsed = fraction * durations[k]
        _, _, lla, _ = table.state(arrivals[k] + elapsed)
        _, _, ground = GEOD.inv(
            LONG_ROUTE[k, 1], LONG_ROUTE[k, 0], np.degrees(lla[0, 1]), np.degrees(lla[0, 0])
        )
        climb = lla[0, 2] - LONG_ROUTE[k, 2]
        # Speed is along the slant path: ground and vertical distance together.
        assert np.hypot(ground, climb) == pytest.approx(LONG_ROUTE[k, 3] * elapsed, rel=1e-6)
        assert ground == pytest.approx(fraction * lengths[k], rel=1e-6)


def test_level_leg_ground_distance_is_speed_times_time(table):
    elapsed = 600.0
    _, _, lla, _ = table.state(STARTS[0] + elapsed)
    _, _, ground = GEOD.inv(
        LONG_ROUTE[0, 1], LONG_ROUTE[0, 0], np.degrees(lla[0, 1]), np.degrees(lla[0, 0])
    )
    assert ground == pytest.approx(LONG_ROUTE[0, 3] * elapsed, rel=1e-6)


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 0.8])
def test_altitude_interpolates_linearly_in_time(table, fraction):
    arrivals = leg_times(LONG_ROUTE, STARTS[0])
    for k in (1, 2):  # descending and climbing legs
        t = arrivals[k] + fraction * (arrivals[k + 1] - arrivals[k])
        _, _, lla, _ = table.state(t)
        expected = LONG_ROUTE[k, 2] + fraction * (LONG_ROUTE[k + 1, 2] - LONG_ROUTE[k, 2])
        assert lla[0, 2] == pytest.approx(expected, abs=1e-6)


def test_not_flying_before_start_or_after_end(table):
    _, vel, lla, flying = table.state(0.0)
    assert not flying.any()
    np.testing.assert_array_equal(vel, 0.0)
    np.testing.assert_allclose(np.degrees(lla[:, 0]), [LONG_ROUTE[0, 0], SHORT_ROUTE[0, 0]])
    _, _, lla, flying = table.state(table.end_s.max() + 60.0)
    assert not flying.any()
    np.testing.assert_allclose(np.degrees(lla[:, 0]), [LONG_ROUTE[-1, 0], SHORT_ROUTE[-1, 0]])
    np.testing.assert_allclose(np.degrees(lla[:, 1]), [LONG_ROUTE[-1, 1], SHORT_ROUTE[-1, 1]])
    # Between the two starts only the first entity flies.
    _, _, _, flying = table.state(50.0)
    np.testing.assert_array_equal(flying, [True, False])


@pytest.mark.parametrize("t_s", [200.0, 1_500.0, 2_600.0, 5_000.0])
def test_velocity_points_along_the_geodesic_to_the_next_waypoint(table, t_s):
    arrivals = leg_times(LONG_ROUTE, STARTS[0])
    k = int(np.searchsorted(arrivals, t_s)) - 1
    pos, vel, lla, flying = table.state(t_s)
    assert flying[0]
    lat, lon, alt = np.degrees(lla[0, 0]), np.degrees(lla[0, 1]), lla[0, 2]
    azimuth, _, _ = GEOD.inv(lon, lat, LONG_ROUTE[k + 1, 1], LONG_ROUTE[k + 1, 0])
    east, north, up = pymap3d.ecef2enuv(*vel[0], lat, lon)
    heading = np.degrees(np.arctan2(east, north))
    # At height h the east and north components scale by (N + h) / N and (M + h) / M,
    # which turns the heading by at most h (1/N - 1/M) / 2 (about 3e-6 rad at 10 km).
    assert np.angle(np.exp(1j * np.radians(heading - azimuth))) == pytest.approx(0.0, abs=1e-5)
    durations, lengths = leg_durations(LONG_ROUTE)
    # The ground speed over the ellipsoid, raised by about h / R at height h.
    lifted = lengths[k] / durations[k] * (1.0 + alt / 6_371_000.0)
    assert np.hypot(east, north) == pytest.approx(lifted, rel=2e-5)
    climb = (LONG_ROUTE[k + 1, 2] - LONG_ROUTE[k, 2]) / durations[k]
    assert up == pytest.approx(climb, abs=1e-9)
    # The ECEF position is the geodetic point that lla reports.
    np.testing.assert_allclose(pos[0], pymap3d.geodetic2ecef(lat, lon, alt), atol=1e-3)


@pytest.mark.parametrize("t_s", [200.0, 1_500.0, 2_600.0, 5_000.0])
def test_velocity_is_the_time_derivative_of_position(table, t_s):
    step_s = 0.01
    ahead, behind = table.state(t_s + step_s)[0], table.state(t_s - step_s)[0]
    derivative = (ahead - behind) / (2.0 * step_s)
    _, vel, _, flying = table.state(t_s)
    np.testing.assert_allclose(vel[flying], derivative[flying], atol=1e-3)


def test_padded_short_route_flies_its_single_leg(table):
    durations, _ = leg_durations(SHORT_ROUTE)
    _, _, lla, flying = table.state(STARTS[1] + 0.5 * durations[0])
    assert flying[1]
    lon_mid, lat_mid, _ = GEOD.fwd(
        SHORT_ROUTE[0, 1],
        SHORT_ROUTE[0, 0],
        GEOD.inv(SHORT_ROUTE[0, 1], SHORT_ROUTE[0, 0], SHORT_ROUTE[1, 1], SHORT_ROUTE[1, 0])[0],
        0.5 * SHORT_ROUTE[0, 3] * durations[0],
    )
    _, _, miss = GEOD.inv(lon_mid, lat_mid, np.degrees(lla[1, 1]), np.degrees(lla[1, 0]))
    assert miss < 1e-3
