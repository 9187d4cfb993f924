"""Numba kernel of the pruning rules over a whole track table, the twin of a NumPy form.

:func:`doomed_kernel` evaluates the three rules of :mod:`iadsim.tracking.pruning` (stale,
too fast, under ground) for every live track of a post in one compiled pass; its twin is
:func:`iadsim.tracking.pruning.doomed_reference`, built from the rules' NumPy masks. Run
once per post and step, the NumPy form spends most of its time in the overhead of some
thirty small array calls, which a loop over tracks avoids. The exact geodetic test runs
only for tracks whose approximate height is near or under the highest ground.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_kernel
from iadsim.geo._terrain_kernels import height_kernel

LOW_MARGIN_M = 1000.0
"""Margin over the highest ground within which the exact under-ground test runs: above the
spherical height's error (< 150 m within 400 km, :func:`approximate_height_m`)."""


@numba.njit(cache=True)
def doomed_kernel(
    state,
    covariance,
    time_s,
    last_update_s,
    revisit_s,
    slots,
    t_s,
    coast_revisits,
    max_speed_mps,
    tolerance_m,
    sigmas,
    origin_ecef_m,
    rotation,
    origin_height_m,
    highest_ground_m,
    earth_radius_m,
    heights,
    lat0,
    lon0,
    dlat,
    dlon,
    doomed,
):  # pragma: no cover - numba
    """Which of the tracks ``slots`` ``(n,)`` the pruning rules delete, written into
    ``doomed`` ``(n,) bool`` (the caller's array: nothing returned, nothing to box).

    Parameters are the track columns (``state (c, d)``, ``covariance (c, d, d)``,
    ``time_s``, ``last_update_s``, ``revisit_s``, each ``(c,)``) and the slots of the live
    tracks in them, the rules' settings, the post's frame (ECEF origin, ENU rotation, origin
    height) and the terrain grid (an empty ``heights`` array: no terrain, the ellipsoid is
    the ground).
    """
    n = slots.shape[0]
    doomed[:] = False
    low = np.zeros(n, dtype=np.bool_)
    pos = np.empty((n, 3))
    pos_cov = np.empty((n, 3, 3))
    for k in range(n):
        i = slots[k]
        age = t_s - last_update_s[i]
        if age > coast_revisits * revisit_s[i]:
            doomed[k] = True
            continue
        ve, vn, vu = state[i, 3], state[i, 4], state[i, 5]
        speed = math.sqrt(ve * ve + vn * vn + vu * vu)
        if speed > max_speed_mps:
            inv = 1.0 / speed
            u = (ve * inv, vn * inv, vu * inv)
            var = 0.0
            for a in range(3):
                for b in range(3):
                    var += u[a] * covariance[i, 3 + a, 3 + b] * u[b]
            if speed - sigmas * math.sqrt(max(var, 0.0)) > max_speed_mps:
                doomed[k] = True
                continue
        dt = t_s - time_s[i]
        for a in range(3):
            pos[k, a] = state[i, a] + state[i, 3 + a] * dt
            for b in range(3):
                pos_cov[k, a, b] = (
                    covariance[i, a, b]
                    + dt * (covariance[i, a, 3 + b] + covariance[i, 3 + a, b])
                    + dt * dt * covariance[i, 3 + a, 3 + b]
                )
        horizontal2 = pos[k, 0] ** 2 + pos[k, 1] ** 2
        height = origin_height_m + pos[k, 2] + horizontal2 / (2.0 * earth_radius_m)
        low[k] = height < highest_ground_m + LOW_MARGIN_M
    rows = np.flatnonzero(low)
    if rows.size == 0:
        return
    ecef = np.empty((rows.size, 3))
    for k in range(rows.size):
        r = rows[k]
        for a in range(3):
            ecef[k, a] = origin_ecef_m[a]
            for b in range(3):
                ecef[k, a] += rotation[b, a] * pos[r, b]  # enu -> ecef: Rᵀ
    lat, lon, height = ecef_to_geodetic_kernel(ecef)
    if heights.size:
        ground = height_kernel(heights, lat0, lon0, dlat, dlon, lat, lon, 0.0)
    else:
        ground = np.zeros(rows.size)
    for k in range(rows.size):
        r = rows[k]
        i = slots[r]
        surface = ground[k]
        if not surface > 0.0:  # voids (NaN) and the sea: 0, as ElevationGrid.surface_height_m
            surface = 0.0
        up_ecef = (
            math.cos(lat[k]) * math.cos(lon[k]),
            math.cos(lat[k]) * math.sin(lon[k]),
            math.sin(lat[k]),
        )
        up = np.zeros(3)
        for a in range(3):
            for b in range(3):
                up[a] += rotation[a, b] * up_ecef[b]
        up_var = 0.0
        climb = 0.0
        climb_var = 0.0
        for a in range(3):
            climb += up[a] * state[i, 3 + a]
            for b in range(3):
                up_var += up[a] * pos_cov[r, a, b] * up[b]
                climb_var += up[a] * covariance[i, 3 + a, 3 + b] * up[b]
        coasting = t_s - last_update_s[i] > revisit_s[i]
        diving = coasting and climb + sigmas * math.sqrt(max(climb_var, 0.0)) < 0.0
        margin = 0.0 if diving else sigmas * math.sqrt(max(up_var, 0.0))
        doomed[r] = height[k] + margin < surface - tolerance_m
