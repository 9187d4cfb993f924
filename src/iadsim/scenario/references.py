"""Cross-reference checks of a schema-valid scenario: unique names, sides, catalog names, loads.

Each problem is ``(path, message, suggestions)``; the loader turns paths into lines.
"""

from __future__ import annotations

import difflib

import numpy as np
import pyproj

from iadsim.catalog import Catalog, CatalogOverrideError
from iadsim.core.units import KNOT_MPS
from iadsim.geo.borders import load_borders
from iadsim.scenario.ingress_checks import check_ingress
from iadsim.scenario.limits import check_limits
from iadsim.scenario.schema import Scenario
from iadsim.scenario.sead_checks import check_sead

Problem = tuple[tuple[str | int, ...], str, list[str]]

_GEOD = pyproj.Geod(ellps="WGS84")
MIN_BALLISTIC_RANGE_M = 1000.0
"""Shortest launch-to-target distance of a ballistic flight, m."""


def _closest(name: str, options: list[str]) -> list[str]:
    return difflib.get_close_matches(name, options, n=3, cutoff=0.5)


def _check_name(problems: list[Problem], path: tuple, name: str, options: dict, what: str) -> bool:
    if name in options:
        return True
    problems.append((path, f"unknown {what} {name!r}", _closest(name, list(options))))
    return False


def _check_carrier(
    problems: list[Problem], path: tuple, name: str, scenario: Scenario, catalog: Catalog
) -> None:
    """An airborne unit's carrier must be one aircraft (not a raid, not a weapon)."""
    tracks = {track.name: track for track in scenario.air_tracks}
    track = tracks.get(name)
    if track is None:
        problems.append(
            (path, f"unknown air track {name!r} as carrier", _closest(name, list(tracks)))
        )
        return
    if track.members != 1:
        problems.append(
            (
                path,
                f"a carrier must be a single aircraft; air track {name!r} has count "
                f"{track.count}" + (f" in {track.waves} waves" if track.waves > 1 else ""),
                [],
            )
        )
    platform = catalog.air_platforms.get(track.type)
    if platform is not None and platform.is_weapon:
        problems.append(
            (path, f"a carrier must be an aircraft; {name!r} is a {platform.category}", [])
        )


def _check_flyout(problems: list[Problem], path: tuple, interceptor: str, catalog: Catalog) -> None:
    """An interceptor can be fired only if the flyout has its airframe."""
    if catalog.flyout_airframes is not None and interceptor not in catalog.flyout_airframes:
        usable = sorted(catalog.flyout_airframes)
        problems.append(
            (
                path,
                f"interceptor {interceptor!r} has no flyout airframe (catalog airframes.yaml) "
                "and cannot be fired yet",
                _closest(interceptor, usable),
            )
        )


