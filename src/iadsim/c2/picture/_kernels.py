"""Numba kernels of the air picture.

* :func:`look_candidates_kernel` - which tracks a radar's look may cover, a conservative
  pre-test (:mod:`iadsim.c2.picture.look_pretest`). It need not agree with
  :meth:`iadsim.sensors.radar.Radar.in_view` to the bit: every limit is widened by far more
  than the last-place differences of its C library ``atan2``, ``sin`` and ``cos``.
* :func:`track_candidates_kernel` - the same pre-test of a post's tracks, leaving out those
  a radar is not expected to see, with the candidates' positions extrapolated in ECEF (the
  arithmetic of ``CommandPostPicture.predicted_positions_ecef_m``, to the bit), written
  into the caller's buffers with their geodetic positions and :func:`view_verdict`;
  :func:`live_track_candidates_kernel` the same of the live tracks, by slot.
* :func:`view_verdict` - whether a point passes the coverage tests of
  :meth:`iadsim.sensors.radar.Radar.in_view` by more than margins, fails the horizon by
  more, or lies near an edge, where only the exact test decides.
* :func:`below_terrain_kernel` - which tracks lie under the terrain, as held or
  extrapolated (:meth:`iadsim.c2.picture.post_picture.CommandPostPicture.prune`);
  the arithmetic of its NumPy twin
  :func:`iadsim.c2.picture.terrain_below.below_terrain_reference`, to the bit.
* :func:`geodetic_and_ground_kernel` - tracks' geodetic positions and the surface under
  them; the arithmetic of ``enu_to_ecef``, ``ecef_to_lla`` and
  ``ElevationGrid.surface_height_m``, to the bit.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_kernel
from iadsim.geo._terrain_kernels import height_kernel

__all__ = [
    "IN_VIEW",
    "NEAR_AN_EDGE",
    "OUT_OF_VIEW",
    "below_terrain_kernel",
    "geodetic_and_ground_kernel",
    "live_track_candidates_kernel",
    "look_candidates_kernel",
    "track_candidates_kernel",
    "view_verdict",
]

TWO_PI = 2.0 * math.pi
LAST_PHASE = float(np.nextafter(1.0, 0.0))
"""The largest phase of a search raster's frame (:meth:`SearchRaster.phase` caps it)."""


