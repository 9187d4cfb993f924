"""Ballistic missile flights: the burnout state that hits a target, and the flight it gives.

A flight is a boost and a free flight:

* **boost** (kinematic, an assumption: thrust, mass and drag are not modelled): from rest
  at the launch point, a vertical launch that pitches over to the burnout velocity (speed
  ``v`` at the flight-path angle ``gamma`` above the launch point's geocentric horizontal)
  in ``boost_time_s`` (:func:`_boost`), in the plane of the launch point, the target and
  Earth's centre;
* **free flight**: from that burnout state under WGS-84 gravity with J2 and drag
  (:mod:`iadsim.motion._ballistic_kernels`) until it comes down to the target's height.

:func:`solve_flight` finds ``(gamma, v)`` by shooting: for a given ``gamma`` the speed whose
flight comes down on the target's downrange angle (Brent's method; range grows with
speed), and over ``gamma`` the flight with the asked apogee or time of flight (both grow
with ``gamma`` at a fixed range), or the least burnout speed (the minimum-energy flight).
Flights are solved once per air track when a run is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from iadsim.geo.ellipsoid import WGS84_J2, ecef_to_geodetic
from iadsim.geo.frames import lla_to_ecef
from iadsim.motion._ballistic_kernels import fly_kernel

if TYPE_CHECKING:
    from iadsim.catalog.models import BallisticPerformance
    from iadsim.scenario.air_tracks import BallisticLaunch

STEP_S = 0.5
"""Integration and sample step, s (RK4; a 2 km/s missile moves 1 km per step)."""
MAX_FLIGHT_S = 3600.0
"""Longest free flight, s; a flight not down by then is taken as not landing."""
MIN_SPEED_MPS = 50.0
MAX_SPEED_MPS = 7800.0
"""Bracket of burnout speeds searched, m/s (7.8 km/s: about orbital speed)."""
MIN_FLIGHT_PATH_DEG = 0.5
MAX_FLIGHT_PATH_DEG = 85.0
"""Bracket of burnout flight-path angles searched, degrees."""
ANGLE_GRID = 60
"""Flight-path angles of the scan that brackets the solution."""
MISS_TOLERANCE_M = 20.0
"""Largest miss of a solved flight at the target, m."""

Shape = Literal["apogee", "time_of_flight", "minimum_energy"]


class UnreachableTargetError(ValueError):
    """No flight of the asked shape reaches the target."""


@dataclass(frozen=True)
class BallisticFlight:
    """One solved flight, from launch (time 0) to impact.

    Attributes
    ----------
    times_s : (k,) float64
        Sample times from launch, s: ``step_s`` apart except the last (the impact).
    states : (k, 6) float64
        ECEF position (m) and velocity (m/s) at each sample.
    burnout_speed_mps : float
    burnout_flight_path_rad : float
        Geocentric flight-path angle of the burnout velocity at the launch point.
    burnout_time_s : float
        Boost duration, s (a sample time).
    apogee_m : float
        Greatest height above the ellipsoid (of the samples), m.
    """

    times_s: np.ndarray
    states: np.ndarray
    burnout_speed_mps: float
    burnout_flight_path_rad: float
    burnout_time_s: float
    apogee_m: float

    @property
    def time_of_flight_s(self) -> float:
        """Launch to impact, s."""
        return float(self.times_s[-1])

    @property
    def impact_speed_mps(self) -> float:
        """Speed at the target's height, m/s."""
        return float(np.linalg.norm(self.states[-1, 3:]))


@dataclass(frozen=True)
class _Geometry:
    """Launch point, target and the plane of the flight."""

    launch_m: np.ndarray
    target_m: np.ndarray
    up: np.ndarray
    downrange: np.ndarray
    normal: np.ndarray
    target_angle_rad: float
    target_height_m: float

    @classmethod
    def of(cls, launch_m: np.ndarray, target_m: np.ndarray, target_height_m: float) -> _Geometry:
        up = launch_m / np.linalg.norm(launch_m)
        along = target_m - np.dot(target_m, up) * up
        downrange = along / np.linalg.norm(along)
        normal = np.cross(up, downrange)
        angle = math.atan2(np.dot(target_m, downrange), np.dot(target_m, up))
        return cls(launch_m, target_m, up, downrange, normal, angle, target_height_m)

    def turned(self, angle_rad: float) -> _Geometry:
        """The plane turned about the launch point's vertical by ``angle_rad`` (towards
        ``normal``), to aim off the target sideways."""
        downrange = math.cos(angle_rad) * self.downrange + math.sin(angle_rad) * self.normal
        angle = math.atan2(np.dot(self.target_m, downrange), np.dot(self.target_m, self.up))
        return _Geometry(
            self.launch_m, self.target_m, self.up, downrange, np.cross(self.up, downrange),
            float(angle), self.target_height_m,
        )  # fmt: skip

    def downrange_angle_rad(self, pos_m: np.ndarray) -> float:
        """Central angle from the launch point, measured in the flight's plane."""
        return math.atan2(float(np.dot(pos_m, self.downrange)), float(np.dot(pos_m, self.up)))


