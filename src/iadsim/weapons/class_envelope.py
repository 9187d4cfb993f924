"""Maximum intercept ground range of an interceptor against each target class, from flyouts.

The kinematic table of :mod:`iadsim.weapons.envelope` flies to stationary points. Here the
interceptor flies against a moving target of each class along a representative inbound
trajectory, launched at a series of times, and the largest ground range (from the launcher,
along the ellipsoid) at which it makes a closest approach within ``miss_tolerance_m``, within
its maximum flight time, at no less than its minimum speed and between the catalog's minimum
and maximum engagement altitudes, is the class's maximum intercept range.

Representative targets (all inbound, aimed at the launcher, from the north; notional site at
40 deg N, 33 deg E as in :mod:`iadsim.weapons.envelope`):

* ``aircraft``: level flight at 10 km, 250 m/s, straight down the meridian;
* ``cruise_missile``: level flight at 50 m, 250 m/s, the same way;
* ``ballistic_missile``: an Iskander-class flight from the catalog (``iskander``: boost time,
  ballistic coefficient, nominal apogee) solved by :func:`iadsim.motion.ballistic.solve_flight`
  from 480 km north onto the launcher itself.

The seeker measures without noise and the fire-control track is the truth, so the figure is the
kinematic (energy and turn-rate) limit; radar detection, timelines and lethality are not in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyproj

from iadsim.geo.frames import ecef_to_lla, enu_rotation, lla_to_ecef
from iadsim.motion.ballistic import BallisticFlight, solve_flight
from iadsim.weapons._flyout_model import MAX_FLIGHT_TIME, MIN_SPEED
from iadsim.weapons.flyout import (
    Airframe,
    EndReason,
    FlyoutOptions,
    FlyoutState,
    lofted_launch_velocity,
    step,
)
from iadsim.weapons.guidance import predicted_intercept_point

TargetClass = Literal["aircraft", "cruise_missile", "ballistic_missile"]
TARGET_CLASSES: tuple[TargetClass, ...] = ("aircraft", "cruise_missile", "ballistic_missile")

SITE_LAT_DEG = 40.0
SITE_LON_DEG = 33.0
_GEOD = pyproj.Geod(ellps="WGS84")
_SAMPLE_S = 0.5

AIRCRAFT_ALTITUDE_M = 10_000.0
CRUISE_MISSILE_ALTITUDE_M = 50.0
AIR_BREATHER_SPEED_MPS = 250.0
BALLISTIC_LAUNCH_DISTANCE_M = 480_000.0
"""Ground distance of the representative ballistic launch from the defended launcher, m."""


@dataclass(frozen=True)
class TargetPath:
    """A target's truth trajectory, sampled for cubic Hermite playback.

    Attributes
    ----------
    times_s : ndarray, shape (k,)
        Increasing sample times, s.
    states : ndarray, shape (k, 6)
        ECEF position (m) and velocity (m/s) at each sample.
    """

    times_s: np.ndarray
    states: np.ndarray

    def state_at(self, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position and velocity at times ``t_s`` (shape (n,)), each shape (n, 3), m and m/s.

        Cubic Hermite interpolation between the samples (Burden & Faires, *Numerical
        Analysis*, 9th ed., sec. 3.4); times outside the samples are clamped to the ends.
        """
        t = np.clip(np.asarray(t_s, dtype=float), self.times_s[0], self.times_s[-1])
        i = np.clip(np.searchsorted(self.times_s, t, side="right") - 1, 0, self.times_s.size - 2)
        t0, t1 = self.times_s[i], self.times_s[i + 1]
        h = (t1 - t0)[:, None]
        s = ((t - t0) / (t1 - t0))[:, None]
        p0, v0 = self.states[i, :3], self.states[i, 3:]
        p1, v1 = self.states[i + 1, :3], self.states[i + 1, 3:]
        h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
        h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
        pos = h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1
        dh00, dh10 = 6 * s**2 - 6 * s, 3 * s**2 - 4 * s + 1
        dh01, dh11 = -6 * s**2 + 6 * s, 3 * s**2 - 2 * s
        vel = (dh00 * p0 + dh01 * p1) / h + dh10 * v0 + dh11 * v1
        return pos, vel

    @property
    def duration_s(self) -> float:
        """Last sample time, s."""
        return float(self.times_s[-1])


