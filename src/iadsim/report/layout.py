"""What the report needs from the scenario, written into the run folder as ``layout.json``.

A run folder holds what happened (events, tracks); the report also draws where things stood
and what rules applied: each post's site, each radar's sector and horizon-limited footprint
(:mod:`iadsim.report.footprint`, over the run's own terrain), each interceptor type's
maximum range, the defended assets and zones, and the scenario's assumptions (IFF modes,
identification rules, weapon-control status, data links) in plain words. ``iadsim run``
writes it with the run, so ``iadsim report`` needs nothing but the folder.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from iadsim.catalog import Catalog
from iadsim.geo.terrain import ElevationGrid
from iadsim.report.footprint import footprint_edge_m, footprint_polygon_deg, sector_azimuths_deg
from iadsim.scenario.schema import FireUnit, Scenario

__all__ = ["FOOTPRINT_TARGET_AGL_M", "LAYOUT_FILE", "run_layout"]

LAYOUT_FILE = "layout.json"
FOOTPRINT_TARGET_AGL_M = (100.0, 1000.0)
"""Target heights above the ground of the drawn footprints, m: a low cruise missile or
drone, and a low-flying aircraft."""
WEAPON_CONTROL_WORDS = {
    "free": "weapons free: fires at any track not identified friend, assumed friend or "
    "neutral (unknown, suspect and hostile tracks)",
    "tight": "weapons tight: fires only at tracks identified hostile",
    "hold": "weapons hold: fires only in self-defence (never in this model)",
}
"""Weapon-control status in plain words (JP 3-01 definitions, as the c2 package applies them)."""


def run_layout(scenario: Scenario, catalog: Catalog, grid: ElevationGrid | None) -> dict[str, Any]:
    """The report's view of the scenario, as plain JSON data (degrees, metres, seconds).

    Parameters
    ----------
    scenario : Scenario
    catalog : Catalog
    grid : ElevationGrid or None
        The run's terrain (None: smooth earth).
    """
    posts = [_post(unit, catalog, grid) for unit in scenario.fire_units]
    posts += [
        {
            "name": radar.name,
            "side": radar.side,
            "lat_deg": radar.position.lat_deg,
            "lon_deg": radar.position.lon_deg,
            "carrier": None,
            "radars": [
                _radar(
                    radar.name,
                    radar.type,
                    radar.position.lat_deg,
                    radar.position.lon_deg,
                    radar.position.alt_m + radar.antenna_height_m(catalog.radars[radar.type]),
                    radar.facing_deg,
                    catalog,
                    grid,
                )
            ],
            "interceptors": [],
            "standalone_radar": True,
        }
        for radar in scenario.radars
    ]
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "start_time": scenario.start_time.isoformat(),
        "duration_s": scenario.duration_min * 60.0,
        "record_interval_s": scenario.record_interval_s,
        "footprint_target_agl_m": list(FOOTPRINT_TARGET_AGL_M),
        "terrain": getattr(grid, "source", "") if grid is not None else "smooth earth",
        "posts": posts,
        "defended_assets": [
            {
                "name": a.name,
                "lat_deg": a.position.lat_deg,
                "lon_deg": a.position.lon_deg,
                "value": a.value,
            }
            for a in scenario.defended_assets
        ],
        "no_fire_zones": [
            {"name": z.name, "polygon": [[p.lat_deg, p.lon_deg] for p in z.polygon]}
            for z in scenario.no_fire_zones
        ],
        "safe_corridors": [
            {"name": z.name, "polygon": [[p.lat_deg, p.lon_deg] for p in z.polygon]}
            for z in scenario.safe_corridors
        ],
        "assumptions": assumptions(scenario),
    }


def assumptions(scenario: Scenario) -> list[str]:
    """The scenario's identification and engagement assumptions, one plain sentence each."""
    lines = []
    for name, side in scenario.sides.items():
        answers = ", ".join(side.iff_modes) or "no IFF mode"
        links = ", ".join(side.datalinks) or "no data link"
        hostile = ", ".join(side.hostile_to) or "nobody"
        lines.append(
            f"Side {name}: transponders answer {answers}; on {links}; hostile to {hostile}."
        )
    for unit in scenario.fire_units:
        control = WEAPON_CONTROL_WORDS.get(unit.weapon_control, unit.weapon_control)
        reads = scenario.sides[unit.side].iff_modes if unit.iff_modes is None else unit.iff_modes
        on_link = "on the data link" if unit.on_datalink else "NOT on the data link"
        sentence = (
            f"Post {unit.name} ({unit.side}): {on_link}; its interrogator reads "
            f"{', '.join(reads) or 'no IFF mode'}"
        )
        if unit.iff_gateway is not None:
            sentence += (
                f", and a national IFF gateway decodes {', '.join(unit.iff_gateway.modes)} "
                f"for it ({unit.iff_gateway.latency_s:g} s late)"
            )
        if unit.launchers:
            doctrine = unit.doctrine
            sentence += (
                f"; {control}; {doctrine.policy.replace('_', '-')} with "
                f"{doctrine.rounds_per_engagement} round(s) per engagement, "
                f"{doctrine.assignment} assignment"
            )
        lines.append(sentence + ".")
    rules = scenario.identification
    settings = ", ".join(f"{key} = {value}" for key, value in sorted(rules.settings.items()))
    lines.append(
        f"Identification rules: {rules.name}" + (f" ({settings})." if settings else " (defaults).")
    )
    for link_name, link in scenario.datalinks.items():
        lines.append(
            f"Data link {link_name}: a report every {link.update_interval_s:g} s, "
            f"{link.latency_s:g} s latency."
        )
    return lines


