"""Lateral (valley-following) ingress: a route moved sideways, within a bounded detour, to
where a radar cannot see it, before its altitudes are planned (:mod:`iadsim.motion.ingress`).

Each leg of the route (waypoint ``a`` to waypoint ``b``, ground length ``L``) gets a
corridor grid: columns every ``spacing_m`` along the leg's geodesic (``u_i = L i / n``),
rows every ``spacing_m`` across it out to ``max_detour_m`` either side (``v_j``, along the
geodesic at right angles to the leg's local azimuth). A node is **exposed** when, flown at
the clearance above its terrain, it would be in the radar's view:

    h_terrain + clearance > h_mask - margin,

with ``h_mask`` the radar's masking height over the terrain (4/3 earth,
:func:`~iadsim.motion.ingress.masking_height_m`), the same test the vertical planner uses
to decide where it must stay low. The path is the cheapest from ``(0, 0)`` to ``(n, 0)``
that advances one column a step and moves at most :data:`MAX_ROWS_PER_STEP` rows
sideways (so never turns back; at 4 rows, up to 76 deg off the leg), a step from row ``j``
to row ``k`` costing its ground length times ``1 + W e``, ``e`` being the share of exposed
nodes between rows ``j`` and ``k`` of the column it reaches and ``W`` =
:data:`EXPOSURE_WEIGHT`: a metre in view costs as much as ``1 + W`` metres hidden, so the
path takes any detour inside the corridor that hides it and otherwise flies straight.
Being a directed acyclic graph in the columns, the cheapest path is exact by dynamic
programming column by column (Bellman's principle; Cormen et al., *Introduction to
Algorithms*, 3rd ed., sec. 24.2, shortest paths in a DAG); ties go to the straightest
step, so the result is deterministic.

The moved route keeps each leg's speed and its altitude linear in the distance flown along
the leg; :func:`plan_valley_ingress` then plans its altitudes as
:func:`~iadsim.motion.ingress.plan_ingress` does. The detour is bounded only by the
corridor: the path may be up to ``sqrt(1 + 4^2)`` times longer than the leg where it zig-zags,
in practice a few per cent longer for a valley that runs with the leg.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np
import pyproj

from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.ingress import IngressPlan, masking_height_m, plan_ingress

__all__ = [
    "EXPOSURE_WEIGHT",
    "MAX_ROWS_PER_STEP",
    "exposed_nodes",
    "lateral_route",
    "plan_valley_ingress",
]

EXPOSURE_WEIGHT = 1000.0
"""Extra cost of a metre flown in the radar's view, in metres hidden (a design choice: any
detour within the corridor that hides the route is worth taking)."""
MAX_ROWS_PER_STEP = 4
"""Most corridor rows crossed sideways per column advanced."""


@cache
def _geod() -> pyproj.Geod:
    return pyproj.Geod(ellps="WGS84")


def _corridor(
    a: np.ndarray, b: np.ndarray, spacing_m: float, max_detour_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes of one leg's corridor: ``lat, lon`` (deg) of shape ``(n + 1, 2 m + 1)`` and the
    along-leg distances ``u`` (n + 1,), m. Row ``m`` is the leg itself."""
    geod = _geod()
    azimuth, _, length_m = geod.inv(a[1], a[0], b[1], b[0])
    n = max(1, math.ceil(length_m / spacing_m))
    u = length_m * np.arange(n + 1) / n
    lon_u, lat_u, back = geod.fwd(
        np.full(n + 1, a[1]), np.full(n + 1, a[0]), np.full(n + 1, azimuth), u
    )
    lon_u[-1], lat_u[-1] = b[1], b[0]
    forward = np.asarray(back) + 180.0
    m = math.floor(max_detour_m / spacing_m)
    v = spacing_m * np.arange(-m, m + 1)
    side = np.where(v < 0, -90.0, 90.0)
    lon, lat, _ = geod.fwd(
        np.repeat(lon_u, v.size),
        np.repeat(lat_u, v.size),
        (forward[:, None] + side[None, :]).ravel(),
        np.tile(np.abs(v), n + 1),
    )
    lat = np.asarray(lat).reshape(n + 1, v.size)
    lon = np.asarray(lon).reshape(n + 1, v.size)
    lat[:, m], lon[:, m] = lat_u, lon_u
    return lat, lon, u


