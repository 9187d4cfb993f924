"""A raid planned below a radar's horizon (``ingress``) is detected later and closer in a
run than the same raid flying its route as given, on synthetic terrain with a ridge."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from iadsim.engine.data import SimulationData
from iadsim.engine.simulation import Simulation
from iadsim.engine.world import build_air_entities
from iadsim.geo.terrain import ElevationGrid
from iadsim.scenario.loader import load_document, validate_document

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"
GROUND_M, RIDGE_M, RIDGE_LAT_DEG = 900.0, 600.0, 40.4  # the battery stands at 40.0 N, 900 m


def _terrain() -> ElevationGrid:
    """39.5-42 N x 31.5-33.5 E at 0.01 deg: a 900 m plateau, a 600 m ridge along 40.4 N."""
    heights = np.full((251, 201), GROUND_M, dtype=np.float32)
    row = round((RIDGE_LAT_DEG - 39.5) / 0.01)
    heights[row - 2 : row + 3, :] += RIDGE_M
    r = np.radians
    return ElevationGrid(r(39.5), r(31.5), r(0.01), r(0.01), heights, source="synthetic ridge")


def _first_detection(ingress: dict | None) -> tuple[float, float]:
    """First detection of the raider by any radar: time (s) and ground range (km)."""
    document = load_document(MINIMAL)
    document["duration_min"] = 10
    raider = {
        "name": "raider",
        "side": "red",
        "type": "kalibr",
        "start_s": 0,
        "route": [
            {"lat_deg": 41.3, "lon_deg": 32.5, "alt_m": 5000, "speed_kt": 530},
            {"lat_deg": 40.1, "lon_deg": 32.5, "alt_m": 5000, "speed_kt": 530},
        ],
    }
    if ingress is not None:
        raider["ingress"] = ingress
    document["air_tracks"] = [raider]
    scenario, catalog = validate_document(document, "ingress.yaml")
    simulation = Simulation(scenario, catalog, data=SimulationData(_terrain(), ()))
    simulation.run()
    time_s = float(simulation.first_detection_s[0])
    _, _, lla, _ = simulation.entities.routes.state(time_s)
    lat, lon = np.degrees(lla[0, :2])
    range_m = Geod(ellps="WGS84").inv(32.5, 40.0, lon, lat)[2]
    return time_s, range_m / 1000.0


@pytest.fixture(scope="module")
def detections() -> dict[str, tuple[float, float]]:
    hide = {"below_horizon_of": "battery/patriot/mpq65", "clearance_m": 60}
    return {"as_given": _first_detection(None), "ingress": _first_detection(hide)}


def test_the_raid_below_the_horizon_is_detected_only_past_the_ridge(detections):
    time_s, range_km = detections["ingress"]
    ridge_km = (RIDGE_LAT_DEG - 40.0) * 111.0
    assert np.isfinite(time_s)
    assert range_km < ridge_km + 3.0  # from the crest on, nothing hides it


def test_the_raid_as_given_is_detected_earlier_and_further_out(detections):
    (t_given, r_given), (t_hidden, r_hidden) = detections["as_given"], detections["ingress"]
    assert t_hidden > t_given + 60.0
    assert r_given > r_hidden + 20.0


def test_a_raid_timed_on_target_arrives_on_time_on_its_planned_route():
    document = load_document(MINIMAL)
    raider = {
        "name": "raider",
        "side": "red",
        "type": "kalibr",
        "arrive_s": 900.0,
        "count": 2,
        "spacing_s": 30.0,
        "ingress": {"below_horizon_of": "battery/patriot/mpq65"},
        "route": [
            {"lat_deg": 41.3, "lon_deg": 32.5, "alt_m": 5000, "speed_kt": 530},
            {"lat_deg": 40.6, "lon_deg": 32.9, "alt_m": 5000, "speed_kt": 530},
            {"lat_deg": 40.1, "lon_deg": 32.5, "alt_m": 5000, "speed_kt": 530},
        ],
    }
    document["air_tracks"] = [raider]
    scenario, catalog = validate_document(document, "ingress.yaml")
    terrain = _terrain()
    entities = build_air_entities(scenario, catalog, terrain)
    assert entities.routes.end_s[0] == pytest.approx(900.0, abs=1e-6)
    assert entities.routes.end_s[1] == pytest.approx(930.0, abs=1e-6)
    # It flies the planned route: low on the plateau after the ridge, not at 5000 m.
    _, _, lla, flying = entities.routes.state(880.0)
    assert flying[0]
    ground = float(terrain.surface_height_m(lla[0, 0], lla[0, 1]))
    assert lla[0, 2] - ground < 200.0
    with pytest.raises(ValueError, match="terrain"):
        build_air_entities(scenario, catalog)
