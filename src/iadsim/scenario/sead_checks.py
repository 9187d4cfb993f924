"""Cross-reference checks of a scenario's SEAD entries: anti-radiation missiles, decoys and
passive receivers (called from :func:`iadsim.scenario.references.check_references`).

Each problem is ``(path, message, suggestions)``; the loader turns paths into lines.
"""

from __future__ import annotations

import difflib

import pyproj

from iadsim.catalog import Catalog
from iadsim.scenario.schema import Scenario
from iadsim.weapons.arm import radar_sites

Problem = tuple[tuple[str | int, ...], str, list[str]]

_GEOD = pyproj.Geod(ellps="WGS84")


def _route_length_m(points: list[tuple[float, float]]) -> float:
    """Length of a route over the ellipsoid (lat, lon in degrees), m."""
    if len(points) < 2:
        return 0.0
    lats, lons = zip(*points, strict=True)
    return float(_GEOD.line_length(lons, lats))


def check_sead(scenario: Scenario, catalog: Catalog) -> list[Problem]:
    """Emission settings fit their policy; ARMs name a fixed radar of the scenario, fly
    above mean sea level and within their range; decoys within theirs; passive receivers
    ride on one aircraft of a known side."""
    problems: list[Problem] = []
    for u, unit in enumerate(scenario.fire_units):
        for r, placement in enumerate(unit.radars):
            for name, message in placement.emission_problems():
                problems.append((("fire_units", u, "radars", r, name), message, []))
    sites = radar_sites(scenario, catalog)
    for t, track in enumerate(scenario.air_tracks):
        base = ("air_tracks", t)
        category = catalog.air_platforms[track.type].category
        points = [(w.lat_deg, w.lon_deg) for w in track.waypoints]
        if track.target_radar is not None:
            if category != "anti_radiation_missile":
                message = (
                    f"target_radar is for anti-radiation missiles; {track.type} is a {category}"
                )
                problems.append(((*base, "target_radar"), message, []))
                continue
            if track.target_radar not in sites:
                close = difflib.get_close_matches(track.target_radar, list(sites), 3, 0.5)
                message = f"unknown radar {track.target_radar!r} (<fire unit>/<radar type>)"
                problems.append(((*base, "target_radar"), message, close))
                continue
            if track.altitude_reference != "msl":
                message = "an anti-radiation missile's route ends on a radar's antenna: use msl"
                problems.append(((*base, "altitude_reference"), message, []))
            lat, lon, _ = sites[track.target_radar]
            length = _route_length_m([*points, (lat, lon)])
            range_m = catalog.anti_radiation_missiles[track.type].range_m
            if length > range_m:
                message = (
                    f"{length / 1000:.0f} km from launch to the radar is beyond the "
                    f"{range_m / 1000:.0f} km range of {track.type}"
                )
                problems.append(((*base, "route"), message, []))
        elif category == "anti_radiation_missile":
            message = "an anti-radiation missile needs target_radar (<fire unit>/<radar type>)"
            problems.append(((*base, "type"), message, sorted(sites)))
        elif category == "decoy":
            range_m = catalog.decoys[track.type].range_m
            if _route_length_m(points) > range_m:
                message = f"the route is longer than the {range_m / 1000:.0f} km of {track.type}"
                problems.append(((*base, "route"), message, []))
    tracks = {track.name: track for track in scenario.air_tracks}
    for r, receiver in enumerate(scenario.passive_receivers):
        base = ("passive_receivers", r)
        if receiver.side not in scenario.sides:
            close = difflib.get_close_matches(receiver.side, list(scenario.sides), 3, 0.5)
            problems.append(((*base, "side"), f"unknown side {receiver.side!r}", close))
        if receiver.carrier is not None:
            carrier = tracks.get(receiver.carrier)
            if carrier is None:
                close = difflib.get_close_matches(receiver.carrier, list(tracks), 3, 0.5)
                message = f"unknown air track {receiver.carrier!r} as carrier"
                problems.append(((*base, "carrier"), message, close))
            elif carrier.members != 1:
                message = (
                    f"a carrier must be one aircraft; {receiver.carrier!r} has count "
                    f"{carrier.members}"
                )
                problems.append(((*base, "carrier"), message, []))
    names = [receiver.name for receiver in scenario.passive_receivers]
    for r, name in enumerate(names):
        if name in names[:r]:
            message = f"names must be unique, {name!r} is repeated"
            problems.append((("passive_receivers", r, "name"), message, []))
    return problems
