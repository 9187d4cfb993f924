"""Random valid scenarios run without an exception (property-based, hypothesis).

Scenarios are drawn from the schema's allowed values and the catalog's names: sites anywhere
on the globe, fire units on the ground or aboard an aircraft, any radars, launchers with mixed
loads and spares, doctrine choices, data links, raids, no-fire zones, safe corridors,
standalone radars, record intervals and catalog overrides of reload times. Each must pass
validation (the strategy only builds valid documents) and run a few simulated minutes.
The examples are derandomized, so CI sees the same ones every time.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iadsim.catalog import load_catalog
from iadsim.core.units import KNOT_MPS
from iadsim.engine.simulation import Simulation
from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers
from iadsim.scenario.basics import IFF_MODES
from iadsim.scenario.limits import CEILING_M
from iadsim.scenario.loader import validate_document

CATALOG = load_catalog()
RADARS = sorted(CATALOG.radars)
LAUNCHERS = sorted(CATALOG.launchers)
POSTS = sorted(CATALOG.command_posts)
# Anti-radiation missiles need a target radar (tests/weapons/test_arm.py flies them).
PLATFORMS = sorted(
    key
    for key, platform in CATALOG.air_platforms.items()
    if platform.category != "anti_radiation_missile"
)
EMISSION = (
    {},
    {"emission": "when_cued"},
    {"emission": "go_live", "go_live_km": 40.0},
    {"emission": "blink", "blink_on_s": 5.0, "blink_off_s": 7.0},
    {"shutdown_on_arm": True, "shutdown_s": 30.0},
)
"""Emission-control settings a radar may be given (:mod:`iadsim.sensors.emission`)."""
AIRCRAFT = [key for key in PLATFORMS if not CATALOG.air_platforms[key].is_weapon]
THREATS = [
    key
    for key in PLATFORMS
    if CATALOG.air_platforms[key].category in ("fighter", "cruise_missile", "drone")
]
SIDES = ("blue", "red", "white")


def _near(draw, centre: tuple[float, float], spread_deg: float) -> dict[str, float]:
    """A latitude/longitude within ``spread_deg`` of ``centre``, kept on the globe."""
    lat = draw(st.floats(-spread_deg, spread_deg)) + centre[0]
    lon = draw(st.floats(-spread_deg, spread_deg)) + centre[1]
    lat = min(max(lat, -89.0), 89.0)
    lon = (lon + 180.0) % 360.0 - 180.0
    return {"lat_deg": round(lat, 4), "lon_deg": round(lon, 4)}


def _above_terrain(route: list[dict[str, Any]], ceiling_m: float) -> list[dict[str, Any]]:
    """An ``msl`` route raised by the highest bundled terrain under each waypoint's legs.

    The grid is the one ``validate`` checks routes against, so straight legs between the
    raised waypoints stay above it.
    """
    layers = TerrainLayers(bundled_layers())
    f = np.linspace(0.0, 1.0, 200)
    legs_ground_m = [
        float(
            layers.heights_m(
                a["lat_deg"] + f * (b["lat_deg"] - a["lat_deg"]),
                a["lon_deg"] + f * (b["lon_deg"] - a["lon_deg"]),
            ).max()
        )
        for a, b in itertools.pairwise(route)
    ]
    for w, waypoint in enumerate(route):
        ground_m = max(legs_ground_m[max(0, w - 1) : w + 1])
        waypoint["alt_m"] = round(min(waypoint["alt_m"] + ground_m, ceiling_m), 1)
    return route


def _route(draw, centre, platform: str, reference: str, points: int) -> list[dict[str, Any]]:
    spec = CATALOG.air_platforms[platform]
    top_m = min(3000.0 if reference == "agl" else 15_000.0, CEILING_M[spec.category])
    max_kt = math.floor(spec.max_speed_m_s / KNOT_MPS)
    route = []
    for _ in range(points):
        waypoint = _near(draw, centre, 1.5)
        waypoint["alt_m"] = round(draw(st.floats(0.0, top_m)), 1)
        waypoint["speed_kt"] = draw(st.integers(max(1, max_kt // 4), max_kt))
        route.append(waypoint)
    route = _with_length(route)
    return _above_terrain(route, CEILING_M[spec.category]) if reference == "msl" else route


def _site(draw, centre: tuple[float, float], spread_deg: float) -> dict[str, float]:
    """A ground site within ``spread_deg`` of ``centre``, at the bundled terrain's height
    (validation refuses a site far below the ground)."""
    place = _near(draw, centre, spread_deg)
    ground_m = TerrainLayers(bundled_layers()).heights_m(
        np.array([place["lat_deg"]]), np.array([place["lon_deg"]])
    )
    return {**place, "alt_m": round(float(ground_m[0]), 1)}


def _with_length(route: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The route, its last point moved 0.01 deg north if all its points are over one spot.

    A purely vertical route of a few metres is shorter than the 1 m a route must fly.
    """
    points = {(p["lat_deg"], p["lon_deg"]) for p in route}
    if len(points) == 1:
        route[-1]["lat_deg"] = round(route[-1]["lat_deg"] + 0.01, 4)
    return route