def check_references(scenario: Scenario, catalog: Catalog) -> tuple[list[Problem], Catalog]:
    """Check every name a scenario uses, and apply its catalog overrides.

    Returns
    -------
    problems : list of (path, message, suggestions)
    catalog : Catalog
        With ``scenario.catalog_overrides`` applied (unchanged if there are problems).
    """
    problems: list[Problem] = []
    country_codes = {country.iso_a3: country for country in load_borders()}
    # Here rather than in the schema so that the error points at the repeated entry's line.
    for label in ("fire_units", "radars", "air_tracks", "defended_assets"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(scenario, label)):
            if item.name in seen:
                problems.append(
                    ((label, i, "name"), f"names must be unique, {item.name!r} is repeated", [])
                )
            seen.add(item.name)
    sides = scenario.sides
    for name, side in sides.items():
        for i, other in enumerate(side.hostile_to):
            _check_name(problems, ("sides", name, "hostile_to", i), other, sides, "side")
        _check_name(
            problems,
            ("sides", name, "transponder"),
            side.transponder,
            catalog.transponders,
            "transponder type",
        )
    for u, unit in enumerate(scenario.fire_units):
        base = ("fire_units", u)
        _check_name(problems, (*base, "side"), unit.side, sides, "side")
        _check_name(
            problems,
            (*base, "command_post"),
            unit.command_post,
            catalog.command_posts,
            "command post type",
        )
        for c, code in enumerate(unit.doctrine.no_fire_countries):
            _check_name(
                problems,
                (*base, "doctrine", "no_fire_countries", c),
                code,
                country_codes,
                "country code",
            )
        if unit.carrier is not None:
            _check_carrier(problems, (*base, "carrier"), unit.carrier, scenario, catalog)
        for r, radar in enumerate(unit.radars):
            _check_name(
                problems, (*base, "radars", r, "type"), radar.type, catalog.radars, "radar type"
            )
        for g, group in enumerate(unit.launchers):
            path = (*base, "launchers", g)
            if not _check_name(
                problems, (*path, "type"), group.type, catalog.launchers, "launcher type"
            ):
                continue
            capacity = catalog.launchers[group.type].capacity
            fraction = 0.0
            for interceptor, count in group.load.items():
                if _check_name(
                    problems,
                    (*path, "load", interceptor),
                    interceptor,
                    capacity,
                    f"interceptor for launcher {group.type}",
                ):
                    fraction += count / capacity[interceptor]
                    _check_flyout(problems, (*path, "load", interceptor), interceptor, catalog)
            for interceptor in group.spares:
                if _check_name(
                    problems,
                    (*path, "spares", interceptor),
                    interceptor,
                    capacity,
                    f"interceptor for launcher {group.type}",
                ):
                    _check_flyout(problems, (*path, "spares", interceptor), interceptor, catalog)
            if fraction > 1.0 + 1e-9:
                problems.append(
                    ((*path, "load"), f"load exceeds the launcher's capacity {capacity}", [])
                )
    unit_names = [unit.name for unit in scenario.fire_units]
    for c, corridor in enumerate(scenario.safe_corridors):
        if corridor.min_alt_m >= corridor.max_alt_m:
            problems.append(
                (("safe_corridors", c, "max_alt_m"), "max_alt_m must exceed min_alt_m", [])
            )
        for i, name in enumerate(corridor.known_to or []):
            _check_name(
                problems,
                ("safe_corridors", c, "known_to", i),
                name,
                dict.fromkeys(unit_names),
                "fire unit",
            )
    for r, standalone in enumerate(scenario.radars):
        base = ("radars", r)
        _check_name(problems, (*base, "side"), standalone.side, sides, "side")
        _check_name(problems, (*base, "type"), standalone.type, catalog.radars, "radar type")
        for i, target in enumerate(standalone.reports_to or []):
            if target not in unit_names:
                problems.append(
                    (
                        (*base, "reports_to", i),
                        f"unknown fire unit {target!r}",
                        _closest(target, unit_names),
                    )
                )
    for t, track in enumerate(scenario.air_tracks):
        base = ("air_tracks", t)
        _check_name(problems, (*base, "side"), track.side, sides, "side")
        _check_name(
            problems, (*base, "type"), track.type, catalog.air_platforms, "air platform type"
        )
        if track.transponder is not None:
            _check_name(
                problems,
                (*base, "transponder"),
                track.transponder,
                catalog.transponders,
                "transponder type",
            )
        for i, name in enumerate(track.flight_plan_sides):
            _check_name(problems, (*base, "flight_plan_sides", i), name, sides, "side")
        if track.count > 1 and track.spacing_s <= 0:
            problems.append(((*base, "spacing_s"), "a raid of count > 1 needs spacing_s > 0", []))
    _check_jammers(problems, scenario, catalog)
    if problems:
        return problems, catalog
    try:
        catalog = catalog.with_overrides(scenario.catalog_overrides)
    except CatalogOverrideError as error:
        for where, message, suggestions in error.problems:
            problems.append((("catalog_overrides", *where), message, suggestions))
        return problems, catalog
    _check_routes(problems, scenario, catalog)
    _check_ballistic(problems, scenario, catalog)
    if not problems:
        _check_arrivals(problems, scenario, catalog)
    _check_masts(problems, scenario, catalog)
    problems.extend(check_sead(scenario, catalog))
    problems.extend(check_ingress(scenario, catalog))
    problems.extend(check_limits(scenario, catalog))
    return problems, catalog


def _check_jammers(problems: list[Problem], scenario: Scenario, catalog: Catalog) -> None:
    """A jammer's type is a catalog jammer, it rides an air track (or one raid member) and
    aims at radars or posts of the scenario."""
    carriers: list[str] = []
    for track in scenario.air_tracks:
        carriers.append(track.name)
        if track.count > 1:
            carriers.extend(f"{track.name}-{k + 1:02d}" for k in range(track.count))
    aims = [unit.name for unit in scenario.fire_units]
    aims += [f"{unit.name}/{radar.type}" for unit in scenario.fire_units for radar in unit.radars]
    aims += [radar.name for radar in scenario.radars]
    for j, jammer in enumerate(scenario.jammers):
        base = ("jammers", j)
        _check_name(problems, (*base, "type"), jammer.type, catalog.jammers, "jammer type")
        if jammer.on not in carriers:
            problems.append(
                ((*base, "on"), f"unknown air track {jammer.on!r}", _closest(jammer.on, carriers))
            )
        for i, name in enumerate(jammer.aim_at or []):
            if name not in aims:
                problems.append(
                    (
                        (*base, "aim_at", i),
                        f"unknown radar or post {name!r}",
                        _closest(name, aims),
                    )
                )


