"""Build the simulation's tables and components from a validated scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from iadsim.c2.doctrine import NoFireAreas
from iadsim.c2.picture.datalink import LinkReceiver
from iadsim.c2.picture.identification import Identity
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.c2.picture.procedural import Corridor, FlightPlans
from iadsim.catalog import Catalog
from iadsim.core.registry import TRACKERS
from iadsim.core.tables import Column, Table
from iadsim.ew.jammers import JammerSet
from iadsim.ew.noise_jamming import NoiseJamming
from iadsim.geo.borders import Country
from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.ballistic import STEP_S, BallisticFlight, scenario_flight
from iadsim.motion.ballistic_table import BallisticTable, TerminalWeave
from iadsim.motion.flights import FlightTable
from iadsim.motion.ingress import IngressPlan, plan_ingress
from iadsim.motion.lateral_ingress import plan_valley_ingress
from iadsim.motion.raid_timing import first_start_s, launch_times_s, route_duration_s
from iadsim.motion.waypoints import RouteTable
from iadsim.scenario.air_tracks import Ingress, TerminalManoeuvre
from iadsim.scenario.ingress_checks import fixed_radar_sites
from iadsim.scenario.schema import FireUnit, Scenario
from iadsim.sensors.chain import build_signal_effects
from iadsim.sensors.iff import Interrogator, Transponders, mode_mask
from iadsim.sensors.radar import Radar
from iadsim.tracking.pruning import PruningRules
from iadsim.tracking.tracker import TrackerConfig
from iadsim.weapons.arm import radar_sites
from iadsim.weapons.launchers import LauncherTable

TRACKER_CONFIG = TrackerConfig()
"""Command-post trackers: tracks started by a radar that tracks ballistic targets take a
velocity prior wide enough for a ~2 km/s missile, the others one for aircraft."""


class AirEntities(Table):
    """Every aircraft and missile of the scenario, one row each (raids expanded).

    An entity's id is its slot; rows are never released (whether an entity still flies is
    the engine's ``alive`` and ``finished``).

    Parameters
    ----------
    name : list of str
        ``raid1-03``-style names, one per entity.
    routes : FlightTable
        Their routes and ballistic flights, by the same index.
    flight_plan_holders : list of frozenset of str
        Sides whose units hold each entity's filed flight plan.

    Attributes
    ----------
    side, platform, category : (n,) int32
        Labelled columns (see ``labels`` and :meth:`label`): side, catalog key, category.
    swerling : (n,) int64
    transponder : (n,) int64
        IFF modes answered (bit mask).
    terrain_following : (n,) bool
        Route altitudes are above ground level.
    """

    COLUMNS = (
        Column("side", np.int32, -1, labelled=True),
        Column("platform", np.int32, -1, labelled=True),
        Column("category", np.int32, -1, labelled=True),
        Column("swerling", np.int64, 0),
        Column("transponder", np.int64, 0),
        Column("terrain_following", np.bool_, False),
    )

    side: np.ndarray
    platform: np.ndarray
    category: np.ndarray
    swerling: np.ndarray
    transponder: np.ndarray
    terrain_following: np.ndarray

    def __init__(
        self, name: list[str], routes: FlightTable, flight_plan_holders: list[frozenset[str]]
    ) -> None:
        super().__init__(len(name))
        self.allocate(len(name))
        self.name = name
        self.routes = routes
        self.flight_plan_holders = flight_plan_holders

    def __len__(self) -> int:
        return len(self.name)


def build_air_entities(
    scenario: Scenario, catalog: Catalog, terrain: ElevationGrid | None = None
) -> AirEntities:
    """Expand air tracks (raids of ``count`` members ``spacing_s`` apart) into entities.

    An anti-radiation missile's route goes on to its target radar's antenna
    (:func:`~iadsim.weapons.arm.radar_sites`). Routes are flown by the
    :class:`RouteTable`, turning at each waypoint at the catalog bank angle of the platform
    (:mod:`iadsim.motion.turns`); ballistic flights are solved once per air track
    (:func:`~iadsim.motion.ballistic.scenario_flight`) and played back by the
    :class:`BallisticTable`. A track with an ``ingress`` has its route replanned over
    ``terrain`` first (:func:`_planned_route`), which it then needs.
    """
    rows: dict[str, list] = {
        k: []
        for k in (
            "name",
            "side",
            "platform",
            "category",
            "swerling",
            "transponder",
            "agl",
            "plan",
        )
    }
    route_rows: list[int] = []
    routes: list[np.ndarray] = []
    route_start: list[float] = []
    route_bank: list[float] = []
    ballistic_rows: list[int] = []
    flights: list[BallisticFlight] = []
    weaves: list[TerminalWeave | None] = []
    ballistic_start: list[float] = []
    for track in scenario.air_tracks:
        spec = catalog.air_platforms[track.type]
        modes = (
            track.iff_modes if track.iff_modes is not None else scenario.sides[track.side].iff_modes
        )
        flight, weave = None, None
        route = np.zeros((0, 4))
        if track.ballistic is not None and spec.ballistic is not None:
            flight = scenario_flight(track.ballistic, spec.ballistic)
            weave = _weave(track.ballistic.terminal_manoeuvre)
            flight_time_s = flight.time_of_flight_s
        else:
            route = np.array(
                [[w.lat_deg, w.lon_deg, w.alt_m, w.speed_mps] for w in track.waypoints]
            )
            if track.ingress is not None:
                route = _planned_route(scenario, catalog, track.ingress, route, terrain)
            if track.target_radar is not None:  # an anti-radiation missile: on to the antenna
                lat, lon, alt = radar_sites(scenario, catalog)[track.target_radar]
                route = np.vstack([route, [lat, lon, alt, route[-1, 3]]])
            flight_time_s = 0.0
            if track.arrive_s is not None:
                flight_time_s = route_duration_s(route, spec.max_bank_rad)
        first_s = first_start_s(track.start_s, track.arrive_s, flight_time_s)
        starts = launch_times_s(
            first_s, track.count, track.spacing_s, track.waves, track.wave_interval_s
        )
        for k, start in enumerate(starts.tolist()):
            if flight is not None:
                ballistic_rows.append(len(rows["name"]))
                flights.append(flight)
                weaves.append(weave)
                ballistic_start.append(start)
            else:
                route_rows.append(len(rows["name"]))
                routes.append(route)
                route_start.append(start)
                route_bank.append(spec.max_bank_rad)
            rows["name"].append(track.name if track.members == 1 else f"{track.name}-{k + 1:02d}")
            rows["side"].append(track.side)
            rows["platform"].append(track.type)
            rows["category"].append(spec.category)
            rows["swerling"].append(spec.swerling)
            rows["transponder"].append(mode_mask(modes))
            rows["agl"].append(track.altitude_reference == "agl")
            rows["plan"].append(frozenset(track.flight_plan_sides))
    flight_table = FlightTable.combine(
        len(rows["name"]),
        RouteTable.from_routes(routes, np.array(route_start), np.array(route_bank))
        if routes
        else None,
        np.array(route_rows, dtype=np.int64),
        BallisticTable.from_flights(flights, np.array(ballistic_start), weaves, STEP_S)
        if flights
        else None,
        np.array(ballistic_rows, dtype=np.int64),
    )
    entities = AirEntities(rows["name"], flight_table, rows["plan"])
    for labelled in ("side", "platform", "category"):
        getattr(entities, labelled)[:] = entities.encode(labelled, rows[labelled])
    entities.swerling[:] = rows["swerling"]
    entities.transponder[:] = rows["transponder"]
    entities.terrain_following[:] = rows["agl"]
    return entities


def _planned_route(
    scenario: Scenario,
    catalog: Catalog,
    ingress: Ingress,
    route: np.ndarray,
    terrain: ElevationGrid | None,
) -> np.ndarray:
    """A route ``(k, 4)`` (lat_deg, lon_deg, alt_m, speed_mps) replanned as its ``ingress``
    asks (:func:`~iadsim.motion.ingress.plan_ingress`), ``(m, 4)``."""
    if terrain is None:
        raise ValueError("an ingress is planned over the terrain: pass the terrain grid")
    radar = None
    if ingress.below_horizon_of is not None:
        radar = fixed_radar_sites(scenario, catalog)[ingress.below_horizon_of]
    plan = IngressPlan(
        clearance_m=ingress.clearance_m,
        spacing_m=ingress.spacing_m,
        radar_lla=radar,
        max_alt_m=ingress.max_alt_m,
        mask_margin_m=ingress.mask_margin_m,
        max_path_angle_rad=math.radians(ingress.max_path_angle_deg),
    )
    if ingress.max_detour_m is not None:
        return plan_valley_ingress(route, terrain, plan, ingress.max_detour_m)
    return plan_ingress(route, terrain, plan)


def _weave(manoeuvre: TerminalManoeuvre | None) -> TerminalWeave | None:
    """The played-back weave of a scenario's terminal manoeuvre (SI units)."""
    if manoeuvre is None:
        return None
    return TerminalWeave(manoeuvre.accel_mps2, manoeuvre.period_s, manoeuvre.periods)