@numba.njit(cache=True)
def look_candidates_kernel(
    state,
    epoch_s,
    slots,
    time_s,
    frame_origin,
    frame_rotation,
    radar_terms,
    look_terms,
    raster_terms,
    raster_rows,
    beam_az_rad,
    beam_el_rad,
    margins,
):  # pragma: no cover - numba
    """Indices into ``slots`` ``(k,)`` of the tracks a look may cover, ascending,
    ``(m,) int64``.

    Each track's position is extrapolated at constant velocity from ``state``
    ``(capacity, >= 6)``, held at ``epoch_s`` ``(capacity,)``, to ``time_s``, in a local
    frame with origin ``frame_origin`` ``(3,)`` ECEF m and ECEF-to-local rotation
    ``frame_rotation`` ``(3, 3)``. A track is dropped only when it lies clearly outside one
    of the tests of :meth:`~iadsim.sensors.radar.Radar.in_view`, each widened by
    ``margins``.

    Parameters
    ----------
    radar_terms : (21,) float64
        Antenna position (ECEF, m), ENU rotation (row-major), range (m) and elevation (rad)
        limits, and the sector's start and extent (rad) with 1.0 where it restricts azimuth
        (the first 19, read here), then the horizon's terms (read by :func:`view_verdict`):
        the sensing stage's per-radar view constants.
    look_terms : (8,) float64
        A rotating beam's sweep: start, extent (rad), 1.0 where it restricts azimuth; the
        raster's share of the frame: start, extent (phases), 1.0 where it restricts; the
        beamwidth of the track dwells (rad); 1.0 where the look is of a type
        :func:`view_verdict` may decide (a sweep, a raster's share with or without track
        dwells, the whole sector).
    raster_terms : (7,) float64
        Rows, lowest row's elevation (rad), row spacing (rad), facing (rad), half sector
        (rad), 1.0 where beam positions are even in sine space, the half sector's sine.
    raster_rows : (m, 2) float64
        Phase at which each row starts and the share of the frame it takes.
    beam_az_rad, beam_el_rad : (b,) float64
        Track dwells' beam axes (rad): they cover the directions within the beamwidth of
        one.
    margins : (4,) float64
        Angle margin (rad), relative range margin, phase margin, and the horizontal
        distance (m) under which angles are not tested.
    """
    n = slots.shape[0]
    out = np.empty(n, dtype=np.int64)
    kept = 0
    margin, range_margin, phase_margin, near_m = margins[0], margins[1], margins[2], margins[3]
    local = np.empty(3)
    delta = np.empty(3)
    for k in range(n):
        slot = slots[k]
        elapsed = time_s - epoch_s[slot]
        for i in range(3):
            local[i] = state[slot, i] + state[slot, 3 + i] * elapsed
        for j in range(3):  # ECEF = R^T local + origin, less the radar's position
            delta[j] = (
                frame_rotation[0, j] * local[0]
                + frame_rotation[1, j] * local[1]
                + frame_rotation[2, j] * local[2]
                + frame_origin[j]
                - radar_terms[j]
            )
        east = radar_terms[3] * delta[0] + radar_terms[4] * delta[1] + radar_terms[5] * delta[2]
        north = radar_terms[6] * delta[0] + radar_terms[7] * delta[1] + radar_terms[8] * delta[2]
        up = radar_terms[9] * delta[0] + radar_terms[10] * delta[1] + radar_terms[11] * delta[2]
        horizontal = math.hypot(east, north)
        range_m = math.hypot(horizontal, up)
        if range_m < radar_terms[12] * (1.0 - range_margin):
            continue
        if range_m > radar_terms[13] * (1.0 + range_margin):
            continue
        if horizontal < near_m:  # azimuth and elevation ill-conditioned: kept
            out[kept] = k
            kept += 1
            continue
        # The azimuth tests first: a rotating beam's sweep leaves out most tracks.
        az = math.atan2(east, north) % TWO_PI
        if radar_terms[18] != 0.0 and _outside(az, radar_terms[16], radar_terms[17], margin):
            continue
        if look_terms[2] != 0.0 and _outside(az, look_terms[0], look_terms[1], margin):
            continue
        el = math.atan2(up, horizontal)
        if el < radar_terms[14] - margin or el > radar_terms[15] + margin:
            continue
        if (
            look_terms[5] == 0.0  # no raster test
            or math.isnan(az)
            or math.isnan(el)
            or _may_be_searched(
                az,
                el,
                look_terms[3],
                look_terms[4],
                raster_terms,
                raster_rows,
                margin,
                phase_margin,
            )
            or _may_be_in_beam(az, el, beam_az_rad, beam_el_rad, look_terms[6] + margin)
        ):
            out[kept] = k
            kept += 1
    return out[:kept]