def _check_masts(problems: list[Problem], scenario: Scenario, catalog: Catalog) -> None:
    """A ``mast_m`` only on a radar type with a mast, within the heights it gives."""
    placed = [
        (("fire_units", u, "radars", r, "mast_m"), radar)
        for u, unit in enumerate(scenario.fire_units)
        for r, radar in enumerate(unit.radars)
    ] + [(("radars", r, "mast_m"), radar) for r, radar in enumerate(scenario.radars)]
    for path, radar in placed:
        if radar.mast_m is None:
            continue
        heights = catalog.radars[radar.type].mast_heights_m
        with_mast = sorted(k for k, spec in catalog.radars.items() if spec.mast_heights_m)
        if heights is None:
            message = f"radar type {radar.type} has no mast (radars with one: {with_mast})"
            problems.append((path, message, []))
        elif not heights[0] <= radar.mast_m <= heights[1]:
            message = (
                f"{radar.mast_m:g} m is outside the {heights[0]:g}-{heights[1]:g} m a mast "
                f"gives a {radar.type} (catalog mast_heights_m)"
            )
            problems.append((path, message, []))


SPEED_TOLERANCE = 0.01
"""Relative margin over a platform's maximum speed (scenario speeds are rounded knots)."""


def _check_routes(problems: list[Problem], scenario: Scenario, catalog: Catalog) -> None:
    """Each leg within its platform's ``max_speed_m_s``."""
    for t, track in enumerate(scenario.air_tracks):
        platform = catalog.air_platforms[track.type]
        for w, waypoint in enumerate(track.waypoints):
            path = ("air_tracks", t, "route", w)
            if waypoint.speed_mps > platform.max_speed_m_s * (1.0 + SPEED_TOLERANCE):
                limit_kt = platform.max_speed_m_s / KNOT_MPS
                problems.append(
                    (
                        (*path, "speed_kt"),
                        f"{waypoint.speed_kt:g} kt is faster than the maximum speed of "
                        f"{track.type} ({limit_kt:.0f} kt, catalog max_speed_m_s)",
                        [],
                    )
                )


def _check_arrivals(problems: list[Problem], scenario: Scenario, catalog: Catalog) -> None:
    """A raid planned by ``arrive_s`` must start at or after time 0: its flight time (the
    route as flown, or the ballistic time of flight) at most ``arrive_s``. A planned
    ingress is timed on its points before their altitudes are planned (the run's terrain
    is not read here): its climbs and dives, at most ``max_path_angle_deg``, add at most
    ``1 / cos(angle) - 1`` (0.4 % at 5 deg) to its legs."""
    from iadsim.motion.ballistic import scenario_flight  # on use
    from iadsim.motion.ingress import densify_route
    from iadsim.motion.raid_timing import route_duration_s

    for t, track in enumerate(scenario.air_tracks):
        if track.arrive_s is None:
            continue
        platform = catalog.air_platforms[track.type]
        if track.ballistic is not None and platform.ballistic is not None:
            flight_time_s = scenario_flight(track.ballistic, platform.ballistic).time_of_flight_s
        else:
            route = np.array(
                [[w.lat_deg, w.lon_deg, w.alt_m, w.speed_mps] for w in track.waypoints]
            )
            if track.ingress is not None:  # flown through its planned points, turning there
                route = densify_route(route, track.ingress.spacing_m)[0]
            flight_time_s = route_duration_s(route, platform.max_bank_rad)
        if flight_time_s > track.arrive_s:
            message = (
                f"the flight takes {flight_time_s:,.1f} s, so arriving at {track.arrive_s:g} s "
                f"would start it before the run; give arrive_s >= {flight_time_s:,.1f}"
            )
            problems.append((("air_tracks", t, "arrive_s"), message, []))


def _check_ballistic(problems: list[Problem], scenario: Scenario, catalog: Catalog) -> None:
    """Each ballistic flight: a missile with ballistic performance, a target within its
    range, and a flight of the asked shape that reaches it (solved here, once: the run
    reuses the solution)."""
    from iadsim.motion.ballistic import UnreachableTargetError, scenario_flight  # on use

    for t, track in enumerate(scenario.air_tracks):
        if track.ballistic is None:
            continue
        path = ("air_tracks", t, "ballistic")
        performance = catalog.air_platforms[track.type].ballistic
        if performance is None:
            able = sorted(k for k, p in catalog.air_platforms.items() if p.ballistic)
            message = f"{track.type} has no ballistic performance in the catalog (those with: "
            problems.append(((*path,), f"{message}{able})", []))
            continue
        launch, target = track.ballistic.launch, track.ballistic.target
        _, _, range_m = _GEOD.inv(launch.lon_deg, launch.lat_deg, target.lon_deg, target.lat_deg)
        if range_m < MIN_BALLISTIC_RANGE_M:
            message = f"the target is {range_m:,.0f} m from the launch point; a ballistic flight "
            problems.append(((*path, "target"), f"{message}needs at least 1 km", []))
            continue
        if range_m > performance.max_range_m:
            message = (
                f"the target is {range_m / 1000:,.0f} km from the launch point, beyond the "
                f"{performance.max_range_m / 1000:,.0f} km range of {track.type} "
                "(catalog ballistic.max_range_m)"
            )
            problems.append(((*path, "target"), message, []))
            continue
        try:
            scenario_flight(track.ballistic, performance)
        except UnreachableTargetError as error:
            problems.append(((*path,), f"no ballistic flight reaches the target: {error}", []))
