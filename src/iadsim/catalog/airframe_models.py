"""Catalog entries of interceptor airframes: drag curves and the flyout's airframe constants.

Values are SI with the unit in the key name.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from iadsim.catalog.sourced import (
    MAX_RANGE_M,
    MAX_SPEED_M_S,
    Sourced,
)
from iadsim.core.input_model import InputModel


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
