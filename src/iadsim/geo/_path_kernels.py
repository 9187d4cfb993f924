"""Numba helpers of the terrain path kernels (:mod:`iadsim.geo._los_kernels`,
:mod:`iadsim.geo._obstacle_kernel`): points along a great-circle path, the bilinear terrain
under them, and bounds of that terrain and of the ray over a stretch of the path, which let
the kernels skip samples that cannot change their result.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "BLOCK_SAMPLES",
    "CHUNK_PIECES",
    "CUBIC_MAX_ABS_LAT_RAD",
    "CUBIC_MAX_ANGLE_RAD",
    "RAY_ROUNDING_M",
    "RUN_SAMPLES",
    "RUN_SLACK_M",
    "bilinear_height",
    "cell_top",
    "cubic_bend",
    "great_circle",
    "grid_cell",
    "grid_position",
    "path_nodes",
    "path_point",
    "piece_ray_floor_m",
    "piece_ray_line",
    "ray_above",
    "run_bows",
    "run_ground_bound",
    "run_top",
    "stretch_ceiling",
    "unwrap_lon",
]

CHUNK_PIECES = 8
"""Pieces of a path (between first-pass samples) whose terrain the kernels bound together
(:func:`stretch_ceiling`)."""
BLOCK_SAMPLES = 4
"""Side of the blocks of grid samples of :attr:`~iadsim.geo.terrain.ElevationGrid.sample_blocks_m`
(:func:`stretch_ceiling`)."""

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


@numba.njit(cache=True, inline="always")
def bilinear_height(heights, origin, lat, lon):  # pragma: no cover - numba
    """Bilinear height, 0 outside the grid or on voids (the kernel form of ``height_m``);
    ``origin`` is ``(lat0, lon0, 1 / dlat, 1 / dlon)``. Inlined: a call would
    reference-count ``heights`` at every sample."""
    n_lat, n_lon = heights.shape
    row, col = grid_position(origin[0], origin[1], origin[2], origin[3], lat, lon)
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


@numba.njit(cache=True, inline="always")
def cell_top(tops, row_a, col_a, row_b, col_b):  # pragma: no cover - numba
    """Highest grid sample of the cells from the one holding a point ``a`` to the one
    holding ``b`` (:func:`grid_cell`), 0 off the grid and on voids: the bilinear terrain of
    a short path piece between two such points cannot rise above it (the floor of the
    lesser coordinate is the lesser floor). ``tops`` is
    :attr:`~iadsim.geo.terrain.ElevationGrid.cell_tops_m`, one entry per cell. Inlined, like
    :func:`bilinear_height` (callers pass no star-args: Numba cannot inline those calls)."""
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
def piece_ray_line(ray_a_m, ray_b_m, angle_e_rad, radius_e_m):  # pragma: no cover - numba
    """Terms of a lower bound of the straight ray along a piece between two samples, for
    :func:`ray_above`: ``(start, change, allowance)``, 1/m.

    The inverse radius of a straight line in polar form is a sinusoid of the angle
    (``u = 1 / r = (r2 sin(theta_e - phi) + r1 sin(phi)) / (r1 r2 sin(theta_e))``), so
    ``u'' = -u``: over a piece of angle ``angle_e_rad`` it exceeds the chord between its
    ends' values (``start`` plus ``change`` times the fraction of the piece) by at most
    ``max(u) angle^2 / 8`` (``allowance``, with the radius of :func:`piece_ray_floor_m`).
    Unlike that floor it follows a climbing ray along the piece.
    """
    start = 1.0 / (radius_e_m + ray_a_m)
    change = 1.0 / (radius_e_m + ray_b_m) - start
    floor = piece_ray_floor_m(ray_a_m, ray_b_m, angle_e_rad, radius_e_m)
    allowance = 0.125 * angle_e_rad * angle_e_rad / (radius_e_m + floor)
    return start, change, allowance


@numba.njit(cache=True)
def ray_above(line, t, radius_e_m):  # pragma: no cover - numba
    """A height the straight ray does not go below at fraction ``t`` of a piece, m, from
    :func:`piece_ray_line`'s terms, less :data:`RAY_ROUNDING_M` (the ends' ray heights
    carry the first pass's rounding; a bound's own rounding is far smaller)."""
    return 1.0 / (line[0] + line[1] * t + line[2]) - radius_e_m - RAY_ROUNDING_M


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
def run_ground_bound(heights, end_a, end_b, bows):  # pragma: no cover - numba
    """A height that the bilinear terrain (:func:`bilinear_height`) does not exceed at any
    point of the path between two of its points, m, given by their fractional row and
    column (:func:`grid_position`) ``end_a`` and ``end_b``; ``inf`` unless that stretch lies
    inside the grid and crosses at most one grid line each way (and no void sample).

    The stretch's points lie within ``bows`` (rows, columns) of the rectangle that the ends
    span (the path's bow over the stretch, plus rounding); when that enlarged rectangle is
    inside one cell, the bilinear surface over it is highest at one of its corners; across
    a grid line, at a corner of its part in one of the cells (:func:`_crossing_top`).
    """
    n_lat, n_lon = heights.shape
    (row_a, col_a), (row_b, col_b) = end_a, end_b
    row_lo, row_hi = min(row_a, row_b) - bows[0], max(row_a, row_b) + bows[0]
    col_lo, col_hi = min(col_a, col_b) - bows[1], max(col_a, col_b) + bows[1]
    if not (row_lo > 0.0 and col_lo > 0.0 and row_hi < n_lat - 1 and col_hi < n_lon - 1):
        return np.inf  # off the grid, on its edge or across the turn
    i, j = int(row_lo), int(col_lo)
    if row_hi >= i + 1.0 or col_hi >= j + 1.0:  # across a grid line
        return _crossing_top(heights, row_lo, row_hi, col_lo, col_hi)
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
def _crossing_top(heights, row_lo, row_hi, col_lo, col_hi):  # pragma: no cover - numba
    """Highest bilinear terrain over a rectangle of fractional rows and columns inside the
    grid that crosses one grid line at most each way (``inf`` otherwise, or on a void
    sample): the highest corner of its parts in each cell, where the bilinear surface of
    that cell is highest (on a grid line both cells give the line's own values)."""
    i, j = int(row_lo), int(col_lo)
    if row_hi >= i + 2.0 or col_hi >= j + 2.0:
        return np.inf
    rows = (row_lo, min(i + 1.0, row_hi), row_hi)
    cols = (col_lo, min(j + 1.0, col_hi), col_hi)
    highest = -np.inf
    for row in rows:
        a = min(int(row), i + 1)
        u = row - a
        for col in cols:
            b = min(int(col), j + 1)
            v = col - b
            h00, h01 = float(heights[a, b]), float(heights[a, b + 1])
            h10, h11 = float(heights[a + 1, b]), float(heights[a + 1, b + 1])
            value = (1.0 - u) * ((1.0 - v) * h00 + v * h01) + u * ((1.0 - v) * h10 + v * h11)
            if value != value:  # a void corner: no bound
                return np.inf
            highest = max(highest, value)
    return highest


@numba.njit(cache=True)
def run_top(heights, origin, path, bends, g_a, g_b):  # pragma: no cover - numba
    """A height above the terrain by :data:`RUN_SLACK_M` at least, m, at every point from
    fraction ``g_a`` to ``g_b`` of a path on the cubic; ``inf`` where that stretch is not
    inside one grid cell (:func:`run_ground_bound`).

    ``path`` is ``(lats, lons, ax, ay, az, tx, ty, tz, theta)`` of :func:`path_point`;
    ``bends`` is :func:`cubic_bend` of ``lats`` and ``lons``, in rows and columns: the bow
    of the cubic between two points ``dg`` apart is at most ``bend dg^2 / 8``.
    """
    end_a = grid_position(*origin, *path_point(g_a, True, *path))
    end_b = grid_position(*origin, *path_point(g_b, True, *path))
    return run_ground_bound(heights, end_a, end_b, run_bows(bends, g_a, g_b)) + RUN_SLACK_M


@numba.njit(cache=True)
def run_bows(bends, g_a, g_b):  # pragma: no cover - numba
    """Rows and columns by which a path on the cubic may bow out of the rectangle of its
    points at fractions ``g_a`` and ``g_b`` (``bends`` as for :func:`run_top`), plus 1e-9
    of a cell for the rounding of the points."""
    bow = 0.125 * (g_b - g_a) * (g_b - g_a)
    return bends[0] * bow + 1e-9, bends[1] * bow + 1e-9


@numba.njit(cache=True)
def stretch_ceiling(heights, blocks, turn, end_a, end_b, spread):  # pragma: no cover - numba
    """A height, m (>= 0), above the bilinear terrain (:func:`bilinear_height`) at every point
    of a stretch of a path, and above :func:`cell_top` of any piece between two of them: the
    highest sample of the blocks of ``blocks``
    (:attr:`~iadsim.geo.terrain.ElevationGrid.sample_blocks_m`) that hold the samples around
    the rectangle of its ends ``end_a`` and ``end_b`` (fractional row and column,
    :func:`grid_position`) enlarged by ``spread`` (rows, columns: the path's bow over the
    stretch, and 1e-5 of a cell for the grid edge's allowance). A rectangle near the grid's
    first column or across the turn (``turn``: columns in a full turn) takes in every column.
    """
    n_lat, n_lon = heights.shape
    (row_a, col_a), (row_b, col_b) = end_a, end_b
    # Samples around the rectangle, as cell_top and bilinear_height read them at the edges.
    i0 = max(int(np.floor(min(row_a, row_b) - spread[0])), 0)
    i1 = min(int(np.floor(max(row_a, row_b) + spread[0])) + 1, n_lat - 1)
    col_lo, col_hi = min(col_a, col_b) - spread[1], max(col_a, col_b) + spread[1]
    if col_lo < 1e-5 or col_hi > turn - 1e-5 or col_hi - col_lo > 0.5 * turn:
        j0, j1 = 0, n_lon - 1
    else:
        j0 = max(int(np.floor(col_lo)), 0)
        j1 = min(int(np.floor(col_hi)) + 1, n_lon - 1)
    highest = 0.0
    for i in range(i0 // BLOCK_SAMPLES, i1 // BLOCK_SAMPLES + 1):
        for j in range(j0 // BLOCK_SAMPLES, j1 // BLOCK_SAMPLES + 1):
            value = blocks[i, j]
            if value > highest:
                highest = value
    return highest


@numba.njit(cache=True)
def great_circle(lat1, lon1, lat2, lon2):  # pragma: no cover - numba
    """The great circle from one point to another (rad) on the unit sphere: the first
    point's unit vector ``a``, the unit tangent ``t`` at ``a`` towards the second (the path
    is ``a cos(phi) + t sin(phi)``) and the angle ``theta`` between the points, as
    ``(ax, ay, az, tx, ty, tz, theta)``; ``t`` is zero for points less than 1e-12 rad
    apart."""
    cl1, sl1 = np.cos(lat1), np.sin(lat1)
    cl2, sl2 = np.cos(lat2), np.sin(lat2)
    ax, ay, az = cl1 * np.cos(lon1), cl1 * np.sin(lon1), sl1
    bx, by, bz = cl2 * np.cos(lon2), cl2 * np.sin(lon2), sl2
    cos_t = ax * bx + ay * by + az * bz
    cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    sin_t = np.sqrt(cx * cx + cy * cy + cz * cz)
    theta = np.arctan2(sin_t, cos_t)
    if theta < 1e-12:
        return ax, ay, az, 0.0, 0.0, 0.0, theta
    tx, ty, tz = (bx - ax * cos_t) / sin_t, (by - ay * cos_t) / sin_t, (bz - az * cos_t) / sin_t
    return ax, ay, az, tx, ty, tz, theta


@numba.njit(cache=True)
def path_nodes(ends, ax, ay, az, tx, ty, tz, theta):  # pragma: no cover - numba
    """Whether the path of :func:`great_circle` between ``ends`` ``(lat1, lon1, lat2,
    lon2)`` rad is drawn as a cubic in latitude and longitude (short, and away from the
    poles), and its nodes ``lats``, ``lons`` (4-tuples, rad) as :func:`path_point` reads them:
    the ends and, on the cubic, the points a third and two thirds of the way, longitudes
    unwrapped along the path. The nodes are tuples, not arrays: the kernels pass them to
    helpers per sample, and an array would be reference-counted at every call."""
    lat1, lon1, lat2, lon2 = ends
    cubic = (
        theta <= CUBIC_MAX_ANGLE_RAD
        and abs(lat1) <= CUBIC_MAX_ABS_LAT_RAD
        and abs(lat2) <= CUBIC_MAX_ABS_LAT_RAD
    )
    if not cubic:
        return cubic, (lat1, 0.0, 0.0, lat2), (lon1, 0.0, 0.0, lon2)
    lat_a, lon_a = third_point(ax, ay, az, tx, ty, tz, theta * 1 / 3.0)
    lat_b, lon_b = third_point(ax, ay, az, tx, ty, tz, theta * 2 / 3.0)
    lon_a, lon_b = unwrap_lon(lon_a, lon1), unwrap_lon(lon_b, lon1)
    return cubic, (lat1, lat_a, lat_b, lat2), (lon1, lon_a, lon_b, unwrap_lon(lon2, lon_b))


@numba.njit(cache=True)
def third_point(ax, ay, az, tx, ty, tz, phi):  # pragma: no cover - numba
    """Latitude and (wrapped) longitude of the great-circle point at angle ``phi`` from
    ``a`` along ``t`` (:func:`great_circle`), rad."""
    c, s = np.cos(phi), np.sin(phi)
    px, py, pz = ax * c + tx * s, ay * c + ty * s, az * c + tz * s
    return np.arctan2(pz, np.sqrt(px * px + py * py)), np.arctan2(py, px)