def _launcher_group(draw) -> dict[str, Any]:
    kind = draw(st.sampled_from(LAUNCHERS))
    capacity = CATALOG.launchers[kind].capacity
    # Interceptors without a flyout airframe are rejected by validation (test_accepted_fields).
    flown = sorted(set(capacity) & CATALOG.flyout_airframes)
    types = draw(st.lists(st.sampled_from(flown), min_size=1, max_size=2, unique=True))
    load, share = {}, 1.0 / len(types)
    for key in types:
        load[key] = draw(st.integers(0, math.floor(capacity[key] * share)))
    group: dict[str, Any] = {"type": kind, "count": draw(st.integers(1, 3)), "load": load}
    if draw(st.booleans()):
        group["spares"] = {key: draw(st.integers(0, 12)) for key in types}
    return group


def _doctrine(draw) -> dict[str, Any]:
    policy = draw(st.sampled_from(["shoot_shoot", "shoot_look_shoot"]))
    doctrine: dict[str, Any] = {
        "policy": policy,
        "assignment": draw(st.sampled_from(["wta", "greedy"])),
        "reserve_fraction": round(draw(st.floats(0.0, 0.9)), 2),
        "no_fire_countries": draw(st.lists(st.sampled_from(["SYR", "GRC", "TUR"]), max_size=2)),
    }
    if draw(st.booleans()):
        doctrine["salvo"] = draw(st.integers(1, 8)) if policy == "shoot_shoot" else 1
    return doctrine


def _polygon(draw, centre) -> list[dict[str, float]]:
    return [_near(draw, centre, 1.0) for _ in range(draw(st.integers(3, 5)))]


