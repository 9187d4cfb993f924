"""Numba kernels of target aspect, signature lookup and search rasters, bit-equal to NumPy.

The coverage test's kernels are in :mod:`iadsim.sensors._view_kernels` (they use
:func:`_remainder` and :func:`_contains` of this module).

* :func:`geocentric_angle_kernel` and :func:`aspect_components_kernel` - the target body
  frame and the radar's line of sight in it; twin
  :func:`iadsim.sensors.aspect.aspect_angles_reference`.
* :func:`rcs_db_kernel` - interpolation of a signature table on uniform aspect grids; twin
  :meth:`iadsim.sensors.signature.SignatureTable.rcs_db_reference`.
* :func:`line_of_sight_speed_kernel` - each target's velocity relative to a radar along
  the line of sight; twins :func:`iadsim.sensors.doppler_notch.ground_radial_velocity_mps`
  and :meth:`iadsim.sensors.radar.Radar.range_rate_reference`.
* :func:`fresnel_parameter_kernel` - the Fresnel-Kirchhoff parameter of each path's
  obstacle; twin :func:`iadsim.sensors.diffraction.fresnel_kirchhoff_parameter`.
* :func:`raster_offset_kernel`, then :func:`raster_phase_kernel` or
  :func:`raster_window_kernel` - the frame phase of directions in a search raster, around
  NumPy's sine, and whether it lies in a look's window; twin
  :meth:`iadsim.sensors.timeline.SearchRaster.phase_reference`.

Each radar looks at a few dozen targets or tracks every step, where the per-call cost of
some forty to sixty small NumPy operations dominated the arithmetic. The kernels hold only
additions, products, square roots, and the C library's ``hypot`` and ``fmod`` (which NumPy
calls too), in NumPy's order (``np.einsum``'s included), so they agree with their twins to
the bit (the tests compare them); arctangents, sines and powers stay in NumPy, whose SIMD
versions the compiled code would not match.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from iadsim.geo.ellipsoid import WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_EP2
from iadsim.sensors.scan_pattern import _ANGLE_TOLERANCE_RAD, TWO_PI

__all__ = [
    "aspect_components_kernel",
    "fresnel_parameter_kernel",
    "geocentric_angle_kernel",
    "line_of_sight_speed",
    "line_of_sight_speed_kernel",
    "raster_offset_kernel",
    "raster_phase_kernel",
    "raster_window_kernel",
    "rcs_db_kernel",
]


@numba.njit(cache=True, inline="always")
def _remainder(a, b):  # pragma: no cover - numba
    """``np.mod(a, b)`` of floats (NumPy's ``npy_divmod``): the sign of ``b``."""
    mod = np.fmod(a, b)
    if mod != 0.0:
        if (b < 0.0) != (mod < 0.0):
            mod += b
    else:
        mod = math.copysign(0.0, b)
    return mod


@numba.njit(cache=True, inline="always")
def _contains(start, extent, az):  # pragma: no cover - numba
    """``AzimuthInterval(start, extent).contains(az)`` of one azimuth (both ends included)."""
    offset = _remainder(az - start + _ANGLE_TOLERANCE_RAD, TWO_PI)
    return offset <= extent + 2.0 * _ANGLE_TOLERANCE_RAD


@numba.njit(cache=True)
def geocentric_angle_kernel(pos_ecef_m):  # pragma: no cover - numba
    """Sine and cosine of Bowring's parametric latitude ``theta = atan2(a z, b p)``, ``(2, n)``,
    from its normalised arguments (the first lines of the body-frame construction of
    :func:`iadsim.sensors.aspect.aspect_angles_reference`)."""
    n = pos_ecef_m.shape[0]
    out = np.empty((2, n))
    for i in range(n):
        p = math.hypot(pos_ecef_m[i, 0], pos_ecef_m[i, 1])
        scaled_z = WGS84_A_M * pos_ecef_m[i, 2]
        scaled_p = WGS84_B_M * p
        norm = math.hypot(scaled_z, scaled_p)
        out[0, i] = scaled_z / norm
        out[1, i] = scaled_p / norm
    return out


@numba.njit(cache=True, inline="always")
def _unit_or(vx, vy, vz, min_norm, fx, fy, fz):  # pragma: no cover - numba
    """``(vx, vy, vz)`` normalised, or the fallback when its norm is ``min_norm`` or less."""
    norm = math.sqrt(vx * vx + vy * vy + vz * vz)
    if norm > min_norm:
        inverse = 1.0 / norm
        return vx * inverse, vy * inverse, vz * inverse
    return fx, fy, fz


@numba.njit(cache=True)
def aspect_components_kernel(  # pragma: no cover - numba
    target_pos_ecef_m, target_vel_ecef_mps, radar_pos_ecef_m, cubes, min_speed, min_sine
):
    """Line of sight to the radar in each target's body frame, ``(4, n)``: forward,
    starboard, upward and ``hypot(forward, starboard)``, m.

    Parameters
    ----------
    target_pos_ecef_m, target_vel_ecef_mps, radar_pos_ecef_m : (n, 3) float64
    cubes : (2, n) float64
        ``geocentric_angle_kernel(target_pos_ecef_m) ** 3``, computed by NumPy.
    min_speed, min_sine : float
        Below these the velocity gives no heading and the nose counts as vertical.
    """
    ep2_b = WGS84_EP2 * WGS84_B_M
    e2_a = WGS84_E2 * WGS84_A_M
    n = target_pos_ecef_m.shape[0]
    out = np.empty((4, n))
    for i in range(n):
        x, y, z = target_pos_ecef_m[i, 0], target_pos_ecef_m[i, 1], target_pos_ecef_m[i, 2]
        p = math.hypot(x, y)
        lat_num = z + ep2_b * cubes[0, i]
        lat_den = p - e2_a * cubes[1, i]
        lat_norm = math.hypot(lat_num, lat_den)
        sin_lat, cos_lat = lat_num / lat_norm, lat_den / lat_norm
        if p == 0.0:  # at a pole the longitude is arbitrary: take 0
            cos_lon, sin_lon = 1.0, 0.0
        else:
            cos_lon, sin_lon = x / p, y / p
        ux, uy, uz = cos_lat * cos_lon, cos_lat * sin_lon, sin_lat
        nx, ny, nz = _unit_or(
            target_vel_ecef_mps[i, 0],
            target_vel_ecef_mps[i, 1],
            target_vel_ecef_mps[i, 2],
            min_speed,
            -sin_lat * cos_lon,
            -sin_lat * sin_lon,
            cos_lat,
        )
        rx, ry, rz = _unit_or(
            ny * uz - nz * uy,
            nz * ux - nx * uz,
            nx * uy - ny * ux,
            min_sine,
            -sin_lon,
            cos_lon,
            0.0,
        )
        bx, by, bz = ny * rz - nz * ry, nz * rx - nx * rz, nx * ry - ny * rx
        lx = radar_pos_ecef_m[i, 0] - x
        ly = radar_pos_ecef_m[i, 1] - y
        lz = radar_pos_ecef_m[i, 2] - z
        forward = lx * nx + ly * ny + lz * nz
        starboard = lx * rx + ly * ry + lz * rz
        out[0, i] = forward
        out[1, i] = starboard
        out[2, i] = -(lx * bx + ly * by + lz * bz)
        out[3, i] = math.hypot(forward, starboard)
    return out


@numba.njit(cache=True, inline="always")
def _uniform_bracket(x, first, last, inverse_step, max_lower):  # pragma: no cover - numba
    """Lower node and fraction of ``x`` on a uniform grid, clamped to its ends (the steps of
    ``iadsim.sensors.signature._Grid.bracket``; NaN keeps node 0 and a NaN fraction)."""
    if x < first:
        x = first
    elif x > last:
        x = last
    position = (x - first) * inverse_step
    lower = 0
    if position == position:
        lower = min(max(int(position), 0), max_lower)
    return lower, position - lower


@numba.njit(cache=True, inline="always")
def _bilinear_at(flat, corner, n_az, t_az, t_el):  # pragma: no cover - numba
    """Bilinear interpolation over (el, az) from the lower corner ``corner`` of ``flat``."""
    v00, v01 = flat[corner], flat[corner + 1]
    v10, v11 = flat[corner + n_az], flat[corner + n_az + 1]
    low_el = v00 + t_az * (v01 - v00)
    high_el = v10 + t_az * (v11 - v10)
    return low_el + t_el * (high_el - low_el)


@numba.njit(cache=True)
def rcs_db_kernel(  # pragma: no cover - numba
    types, az_rad, el_rad, band, band_fraction, table_db, az_grid, el_grid
):
    """Trilinear interpolation of a signature table in dB, ``(n,)``.

    Parameters
    ----------
    types : (n,) intp
        Row of each pair in ``table_db``.
    az_rad, el_rad : (n,) float64
        Aspect, azimuth folded to ``[0, pi]``.
    band, band_fraction : (n,) intp, (n,) float64
        Lower band and log-frequency fraction of each pair.
    table_db : (n_types, n_bands, n_el, n_az) float64
    az_grid, el_grid : (4,) float64
        First node, last node, inverse step and largest lower node of each uniform grid.
    """
    n_bands, n_el, n_az = table_db.shape[1], table_db.shape[2], table_db.shape[3]
    flat = table_db.ravel()
    out = np.empty(types.shape[0])
    for i in range(types.shape[0]):
        a, t_az = _uniform_bracket(az_rad[i], az_grid[0], az_grid[1], az_grid[2], int(az_grid[3]))
        e, t_el = _uniform_bracket(el_rad[i], el_grid[0], el_grid[1], el_grid[2], int(el_grid[3]))
        base = ((types[i] * n_bands + band[i]) * n_el + e) * n_az + a
        low_band = _bilinear_at(flat, base, n_az, t_az, t_el)
        high_band = _bilinear_at(flat, base + n_el * n_az, n_az, t_az, t_el)
        out[i] = low_band + band_fraction[i] * (high_band - low_band)
    return out


@numba.njit(cache=True)
def raster_offset_kernel(az_rad, facing_rad, half_sector_rad):  # pragma: no cover - numba
    """Azimuth off a search raster's boresight, in ``[-pi, pi)`` and clamped to the half
    sector (NaN kept), ``(n,)`` rad: the first step of
    :meth:`iadsim.sensors.timeline.SearchRaster.phase`."""
    n = az_rad.shape[0]
    off = np.empty(n)
    for i in range(n):
        o = _remainder(az_rad[i] - facing_rad + math.pi, TWO_PI) - math.pi
        if o < -half_sector_rad:
            o = -half_sector_rad
        elif o > half_sector_rad:
            o = half_sector_rad
        off[i] = o
    return off


@numba.njit(cache=True, inline="always")
def _raster_phase(across, divisor, el, grid, row_start, row_share):  # pragma: no cover - numba
    """Frame phase of one direction from its elevation and its position across the sector
    (arguments of :func:`raster_phase_kernel`, ``across`` and ``el`` of that direction)."""
    row = int((el - grid[0]) // grid[1])  # Python's and NumPy's floor division
    row = min(max(row, 0), int(grid[2]) - 1)
    phase = row_start[row] + row_share[row] * ((across / divisor + 1.0) / 2.0)
    if phase > grid[3]:  # np.minimum: NaN stays NaN
        phase = grid[3]
    return phase


@numba.njit(cache=True)
def raster_phase_kernel(  # pragma: no cover - numba
    across_rad, divisor, el_rad, grid, row_start, row_share
):
    """Frame phase of each direction in a search raster, ``(n,)`` in ``[0, 1)``.

    Parameters
    ----------
    across_rad : (n,) float64
        The sine of the azimuth off the boresight (beam positions even in sine space) or
        that azimuth itself (:func:`raster_offset_kernel`), rad.
    divisor : float
        Its value at the sector's edge.
    el_rad : (n,) float64
    grid : (4,) float64
        Lowest row's elevation (rad), row spacing (rad), number of rows, and the largest
        phase below 1.
    row_start, row_share : (m,) float64
        Phase at which each row starts and its share of the frame.
    """
    n = across_rad.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = _raster_phase(across_rad[i], divisor, el_rad[i], grid, row_start, row_share)
    return out


@numba.njit(cache=True)
def raster_window_kernel(  # pragma: no cover - numba
    across_rad, divisor, el_rad, grid, row_start, row_share, start_rad, extent_rad
):
    """Whether the phase of each direction (:func:`raster_phase_kernel`, same arguments),
    times ``2 pi``, lies in the window from ``start_rad`` through ``extent_rad`` (less
    than a full circle), ``(n,) bool``: the test of
    :meth:`iadsim.sensors.scan_pattern.AzimuthInterval.contains`."""
    n = across_rad.shape[0]
    out = np.empty(n, dtype=np.bool_)
    for i in range(n):
        phase = _raster_phase(across_rad[i], divisor, el_rad[i], grid, row_start, row_share)
        out[i] = _contains(start_rad, extent_rad, TWO_PI * phase)
    return out


@numba.njit(cache=True)
def fresnel_parameter_kernel(height_m, d1_m, d2_m, wavelength_m):  # pragma: no cover - numba
    """``v = h sqrt((2 / lambda) (1 / d1 + 1 / d2))`` of each obstacle, ``(n,)``: the
    operations of :func:`iadsim.sensors.diffraction.fresnel_kirchhoff_parameter` for one
    wavelength (m) and ``(n,)`` heights and distances (m), without NumPy's warnings."""
    n = height_m.shape[0]
    out = np.empty(n)
    scale = 2.0 / wavelength_m
    for i in range(n):
        out[i] = height_m[i] * np.sqrt(scale * (1.0 / d1_m[i] + 1.0 / d2_m[i]))
    return out


@numba.njit(cache=True)
def line_of_sight_speed_kernel(  # pragma: no cover - numba
    radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps, radar_vel_ecef_mps
):
    """``u . (v - v_radar)`` of each target, ``u`` its unit line of sight from the radar
    (the distance floored at 1 m), ``(n,)`` m/s, positive when opening.

    The operations of ``np.einsum("ni,ni->n", line, v - v_radar) / max(norm(line), 1)``:
    ``vector_norm`` adds the squares as ``(x + y) + z`` and that einsum the products as
    ``(x + z) + y`` (checked against NumPy by the tests).

    Parameters
    ----------
    radar_pos_ecef_m, radar_vel_ecef_mps : (3,) float64
    target_pos_ecef_m, target_vel_ecef_mps : (n, 3) float64
    """
    n = target_pos_ecef_m.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = line_of_sight_speed(
            radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps, radar_vel_ecef_mps, i
        )
    return out


@numba.njit(cache=True, inline="always")
def line_of_sight_speed(  # pragma: no cover - numba
    radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps, radar_vel_ecef_mps, i
):
    """:func:`line_of_sight_speed_kernel` of target ``i`` alone, m/s."""
    lx = target_pos_ecef_m[i, 0] - radar_pos_ecef_m[0]
    ly = target_pos_ecef_m[i, 1] - radar_pos_ecef_m[1]
    lz = target_pos_ecef_m[i, 2] - radar_pos_ecef_m[2]
    vx = target_vel_ecef_mps[i, 0] - radar_vel_ecef_mps[0]
    vy = target_vel_ecef_mps[i, 1] - radar_vel_ecef_mps[1]
    vz = target_vel_ecef_mps[i, 2] - radar_vel_ecef_mps[2]
    distance = np.sqrt((lx * lx + ly * ly) + lz * lz)
    if not distance >= 1.0:  # np.maximum(distance, 1.0); NaN stays NaN
        distance = 1.0 if distance == distance else distance
    return ((lx * vx + lz * vz) + ly * vy) / distance