def level_inbound_path(
    start_distance_m: float, altitude_m: float, speed_mps: float, *, end_distance_m: float = 0.0
) -> TargetPath:
    """Level flight down the meridian towards the site at constant height and ground speed.

    Parameters
    ----------
    start_distance_m : float
        Ground distance north of the site at time 0, m.
    altitude_m : float
        Height above the ellipsoid, m.
    speed_mps : float
        Ground speed, m/s (heading due south).
    end_distance_m : float
        Ground distance north of the site where the path ends, m.

    Returns
    -------
    TargetPath
    """
    duration = (start_distance_m - end_distance_m) / speed_mps
    times = np.arange(0.0, duration + _SAMPLE_S, _SAMPLE_S)
    distance = start_distance_m - speed_mps * times
    n = times.size
    lon, lat, _ = _GEOD.fwd(
        np.full(n, SITE_LON_DEG), np.full(n, SITE_LAT_DEG), np.zeros(n), distance
    )
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    pos = lla_to_ecef(lat_r, lon_r, np.full(n, altitude_m))
    north = np.stack(
        [-np.sin(lat_r) * np.cos(lon_r), -np.sin(lat_r) * np.sin(lon_r), np.cos(lat_r)], axis=-1
    )
    # Ground speed along the ellipsoid scaled to the speed at height h on the meridian arc:
    # (M + h) / M with M the meridian radius of curvature (a small correction at 10 km).
    a, e2 = 6_378_137.0, 6.694_379_990_14e-3
    meridian_radius = a * (1 - e2) / (1 - e2 * np.sin(lat_r) ** 2) ** 1.5
    vel = -north * (speed_mps * (meridian_radius + altitude_m) / meridian_radius)[:, None]
    return TargetPath(times, np.hstack([pos, vel]))


def ballistic_inbound_path(
    boost_time_s: float,
    ballistic_coefficient_kg_m2: float,
    apogee_m: float,
    launch_distance_m: float = BALLISTIC_LAUNCH_DISTANCE_M,
) -> tuple[TargetPath, BallisticFlight]:
    """A ballistic flight from ``launch_distance_m`` north of the site onto the site.

    Solved with :func:`iadsim.motion.ballistic.solve_flight` for the given apogee (gravity with
    J2, drag of ballistic coefficient ``beta``, kinematic boost).

    Returns
    -------
    path : TargetPath
    flight : BallisticFlight
    """
    lon, lat, _ = _GEOD.fwd(SITE_LON_DEG, SITE_LAT_DEG, 0.0, launch_distance_m)
    launch = lla_to_ecef(math.radians(lat), math.radians(lon), 0.0)
    site = lla_to_ecef(math.radians(SITE_LAT_DEG), math.radians(SITE_LON_DEG), 0.0)
    flight = solve_flight(
        tuple(float(c) for c in launch),  # type: ignore[arg-type]
        tuple(float(c) for c in site),  # type: ignore[arg-type]
        0.0,
        boost_time_s,
        ballistic_coefficient_kg_m2,
        "apogee",
        apogee_m,
    )
    return TargetPath(flight.times_s, flight.states), flight


@dataclass(frozen=True)
class ClassEnvelope:
    """The outcome of :func:`max_intercept_range`.

    Attributes
    ----------
    max_ground_range_m : float
        Largest ground range of a valid intercept, m (0 if none).
    altitude_m : float
        Target height at that intercept, m (NaN if none).
    time_of_flight_s : float
        Interceptor time of flight to it, s (NaN if none).
    n_launches, n_intercepts : int
        Launches flown and valid intercepts among them.
    """

    max_ground_range_m: float
    altitude_m: float
    time_of_flight_s: float
    n_launches: int
    n_intercepts: int


def max_intercept_range(
    airframe: Airframe,
    path: TargetPath,
    launch_times_s: np.ndarray,
    *,
    min_altitude_m: float = 0.0,
    max_altitude_m: float = math.inf,
    dt_s: float = 0.1,
    miss_tolerance_m: float = 30.0,
    options: FlyoutOptions = FlyoutOptions(),  # noqa: B008 (frozen, immutable default)
) -> ClassEnvelope:
    """Fly one interceptor per launch time against the target and keep the farthest intercept.

    Parameters
    ----------
    airframe : Airframe
    path : TargetPath
        The target's truth trajectory (also the fire-control track).
    launch_times_s : array_like, shape (n,)
        Launch times on the path's clock, s.
    min_altitude_m, max_altitude_m : float
        Engagement altitudes: intercepts outside them do not count, m.
    dt_s : float
        Integration step, s (terminal homing is sampled at 0.01 s inside it).
    miss_tolerance_m : float
        A closest approach within this counts as an intercept, m.
    options : FlyoutOptions

    Returns
    -------
    ClassEnvelope
    """
    launch_times = np.asarray(launch_times_s, dtype=float)
    n = launch_times.size
    site = lla_to_ecef(math.radians(SITE_LAT_DEG), math.radians(SITE_LON_DEG), 0.0)
    rotation = enu_rotation(math.radians(SITE_LAT_DEG), math.radians(SITE_LON_DEG))
    target_pos, target_vel = path.state_at(launch_times)
    aim, _, _ = predicted_intercept_point(
        target_pos, target_vel, np.broadcast_to(site, (n, 3)), airframe.mean_speed_mps
    )
    state = FlyoutState(n)
    state.launch(airframe, site, lofted_launch_velocity(site, rotation, aim, airframe))
    # Fly on past the limits, which are applied to the outcome below.
    state.params[:, MIN_SPEED] = 0.0
    state.params[:, MAX_FLIGHT_TIME] = airframe.max_flight_time_s * 1.1

    tof = np.full(n, np.nan)
    speed = np.full(n, np.nan)
    where = np.full((n, 3), np.nan)
    for k in range(math.ceil(airframe.max_flight_time_s * 1.1 / dt_s) + 1):
        if not state.active.any():
            break
        pos, vel = path.state_at(launch_times + k * dt_s)
        # A target that has landed (path ended) is left where it came down.
        ended_path = launch_times + k * dt_s >= path.duration_s
        vel[ended_path] = 0.0
        events = step(state, pos, vel, ~ended_path, dt_s, options=options)
        hit = (events.reason == EndReason.CLOSEST_APPROACH) & (
            events.miss_distance_m <= miss_tolerance_m
        )
        tof[events.slot[hit]] = events.time_since_launch_s[hit]
        speed[events.slot[hit]] = events.speed_mps[hit]
        where[events.slot[hit]] = events.target_pos_ecef_m[hit]

    arrived = np.isfinite(tof)
    lat, lon, height = ecef_to_lla(np.where(arrived[:, None], where, site))
    _, _, ground = _GEOD.inv(
        np.full(n, SITE_LON_DEG), np.full(n, SITE_LAT_DEG), np.degrees(lon), np.degrees(lat)
    )
    with np.errstate(invalid="ignore"):
        valid = (
            arrived
            & (tof <= airframe.max_flight_time_s)
            & (speed >= airframe.min_speed_mps)
            & (height >= min_altitude_m)
            & (height <= max_altitude_m)
        )
    if not valid.any():
        return ClassEnvelope(0.0, math.nan, math.nan, n, 0)
    best = int(np.flatnonzero(valid)[np.argmax(np.asarray(ground)[valid])])
    return ClassEnvelope(
        max_ground_range_m=float(np.asarray(ground)[best]),
        altitude_m=float(height[best]),
        time_of_flight_s=float(tof[best]),
        n_launches=n,
        n_intercepts=int(valid.sum()),
    )


