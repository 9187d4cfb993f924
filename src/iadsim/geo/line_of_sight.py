"""Terrain masking of radar lines of sight in the effective-earth (k-factor) model.

Standard-atmosphere refraction bends radar rays downwards with about a quarter of the
earth's curvature; replacing the earth radius ``R`` by ``k R`` (``k = 4/3``) makes the rays
straight (Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001, section 8.2; Doerry,
*Earth Curvature and Atmospheric Refraction Effects on Radar Signal Propagation*, Sandia
SAND2012-10690, 2013). A ground distance ``s`` along the great circle is laid out as the
arc ``s`` on the effective sphere of radius ``R_e = k R``, i.e. at central angle
``phi_e = s / R_e``.

Between a radar at height ``h1`` and a target at ``h2`` (above the sphere, i.e. above mean
sea level), ground distance ``d`` apart (``theta_e = d / R_e``), the straight ray is the
line between the polar points ``(R_e + h1, 0)`` and ``(R_e + h2, theta_e)``; its radius at
angle ``phi_e`` is (polar equation of a straight line)

    r(phi_e) = r1 r2 sin(theta_e) / (r2 sin(theta_e - phi_e) + r1 sin(phi_e)),

with ``r1 = R_e + h1``, ``r2 = R_e + h2``. The ray clears the terrain when
``r(phi_e) - R_e > h_terrain(s)`` at every sample; to second order this is the familiar
``h1 + (h2 - h1) s/d - s (d - s) / (2 k R)`` (the earth-bulge term ``d1 d2 / (2 k R)``).

``R`` defaults to the WGS-84 semi-major axis ``a``; :func:`local_earth_radius_m` gives the
Gaussian mean radius of curvature at a latitude for users who prefer it (the two differ by
< 0.1 % at 40 N, far less than the uncertainty of ``k`` itself). Geodetic latitudes are
used as spherical ones for the great-circle path: against the WGS-84 geodesic (pyproj) the
path lies within about 40 m and its length within 0.3 % over 450 km near 40 N.

The hot loop is a Numba kernel (:func:`iadsim.geo._los_kernels.clearance_kernel`) with a
plain NumPy twin here (:func:`_clearance_reference`) that the tests compare it with.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo._los_kernels import clearance_kernel, clearance_kernel_serial
from iadsim.geo.frames import WGS84_A_M, WGS84_E2
from iadsim.geo.terrain import ElevationGrid

__all__ = [
    "DEFAULT_K_FACTOR",
    "local_earth_radius_m",
    "radar_horizon_range_m",
    "site_targets_clear",
    "terrain_clear",
    "terrain_clearance_m",
]

DEFAULT_K_FACTOR = 4.0 / 3.0
"""Effective-earth factor of the standard atmosphere (Skolnik 2001, section 8.2)."""


def local_earth_radius_m(lat_rad: ArrayLike) -> NDArray[np.float64]:
    """Gaussian mean radius of curvature of the WGS-84 ellipsoid, ``sqrt(M N)``.

    ``M = a (1 - e^2) / W^3``, ``N = a / W``, ``W = sqrt(1 - e^2 sin^2 lat)``
    (e.g. Torge & Mueller, *Geodesy*, 4th ed., eqs. 4.20-4.22), so
    ``sqrt(M N) = a sqrt(1 - e^2) / W^2``.

    Parameters
    ----------
    lat_rad : array_like
        Geodetic latitude, radians.

    Returns
    -------
    ndarray
        Radius, metres (6 375.6 km at 40 deg).
    """
    sin_lat = np.sin(np.asarray(lat_rad, dtype=np.float64))
    return WGS84_A_M * np.sqrt(1.0 - WGS84_E2) / (1.0 - WGS84_E2 * sin_lat**2)


def radar_horizon_range_m(
    antenna_alt_m: ArrayLike,
    target_alt_m: ArrayLike = 0.0,
    k_factor: float = DEFAULT_K_FACTOR,
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.float64]:
    """Smooth-earth radio horizon: greatest ground range at which a target can be seen.

    Each height sees the tangent point at ground range ``R_e acos(R_e / (R_e + h))``, which
    is ``sqrt(2 k R h)`` to first order in ``h / R_e``; the radar-to-target range is the sum
    (Skolnik 2001, eq. 8.1; with ``k = 4/3``, ``d_km ~ 4.12 (sqrt(h1_m) + sqrt(h2_m))``).

    Parameters
    ----------
    antenna_alt_m, target_alt_m : array_like, broadcastable
        Heights above the (sea-level) surface, metres, >= 0.
    k_factor : float
        Effective-earth factor.
    earth_radius_m : float
        True earth radius ``R``, metres.

    Returns
    -------
    ndarray
        Ground range, metres.
    """
    radius_m = k_factor * earth_radius_m
    h1 = np.maximum(np.asarray(antenna_alt_m, dtype=np.float64), 0.0)
    h2 = np.maximum(np.asarray(target_alt_m, dtype=np.float64), 0.0)
    return radius_m * (
        np.arccos(radius_m / (radius_m + h1)) + np.arccos(radius_m / (radius_m + h2))
    )


def sample_spacing_rad(grid: ElevationGrid) -> float:
    """First-pass spacing of the terrain samples along a path: one grid cell (its shorter
    side, the longitude step at the grid's highest latitude), as a great-circle angle
    (:attr:`~iadsim.geo.terrain.ElevationGrid.cell_angle_rad`, computed once per grid)."""
    return grid.cell_angle_rad


PARALLEL_MIN_PAIRS = 20_000
"""Batches smaller than this run single-threaded (measured: 40 pairs took 8 ms on 2 threads
of a loaded 2-core machine, 0.17 ms on one)."""


def _pair_columns(coordinates: tuple[ArrayLike, ...]) -> tuple[NDArray[np.float64], tuple]:
    """The six coordinates of radar-target pairs (radar lat, lon, alt, target lat, lon, alt)
    broadcast to one shape and stacked as the rows of a ``(6, n_pairs)`` array, with that
    shape: the input of the compiled terrain kernels."""
    lat1, lon1, alt1, lat2, lon2, alt2 = coordinates
    if (  # one radar (floats) and its targets (equal float64 vectors): a look's call
        type(lat2) is np.ndarray
        and type(lon2) is np.ndarray
        and type(alt2) is np.ndarray
        and lat2.ndim == 1
        and lat2.shape == lon2.shape == alt2.shape
        and lat2.dtype == lon2.dtype == alt2.dtype == np.float64
        and isinstance(lat1, float)
        and isinstance(lon1, float)
        and isinstance(alt1, float)
    ):
        pairs = np.empty((6, lat2.shape[0]))  # the same values as the general copy below
        pairs[0], pairs[1], pairs[2] = lat1, lon1, alt1
        pairs[3], pairs[4], pairs[5] = lat2, lon2, alt2
        return pairs, lat2.shape
    arrays = [np.asarray(a, dtype=np.float64) for a in coordinates]
    shapes = {a.shape for a in arrays}
    # The usual call (scalars for a radar, equal 1-D arrays for its targets) needs no
    # general broadcast; the copy below is the same either way.
    shape = _common_shape(shapes) if len(shapes) > 1 else next(iter(shapes))
    pairs = np.empty((6, *shape))
    for k, values in enumerate(arrays):
        pairs[k, ...] = values  # broadcasting copy, as broadcast_arrays and stack would give
    return pairs.reshape(6, -1), shape


def _common_shape(shapes: set[tuple]) -> tuple:
    """Broadcast shape of the given shapes (a scalar's ``()`` and one other shape need no
    NumPy call)."""
    if len(shapes) == 2 and () in shapes:
        return max(shapes, key=len)
    return np.broadcast_shapes(*shapes)


def _run_kernel(
    radar: tuple[ArrayLike, ArrayLike, ArrayLike],
    target: tuple[ArrayLike, ArrayLike, ArrayLike],
    grid: ElevationGrid,
    k_factor: float,
    n_samples: int | None,
    earth_radius_m: float,
    stop: bool,
) -> NDArray[np.float64]:
    """Check the arguments, broadcast the (lat, lon, alt) of radars and targets, run the kernel.

    The result has the broadcast shape of the six coordinate arrays.
    """
    if n_samples is not None and n_samples < 1:
        msg = f"n_samples must be >= 1, got {n_samples}"
        raise ValueError(msg)
    if not k_factor > 0.0:
        msg = f"k_factor must be positive, got {k_factor}"
        raise ValueError(msg)
    pairs, shape = _pair_columns((*radar, *target))
    out = _clearance_of_pairs(pairs, grid, k_factor, n_samples, earth_radius_m, stop)
    return np.asarray(out).reshape(shape)


def _clearance_of_pairs(
    pairs: NDArray[np.float64],
    grid: ElevationGrid,
    k_factor: float,
    n_samples: int | None,
    earth_radius_m: float,
    stop: bool,
) -> NDArray[np.float64]:
    """The clearance kernel on ``pairs`` ``(6, n)`` (:func:`_pair_columns`), ``(n,)`` m."""
    arguments = (
        pairs,
        # C-contiguous (ElevationGrid); int16 or float: the kernel specialises
        (grid.heights_m, grid.cell_tops_m, grid.sample_blocks_m),
        grid.kernel_geometry,
        float(k_factor),
        float(earth_radius_m),
        0 if n_samples is None else int(n_samples),
        sample_spacing_rad(grid) if n_samples is None else 0.0,
        stop,
    )
    # Waking Numba's thread pool costs milliseconds on a busy machine: small batches (one
    # radar look in a simulation step) run through the serial build of the same kernel.
    if pairs.shape[1] < PARALLEL_MIN_PAIRS:
        return clearance_kernel_serial(*arguments)
    return clearance_kernel(*arguments)


def site_targets_clear(
    site: tuple[float, float, float],
    lat_rad: NDArray[np.float64],
    lon_rad: NDArray[np.float64],
    alt_m: NDArray[np.float64],
    grid: ElevationGrid,
    k_factor: float,
) -> NDArray[np.bool_]:
    """:func:`terrain_clear` of one site (latitude, longitude, rad, height, m) and its
    targets ``(n,)`` float64 each, with the default sampling and a positive ``k_factor``,
    without the argument checks and broadcasts (a radar look's call, every step).

    Returns
    -------
    (n,) bool
    """
    pairs = np.empty((6, lat_rad.shape[0]))  # site lat, lon, alt, target lat, lon, alt
    pairs[0], pairs[1], pairs[2] = site
    pairs[3], pairs[4], pairs[5] = lat_rad, lon_rad, alt_m
    return _clearance_of_pairs(pairs, grid, k_factor, None, WGS84_A_M, True) > 0.0


def terrain_clearance_m(
    radar_lat_rad: ArrayLike,
    radar_lon_rad: ArrayLike,
    radar_alt_m: ArrayLike,
    target_lat_rad: ArrayLike,
    target_lon_rad: ArrayLike,
    target_alt_m: ArrayLike,
    grid: ElevationGrid,
    k_factor: float = DEFAULT_K_FACTOR,
    n_samples: int | None = None,
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.float64]:
    """Least height of the radar-target ray above the terrain, over the path samples.

    Same inputs as :func:`terrain_clear`. Positive: the ray clears by that many metres;
    negative: it passes that far below the highest obstruction; ``inf`` when radar and
    target share a horizontal position.
    """
    radar = (radar_lat_rad, radar_lon_rad, radar_alt_m)
    target = (target_lat_rad, target_lon_rad, target_alt_m)
    return _run_kernel(radar, target, grid, k_factor, n_samples, earth_radius_m, stop=False)


def terrain_clear(
    radar_lat_rad: ArrayLike,
    radar_lon_rad: ArrayLike,
    radar_alt_m: ArrayLike,
    target_lat_rad: ArrayLike,
    target_lon_rad: ArrayLike,
    target_alt_m: ArrayLike,
    grid: ElevationGrid,
    k_factor: float = DEFAULT_K_FACTOR,
    n_samples: int | None = None,
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.bool_]:
    """Whether the straight effective-earth ray from each radar to each target clears terrain.

    By default the terrain is sampled once per grid cell along the great circle strictly
    between radar and target (:func:`sample_spacing_rad`), and every piece of the path
    where the ray may pass within 200 m of the highest grid sample of the cells under it
    again every 20 m (:func:`iadsim.geo._los_kernels.clearance_kernel`), so the least
    clearance is within a few metres wherever it matters. The ray height at a sample is
    the exact straight-line radius in the effective-earth plane (module notes). Terrain
    outside the grid and voids count as sea level (0 m), so off-grid paths reduce to the
    smooth-earth horizon.

    Parameters
    ----------
    radar_lat_rad, radar_lon_rad : array_like, broadcastable
        Antenna position, radians.
    radar_alt_m : array_like, broadcastable
        Antenna height above mean sea level (terrain height + mast), metres.
    target_lat_rad, target_lon_rad, target_alt_m : array_like, broadcastable
        Target position (radians) and height above mean sea level (metres).
    grid : ElevationGrid
        Terrain heights above mean sea level.
    k_factor : float
        Effective-earth factor (4/3 standard atmosphere; larger under ducting-prone
        conditions, smaller under sub-refraction).
    n_samples : int, optional
        Sample every path at this many equally spaced points only (fractions
        ``i / (n_samples + 1)``), without the fine second pass: the model before issue 13,
        whose least clearance could be 100 m and more too high over steep terrain.
    earth_radius_m : float
        True earth radius ``R``; the effective radius is ``k_factor * earth_radius_m``.

    Returns
    -------
    ndarray of bool, broadcast shape
        True where the line of sight is clear.
    """
    radar = (radar_lat_rad, radar_lon_rad, radar_alt_m)
    target = (target_lat_rad, target_lon_rad, target_alt_m)
    return _run_kernel(radar, target, grid, k_factor, n_samples, earth_radius_m, stop=True) > 0.0


def _clearance_reference(
    radar_lat_rad: NDArray[np.float64],
    radar_lon_rad: NDArray[np.float64],
    radar_alt_m: NDArray[np.float64],
    target_lat_rad: NDArray[np.float64],
    target_lon_rad: NDArray[np.float64],
    target_alt_m: NDArray[np.float64],
    grid: ElevationGrid,
    k_factor: float = DEFAULT_K_FACTOR,
    n_samples: int = 64,
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.float64]:
    """Plain NumPy twin of :func:`terrain_clearance_m` for 1-D inputs (slerp, direct trig)."""
    a = _unit_vectors(radar_lat_rad, radar_lon_rad)
    b = _unit_vectors(target_lat_rad, target_lon_rad)
    theta = np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.sum(a * b, axis=-1))
    fraction = np.arange(1, n_samples + 1) / (n_samples + 1)
    phi = theta[:, None] * fraction[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        lat, lon = _great_circle_points(
            radar_lat_rad, radar_lon_rad, target_lat_rad, target_lon_rad, fraction
        )
        ground = np.nan_to_num(grid.height_m(lat, lon, fill_m=0.0), nan=0.0)
        radius_e = k_factor * earth_radius_m
        r1 = (radius_e + radar_alt_m)[:, None]
        r2 = (radius_e + target_alt_m)[:, None]
        theta_e, phi_e = theta[:, None] / k_factor, phi / k_factor
        ray = r1 * r2 * np.sin(theta_e) / (r2 * np.sin(theta_e - phi_e) + r1 * np.sin(phi_e))
        least = np.min(ray - radius_e - ground, axis=1)
    return np.where(theta < 1e-12, np.inf, least)


def _great_circle_points(
    lat1_rad: NDArray[np.float64],
    lon1_rad: NDArray[np.float64],
    lat2_rad: NDArray[np.float64],
    lon2_rad: NDArray[np.float64],
    fraction: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points at fractions of the great circle between pairs (spherical slerp).

    ``p(f) = [sin((1 - f) theta) a + sin(f theta) b] / sin(theta)`` for unit vectors
    ``a, b`` at central angle ``theta`` (Shoemake, SIGGRAPH 1985).

    Returns
    -------
    lat_rad, lon_rad : (n_pairs, n_fractions) float64
    """
    a = _unit_vectors(lat1_rad, lon1_rad)
    b = _unit_vectors(lat2_rad, lon2_rad)
    theta = np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.sum(a * b, axis=-1))
    phi = theta[:, None] * np.asarray(fraction)[None, :]
    sin_theta = np.sin(theta)[:, None, None]
    points = (
        np.sin(theta[:, None] - phi)[..., None] * a[:, None, :]
        + np.sin(phi)[..., None] * b[:, None, :]
    ) / sin_theta
    lat = np.arcsin(np.clip(points[..., 2], -1.0, 1.0))
    lon = np.arctan2(points[..., 1], points[..., 0])
    return lat, lon


def _unit_vectors(
    lat_rad: NDArray[np.float64], lon_rad: NDArray[np.float64]
) -> NDArray[np.float64]:
    cos_lat = np.cos(lat_rad)
    return np.stack(
        [cos_lat * np.cos(lon_rad), cos_lat * np.sin(lon_rad), np.sin(lat_rad)], axis=-1
    )
