"""Numba kernel of the dominant terrain obstacle of radar paths (see
:mod:`iadsim.geo.terrain_obstacle`, whose plain NumPy twin the tests compare it with).
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.geo._los_kernels import (
    MAX_SAMPLES,
    REFINE_STEP_RAD,
    serial_build,
)
from iadsim.geo._path_kernels import (
    CHUNK_PIECES,
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
    run_bows,
    run_ground_bound,
    stretch_ceiling,
)

__all__ = ["obstacle_kernel", "obstacle_kernel_serial"]


@numba.njit(cache=True)
def score_bound(ceiling_m, ray_floor_m, g_a, g_b):  # pragma: no cover - numba
    """Largest ``(ground - ray) / sqrt(g (1 - g))`` for a ground below ``ceiling_m``, a ray
    above ``ray_floor_m`` and a fraction between ``g_a <= g_b``: ``g (1 - g)`` is least at
    an end and greatest at 1/2 or the end nearer it (``inf`` for a rise up to an end)."""
    rise = ceiling_m - ray_floor_m
    root_a, root_b = np.sqrt(g_a * (1.0 - g_a)), np.sqrt(g_b * (1.0 - g_b))
    if rise > 0.0:
        least = min(root_a, root_b)
        return rise / least if least > 0.0 else np.inf
    return rise / (0.5 if g_a <= 0.5 <= g_b else max(root_a, root_b))


@numba.njit(cache=True)
def piece_upper(bound_m, ray_a_m, ray_b_m, fa, fb):  # pragma: no cover - numba
    """Bound of ``h / sqrt(f (1 - f))`` over a piece from fraction ``fa`` to ``fb`` whose
    terrain is below ``bound_m`` and whose ray is above the lower of its ends' heights (the
    chord's sag over one cell is centimetres): not smaller for a larger ``bound_m``."""
    rise = bound_m - min(ray_a_m, ray_b_m)
    if rise > 0.0:
        weight = min(fa * (1.0 - fa), fb * (1.0 - fb))
        return rise / np.sqrt(weight) if weight > 0.0 else np.inf
    weight = 0.25 if fa <= 0.5 <= fb else max(fa * (1.0 - fa), fb * (1.0 - fb))
    return rise / np.sqrt(weight)


@numba.njit(cache=True)
def candidate_order(upper, picked, count):  # pragma: no cover - numba
    """Sort the ``count`` pieces ``picked[:count]`` (those whose bound ``upper`` exceeds the
    threshold, in path order) highest bound first, in place, and say whether their bounds
    all differ: their order is then the one ``np.argsort(-upper)`` gives them (the fine
    pass stops at the first bound not above the threshold or a larger best, so it reads no
    other piece). An insertion sort: a path has a few such pieces."""
    for a in range(1, count):
        piece = picked[a]
        value = upper[piece]
        b = a
        while b > 0 and upper[picked[b - 1]] < value:
            picked[b] = picked[b - 1]
            b -= 1
        picked[b] = piece
    for a in range(count - 1):  # noqa: SIM110 (a loop Numba compiles, not all() of a generator)
        if upper[picked[a]] == upper[picked[a + 1]]:
            return False
    return True


@numba.njit(cache=True)
def chunk_bounds(heights, blocks, origin, path, bends, cubic, ray_s):  # pragma: no cover - numba
    """Bounds of the chunks of ``CHUNK_PIECES`` pieces of a path, ``(3, n_chunks)``: their
    terrain's ceiling, m (plus :data:`~iadsim.geo._path_kernels.RUN_SLACK_M`; ``inf``
    off the cubic); the largest first-pass score of their samples (:func:`score_bound`);
    the largest :func:`piece_upper` of their pieces with that ceiling.

    ``ray_s`` holds the ray heights of the path's ``n + 2`` first-pass samples (the ends
    included); chunk ``c`` spans samples ``c C`` to ``c C + C`` and scores samples ``c C`` to
    ``c C + C - 1`` (from 1 to ``n``). Each piece's ``f (1 - f)`` is at least the lesser of
    the chunk's ends' and at most 1/4 or the greater, so the chunk's bound is not below any
    of its pieces'.
    """
    n = ray_s.shape[0] - 2
    n_chunks = (n + CHUNK_PIECES) // CHUNK_PIECES
    bounds = np.empty((3, n_chunks))
    turn = 2.0 * np.pi * origin[3]
    end = grid_position(*origin, *path_point(0.0, True, *path)) if cubic else (0.0, 0.0)
    for c in range(n_chunks):
        first, last = c * CHUNK_PIECES, min(c * CHUNK_PIECES + CHUNK_PIECES, n + 1)
        fa, fb = first / (n + 1.0), last / (n + 1.0)
        ceiling = np.inf
        if cubic:
            next_end = grid_position(*origin, *path_point(fb, True, *path))
            bow = 0.125 * (fb - fa) * (fb - fa)
            spread = (bends[0] * bow + 1e-5, bends[1] * bow + 1e-5)
            ceiling = stretch_ceiling(heights, blocks, turn, end, next_end, spread) + RUN_SLACK_M
            end = next_end
        scored = np.inf  # least ray of the samples scored
        for i in range(max(first, 1), min(last - 1, n) + 1):
            scored = min(scored, ray_s[i])
        lowest = min(scored, ray_s[first], ray_s[last])
        i0, i1 = max(first, 1), min(last - 1, n)
        bounds[0, c] = ceiling
        bounds[1, c] = score_bound(ceiling, scored, i0 / (n + 1.0), i1 / (n + 1.0))
        bounds[2, c] = piece_upper(ceiling, lowest, lowest, fa, fb)
    return bounds


