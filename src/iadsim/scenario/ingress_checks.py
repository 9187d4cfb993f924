"""Checks of planned ingresses: the radar an ingress hides from must be a fixed radar of the
scenario (called from :func:`iadsim.scenario.references.check_references`).

Each problem is ``(path, message, suggestions)``; the loader turns paths into lines.
"""

from __future__ import annotations

import difflib

from iadsim.catalog import Catalog
from iadsim.scenario.schema import Scenario
from iadsim.weapons.arm import radar_sites

Problem = tuple[tuple[str | int, ...], str, list[str]]


def fixed_radar_sites(
    scenario: Scenario, catalog: Catalog
) -> dict[str, tuple[float, float, float]]:
    """Antenna of every ground radar by its run name: fire unit radars as
    ``<unit>/<radar type>`` (:func:`~iadsim.weapons.arm.radar_sites`) and standalone radars
    by name; latitude and longitude in degrees, height above mean sea level in m (as
    :func:`iadsim.engine.world.build_radars` places them)."""
    sites = radar_sites(scenario, catalog)
    for radar in scenario.radars:
        spec = catalog.radars.get(radar.type)
        if spec is None:
            continue
        height = radar.position.alt_m + radar.antenna_height_m(spec)
        sites[radar.name] = (radar.position.lat_deg, radar.position.lon_deg, height)
    return sites


def check_ingress(scenario: Scenario, catalog: Catalog) -> list[Problem]:
    """An ingress is planned for a route above mean sea level, and its
    ``below_horizon_of`` names a fixed radar of the scenario (which ``max_detour_m`` needs)."""
    problems: list[Problem] = []
    sites: dict[str, tuple[float, float, float]] | None = None
    for t, track in enumerate(scenario.air_tracks):
        if track.ingress is None:
            continue
        path = ("air_tracks", t, "ingress")
        if track.ballistic is not None:
            problems.append((path, "ingress plans a route: a ballistic flight has none", []))
            continue
        if track.altitude_reference != "msl":
            message = "ingress plans altitudes above mean sea level: use altitude_reference msl"
            problems.append((path, message, []))
        if track.ingress.below_horizon_of is None:
            if track.ingress.max_detour_m is not None:
                message = (
                    "a lateral ingress (max_detour_m) hides from a radar: give below_horizon_of"
                )
                problems.append(((*path, "max_detour_m"), message, []))
            continue
        sites = fixed_radar_sites(scenario, catalog) if sites is None else sites
        name = track.ingress.below_horizon_of
        if name not in sites:
            close = difflib.get_close_matches(name, list(sites), 3, 0.5)
            message = (
                f"unknown radar {name!r}: give a ground radar, <fire unit>/<radar type> or a "
                "standalone radar's name"
            )
            problems.append(((*path, "below_horizon_of"), message, close))
    return problems