def exposed_nodes(
    lat_deg: np.ndarray, lon_deg: np.ndarray, grid: ElevationGrid, plan: IngressPlan
) -> np.ndarray:
    """Which points the radar would see, flown ``clearance_m`` above their terrain.

    Parameters
    ----------
    lat_deg, lon_deg : (...) float64
        Points, degrees.
    grid : ElevationGrid
    plan : IngressPlan
        With ``radar_lla`` set.

    Returns
    -------
    (...) bool
        ``h_terrain + clearance > h_mask - mask_margin`` (module notes).
    """
    if plan.radar_lla is None:
        raise ValueError("a lateral ingress hides from a radar: set radar_lla")
    lat, lon = np.asarray(lat_deg, np.float64), np.asarray(lon_deg, np.float64)
    flat_lat, flat_lon = lat.ravel(), lon.ravel()
    mask = masking_height_m(plan.radar_lla, flat_lat, flat_lon, grid, plan.spacing_m, plan.k_factor)
    ground = grid.surface_height_m(np.radians(flat_lat), np.radians(flat_lon))
    return np.asarray(ground + plan.clearance_m > mask - plan.mask_margin_m).reshape(lat.shape)


def _cheapest_rows(exposed: np.ndarray, column_step_m: float, row_step_m: float) -> np.ndarray:
    """Row of each column on the cheapest path from the middle row to the middle row
    (module notes). ``exposed`` is ``(n + 1, rows)`` bool."""
    n_col, n_row = exposed.shape
    middle = n_row // 2
    # Share of exposed nodes between rows j and k of a column, from prefix sums.
    prefix = np.concatenate(
        [np.zeros((n_col, 1)), np.cumsum(exposed, axis=1, dtype=np.float64)], axis=1
    )
    rows = np.arange(n_row)
    cost = np.full(n_row, np.inf)
    cost[middle] = 0.0
    came_from = np.zeros((n_col, n_row), dtype=np.int64)
    shifts = sorted(range(-MAX_ROWS_PER_STEP, MAX_ROWS_PER_STEP + 1), key=lambda s: (abs(s), s))
    for i in range(1, n_col):
        best = np.full(n_row, np.inf)
        source = np.zeros(n_row, dtype=np.int64)
        for shift in shifts:  # straightest first: ties keep it
            start = rows - shift  # the row it comes from
            ok = (start >= 0) & (start < n_row)
            low, high = np.minimum(start, rows), np.maximum(start, rows)
            low, high = np.clip(low, 0, n_row - 1), np.clip(high, 0, n_row - 1)
            share = (prefix[i, high + 1] - prefix[i, low]) / (high - low + 1)
            length = math.hypot(column_step_m, shift * row_step_m)
            total = np.where(
                ok,
                cost[np.clip(start, 0, n_row - 1)] + length * (1.0 + EXPOSURE_WEIGHT * share),
                np.inf,
            )
            better = total < best
            best = np.where(better, total, best)
            source = np.where(better, start, source)
        cost, came_from[i] = best, source
    path = np.empty(n_col, dtype=np.int64)
    path[-1] = middle
    for i in range(n_col - 1, 0, -1):
        path[i - 1] = came_from[i, path[i]]
    return path


def lateral_route(
    route: np.ndarray, grid: ElevationGrid, plan: IngressPlan, max_detour_m: float
) -> np.ndarray:
    """The route moved sideways, leg by leg, to hide from ``plan.radar_lla`` (module notes).

    Parameters
    ----------
    route : (k, 4) float64
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps``, k >= 2.
    grid : ElevationGrid
    plan : IngressPlan
        Clearance, spacing, radar, margin and k-factor of the plan.
    max_detour_m : float
        Half-width of each leg's corridor, m (>= 0; below ``spacing_m``: no sideways move).

    Returns
    -------
    (m, 4) float64
        Waypoints every ``spacing_m`` or less along each leg, moved sideways; the route's
        waypoints are kept; speed the leg's, altitude linear along the leg.
    """
    route = np.asarray(route, dtype=np.float64)
    out = [route[:1]]
    for a, b in itertools.pairwise(route):
        lat, lon, u = _corridor(a, b, plan.spacing_m, max_detour_m)
        rows = _cheapest_rows(
            exposed_nodes(lat, lon, grid, plan), float(u[1] - u[0]), plan.spacing_m
        )
        cols = np.arange(1, u.size)
        fraction = u[1:] / u[-1]
        alt = a[2] + (b[2] - a[2]) * fraction
        speed = np.where(fraction < 1.0, a[3], b[3])
        leg = np.column_stack([lat[cols, rows[1:]], lon[cols, rows[1:]], alt, speed])
        leg[-1, :2] = b[:2]
        out.append(leg)
    return np.vstack(out)


def plan_valley_ingress(
    route: np.ndarray, grid: ElevationGrid, plan: IngressPlan, max_detour_m: float
) -> np.ndarray:
    """:func:`lateral_route`, then :func:`~iadsim.motion.ingress.plan_ingress` on it.

    Returns
    -------
    (m, 4) float64
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps``, altitudes above mean sea level.
    """
    return plan_ingress(lateral_route(route, grid, plan, max_detour_m), grid, plan)
