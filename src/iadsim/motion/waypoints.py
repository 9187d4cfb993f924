"""Geodesic waypoint motion, vectorised over every air entity.

Each leg is flown along the WGS-84 geodesic between two waypoints (pyproj ``Geod``;
Karney 2013, *Algorithms for geodesics*, J. Geodesy 87) at the speed of the leg's first
waypoint, with altitude varying linearly in leg time. Between two legs the entity flies a
fly-by turn at its bank angle (:mod:`iadsim.motion.turns`), or turns instantly when it has
none. An entity exists from its start time until it reaches its last waypoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pyproj

from iadsim.geo.frames import WGS84_A_M, WGS84_E2, enu_rotation, lla_to_ecef
from iadsim.motion.turns import route_segments


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class RouteTable:
    """Padded segment arrays for ``n`` entities with up to ``m`` segments each.

    A route of ``k`` legs is flown as ``2 k - 1`` segments: each leg's straight part along
    its geodesic, and between two legs a fly-by turn (:mod:`iadsim.motion.turns`); a turn
    of zero length (no bank limit, or a straight-on waypoint) is never selected.

    Attributes
    ----------
    start_s : (n,) float64
        Time each entity appears at its first waypoint, s.
    leg_start_s : (n, m) float64
        Time each segment starts (``inf`` for padding), s.
    lat0_deg, lon0_deg, alt0_m : (n, m) float64
        Straight segment: its leg's first waypoint; turn: the waypoint it turns at (the
        origin of its tangent plane). ``alt0_m`` is the height at the segment's start.
    azimuth_deg : (n, m) float64
        Straight segment: geodesic forward azimuth at its leg's first waypoint, degrees.
    offset_m, length_m, speed_mps, climb_mps : (n, m) float64
        Distance along the leg's geodesic where a straight segment starts; its length (a
        turn's: arc length); ground speed; vertical speed.
    is_turn : (n, m) bool
    center_east_m, center_north_m, radius_m, heading0_rad, turn_sign : (n, m) float64
        A turn's circle in the waypoint's tangent plane, the heading at its start and its
        sense (+1 right, -1 left).
    end_s : (n,) float64
        Time the entity reaches its last waypoint, s.
    """

    start_s: np.ndarray
    leg_start_s: np.ndarray
    lat0_deg: np.ndarray
    lon0_deg: np.ndarray
    alt0_m: np.ndarray
    azimuth_deg: np.ndarray
    offset_m: np.ndarray
    length_m: np.ndarray
    speed_mps: np.ndarray
    climb_mps: np.ndarray
    is_turn: np.ndarray
    center_east_m: np.ndarray
    center_north_m: np.ndarray
    radius_m: np.ndarray
    heading0_rad: np.ndarray
    turn_sign: np.ndarray
    end_s: np.ndarray

    @classmethod
    def from_routes(
        cls,
        routes: list[np.ndarray],
        start_s: np.ndarray,
        max_bank_rad: np.ndarray | None = None,
    ) -> RouteTable:
        """Build the table.

        Parameters
        ----------
        routes : list of (k_i, 4) float arrays
            Waypoints ``lat_deg, lon_deg, alt_m, speed_mps`` per entity (k_i >= 2).
        start_s : (n,) float
            Start time of each entity, s.
        max_bank_rad : (n,) float, optional
            Bank angle each entity turns at, rad; ``nan`` (or no array): it turns at its
            waypoints instantly.
        """
        n = len(routes)
        m = 2 * (max(len(route) for route in routes) - 1) - 1
        banks = np.full(n, np.nan) if max_bank_rad is None else np.asarray(max_bank_rad)
        names = (
            "lat0", "lon0", "alt0", "az", "offset", "len", "v", "climb",
            "center_e", "center_n", "radius", "heading0", "sign",
        )  # fmt: skip
        arrays = {name: np.zeros((n, m)) for name in names}
        is_turn = np.zeros((n, m), dtype=bool)
        leg_start = np.full((n, m), np.inf)
        end_s = np.zeros(n)
        geod = _geod()
        for i, route in enumerate(routes):
            segments = route_segments(geod, route, float(banks[i]))
            k = len(segments["duration"])
            for name in names:
                arrays[name][i, :k] = segments[name]
            is_turn[i, :k] = segments["is_turn"]
            durations = segments["duration"]
            leg_start[i, :k] = start_s[i] + np.concatenate([[0.0], np.cumsum(durations)[:-1]])
            end_s[i] = start_s[i] + durations.sum()
        return cls(
            np.asarray(start_s, dtype=float), leg_start, arrays["lat0"], arrays["lon0"],
            arrays["alt0"], arrays["az"], arrays["offset"], arrays["len"], arrays["v"],
            arrays["climb"], is_turn, arrays["center_e"], arrays["center_n"],
            arrays["radius"], arrays["heading0"], arrays["sign"], end_s,
        )  # fmt: skip

    @cached_property
    def _leg_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """Entity rows ``(n,)`` and the segment columns stacked ``(15, n, m)`` for one gather."""
        columns = (
            self.leg_start_s,
            self.speed_mps,
            self.length_m,
            self.lon0_deg,
            self.lat0_deg,
            self.azimuth_deg,
            self.climb_mps,
            self.alt0_m,
            self.offset_m,
            self.is_turn.astype(float),
            self.center_east_m,
            self.center_north_m,
            self.radius_m,
            self.heading0_rad,
            self.turn_sign,
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
        # One gather of every segment column (the columns of _leg_columns, in that order),
        # each flattened to (T * n,) rows.
        gathered = legs[:, rows, leg].reshape(len(legs), -1)
        (
            leg_start, speed, length, lon0, lat0, azimuth, climb, alt0, offset,
            turning, center_east, center_north, radius, heading0, sign,
        ) = gathered  # fmt: skip
        elapsed = t_clamped.ravel() - leg_start
        travelled = np.minimum(speed * elapsed, length)
        turn = turning > 0.0
        # A turn's point on its circle, as distance and azimuth from its waypoint.
        turn_heading = heading0 + sign * np.divide(
            travelled, radius, out=np.zeros_like(travelled), where=radius > 0
        )
        east = center_east - sign * radius * np.cos(turn_heading)
        north = center_north + sign * radius * np.sin(turn_heading)
        distance = np.where(turn, np.hypot(east, north), offset + travelled)
        bearing = np.where(turn, np.degrees(np.arctan2(east, north)), azimuth)
        lon, lat, back_az = _geod().fwd(lon0, lat0, bearing, distance)
        alt = alt0 + climb * elapsed
        flying = (t_s >= self.start_s) & (t_s < self.end_s)
        along = np.radians(np.asarray(back_az) + 180.0)
        # On a turn, the plane's heading turned by the meridian convergence between the
        # waypoint and the point: the azimuth of the geodesic from the waypoint there, less
        # its azimuth at the waypoint (the plane keeps directions about the waypoint).
        heading = np.where(turn, turn_heading + along - np.radians(bearing), along)
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