def build_transponders(
    scenario: Scenario, catalog: Catalog, entities: AirEntities, rng: np.random.Generator
) -> Transponders:
    """Each entity's transponder (its track's, else its side's type), failure times drawn."""
    probability, rate, sigma_alt = [], [], []
    for track in scenario.air_tracks:
        key = track.transponder or scenario.sides[track.side].transponder
        spec = catalog.transponders[key]
        probability += [spec.reply_probability] * track.members
        rate += [spec.failure_rate_per_h] * track.members
        sigma_alt += [spec.sigma_alt_m] * track.members
    return Transponders.fitted(
        entities.transponder, np.array(probability), np.array(rate), np.array(sigma_alt), rng
    )


def build_flight_plans(entities: AirEntities, step_s: float | None = None) -> FlightPlans:
    """The filed flight plans: each planned flight's route and times, who holds them;
    ``step_s``, the simulation's time step, lets them compute a block of steps at once."""
    civil = [category == "airliner" for category in entities.labels_of("category")]
    return FlightPlans.filed(entities.routes, entities.flight_plan_holders, civil, step_s)


@dataclass
class FireUnitState:
    """A fire unit at run time: its post's picture, radars, limits and doctrine."""

    index: int
    spec: FireUnit
    picture: CommandPostPicture
    radars: list[int]
    fire_control_radar: int
    interrogator: Interrogator
    datalinks: frozenset[str]
    decision_interval_s: float
    hostile_sides: frozenset[str]
    no_fire: NoFireAreas = field(default_factory=NoFireAreas)
    corridors: tuple[Corridor, ...] = ()
    carrier: int = -1
    """Air entity the post rides on, -1 for a ground post."""
    gateway_modes: int = 0
    """Modes (bit mask) the interrogator receives that only the post's national IFF gateway
    reads: their replies reach the post ``gateway_latency_s`` after the scan."""
    gateway_latency_s: float = 0.0
    receiver: LinkReceiver = field(
        default_factory=lambda: LinkReceiver(TRACKER_CONFIG.process_noise_mps2)
    )
    """Track reports received over the post's data links."""
    engaged: dict[int, int] = field(default_factory=dict)
    """Track id -> interceptors in flight or awaiting assessment."""
    engaged_at: dict[int, tuple[np.ndarray, float, float]] = field(default_factory=dict)
    """Track id of each engaged track -> its last ENU state (6,), the state's time and its
    last update, s: where the post last held it (:mod:`iadsim.c2.fragments`)."""
    initial_rounds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Rounds loaded at the start, by interceptor type (for the reserve)."""

    @property
    def name(self) -> str:
        """The unit's scenario name."""
        return self.spec.name


