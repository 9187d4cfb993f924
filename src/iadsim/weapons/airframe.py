"""Interceptor airframes: the constants one flyout flies, and their row in the flyout's table.

:class:`Airframe` holds an interceptor's mass, motor, drag, load limit, guidance and seeker
constants (from the catalog's ``airframes.yaml``, :func:`load_airframes`); the flyout
(:mod:`iadsim.weapons.flyout`) writes them as one row of per-missile parameters, the
columns named in :mod:`iadsim.weapons._flyout_model`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iadsim.catalog.loader import load_catalog
from iadsim.catalog.models import AirframeType
from iadsim.weapons import _flyout_model as k


@dataclass(frozen=True)
class Airframe:
    """Propulsion, aerodynamic and guidance parameters of one interceptor type (SI units).

    Parameters
    ----------
    key : str
        Catalog key, e.g. ``"s400/48n6e3"``.
    launch_mass_kg, propellant_mass_kg : float
        Mass at launch and mass of propellant burnt over both pulses.
    boost_thrust_n, boost_time_s : float
        First (boost) pulse: constant thrust over ``[0, boost_time_s)``.
    sustain_thrust_n, sustain_time_s, pulse_delay_s : float
        Optional second pulse (sustainer, or second pulse of a dual-pulse motor) that starts
        ``pulse_delay_s`` after the boost ends.
    reference_area_m2 : float
        Reference area of the drag coefficient (body cross-section).
    drag_mach, drag_cd0 : tuple of float
        Zero-lift drag coefficient against Mach number (linear in between, constant outside).
    max_load_factor_g : float
        Limit on the lateral acceleration, in units of standard gravity.
    max_flight_time_s, min_speed_mps : float
        The flyout ends at this time of flight, or below this speed once the motor is out.
    navigation_constant : float
        Effective navigation ratio N' of proportional navigation.
    loft_gain : float
        Midcourse aimpoint height above the predicted intercept point per metre of remaining
        ground distance (0 = no loft).
    mean_speed_mps : float
        Average speed assumed for the predicted intercept point before the missile is faster.
    seeker_acquisition_range_m : float
        Range to the target at which terminal homing starts (``inf`` = from launch).
    active_seeker : bool
        Whether terminal homing survives the loss of the fire-control track; also the seeker
        kind of the lock-on range (:func:`iadsim.weapons.seeker.acquisition_range_m`).
    launch_speed_mps : float
        Speed when leaving the canister or rail.
    seeker_reference_rcs_m2 : float
        Target RCS at which ``seeker_acquisition_range_m`` holds.
    seeker_illuminator_range_m : float
        Semi-active seeker: illuminator to target range at which it holds (0: not modelled).
    seeker_angle_noise_rad, seeker_thermal_noise_rad : float
        Range-independent angle noise and receiver angle noise at lock-on, one sigma per
        guidance sample (:mod:`iadsim.weapons.seeker`).
    autopilot_time_constant_s : float
        First-order lag of the achieved lateral acceleration (0: none).
    """

    key: str
    launch_mass_kg: float
    propellant_mass_kg: float
    boost_thrust_n: float
    boost_time_s: float
    reference_area_m2: float
    drag_mach: tuple[float, ...]
    drag_cd0: tuple[float, ...]
    max_load_factor_g: float
    max_flight_time_s: float
    min_speed_mps: float
    sustain_thrust_n: float = 0.0
    sustain_time_s: float = 0.0
    pulse_delay_s: float = 0.0
    navigation_constant: float = 4.0
    loft_gain: float = 0.0
    mean_speed_mps: float = 1000.0
    seeker_acquisition_range_m: float = math.inf
    active_seeker: bool = False
    launch_speed_mps: float = 30.0
    seeker_reference_rcs_m2: float = 1.0
    seeker_illuminator_range_m: float = 0.0
    seeker_angle_noise_rad: float = 0.0
    seeker_thermal_noise_rad: float = 0.0
    autopilot_time_constant_s: float = 0.0

    def __post_init__(self) -> None:
        if len(self.drag_mach) != len(self.drag_cd0) or len(self.drag_mach) < 1:
            raise ValueError(f"{self.key}: drag_mach and drag_cd0 must have the same length")
        if any(b <= a for a, b in zip(self.drag_mach, self.drag_mach[1:], strict=False)):
            raise ValueError(f"{self.key}: drag_mach must increase")
        if not 0.0 <= self.propellant_mass_kg < self.launch_mass_kg:
            raise ValueError(f"{self.key}: propellant mass must be in [0, launch mass)")
        if self.launch_speed_mps <= 0.0:
            raise ValueError(f"{self.key}: launch_speed_mps must be positive")

    @property
    def total_impulse_ns(self) -> float:
        """Impulse of both motor pulses, N s."""
        return self.boost_thrust_n * self.boost_time_s + self.sustain_thrust_n * self.sustain_time_s

    @property
    def specific_impulse_s(self) -> float:
        """Implied specific impulse ``I_total / (m_prop g0)``, s (nan without propellant)."""
        if self.propellant_mass_kg == 0.0:
            return math.nan
        return self.total_impulse_ns / (self.propellant_mass_kg * k.G0_MPS2)

    @property
    def motor_end_s(self) -> float:
        """Time of flight at which the last pulse ends, s."""
        if self.sustain_time_s > 0.0:
            return self.boost_time_s + self.pulse_delay_s + self.sustain_time_s
        return self.boost_time_s

    @classmethod
    def from_entry(cls, entry: AirframeType) -> Airframe:
        """Build from a catalog entry (``catalog/data/airframes.yaml``, with any overrides)."""
        return cls(
            key=entry.key,
            launch_mass_kg=entry.launch_mass_kg,
            propellant_mass_kg=entry.propellant_mass_kg,
            boost_thrust_n=entry.boost_thrust_n,
            boost_time_s=entry.boost_time_s,
            reference_area_m2=entry.reference_area_m2,
            drag_mach=tuple(entry.drag_cd0_vs_mach.mach),
            drag_cd0=tuple(entry.drag_cd0_vs_mach.cd0),
            max_load_factor_g=entry.max_load_factor_g,
            max_flight_time_s=entry.max_flight_time_s,
            min_speed_mps=entry.min_speed_m_s,
            sustain_thrust_n=entry.sustain_thrust_n,
            sustain_time_s=entry.sustain_time_s,
            pulse_delay_s=entry.pulse_delay_s,
            navigation_constant=entry.navigation_constant,
            loft_gain=entry.loft_gain,
            mean_speed_mps=entry.mean_speed_m_s,
            seeker_acquisition_range_m=(
                math.inf
                if entry.seeker_acquisition_range_m is None
                else entry.seeker_acquisition_range_m
            ),
            active_seeker=entry.active_seeker,
            launch_speed_mps=entry.launch_speed_m_s,
            seeker_reference_rcs_m2=entry.seeker_reference_rcs_m2,
            seeker_illuminator_range_m=entry.seeker_illuminator_range_m or 0.0,
            seeker_angle_noise_rad=entry.seeker_angle_noise_mrad * 1e-3,
            seeker_thermal_noise_rad=entry.seeker_thermal_noise_mrad * 1e-3,
            autopilot_time_constant_s=entry.autopilot_time_constant_s,
        )


def load_airframes() -> dict[str, Airframe]:
    """The bundled catalog's airframes, keyed by interceptor key."""
    return {key: Airframe.from_entry(entry) for key, entry in load_catalog().airframes.items()}


