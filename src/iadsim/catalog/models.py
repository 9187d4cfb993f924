"""Typed catalog entries. Every entry keeps its sources, confidence codes and ranges.

Values are SI with the unit in the key name; angles are given in degrees in the files
(the edge) and exposed in radians by properties.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Sourced(BaseModel):
    """Provenance shared by all entries.

    ``ranges`` holds the spread reported by sources for fields where they disagree; analyses
    sweep over it (``iadsim mc --sample-uncertainty``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

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
                if name not in cls.model_fields:
                    msg = f"ranges names {name!r}, which is not a field of this entry"
                    raise ValueError(msg)
        return data


class RadarType(Sourced):
    """A radar, its sensitivity stated as detection range at a reference target.

    ``scan_mode`` ``"rotating"``: the beam turns once per ``revisit_s`` and looks at each
    azimuth as it passes (:mod:`iadsim.sensors.scan_pattern`); ``"electronic"``: the whole
    volume is searched at each revisit. ``velocity_resolution_mps`` is the Doppler
    resolution ``lambda / (2 T_cpi)`` of a pulse-Doppler radar; a radar without it reports no
    range rate.
    """

    removed_fields: ClassVar[dict[str, str]] = {
        "band": "the model uses frequency_hz; name the band in a comment or the note",
        "tracked_targets": (
            "no model limits the tracks a radar holds (the post's tracker has no capacity "
            "limit); a fire-control radar's engagement limits are guidance_targets and "
            "guidance_missiles"
        ),
    }

    role: Literal["surveillance", "fire_control"]
    frequency_hz: float = Field(gt=0)
    detection_range_m: float = Field(gt=0)
    reference_rcs_m2: float = Field(gt=0)
    reference_pd: float = Field(gt=0, lt=1)
    reference_pfa: float = Field(gt=0, lt=1)
    reference_swerling: Literal[0, 1, 2, 3, 4] = 1
    min_range_m: float = Field(ge=0)
    max_range_m: float = Field(gt=0)
    min_elevation_deg: float = Field(ge=-90, le=90)
    max_elevation_deg: float = Field(ge=-90, le=90)
    azimuth_coverage_deg: float = Field(gt=0, le=360)
    revisit_s: float = Field(gt=0)
    scan_mode: Literal["rotating", "electronic"] = "electronic"
    range_resolution_m: float = Field(gt=0)
    velocity_resolution_mps: float | None = Field(default=None, gt=0)
    beamwidth_deg: float = Field(gt=0)
    antenna_height_m: float = Field(ge=0)
    guidance_targets: int = Field(default=0, ge=0)
    guidance_missiles: int = Field(default=0, ge=0)

    @property
    def beamwidth_rad(self) -> float:
        """Half-power beamwidth, radians."""
        return math.radians(self.beamwidth_deg)


class LauncherType(Sourced):
    """A launcher: rounds it holds by interceptor type, reaction and firing rate."""

    capacity: dict[str, int]
    reaction_time_s: float = Field(ge=0)
    launch_interval_s: float = Field(gt=0)
    reload_time_s: float = Field(gt=0)


class InterceptorType(Sourced):
    """An interceptor: envelope, mean speed, single-shot kill probability, lethal radius.

    The flyout (speeds, guidance law, seeker) is the airframe's (``airframes.yaml``); the
    warhead enters only through ``lethal_radius_m``, the Carleton sigma of
    :mod:`iadsim.weapons.lethality`.
    """

    removed_fields: ClassVar[dict[str, str]] = {
        "max_speed_m_s": "flyout speeds come from the airframe (airframes.yaml)",
        "warhead": "the warhead enters the model only through lethal_radius_m",
        "warhead_mass_kg": (
            "the warhead enters the model only through lethal_radius_m (about 4.8 m per "
            "cube-root kg for blast-fragmentation warheads)"
        ),
        "guidance": "guidance is the airframe's (airframes.yaml: active_seeker)",
    }

    min_range_m: float = Field(ge=0)
    max_range_m: float = Field(gt=0)
    min_altitude_m: float
    max_altitude_m: float = Field(gt=0)
    average_speed_m_s: float = Field(gt=0)
    single_shot_pk: float = Field(ge=0, le=1)
    lethal_radius_m: float = Field(gt=0)


class CommandPostType(Sourced):
    """A command post: decision cycle, engagement capacity and readable IFF modes.

    ``simultaneous_targets``: targets the post can engage at once; a fire unit engages no
    more than this or its fire-control radar's ``guidance_targets``, whichever is fewer
    (:func:`iadsim.c2.doctrine.engagement_channels`).
    """

    decision_interval_s: float = Field(gt=0)
    simultaneous_targets: int = Field(gt=0)
    iff_modes: list[str]


class AirPlatformType(Sourced):
    """An aircraft or threat.

    ``max_speed_m_s`` bounds the leg speeds a scenario may give it (checked when the scenario
    is loaded, :mod:`iadsim.scenario.references`).
    """

    removed_fields: ClassVar[dict[str, str]] = {
        "cruise_speed_m_s": "a route gives every leg's speed (speed_kt); no model read it",
        "ceiling_m": (
            "a route gives every waypoint's altitude; no model read it (and for cruise "
            "missiles the figure was a height band, not a pressure ceiling)"
        ),
    }

    category: Literal[
        "fighter", "cruise_missile", "ballistic_missile", "drone", "airliner", "support"
    ]
    rcs_m2: float = Field(gt=0)
    swerling: Literal[0, 1, 2, 3, 4] = 1
    max_speed_m_s: float = Field(gt=0)
    rcs_scale: float = Field(default=1.0, gt=0)

    @property
    def is_weapon(self) -> bool:
        """True for one-way threats whose route ends on their target."""
        return self.category in {"cruise_missile", "ballistic_missile", "drone"}
