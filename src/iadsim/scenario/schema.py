"""Scenario schema (``schema_version: 1``): frozen, typed, units in key names.

A scenario is checked completely when it is loaded (:mod:`iadsim.scenario.loader`); nothing
downstream validates again. Degrees, knots and minutes live only here, at the edge; the
``*_rad``, ``*_mps`` and ``*_s`` properties hand SI values to the engine.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from iadsim.catalog.models import MAX_MAST_M, RadarType
from iadsim.core.names import is_safe_name
from iadsim.core.registry import (
    IDENTIFICATION_RULES,
    SIGNAL_EFFECTS,
    TRACKERS,
    Registry,
    UnknownModelError,
)
from iadsim.scenario.air_tracks import AirTrack
from iadsim.scenario.basics import (
    MAX_ROUNDS_PER_TYPE,
    MAX_SEED,
    MAX_STEPS,
    MAX_TIME_S,
    MAX_USER_CATALOGS,
    MIN_TIME_STEP_S,
    EmissionMode,
    IffMode,
    Position,
    SecureMode,
    Strict,
    WeaponControl,
)

DEFAULT_SALVO = 2
"""Rounds per engagement under ``shoot_shoot`` when the scenario gives no ``salvo``."""
DEFAULT_SALVO_SPACING_S = 3.0
"""Least time between two rounds of a salvo, s (notional: S-300/S-400 and Patriot ripple
fire at a few seconds' interval, so that the rounds do not fly one path)."""
DEFAULT_KILL_ASSESSMENT_PROBABILITY = 0.9
"""Chance that the post judges a killed target killed (notional, D: the 1991 Patriot
record shows how hard the judgement is, GAO NSIAD-92-340, S25)."""
DEFAULT_FALSE_KILL_PROBABILITY = 0.05
"""Chance that the post judges a surviving target killed (notional, D; as above)."""
DEFAULT_GUIDANCE_COAST_S = 20.0
"""Fire-control silence a midcourse missile flies through on inertial guidance, s (notional,
D: a few tens of seconds of INS flight on the last data-link update)."""
REMOVED_DOCTRINE_FIELDS = {
    "engage_categories": (
        "a post cannot know a track's true category, and no rule classified tracks by "
        "category, so it was never applied; which identities a unit engages is set by "
        "weapon_control (free, tight, hold)"
    ),
}
"""Doctrine fields no model read, taken out of the schema: name -> why."""


def _reject_removed(data: Any, removed: dict[str, str]) -> Any:
    """Raise a specific error for a field that was removed (not only "extra input")."""
    if isinstance(data, dict):
        for name, why in removed.items():
            if name in data:
                msg = f"{name!r} is no longer a scenario field: {why}"
                raise ValueError(msg)
    return data


DEFAULT_TRANSPONDER = "iff/mark-xiia"
"""Catalog transponder of a side that names none (a military Mark XIIA set)."""


class Side(Strict):
    """A side: its transponders (the modes they answer and their catalog type), its data
    links, whom it fights."""

    iff_modes: list[IffMode] = Field(default_factory=list)
    transponder: str = DEFAULT_TRANSPONDER
    datalinks: list[str] = Field(default_factory=list)
    hostile_to: list[str] = Field(default_factory=list)


class DataLink(Strict):
    """A tactical data link: how often each post reports its tracks, and how late they arrive.

    The defaults are notional Link 16 air-track reporting figures: a participant reports each
    of its air tracks about every 12 s (MIL-STD-6016 J3.2 air track reporting rate as quoted
    in public Link 16 primers), and a report reaches the others within a few seconds
    (TDMA frame 12 s, message latency of the order of seconds, D).
    """

    update_interval_s: float = Field(default=12.0, ge=0.1, le=3600)
    latency_s: float = Field(default=2.0, ge=0, le=3600)


class TrackDeletion(Strict):
    """When every post deletes a track that no detection supports any more.

    The defaults are :class:`iadsim.tracking.pruning.PruningRules`' (assumptions with
    ranges, sourced there): a track is deleted after ``coast_revisits`` revisits of the
    slowest radar that updated it without a detection, when it lies under the terrain by
    more than ``terrain_tolerance_m`` plus ``sigmas`` standard deviations of its height (the
    tolerance alone once it has missed a revisit), or when its speed less ``sigmas``
    standard deviations exceeds ``max_speed_mps``.
    """

    coast_revisits: float = Field(default=4.0, ge=1.0, le=100.0)
    max_speed_mps: float = Field(default=8000.0, gt=0.0, le=20_000.0)
    terrain_tolerance_m: float = Field(default=150.0, ge=0.0, le=10_000.0)
    sigmas: float = Field(default=3.0, ge=0.0, le=10.0)


class RadarPlacement(Strict):
    """A radar of a fire unit, placed at the unit's position unless given.

    ``mast_m``: the antenna is raised on a mast to this height above the site (the 40V6M /
    40V6MD towers of the S-400 family give 25-39 m), instead of the catalog's
    ``antenna_height_m`` on the radar's own vehicle; it must lie within the radar type's
    ``mast_heights_m``. A higher antenna pushes back the radar horizon (4/3 earth:
    d = 4.12 km (sqrt(h_antenna) + sqrt(h_target)), heights in m) for low-flying targets.

    Emission control (:mod:`iadsim.sensors.emission`): ``emission`` is ``always``
    (default), ``when_cued`` (radiates only while its post holds a track of a possible
    enemy, from another radar or the data link), ``go_live`` (only while such a track is
    within ``go_live_km`` of it) or ``blink`` (``blink_on_s`` on, ``blink_off_s`` off).
    ``shutdown_on_arm``: it falls silent for ``shutdown_s`` when it detects an
    anti-radiation missile. A silent radar detects nothing; the guidance it gives is lost.
    """

    type: str
    facing_deg: float = Field(default=0.0, ge=0, lt=360)
    position: Position | None = None
    mast_m: float | None = Field(default=None, gt=0, le=MAX_MAST_M)
    emission: EmissionMode = "always"
    go_live_km: float | None = Field(default=None, gt=0, le=5000)
    blink_on_s: float | None = Field(default=None, gt=0, le=MAX_TIME_S)
    blink_off_s: float | None = Field(default=None, gt=0, le=MAX_TIME_S)
    shutdown_on_arm: bool = False
    shutdown_s: float = Field(default=60.0, gt=0, le=MAX_TIME_S)

    def emission_problems(self) -> list[tuple[str, str]]:
        """``(field, message)`` for each setting that does not fit the emission policy:
        ``go_live`` needs its range and ``blink`` its two times; no other mode takes them
        (checked with the scenario's references, :mod:`iadsim.scenario.sead_checks`)."""
        wanted = {"go_live": ("go_live_km",), "blink": ("blink_on_s", "blink_off_s")}
        needed = wanted.get(self.emission, ())
        problems = []
        for mode, names in wanted.items():
            for name in names:
                given = getattr(self, name) is not None
                if name in needed and not given:
                    problems.append(("emission", f"emission {self.emission} needs {name}"))
                if given and mode != self.emission:
                    message = f"{name} is for emission {mode}, not {self.emission}"
                    problems.append((name, message))
        return problems

    def antenna_height_m(self, spec: RadarType) -> float:
        """Antenna height above the site, m: the mast's, else the catalog's."""
        return spec.antenna_height_m if self.mast_m is None else self.mast_m


class LauncherGroup(Strict):
    """``count`` launchers of one type, each loaded with ``load`` rounds by interceptor type.

    ``spares`` are reload rounds held at the unit (transloader stock), by interceptor type;
    an emptied launcher is reloaded from them after its catalog reload time.
    """

    type: str
    count: int = Field(default=1, ge=1, le=100)
    load: dict[str, Annotated[int, Field(ge=0, le=MAX_ROUNDS_PER_TYPE)]]
    spares: dict[str, Annotated[int, Field(ge=0, le=MAX_ROUNDS_PER_TYPE)]] = Field(
        default_factory=dict
    )


class LatLon(Strict):
    """A polygon vertex."""

    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)