@numba.njit(cache=True)
def track_candidates_kernel(
    state,
    epoch_s,
    slots,
    time_s,
    frame_origin,
    frame_rotation,
    radar_terms,
    look_terms,
    raster_terms,
    raster_rows,
    beam_az_rad,
    beam_el_rad,
    margins,
    unseen_s,
    rows_out,
    points_out,
    geodetic_out,
    view_out,
):  # pragma: no cover - numba
    """:func:`look_candidates_kernel` of a post's tracks, less those with a finite
    ``unseen_s`` ``(capacity,)`` (tracks no radar is expected to see), and the remaining
    candidates' positions extrapolated to ``time_s``, ECEF, m: ``Rᵀ enu + origin``, its
    three terms added in order, as ``enu_to_ecef``'s einsum adds them; their geodetic
    positions (``ecef_to_geodetic_kernel``'s) and :func:`view_verdict`.

    The ``m`` candidates are written into the first entries of ``rows_out`` ``(>= k,)
    int64`` (indices into ``slots``, ascending), ``points_out`` ``(>= k, 3) float64``,
    ``geodetic_out`` ``(3, >= k) float64`` (latitude, longitude, rad, height, m) and
    ``view_out`` ``(>= k,) int8``, so that a look with none boxes no array. Returns ``m``.
    """
    candidates = look_candidates_kernel(
        state,
        epoch_s,
        slots,
        time_s,
        frame_origin,
        frame_rotation,
        radar_terms,
        look_terms,
        raster_terms,
        raster_rows,
        beam_az_rad,
        beam_el_rad,
        margins,
    )
    m = 0
    for k in candidates:
        if not math.isfinite(unseen_s[slots[k]]):
            rows_out[m] = k
            m += 1
    enu = np.empty(3)
    for c in range(m):
        slot = slots[rows_out[c]]
        elapsed = time_s - epoch_s[slot]
        for i in range(3):
            enu[i] = state[slot, i] + state[slot, 3 + i] * elapsed
        for i in range(3):
            points_out[c, i] = (
                frame_rotation[0, i] * enu[0]
                + frame_rotation[1, i] * enu[1]
                + frame_rotation[2, i] * enu[2]
            ) + frame_origin[i]
    if m:
        lat, lon, height = ecef_to_geodetic_kernel(points_out[:m])
        for c in range(m):
            geodetic_out[0, c], geodetic_out[1, c], geodetic_out[2, c] = lat[c], lon[c], height[c]
            view_out[c] = view_verdict(
                points_out[c],
                height[c],
                radar_terms,
                look_terms,
                raster_terms,
                raster_rows,
                beam_az_rad,
                beam_el_rad,
                margins,
            )
    return m


@numba.njit(cache=True)
def live_track_candidates_kernel(
    state,
    epoch_s,
    active,
    time_s,
    frame_origin,
    frame_rotation,
    radar_terms,
    look_terms,
    raster_terms,
    raster_rows,
    beam_az_rad,
    beam_el_rad,
    margins,
    unseen_s,
    slots_out,
    points_out,
    geodetic_out,
    view_out,
):  # pragma: no cover - numba
    """:func:`track_candidates_kernel` of the live tracks, ``active`` ``(capacity,) bool``:
    the candidates' slots, ascending, written into ``slots_out`` ``(>= capacity,) int64``
    (not indices into the live slots), the rest as there. Returns their number."""
    slots = np.flatnonzero(active)
    m = track_candidates_kernel(
        state,
        epoch_s,
        slots,
        time_s,
        frame_origin,
        frame_rotation,
        radar_terms,
        look_terms,
        raster_terms,
        raster_rows,
        beam_az_rad,
        beam_el_rad,
        margins,
        unseen_s,
        slots_out,
        points_out,
        geodetic_out,
        view_out,
    )
    for c in range(m):
        slots_out[c] = slots[slots_out[c]]
    return m


OUT_OF_VIEW, IN_VIEW, NEAR_AN_EDGE = 0, 1, 2
"""The verdicts of :func:`view_verdict`."""


