"""Catalog entries of the attacker: air platforms, jammers, emitters seen by ARMs, ARMs, decoys.

Values are SI with the unit in the key name; angles are given in degrees in the files
(the edge) and exposed in radians by properties.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator

from iadsim.catalog.sourced import (
    MAX_RANGE_M,
    MAX_SPEED_M_S,
    Sourced,
)
from iadsim.core.input_model import InputModel


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
