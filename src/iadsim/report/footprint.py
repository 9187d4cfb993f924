"""A radar's horizon-limited footprint: how far it sees a target at a given height above
the ground, azimuth by azimuth across its sector, over the run's terrain.

For each azimuth the footprint's edge is the first ground range at which a target
``target_agl_m`` above the local ground drops below the terrain masking angle (the running
maximum of the terrain's elevation angle seen from the antenna in the effective-earth
model, :class:`iadsim.geo.horizon_profile.HorizonProfile`; Skolnik, *Introduction to Radar
Systems*, 3rd ed., 2001, section 8.2, ``k = 4/3``), capped at the radar's instrumented range.
Over smooth earth this edge is the radio horizon ``sqrt(2 k R h1) + sqrt(2 k R h2)``
(Skolnik 2001, eq. 8.1); behind a ridge it comes in closer. Targets that reappear beyond a
ridge are not part of this continuous footprint (the Pd maps of ``iadsim coverage`` show
them).
"""

from __future__ import annotations

import numpy as np
import pyproj
from numpy.typing import NDArray

from iadsim.geo.horizon_profile import horizon_profile
from iadsim.geo.terrain import ElevationGrid

__all__ = ["footprint_edge_m", "footprint_polygon_deg", "sector_azimuths_deg"]

_GEOD = pyproj.Geod(ellps="WGS84")
AZIMUTH_STEP_DEG = 2.0
"""Azimuth spacing of the drawn footprint, degrees (a 2 deg step keeps the report small)."""


def sector_azimuths_deg(facing_deg: float, sector_deg: float) -> NDArray[np.float64]:
    """Azimuths across a sector ``facing_deg +/- sector_deg / 2``, clockwise from north,
    degrees, ``(n,)``: the whole circle (without repeating 360) for ``sector_deg >= 360``."""
    if sector_deg >= 360.0:
        return np.arange(0.0, 360.0, AZIMUTH_STEP_DEG)
    n = max(2, int(np.ceil(sector_deg / AZIMUTH_STEP_DEG)) + 1)
    return np.mod(facing_deg + np.linspace(-sector_deg / 2.0, sector_deg / 2.0, n), 360.0)


def footprint_edge_m(
    site_lat_deg: float,
    site_lon_deg: float,
    antenna_alt_m: float,
    max_range_m: float,
    target_agl_m: float,
    azimuths_deg: NDArray[np.float64],
    grid: ElevationGrid | None,
) -> NDArray[np.float64]:
    """Ground range to the footprint's edge along each azimuth, metres, ``(n_az,)``.

    Parameters
    ----------
    site_lat_deg, site_lon_deg : float
        Radar site, degrees.
    antenna_alt_m : float
        Antenna height above mean sea level (ground, plus vehicle or mast), metres.
    max_range_m : float
        Instrumented range, metres: the edge never lies beyond it.
    target_agl_m : float
        Target height above the ground under it, metres.
    azimuths_deg : (n_az,) float64
        Azimuths, clockwise from north, degrees.
    grid : ElevationGrid or None
        The run's terrain; None: smooth earth at sea level.
    """
    if grid is None:
        grid = _sea_level_grid(site_lat_deg, site_lon_deg)
    profile = horizon_profile(
        np.radians(site_lat_deg), np.radians(site_lon_deg), antenna_alt_m, grid, max_range_m
    )
    ranges = profile.ground_range_m
    az = np.radians(np.asarray(azimuths_deg, dtype=np.float64))[:, None]
    lon, lat, _ = _GEOD.fwd(
        np.full((az.shape[0], ranges.size), site_lon_deg),
        np.full((az.shape[0], ranges.size), site_lat_deg),
        np.broadcast_to(np.degrees(az), (az.shape[0], ranges.size)),
        np.broadcast_to(ranges, (az.shape[0], ranges.size)),
    )
    ground_m = np.nan_to_num(grid.height_m(np.radians(lat), np.radians(lon), fill_m=0.0), nan=0.0)
    visible = profile.target_visible(az, ranges[None, :], ground_m + target_agl_m)
    hidden = ~visible
    first_hidden = np.where(hidden.any(axis=1), hidden.argmax(axis=1), ranges.size)
    edge = np.where(first_hidden > 0, ranges[np.maximum(first_hidden - 1, 0)], 0.0)
    return np.where(first_hidden == ranges.size, max_range_m, edge)


def footprint_polygon_deg(
    site_lat_deg: float,
    site_lon_deg: float,
    azimuths_deg: NDArray[np.float64],
    edge_m: NDArray[np.float64],
    full_circle: bool,
) -> list[list[float]]:
    """The footprint as a closed ``[[lat, lon], ...]`` ring, degrees (rounded to 1e-4 deg,
    about 10 m): the site, the edge points, back to the site (a sector), or the edge points
    alone (a full circle)."""
    lon, lat, _ = _GEOD.fwd(
        np.full(azimuths_deg.shape, site_lon_deg),
        np.full(azimuths_deg.shape, site_lat_deg),
        azimuths_deg,
        edge_m,
    )
    ring = [[round(float(a), 4), round(float(b), 4)] for a, b in zip(lat, lon, strict=True)]
    site = [round(site_lat_deg, 4), round(site_lon_deg, 4)]
    return ring if full_circle else [site, *ring, site]


def _sea_level_grid(lat_deg: float, lon_deg: float) -> ElevationGrid:
    """A flat sea-level grid around a site (smooth earth where no terrain is given)."""
    return ElevationGrid(
        lat0_rad=np.radians(lat_deg - 10.0),
        lon0_rad=np.radians(lon_deg - 10.0),
        dlat_rad=np.radians(0.05),
        dlon_rad=np.radians(0.05),
        heights_m=np.zeros((401, 401), dtype=np.int16),
    )