class NoFireZone(Strict):
    """An area no unit may intercept over (an allied corridor, a city)."""

    name: str
    polygon: list[LatLon] = Field(min_length=3)


class SafeCorridor(Strict):
    """A safe corridor: tracks inside it (and its altitude band) get its identity.

    ``known_to`` lists the units that have it (default: every unit).
    """

    name: str
    polygon: list[LatLon] = Field(min_length=3)
    min_alt_m: float = Field(default=0.0, ge=-500, le=1.0e6)
    max_alt_m: float = Field(default=20_000.0, gt=0, le=1.0e6)
    identity: Literal["assumed_friend", "neutral"] = "assumed_friend"
    known_to: list[str] | None = None


class Doctrine(Strict):
    """Firing doctrine of a fire unit.

    ``policy``: ``shoot_look_shoot`` fires one round at a target and looks (waits for the kill
    assessment) before firing again; ``shoot_shoot`` fires a salvo of ``salvo`` rounds (default
    2) and then looks. A ``salvo`` above 1 under ``shoot_look_shoot`` is rejected rather than
    quietly reduced: the policy is what sets one round. ``assignment``: ``wta``
    (weapon-target assignment) or ``greedy`` (threat order); ``reserve_fraction`` of each
    interceptor type's load is kept back; a further ``ballistic_reserve_fraction`` is kept
    for tracks whose kinematics are ballistic (:func:`iadsim.c2.threat.target_class`), which
    the unit engages first; ``salvo_spacing_s`` is the least time between two
    rounds of a salvo; ``no_fire_countries``: ISO alpha-3 codes of countries
    the unit must not fire into. Which identities a unit engages is its ``weapon_control``.
    Kill assessment is imperfect: the post judges a killed target killed with probability
    ``kill_assessment_probability`` and a surviving one killed with probability
    ``false_kill_probability`` (a judged kill drops the track, a judged miss frees the
    target for the next shot). ``guidance_coast_s``: how long a missile in midcourse flies
    on inertial guidance towards the extrapolated track when the fire-control track goes
    silent, before it loses guidance.
    """

    policy: Literal["shoot_shoot", "shoot_look_shoot"] = "shoot_look_shoot"
    salvo: int | None = Field(default=None, ge=1, le=8)
    assignment: Literal["wta", "greedy"] = "wta"
    reserve_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    ballistic_reserve_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    salvo_spacing_s: float = Field(default=DEFAULT_SALVO_SPACING_S, ge=0.0, le=60.0)
    no_fire_countries: list[str] = Field(default_factory=list)
    kill_assessment_probability: float = Field(
        default=DEFAULT_KILL_ASSESSMENT_PROBABILITY, ge=0.0, le=1.0
    )
    false_kill_probability: float = Field(default=DEFAULT_FALSE_KILL_PROBABILITY, ge=0.0, le=1.0)
    guidance_coast_s: float = Field(default=DEFAULT_GUIDANCE_COAST_S, ge=0.0, le=600.0)

    @model_validator(mode="before")
    @classmethod
    def _removed_fields(cls, data: Any) -> Any:
        return _reject_removed(data, REMOVED_DOCTRINE_FIELDS)

    @field_validator("salvo")
    @classmethod
    def _salvo_fits_the_policy(cls, salvo: int | None, info: ValidationInfo) -> int | None:
        if salvo is not None and salvo > 1 and info.data.get("policy") == "shoot_look_shoot":
            msg = (
                f"salvo {salvo} with policy shoot_look_shoot: that policy fires one round and "
                "looks before the next; use policy shoot_shoot for salvos"
            )
            raise ValueError(msg)
        return salvo

    @model_validator(mode="after")
    def _reserves_leave_rounds(self) -> Doctrine:
        if self.reserve_fraction + self.ballistic_reserve_fraction >= 1.0:
            msg = "reserve_fraction + ballistic_reserve_fraction must stay below 1"
            raise ValueError(msg)
        return self

    @property
    def rounds_per_engagement(self) -> int:
        """Rounds fired at a target before looking: 1 under shoot-look-shoot, else the salvo."""
        if self.policy == "shoot_look_shoot":
            return 1
        return DEFAULT_SALVO if self.salvo is None else self.salvo


