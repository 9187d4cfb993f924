"""Catalog entries of the defence: radars, launchers, interceptors, command posts and IFF.

Values are SI with the unit in the key name; angles are given in degrees in the files
(the edge) and exposed in radians by properties.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from iadsim.catalog.sourced import (
    MAX_FALSE_ALARMS_PER_SCAN,
    MAX_MAST_M,
    MAX_RANGE_M,
    MAX_SPEED_M_S,
    Sourced,
)

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