def carriers(entities: AirEntities, units: list[FireUnitState], n_radars: int) -> np.ndarray:
    """Set each airborne unit's carrier entity; return the carrier of every radar (-1: none).

    Radars are numbered as :func:`build_radars` numbers them (units' radars first).
    """
    radar_carrier = np.full(n_radars, -1, dtype=np.int64)
    for unit in units:
        if unit.spec.carrier is not None:
            unit.carrier = entities.name.index(unit.spec.carrier)
            radar_carrier[unit.radars[: len(unit.spec.radars)]] = unit.carrier
    return radar_carrier


def build_radars(scenario: Scenario, catalog: Catalog) -> tuple[list[Radar], dict[str, list[int]]]:
    """Radars of fire units and standalone radars; and which radars feed each unit."""
    radars: list[Radar] = []
    feeds: dict[str, list[int]] = {unit.name: [] for unit in scenario.fire_units}
    effects = build_signal_effects((c.name, c.settings) for c in scenario.signal_effects)
    if scenario.jammers and not any(isinstance(e, NoiseJamming) for e in effects):
        effects = (*effects, NoiseJamming())
    for unit in scenario.fire_units:
        for placement in unit.radars:
            spec = catalog.radars[placement.type]
            site = placement.position or unit.site
            radars.append(
                Radar(
                    len(radars),
                    f"{unit.name}/{placement.type}",
                    spec,
                    site.lat_rad,
                    site.lon_rad,
                    site.alt_m + placement.antenna_height_m(spec),
                    np.radians(placement.facing_deg),
                    signal_effects=effects,
                    antenna_agl_m=placement.antenna_height_m(spec),
                )
            )
            feeds[unit.name].append(len(radars) - 1)
    for standalone in scenario.radars:
        spec = catalog.radars[standalone.type]
        site = standalone.position
        radars.append(
            Radar(
                len(radars),
                standalone.name,
                spec,
                site.lat_rad,
                site.lon_rad,
                site.alt_m + standalone.antenna_height_m(spec),
                np.radians(standalone.facing_deg),
                signal_effects=effects,
                antenna_agl_m=standalone.antenna_height_m(spec),
            )
        )
        targets = standalone.reports_to
        if targets is None:
            targets = [u.name for u in scenario.fire_units if u.side == standalone.side]
        for name in targets:
            feeds[name].append(len(radars) - 1)
    return radars, feeds