@numba.njit(cache=True)
def view_verdict(
    point,
    height_m,
    radar_terms,
    look_terms,
    raster_terms,
    raster_rows,
    beam_az_rad,
    beam_el_rad,
    margins,
):  # pragma: no cover - numba
    """What :meth:`~iadsim.sensors.radar.Radar.in_view` answers for ``point`` ``(3,)``
    ECEF m, at geodetic height ``height_m`` (m): :data:`IN_VIEW` where it passes each of
    its tests by more than ``margins`` (range, elevation, sector, a rotating beam's sweep
    or a raster's share of the frame or a track dwell's beam, the smooth-earth horizon; a
    look of another type, ``look_terms[7] == 0``, is never decided so), :data:`OUT_OF_VIEW`
    where it lies beyond the horizon by more, :data:`NEAR_AN_EDGE` otherwise (NaN
    included): then only the exact test decides. The terms are those of
    :func:`look_candidates_kernel`, ``radar_terms`` with the effective-earth radius (m) and
    the antenna's share of the horizon (rad) last.
    """
    margin, range_margin, near_m = margins[0], margins[1], margins[3]
    if math.isnan(height_m):
        return NEAR_AN_EDGE
    radius = radar_terms[19]  # Radar.horizon_range_m
    horizon = radius * (radar_terms[20] + math.acos(radius / (radius + max(height_m, 0.0))))
    dx = point[0] - radar_terms[0]
    dy = point[1] - radar_terms[1]
    dz = point[2] - radar_terms[2]
    east = radar_terms[3] * dx + radar_terms[4] * dy + radar_terms[5] * dz
    north = radar_terms[6] * dx + radar_terms[7] * dy + radar_terms[8] * dz
    up = radar_terms[9] * dx + radar_terms[10] * dy + radar_terms[11] * dz
    horizontal = math.hypot(east, north)
    range_m = math.hypot(horizontal, up)
    if range_m > horizon * (1.0 + range_margin):
        return OUT_OF_VIEW
    if look_terms[7] == 0.0 or not horizontal >= near_m:
        return NEAR_AN_EDGE
    if not (
        range_m <= horizon * (1.0 - range_margin)
        and range_m >= radar_terms[12] * (1.0 + range_margin)
        and range_m <= radar_terms[13] * (1.0 - range_margin)
    ):
        return NEAR_AN_EDGE
    el = math.atan2(up, horizontal)
    if not (el >= radar_terms[14] + margin and el <= radar_terms[15] - margin):
        return NEAR_AN_EDGE
    az = math.atan2(east, north) % TWO_PI
    if radar_terms[18] != 0.0 and not _inside(az, radar_terms[16], radar_terms[17], margin):
        return NEAR_AN_EDGE
    if look_terms[2] != 0.0 and not _inside(az, look_terms[0], look_terms[1], margin):
        return NEAR_AN_EDGE
    if look_terms[5] != 0.0 and not (
        _surely_searched(
            az, el, look_terms[3], look_terms[4], raster_terms, raster_rows, margin, margins[2]
        )
        or _may_be_in_beam(az, el, beam_az_rad, beam_el_rad, look_terms[6] - margin)
    ):
        return NEAR_AN_EDGE
    return IN_VIEW


@numba.njit(cache=True)
def _surely_searched(
    az, el, start, extent, raster_terms, raster_rows, margin, phase_margin
):  # pragma: no cover - numba
    """Whether the raster's phases ``[start, start + extent]`` (narrowed by
    ``phase_margin`` each side) reach direction ``az``, ``el`` (rad) wherever it lies
    within ``margin`` of it: its row and its phases there (those of
    :meth:`~iadsim.sensors.timeline.SearchRaster.phase`) are then the raster's, whatever
    the last-place differences of two computations."""
    if extent >= 1.0:  # the whole frame (RasterLook.contains)
        return True
    off = (az - raster_terms[3] + math.pi) % TWO_PI - math.pi
    if abs(off) + margin >= math.pi:  # at the back, where the offset wraps
        return False
    half = raster_terms[4]
    first = _across(min(max(off - margin, -half), half), raster_terms)
    last = _across(min(max(off + margin, -half), half), raster_terms)
    rows, low, beam = int(raster_terms[0]), raster_terms[1], raster_terms[2]
    row = min(max(math.floor((el - margin - low) / beam), 0), rows - 1)
    if row != min(max(math.floor((el + margin - low) / beam), 0), rows - 1):
        return False  # near the edge of a row
    a = min(raster_rows[row, 0] + raster_rows[row, 1] * first, LAST_PHASE)
    b = min(raster_rows[row, 0] + raster_rows[row, 1] * last, LAST_PHASE)
    into_a = (a - start - phase_margin) % 1.0  # how far into the narrowed window
    into_b = (b - start - phase_margin) % 1.0
    return into_a <= into_b and into_b <= extent - 2.0 * phase_margin


