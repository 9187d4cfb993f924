"""Numba kernel of the terrain line-of-sight test (see :mod:`iadsim.geo.line_of_sight`).

:func:`clearance_kernel` gives, for each radar-target pair, the least height of the straight
effective-earth ray above the terrain over equally spaced interior path samples: the ray
radius ``r(phi_e) = r1 r2 sin(theta_e) / (r2 sin(theta_e - phi_e) + r1 sin(phi_e))``
(module notes of :mod:`iadsim.geo.line_of_sight`; Skolnik, *Introduction to Radar Systems*,
3rd ed., 2001, section 8.2) against bilinear terrain heights. Its plain NumPy twin is
``iadsim.geo.line_of_sight._clearance_reference``, which the tests compare it with; the
argument checks, broadcasting and thread count are set by the callers in that module.
"""

from __future__ import annotations

import types

import numba
import numpy as np

from iadsim.geo._path_kernels import (
    CHUNK_PIECES,
    CUBIC_MAX_ABS_LAT_RAD,
    CUBIC_MAX_ANGLE_RAD,
    RUN_SAMPLES,
    RUN_SLACK_M,
    bilinear_height,
    cell_top,
    cubic_bend,
    great_circle,
    grid_cell,
    grid_position,
    path_nodes,
    path_point,
    piece_ray_line,
    ray_above,
    run_top,
    stretch_ceiling,
)

__all__ = [
    "CUBIC_MAX_ABS_LAT_RAD",
    "CUBIC_MAX_ANGLE_RAD",
    "MAX_SAMPLES",
    "REFINE_STEP_RAD",
    "clearance_kernel",
    "clearance_kernel_serial",
    "serial_build",
]

MAX_SAMPLES = 20_000
"""Most first-pass samples on one path."""


REFINE_MARGIN_M = 200.0
"""An interval of a path whose ray may pass within this height of the terrain under it is
sampled finely (a first Fresnel zone is ~100 m wide at S band over 100 km)."""
SIGN_MARGIN_M = 1.0
"""With ``stop`` (only the sign of the clearance is wanted) a piece is sampled finely only
where its ray may pass within this height, plus twice the chord's sag over the piece, of
the highest grid sample under it. Between two samples the straight ray dips below the
lower of its end heights by at most ``L^2 / (8 R_e)`` over a piece of ground length ``L``
(the sagitta; 6 cm for 2 km at k = 4/3), so every skipped fine sample clears the terrain
and the sign found is that of the full search."""
REFINE_STEP_RAD = 20.0 / 6_371_000.0
"""Step of the fine samples, as a great-circle angle (20 m): with terrain slopes up to 1 in
3 this keeps the least clearance within a few metres."""


@numba.njit(cache=True)
def fine_least(least, heights, origin, path, bends, cubic, rays, piece):  # pragma: no cover
    """``least`` lowered to the least clearance of the fine samples of a piece, m.

    ``piece`` is ``(f_a, f_b, ray_a, ray_b)``: its ends' path fractions and ray heights;
    ``rays`` is ``(r1 r2 sin(theta_e), r1, r2, theta_e, R_e)`` of the path's ray; ``path``
    and ``bends`` as for :func:`~iadsim.geo._path_kernels.run_top`. The samples are every
    :data:`REFINE_STEP_RAD` strictly inside the piece; those that cannot lower ``least``
    (see :func:`clearance_kernel`) are skipped.
    """
    numerator, r1, r2, theta_e, radius_e = rays
    f_a, f_b, ray_a, ray_b = piece
    theta = path[8]
    m = int((f_b - f_a) * theta / REFINE_STEP_RAD)
    line = piece_ray_line(ray_a, ray_b, (f_b - f_a) * theta_e, radius_e)
    for j0 in range(1, m + 1, RUN_SAMPLES):
        j1 = min(j0 + RUN_SAMPLES - 1, m)
        if cubic and j1 > j0:  # a run that cannot lower the least is skipped
            g_a = f_a + (f_b - f_a) * j0 / (m + 1.0)
            g_b = f_a + (f_b - f_a) * j1 / (m + 1.0)
            low = min(
                ray_above(line, j0 / (m + 1.0), radius_e),
                ray_above(line, j1 / (m + 1.0), radius_e),
            )  # the bound is monotone along the piece
            if low - run_top(heights, origin, path, bends, g_a, g_b) >= least:
                continue
        for k in range(j0, j1 + 1):
            g = f_a + (f_b - f_a) * k / (m + 1.0)
            glat, glon = path_point(g, cubic, *path)
            gground = bilinear_height(heights, origin, glat, glon)
            if ray_above(line, k / (m + 1.0), radius_e) - gground >= least:
                continue  # even the lowest ray there clears it by more
            phi_e = theta_e * g
            gray = numerator / (r2 * np.sin(theta_e - phi_e) + r1 * np.sin(phi_e))
            least = min(least, gray - radius_e - gground)
    return least