@numba.njit(cache=True)
def first_pass_best(heights, origin, path, cubic, ray_s, bounds):  # pragma: no cover - numba
    """The first-pass sample with the largest ``h / sqrt(f (1 - f))`` (the first of equal
    ones): score, ``h`` and fraction, as a scan of samples 1 to ``n`` in order finds it.

    ``bounds`` is :func:`chunk_bounds`'s; its score bounds (row 1) are spent (set to
    ``-inf``). Chunks are read from the highest bound down (on the cubic; in path order
    off it, where every bound is ``inf``), until the bound is below the best; in a chunk
    read, a sample whose score, with the chunk's ceiling for its terrain, would be below the
    best is not read. No sample left unread could match the best.
    """
    n = ray_s.shape[0] - 2
    ceiling, bound = bounds[0], bounds[1]
    best, best_h, best_f, best_i = -np.inf, -np.inf, 0.5, n + 1
    for order in range(bound.shape[0]):
        c = np.argmax(bound) if cubic else order  # the few chunks read: no sort
        if bound[c] < best:
            break
        bound[c] = -np.inf
        for i in range(max(c * CHUNK_PIECES, 1), min(c * CHUNK_PIECES + CHUNK_PIECES - 1, n) + 1):
            f = i / (n + 1.0)
            root = np.sqrt(f * (1.0 - f))
            if (ceiling[c] - ray_s[i]) / root < best:
                continue
            lat, lon = path_point(f, cubic, *path)
            ground = bilinear_height(heights, origin, lat, lon)
            score = (ground - ray_s[i]) / root
            if score > best or (score == best and i < best_i):
                best, best_h, best_f, best_i = score, ground - ray_s[i], f, i
    return best, best_h, best_f


@numba.njit(cache=True)
def sample_cell(origin, path, cubic, ends, n, i):  # pragma: no cover - numba
    """Grid cell (:func:`~iadsim.geo._path_kernels.grid_cell`) of first-pass sample ``i`` of
    ``n + 2``: an end (``ends`` = lat, lon of the radar and of the target) or the path point
    at fraction ``i / (n + 1)``."""
    if i == 0:
        return grid_cell(origin, ends[0], ends[1])
    if i == n + 1:
        return grid_cell(origin, ends[2], ends[3])
    return grid_cell(origin, *path_point(i / (n + 1.0), cubic, *path))


@numba.njit(cache=True)
def exact_upper(tops, origin, path, cubic, ends, ray_s, k):  # pragma: no cover - numba
    """:func:`piece_upper` of piece ``k`` with the highest sample of its cells."""
    n = ray_s.shape[0] - 2
    cell_a = sample_cell(origin, path, cubic, ends, n, k)
    cell_b = sample_cell(origin, path, cubic, ends, n, k + 1)
    bound = cell_top(tops, cell_a[0], cell_a[1], cell_b[0], cell_b[1])
    return piece_upper(bound, ray_s[k], ray_s[k + 1], k / (n + 1.0), (k + 1) / (n + 1.0))