def _mode5_only() -> list[SecureMode]:
    return ["mode5"]


class IffGateway(Strict):
    """A national IFF gateway serving a post that cannot read allied secure IFF itself.

    The gateway (a national cryptographic unit that holds the allied keys, the working
    group's option in the Turkish S-400 debate) decodes the secure replies (``modes``)
    that the post's own interrogator receives and hands the post each decoded reply,
    as a reply the post can read, ``latency_s`` after the scan. The post never holds the
    keys: it sees a Mode 5 reply only through the gateway, and only that late.

    ``latency_s``: from the scan to the reply's delivery at the post, s. The default, 2 s,
    is an assumption (the scenario's Link 16 latency); no figure for such a gateway is
    public.
    """

    latency_s: float = Field(default=2.0, ge=0, le=120)
    modes: list[SecureMode] = Field(default_factory=_mode5_only, min_length=1)


class FireUnit(Strict):
    """A post: a command post with its radars and launchers (none for sensor and C2 posts).

    A unit stands at ``position`` or rides on an aircraft, ``carrier`` (the name of a single
    air track), exactly one of the two. An airborne unit's radars move with the carrier and
    scan only while it flies; its post keeps the ENU frame of the carrier's first waypoint,
    which the loader writes into ``position`` (so ``position`` is always set after loading).
    ``iff_modes`` are the modes its interrogator uses and reads (default: its command post's
    catalog entry); ``iff_gateway`` gives it the secure replies it cannot read, late
    (:class:`IffGateway`).
    """

    name: str
    side: str
    command_post: str
    position: Position | None = None
    carrier: str | None = None
    weapon_control: WeaponControl = "tight"
    on_datalink: bool = True
    iff_modes: list[IffMode] | None = None
    iff_gateway: IffGateway | None = None
    doctrine: Doctrine = Doctrine()
    radars: list[RadarPlacement] = Field(default_factory=list)
    launchers: list[LauncherGroup] = Field(default_factory=list)

    @property
    def site(self) -> Position:
        """The post's position (for an airborne post, its carrier's first waypoint)."""
        if self.position is None:
            msg = f"unit {self.name!r} has no position: load it through a Scenario"
            raise ValueError(msg)
        return self.position

    @model_validator(mode="after")
    def _one_place(self) -> FireUnit:
        if (self.position is None) == (self.carrier is None):
            which = "both" if self.carrier is not None else "neither"
            msg = f"give exactly one of position and carrier (got {which})"
            raise ValueError(msg)
        if self.carrier is not None and any(r.position is not None for r in self.radars):
            raise ValueError("the radars of an airborne unit ride on its carrier: no position")
        if self.carrier is not None and any(r.mast_m is not None for r in self.radars):
            raise ValueError("the radars of an airborne unit ride on its carrier: no mast_m")
        return self