def build_jammers(scenario: Scenario, catalog: Catalog, entities: AirEntities) -> JammerSet:
    """The scenario's jammers on their carriers, each aim resolved to radar names (a post
    stands for its own radars)."""
    posts = {
        unit.name: frozenset(f"{unit.name}/{radar.type}" for radar in unit.radars)
        for unit in scenario.fire_units
    }
    placements = []
    for jammer in scenario.jammers:
        aim = None
        if jammer.aim_at is not None:
            aim = frozenset(
                radar for name in jammer.aim_at for radar in posts.get(name, frozenset({name}))
            )
        placements.append((catalog.jammers[jammer.type], jammer.on, aim))
    return JammerSet.build(placements, entities.name)


def build_fire_units(
    scenario: Scenario,
    catalog: Catalog,
    radars: list[Radar],
    feeds: dict[str, list[int]],
    borders: Sequence[Country] = (),
    terrain: ElevationGrid | None = None,
) -> list[FireUnitState]:
    """Fire units with their pictures (one tracker per command post); ``borders`` are the
    country outlines that no-fire countries are looked up in, ``terrain`` the ground that
    the pictures delete tracks under (None: the ellipsoid)."""
    zones = [
        np.array([[v.lon_deg, v.lat_deg] for v in zone.polygon]) for zone in scenario.no_fire_zones
    ]
    units = []
    for index, unit in enumerate(scenario.fire_units):
        post = catalog.command_posts[unit.command_post]
        fire_control = [r for r in feeds[unit.name] if radars[r].spec.role == "fire_control"]
        picture = CommandPostPicture(
            unit.name,
            unit.site.lat_rad,
            unit.site.lon_rad,
            unit.site.alt_m,
            TRACKERS.get(scenario.tracker)(TRACKER_CONFIG),
            frozenset(fire_control),
            terrain,
            PruningRules(
                coast_revisits=scenario.track_deletion.coast_revisits,
                max_speed_mps=scenario.track_deletion.max_speed_mps,
                terrain_tolerance_m=scenario.track_deletion.terrain_tolerance_m,
                sigmas=scenario.track_deletion.sigmas,
            ),
        )
        side = scenario.sides[unit.side]
        modes = unit.iff_modes if unit.iff_modes is not None else post.iff_modes
        # Secure modes the post cannot read but its gateway decodes for it (late).
        gateway = unit.iff_gateway
        gateway_modes = mode_mask(set(gateway.modes) - set(modes)) if gateway else 0
        own = [radars[r] for r in feeds[unit.name][: len(unit.radars)]]
        hostile = {name for name, other in scenario.sides.items() if unit.side in other.hostile_to}
        units.append(
            FireUnitState(
                index,
                unit,
                picture,
                feeds[unit.name],
                fire_control[0] if fire_control else -1,
                build_interrogator(
                    unit, catalog, mode_mask(modes) | gateway_modes, own[0] if own else None
                ),
                frozenset(side.datalinks if unit.on_datalink else ()),
                post.decision_interval_s,
                frozenset(hostile | set(side.hostile_to)),
                NoFireAreas(zones, tuple(unit.doctrine.no_fire_countries), borders),
                tuple(
                    Corridor(
                        np.array([[v.lon_deg, v.lat_deg] for v in c.polygon]),
                        c.min_alt_m,
                        c.max_alt_m,
                        Identity[c.identity.upper()],
                    )
                    for c in scenario.safe_corridors
                    if c.known_to is None or unit.name in c.known_to
                ),
                gateway_modes=gateway_modes,
                gateway_latency_s=gateway.latency_s if gateway else 0.0,
            )
        )
    return units