@numba.njit(cache=True)
def candidate_uppers(
    tops, origin, path, cubic, ends, ray_s, bounds, threshold, upper, picked
):  # pragma: no cover
    """Write into ``upper`` (other entries left as they are) the bound of every piece that
    may exceed ``threshold``: those of the chunks whose piece bound (:func:`chunk_bounds`)
    exceeds it whose own bound with the chunk's ceiling does, with the highest sample of
    their cells (the value :func:`exact_upper` gives); and into ``picked``, in path order,
    the pieces whose bound so found exceeds ``threshold``. Returns how many these are."""
    n = ray_s.shape[0] - 2
    count = 0
    for c in range(bounds.shape[1]):
        if bounds[2, c] <= threshold:
            continue
        cached = -1
        cell_b = (0, 0)
        for k in range(c * CHUNK_PIECES, min(c * CHUNK_PIECES + CHUNK_PIECES, n + 1)):
            fa, fb = k / (n + 1.0), (k + 1) / (n + 1.0)
            if piece_upper(bounds[0, c], ray_s[k], ray_s[k + 1], fa, fb) <= threshold:
                continue
            cell_a = cell_b if cached == k else sample_cell(origin, path, cubic, ends, n, k)
            cell_b = sample_cell(origin, path, cubic, ends, n, k + 1)
            cached = k + 1
            bound = cell_top(tops, cell_a[0], cell_a[1], cell_b[0], cell_b[1])
            upper[k] = piece_upper(bound, ray_s[k], ray_s[k + 1], fa, fb)
            if upper[k] > threshold:
                picked[count] = k
                count += 1
    return count