def representative_path(target_class: TargetClass, reach_m: float) -> TargetPath:
    """The representative inbound trajectory of a class (see the module notes).

    Parameters
    ----------
    target_class : {"aircraft", "cruise_missile", "ballistic_missile"}
    reach_m : float
        Farthest ground distance an air-breathing target must start from, m.
    """
    if target_class == "aircraft":
        return level_inbound_path(reach_m, AIRCRAFT_ALTITUDE_M, AIR_BREATHER_SPEED_MPS)
    if target_class == "cruise_missile":
        return level_inbound_path(reach_m, CRUISE_MISSILE_ALTITUDE_M, AIR_BREATHER_SPEED_MPS)
    from iadsim.catalog import load_catalog

    performance = load_catalog().air_platforms["iskander"].ballistic
    assert performance is not None
    path, _ = ballistic_inbound_path(
        performance.boost_time_s, performance.ballistic_coefficient_kg_m2, performance.apogee_m
    )
    return path


def class_envelopes(
    keys: tuple[str, ...] | None = None,
    classes: tuple[TargetClass, ...] = TARGET_CLASSES,
    *,
    dt_s: float = 0.1,
    launch_spacing_m: float = 1000.0,
) -> dict[tuple[str, TargetClass], ClassEnvelope]:
    """Maximum intercept ground range of catalog interceptors against each class.

    Air-breathing targets start 1.3 times the interceptor's catalog range out and are
    engaged at every ``launch_spacing_m`` of their approach down to 0.39 times it; the
    ballistic target is engaged at every second of its flight. The engagement altitudes
    are the catalog's ``min_altitude_m`` and ``max_altitude_m``.

    Parameters
    ----------
    keys : tuple of str, optional
        Interceptor keys (default: every airframe in the catalog).
    classes : tuple of str
    dt_s : float
        Integration step, s.
    launch_spacing_m : float
        Target travel between launches against air-breathing targets, m.

    Returns
    -------
    dict
        ``(key, class) -> ClassEnvelope``.
    """
    from iadsim.catalog import load_catalog
    from iadsim.weapons.flyout import load_airframes

    catalog = load_catalog()
    airframes = load_airframes()
    keys = tuple(sorted(airframes)) if keys is None else keys
    ballistic = (
        representative_path("ballistic_missile", 0.0) if "ballistic_missile" in classes else None
    )
    out: dict[tuple[str, TargetClass], ClassEnvelope] = {}
    for key in keys:
        entry = catalog.interceptors[key]
        for target_class in classes:
            if target_class == "ballistic_missile":
                assert ballistic is not None
                path = ballistic
                times = np.arange(0.0, path.duration_s, 1.0)
            else:
                reach = 1.3 * entry.max_range_m
                path = representative_path(target_class, reach)
                spacing_s = launch_spacing_m / AIR_BREATHER_SPEED_MPS
                times = np.arange(0.0, path.duration_s * 0.7, spacing_s)
            out[key, target_class] = max_intercept_range(
                airframes[key],
                path,
                times,
                min_altitude_m=entry.min_altitude_m,
                max_altitude_m=entry.max_altitude_m,
                dt_s=dt_s,
            )
    return out


__all__ = [
    "TARGET_CLASSES",
    "ClassEnvelope",
    "TargetClass",
    "TargetPath",
    "ballistic_inbound_path",
    "class_envelopes",
    "level_inbound_path",
    "max_intercept_range",
    "representative_path",
]