@numba.njit(cache=True, inline="always")
def _inside(az, start, extent, margin):  # pragma: no cover - numba
    """Whether azimuth ``az`` lies inside ``[start, start + extent]`` narrowed by ``margin``
    each side (rad, modulo a turn; False for NaN)."""
    return (az - start - margin) % TWO_PI <= extent - 2.0 * margin


@numba.njit(cache=True, inline="always")
def _outside(az, start, extent, margin):  # pragma: no cover - numba
    """Whether azimuth ``az`` lies outside ``[start, start + extent]`` widened by
    ``margin`` each side (rad, modulo a turn)."""
    return (az - start + margin) % TWO_PI > extent + 2.0 * margin


@numba.njit(cache=True, inline="always")
def _across(off, raster_terms):  # pragma: no cover - numba
    """Position across a row of azimuth offset ``off`` from the facing, in [0, 1] (the
    operations of :meth:`~iadsim.sensors.timeline.SearchRaster.phase`)."""
    if raster_terms[5] != 0.0:
        return (math.sin(off) / raster_terms[6] + 1.0) / 2.0
    return (off / raster_terms[4] + 1.0) / 2.0


@numba.njit(cache=True)
def _may_be_searched(
    az, el, start, extent, raster_terms, raster_rows, margin, phase_margin
):  # pragma: no cover - numba
    """Whether the raster's phases ``[start, start + extent]`` (widened by
    ``phase_margin``) may reach direction ``az``, ``el`` (rad, each widened by
    ``margin``)."""
    low_start = start - phase_margin
    width = extent + 2.0 * phase_margin
    if width >= 1.0:
        return True
    off = (az - raster_terms[3] + math.pi) % TWO_PI - math.pi
    if abs(off) + margin >= math.pi:  # at the back, where the offset wraps
        return True
    half = raster_terms[4]
    first = _across(min(max(off - margin, -half), half), raster_terms)
    last = _across(min(max(off + margin, -half), half), raster_terms)
    rows, low, beam = int(raster_terms[0]), raster_terms[1], raster_terms[2]
    row_low = min(max(math.floor((el - margin - low) / beam), 0), rows - 1)
    row_high = min(max(math.floor((el + margin - low) / beam), 0), rows - 1)
    for row in range(row_low, row_high + 1):
        a = raster_rows[row, 0] + raster_rows[row, 1] * first
        b = raster_rows[row, 0] + raster_rows[row, 1] * last
        if (a - low_start) % 1.0 <= width or (low_start - a) % 1.0 <= b - a:
            return True
    return False


@numba.njit(cache=True)
def _may_be_in_beam(az, el, beam_az, beam_el, reach):  # pragma: no cover - numba
    """Whether direction ``az``, ``el`` lies within ``reach`` (rad) of a beam axis."""
    sin_el, cos_el = math.sin(el), math.cos(el)
    for b in range(beam_az.shape[0]):
        cos_sep = sin_el * math.sin(beam_el[b]) + cos_el * math.cos(beam_el[b]) * math.cos(
            az - beam_az[b]
        )
        if math.acos(min(max(cos_sep, -1.0), 1.0)) < reach:
            return True
    return False


