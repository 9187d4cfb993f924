"""Physical and size limits of a schema-valid scenario that need the catalog or several fields.

The schema bounds each field on its own (:mod:`iadsim.scenario.schema`); these checks look at
a route or the whole scenario: a route must have a length, a height above the terrain cannot
be negative, a route given above sea level does not pass through the ground, a platform
stays below the ceiling of its category, and the scenario as a whole
stays within the aircraft and interceptor counts a run can hold. Each problem is
``(path, message, suggestions)``, as in :mod:`iadsim.scenario.references`. The limits are
listed, with their reasons, in ``docs/scenarios.md`` ("Limits").
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from iadsim.catalog import Catalog
from iadsim.scenario.air_tracks import AirTrack
from iadsim.scenario.basics import Position
from iadsim.scenario.schema import Scenario

Problem = tuple[tuple[str | int, ...], str, list[str]]

CEILING_M = {
    "airliner": 13_700.0,
    "support": 21_000.0,
    "fighter": 21_000.0,
    "drone": 20_000.0,
    "cruise_missile": 30_000.0,
    "ballistic_missile": 1.0e6,
    "anti_radiation_missile": 30_000.0,
    "decoy": 15_000.0,
}
"""Highest waypoint altitude by platform category, m. Generous ceilings: airliners are
certified to about 12,500-13,100 m (41,000-43,000 ft); the U-2 and the fastest fighters fly
near 21,000 m; high-altitude drones (RQ-4) near 18,000 m; supersonic cruise missiles (Kh-22)
up to about 27,000 m; a ballistic missile's apogee is bounded by the schema's 1,000 km."""

MIN_ROUTE_LENGTH_M = 1.0
"""Shortest route, m: a route with no length would arrive (and leak) the instant it starts."""

MAX_AIRCRAFT = 10_000
"""Most aircraft and missiles in a scenario (the sum of the air tracks' ``count``)."""

MAX_INTERCEPTORS = 100_000
"""Most interceptor rounds in a scenario (loads of every launcher, and spares)."""

BELOW_TERRAIN_M = 500.0
"""How far an ``msl`` route may pass below the bundled terrain, m, before it is refused. The
bundled grids average 1' and 5' cells, which can sit a few hundred metres above a valley
floor a low route follows; a route deeper than this flies through the ground."""

TERRAIN_SAMPLE_M = 1_000.0
"""Spacing of the points checked along each route leg against the terrain, m."""

MAX_TERRAIN_SAMPLES = 200_000
"""Most points checked against the terrain in one scenario; beyond it the spacing widens, so
that a file of thousands of intercontinental routes still validates in well under 2 s."""

_EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG); a length check needs no ellipsoid


def check_limits(scenario: Scenario, catalog: Catalog) -> list[Problem]:
    """Route lengths and altitudes, and the scenario's totals, against the limits above."""
    problems: list[Problem] = []
    for t, track in enumerate(scenario.air_tracks):
        category = catalog.air_platforms[track.type].category
        problems.extend(_check_route(("air_tracks", t), track, category))
    problems.extend(_check_above_terrain(scenario, catalog))
    problems.extend(_check_sites_above_terrain(scenario))
    aircraft = sum(track.members for track in scenario.air_tracks)
    if aircraft > MAX_AIRCRAFT:
        message = (
            f"{aircraft:,} aircraft and missiles in all (the sum of count x waves); the limit is "
        )
        problems.append((("air_tracks",), f"{message}{MAX_AIRCRAFT:,}", []))
    rounds = sum(
        group.count * sum(group.load.values()) + sum(group.spares.values())
        for unit in scenario.fire_units
        for group in unit.launchers
    )
    if rounds > MAX_INTERCEPTORS:
        message = f"{rounds:,} interceptor rounds in all (loads and spares); the limit is "
        problems.append((("fire_units",), f"{message}{MAX_INTERCEPTORS:,}", []))
    return problems