@numba.njit(cache=True, parallel=True)
def obstacle_kernel(
    pairs, terrain, geometry, k_factor, earth_radius_m, spacing_rad, wavelength_m, floor_v
):
    """The dominant obstacle of each path, for knife-edge diffraction: ``(3, n_pairs)``.

    Rows: the obstacle's height above the ray ``h`` (m, negative where the ray clears it), and its
    ground distances ``d1``, ``d2`` from the radar and the target (m). The dominant obstacle is
    the sample with the largest ``h sqrt((d1 + d2) / (d1 d2))``, that is the largest
    Fresnel-Kirchhoff parameter ``v = h sqrt(2 (d1 + d2) / (lambda d1 d2))`` (ITU-R P.526-15,
    eq. 26) at any wavelength; along one path it is the largest ``h / sqrt(f (1 - f))`` at path
    fraction ``f``. Other arguments as for :func:`~iadsim.geo._los_kernels.clearance_kernel`
    (``spacing_rad`` > 0). The path is sampled once per ``spacing_rad`` first; then each piece
    between two samples is sampled every ``REFINE_STEP_RAD`` (20 m) unless it cannot hold a better
    obstacle than the best found: its terrain cannot rise above the highest grid sample of its
    cells (:func:`~iadsim.geo._path_kernels.cell_top`) nor its ray dip below its ends' (the
    chord's sag over one cell is centimetres), which bounds ``h / sqrt(f (1 - f))`` over the
    piece. A piece is also left at its coarse samples when that bound puts ``v`` at the pair's
    ``wavelength_m`` (``(n_pairs,)``, m; ``inf``: none) at or below ``floor_v``: with
    ``floor_v = -0.78`` no obstacle there can cause a knife-edge loss (ITU-R P.526-15, eq. 31),
    so the loss computed from the result is the same. Shortcuts that leave the result unchanged
    to the bit: the first pass reads only the samples that may be its best, with the terrain
    of chunks of ``CHUNK_PIECES`` pieces bounded from the grid's blocks
    (:func:`first_pass_best`); only the pieces above the first pass's best are sorted
    (:func:`candidate_order`); a fine sample that cannot beat the best even under the lowest
    ray there (:func:`~iadsim.geo._path_kernels.ray_above`) is not given a ray;
    on a path on the cubic, a run of ``RUN_SAMPLES`` fine samples within one cell whose terrain
    cannot rise that high (:func:`~iadsim.geo._path_kernels.run_top`) is not read at all.
    ``terrain`` is the grid's ``(heights_m, cell_tops_m, sample_blocks_m)``
    (:class:`~iadsim.geo.terrain.ElevationGrid`).
    """
    lat1, lon1, h1, lat2, lon2, h2 = pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5]
    heights, tops, blocks = terrain
    lat0, lon0, inv_dlat, inv_dlon = geometry[0], geometry[1], 1.0 / geometry[2], 1.0 / geometry[3]
    origin = (lat0, lon0, inv_dlat, inv_dlon)
    n_pairs = lat1.shape[0]
    out = np.empty((3, n_pairs))
    radius_e = k_factor * earth_radius_m
    for p in numba.prange(n_pairs):
        ends = (lat1[p], lon1[p], lat2[p], lon2[p])
        ax, ay, az, tx, ty, tz, theta = great_circle(*ends)
        if theta < 1e-12:
            out[0, p], out[1, p], out[2, p] = -np.inf, 1.0, 1.0
            continue
        n = max(1, min(MAX_SAMPLES, int(theta / spacing_rad)))
        cubic, lats, lons = path_nodes(ends, ax, ay, az, tx, ty, tz, theta)
        path = (lats, lons, ax, ay, az, tx, ty, tz, theta)
        bends = (cubic_bend(lats) * inv_dlat, cubic_bend(lons) * inv_dlon)  # for the bounds
        r1 = radius_e + h1[p]
        r2 = radius_e + h2[p]
        theta_e = theta / k_factor
        numerator = r1 * r2 * np.sin(theta_e)
        length_m = theta * earth_radius_m
        # v = score sqrt(2 / (lambda L)) for score = h / sqrt(f (1 - f)).
        floor = floor_v * np.sqrt(0.5 * wavelength_m[p] * length_m)
        # Ray heights of the ends and of n equally spaced samples: (cos, sin) of phi_e by
        # rotation, sin(theta_e - phi_e) = sin_te ce - cos_te se.
        sin_te, cos_te = np.sin(theta_e), np.cos(theta_e)
        step_e = theta_e / (n + 1.0)
        ce_step, se_step = np.cos(step_e), np.sin(step_e)
        ce, se = 1.0, 0.0
        ray_s = np.empty(n + 2)
        ray_s[0], ray_s[n + 1] = h1[p], h2[p]
        for i in range(1, n + 1):
            ce, se = ce * ce_step - se * se_step, se * ce_step + ce * se_step
            ray_s[i] = numerator / (r2 * (sin_te * ce - cos_te * se) + r1 * se) - radius_e
        # First pass: the best of the n samples, reading only those that may be it.
        bounds = chunk_bounds(heights, blocks, origin, path, bends, cubic, ray_s)
        best, best_h, best_f = first_pass_best(heights, origin, path, cubic, ray_s, bounds)
        # Second pass: fine samples on the pieces that may hold a better obstacle, the most
        # promising first, so that the best found early rules out the rest.
        threshold = max(best, floor)
        upper = np.empty(n + 1)
        order = np.empty(n + 1, dtype=np.int64)
        count = candidate_uppers(
            tops, origin, path, cubic, ends, ray_s, bounds, threshold, upper, order
        )
        if not candidate_order(upper, order, count):
            # two candidates tie: the order of argsort over every piece
            for k in range(n + 1):
                upper[k] = exact_upper(tops, origin, path, cubic, ends, ray_s, k)
            order = np.argsort(-upper)
            count = n + 1
        for index in range(count):
            k = order[index]
            if upper[k] <= max(best, floor):
                break  # this piece and every later one cannot beat the best
            fa, fb = k / (n + 1.0), (k + 1) / (n + 1.0)
            m = int((fb - fa) * theta / REFINE_STEP_RAD)
            line = piece_ray_line(ray_s[k], ray_s[k + 1], (fb - fa) * theta_e, radius_e)
            # Runs of RUN_SAMPLES fine samples, each bounded over the stretch up to the next
            # run's first sample (whose point and ray bound it then reuses).
            j0, g_start = 1, fa + (fb - fa) / (m + 1.0)
            start = (0.0, 0.0)
            low_start = 0.0
            if cubic:
                start = grid_position(*origin, *path_point(g_start, True, *path))
                low_start = ray_above(line, 1.0 / (m + 1.0), radius_e)
            while j0 <= m:
                j1 = min(j0 + RUN_SAMPLES, m + 1) - 1
                g_end = fa + (fb - fa) * (j1 + 1) / (m + 1.0)
                skip = False
                if cubic:  # a run whose terrain cannot beat the best is skipped
                    end = grid_position(*origin, *path_point(g_end, True, *path))
                    low_end = ray_above(line, (j1 + 1) / (m + 1.0), radius_e)
                    bows = run_bows(bends, g_start, g_end)
                    ceiling_m = run_ground_bound(heights, start, end, bows) + RUN_SLACK_M
                    low = min(low_start, low_end)  # the bound is monotone along the piece
                    skip = score_bound(ceiling_m, low, g_start, g_end) <= best
                    start, low_start = end, low_end
                first, j0, g_start = j0, j1 + 1, g_end
                if skip:
                    continue
                for j in range(first, j1 + 1):
                    g = fa + (fb - fa) * j / (m + 1.0)
                    glat, glon = path_point(g, cubic, *path)
                    gground = bilinear_height(heights, origin, glat, glon)
                    root = np.sqrt(g * (1.0 - g))
                    if (gground - ray_above(line, j / (m + 1.0), radius_e)) / root <= best:
                        continue  # even the lowest ray there leaves this sample below best
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