def _boost(
    geometry: _Geometry, gamma_rad: float, speed_mps: float, boost_time_s: float, step_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Boost samples ``(times (b,), states (b, 6))`` up to and with burnout.

    A cubic in time (Hermite) from rest at the launch point to the burnout velocity ``v u``
    (``u`` at ``gamma``) at ``Delta`` from it: ``p(s) = p0 + (3 s^2 - 2 s^3) Delta + (s^3 -
    s^2) T v u`` with ``s = t / T``. ``|Delta| = v T / 2`` (the mean speed of a uniform
    acceleration) at the elevation ``e`` with ``3 cos e = 2 cos gamma``, which makes the
    first acceleration ``p''(0) = (6 Delta - 2 T v u) / T^2`` vertical: a vertical launch
    that pitches over to ``gamma`` at burnout.
    """
    direction = math.cos(gamma_rad) * geometry.downrange + math.sin(gamma_rad) * geometry.up
    steps = round(boost_time_s / step_s)
    if steps == 0:
        return np.zeros(1), np.concatenate([geometry.launch_m, speed_mps * direction])[None, :]
    elevation = math.acos(2.0 / 3.0 * math.cos(gamma_rad))
    chord = math.cos(elevation) * geometry.downrange + math.sin(elevation) * geometry.up
    delta = 0.5 * speed_mps * boost_time_s * chord
    s = (np.arange(steps + 1) / steps)[:, None]
    pos = (
        geometry.launch_m
        + (3 * s**2 - 2 * s**3) * delta
        + (s**3 - s**2) * boost_time_s * speed_mps * direction
    )
    vel = (6 * s - 6 * s**2) * delta / boost_time_s + (3 * s**2 - 2 * s) * speed_mps * direction
    return np.arange(steps + 1) * step_s, np.concatenate([pos, vel], axis=1)


def _fly(
    geometry: _Geometry,
    gamma_rad: float,
    speed_mps: float,
    boost_time_s: float,
    inverse_beta: float,
    j2: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of the whole flight (boost then free flight), times from launch."""
    boost_times, boost_states = _boost(geometry, gamma_rad, speed_mps, boost_time_s, STEP_S)
    times, states = fly_kernel(
        boost_states[-1, :3].copy(),
        boost_states[-1, 3:].copy(),
        inverse_beta,
        j2,
        STEP_S,
        MAX_FLIGHT_S,
        geometry.target_height_m,
    )
    return (
        np.concatenate([boost_times, boost_times[-1] + times[1:]]),
        np.concatenate([boost_states, states[1:]]),
    )


def _heights_m(pos_m: np.ndarray) -> np.ndarray:
    return ecef_to_geodetic(pos_m)[2]


@cache
def solve_flight(
    launch_ecef_m: tuple[float, float, float],
    target_ecef_m: tuple[float, float, float],
    target_height_m: float,
    boost_time_s: float,
    ballistic_coefficient_kg_m2: float,
    shape: Shape,
    value: float = 0.0,
    j2: float = WGS84_J2,
) -> BallisticFlight:
    """The flight from the launch point that comes down on the target.

    Parameters
    ----------
    launch_ecef_m, target_ecef_m : 3-tuple of float
        ECEF launch point and target, m.
    target_height_m : float
        The target's height above the ellipsoid, m (where the flight ends).
    boost_time_s : float
        Boost duration, s; rounded to a whole number of :data:`STEP_S`.
    ballistic_coefficient_kg_m2 : float
        ``m / (C_D A)`` after burnout, kg/m^2; ``inf`` for flight in vacuum.
    shape : {"apogee", "time_of_flight", "minimum_energy"}
        What fixes the flight-path angle: ``value`` as the apogee (m above the
        ellipsoid) or the time of flight from launch (s), or the least burnout speed.
    value : float
        The apogee (m) or time of flight (s); unused for ``minimum_energy``.
    j2 : float
        Second zonal harmonic (0 for central gravity).

    Returns
    -------
    BallisticFlight

    Raises
    ------
    UnreachableTargetError
        No burnout speed up to 7.8 km/s, or no flight-path angle in 0.5-85 deg, gives a
        flight of that shape to the target.
    """
    geometry = _Geometry.of(np.array(launch_ecef_m), np.array(target_ecef_m), target_height_m)
    boost_time_s = round(boost_time_s / STEP_S) * STEP_S
    inverse_beta = (
        0.0 if math.isinf(ballistic_coefficient_kg_m2) else 1.0 / ballistic_coefficient_kg_m2
    )

    def miss_rad(plane: _Geometry, gamma: float, speed: float) -> float:
        times, states = _fly(plane, gamma, speed, boost_time_s, inverse_beta, j2)
        if times[-1] >= MAX_FLIGHT_S + boost_time_s - STEP_S:
            return math.pi  # not down: beyond any target
        return plane.downrange_angle_rad(states[-1, :3]) - plane.target_angle_rad

    def speed_for(gamma: float, plane: _Geometry = geometry) -> float:
        low = miss_rad(plane, gamma, MIN_SPEED_MPS)
        high = miss_rad(plane, gamma, MAX_SPEED_MPS)
        if low > 0 or high < 0:
            return math.nan
        return float(
            brentq(lambda v: miss_rad(plane, gamma, v), MIN_SPEED_MPS, MAX_SPEED_MPS, xtol=1e-6)
        )

    def measure(gamma: float) -> float:
        speed = speed_for(gamma)
        if math.isnan(speed):
            return math.nan
        times, states = _fly(geometry, gamma, speed, boost_time_s, inverse_beta, j2)
        if shape == "apogee":
            return float(_heights_m(states[:, :3]).max()) - value
        return float(times[-1]) - value

    gammas = np.radians(np.linspace(MIN_FLIGHT_PATH_DEG, MAX_FLIGHT_PATH_DEG, ANGLE_GRID))
    if shape == "minimum_energy":
        speeds = np.array([speed_for(g) for g in gammas])
        if np.isnan(speeds).all():
            raise UnreachableTargetError("no burnout speed up to 7.8 km/s reaches the target")
        best = int(np.nanargmin(speeds))
        low, high = gammas[max(best - 1, 0)], gammas[min(best + 1, ANGLE_GRID - 1)]
        found = minimize_scalar(speed_for, bounds=(low, high), method="bounded")
        gamma = float(found.x)
    else:
        gamma = _bracketed_root(measure, gammas, shape)
    # J2 and the boost's geodetic vertical carry the flight slightly out of its plane
    # (about 100 m at 500 km): aim off by the cross-range angle over sin(range angle), the
    # sideways shift of the impact per radian of launch azimuth, and solve the speed again.
    _, states = _fly(geometry, gamma, speed_for(gamma), boost_time_s, inverse_beta, j2)
    impact = states[-1, :3] / np.linalg.norm(states[-1, :3])
    cross_rad = math.asin(float(np.dot(impact, geometry.normal)))
    aimed = geometry.turned(-cross_rad / math.sin(geometry.target_angle_rad))
    speed = speed_for(gamma, aimed)
    if math.isnan(speed):
        raise UnreachableTargetError("no burnout speed up to 7.8 km/s reaches the target")
    times, states = _fly(aimed, gamma, speed, boost_time_s, inverse_beta, j2)
    miss_m = float(np.linalg.norm(states[-1, :3] - geometry.target_m))
    if miss_m > MISS_TOLERANCE_M:
        msg = f"the flight misses the target by {miss_m:.0f} m"
        raise UnreachableTargetError(msg)
    return BallisticFlight(
        times, states, speed, gamma, boost_time_s, float(_heights_m(states[:, :3]).max())
    )


def _bracketed_root(measure, gammas: np.ndarray, shape: str) -> float:
    """The flight-path angle where ``measure`` (growing with it) crosses zero."""
    values = np.array([measure(g) for g in gammas])
    valid = ~np.isnan(values)
    if not valid.any():
        raise UnreachableTargetError("no burnout speed up to 7.8 km/s reaches the target")
    crossing = np.flatnonzero(valid[:-1] & valid[1:] & (values[:-1] <= 0) & (values[1:] >= 0))
    if crossing.size == 0:
        reached = values[valid]
        what = "apogee (m)" if shape == "apogee" else "time of flight (s)"
        msg = (
            f"the asked {what} is outside what reaches the target: from "
            f"{reached.min():+.0f} to {reached.max():+.0f} of it"
        )
        raise UnreachableTargetError(msg)
    i = int(crossing[0])
    return float(brentq(measure, gammas[i], gammas[i + 1], xtol=1e-9))


def scenario_flight(launch: BallisticLaunch, performance: BallisticPerformance) -> BallisticFlight:
    """The flight a scenario's ``ballistic`` block asks of a catalog missile.

    Parameters
    ----------
    launch : BallisticLaunch
        Launch point, target and shape (apogee, time of flight or minimum energy; the
        catalog's nominal apogee when none).
    performance : BallisticPerformance
        The missile's boost time and ballistic coefficient.

    Raises
    ------
    UnreachableTargetError
    """
    ends = [
        tuple(float(c) for c in lla_to_ecef(p.lat_rad, p.lon_rad, p.alt_m))
        for p in (launch.launch, launch.target)
    ]
    shape: Shape = "apogee"
    value = performance.apogee_m
    if launch.apogee_km is not None:
        value = launch.apogee_km * 1000.0
    elif launch.time_of_flight_s is not None:
        shape, value = "time_of_flight", launch.time_of_flight_s
    elif launch.minimum_energy:
        shape, value = "minimum_energy", 0.0
    return solve_flight(
        ends[0],  # type: ignore[arg-type]
        ends[1],  # type: ignore[arg-type]
        launch.target.alt_m,
        performance.boost_time_s,
        performance.ballistic_coefficient_kg_m2,
        shape,
        value,
    )