def _check_route(base: tuple[str | int, ...], track: AirTrack, category: str) -> list[Problem]:
    problems: list[Problem] = []
    if track.route is None:
        return problems  # a ballistic flight: checked against its catalog entry (references)
    ceiling_m = CEILING_M.get(category, math.inf)
    for w, waypoint in enumerate(track.route):
        path = (*base, "route", w, "alt_m")
        if track.altitude_reference == "agl" and waypoint.alt_m < 0:
            message = (
                f"{waypoint.alt_m:g} m: with altitude_reference agl, alt_m is a height above "
                "the terrain and cannot be negative"
            )
            problems.append((path, message, []))
        if waypoint.alt_m > ceiling_m:
            message = (
                f"{waypoint.alt_m:g} m is above the ceiling of category {category} "
                f"({ceiling_m:,.0f} m, docs/scenarios.md Limits)"
            )
            problems.append((path, message, []))
    length_m = sum(_distance_m(*_lla(a), *_lla(b)) for a, b in itertools.pairwise(track.route))
    if length_m < MIN_ROUTE_LENGTH_M:
        message = (
            f"the route is {length_m:.3g} m long (its waypoints are one point); a route needs "
            f"at least {MIN_ROUTE_LENGTH_M:g} m"
        )
        problems.append(((*base, "route"), message, []))
    return problems


def _distance_m(
    lat1_deg: float, lon1_deg: float, alt1_m: float, lat2_deg: float, lon2_deg: float, alt2_m: float
) -> float:
    """Straight-line distance on a sphere: haversine ground distance and height difference."""
    lat1, lat2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dlat, dlon = lat2 - lat1, math.radians(lon2_deg - lon1_deg)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    ground_m = 2.0 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
    return math.hypot(ground_m, alt2_m - alt1_m)


def _check_above_terrain(scenario: Scenario, catalog: Catalog) -> list[Problem]:
    """For each ``msl`` route, its first point more than :data:`BELOW_TERRAIN_M` underground.

    Waypoints, and points every :data:`TERRAIN_SAMPLE_M` along each leg (not for ballistic
    missiles, which do not fly their legs straight), and a ballistic flight's launch point
    and target, against the bundled terrain grids, in one vectorised lookup for the whole
    scenario.
    """
    from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers

    # (track index, path to the point, point, next waypoint or None)
    legs: list[tuple[int, tuple[str, str | int], Position, Position | None]] = []
    for t, track in enumerate(scenario.air_tracks):
        if track.altitude_reference != "msl" or track.ingress is not None:
            continue  # heights above the terrain, or planned over it
        if track.ballistic is not None:  # its launch point and target
            legs.append((t, ("ballistic", "launch"), track.ballistic.launch, None))
            legs.append((t, ("ballistic", "target"), track.ballistic.target, None))
            continue
        straight = catalog.air_platforms[track.type].category != "ballistic_missile"
        route = track.waypoints
        for w, waypoint in enumerate(route):
            following = route[w + 1] if straight and w + 1 < len(route) else None
            legs.append((t, ("route", w), waypoint, following))
    if not legs:
        return []
    lengths_m = [0.0 if b is None else _distance_m(*_lla(a), *_lla(b)) for _, _, a, b in legs]
    spacing_m = max(TERRAIN_SAMPLE_M, sum(lengths_m) / MAX_TERRAIN_SAMPLES)
    points = [
        _leg_points(a, b, n_m / spacing_m)
        for (_, _, a, b), n_m in zip(legs, lengths_m, strict=True)
    ]
    lat, lon, alt = (np.concatenate(column) for column in zip(*points, strict=True))
    owner = np.repeat(np.arange(len(legs)), [p[0].size for p in points])
    ground = TerrainLayers(bundled_layers()).heights_m(lat, lon)
    problems: list[Problem] = []
    reported: set[int] = set()
    for i in np.flatnonzero(alt < ground - BELOW_TERRAIN_M):
        t, w, _, _ = legs[owner[i]]
        if t in reported:
            continue
        reported.add(t)
        where = "the waypoint" if w[0] == "route" else f"the {w[1]} point"
        if i > 0 and owner[i - 1] == owner[i]:  # not the leg's first point
            where = f"the leg to the next waypoint, at {lat[i]:.3f}, {lon[i]:.3f},"
        message = (
            f"{where} is {alt[i]:,.0f} m above sea level, {ground[i] - alt[i]:,.0f} m below "
            f"the terrain there ({ground[i]:,.0f} m, bundled grid); raise alt_m"
        )
        if w[0] == "route":
            message += " or use altitude_reference: agl for heights above the terrain"
        problems.append((("air_tracks", t, *w, "alt_m"), message, []))
    return problems


