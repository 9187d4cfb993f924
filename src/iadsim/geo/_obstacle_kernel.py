"""Numba kernel of the dominant terrain obstacle of radar paths (see
:mod:`iadsim.geo.terrain_obstacle`, whose plain NumPy twin the tests compare it with).
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.geo._los_kernels import (
    CUBIC_MAX_ABS_LAT_RAD,
    CUBIC_MAX_ANGLE_RAD,
    MAX_SAMPLES,
    REFINE_STEP_RAD,
    serial_build,
)
from iadsim.geo._path_kernels import (
    RUN_SAMPLES,
    bilinear_height,
    cell_top,
    cubic_bend,
    grid_cell,
    path_point,
    piece_ray_floor_m,
    run_top,
    unwrap_lon,
)

__all__ = ["obstacle_kernel", "obstacle_kernel_serial"]


@numba.njit(cache=True)
def run_score_bound(ceiling_m, ray_floor_m, g_a, g_b):  # pragma: no cover - numba
    """Largest ``(ground - ray) / sqrt(g (1 - g))`` for a ground below ``ceiling_m``, a ray
    above ``ray_floor_m`` and a fraction between ``g_a <= g_b``: ``g (1 - g)`` is least at
    an end and greatest at 1/2 or the end nearer it."""
    rise = ceiling_m - ray_floor_m
    root_a, root_b = np.sqrt(g_a * (1.0 - g_a)), np.sqrt(g_b * (1.0 - g_b))
    if rise > 0.0:
        return rise / min(root_a, root_b)
    return rise / (0.5 if g_a <= 0.5 <= g_b else max(root_a, root_b))


@numba.njit(cache=True)
def piece_order(upper, threshold):  # pragma: no cover - numba
    """The pieces of a path in the order of their bounds ``upper``, highest first, that
    ``np.argsort(-upper)`` gives them, as far as the fine pass of :func:`obstacle_kernel`
    reads it (it stops at the first bound not above ``threshold`` or a larger best): the
    pieces above ``threshold`` alone, sorted among themselves, where their bounds all
    differ (their order is then the only one); all pieces, where two of them tie."""
    picked = np.flatnonzero(upper > threshold)
    order = picked[np.argsort(-upper[picked])]
    for i in range(order.shape[0] - 1):
        if upper[order[i]] == upper[order[i + 1]]:
            return np.argsort(-upper)
    return order


@numba.njit(cache=True, parallel=True)
def obstacle_kernel(
    pairs, heights, tops, geometry, k_factor, earth_radius_m, spacing_rad, wavelength_m, floor_v
):
    """The dominant obstacle of each path, for knife-edge diffraction: ``(3, n_pairs)``.

    Rows: the obstacle's height above the ray ``h`` (m, negative where the ray clears it), and its
    ground distances ``d1``, ``d2`` from the radar and the target (m). The dominant obstacle is
    the sample with the largest ``h sqrt((d1 + d2) / (d1 d2))``, that is the largest
    Fresnel-Kirchhoff parameter ``v = h sqrt(2 (d1 + d2) / (lambda d1 d2))`` (ITU-R P.526-15,
    eq. 26) at any wavelength; along one path it is the largest ``h / sqrt(f (1 - f))`` at path
    fraction ``f``. Arguments as for :func:`~iadsim.geo._los_kernels.clearance_kernel`
    (``spacing_rad`` > 0). The path is sampled once per ``spacing_rad`` first; then each piece
    between two samples is sampled every ``REFINE_STEP_RAD`` (20 m) unless it cannot hold a better
    obstacle than the best found: its terrain cannot rise above the highest grid sample of its
    cells (:func:`~iadsim.geo._path_kernels.cell_top`) nor its ray dip below its ends' (the
    chord's sag over one cell is centimetres), which bounds ``h / sqrt(f (1 - f))`` over the
    piece. A piece is also left at its coarse samples when that bound puts ``v`` at the pair's
    ``wavelength_m`` (``(n_pairs,)``, m; ``inf``: none) at or below ``floor_v``: with
    ``floor_v = -0.78`` no obstacle there can cause a knife-edge loss (ITU-R P.526-15, eq. 31),
    so the loss computed from the result is the same. Shortcuts that leave the result unchanged
    to the bit: only the pieces above the first pass's best are sorted (:func:`piece_order`);
    a fine sample that cannot beat the best even under the lowest ray of its piece
    (:func:`~iadsim.geo._path_kernels.piece_ray_floor_m`) is not given a ray; on a path on the
    cubic, a run of ``RUN_SAMPLES`` fine samples within one cell whose terrain cannot rise that
    high (:func:`~iadsim.geo._path_kernels.run_top`) is not read at all.
    """
    lat1, lon1, h1, lat2, lon2, h2 = pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5]
    lat0, lon0, inv_dlat, inv_dlon = geometry[0], geometry[1], 1.0 / geometry[2], 1.0 / geometry[3]
    n_pairs = lat1.shape[0]
    out = np.empty((3, n_pairs))
    radius_e = k_factor * earth_radius_m
    for p in numba.prange(n_pairs):
        cl1, sl1 = np.cos(lat1[p]), np.sin(lat1[p])
        cl2, sl2 = np.cos(lat2[p]), np.sin(lat2[p])
        ax, ay, az = cl1 * np.cos(lon1[p]), cl1 * np.sin(lon1[p]), sl1
        bx, by, bz = cl2 * np.cos(lon2[p]), cl2 * np.sin(lon2[p]), sl2
        cos_t = ax * bx + ay * by + az * bz
        cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
        sin_t = np.sqrt(cx * cx + cy * cy + cz * cz)
        theta = np.arctan2(sin_t, cos_t)
        if theta < 1e-12:
            out[0, p], out[1, p], out[2, p] = -np.inf, 1.0, 1.0
            continue
        n = max(1, min(MAX_SAMPLES, int(theta / spacing_rad)))
        tx, ty, tz = (bx - ax * cos_t) / sin_t, (by - ay * cos_t) / sin_t, (bz - az * cos_t) / sin_t
        cubic = (
            theta <= CUBIC_MAX_ANGLE_RAD
            and abs(lat1[p]) <= CUBIC_MAX_ABS_LAT_RAD
            and abs(lat2[p]) <= CUBIC_MAX_ABS_LAT_RAD
        )
        lats = np.array([lat1[p], 0.0, 0.0, lat2[p]])
        lons = np.array([lon1[p], 0.0, 0.0, lon2[p]])
        if cubic:
            for node in range(1, 3):
                phi = theta * node / 3.0
                c, s = np.cos(phi), np.sin(phi)
                px, py, pz = ax * c + tx * s, ay * c + ty * s, az * c + tz * s
                lats[node] = np.arctan2(pz, np.sqrt(px * px + py * py))
                lons[node] = unwrap_lon(np.arctan2(py, px), lons[0])
            lons[3] = unwrap_lon(lons[3], lons[2])
        r1 = radius_e + h1[p]
        r2 = radius_e + h2[p]
        theta_e = theta / k_factor
        numerator = r1 * r2 * np.sin(theta_e)
        # First pass: the ends and n equally spaced samples, with the ray height and the
        # grid cell of each for the bounds of the pieces between them.
        origin = (lat0, lon0, inv_dlat, inv_dlon)
        ray_s = np.empty(n + 2)
        row_s = np.empty(n + 2, dtype=np.int64)
        col_s = np.empty(n + 2, dtype=np.int64)
        ray_s[0], ray_s[n + 1] = h1[p], h2[p]
        row_s[0], col_s[0] = grid_cell(origin, lat1[p], lon1[p])
        row_s[n + 1], col_s[n + 1] = grid_cell(origin, lat2[p], lon2[p])
        best, best_h, best_f = -np.inf, -np.inf, 0.5
        length_m = theta * earth_radius_m
        # v = score sqrt(2 / (lambda L)) for score = h / sqrt(f (1 - f)).
        floor = floor_v * np.sqrt(0.5 * wavelength_m[p] * length_m)
        sin_te, cos_te = np.sin(theta_e), np.cos(theta_e)
        step_e = theta_e / (n + 1.0)
        ce_step, se_step = np.cos(step_e), np.sin(step_e)
        ce, se = 1.0, 0.0
        for i in range(1, n + 1):
            f = i / (n + 1.0)
            lat, lon = path_point(f, cubic, lats, lons, ax, ay, az, tx, ty, tz, theta)
            ground = bilinear_height(heights, lat0, lon0, inv_dlat, inv_dlon, lat, lon)
            # (cos, sin) of phi_e by rotation; sin(theta_e - phi_e) = sin_te ce - cos_te se.
            ce, se = ce * ce_step - se * se_step, se * ce_step + ce * se_step
            ray = numerator / (r2 * (sin_te * ce - cos_te * se) + r1 * se) - radius_e
            ray_s[i] = ray
            row_s[i], col_s[i] = grid_cell(origin, lat, lon)
            score = (ground - ray) / np.sqrt(f * (1.0 - f))
            if score > best:
                best, best_h, best_f = score, ground - ray, f
        # Second pass: fine samples on the pieces that may hold a better obstacle, the most
        # promising first, so that the best found early rules out the rest.
        upper = np.empty(n + 1)
        top = -np.inf
        for k in range(n + 1):
            fa, fb = k / (n + 1.0), (k + 1) / (n + 1.0)  # as the first pass's fractions
            bound = cell_top(tops, row_s[k], col_s[k], row_s[k + 1], col_s[k + 1])
            rise = bound - min(ray_s[k], ray_s[k + 1])
            if rise > 0.0:
                weight = min(fa * (1.0 - fa), fb * (1.0 - fb))
                upper[k] = rise / np.sqrt(weight) if weight > 0.0 else np.inf
            else:
                weight = 0.25 if fa <= 0.5 <= fb else max(fa * (1.0 - fa), fb * (1.0 - fb))
                upper[k] = rise / np.sqrt(weight)
            top = max(top, upper[k])
        if top <= max(best, floor):  # the usual path: no piece can beat the first pass
            out[0, p] = best_h
            out[1, p] = best_f * length_m
            out[2, p] = (1.0 - best_f) * length_m
            continue
        path = (lats, lons, ax, ay, az, tx, ty, tz, theta)
        bends = (cubic_bend(lats) * inv_dlat, cubic_bend(lons) * inv_dlon)  # for run_top
        for k in piece_order(upper, max(best, floor)):
            if upper[k] <= max(best, floor):
                break  # this piece and every later one cannot beat the best
            fa, fb = k / (n + 1.0), (k + 1) / (n + 1.0)
            m = int((fb - fa) * theta / REFINE_STEP_RAD)
            ray_floor = piece_ray_floor_m(ray_s[k], ray_s[k + 1], (fb - fa) * theta_e, radius_e)
            for j0 in range(1, m + 1, RUN_SAMPLES):
                j1 = min(j0 + RUN_SAMPLES - 1, m)
                if cubic and j1 > j0:  # a run whose terrain cannot beat the best is skipped
                    g_a = fa + (fb - fa) * j0 / (m + 1.0)
                    g_b = fa + (fb - fa) * j1 / (m + 1.0)
                    ceiling = run_top(heights, origin, path, bends, g_a, g_b)
                    if run_score_bound(ceiling, ray_floor, g_a, g_b) <= best:
                        continue
                for j in range(j0, j1 + 1):
                    g = fa + (fb - fa) * j / (m + 1.0)
                    glat, glon = path_point(g, cubic, *path)
                    gground = bilinear_height(heights, *origin, glat, glon)
                    root = np.sqrt(g * (1.0 - g))
                    if (gground - ray_floor) / root <= best:
                        continue  # even the lowest ray of the piece leaves this sample below best
                    phi_e = theta_e * g
                    gray = numerator / (r2 * np.sin(theta_e - phi_e) + r1 * np.sin(phi_e))
                    gray -= radius_e
                    gscore = (gground - gray) / root
                    if gscore > best:
                        best, best_h, best_f = gscore, gground - gray, g
        out[0, p] = best_h
        out[1, p] = best_f * length_m
        out[2, p] = (1.0 - best_f) * length_m
    return out


obstacle_kernel_serial = serial_build(obstacle_kernel, "obstacle_kernel_serial")
""":func:`obstacle_kernel` compiled without threads, for the few pairs of one look."""
