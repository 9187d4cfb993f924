"""Air tracks of a scenario: routed flights and raids, ballistic flights with their
terminal manoeuvre, and ingress planned over the terrain (:mod:`iadsim.scenario.schema`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from iadsim.core.units import STANDARD_GRAVITY_MPS2
from iadsim.scenario.basics import (
    MAX_RAID_MEMBERS,
    MAX_TIME_S,
    IffMode,
    Position,
    Strict,
    Waypoint,
)


class TerminalManoeuvre(Strict):
    """A notional terminal weave of a ballistic missile (:mod:`iadsim.motion.ballistic_table`):
    ``periods`` swerves of ``period_s`` to one side of the ballistic path and back, peak
    lateral acceleration ``accel_g``, ending at impact."""

    accel_g: float = Field(gt=0, le=100)
    period_s: float = Field(gt=0, le=600)
    periods: int = Field(default=1, ge=1, le=100)

    @property
    def accel_mps2(self) -> float:
        """Peak lateral acceleration, m/s^2."""
        return self.accel_g * STANDARD_GRAVITY_MPS2


class BallisticLaunch(Strict):
    """A ballistic flight from ``launch`` to ``target`` (:mod:`iadsim.motion.ballistic`).

    Its shape is at most one of: ``apogee_km`` (depressed or lofted), ``time_of_flight_s``
    (launch to impact), ``minimum_energy: true`` (the least burnout speed); with none, the
    catalog's nominal apogee. Heights are above the ellipsoid, as route altitudes.
    """

    launch: Position
    target: Position
    apogee_km: float | None = Field(default=None, gt=0, le=2000)
    time_of_flight_s: float | None = Field(default=None, gt=0, le=3600)
    minimum_energy: bool = False
    terminal_manoeuvre: TerminalManoeuvre | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> BallisticLaunch:
        given = [
            name
            for name, value in (
                ("apogee_km", self.apogee_km),
                ("time_of_flight_s", self.time_of_flight_s),
                ("minimum_energy", self.minimum_energy or None),
            )
            if value is not None
        ]
        if len(given) > 1:
            msg = f"give at most one of apogee_km, time_of_flight_s, minimum_energy (got {given})"
            raise ValueError(msg)
        return self


class Ingress(Strict):
    """An ingress planned over the terrain (:mod:`iadsim.motion.ingress`).

    The route is densified every ``spacing_m`` and flown ``clearance_m`` or more above the
    terrain; with ``below_horizon_of`` (a radar: ``<fire unit>/<radar type>`` or a
    standalone radar's name) as high as its altitudes (or ``max_alt_m``) allow while
    ``mask_margin_m`` below that radar's line of sight over the terrain (4/3 earth), and
    down to the clearance where even that is in view; without it, at the clearance. Climbs
    and dives are limited to ``max_path_angle_deg``. The waypoints' ``alt_m`` is the
    altitude flown where the radar cannot see it anyway. ``max_detour_m`` (with
    ``below_horizon_of``) also moves each leg sideways, up to that far from it, to where
    the radar cannot see it: down valleys and behind hills
    (:mod:`iadsim.motion.lateral_ingress`).
    """

    below_horizon_of: str | None = None
    clearance_m: float = Field(default=60.0, gt=0, le=5000)
    max_alt_m: float | None = Field(default=None, gt=0, le=30000)
    spacing_m: float = Field(default=500.0, ge=50, le=10000)
    mask_margin_m: float = Field(default=30.0, ge=0, le=5000)
    max_path_angle_deg: float = Field(default=5.0, gt=0, le=45)
    max_detour_m: float | None = Field(default=None, ge=0, le=200_000)


class AirTrack(Strict):
    """One flight, or a raid of ``count`` aircraft or missiles ``spacing_s`` apart.

    ``altitude_reference: agl`` makes route altitudes heights above the terrain (terrain
    following, as cruise missiles and drones fly); ``msl`` (default) above mean sea level.
    ``flight_plan_sides``: the sides whose units hold this flight's filed plan (its route
    and times, e.g. filed with national air traffic control), which they use to identify it
    procedurally. ``iff_modes`` and ``transponder`` override the side's. A flight is
    flown along its ``route``, or, for a ballistic missile, as a ``ballistic`` flight from
    a launch point to a target: exactly one of the two.

    Raid timing (:mod:`iadsim.motion.raid_timing`): ``arrive_s`` instead of ``start_s``
    plans the raid by its time on target: the first member reaches the end of its route
    (or its ballistic target) then, and its start follows from the route and speeds.
    ``waves`` repeats the raid, each wave ``wave_interval_s`` after the one before.
    ``ingress`` replans the route's altitudes over the terrain, below a radar's horizon
    (:class:`Ingress`).
    """

    name: str
    side: str
    type: str
    start_s: float = Field(default=0.0, ge=0, le=MAX_TIME_S)
    arrive_s: float | None = Field(default=None, ge=0, le=MAX_TIME_S)
    count: int = Field(default=1, ge=1, le=MAX_RAID_MEMBERS)
    spacing_s: float = Field(default=0.0, ge=0, le=MAX_TIME_S)
    waves: int = Field(default=1, ge=1, le=MAX_RAID_MEMBERS)
    wave_interval_s: float = Field(default=0.0, ge=0, le=MAX_TIME_S)
    iff_modes: list[IffMode] | None = None
    transponder: str | None = None
    altitude_reference: Literal["msl", "agl"] = "msl"
    flight_plan_sides: list[str] = Field(default_factory=list)
    route: list[Waypoint] | None = Field(default=None, min_length=2)
    ballistic: BallisticLaunch | None = None
    ingress: Ingress | None = None
    target_radar: str | None = None
    """An anti-radiation missile's target, ``<fire unit>/<radar type>``: its route is
    extended to the radar's antenna (:mod:`iadsim.weapons.arm`)."""

    @model_validator(mode="after")
    def _route_or_ballistic(self) -> AirTrack:
        if (self.route is None) == (self.ballistic is None):
            which = "both" if self.route is not None else "neither"
            msg = f"give exactly one of route and ballistic (got {which})"
            raise ValueError(msg)
        if self.ballistic is not None and self.altitude_reference == "agl":
            raise ValueError("a ballistic flight's heights are above the ellipsoid: no agl")
        return self

    @model_validator(mode="after")
    def _timing_is_consistent(self) -> AirTrack:
        if self.arrive_s is not None and "start_s" in self.model_fields_set:
            raise ValueError("give start_s or arrive_s (the start follows from it), not both")
        if self.count * self.waves > MAX_RAID_MEMBERS:
            msg = f"count x waves is {self.count * self.waves}, over {MAX_RAID_MEMBERS:,}"
            raise ValueError(msg)
        if self.waves > 1:
            wave_length_s = (self.count - 1) * self.spacing_s
            if self.wave_interval_s <= wave_length_s:
                msg = (
                    f"wave_interval_s ({self.wave_interval_s:g}) must exceed one wave's "
                    f"length, (count - 1) x spacing_s = {wave_length_s:g} s"
                )
                raise ValueError(msg)
        elif "wave_interval_s" in self.model_fields_set:
            raise ValueError("wave_interval_s is for waves > 1")
        return self

    @property
    def members(self) -> int:
        """Aircraft or missiles the track flies: ``count`` in each of ``waves``."""
        return self.count * self.waves

    @property
    def waypoints(self) -> list[Waypoint]:
        """The route (empty for a ballistic flight)."""
        return self.route or []

    @property
    def places(self) -> list[Position]:
        """Every point the flight names: its waypoints, or its launch point and target."""
        if self.ballistic is not None:
            return [self.ballistic.launch, self.ballistic.target]
        return list(self.waypoints)
