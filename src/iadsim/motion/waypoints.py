"""Geodesic waypoint motion, vectorised over every air entity.

Each leg is flown along the WGS-84 geodesic between two waypoints (pyproj ``Geod``;
Karney 2013, *Algorithms for geodesics*, J. Geodesy 87) at the speed of the leg's first
waypoint, with altitude varying linearly in leg time. An entity exists from its start time
until it reaches its last waypoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pyproj

from iadsim.geo.frames import WGS84_A_M, WGS84_E2, enu_rotation, lla_to_ecef


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class RouteTable:
    """Padded leg arrays for ``n`` entities with up to ``m`` legs each.

    Attributes
    ----------
    start_s : (n,) float64
        Time each entity appears at its first waypoint, s.
    leg_start_s : (n, m) float64
        Time each leg starts (``inf`` for padding legs), s.
    lat0_deg, lon0_deg, alt0_m : (n, m) float64
        Leg start point.
    azimuth_deg : (n, m) float64
        Geodesic forward azimuth at the leg start, degrees.
    length_m, speed_mps, climb_mps : (n, m) float64
        Leg length along the geodesic, ground speed, vertical speed.
    end_s : (n,) float64
        Time the entity reaches its last waypoint, s.
    """

    start_s: np.ndarray
    leg_start_s: np.ndarray
    lat0_deg: np.ndarray
    lon0_deg: np.ndarray
    alt0_m: np.ndarray
    azimuth_deg: np.ndarray
    length_m: np.ndarray
    speed_mps: np.ndarray
    climb_mps: np.ndarray
    end_s: np.ndarray

    @classmethod
    def from_routes(cls, routes: list[np.ndarray], start_s: np.ndarray) -> RouteTable:
        """Build the table.

        Parameters
        ----------
        routes : list of (k_i, 4) float arrays
            Waypoints ``lat_deg, lon_deg, alt_m, speed_mps`` per entity (k_i >= 2).
        start_s : (n,) float
            Start time of each entity, s.
        """
        n = len(routes)
        m = max(len(route) for route in routes) - 1
        shape = (n, m)
        arrays = {
            name: np.zeros(shape) for name in ("lat0", "lon0", "alt0", "az", "len", "v", "climb")
        }
        leg_start = np.full(shape, np.inf)
        end_s = np.zeros(n)
        geod = _geod()
        for i, route in enumerate(routes):
            k = len(route) - 1
            az, _, dist = geod.inv(route[:-1, 1], route[:-1, 0], route[1:, 1], route[1:, 0])
            speed = route[:-1, 3]
            duration = np.maximum(np.hypot(dist, route[1:, 2] - route[:-1, 2]) / speed, 1e-9)
            ground_speed = dist / duration
            arrays["lat0"][i, :k] = route[:-1, 0]
            arrays["lon0"][i, :k] = route[:-1, 1]
            arrays["alt0"][i, :k] = route[:-1, 2]
            arrays["az"][i, :k] = az
            arrays["len"][i, :k] = dist
            arrays["v"][i, :k] = ground_speed
            arrays["climb"][i, :k] = (route[1:, 2] - route[:-1, 2]) / duration
            leg_start[i, :k] = start_s[i] + np.concatenate([[0.0], np.cumsum(duration)[:-1]])
            end_s[i] = start_s[i] + duration.sum()
        return cls(
            np.asarray(start_s, dtype=float),
            leg_start,
            arrays["lat0"],
            arrays["lon0"],
            arrays["alt0"],
            arrays["az"],
            arrays["len"],
            arrays["v"],
            arrays["climb"],
            end_s,
        )

    @cached_property
    def _leg_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """Entity rows ``(n,)`` and the leg columns stacked ``(8, n, m)`` for one gather."""
        columns = (
            self.leg_start_s,
            self.speed_mps,
            self.length_m,
            self.lon0_deg,
            self.lat0_deg,
            self.azimuth_deg,
            self.climb_mps,
            self.alt0_m,
        )
        return np.arange(len(self.start_s)), np.stack(columns)

    def state(self, t_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at ``t_s``: :meth:`states` at one time.

        Returns
        -------
        pos_ecef_m : (n, 3) float64
        vel_ecef_mps : (n, 3) float64
        lla : (n, 3) float64
            Latitude (rad), longitude (rad), altitude (m).
        flying : (n,) bool
        """
        pos, vel, lla, flying = self.states(np.array([t_s], dtype=np.float64))
        return pos[0], vel[0], lla[0], flying[0]

    def states(self, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at each of ``times_s``, in one pass.

        Entities before their start are held at the first waypoint, after their end at the
        last point; ``flying`` says which are airborne. Every value of a time is computed
        by the same element-wise operations whatever the other times are, so a batch of
        times gives the same bits as one time at a time.

        Parameters
        ----------
        times_s : (T,) float64
            Simulation times, s.

        Returns
        -------
        pos_ecef_m : (T, n, 3) float64
        vel_ecef_mps : (T, n, 3) float64
        lla : (T, n, 3) float64
            Latitude (rad), longitude (rad), altitude (m).
        flying : (T, n) bool
        """
        rows, legs = self._leg_columns
        t_s = np.asarray(times_s, dtype=np.float64)[:, None]
        t_clamped = np.clip(t_s, self.start_s, self.end_s)
        leg = np.maximum(np.sum(self.leg_start_s <= t_clamped[..., None], axis=-1) - 1, 0)
        # One gather of every leg column (the columns of _leg_columns, in that order), each
        # flattened to (T * n,) rows.
        gathered = legs[:, rows, leg].reshape(len(legs), -1)
        leg_start, speed, length, lon0, lat0, azimuth, climb, alt0 = gathered
        elapsed = t_clamped.ravel() - leg_start
        distance = np.minimum(speed * elapsed, length)
        lon, lat, back_az = _geod().fwd(lon0, lat0, azimuth, distance)
        alt = alt0 + climb * elapsed
        flying = (t_s >= self.start_s) & (t_s < self.end_s)
        heading = np.radians(np.asarray(back_az) + 180.0)
        lat_rad, lon_rad = np.radians(lat), np.radians(lon)
        # The leg is flown over the ellipsoid at its ground speed; at height h the entity
        # moves (R + h) / R faster, with R the radius of curvature of each direction
        # (prime vertical N eastward, meridian M northward), so that the velocity is the
        # time derivative of the position (0.16 % at 10 km, 0.8 % at 50 km).
        east_scale, north_scale = _height_scales(lat_rad, alt)
        vel_enu = np.stack(
            [
                speed * np.sin(heading) * east_scale,
                speed * np.cos(heading) * north_scale,
                climb,
            ],
            axis=-1,
        )
        vel_enu[~flying.ravel()] = 0.0
        vel_ecef = np.einsum("nji,nj->ni", enu_rotation(lat_rad, lon_rad), vel_enu)
        pos_ecef = lla_to_ecef(lat_rad, lon_rad, alt)
        shape = (*flying.shape, 3)
        lla = np.stack([lat_rad, lon_rad, alt], axis=-1)
        return pos_ecef.reshape(shape), vel_ecef.reshape(shape), lla.reshape(shape), flying


def _height_scales(lat_rad: np.ndarray, alt_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(N + h) / N`` and ``(M + h) / M``: how much faster than its ground speed a point at
    height ``h`` moves east and north (N, M the prime-vertical and meridian radii of
    curvature of WGS-84)."""
    w2 = 1.0 - WGS84_E2 * np.sin(lat_rad) ** 2
    prime_vertical_m = WGS84_A_M / np.sqrt(w2)
    meridian_m = WGS84_A_M * (1.0 - WGS84_E2) / w2**1.5
    return 1.0 + alt_m / prime_vertical_m, 1.0 + alt_m / meridian_m
