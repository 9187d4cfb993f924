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

__all__ = [
    "CUBIC_MAX_ABS_LAT_RAD",
    "CUBIC_MAX_ANGLE_RAD",
    "bilinear_height",
    "clearance_kernel",
    "clearance_kernel_serial",
    "obstacle_kernel",
    "obstacle_kernel_serial",
    "unwrap_lon",
]

MAX_SAMPLES = 20_000
"""Most first-pass samples on one path."""

# Path positions come from a cubic in the path fraction through four exact great-circle
# points (the ends and 1/3, 2/3) instead of two arctangents per sample, which is most of the
# cost. Within these limits the position error is below about 5 m (checked against direct
# slerp in the tests); longer or high-latitude paths use exact trigonometry per sample.
CUBIC_MAX_ANGLE_RAD = 0.1  # ~640 km of ground range
CUBIC_MAX_ABS_LAT_RAD = np.radians(55.0)


@numba.njit(cache=True)
def grid_position(lat0, lon0, inv_dlat, inv_dlon, lat, lon):  # pragma: no cover - numba
    """Fractional row and column of a point in the grid (not clamped to it), as
    :func:`bilinear_height` reads them."""
    row = (lat - lat0) * inv_dlat
    dlon = lon - lon0
    # Path longitudes stay within a turn of the grid origin; this replaces a modulo.
    if dlon < 0.0:
        dlon += 2.0 * np.pi
    elif dlon >= 2.0 * np.pi:
        dlon -= 2.0 * np.pi
    col = dlon * inv_dlon
    turn = 2.0 * np.pi * inv_dlon
    if col > turn - 1e-6:  # just west of the first column
        col -= turn
    return row, col


@numba.njit(cache=True)
def bilinear_height(heights, lat0, lon0, inv_dlat, inv_dlon, lat, lon):  # pragma: no cover - numba
    """Bilinear height, 0 outside the grid or on voids (the kernel form of ``height_m``)."""
    n_lat, n_lon = heights.shape
    row, col = grid_position(lat0, lon0, inv_dlat, inv_dlon, lat, lon)
    if row < 0.0 or row > n_lat - 1 or col < 0.0 or col > n_lon - 1:
        # A hair outside the edge samples (degree-radian rounding) counts as on the edge.
        if row < -1e-6 or row > n_lat - 1 + 1e-6 or col < -1e-6 or col > n_lon - 1 + 1e-6:
            return 0.0
        row = min(max(row, 0.0), n_lat - 1.0)
        col = min(max(col, 0.0), n_lon - 1.0)
    i = min(int(row), n_lat - 2)
    j = min(int(col), n_lon - 2)
    u = row - i
    v = col - j
    value = (1.0 - u) * ((1.0 - v) * heights[i, j] + v * heights[i, j + 1]) + u * (
        (1.0 - v) * heights[i + 1, j] + v * heights[i + 1, j + 1]
    )
    if value != value:  # NaN: a void reads as sea level, like the outside
        return 0.0
    return value


@numba.njit(cache=True)
def unwrap_lon(lon, reference):  # pragma: no cover - numba
    """``lon`` shifted by whole turns to within half a turn of ``reference``."""
    while lon - reference > np.pi:
        lon -= 2.0 * np.pi
    while lon - reference < -np.pi:
        lon += 2.0 * np.pi
    return lon


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
def grid_cell(origin, lat, lon):  # pragma: no cover - numba
    """Whole row and column of the grid cell holding a point (floors of the fractional
    ones, the longitude taken modulo a turn from the grid's); ``origin`` is
    ``(lat0, lon0, 1 / dlat, 1 / dlon)``."""
    lat0, lon0, inv_dlat, inv_dlon = origin
    dlon = lon - lon0
    if not 0.0 <= dlon < 2.0 * np.pi:  # the modulo is slow, and changes nothing in range
        dlon = dlon % (2.0 * np.pi)
    return int(np.floor((lat - lat0) * inv_dlat)), int(np.floor(dlon * inv_dlon))


@numba.njit(cache=True)
def cell_top(tops, row_a, col_a, row_b, col_b):  # pragma: no cover - numba
    """Highest grid sample of the cells from the one holding a point ``a`` to the one
    holding ``b`` (:func:`grid_cell`), 0 off the grid and on voids: the bilinear terrain of
    a short path piece between two such points cannot rise above it (the floor of the
    lesser coordinate is the lesser floor). ``tops`` is
    :attr:`~iadsim.geo.terrain.ElevationGrid.cell_tops_m`, one entry per cell."""
    n_rows, n_cols = tops.shape
    i0 = max(min(row_a, row_b), -1) + 1
    i1 = min(max(row_a, row_b) + 1, n_rows - 1)
    j0 = max(min(col_a, col_b), -1) + 1
    j1 = min(max(col_a, col_b) + 1, n_cols - 1)
    highest = 0.0
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            value = tops[i, j]
            if value > highest:
                highest = value
    return highest


