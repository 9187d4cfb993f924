"""The dominant terrain obstacle of radar paths: the knife edge that diffraction prices.

For each radar-target path, :func:`dominant_obstacle` finds the terrain point with the
greatest height above the straight ray in the effective-earth (k-factor) model of
:mod:`iadsim.geo.line_of_sight`, with its distances from both ends (the geometry of the
Fresnel-Kirchhoff parameter, ITU-R P.526-15; :mod:`iadsim.sensors.diffraction`). The hot loop
is a Numba kernel (:func:`iadsim.geo._obstacle_kernel.obstacle_kernel`) with a plain NumPy twin
here (:func:`_dominant_obstacle_reference`) that the tests compare it with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo._obstacle_kernel import obstacle_kernel, obstacle_kernel_serial
from iadsim.geo.frames import WGS84_A_M
from iadsim.geo.line_of_sight import (
    DEFAULT_K_FACTOR,
    PARALLEL_MIN_PAIRS,
    _great_circle_points,
    _pair_columns,
    _unit_vectors,
    sample_spacing_rad,
)
from iadsim.geo.terrain import ElevationGrid

__all__ = ["KNIFE_EDGE_NO_LOSS_V", "DominantObstacle", "dominant_obstacle", "obstacle_columns"]

KNIFE_EDGE_NO_LOSS_V = -0.78
"""Fresnel-Kirchhoff parameter at or below which a knife edge costs nothing (ITU-R
P.526-15, eq. 31)."""


@dataclass(frozen=True)
class DominantObstacle:
    """The terrain sample that dominates diffraction on each path (single knife edge).

    Attributes
    ----------
    height_m : ndarray of float64
        Height of the obstacle above the straight effective-earth ray, m: positive when it
        blocks the ray, negative when the ray clears it by that much; ``-inf`` where radar
        and target share a horizontal position.
    d1_m, d2_m : ndarray of float64
        Ground distances of the obstacle from the radar and from the target, m (> 0).
    """

    height_m: NDArray[np.float64]
    d1_m: NDArray[np.float64]
    d2_m: NDArray[np.float64]


def dominant_obstacle(
    radar_lat_rad: ArrayLike,
    radar_lon_rad: ArrayLike,
    radar_alt_m: ArrayLike,
    target_lat_rad: ArrayLike,
    target_lon_rad: ArrayLike,
    target_alt_m: ArrayLike,
    grid: ElevationGrid,
    k_factor: float = DEFAULT_K_FACTOR,
    earth_radius_m: float = WGS84_A_M,
    wavelength_m: ArrayLike | None = None,
) -> DominantObstacle:
    """The dominant obstacle of each radar-target path, for knife-edge diffraction.

    Over the terrain samples of the path (one per grid cell, then every 20 m on every
    piece that may hold a better one: :func:`~iadsim.geo._obstacle_kernel.obstacle_kernel`),
    the sample with the largest ``h sqrt((d1 + d2) / (d1 d2))``: the largest
    Fresnel-Kirchhoff parameter ``v = h sqrt(2 (d1 + d2) / (lambda d1 d2))`` (ITU-R
    P.526-15, eq. 26) at any wavelength. ``h`` is the terrain height above the straight
    ray in the effective-earth plane, so the earth bulge is part of it (ITU-R P.526-15,
    sec. 4.5, with the effective-earth profile). Same inputs as :func:`terrain_clear`;
    terrain outside the grid and voids count as sea level.

    With ``wavelength_m`` (m, broadcastable to the pairs) the search skips what cannot
    matter to a knife-edge loss at that wavelength: where every obstacle of a path has
    ``v <= -0.78`` (ITU-R P.526-15, eq. 31: no loss), the obstacle returned may be a
    coarser one, also with ``v <= -0.78``. Without it the search is exact to the 20 m
    fine sampling.

    Returns
    -------
    DominantObstacle
        Arrays of the broadcast shape of the inputs.
    """
    pairs, shape = _pair_columns(
        (radar_lat_rad, radar_lon_rad, radar_alt_m, target_lat_rad, target_lon_rad, target_alt_m)
    )
    wavelengths = np.broadcast_to(
        np.inf if wavelength_m is None else np.asarray(wavelength_m, np.float64), shape
    ).ravel()
    out = obstacle_columns(
        pairs, grid, k_factor, np.ascontiguousarray(wavelengths), earth_radius_m
    ).reshape(3, *shape)
    return DominantObstacle(out[0], out[1], out[2])


def obstacle_columns(
    pairs: NDArray[np.float64],
    grid: ElevationGrid,
    k_factor: float,
    wavelength_m: NDArray[np.float64],
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.float64]:
    """:func:`dominant_obstacle` of pairs already stacked for the kernel, ``(3, n_pairs)``:
    height above the ray, ``d1`` and ``d2`` (m).

    Parameters
    ----------
    pairs : (6, n_pairs) float64
        Radar latitude, longitude (rad) and height (m), then the target's, one column per
        pair (the layout of :func:`~iadsim.geo.line_of_sight._pair_columns`).
    grid : ElevationGrid
    k_factor : float
    wavelength_m : (n_pairs,) float64, contiguous
        Wavelength of each pair's radar, m (``inf``: exact search, see
        :func:`dominant_obstacle`).
    earth_radius_m : float
    """
    if not k_factor > 0.0:
        msg = f"k_factor must be positive, got {k_factor}"
        raise ValueError(msg)
    kernel = obstacle_kernel_serial if pairs.shape[1] < PARALLEL_MIN_PAIRS else obstacle_kernel
    return np.asarray(
        kernel(
            pairs,
            (grid.heights_m, grid.cell_tops_m, grid.sample_blocks_m),
            grid.kernel_geometry,
            float(k_factor),
            float(earth_radius_m),
            sample_spacing_rad(grid),
            wavelength_m,
            KNIFE_EDGE_NO_LOSS_V,
        )
    )


def _dominant_obstacle_reference(
    radar_lat_rad: NDArray[np.float64],
    radar_lon_rad: NDArray[np.float64],
    radar_alt_m: NDArray[np.float64],
    target_lat_rad: NDArray[np.float64],
    target_lon_rad: NDArray[np.float64],
    target_alt_m: NDArray[np.float64],
    grid: ElevationGrid,
    k_factor: float = DEFAULT_K_FACTOR,
    n_samples: int = 4000,
    earth_radius_m: float = WGS84_A_M,
) -> DominantObstacle:
    """Plain NumPy twin of :func:`dominant_obstacle` for 1-D inputs: ``n_samples`` equally
    spaced samples (slerp, direct trig), the one with the largest ``h / sqrt(f (1 - f))``."""
    a = _unit_vectors(radar_lat_rad, radar_lon_rad)
    b = _unit_vectors(target_lat_rad, target_lon_rad)
    theta = np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.sum(a * b, axis=-1))
    fraction = np.arange(1, n_samples + 1) / (n_samples + 1)
    lat, lon = _great_circle_points(
        radar_lat_rad, radar_lon_rad, target_lat_rad, target_lon_rad, fraction
    )
    ground = np.nan_to_num(grid.height_m(lat, lon, fill_m=0.0), nan=0.0)
    radius_e = k_factor * earth_radius_m
    r1 = (radius_e + radar_alt_m)[:, None]
    r2 = (radius_e + target_alt_m)[:, None]
    theta_e, phi_e = theta[:, None] / k_factor, theta[:, None] * fraction / k_factor
    ray = r1 * r2 * np.sin(theta_e) / (r2 * np.sin(theta_e - phi_e) + r1 * np.sin(phi_e))
    height = ground - (ray - radius_e)
    best = np.argmax(height / np.sqrt(fraction * (1.0 - fraction)), axis=1)
    rows = np.arange(len(theta))
    length_m = theta * earth_radius_m
    f = fraction[best]
    return DominantObstacle(height[rows, best], f * length_m, (1.0 - f) * length_m)