@st.composite
def scenarios(draw) -> dict[str, Any]:
    """A valid scenario document (plain dict, as read from YAML)."""
    centre = (draw(st.floats(-88.0, 88.0)), draw(st.floats(-180.0, 180.0)))
    link = draw(st.booleans())
    sides = {
        "blue": {
            "iff_modes": draw(st.lists(st.sampled_from(IFF_MODES), unique=True)),
            "datalinks": ["link16"] if link else [],
            "hostile_to": ["red"],
        },
        "red": {"iff_modes": [], "hostile_to": ["blue"]},
        "white": {"iff_modes": ["mode3c"]},
    }
    tracks = []
    for t in range(draw(st.integers(1, 4))):
        platform = draw(st.sampled_from(PLATFORMS))
        count = draw(st.integers(1, 3))
        reference = draw(st.sampled_from(["msl", "agl"]))
        track: dict[str, Any] = {
            "name": f"track-{t}",
            "side": draw(st.sampled_from(SIDES)),
            "type": platform,
            "start_s": round(draw(st.floats(0.0, 90.0)), 1),
            "count": count,
            "spacing_s": round(draw(st.floats(1.0, 30.0)), 1) if count > 1 else 0.0,
            "altitude_reference": reference,
            "route": _route(draw, centre, platform, reference, draw(st.integers(2, 4))),
        }
        if draw(st.booleans()):
            track["iff_modes"] = draw(st.lists(st.sampled_from(IFF_MODES), unique=True))
        if draw(st.booleans()):
            track["flight_plan_sides"] = ["blue"]
        tracks.append(track)
    # Raids that fly at the centre, where the units stand, so that weapons are exercised.
    for r in range(draw(st.integers(0, 2))):
        platform = draw(st.sampled_from(THREATS))
        count = draw(st.integers(1, 4))
        route = _route(draw, centre, platform, "msl", 2)
        route[0].update(_near(draw, centre, 0.5))
        route[1].update(lat_deg=round(centre[0], 4), lon_deg=round(centre[1], 4))
        for waypoint in route:
            waypoint["alt_m"] = round(draw(st.floats(50.0, 7_000.0)), 1)
        tracks.append(
            {
                "name": f"raid-{r}",
                "side": "red",
                "type": platform,
                "count": count,
                "spacing_s": round(draw(st.floats(2.0, 20.0)), 1) if count > 1 else 0.0,
                "route": _above_terrain(_with_length(route), 13_000.0),  # every ceiling
            }
        )
    carrier = None
    if draw(st.booleans()):
        carrier = "carrier"
        platform = draw(st.sampled_from(AIRCRAFT))
        tracks.append(
            {
                "name": carrier,
                "side": "blue",
                "type": platform,
                "start_s": round(draw(st.floats(0.0, 60.0)), 1),
                "route": _route(draw, centre, platform, "msl", 2),
            }
        )
    units = []
    for u in range(draw(st.integers(1, 3))):
        airborne = carrier is not None and u == 0
        unit: dict[str, Any] = {
            "name": f"unit-{u}",
            "side": "blue",
            "command_post": draw(st.sampled_from(POSTS)),
            "weapon_control": draw(st.sampled_from(["free", "free", "tight", "hold"])),
            "on_datalink": draw(st.booleans()),
            "doctrine": _doctrine(draw),
            "radars": [
                {
                    "type": kind,
                    "facing_deg": round(draw(st.floats(0.0, 359.9)), 1),
                    **draw(st.sampled_from(EMISSION)),
                }
                for kind in draw(st.lists(st.sampled_from(RADARS), max_size=3))
            ],
            "launchers": [_launcher_group(draw) for _ in range(draw(st.integers(0, 2)))],
        }
        if airborne:
            unit["carrier"] = carrier
        else:
            unit["position"] = _site(draw, centre, 0.3)
        if draw(st.booleans()):
            unit["iff_modes"] = draw(st.lists(st.sampled_from(IFF_MODES), unique=True))
        units.append(unit)
    document: dict[str, Any] = {
        "schema_version": 1,
        "name": "random",
        "start_time": "2026-06-01T05:00:00Z",
        "duration_min": draw(st.sampled_from([2.0, 3.0, 4.0])),
        "time_step_s": draw(st.sampled_from([0.5, 1.0, 2.0, 7.0, 60.0])),
        "record_interval_s": draw(st.sampled_from([0.7, 1.0, 3.0, 10.0, 60.0, 500.0])),
        "seed": draw(st.integers(0, 2**31)),
        "sides": sides,
        "fire_units": units,
        "defended_assets": [
            {"name": f"asset-{a}", "position": _site(draw, centre, 1.0), "value": a + 1.0}
            for a in range(draw(st.integers(0, 2)))
        ],
        "air_tracks": tracks,
    }
    if link and draw(st.booleans()):
        document["datalinks"] = {
            "link16": {
                "update_interval_s": round(draw(st.floats(1.0, 30.0)), 1),
                "latency_s": round(draw(st.floats(0.0, 10.0)), 1),
            }
        }
    if draw(st.booleans()):
        document["radars"] = [
            {
                "name": "standalone",
                "side": "blue",
                "type": draw(st.sampled_from(RADARS)),
                "position": _site(draw, centre, 1.0),
            }
        ]
    if draw(st.booleans()):
        document["no_fire_zones"] = [{"name": "zone", "polygon": _polygon(draw, centre)}]
    if draw(st.booleans()):
        document["safe_corridors"] = [
            {
                "name": "corridor",
                "polygon": _polygon(draw, centre),
                "identity": draw(st.sampled_from(["assumed_friend", "neutral"])),
            }
        ]
    if draw(st.booleans()):
        reload_s = round(draw(st.floats(1.0, 120.0)), 1)
        document["catalog_overrides"] = {key: {"reload_time_s": reload_s} for key in LAUNCHERS}
    return document


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=scenarios())
def test_random_valid_scenarios_run_without_an_exception(document):
    scenario, catalog = validate_document(document, "random scenario")
    simulation = Simulation(scenario, catalog)
    simulation.run()
    assert simulation.time_s >= scenario.duration_s - scenario.time_step_s
