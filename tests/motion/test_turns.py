"""Fly-by turns at waypoints: the flown arc has the radius V^2 / (g tan phi) of a level
coordinated turn, cuts the corner by the textbook distance, and joins both legs smoothly.

The flown positions are measured here with pymap3d (local east-north-up) and pyproj, not
with the route table's own turn geometry."""

from __future__ import annotations

import math

import numpy as np
import pymap3d
import pyproj
import pytest

from iadsim.motion.turns import route_segments
from iadsim.motion.waypoints import RouteTable

GEOD = pyproj.Geod(ellps="WGS84")
G = 9.80665
SPEED = 250.0
BANK = math.radians(60.0)
# North 55 km, then east 59 km: a right turn of about 90 deg at the middle waypoint.
ROUTE = np.array(
    [[40.0, 32.0, 9000.0, SPEED], [40.5, 32.0, 9000.0, SPEED], [40.5, 32.7, 9000.0, SPEED]]
)


@pytest.fixture(scope="module")
def turning():
    return RouteTable.from_routes([ROUTE], np.zeros(1), np.array([BANK]))


@pytest.fixture(scope="module")
def instant():
    return RouteTable.from_routes([ROUTE], np.zeros(1))


def turn_window(table: RouteTable) -> tuple[float, float]:
    """Start and end time of the (only) turn segment."""
    return float(table.leg_start_s[0, 1]), float(table.leg_start_s[0, 2])


def enu_at(table: RouteTable, times: np.ndarray) -> np.ndarray:
    """Flown positions, east-north-up about the turn's waypoint (pymap3d)."""
    pos = table.states(times)[0][:, 0]
    return np.stack(pymap3d.ecef2enu(*pos.T, ROUTE[1, 0], ROUTE[1, 1], ROUTE[1, 2]), axis=-1)


def heading_change() -> float:
    _, back, _ = GEOD.inv(ROUTE[0, 1], ROUTE[0, 0], ROUTE[1, 1], ROUTE[1, 0])
    forward, _, _ = GEOD.inv(ROUTE[1, 1], ROUTE[1, 0], ROUTE[2, 1], ROUTE[2, 0])
    return math.radians(math.remainder(forward - (back + 180.0), 360.0))


def circle_radius(points: np.ndarray) -> float:
    """Radius of the circle through three points (circumradius abc / 4 area)."""
    a, b, c = (np.linalg.norm(points[i] - points[j]) for i, j in ((0, 1), (1, 2), (0, 2)))
    area = 0.5 * abs(np.cross(points[1] - points[0], points[2] - points[0]))
    return float(a * b * c / (4.0 * area))


def test_the_arc_has_the_radius_of_a_level_coordinated_turn(turning):
    start, end = turn_window(turning)
    points = enu_at(turning, np.array([start + 1.0, 0.5 * (start + end), end - 1.0]))[:, :2]
    expected = SPEED**2 / (G * math.tan(BANK))  # 3,680 m at 250 m/s and 60 deg
    assert expected == pytest.approx(3680.0, rel=1e-3)
    assert circle_radius(points) == pytest.approx(expected, rel=2e-3)


def test_the_turn_pulls_the_load_of_its_bank(turning):
    start, end = turn_window(turning)
    t = 0.5 * (start + end)
    h = 0.5
    velocities = turning.states(np.array([t - h, t + h]))[1][:, 0]
    lateral = np.linalg.norm(velocities[1] - velocities[0]) / (2 * h)
    assert lateral == pytest.approx(G * math.tan(BANK), rel=5e-3)


def test_fly_by_cuts_the_corner_by_the_textbook_distance(turning):
    start, end = turn_window(turning)
    _, _, lla, _ = turning.state(0.5 * (start + end))
    _, _, miss = GEOD.inv(
        ROUTE[1, 1], ROUTE[1, 0], math.degrees(lla[0, 1]), math.degrees(lla[0, 0])
    )
    radius = SPEED**2 / (G * math.tan(BANK))
    half = abs(heading_change()) / 2.0
    assert miss == pytest.approx(radius * (1.0 / math.cos(half) - 1.0), rel=5e-3)


def test_the_turn_saves_the_corner_time(turning, instant):
    radius = SPEED**2 / (G * math.tan(BANK))
    change = abs(heading_change())
    lead = radius * math.tan(change / 2.0)
    saved = (2.0 * lead - radius * change) / SPEED
    assert instant.end_s[0] - turning.end_s[0] == pytest.approx(saved, rel=1e-3)


def test_velocity_is_continuous_and_the_rate_of_position_through_the_turn(turning):
    start, end = turn_window(turning)
    times = np.concatenate([np.linspace(start - 5, end + 5, 41), [start, end]])
    h = 1e-3
    ahead = turning.states(times + h)[0][:, 0]
    behind = turning.states(times - h)[0][:, 0]
    velocity = turning.states(times)[1][:, 0]
    np.testing.assert_allclose(velocity, (ahead - behind) / (2 * h), atol=0.05)
    np.testing.assert_allclose(np.linalg.norm(velocity, axis=1), SPEED, rtol=2e-3)


def test_a_turn_that_does_not_fit_is_flown_within_half_the_shorter_leg():
    short = ROUTE.copy()
    short[2, 1] = 32.02  # an outbound leg of 1.7 km
    segments = route_segments(GEOD, short, BANK)
    _, _, outbound = GEOD.inv(short[1, 1], short[1, 0], short[2, 1], short[2, 0])
    assert segments["is_turn"].tolist() == [False, True, False]
    assert segments["offset"][2] == pytest.approx(0.5 * outbound)
    assert segments["radius"][1] < SPEED**2 / (G * math.tan(BANK))


def test_without_a_bank_angle_the_route_turns_instantly(instant):
    segments = route_segments(GEOD, ROUTE, math.nan)
    assert segments["len"][1] == 0.0
    assert segments["duration"][1] == 0.0
    _, _, lla, _ = instant.state(float(instant.leg_start_s[0, 2]))
    assert math.degrees(lla[0, 0]) == pytest.approx(ROUTE[1, 0], abs=1e-9)
