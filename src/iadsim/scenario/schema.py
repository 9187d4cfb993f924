"""Scenario schema (``schema_version: 1``): frozen, typed, units in key names.

A scenario is checked completely when it is loaded (:mod:`iadsim.scenario.loader`); nothing
downstream validates again. Degrees, knots and minutes live only here, at the edge; the
``*_rad``, ``*_mps`` and ``*_s`` properties hand SI values to the engine.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from iadsim.core.units import KNOT_MPS

IFF_MODES = ("mode5", "mode4", "mode3c", "national")
"""IFF modes a transponder can answer in and an interrogator can read."""

IffMode = Literal["mode5", "mode4", "mode3c", "national"]
WeaponControl = Literal["free", "tight", "hold"]


class Strict(BaseModel):
    """Base: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Position(Strict):
    """A point on the WGS-84 ellipsoid."""

    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)
    alt_m: float = Field(default=0.0, ge=-500, le=1.0e6)

    @property
    def lat_rad(self) -> float:
        """Latitude, radians."""
        return math.radians(self.lat_deg)

    @property
    def lon_rad(self) -> float:
        """Longitude, radians."""
        return math.radians(self.lon_deg)


class Waypoint(Position):
    """A route point; ``speed_kt`` is flown on the leg that starts here."""

    speed_kt: float = Field(gt=0, le=20000)

    @property
    def speed_mps(self) -> float:
        """Speed, metres per second."""
        return self.speed_kt * KNOT_MPS


class Side(Strict):
    """A side: its transponders, its data links, whom it fights."""

    iff_modes: list[IffMode] = Field(default_factory=list)
    datalinks: list[str] = Field(default_factory=list)
    hostile_to: list[str] = Field(default_factory=list)


class RadarPlacement(Strict):
    """A radar of a fire unit, placed at the unit's position unless given."""

    type: str
    facing_deg: float = Field(default=0.0, ge=0, lt=360)
    position: Position | None = None


class LauncherGroup(Strict):
    """``count`` launchers of one type, each loaded with ``load`` rounds by interceptor type."""

    type: str
    count: int = Field(default=1, ge=1, le=100)
    load: dict[str, int]


class LatLon(Strict):
    """A polygon vertex."""

    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)


class NoFireZone(Strict):
    """An area no unit may intercept over (an allied corridor, a city)."""

    name: str
    polygon: list[LatLon] = Field(min_length=3)


class Doctrine(Strict):
    """Firing doctrine of a fire unit.

    ``assignment``: ``wta`` (weapon-target assignment) or ``greedy`` (threat order);
    ``reserve_fraction`` of each interceptor type's load is kept back;
    ``no_fire_countries``: ISO alpha-3 codes of countries the unit must not fire into.
    """

    salvo: int = Field(default=2, ge=1, le=8)
    policy: Literal["shoot_shoot", "shoot_look_shoot"] = "shoot_look_shoot"
    assignment: Literal["wta", "greedy"] = "wta"
    reserve_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    no_fire_countries: list[str] = Field(default_factory=list)
    engage_categories: list[str] = Field(
        default_factory=lambda: ["fighter", "cruise_missile", "ballistic_missile", "drone"]
    )


class FireUnit(Strict):
    """A SAM fire unit: radars, a command post, launchers."""

    name: str
    side: str
    command_post: str
    position: Position
    weapon_control: WeaponControl = "tight"
    on_datalink: bool = True
    iff_modes: list[IffMode] | None = None
    doctrine: Doctrine = Doctrine()
    radars: list[RadarPlacement] = Field(min_length=1)
    launchers: list[LauncherGroup] = Field(min_length=1)


class StandaloneRadar(Strict):
    """A radar that reports to command posts (``reports_to``, default: its side's units)."""

    name: str
    side: str
    type: str
    position: Position
    facing_deg: float = Field(default=0.0, ge=0, lt=360)
    reports_to: list[str] | None = None


class DefendedAsset(Strict):
    """A place the defence protects."""

    name: str
    position: Position
    value: float = Field(gt=0)


class AirTrack(Strict):
    """One flight, or a raid of ``count`` aircraft or missiles ``spacing_s`` apart.

    ``altitude_reference: agl`` makes route altitudes heights above the terrain (terrain
    following, as cruise missiles and drones fly); ``msl`` (default) above mean sea level.
    """

    name: str
    side: str
    type: str
    start_s: float = Field(default=0.0, ge=0)
    count: int = Field(default=1, ge=1, le=10000)
    spacing_s: float = Field(default=0.0, ge=0)
    iff_modes: list[IffMode] | None = None
    altitude_reference: Literal["msl", "agl"] = "msl"
    route: list[Waypoint] = Field(min_length=2)


class Scenario(Strict):
    """A complete scenario."""

    schema_version: Literal[1]
    name: str
    description: str = ""
    start_time: datetime
    duration_min: float = Field(gt=0, le=24 * 60)
    time_step_s: float = Field(default=1.0, gt=0, le=60)
    record_interval_s: float = Field(default=10.0, gt=0)
    seed: int = Field(default=0, ge=0)
    sides: dict[str, Side]
    fire_units: list[FireUnit] = Field(default_factory=list)
    radars: list[StandaloneRadar] = Field(default_factory=list)
    defended_assets: list[DefendedAsset] = Field(default_factory=list)
    air_tracks: list[AirTrack] = Field(min_length=1)
    no_fire_zones: list[NoFireZone] = Field(default_factory=list)
    catalog_overrides: dict[str, dict[str, float | int | str]] = Field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        """Simulated time, seconds."""
        return self.duration_min * 60.0
