"""Ingress planning: a route rewritten to follow the terrain below a radar's horizon.

The route's legs are densified every ``spacing_m`` along their geodesics and each point
``i`` (cumulative ground distance ``s_i``) gets the altitude

    a_i = max(f_i, min(c_i, t_i)),

with the floor ``f_i`` the clearance above the highest terrain on the two intervals next
to the point (:func:`interval_top_m`; so the straight legs between points, flown with
altitude linear in distance, keep the clearance), the ceiling ``c_i`` the masking height
of the named radar less a margin (the lowest height at which the radar would see the
point; ``-inf`` without a radar, which makes the route hug the terrain), and the top
``t_i`` the route's own altitude or ``max_alt_m``. Where even the floor is in view the
point stays on the floor, as low as the clearance allows.

Masking height. In the effective-earth plane (:mod:`iadsim.geo.line_of_sight`, ``k =
4/3``), a point at ground range ``s`` (central angle ``phi_e = s / R_e``) is visible from
the antenna at height ``h_a`` exactly when its elevation angle exceeds the masking angle
``e`` of the terrain closer than it (:func:`~iadsim.geo.horizon_profile.horizon_profile`).
The ray at elevation ``e`` from the antenna, at polar ``(R_e + h_a, 0)``, meets the
radius at ``phi_e`` at (law of sines in the triangle earth centre, antenna, point)

    R_e + h_mask = (R_e + h_a) cos(e) / cos(phi_e + e),

infinite when ``phi_e + e >= pi/2`` (the ray never comes down to that range).

Climb and dive. Altitudes are then limited to a flight-path angle ``gamma`` (slope ``g =
tan gamma``): first the lower envelope ``min_j (a_j + g |s_i - s_j|)`` (descend early
enough to be masked where the ceiling drops, climb out late), then the floor again, then
the upper envelope ``max_j (a_j - g |s_i - s_j|)`` (climb early enough to clear a ridge;
the floor wins over the ceiling). Both envelopes are running extrema of ``a -+ g s``
(distance transforms, Felzenszwalb & Huttenlocher, *Distance Transforms of Sampled
Functions*, Theory of Computing 8, 2012, sec. 2, for the L1 case).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyproj

from iadsim.geo.frames import WGS84_A_M
from iadsim.geo.horizon_profile import profile_along_azimuths
from iadsim.geo.line_of_sight import DEFAULT_K_FACTOR
from iadsim.geo.terrain import ElevationGrid

__all__ = ["IngressPlan", "densify_route", "interval_top_m", "masking_height_m", "plan_ingress"]


PROFILE_SAMPLES = 2_000_000
"""Terrain samples of the radar's profiles read at once (bounds the memory, ~100 MB)."""


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class IngressPlan:
    """What the planner asks of a route.

    Attributes
    ----------
    clearance_m : float
        Least height above the terrain, m.
    spacing_m : float
        Greatest ground distance between planned route points, m.
    radar_lla : tuple of float, optional
        Antenna of the radar to stay below the horizon of: latitude, longitude (deg),
        height above mean sea level (m); None for terrain following only.
    max_alt_m : float, optional
        Highest altitude flown, m above mean sea level; None: the route's own altitudes.
    mask_margin_m : float
        Depth below the radar's masking height aimed for, m.
    max_path_angle_rad : float
        Steepest climb or dive, rad.
    k_factor : float
        Effective-earth factor of the radar's line of sight.
    """

    clearance_m: float
    spacing_m: float
    radar_lla: tuple[float, float, float] | None = None
    max_alt_m: float | None = None
    mask_margin_m: float = 30.0
    max_path_angle_rad: float = math.radians(5.0)
    k_factor: float = DEFAULT_K_FACTOR


