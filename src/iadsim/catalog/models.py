"""Typed catalog entries. Every entry keeps its sources, confidence codes and ranges.

Values are SI with the unit in the key name; angles are given in degrees in the files
(the edge) and exposed in radians by properties.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from iadsim.core.input_model import InputModel

MAX_FALSE_ALARMS_PER_SCAN = 1000.0
"""Most false alarms a radar may draw per scan of its sector on average
(``reference_pfa`` times its range-azimuth cells): each one is a detection for the tracker
to process. The bundled radars draw at most 2.4; a beamwidth of 1e-9 deg asked for 1e9."""
MAX_RANGE_M = 1.0e7
"""Longest radar or interceptor range, m (10,000 km: over-the-horizon radars reach 3,000 km)."""
MAX_MAST_M = 100.0
"""Tallest radar mast, m (the 40V6MD tower raises an antenna to about 39 m)."""
MAX_SPEED_M_S = 1.0e4
"""Fastest air platform or interceptor, m/s (an ICBM re-enters at about 7 km/s)."""


class Sourced(InputModel):
    """Provenance shared by all entries.

    ``ranges`` holds the spread reported by sources for fields where they disagree; analyses
    sweep over it (``iadsim mc --sample-uncertainty``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    key: str = ""
    name: str
    source: list[str] = Field(min_length=1)
    confidence: str | dict[str, str] = "D"
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    note: str = ""

    removed_fields: ClassVar[dict[str, str]] = {}
    """Fields no model read, taken out of the catalog: name -> why (the error's text)."""

    @model_validator(mode="before")
    @classmethod
    def _reject_removed(cls, data: Any) -> Any:
        """A removed field is an error that says why, not a silent no-op."""
        if isinstance(data, dict):
            for name, why in cls.removed_fields.items():
                if name in data:
                    msg = f"{name!r} is no longer a catalog field: {why}"
                    raise ValueError(msg)
            for name in data.get("ranges") or {}:
                if name.split(".")[0] not in cls.model_fields:
                    msg = f"ranges names {name!r}, which is not a field of this entry"
                    raise ValueError(msg)
        return data


DEFAULT_SEARCH_PULSES = 1
"""Pulses per search beam position of an electronically scanned radar, by default."""
DEFAULT_SEARCH_CEILING_M = 30_000.0
"""Highest target an electronically scanned radar searches for, by default, m."""


class RadarType(Sourced):
    """A radar, its sensitivity stated as detection range at a reference target.

    ``scan_mode`` ``"rotating"``: the beam turns once per ``revisit_s`` and looks at each
    azimuth as it passes (:mod:`iadsim.sensors.scan_pattern`); ``"electronic"``: the beam
    steps through the sector one position at a time, ``search_pulses`` pulses per position
    at the unambiguous interval of the range at which a target at ``search_ceiling_m`` would
    be seen; the frame time follows (:mod:`iadsim.sensors.timeline`), so an electronically
    scanned radar has no ``revisit_s``. A multifunction radar with ``track_update_s`` also
    points a track dwell at each of up to ``tracked_targets`` tracks of its post once per
    ``track_update_s`` (:mod:`iadsim.sensors.track_dwells`). ``velocity_resolution_mps`` is
    the Doppler resolution ``lambda / (2 T_cpi)`` of a pulse-Doppler radar; a radar without
    it reports no range rate. ``antenna_height_m`` is the antenna above the site on the
    radar's own vehicle; ``mast_heights_m`` the antenna heights a mast can give it (``None``:
    no mast), between which a scenario's ``mast_m`` must lie. ``tracks_ballistic_targets``:
    a public source says the radar (or the system it serves) tracks ballistic missiles; the
    post's tracker then starts tracks from its detections with a velocity prior wide enough
    for them (:class:`~iadsim.tracking.tracker.TrackerConfig`). ``clutter_improvement_db``
    is the MTI or pulse-Doppler improvement factor against ground clutter
    (:mod:`iadsim.sensors.clutter`) and ``doppler_notch_mps`` the half-width of the clutter
    filter's notch in radial velocity, its Doppler blind zone
    (:mod:`iadsim.sensors.doppler_notch`); 0 for none. ``noise_figure_db`` is the
    receiver's noise figure ``F`` (thermal noise ``k T0 B F``) and ``sidelobe_level_db`` the
    antenna's mean sidelobe level relative to its main-lobe gain (negative), the two terms
    of a radar that set how much noise jamming it receives (:mod:`iadsim.ew.noise_jamming`).
    """

    removed_fields: ClassVar[dict[str, str]] = {
        "band": "the model uses frequency_hz; name the band in a comment or the note",
    }

    role: Literal["surveillance", "fire_control"]
    frequency_hz: float = Field(ge=1.0e6, le=1.0e12)
    detection_range_m: float = Field(ge=1.0, le=MAX_RANGE_M)
    reference_rcs_m2: float = Field(ge=1.0e-6, le=1.0e6)
    reference_pd: float = Field(gt=0, lt=1)
    reference_pfa: float = Field(gt=0, lt=1)
    reference_swerling: Literal[0, 1, 2, 3, 4] = 1
    min_range_m: float = Field(ge=0, le=MAX_RANGE_M)
    max_range_m: float = Field(ge=1.0, le=MAX_RANGE_M)
    min_elevation_deg: float = Field(ge=-90, le=90)
    max_elevation_deg: float = Field(ge=-90, le=90)
    azimuth_coverage_deg: float = Field(gt=0, le=360)
    revisit_s: float | None = Field(default=None, ge=0.1, le=3600)
    scan_mode: Literal["rotating", "electronic"] = "electronic"
    search_pulses: int = Field(default=DEFAULT_SEARCH_PULSES, ge=1, le=1000)
    search_ceiling_m: float = Field(default=DEFAULT_SEARCH_CEILING_M, ge=100.0, le=2.0e6)
    track_update_s: float | None = Field(default=None, ge=0.01, le=60.0)
    tracked_targets: int = Field(default=0, ge=0, le=10_000)
    range_resolution_m: float = Field(ge=0.1, le=1.0e5)
    velocity_resolution_mps: float | None = Field(default=None, ge=0.01, le=1.0e3)
    beamwidth_deg: float = Field(ge=0.1, le=180)
    antenna_height_m: float = Field(ge=0, le=5000)
    mast_heights_m: tuple[float, float] | None = None
    guidance_targets: int = Field(default=0, ge=0, le=1000)
    guidance_missiles: int = Field(default=0, ge=0, le=1000)
    tracks_ballistic_targets: bool = False
    clutter_improvement_db: float = Field(default=0.0, ge=0, le=100)
    doppler_notch_mps: float = Field(default=0.0, ge=0, le=200)
    noise_figure_db: float = Field(default=5.0, ge=0, le=30)
    sidelobe_level_db: float = Field(default=-30.0, ge=-80, le=0)

    @model_validator(mode="after")
    def _scan_is_consistent(self) -> RadarType:
        if self.scan_mode == "rotating":
            if self.revisit_s is None:
                raise ValueError("a rotating radar needs revisit_s (its rotation period)")
            for name in ("search_pulses", "search_ceiling_m"):
                if name in self.model_fields_set:
                    msg = f"{name} is for electronically scanned radars, not a rotating one"
                    raise ValueError(msg)
        else:
            if self.revisit_s is not None:
                msg = (
                    "an electronically scanned radar's frame time follows from its search "
                    "timeline: give search_pulses and search_ceiling_m instead of revisit_s"
                )
                raise ValueError(msg)
        if (self.track_update_s is None) != (self.tracked_targets == 0):
            raise ValueError("track dwells need both track_update_s and tracked_targets")
        if self.track_update_s is not None and (
            self.scan_mode == "rotating" or self.velocity_resolution_mps is None
        ):
            msg = (
                "track dwells (track_update_s) are for an electronically scanned "
                "pulse-Doppler radar: scan_mode electronic and velocity_resolution_mps"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _coverage_is_consistent(self) -> RadarType:
        if self.min_range_m >= self.max_range_m:
            msg = f"min_range_m ({self.min_range_m:g}) must be below max_range_m"
            raise ValueError(msg)
        if self.min_elevation_deg >= self.max_elevation_deg:
            msg = f"min_elevation_deg ({self.min_elevation_deg:g}) must be below max_elevation_deg"
            raise ValueError(msg)
        if self.mast_heights_m is not None:
            low, high = self.mast_heights_m
            if not 0.0 < low <= high <= MAX_MAST_M:
                msg = f"mast_heights_m must be 0 < low <= high <= {MAX_MAST_M:g} m"
                raise ValueError(msg)
        if self.false_alarms_per_scan > MAX_FALSE_ALARMS_PER_SCAN:
            msg = (
                f"reference_pfa, range_resolution_m and beamwidth_deg give "
                f"{self.false_alarms_per_scan:.3g} false alarms per scan, over the limit of "
                f"{MAX_FALSE_ALARMS_PER_SCAN:g}; raise range_resolution_m or beamwidth_deg, "
                "or lower reference_pfa"
            )
            raise ValueError(msg)
        return self

    @property
    def false_alarms_per_scan(self) -> float:
        """Mean false alarms in one scan of the sector: ``Pfa`` times range-azimuth cells.

        The cells are those of :meth:`iadsim.sensors.radar.Radar.resolution_cells`.
        """
        range_cells = (self.max_range_m - self.min_range_m) / self.range_resolution_m
        azimuth_cells = min(self.azimuth_coverage_deg, 360.0) / self.beamwidth_deg
        return self.reference_pfa * range_cells * azimuth_cells

    @property
    def beamwidth_rad(self) -> float:
        """Half-power beamwidth, radians."""
        return math.radians(self.beamwidth_deg)


class JammerType(Sourced):
    """A noise jammer: its effective radiated power, noise bandwidth and tuning bands.

    ``erp_w`` is the effective radiated power of its main beam (transmitter power times
    antenna gain), the power it points at a radar it aims at; towards a radar it does not
    aim at it radiates ``erp_w`` times its ``sidelobe_level_db`` (negative, dB). It spreads
    the power as noise over ``bandwidth_hz``, centred on a radar's carrier whenever that
    carrier lies in one of its ``bands_hz`` (``[low, high]`` pairs, Hz); a radar outside
    every band receives none (:mod:`iadsim.ew.noise_jamming`). Stand-off, escort and
    self-protection jammers differ only in where they fly: behind the raid, with it, or on
    the target itself.
    """

    erp_w: float = Field(gt=0, le=1.0e9)
    bandwidth_hz: float = Field(ge=1.0e3, le=1.0e11)
    bands_hz: list[tuple[float, float]] = Field(min_length=1)
    sidelobe_level_db: float = Field(default=-20.0, ge=-80, le=0)

    @model_validator(mode="after")
    def _bands_are_ordered(self) -> JammerType:
        for low, high in self.bands_hz:
            if not 1.0e6 <= low < high <= 1.0e12:
                msg = f"each band must be [low, high], 1e6 <= low < high <= 1e12 Hz: {[low, high]}"
                raise ValueError(msg)
        return self


class LauncherType(Sourced):
    """A launcher: rounds it holds by interceptor type, reaction and firing rate."""

    capacity: dict[str, Annotated[int, Field(ge=1, le=1000)]]
    reaction_time_s: float = Field(ge=0, le=3600)
    launch_interval_s: float = Field(gt=0, le=3600)
    reload_time_s: float = Field(gt=0, le=1.0e6)


class InterceptorType(Sourced):
    """An interceptor: envelope, mean speed, planning Pk, warhead, reliability, lethal radii.

    The flyout (speeds, guidance law, seeker) is the airframe's (``airframes.yaml``). A
    round's kill is drawn from ``reliability`` times the warhead's kill probability at the
    simulated miss distance against the target's class (:mod:`iadsim.weapons.lethality`):
    ``lethal_radius_vs_<class>_m`` is the Carleton sigma of a blast-fragmentation warhead, or
    the body-hit radius of a hit-to-kill one. ``single_shot_pk_vs_<class>`` is only the
    fire-control planner's expected Pk against each target class (weapon choice,
    weapon-target assignment); it never decides a kill.
    """

    removed_fields: ClassVar[dict[str, str]] = {
        "max_speed_m_s": "flyout speeds come from the airframe (airframes.yaml)",
        "warhead_mass_kg": (
            "the warhead enters the model through its lethal radii by target class "
            "(lethal_radius_vs_aircraft_m ...; about 4.8 m per cube-root kg for "
            "blast-fragmentation warheads against aircraft)"
        ),
        "lethal_radius_m": (
            "lethality is by target class: lethal_radius_vs_aircraft_m, "
            "lethal_radius_vs_cruise_missile_m and lethal_radius_vs_ballistic_missile_m"
        ),
        "guidance": "guidance is the airframe's (airframes.yaml: active_seeker)",
        "single_shot_pk": (
            "the planning Pk is by target class: single_shot_pk_vs_aircraft, "
            "single_shot_pk_vs_cruise_missile and single_shot_pk_vs_ballistic_missile"
        ),
    }

    min_range_m: float = Field(ge=0, le=MAX_RANGE_M)
    max_range_m: float = Field(ge=1.0, le=MAX_RANGE_M)
    max_range_vs_ballistic_m: float = Field(ge=1.0, le=MAX_RANGE_M)
    """Published maximum ground range against ballistic missiles, m (the planner's limit
    for tracks of the ballistic class)."""
    min_altitude_m: float = Field(ge=-500, le=2.0e6)
    max_altitude_m: float = Field(gt=0, le=2.0e6)
    average_speed_m_s: float = Field(ge=1.0, le=MAX_SPEED_M_S)
    single_shot_pk_vs_aircraft: float = Field(ge=0, le=1)
    single_shot_pk_vs_cruise_missile: float = Field(ge=0, le=1)
    single_shot_pk_vs_ballistic_missile: float = Field(ge=0, le=1)
    warhead: Literal["blast_fragmentation", "hit_to_kill"]
    reliability: float = Field(ge=0, le=1)
    lethal_radius_vs_aircraft_m: float = Field(gt=0, le=1000)
    lethal_radius_vs_cruise_missile_m: float = Field(gt=0, le=1000)
    lethal_radius_vs_ballistic_missile_m: float = Field(gt=0, le=1000)

    @model_validator(mode="after")
    def _envelope_is_consistent(self) -> InterceptorType:
        if self.min_range_m >= self.max_range_m:
            msg = f"min_range_m ({self.min_range_m:g}) must be below max_range_m"
            raise ValueError(msg)
        if self.min_altitude_m >= self.max_altitude_m:
            msg = f"min_altitude_m ({self.min_altitude_m:g}) must be below max_altitude_m"
            raise ValueError(msg)
        return self


class CommandPostType(Sourced):
    """A command post: decision cycle, engagement capacity, IFF interrogator and its modes.

    ``simultaneous_targets``: targets the post can engage at once; a fire unit engages no
    more than this or its fire-control radar's ``guidance_targets``, whichever is fewer
    (:func:`iadsim.c2.doctrine.engagement_channels`). ``interrogator``: the catalog key of
    the post's IFF interrogator (``interrogators.yaml``); ``iff_modes``: the modes it
    interrogates and can read (a secure mode only with the keys).
    """

    decision_interval_s: float = Field(gt=0, le=3600)
    simultaneous_targets: int = Field(gt=0, le=1000)
    interrogator: str
    iff_modes: list[Literal["mode5", "mode4", "mode3c", "national"]]


class InterrogatorType(Sourced):
    """An IFF interrogator: its coverage, scan and resolution (:mod:`iadsim.sensors.iff`).

    The antenna rides on the post's first radar (or its carrier) and scans ``sector_deg``
    around that radar's facing once per ``interval_s``; ``beamwidth_deg`` is the azimuth
    window in which two replies can garble; ``hits_per_scan`` the interrogations per beam
    dwell on one target.
    """

    max_range_m: float = Field(gt=0, le=MAX_RANGE_M)
    sector_deg: float = Field(gt=0, le=360)
    interval_s: float = Field(gt=0, le=3600)
    hits_per_scan: int = Field(ge=1, le=100)
    beamwidth_deg: float = Field(gt=0, le=180)
    sigma_range_m: float = Field(gt=0, le=1.0e5)
    sigma_az_deg: float = Field(gt=0, le=90)


class TransponderType(Sourced):
    """An IFF/SSR transponder: how reliably it answers (:mod:`iadsim.sensors.iff`).

    ``reply_probability``: of answering one interrogation; ``failure_rate_per_h``: constant
    failure hazard, per hour (the inverse of the MTBF); ``sigma_alt_m``: one-sigma error of
    the altitude its Mode C or Mode 5 replies report, against the geometric altitude.
    """

    reply_probability: float = Field(ge=0, le=1)
    failure_rate_per_h: float = Field(ge=0, le=1.0e3)
    sigma_alt_m: float = Field(gt=0, le=1.0e4)


class BallisticPerformance(InputModel):
    """How a ballistic missile flies (:func:`iadsim.motion.ballistic.solve_flight`).

    ``max_range_m``: the furthest target a scenario may give it; ``apogee_m``: the apogee
    of a flight whose scenario asks for no other shape; ``boost_time_s``: launch to burnout
    (the kinematic boost); ``ballistic_coefficient_kg_m2``: ``m / (C_D A)`` after burnout,
    which sets its drag.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    max_range_m: float = Field(gt=0, le=MAX_RANGE_M)
    apogee_m: float = Field(gt=0, le=2.0e6)
    boost_time_s: float = Field(ge=0, le=600)
    ballistic_coefficient_kg_m2: float = Field(gt=0, le=1.0e6)


class AirPlatformType(Sourced):
    """An aircraft or threat.

    ``max_speed_m_s`` bounds the leg speeds a scenario may give it (checked when the scenario
    is loaded, :mod:`iadsim.scenario.references`).
    """

    @property
    def max_bank_rad(self) -> float:
        """Bank angle of its waypoint turns, rad (``nan``: instant turns)."""
        return math.nan if self.max_bank_deg is None else math.radians(self.max_bank_deg)

    removed_fields: ClassVar[dict[str, str]] = {
        "cruise_speed_m_s": "a route gives every leg's speed (speed_kt); no model read it",
        "ceiling_m": (
            "a route gives every waypoint's altitude; no model read it (and for cruise "
            "missiles the figure was a height band, not a pressure ceiling)"
        ),
    }

    category: Literal[
        "fighter",
        "cruise_missile",
        "ballistic_missile",
        "drone",
        "airliner",
        "support",
        "anti_radiation_missile",
        "decoy",
    ]
    rcs_m2: float = Field(ge=1.0e-6, le=1.0e6)
    size_m: float = Field(gt=0, le=500)
    """Largest dimension (overall length or wingspan), m: the extent over which a seeker
    sees glint (:data:`iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE`)."""
    swerling: Literal[0, 1, 2, 3, 4] = 1
    max_speed_m_s: float = Field(gt=0, le=MAX_SPEED_M_S)
    rcs_scale: float = Field(default=1.0, ge=1.0e-6, le=1.0e6)
    ballistic: BallisticPerformance | None = None
    """Ballistic missiles flown as ballistic flights (:mod:`iadsim.motion.ballistic`)."""
    max_bank_deg: float | None = Field(default=None, gt=0, lt=90)
    """Bank angle of its fly-by turns at route waypoints (:mod:`iadsim.motion.turns`);
    ``None``: it turns at its waypoints instantly."""

    @model_validator(mode="after")
    def _ballistic_only_for_ballistic_missiles(self) -> AirPlatformType:
        if self.ballistic is not None and self.category != "ballistic_missile":
            msg = f"a ballistic section is for category ballistic_missile, not {self.category}"
            raise ValueError(msg)
        return self

    @property
    def is_weapon(self) -> bool:
        """True for one-way threats whose route ends on their target."""
        return self.category in {
            "cruise_missile",
            "ballistic_missile",
            "drone",
            "anti_radiation_missile",
            "decoy",
        }


class EmitterType(Sourced):
    """What a passive receiver can see of a radar (key: the radar type's).

    ``peak_power_w``: peak transmitter power, W; ``main_lobe_gain_dbi``: the antenna's
    main-lobe gain, dBi (the one-way equation, :mod:`iadsim.sensors.passive`).
    """

    peak_power_w: float = Field(gt=0, le=1.0e9)
    main_lobe_gain_dbi: float = Field(ge=-10, le=70)


class AntiRadiationMissileType(Sourced):
    """Homing of an anti-radiation missile (key: its air platform's, which flies it).

    ``band_hz``: the frequencies its passive seeker receives, Hz. ``memory``: ``gps_ins``
    (AGM-88E AARGM) keeps the emitter's position once located and flies to it after the
    emitter falls silent; ``none`` (AGM-88 HARM, Kh-31P) needs the emitter radiating within
    ``seeker_hold_s`` of impact. ``lethal_radius_m``: a miss distance within it kills the
    radar (:mod:`iadsim.weapons.arm`).
    """

    band_hz: tuple[float, float]
    memory: Literal["none", "gps_ins"]
    seeker_hold_s: float = Field(ge=0, le=600)
    lethal_radius_m: float = Field(gt=0, le=1000)
    range_m: float = Field(gt=0, le=2.0e6)


class DecoyType(Sourced):
    """An air-launched decoy (key: its air platform's): ``range_m``, the farthest it flies,
    m (checked against its route when a scenario is loaded). A jamming decoy (ADM-160C
    MALD-J) says so in its note: its jamming belongs to the noise-jamming signal effect."""

    range_m: float = Field(gt=0, le=2.0e6)


class DragCurve(InputModel):
    """Zero-lift drag coefficient against Mach number, interpolated linearly between nodes."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    mach: list[Annotated[float, Field(ge=0, le=50)]] = Field(min_length=1, max_length=100)
    cd0: list[Annotated[float, Field(gt=0, le=10)]] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _nodes_pair_up(self) -> DragCurve:
        if len(self.mach) != len(self.cd0):
            msg = f"mach has {len(self.mach)} nodes and cd0 {len(self.cd0)}; they must pair up"
            raise ValueError(msg)
        if any(b <= a for a, b in zip(self.mach, self.mach[1:], strict=False)):
            raise ValueError("mach nodes must increase")
        return self


class AirframeType(Sourced):
    """An interceptor's airframe for the 3-DOF flyout (:mod:`iadsim.weapons.flyout`).

    Keyed like the interceptor it flies (``s400/48n6e3``): an override or a sweep of that key
    sets whichever of the two entries has the field. One motor of constant specific impulse:
    a boost pulse ``[0, boost_time_s)`` and an optional second pulse of ``sustain_thrust_n``
    for ``sustain_time_s``, ``pulse_delay_s`` after the boost. Conventions and fitting:
    ``catalog/data/airframes.yaml``.
    """

    name: str = ""
    """Default: ``"<key> airframe"``."""
    launch_mass_kg: float = Field(gt=0, le=1.0e6)
    propellant_mass_kg: float = Field(ge=0, le=1.0e6)
    boost_thrust_n: float = Field(ge=0, le=1.0e8)
    boost_time_s: float = Field(ge=0, le=3600)
    sustain_thrust_n: float = Field(default=0.0, ge=0, le=1.0e8)
    sustain_time_s: float = Field(default=0.0, ge=0, le=3600)
    pulse_delay_s: float = Field(default=0.0, ge=0, le=3600)
    reference_area_m2: float = Field(gt=0, le=100)
    drag_cd0_vs_mach: DragCurve
    max_load_factor_g: float = Field(gt=0, le=200)
    max_flight_time_s: float = Field(gt=0, le=7200)
    min_speed_m_s: float = Field(ge=0, le=MAX_SPEED_M_S)
    navigation_constant: float = Field(default=4.0, gt=0, le=20)
    loft_gain: float = Field(default=0.0, ge=0, le=10)
    mean_speed_m_s: float = Field(default=1000.0, ge=1.0, le=MAX_SPEED_M_S)
    seeker_acquisition_range_m: float | None = Field(default=None, gt=0, le=MAX_RANGE_M)
    """Lock-on range against ``seeker_reference_rcs_m2`` (None: homing from launch)."""
    active_seeker: bool = False
    launch_speed_m_s: float = Field(default=30.0, gt=0, le=MAX_SPEED_M_S)
    seeker_reference_rcs_m2: float = Field(default=1.0, ge=1.0e-6, le=1.0e6)
    seeker_illuminator_range_m: float | None = Field(default=None, gt=0, le=MAX_RANGE_M)
    """Semi-active seekers only: illuminator to target range at which the lock-on range
    holds (None: the illuminator's range is not modelled)."""
    seeker_angle_noise_mrad: float = Field(default=0.0, ge=0, le=100)
    seeker_thermal_noise_mrad: float = Field(default=0.0, ge=0, le=100)
    autopilot_time_constant_s: float = Field(default=0.0, ge=0, le=10)

    @model_validator(mode="before")
    @classmethod
    def _named_after_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name"):
            return {**data, "name": f"{data.get('key', '')} airframe"}
        return data

    @model_validator(mode="after")
    def _illuminator_only_for_semi_active(self) -> AirframeType:
        if self.active_seeker and self.seeker_illuminator_range_m is not None:
            msg = "seeker_illuminator_range_m is for semi-active seekers (active_seeker: false)"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _propellant_below_launch_mass(self) -> AirframeType:
        if self.propellant_mass_kg >= self.launch_mass_kg:
            msg = (
                f"propellant_mass_kg ({self.propellant_mass_kg:g}) must be below "
                f"launch_mass_kg ({self.launch_mass_kg:g})"
            )
            raise ValueError(msg)
        return self


class SignatureBand(InputModel):
    """A radar band of the signature tables: its name, representative frequency and span."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str
    freq_hz: float = Field(ge=1.0e6, le=1.0e12)
    ieee_band_hz: tuple[float, float]


class SignatureGrid(InputModel):
    """The aspect grid and bands every signature table is given on (``signatures.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    az_deg: list[Annotated[float, Field(ge=0, le=180)]] = Field(min_length=2)
    el_deg: list[Annotated[float, Field(ge=-90, le=90)]] = Field(min_length=2)
    bands: list[SignatureBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _nodes_increase(self) -> SignatureGrid:
        for name in ("az_deg", "el_deg"):
            nodes = getattr(self, name)
            if any(b <= a for a, b in itertools.pairwise(nodes)):
                raise ValueError(f"{name} nodes must increase")
        freqs = [band.freq_hz for band in self.bands]
        if any(b <= a for a, b in itertools.pairwise(freqs)):
            raise ValueError("bands must be in increasing frequency")
        return self


class SignatureAnchor(InputModel):
    """The public figure a notional signature table is scaled to."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    rcs_m2: float = Field(ge=1.0e-6, le=1.0e6)
    aspect: str
    band: str
    range_m2: tuple[float, float] | None = None
    note: str = ""


BandValues = dict[str, Annotated[float, Field(ge=-100, le=100)]]
"""One value per band of the signature grid (``{VHF: .., UHF: .., L: .., S: .., C: .., X: ..}``)."""


class SignatureLobe(InputModel):
    """One scattering lobe of a signature: a specular flash, an edge spike or a broad envelope.

    Its power adds to the nose-on value: at aspect ``(az, el)`` and band ``b`` the lobe
    contributes ``10^((peak_db[b] + offset_db)/10) * exp(-4 ln2 [((az - az_deg)/W_b)^2 +
    ((el - el_deg)/W_el)^2])`` times the band's nose-on RCS (:mod:`iadsim.sensors.
    signature_pattern`). ``width_deg[b]`` is the half-power full width W_b in aspect
    azimuth; ``el_width_deg`` the one in aspect elevation (None: the same at every
    elevation, as for an edge of the wing plane). ``offset_db`` shifts every band's peak:
    it is what analyses sweep (``catalog.<type>.pattern.lobes.<name>.offset_db``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    az_deg: float = Field(ge=0, le=180)
    el_deg: float = Field(default=0.0, ge=-90, le=90)
    el_width_deg: float | None = Field(default=None, gt=0, le=360)
    peak_db: BandValues
    width_deg: dict[str, Annotated[float, Field(gt=0, le=360)]]
    offset_db: float = Field(default=0.0, ge=-60, le=60)
    note: str = ""


class SignaturePattern(InputModel):
    """Mean RCS of a target relative to its nose-on value, by aspect and band.

    ``kind: aircraft``: lobes over aspect azimuth and elevation, blended toward a planform
    flash ``planform_top_db`` (radar above the wings) or ``planform_bottom_db`` (below) with
    weight ``|sin el|^planform_exponent``. ``kind: body_of_revolution``: the lobes are
    functions of the angle between the body axis and the line of sight (``az_deg`` is that
    angle; no elevation or planform terms). ``band_offset_db`` is each band's nose-on value
    over the X-band anchor (0 at X). Equations: docs/models/signatures.md.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    kind: Literal["aircraft", "body_of_revolution"]
    band_offset_db: BandValues
    lobes: dict[str, SignatureLobe] = Field(default_factory=dict, max_length=16)
    planform_top_db: BandValues | None = None
    planform_bottom_db: BandValues | None = None
    planform_exponent: float | None = Field(default=None, gt=0, le=1000)

    @model_validator(mode="after")
    def _terms_fit_the_kind(self) -> SignaturePattern:
        planform = (self.planform_top_db, self.planform_bottom_db, self.planform_exponent)
        if self.kind == "aircraft" and any(term is None for term in planform):
            msg = (
                "an aircraft pattern needs planform_top_db, planform_bottom_db and "
                "planform_exponent"
            )
            raise ValueError(msg)
        if self.kind == "body_of_revolution":
            if any(term is not None for term in planform):
                raise ValueError("a body of revolution has no planform terms")
            if any(lobe.el_deg or lobe.el_width_deg for lobe in self.lobes.values()):
                raise ValueError("a body of revolution's lobes have no elevation terms")
        return self

    def band_tables(self) -> dict[str, dict[str, float]]:
        """Every per-band table of the pattern by its path (``lobes.<name>.peak_db``)."""
        tables = {"band_offset_db": self.band_offset_db}
        if self.planform_top_db is not None and self.planform_bottom_db is not None:
            tables |= {
                "planform_top_db": self.planform_top_db,
                "planform_bottom_db": self.planform_bottom_db,
            }
        for name, lobe in self.lobes.items():
            tables[f"lobes.{name}.peak_db"] = lobe.peak_db
            tables[f"lobes.{name}.width_deg"] = lobe.width_deg
        return tables


class SignatureType(Sourced):
    """RCS of an air platform by aspect and band: a sourced analytic pattern.

    Keyed like the air platform; its nose-on ``anchor`` must equal the platform's ``rcs_m2``,
    and the fluctuation case and ``rcs_scale`` are the platform's (one figure, one place).
    ``pattern`` gives the mean RCS relative to the anchor at every aspect and band; a look's
    mean RCS is the pattern at that look's aspect (no averaging over aspect cells).
    ``ranges`` may name figures inside the pattern by dotted path
    (``pattern.lobes.leading_edges.offset_db``); overrides reach them the same way.
    """

    catalog_ref: str = ""
    swerling_note: str = ""
    anchor: SignatureAnchor
    notional: bool
    pattern: SignaturePattern

    @model_validator(mode="after")
    def _ranges_name_numbers_of_the_pattern(self) -> SignatureType:
        for path in self.ranges:
            if "." in path and not isinstance(value_at(self, path), float):
                msg = f"ranges names {path!r}, which is not a number of this entry"
                raise ValueError(msg)
        return self


def value_at(model: BaseModel, path: str) -> Any:
    """The value at a dotted path inside a model (fields, then mapping keys); None if absent."""
    node: Any = model
    for segment in path.split("."):
        if isinstance(node, BaseModel):
            node = getattr(node, segment, None)
        elif isinstance(node, dict):
            node = node.get(segment)
        else:
            return None
    return node