def _ground_sites(scenario: Scenario) -> list[tuple[tuple[str | int, ...], Position]]:
    """Each place that stands on the ground, with the path to its ``position``: posts (not
    airborne ones), radars placed apart from their post, standalone radars, defended assets
    and ground receivers."""
    sites: list[tuple[tuple[str | int, ...], Position]] = []
    for u, unit in enumerate(scenario.fire_units):
        if unit.carrier is None and unit.position is not None:
            sites.append((("fire_units", u, "position"), unit.position))
        for r, radar in enumerate(unit.radars):
            if radar.position is not None:
                sites.append((("fire_units", u, "radars", r, "position"), radar.position))
    sites += [
        (("radars", r, "position"), radar.position) for r, radar in enumerate(scenario.radars)
    ]
    sites += [
        (("defended_assets", a, "position"), asset.position)
        for a, asset in enumerate(scenario.defended_assets)
    ]
    sites += [
        (("passive_receivers", r, "position"), receiver.position)
        for r, receiver in enumerate(scenario.passive_receivers)
        if receiver.position is not None
    ]
    return sites


def _check_sites_above_terrain(scenario: Scenario) -> list[Problem]:
    """Each ground site more than :data:`BELOW_TERRAIN_M` below the bundled terrain (an
    ``alt_m`` left at 0 on a plateau put a radar's antenna 900 m underground, where it saw
    nothing). Standing above the terrain is allowed: a site on a hill the coarse grid misses,
    or on a mast, a tower or a ship."""
    from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers

    sites = _ground_sites(scenario)
    if not sites:
        return []
    lat = np.array([position.lat_deg for _, position in sites])
    lon = np.array([position.lon_deg for _, position in sites])
    ground = TerrainLayers(bundled_layers()).heights_m(lat, lon)
    problems: list[Problem] = []
    for (path, position), ground_m in zip(sites, ground, strict=True):
        if position.alt_m < ground_m - BELOW_TERRAIN_M:
            message = (
                f"the site is {position.alt_m:,.0f} m above sea level, "
                f"{ground_m - position.alt_m:,.0f} m below the terrain there ({ground_m:,.0f} m, "
                "bundled grid): alt_m is the height of the ground above sea level"
            )
            problems.append(((*path, "alt_m"), message, []))
    return problems


def _lla(waypoint) -> tuple[float, float, float]:
    """Latitude and longitude (deg) and altitude (m) of a waypoint."""
    return waypoint.lat_deg, waypoint.lon_deg, waypoint.alt_m


def _leg_points(a, b, samples: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Waypoint ``a``, and ``ceil(samples) - 1`` more evenly spaced towards ``b`` (excluded).

    Latitude, longitude (the short way round) and altitude are interpolated linearly: close
    enough to the great circle for a terrain check at this spacing.
    """
    if b is None:
        return np.array([a.lat_deg]), np.array([a.lon_deg]), np.array([a.alt_m])
    count = max(1, math.ceil(samples))
    f = np.arange(count) / count
    lon = a.lon_deg + f * ((b.lon_deg - a.lon_deg + 180.0) % 360.0 - 180.0)
    return (
        a.lat_deg + f * (b.lat_deg - a.lat_deg),
        np.where(lon > 180.0, lon - 360.0, np.where(lon < -180.0, lon + 360.0, lon)),
        a.alt_m + f * (b.alt_m - a.alt_m),
    )