def _post(unit: FireUnit, catalog: Catalog, grid: ElevationGrid | None) -> dict[str, Any]:
    site = unit.site
    radars = []
    for placement in unit.radars:
        spec = catalog.radars[placement.type]
        where = placement.position or site
        radars.append(
            _radar(
                f"{unit.name}/{placement.type}",
                placement.type,
                where.lat_deg,
                where.lon_deg,
                where.alt_m + placement.antenna_height_m(spec),
                placement.facing_deg,
                catalog,
                None if unit.carrier is not None else grid,
                airborne=unit.carrier is not None,
            )
        )
    keys = sorted({k for group in unit.launchers for k, n in group.load.items() if n > 0})
    return {
        "name": unit.name,
        "side": unit.side,
        "lat_deg": site.lat_deg,
        "lon_deg": site.lon_deg,
        "carrier": unit.carrier,
        "weapon_control": unit.weapon_control if unit.launchers else None,
        "radars": radars,
        "interceptors": [
            {"type": key, "max_range_m": catalog.interceptors[key].max_range_m} for key in keys
        ],
        "standalone_radar": False,
    }


def _radar(
    name: str,
    radar_type: str,
    lat_deg: float,
    lon_deg: float,
    antenna_alt_m: float,
    facing_deg: float,
    catalog: Catalog,
    grid: ElevationGrid | None,
    airborne: bool = False,
) -> dict[str, Any]:
    """One radar's sector and footprints. An airborne radar's footprint is drawn around its
    carrier as it flies, so only its range and sector are kept (no terrain footprint)."""
    spec = catalog.radars[radar_type]
    sector = float(spec.azimuth_coverage_deg)
    footprints = {}
    if not airborne:
        azimuths = sector_azimuths_deg(facing_deg, sector)
        for height in FOOTPRINT_TARGET_AGL_M:
            edge = footprint_edge_m(
                lat_deg, lon_deg, antenna_alt_m, spec.max_range_m, height, azimuths, grid
            )
            footprints[f"{height:g}"] = footprint_polygon_deg(
                lat_deg, lon_deg, azimuths, edge, full_circle=sector >= 360.0
            )
    return {
        "name": name,
        "type": radar_type,
        "lat_deg": lat_deg,
        "lon_deg": lon_deg,
        "facing_deg": facing_deg,
        "sector_deg": sector,
        "max_range_m": float(spec.max_range_m),
        "antenna_alt_m": float(np.round(antenna_alt_m, 1)),
        "footprints": footprints,
    }
