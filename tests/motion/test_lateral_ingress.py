"""Lateral (valley-following) ingress on synthetic terrain: a valley hides the path from a
radar that sees the straight line, within the bounded detour; flat ground keeps it straight.

Visibility is judged by the independent line-of-sight test of
:func:`iadsim.geo.line_of_sight.terrain_clear`, not by the planner's own masking heights.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.ingress import IngressPlan, plan_ingress
from iadsim.motion.lateral_ingress import _cheapest_rows, lateral_route, plan_valley_ingress

rad = np.radians
RADAR = (38.6, 32.0, 520.0)  # 20 m mast on the 500 m plateau
LEG_LAT_DEG = 38.85  # the route runs east along it, 28 km north of the radar
ROUTE = np.array([[LEG_LAT_DEG, 31.70, 3000.0, 250.0], [LEG_LAT_DEG, 32.30, 3000.0, 250.0]])
DETOUR_M = 15_000.0
PLAN = IngressPlan(clearance_m=60.0, spacing_m=500.0, radar_lla=RADAR)
# The valley (sea level, in a 500 m plateau): up from each end of the route to 38.93-38.97 N
# and along it, a U whose floor is 9-13 km north of the straight leg.
VALLEY = [(38.83, 38.97, 31.67, 31.73), (38.83, 38.97, 32.27, 32.33), (38.93, 38.97, 31.67, 32.33)]


def _grid(valley: bool = True) -> ElevationGrid:
    """38-40 N x 31-33 E at 0.01 deg: a 500 m plateau, cut by the valley."""
    heights = np.full((201, 201), 500.0, dtype=np.float32)
    for lat0, lat1, lon0, lon1 in VALLEY if valley else []:
        rows = slice(round((lat0 - 38.0) / 0.01), round((lat1 - 38.0) / 0.01) + 1)
        cols = slice(round((lon0 - 31.0) / 0.01), round((lon1 - 31.0) / 0.01) + 1)
        heights[rows, cols] = 0.0
    return ElevationGrid(rad(38.0), rad(31.0), rad(0.01), rad(0.01), heights)


def _flown(route: np.ndarray, per_interval: int = 20) -> np.ndarray:
    """Points between the planned points as flown: straight, altitude linear."""
    f = np.linspace(0.0, 1.0, per_interval, endpoint=False)[None, :, None]
    path = route[:-1, None, :3] + (route[1:, None, :3] - route[:-1, None, :3]) * f
    return np.vstack([path.reshape(-1, 3), route[-1:, :3]])


def _seen(route: np.ndarray, grid: ElevationGrid) -> np.ndarray:
    lat, lon, alt = rad(route[:, 0]), rad(route[:, 1]), route[:, 2]
    return terrain_clear(rad(RADAR[0]), rad(RADAR[1]), RADAR[2], lat, lon, alt, grid)


def test_the_straight_ingress_is_seen_over_the_plateau():
    # The premise: flown at 60 m over the plateau, 28 km out, within the 50 km radar
    # horizon of a 20 m mast and a 60 m flight (4.12 (sqrt 20 + sqrt 60) km).
    straight = plan_ingress(ROUTE, _grid(), PLAN)
    assert _seen(_flown(straight), _grid()).mean() > 0.8


def test_the_valley_hides_the_lateral_ingress_within_its_detour():
    grid = _grid()
    planned = plan_valley_ingress(ROUTE, grid, PLAN, DETOUR_M)
    flown = _flown(planned)
    assert not _seen(flown, grid).any()
    # Within the detour: east-west leg, so the offset is the latitude difference.
    offset_m = np.abs(planned[:, 0] - LEG_LAT_DEG) * 111_000.0
    assert offset_m.max() <= DETOUR_M + 100.0
    assert offset_m.max() > 8_000.0  # it did go up the valley
    np.testing.assert_array_equal(planned[[0, -1], :2], ROUTE[:, :2])
    # Clear of the ground all along.
    ground = grid.surface_height_m(rad(flown[:, 0]), rad(flown[:, 1]))
    assert (flown[:, 2] - ground).min() >= PLAN.clearance_m - 1e-6


def test_a_detour_too_short_for_the_valley_stays_in_view():
    # 5 km either side does not reach the valley floor 9 km north: the best it can do is
    # the straight line's view.
    planned = plan_valley_ingress(ROUTE, _grid(), PLAN, 5_000.0)
    assert _seen(_flown(planned), _grid()).mean() > 0.5


def test_with_nothing_to_hide_behind_it_flies_straight():
    route = lateral_route(ROUTE, _grid(valley=False), PLAN, DETOUR_M)
    # On the leg's geodesic (which bulges under 50 m north of the parallel over 52 km).
    assert np.abs(route[:, 0] - LEG_LAT_DEG).max() * 111_000.0 < 50.0
    np.testing.assert_allclose(route[:, 3], 250.0)


def test_the_cheapest_path_goes_round_an_exposed_block():
    exposed = np.zeros((7, 5), dtype=bool)
    exposed[2:5, 1:4] = True  # the middle three rows of the middle columns
    rows = _cheapest_rows(exposed, 500.0, 500.0)
    assert rows[0] == rows[-1] == 2
    assert not exposed[np.arange(7), rows].any()
    assert _cheapest_rows(np.zeros((7, 5), dtype=bool), 500.0, 500.0).tolist() == [2] * 7


def test_the_scenario_field_plans_the_route_and_needs_a_radar():
    from iadsim.core.errors import InputError
    from iadsim.scenario.loader import validate_document

    doc = {
        "schema_version": 1,
        "name": "valley",
        "start_time": "2026-06-01T03:00:00Z",
        "duration_min": 1.0,
        "sides": {"red": {"hostile_to": ["blue"]}, "blue": {"hostile_to": ["red"]}},
        "air_tracks": [
            {
                "name": "jet",
                "side": "blue",
                "type": "f16c",
                "ingress": {"max_detour_m": 15000.0},
                "route": [
                    {"lat_deg": LEG_LAT_DEG, "lon_deg": 31.7, "alt_m": 3000.0, "speed_kt": 480},
                    {"lat_deg": LEG_LAT_DEG, "lon_deg": 32.3, "alt_m": 3000.0, "speed_kt": 480},
                ],
            }
        ],
    }
    with pytest.raises(InputError, match="max_detour_m"):
        validate_document(copy.deepcopy(doc), "valley.yaml")


def test_a_scenario_raid_flies_up_the_valley():
    """Wiring: ``ingress.max_detour_m`` in a scenario moves the flown route. The terrain and
    route above, moved to the minimal scenario's Patriot battery (40.0 N, 32.5 E, 900 m):
    plateau 900 m, valley floor 400 m."""
    from pathlib import Path

    from iadsim.engine.world import build_air_entities
    from iadsim.scenario.loader import load_document, validate_document

    shift_lat, shift_lon = 40.0 - RADAR[0], 32.5 - RADAR[1]
    base = _grid()
    terrain = ElevationGrid(
        rad(38.0 + shift_lat),
        rad(31.0 + shift_lon),
        base.dlat_rad,
        base.dlon_rad,
        base.heights_m + 400.0,
    )
    minimal = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"
    leg = LEG_LAT_DEG + shift_lat

    def latitude_at(t_s: float, ingress: dict) -> float:
        document = load_document(minimal)
        document["air_tracks"] = [
            {
                "name": "raider",
                "side": "red",
                "type": "kalibr",
                "ingress": ingress,
                "route": [
                    {"lat_deg": leg, "lon_deg": 32.2, "alt_m": 3000.0, "speed_kt": 480},
                    {"lat_deg": leg, "lon_deg": 32.8, "alt_m": 3000.0, "speed_kt": 480},
                ],
            }
        ]
        scenario, catalog = validate_document(document, "valley.yaml")
        entities = build_air_entities(scenario, catalog, terrain)
        _, _, lla, _ = entities.routes.state(t_s)
        return float(np.degrees(lla[0, 0]))

    hide = {"below_horizon_of": "battery/patriot/mpq65"}
    assert abs(latitude_at(140.0, hide) - leg) < 0.001  # vertical planning only: on the leg
    assert latitude_at(140.0, {**hide, "max_detour_m": DETOUR_M}) > leg + 0.06  # up the valley