class StandaloneRadar(Strict):
    """A radar that reports to command posts (``reports_to``, default: its side's units)."""

    name: str
    side: str
    type: str
    position: Position
    facing_deg: float = Field(default=0.0, ge=0, lt=360)
    mast_m: float | None = Field(default=None, gt=0, le=MAX_MAST_M)
    reports_to: list[str] | None = None

    def antenna_height_m(self, spec: RadarType) -> float:
        """Antenna height above the site, m: the mast's (as :class:`RadarPlacement`), else
        the catalog's."""
        return spec.antenna_height_m if self.mast_m is None else self.mast_m


class JammerPlacement(Strict):
    """A noise jammer (:mod:`iadsim.ew`): a catalog ``type`` (``jammers.yaml``) riding
    ``on`` an air track (each aircraft of a raid carries one) or one raid member
    (``<raid>-NN``), aiming its main beam at the radars or posts named in ``aim_at``
    (default: every radar it can tune to). A stand-off jammer rides an aircraft that holds
    back, an escort jammer one that flies with the raid, a self-protection jammer the
    target itself."""

    type: str
    on: str
    aim_at: list[str] | None = Field(default=None, min_length=1)


class PassiveReceiver(Strict):
    """A passive receiver (radar warning receiver, ELINT) that detects emitting radars.

    It rides on ``carrier`` (one aircraft's air track) or stands at ``position``, and detects
    an emitting radar in ``band_hz`` in its line of sight when the one-way received power
    (:func:`iadsim.sensors.passive.received_power_dbm`) reaches ``sensitivity_dbm``.
    ``antenna_gain_dbi`` and ``losses_db`` are the receiver's antenna gain and line losses.
    """

    name: str
    side: str
    kind: Literal["rwr", "elint"] = "rwr"
    carrier: str | None = None
    position: Position | None = None
    sensitivity_dbm: float = Field(ge=-200, le=50)
    antenna_gain_dbi: float = Field(default=0.0, ge=-40, le=60)
    losses_db: float = Field(default=0.0, ge=0, le=100)
    band_hz: tuple[float, float] = (5.0e8, 1.8e10)
    interval_s: float = Field(default=1.0, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_place(self) -> PassiveReceiver:
        if (self.carrier is None) == (self.position is None):
            raise ValueError("give exactly one of carrier and position")
        if not 0 < self.band_hz[0] < self.band_hz[1]:
            raise ValueError("band_hz must be [low, high] with 0 < low < high")
        return self


class DefendedAsset(Strict):
    """A place the defence protects."""

    name: str
    position: Position
    value: float = Field(gt=0, le=1.0e6)


class RegisteredChoice(BaseModel):
    """A model chosen by its registered name, with the keyword settings of its factory:
    ``{name: <registered name>, ...settings}``; the settings are checked by building it."""

    model_config = ConfigDict(frozen=True, extra="allow")

    registry: ClassVar[Registry]
    """Where the names are registered."""
    kind: ClassVar[str]
    """What the model is, for messages."""

    name: str

    @property
    def settings(self) -> dict[str, object]:
        """The keyword settings of the model's factory (every key but ``name``)."""
        return dict(self.model_extra or {})

    def build(self) -> Any:
        """The model, built from its factory with the settings."""
        return self.registry.get(self.name)(**self.settings)

    @field_validator("name")
    @classmethod
    def _is_registered(cls, name: str) -> str:
        try:
            cls.registry.get(name)
        except UnknownModelError as error:
            raise ValueError(str(error)) from None
        return name

    @model_validator(mode="after")
    def _settings_build_the_model(self) -> RegisteredChoice:
        try:
            self.build()
        except (TypeError, ValueError) as error:
            msg = f"{self.kind} {self.name!r}: bad settings ({error})"
            raise ValueError(msg) from None
        return self


class SignalEffectChoice(RegisteredChoice):
    """A registered signal effect and its settings: ``{name: <registered name>, ...settings}``.

    Applied to every radar after the default effects, in the simulation and in ``iadsim
    coverage`` alike (:mod:`iadsim.sensors.chain`); naming a default effect
    (``ground_clutter``) sets that default's settings instead.
    """

    registry = SIGNAL_EFFECTS
    kind = "signal effect"


class IdentificationChoice(RegisteredChoice):
    """The registered identification rule set and its settings: ``{name: ..., ...settings}``.

    ``identification: stanag1241`` (a bare name) picks a set with its default settings. The
    settings are the keyword arguments of the set's factory
    (:data:`iadsim.core.registry.IDENTIFICATION_RULES`), checked by building it.
    """

    registry = IDENTIFICATION_RULES
    kind = "identification rules"

    name: str = "stanag1241"

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class Scenario(Strict):
    """A complete scenario."""

    schema_version: Literal[1]
    name: str
    description: str = ""
    start_time: datetime = Field(strict=False)  # a YAML timestamp, or ISO 8601 text
    duration_min: float = Field(gt=0, le=24 * 60)
    time_step_s: float = Field(default=1.0, ge=MIN_TIME_STEP_S, le=60)
    record_interval_s: float = Field(default=10.0, ge=MIN_TIME_STEP_S, le=MAX_TIME_S)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    tracker: str = "gnn"
    sides: dict[str, Side]
    fire_units: list[FireUnit] = Field(default_factory=list)
    radars: list[StandaloneRadar] = Field(default_factory=list)
    defended_assets: list[DefendedAsset] = Field(default_factory=list)
    passive_receivers: list[PassiveReceiver] = Field(default_factory=list)
    air_tracks: list[AirTrack] = Field(min_length=1)
    no_fire_zones: list[NoFireZone] = Field(default_factory=list)
    safe_corridors: list[SafeCorridor] = Field(default_factory=list)
    datalinks: dict[str, DataLink] = Field(default_factory=dict)
    catalog: list[str] = Field(default_factory=list, max_length=MAX_USER_CATALOGS)
    """User catalog files or folders (:mod:`iadsim.catalog.user_catalog`), relative to the
    scenario file's folder, applied in order before ``catalog_overrides``."""
    catalog_overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """``{catalog key: {field: value}}``, checked against the catalog entry's own model."""
    signal_effects: list[SignalEffectChoice] = Field(default_factory=list)
    jammers: list[JammerPlacement] = Field(default_factory=list)
    identification: IdentificationChoice = Field(default_factory=IdentificationChoice)
    track_deletion: TrackDeletion = Field(default_factory=TrackDeletion)
    # A folder of the user's SRTM .hgt / GeoTIFF tiles, finer than the bundled terrain;
    # relative to the scenario file's folder (see docs/terrain.md).
    terrain_dir: str | None = None

    @field_validator("signal_effects")
    @classmethod
    def _defaults_set_once(cls, effects: list[SignalEffectChoice]) -> list[SignalEffectChoice]:
        """A default effect named twice would have one setting silently ignored."""
        from iadsim.sensors.chain import DEFAULT_SIGNAL_EFFECTS  # the sensor stack, on use

        names = [effect.name for effect in effects if effect.name in DEFAULT_SIGNAL_EFFECTS]
        for name in names:
            if names.count(name) > 1:
                msg = f"signal effect {name!r} is applied to every radar once: set it once"
                raise ValueError(msg)
        return effects

    @field_validator("name")
    @classmethod
    def _name_is_a_folder_name(cls, name: str) -> str:
        """The name becomes the default output folder ``runs/<name>``: keep it one folder."""
        if not is_safe_name(name):
            msg = (
                "expected a plain name of at most 80 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit (it names the output folder runs/<name>)"
            )
            raise ValueError(msg)
        return name

    @field_validator("time_step_s")
    @classmethod
    def _steps_within_budget(cls, time_step_s: float, info: ValidationInfo) -> float:
        """At most :data:`MAX_STEPS` steps, so that no valid scenario runs for days."""
        duration_min = info.data.get("duration_min")
        if duration_min is not None and duration_min * 60.0 / time_step_s > MAX_STEPS:
            msg = (
                f"{duration_min:g} min in steps of {time_step_s:g} s is more than {MAX_STEPS:,} "
                "steps; use a longer time step or a shorter duration"
            )
            raise ValueError(msg)
        return time_step_s

    @field_validator("tracker")
    @classmethod
    def _tracker_is_registered(cls, name: str) -> str:
        """A registered tracker whose optional dependencies are installed."""
        try:
            TRACKERS.get(name)
        except UnknownModelError as error:
            raise ValueError(str(error)) from None
        except ImportError as error:
            msg = f"tracker {name!r} needs an optional package that is not installed ({error})"
            raise ValueError(msg) from None
        return name

    @model_validator(mode="after")
    def _place_airborne_units(self) -> Scenario:
        """Give each airborne unit the first waypoint of its carrier as ``position``.

        Unknown carriers and raids are left alone here; the reference checks report them.
        """
        tracks = {track.name: track for track in self.air_tracks}
        for i, unit in enumerate(self.fire_units):
            track = tracks.get(unit.carrier) if unit.carrier is not None else None
            if track is None or track.members != 1 or unit.position is not None:
                continue
            first = track.places[0]
            site = Position(lat_deg=first.lat_deg, lon_deg=first.lon_deg, alt_m=first.alt_m)
            # The model is frozen; the list that holds the units is not.
            self.fire_units[i] = unit.model_copy(update={"position": site})
        return self

    def datalink(self, name: str) -> DataLink:
        """Parameters of a data link (the defaults when the scenario does not declare it)."""
        return self.datalinks.get(name, DataLink())

    @property
    def duration_s(self) -> float:
        """Simulated time, seconds."""
        return self.duration_min * 60.0