RAY_ROUNDING_M = 0.05
"""Margin under :func:`piece_ray_floor_m` for the rounding of the ray heights it starts
from (the first pass's rotation recurrence drifts by well under a millimetre)."""


@numba.njit(cache=True)
def piece_ray_floor_m(ray_a_m, ray_b_m, angle_e_rad, radius_e_m):  # pragma: no cover - numba
    """A height the straight ray cannot go below between two samples, m.

    The ray is a straight line in the effective-earth plane: its radius is at least that
    of the line's foot, ``p >= r cos(angle)`` for either end ``r`` within ``angle`` of it,
    so over a piece of effective-earth angle ``angle_e_rad`` it stays above the lower end's
    radius times ``cos(angle_e_rad)`` (a few centimetres below it for one grid cell), less
    :data:`RAY_ROUNDING_M`. A fine sample whose score with this floor for its ray cannot
    beat the best found needs no ray computed: its own score is not larger, to the bit
    (rounding is monotone).
    """
    lower = min(ray_a_m, ray_b_m) + radius_e_m
    return lower * np.cos(angle_e_rad) - radius_e_m - RAY_ROUNDING_M


@numba.njit(cache=True)
def path_point(f, cubic, lats, lons, ax, ay, az, tx, ty, tz, theta):  # pragma: no cover - numba
    """Latitude and longitude at fraction ``f`` of the path: on the cubic through its four
    exact points, or by exact trigonometry."""
    if cubic:
        a, b, c, d = f, f - 1.0 / 3.0, f - 2.0 / 3.0, f - 1.0
        w0, w1, w2, w3 = -4.5 * b * c * d, 13.5 * a * c * d, -13.5 * a * b * d, 4.5 * a * b * c
        lat = w0 * lats[0] + w1 * lats[1] + w2 * lats[2] + w3 * lats[3]
        lon = w0 * lons[0] + w1 * lons[1] + w2 * lons[2] + w3 * lons[3]
        return lat, lon
    phi = theta * f
    c, s = np.cos(phi), np.sin(phi)
    px, py, pz = ax * c + tx * s, ay * c + ty * s, az * c + tz * s
    return np.arctan2(pz, np.sqrt(px * px + py * py)), np.arctan2(py, px)


RUN_SAMPLES = 8
"""Fine samples of a piece whose terrain is bounded together (:func:`run_ground_bound`)
before any of them is read alone."""
RUN_SLACK_M = 0.01
"""Added to :func:`run_ground_bound`: far above the rounding of the bilinear heights and of
the scores compared with it, so a run skipped on it holds no sample that a sample-by-sample
test would keep."""


@numba.njit(cache=True)
def cubic_bend(values):  # pragma: no cover - numba
    """Largest ``|d2 x / d f2|`` over ``0 <= f <= 1`` of the cubic through four values at
    ``f = 0, 1/3, 2/3, 1`` (as :func:`path_point` interpolates), slightly enlarged for
    rounding: the second derivative is linear in ``f``, so its largest size is at an end,
    where it is the one-sided second difference over a node step of 1/3."""
    start = 9.0 * (2.0 * values[0] - 5.0 * values[1] + 4.0 * values[2] - values[3])
    end = 9.0 * (-values[0] + 4.0 * values[1] - 5.0 * values[2] + 2.0 * values[3])
    return 1.001 * max(abs(start), abs(end)) + 1e-12


@numba.njit(cache=True)
def run_ground_bound(heights, origin, a, b, bows):  # pragma: no cover - numba
    """A height that the bilinear terrain (:func:`bilinear_height`) does not exceed at any
    point of the path between two of its points ``a`` and ``b`` (latitude, longitude), m;
    ``inf`` unless that stretch lies inside one cell of the grid (voids included).

    ``origin`` is ``(lat0, lon0, 1 / dlat, 1 / dlon)`` of the grid. The stretch's points
    lie within ``bows`` (rows, columns) of the rectangle that ``a`` and ``b`` span (the
    path's bow over the stretch, plus rounding); when that enlarged rectangle is inside one
    cell, the bilinear surface over it is highest at one of its corners.
    """
    n_lat, n_lon = heights.shape
    row_a, col_a = grid_position(*origin, *a)
    row_b, col_b = grid_position(*origin, *b)
    row_lo, row_hi = min(row_a, row_b) - bows[0], max(row_a, row_b) + bows[0]
    col_lo, col_hi = min(col_a, col_b) - bows[1], max(col_a, col_b) + bows[1]
    if not (row_lo > 0.0 and col_lo > 0.0 and row_hi < n_lat - 1 and col_hi < n_lon - 1):
        return np.inf  # off the grid, on its edge or across the turn
    i, j = int(row_lo), int(col_lo)
    if row_hi >= i + 1.0 or col_hi >= j + 1.0:
        return np.inf  # across a grid line
    h00, h01 = float(heights[i, j]), float(heights[i, j + 1])
    h10, h11 = float(heights[i + 1, j]), float(heights[i + 1, j + 1])
    highest = -np.inf
    for u in (row_lo - i, row_hi - i):
        for v in (col_lo - j, col_hi - j):
            value = (1.0 - u) * ((1.0 - v) * h00 + v * h01) + u * ((1.0 - v) * h10 + v * h11)
            highest = max(highest, value)
    if highest != highest:  # a void corner: no bound
        return np.inf
    return highest