@numba.njit(cache=True, parallel=True)
def clearance_kernel(
    pairs, terrain, geometry, k_factor, earth_radius_m, n_samples, spacing_rad, stop
):
    """Least ray height above terrain along each path, per pair.

    ``pairs`` is ``(6, n_pairs)``: radar lat, lon, height, target lat, lon, height;
    ``terrain`` is the grid's ``(heights_m, cell_tops_m, sample_blocks_m)``
    (:class:`~iadsim.geo.terrain.ElevationGrid`); ``geometry`` is ``(lat0, lon0, dlat,
    dlon)`` of the grid. Each path is first sampled at ``n_samples`` equally spaced
    interior points or, when ``n_samples`` is 0, one per ``spacing_rad`` of its great-circle
    angle; with ``spacing_rad`` > 0 every piece between two samples (and the two end pieces)
    whose ray may pass within :data:`REFINE_MARGIN_M` of the highest grid sample of the cells it
    crosses (:func:`~iadsim.geo._path_kernels.cell_top`) is then sampled every
    :data:`REFINE_STEP_RAD`. The result is the least clearance over all samples: within a few
    metres of the exact one wherever it is under the margin, and above the margin otherwise.
    With ``stop`` a pair stops at its first sample with clearance <= 0, and only pieces that may
    hold such a sample are sampled finely (:data:`SIGN_MARGIN_M`), so the value is then only
    reliable in sign. Fine samples that cannot lower the least clearance found so far are
    skipped, which leaves the result unchanged to the bit: one whose terrain is below the
    lowest ray there (:func:`~iadsim.geo._path_kernels.ray_above`) by more is not given a
    ray, and on a path on the cubic a run of ``RUN_SAMPLES`` of them within one
    cell whose terrain cannot rise that high (:func:`~iadsim.geo._path_kernels.run_top`) is
    not read at all (:func:`fine_least`). Likewise on the cubic, a first-pass sample whose
    ray clears the ceiling of its chunk of ``CHUNK_PIECES`` pieces
    (:func:`~iadsim.geo._path_kernels.stretch_ceiling`) by the least found or more is not
    read, and a piece whose ray clears it by the margin or more needs no cells.
    """
    lat1, lon1, h1, lat2, lon2, h2 = pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5]
    heights, tops, blocks = terrain
    lat0, lon0, inv_dlat, inv_dlon = geometry[0], geometry[1], 1.0 / geometry[2], 1.0 / geometry[3]
    turn = 2.0 * np.pi * inv_dlon
    n_pairs = lat1.shape[0]
    out = np.empty(n_pairs)
    radius_e = k_factor * earth_radius_m
    refine = spacing_rad > 0.0
    for p in numba.prange(n_pairs):
        ends = (lat1[p], lon1[p], lat2[p], lon2[p])
        ax, ay, az, tx, ty, tz, theta = great_circle(*ends)
        if theta < 1e-12:
            out[p] = np.inf
            continue
        n = n_samples
        if n == 0:
            n = max(1, min(MAX_SAMPLES, int(theta / spacing_rad)))
        cubic, lats, lons = path_nodes(ends, ax, ay, az, tx, ty, tz, theta)
        r1 = radius_e + h1[p]
        r2 = radius_e + h2[p]
        theta_e = theta / k_factor
        sin_te, cos_te = np.sin(theta_e), np.cos(theta_e)
        numerator = r1 * r2 * sin_te
        step = theta / (n + 1)
        step_e = step / k_factor
        # Rotation recurrences for (cos, sin) of phi and phi_e avoid two sin/cos per sample.
        c_step, s_step = np.cos(step), np.sin(step)
        ce_step, se_step = np.cos(step_e), np.sin(step_e)
        c, s, ce, se = 1.0, 0.0, 1.0, 0.0
        margin = REFINE_MARGIN_M
        if stop:  # only a piece that may dip to the terrain can change the sign
            piece_m = step * earth_radius_m
            margin = min(margin, SIGN_MARGIN_M + piece_m * piece_m / (4.0 * radius_e))
        least = np.inf
        origin = (lat0, lon0, inv_dlat, inv_dlon)
        path = (lats, lons, ax, ay, az, tx, ty, tz, theta)
        bends = (cubic_bend(lats) * inv_dlat, cubic_bend(lons) * inv_dlon)  # for the bounds
        rays = (numerator, r1, r2, theta_e, radius_e)
        ceiling = np.inf  # of the terrain under the chunk of pieces (on the cubic)
        chunk_start = grid_position(*origin, *path_point(0.0, True, *path)) if cubic else (0.0, 0.0)
        prev_lat, prev_lon, prev_known = lat1[p], lon1[p], True
        lat, lon = prev_lat, prev_lon
        prev_ray, prev_f = h1[p], 0.0
        for i in range(n + 1):
            if cubic and i % CHUNK_PIECES == 0:  # pieces i to i + C - 1
                f_end = min(i + CHUNK_PIECES, n + 1) / (n + 1.0)
                chunk_end = grid_position(*origin, *path_point(f_end, True, *path))
                bow = 0.125 * (f_end - prev_f) * (f_end - prev_f)
                spread = (bends[0] * bow + 1e-5, bends[1] * bow + 1e-5)
                top = stretch_ceiling(heights, blocks, turn, chunk_start, chunk_end, spread)
                ceiling, chunk_start = top + RUN_SLACK_M, chunk_end
            known = False  # lat, lon of this sample
            if i < n:
                ce, se = ce * ce_step - se * se_step, se * ce_step + ce * se_step
                f = (i + 1.0) / (n + 1.0)
                # sin(theta_e - phi_e) = sin_te ce - cos_te se
                ray = numerator / (r2 * (sin_te * ce - cos_te * se) + r1 * se) - radius_e
                if not cubic:
                    c, s = c * c_step - s * s_step, s * c_step + c * s_step
                    px, py, pz = ax * c + tx * s, ay * c + ty * s, az * c + tz * s
                    lat = np.arctan2(pz, np.sqrt(px * px + py * py))
                    lon = np.arctan2(py, px)
                    known = True
                if ray - ceiling < least:  # its terrain may rise to the least clearance
                    if not known:
                        lat, lon = path_point(f, True, *path)
                        known = True
                    ground = bilinear_height(heights, origin, lat, lon)
                    least = min(least, ray - ground)
            else:  # the end piece, up to the target
                f, lat, lon, ray, known = 1.0, lat2[p], lon2[p], h2[p], True
            if refine and min(prev_ray, ray) - ceiling < margin:
                if not prev_known:
                    prev_lat, prev_lon = path_point(prev_f, True, *path)
                if not known:
                    lat, lon = path_point(f, True, *path)
                    known = True
                row_a, col_a = grid_cell(origin, prev_lat, prev_lon)
                row_b, col_b = grid_cell(origin, lat, lon)
                bound = cell_top(tops, row_a, col_a, row_b, col_b)
                if min(prev_ray, ray) - bound < margin:
                    piece = (prev_f, f, prev_ray, ray)
                    least = fine_least(least, heights, origin, path, bends, cubic, rays, piece)
            if stop and least <= 0.0:
                break
            prev_ray, prev_f, prev_known = ray, f, known
            if known:
                prev_lat, prev_lon = lat, lon
        out[p] = least
    return out


def serial_build(kernel, name: str):
    """``kernel`` compiled without threads (``prange`` runs as ``range``) under the name
    ``name``: Numba keys its on-disk cache by the qualified name, so two builds of one
    function must not share it (the cache index does not record ``parallel``, and one build
    would load the other's machine code)."""
    function = kernel.py_func
    copy = types.FunctionType(
        function.__code__, function.__globals__, name, function.__defaults__, function.__closure__
    )
    copy.__qualname__ = name
    return numba.njit(cache=True)(copy)


clearance_kernel_serial = serial_build(clearance_kernel, "clearance_kernel_serial")
""":func:`clearance_kernel` compiled without threads: the same operations pair by pair, for
the few pairs of one radar look, where starting or resizing the thread pool costs more
than the work."""