@numba.njit(cache=True)
def below_terrain_kernel(
    state,
    epoch_s,
    slots,
    time_s,
    origin_height_m,
    low_limit_m,
    earth_radius_m,
    origin_ecef_m,
    rotation,
    heights,
    lat0,
    lon0,
    dlat,
    dlon,
    below,
):  # pragma: no cover - numba
    """The tracks of ``slots`` ``(k,)`` below the terrain, held (``state`` ``(capacity,
    >= 6)`` in a post's ENU frame) or extrapolated at constant velocity from ``epoch_s``
    ``(capacity,)`` to ``time_s`` (never backwards), written in the order of ``slots`` into
    the first ``m`` of the caller's ``below`` ``(>= k,) int64``; returns ``m`` (an int,
    nothing to box).

    Only tracks whose spherical height (:func:`~iadsim.tracking.pruning.approximate_height_m`
    over ``origin_height_m`` and ``earth_radius_m``), held or extrapolated, is under
    ``low_limit_m`` get the geodetic test. The post's frame is ``origin_ecef_m`` ``(3,)`` m
    and ``rotation`` ``(3, 3)``; the terrain the grid ``heights`` (an empty array: none, the
    ellipsoid is the ground) with its origin and spacing (rad), the sea and voids at 0.
    """
    n = slots.shape[0]
    low = np.empty(n, dtype=np.int64)
    ends = np.empty((n, 2, 3))
    count = 0
    for k in range(n):
        slot = slots[k]
        dt = time_s - epoch_s[slot]
        if dt < 0.0:
            dt = 0.0
        for a in range(3):
            ends[k, 0, a] = state[slot, a]
            ends[k, 1, a] = state[slot, a] + state[slot, 3 + a] * dt
        lowest = np.inf
        for e in range(2):
            horizontal2 = ends[k, e, 0] * ends[k, e, 0] + ends[k, e, 1] * ends[k, e, 1]
            height = origin_height_m + ends[k, e, 2] + horizontal2 / (2.0 * earth_radius_m)
            if height != height:  # NaN, as np.minimum gives it: not low
                lowest = height
                break
            lowest = min(lowest, height)
        if lowest < low_limit_m:
            low[count] = k
            count += 1
    ecef = np.empty((2 * count, 3))
    for c in range(count):
        for e in range(2):
            for i in range(3):  # enu -> ecef: Rᵀ enu + origin
                ecef[2 * c + e, i] = (
                    rotation[0, i] * ends[low[c], e, 0]
                    + rotation[1, i] * ends[low[c], e, 1]
                    + rotation[2, i] * ends[low[c], e, 2]
                ) + origin_ecef_m[i]
    lat, lon, height = ecef_to_geodetic_kernel(ecef)
    if heights.size:
        ground = height_kernel(heights, lat0, lon0, dlat, dlon, lat, lon, 0.0)
    else:
        ground = np.zeros(2 * count)
    found = 0
    for c in range(count):
        for e in range(2):
            surface = ground[2 * c + e]
            if not surface > 0.0:  # voids (NaN) and the sea: 0, as surface_height_m
                surface = 0.0
            if height[2 * c + e] < surface:
                below[found] = slots[low[c]]
                found += 1
                break
    return found


@numba.njit(cache=True)
def geodetic_and_ground_kernel(
    state, slots, origin_ecef_m, rotation, heights, lat0, lon0, dlat, dlon
):  # pragma: no cover - numba
    """Geodetic latitude, longitude (rad) and height (m) of the positions ``state[slots,
    :3]`` (``state`` ``(capacity, >= 3)`` in a post's ENU frame, ``origin_ecef_m`` ``(3,)``
    m and ``rotation`` ``(3, 3)``), and the height of the surface under them, m: the grid
    ``heights`` (an empty array: none, the ellipsoid is the ground) with its origin and
    spacing (rad), the sea, voids and the outside of the grid at 0: the rows of one
    ``(4, n)`` array (one array to box, not four)."""
    n = slots.shape[0]
    ecef = np.empty((n, 3))
    for k in range(n):
        slot = slots[k]
        for i in range(3):  # enu -> ecef: Rᵀ enu + origin
            ecef[k, i] = (
                rotation[0, i] * state[slot, 0]
                + rotation[1, i] * state[slot, 1]
                + rotation[2, i] * state[slot, 2]
            ) + origin_ecef_m[i]
    lat, lon, height = ecef_to_geodetic_kernel(ecef)
    out = np.zeros((4, n))
    out[0], out[1], out[2] = lat, lon, height
    if heights.size:
        ground = height_kernel(heights, lat0, lon0, dlat, dlon, lat, lon, 0.0)
        for k in range(n):
            if ground[k] > 0.0:  # voids (NaN) and the sea stay 0, as in surface_height_m
                out[3, k] = ground[k]
    return out