def densify_route(route: np.ndarray, spacing_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Route points every ``spacing_m`` or less along each leg's geodesic.

    Parameters
    ----------
    route : (k, 4) float64
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps`` (speed of the leg that starts
        there), k >= 2.
    spacing_m : float
        Greatest distance between points, m, > 0.

    Returns
    -------
    dense : (m, 4) float64
        The waypoints and the points between them; altitude linear in distance along the
        leg, speed the leg's.
    distance_m : (m,) float64
        Ground distance of each point from the first, m.
    """
    route = np.asarray(route, dtype=np.float64)
    rows = [route[:1]]
    distance = [np.zeros(1)]
    for a, b in itertools.pairwise(route):
        _, _, length_m = _geod().inv(a[1], a[0], b[1], b[0])
        n = max(1, math.ceil(length_m / spacing_m))
        inner = _geod().npts(a[1], a[0], b[1], b[0], n - 1) if n > 1 else []
        fraction = np.arange(1, n + 1) / n
        lon = np.array([p[0] for p in inner] + [b[1]])
        lat = np.array([p[1] for p in inner] + [b[0]])
        alt = a[2] + (b[2] - a[2]) * fraction
        speed = np.where(fraction < 1.0, a[3], b[3])
        rows.append(np.stack([lat, lon, alt, speed], axis=-1))
        distance.append(distance[-1][-1] + length_m * fraction)
    return np.vstack(rows), np.concatenate(distance)


def masking_height_m(
    radar_lla: tuple[float, float, float],
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    grid: ElevationGrid,
    range_step_m: float,
    k_factor: float = DEFAULT_K_FACTOR,
) -> np.ndarray:
    """Lowest height above mean sea level at which the radar sees each point, m.

    Parameters
    ----------
    radar_lla : tuple of float
        Antenna latitude, longitude (deg) and height above mean sea level (m).
    lat_deg, lon_deg : (n,) float64
        Points, degrees.
    grid : ElevationGrid
    range_step_m : float
        Ground-range step of the terrain samples, m.
    k_factor : float
        Effective-earth factor.

    Returns
    -------
    (n,) float64
        ``(R_e + h_a) cos(e) / cos(phi_e + e) - R_e`` (module notes); ``-inf`` where no
        terrain sample is closer than the point, ``inf`` where the ray never comes down.
    """
    lat0, lon0 = math.radians(radar_lla[0]), math.radians(radar_lla[1])
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    # Spherical inverse on the sphere of radius a, as the profile's destinations are laid.
    central = 2.0 * np.arcsin(
        np.sqrt(
            np.sin((lat - lat0) / 2) ** 2
            + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
        ).clip(0.0, 1.0)
    )
    azimuth = np.arctan2(
        np.sin(lon - lon0) * np.cos(lat),
        math.cos(lat0) * np.sin(lat) - math.sin(lat0) * np.cos(lat) * np.cos(lon - lon0),
    )
    ground_m = central * WGS84_A_M
    max_range_m = max(float(ground_m.max()), range_step_m)
    n_range = math.ceil(max_range_m / range_step_m)
    chunk = max(1, PROFILE_SAMPLES // n_range)  # points whose profiles are read at once
    elevation = np.empty(lat.size)
    index = np.empty(lat.size, dtype=np.intp)
    for first in range(0, lat.size, chunk):
        part = slice(first, first + chunk)
        profile = profile_along_azimuths(
            lat0, lon0, radar_lla[2], grid, azimuth[part], max_range_m, range_step_m, k_factor
        )
        index[part] = np.searchsorted(profile.ground_range_m, ground_m[part], side="left") - 1
        rows = np.arange(index[part].size)
        elevation[part] = profile.masking_elevation_rad[rows, np.maximum(index[part], 0)]
    radius_e = k_factor * WGS84_A_M
    phi_e = ground_m / radius_e
    with np.errstate(divide="ignore"):
        height = (radius_e + radar_lla[2]) * np.cos(elevation) / np.cos(phi_e + elevation)
    height = np.where(phi_e + elevation < 0.5 * np.pi, height - radius_e, np.inf)
    return np.where(index >= 0, height, -np.inf)


def interval_top_m(lat_deg: np.ndarray, lon_deg: np.ndarray, grid: ElevationGrid) -> np.ndarray:
    """Highest terrain on each straight interval between successive points, m.

    Along a line linear in latitude and longitude the bilinear terrain
    (:meth:`~iadsim.geo.terrain.ElevationGrid.height_m`) is a quadratic in the line's
    parameter inside each grid cell, so its maximum over a piece between two grid-line
    crossings is at an end or at the vertex of the parabola through the piece's ends and
    middle (``h(s) = h_a + B s + C s^2`` with ``B = -3 h_a + 4 h_m - h_b`` and ``C = 2 h_a
    - 4 h_m + 2 h_b``; vertex ``h_a - B^2 / (4 C)`` at ``s = -B / (2 C)``). Exact up to the
    sea-level floor of :meth:`~iadsim.geo.terrain.ElevationGrid.surface_height_m`.

    Parameters
    ----------
    lat_deg, lon_deg : (n,) float64
        Points, degrees, n >= 2.
    grid : ElevationGrid

    Returns
    -------
    (n - 1,) float64
    """
    lat, lon = np.radians(lat_deg), np.unwrap(np.radians(lon_deg))  # across 180 deg too
    row = (lat - grid.lat0_rad) / grid.dlat_rad
    col = (lon - grid.lon0_rad) / grid.dlon_rad  # grid lines at whole columns (mod 360 deg)
    owner, start, end = [], [], []
    for k in range(lat.size - 1):
        breaks = [0.0, 1.0]
        for a, b in ((row[k], row[k + 1]), (col[k], col[k + 1])):
            lines = np.arange(math.floor(min(a, b)) + 1, math.ceil(max(a, b)))
            if lines.size and b != a:
                breaks.extend(((lines - a) / (b - a)).tolist())
        t = np.unique(np.clip(breaks, 0.0, 1.0))
        owner.append(np.full(t.size - 1, k))
        start.append(t[:-1])
        end.append(t[1:])
    piece, t0, t1 = np.concatenate(owner), np.concatenate(start), np.concatenate(end)
    t = np.stack([t0, 0.5 * (t0 + t1), t1], axis=-1)  # (pieces, 3): ends and middle
    h = grid.surface_height_m(
        lat[piece, None] + (lat[piece + 1] - lat[piece])[:, None] * t,
        lon[piece, None] + (lon[piece + 1] - lon[piece])[:, None] * t,
    )
    b = -3.0 * h[:, 0] + 4.0 * h[:, 1] - h[:, 2]
    c = 2.0 * h[:, 0] - 4.0 * h[:, 1] + 2.0 * h[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex_s = -b / (2.0 * c)
        vertex_h = h[:, 0] - b * b / (4.0 * c)
    inside = (c < 0.0) & (vertex_s > 0.0) & (vertex_s < 1.0)
    top = np.maximum(h[:, 0], h[:, 2])
    top = np.where(inside, np.maximum(top, vertex_h), top)
    out = np.full(lat.size - 1, -np.inf)
    np.maximum.at(out, piece, top)
    return out


def plan_ingress(route: np.ndarray, grid: ElevationGrid, plan: IngressPlan) -> np.ndarray:
    """The route densified and flown at the clearance, below the radar's horizon.

    Parameters
    ----------
    route : (k, 4) float64
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps``, k >= 2.
    grid : ElevationGrid
        Terrain, m above mean sea level (the sea and outside the grid: 0).
    plan : IngressPlan

    Returns
    -------
    (m, 4) float64
        The planned route, altitudes above mean sea level (module notes).
    """
    dense, distance_m = densify_route(route, plan.spacing_m)
    lat, lon = dense[:, 0], dense[:, 1]
    interval_top = interval_top_m(lat, lon, grid)
    floor = np.maximum(np.append(interval_top, 0.0), np.insert(interval_top, 0, 0.0))
    floor = floor + plan.clearance_m
    top = dense[:, 2] if plan.max_alt_m is None else np.full(lat.size, plan.max_alt_m)
    ceiling = np.full(lat.size, -np.inf)  # no radar: as low as the clearance allows
    if plan.radar_lla is not None:
        mask = masking_height_m(plan.radar_lla, lat, lon, grid, plan.spacing_m, plan.k_factor)
        # Masked over the intervals either side too (the lower neighbour).
        ceiling = np.minimum(mask, np.minimum(np.roll(mask, 1), np.roll(mask, -1)))
        ceiling[0], ceiling[-1] = min(mask[0], mask[1]), min(mask[-1], mask[-2])
        ceiling = ceiling - plan.mask_margin_m
    altitude = np.maximum(floor, np.minimum(ceiling, top))
    slope = math.tan(plan.max_path_angle_rad)
    altitude = _envelope(altitude, distance_m, slope, np.minimum)
    altitude = _envelope(np.maximum(altitude, floor), distance_m, slope, np.maximum)
    dense[:, 2] = altitude
    return dense


def _envelope(value: np.ndarray, distance_m: np.ndarray, slope: float, extremum) -> np.ndarray:
    """Lower (``np.minimum``: ``min_j v_j + g |s_i - s_j|``) or upper (``np.maximum``:
    ``max_j v_j - g |s_i - s_j|``) envelope of slope ``g``, by running extrema."""
    sign = 1.0 if extremum is np.minimum else -1.0
    ahead = extremum.accumulate(value - sign * slope * distance_m) + sign * slope * distance_m
    behind = (
        extremum.accumulate((value + sign * slope * distance_m)[::-1])[::-1]
        - sign * slope * distance_m
    )
    return extremum(ahead, behind)