def _airframe_row(airframe: Airframe, type_index: int) -> np.ndarray:
    row = np.zeros(k.N_PARAMS)
    impulse = airframe.total_impulse_ns
    row[k.LAUNCH_MASS] = airframe.launch_mass_kg
    row[k.PROPELLANT_PER_IMPULSE] = airframe.propellant_mass_kg / impulse if impulse > 0 else 0.0
    row[k.BOOST_THRUST] = airframe.boost_thrust_n
    row[k.BOOST_END] = airframe.boost_time_s
    row[k.SUSTAIN_THRUST] = airframe.sustain_thrust_n
    row[k.SUSTAIN_START] = airframe.boost_time_s + airframe.pulse_delay_s
    row[k.SUSTAIN_END] = row[k.SUSTAIN_START] + airframe.sustain_time_s
    row[k.REFERENCE_AREA] = airframe.reference_area_m2
    row[k.MAX_ACCEL] = airframe.max_load_factor_g * k.G0_MPS2
    row[k.MAX_FLIGHT_TIME] = airframe.max_flight_time_s
    row[k.MIN_SPEED] = airframe.min_speed_mps
    row[k.NAV_CONSTANT] = airframe.navigation_constant
    row[k.LOFT_GAIN] = airframe.loft_gain
    row[k.MEAN_SPEED] = airframe.mean_speed_mps
    row[k.SEEKER_RANGE] = airframe.seeker_acquisition_range_m
    row[k.ACTIVE_SEEKER] = float(airframe.active_seeker)
    row[k.TYPE_INDEX] = type_index
    row[k.AUTOPILOT_TIME_CONSTANT] = airframe.autopilot_time_constant_s
    row[k.SEEKER_REFERENCE_RCS] = airframe.seeker_reference_rcs_m2
    row[k.SEEKER_ILLUMINATOR_RANGE] = airframe.seeker_illuminator_range_m
    row[k.SEEKER_ANGLE_NOISE] = airframe.seeker_angle_noise_rad
    row[k.SEEKER_THERMAL_NOISE] = airframe.seeker_thermal_noise_rad
    return row