def build_interrogator(
    unit: FireUnit, catalog: Catalog, modes: int, radar: Radar | None
) -> Interrogator:
    """The post's IFF interrogator, on its first radar (facing, antenna) or at its site.

    An airborne post's interrogator is moved to its carrier at each scan
    (:class:`~iadsim.c2.picture.interrogation.InterrogationStage`).
    """
    spec = catalog.interrogators[catalog.command_posts[unit.command_post].interrogator]
    site = unit.site
    lat, lon, alt, facing = site.lat_rad, site.lon_rad, site.alt_m, 0.0
    if radar is not None:
        lat, lon, alt, facing = radar.lat_rad, radar.lon_rad, radar.alt_m, radar.facing_rad
    return Interrogator(
        f"{unit.name}/{catalog.command_posts[unit.command_post].interrogator}",
        modes,
        spec.max_range_m,
        facing,
        np.radians(spec.sector_deg),
        spec.interval_s,
        spec.hits_per_scan,
        np.radians(spec.beamwidth_deg),
        spec.sigma_range_m,
        np.radians(spec.sigma_az_deg),
        lat,
        lon,
        alt,
    )


def build_launchers(scenario: Scenario, catalog: Catalog) -> LauncherTable:
    """One row per launcher, loaded as the scenario says; spare rounds pooled per unit."""
    types = sorted(
        {key for u in scenario.fire_units for g in u.launchers for key in (*g.load, *g.spares)}
    )
    unit_rows, rounds, reaction, interval, reload = [], [], [], [], []
    spares = np.zeros((len(scenario.fire_units), len(types)), dtype=np.int64)
    for index, unit in enumerate(scenario.fire_units):
        for group in unit.launchers:
            spec = catalog.launchers[group.type]
            load = [group.load.get(key, 0) for key in types]
            spares[index] += [group.spares.get(key, 0) for key in types]
            for _ in range(group.count):
                unit_rows.append(index)
                rounds.append(load)
                reaction.append(spec.reaction_time_s)
                interval.append(spec.launch_interval_s)
                reload.append(spec.reload_time_s)
    n = len(unit_rows)
    loaded = np.array(rounds, dtype=np.int64).reshape(n, len(types))
    return LauncherTable(
        np.array(unit_rows, dtype=np.int64),
        loaded.copy(),
        np.zeros(n),
        np.array(reaction, dtype=float),
        np.array(interval, dtype=float),
        types,
        np.array(reload, dtype=float),
        loaded,
        spares,
        np.full(n, np.inf),
    )