@numba.njit(cache=True)
def run_score_bound(ground_m, ray_floor_m, g_a, g_b):  # pragma: no cover - numba
    """Largest ``(ground - ray) / sqrt(g (1 - g))`` for a ground below ``ground_m``, a ray
    above ``ray_floor_m`` and a fraction between ``g_a <= g_b``: ``g (1 - g)`` is least at
    an end and greatest at 1/2 or the end nearer it."""
    rise = ground_m + RUN_SLACK_M - ray_floor_m
    root_a, root_b = np.sqrt(g_a * (1.0 - g_a)), np.sqrt(g_b * (1.0 - g_b))
    if rise > 0.0:
        return rise / min(root_a, root_b)
    return rise / (0.5 if g_a <= 0.5 <= g_b else max(root_a, root_b))


@numba.njit(cache=True, parallel=True)
def clearance_kernel(
    pairs, heights, tops, geometry, k_factor, earth_radius_m, n_samples, spacing_rad, stop
):
    """Least ray height above terrain along each path, per pair.

    ``pairs`` is ``(6, n_pairs)``: radar lat, lon, height, target lat, lon, height;
    ``tops`` is the grid's :attr:`~iadsim.geo.terrain.ElevationGrid.cell_tops_m`;
    ``geometry`` is ``(lat0, lon0, dlat, dlon)`` of the grid. Each path is first sampled at
    ``n_samples`` equally spaced interior points or, when ``n_samples`` is 0, one per
    ``spacing_rad`` of its great-circle angle; with ``spacing_rad`` > 0 every piece between
    two samples (and the two end pieces) whose ray may pass within
    :data:`REFINE_MARGIN_M` of the highest grid sample of the cells it crosses
    (:func:`cell_top`) is then sampled every :data:`REFINE_STEP_RAD`. The result is
    the least clearance over all samples: within a few metres of the exact one wherever
    it is under the margin, and above the margin otherwise. With ``stop`` a pair stops at
    its first sample with clearance <= 0, and only pieces that may hold such a sample are
    sampled finely (:data:`SIGN_MARGIN_M`), so the value is then only reliable in sign.
    """
    lat1, lon1, h1, lat2, lon2, h2 = pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5]
    lat0, lon0, inv_dlat, inv_dlon = geometry[0], geometry[1], 1.0 / geometry[2], 1.0 / geometry[3]
    n_pairs = lat1.shape[0]
    out = np.empty(n_pairs)
    radius_e = k_factor * earth_radius_m
    refine = spacing_rad > 0.0
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
            out[p] = np.inf
            continue
        n = n_samples
        if n == 0:
            n = max(1, min(MAX_SAMPLES, int(theta / spacing_rad)))
        # Unit tangent at a towards b: the path is a cos(phi) + t sin(phi).
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
        prev_cell = grid_cell(origin, lat1[p], lon1[p])
        prev_ray, prev_f = h1[p], 0.0
        for i in range(n + 1):
            if i < n:
                ce, se = ce * ce_step - se * se_step, se * ce_step + ce * se_step
                f = (i + 1.0) / (n + 1.0)
                if cubic:
                    lat, lon = path_point(f, True, lats, lons, ax, ay, az, tx, ty, tz, theta)
                else:
                    c, s = c * c_step - s * s_step, s * c_step + c * s_step
                    px, py, pz = ax * c + tx * s, ay * c + ty * s, az * c + tz * s
                    lat = np.arctan2(pz, np.sqrt(px * px + py * py))
                    lon = np.arctan2(py, px)
                ground = bilinear_height(heights, lat0, lon0, inv_dlat, inv_dlon, lat, lon)
                # sin(theta_e - phi_e) = sin_te ce - cos_te se
                ray = numerator / (r2 * (sin_te * ce - cos_te * se) + r1 * se) - radius_e
                least = min(least, ray - ground)
            else:  # the end piece, up to the target
                f, lat, lon, ray = 1.0, lat2[p], lon2[p], h2[p]
            if refine:
                cell = grid_cell(origin, lat, lon)
                bound = cell_top(tops, *prev_cell, *cell)
                prev_cell = cell
                if min(prev_ray, ray) - bound < margin:
                    m = int((f - prev_f) * theta / REFINE_STEP_RAD)
                    for k in range(1, m + 1):
                        g = prev_f + (f - prev_f) * k / (m + 1.0)
                        glat, glon = path_point(g, cubic, lats, lons, ax, ay, az, tx, ty, tz, theta)
                        gground = bilinear_height(
                            heights, lat0, lon0, inv_dlat, inv_dlon, glat, glon
                        )
                        phi_e = theta_e * g
                        gray = numerator / (r2 * np.sin(theta_e - phi_e) + r1 * np.sin(phi_e))
                        least = min(least, gray - radius_e - gground)
            if stop and least <= 0.0:
                break
            prev_ray, prev_f = ray, f
        out[p] = least
    return out


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

    Rows: the obstacle's height above the ray ``h`` (m, negative where the ray clears it),
    and its ground distances ``d1``, ``d2`` from the radar and the target (m). The dominant
    obstacle is the sample with the largest ``h sqrt((d1 + d2) / (d1 d2))``, that is the
    largest Fresnel-Kirchhoff parameter ``v = h sqrt(2 (d1 + d2) / (lambda d1 d2))``
    (ITU-R P.526-15, eq. 26) at any wavelength; along one path it is the largest
    ``h / sqrt(f (1 - f))`` at path fraction ``f``. Arguments as for
    :func:`clearance_kernel` (``spacing_rad`` > 0). The path is sampled once per
    ``spacing_rad`` first; then each piece between two samples is sampled every
    :data:`REFINE_STEP_RAD` unless it cannot hold a better obstacle than the best found:
    its terrain cannot rise above the highest grid sample of its cells
    (:func:`cell_top`) nor its ray dip below its ends' (the chord's sag over one cell
    is centimetres), which bounds ``h / sqrt(f (1 - f))`` over the piece. A piece is also
    left at its coarse samples when that bound puts ``v`` at the pair's
    ``wavelength_m`` (``(n_pairs,)``, m; ``inf``: none) at or below ``floor_v``: with
    ``floor_v = -0.78`` no obstacle there can cause a knife-edge loss (ITU-R P.526-15,
    eq. 31), so the loss computed from the result is the same. Two shortcuts leave the
    result unchanged to the bit: when no piece passes that test the pieces are not sorted,
    and a fine sample that cannot beat the best even under the lowest ray of its piece
    (:func:`piece_ray_floor_m`) is not given a ray; on a path on the cubic, a run of
    :data:`RUN_SAMPLES` fine samples within one cell whose terrain cannot rise that high
    (:func:`run_ground_bound`) is not read at all.
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
        # The path's bow in rows and columns per squared fraction (run_ground_bound).
        bend_row, bend_col = cubic_bend(lats) * inv_dlat, cubic_bend(lons) * inv_dlon
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
                    a = path_point(g_a, True, lats, lons, ax, ay, az, tx, ty, tz, theta)
                    b = path_point(g_b, True, lats, lons, ax, ay, az, tx, ty, tz, theta)
                    bow = 0.125 * (g_b - g_a) * (g_b - g_a)
                    bows = (bend_row * bow + 1e-9, bend_col * bow + 1e-9)
                    ground = run_ground_bound(heights, origin, a, b, bows)
                    if run_score_bound(ground, ray_floor, g_a, g_b) <= best:
                        continue
                for j in range(j0, j1 + 1):
                    g = fa + (fb - fa) * j / (m + 1.0)
                    glat, glon = path_point(g, cubic, lats, lons, ax, ay, az, tx, ty, tz, theta)
                    gground = bilinear_height(heights, lat0, lon0, inv_dlat, inv_dlon, glat, glon)
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


def _renamed(function, name: str):
    """A copy of a plain function under another name: Numba keys its on-disk cache by the
    qualified name, so two builds of one function must not share it (the cache index does
    not record ``parallel``, and one build would load the other's machine code)."""
    copy = types.FunctionType(
        function.__code__, function.__globals__, name, function.__defaults__, function.__closure__
    )
    copy.__qualname__ = name
    return copy


clearance_kernel_serial = numba.njit(cache=True)(
    _renamed(clearance_kernel.py_func, "clearance_kernel_serial")
)
""":func:`clearance_kernel` compiled without threads (``prange`` runs as ``range``): the same
operations pair by pair, for the few pairs of one radar look, where starting or resizing the
thread pool costs more than the work."""


obstacle_kernel_serial = numba.njit(cache=True)(
    _renamed(obstacle_kernel.py_func, "obstacle_kernel_serial")
)
""":func:`obstacle_kernel` compiled without threads, for the few pairs of one look."""
