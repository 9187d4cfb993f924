"""Detection boundaries and range-height (vertical) coverage of radars.

Both sample the single-scan Pd of :func:`iadsim.coverage.maps.pd_at_points` (radar
volume and radio horizon, terrain diffraction over the dominant obstacle, ground clutter,
the Doppler blind zone, target aspect and RCS, and SNR and Pd through the simulation's
own sensor chain, :mod:`iadsim.sensors.chain`; the equations and sources are in
:mod:`iadsim.coverage.maps`) along rays from one radar:

* :func:`detection_boundaries` - at each altitude and along ``n_azimuths`` rays, the
  farthest ground range with ``Pd >= threshold``: one polygon per radar and altitude
  (written as GeoJSON by :mod:`iadsim.io.geojson`).
* :func:`vertical_coverage` - Pd over ground range and height along one azimuth, a
  range-height diagram (Blake, *Radar Range-Performance Analysis*, 1986, ch. 3 and 10);
  :func:`ray_height_m` gives the rays of constant elevation angle in the effective earth
  drawn over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.coverage.maps import (
    Aspect,
    Progress,
    _Flight,
    pd_at_points,
)
from iadsim.geo.ellipsoid import WGS84_A_M, sphere_destination
from iadsim.geo.line_of_sight import DEFAULT_K_FACTOR
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.radar import Radar
from iadsim.sensors.signature import SignatureTable

__all__ = [
    "DetectionBoundary",
    "VerticalCoverage",
    "detection_boundaries",
    "ray_height_m",
    "vertical_coverage",
]

_NOSE_ON = Aspect()  # the default rule, as in pd_map


@dataclass(frozen=True, eq=False)
class DetectionBoundary:
    """Farthest ground range with Pd >= threshold, by azimuth, for one radar and altitude.

    Attributes
    ----------
    radar, target : str
    alt_m, pd_threshold : float
    site_lat_rad, site_lon_rad : float
    az_rad : (n_az,) float64
        Azimuths clockwise from north, equally spaced from 0, rad.
    range_m : (n_az,) float64
        Boundary ground range, m; 0 where the threshold is never reached.
    lat_rad, lon_rad : (n_az,) float64
        Boundary points (the site where ``range_m == 0``), rad.
    """

    radar: str
    target: str
    alt_m: float
    pd_threshold: float
    site_lat_rad: float
    site_lon_rad: float
    az_rad: NDArray[np.float64]
    range_m: NDArray[np.float64]
    lat_rad: NDArray[np.float64]
    lon_rad: NDArray[np.float64]


def detection_boundaries(
    radars: Sequence[Radar],
    target: str,
    alt_m: Sequence[float],
    signatures: SignatureTable,
    *,
    terrain: ElevationGrid | None = None,
    aspect: Aspect = _NOSE_ON,
    altitude_reference: str = "msl",
    pd_threshold: float = 0.5,
    n_azimuths: int = 360,
    range_step_m: float | None = None,
    progress: Progress | None = None,
) -> list[DetectionBoundary]:
    """Detection boundary of each radar at each altitude (radar-major order).

    Along each of ``n_azimuths`` rays Pd is sampled every ``range_step_m`` (default reach /
    2000) out to the radar's reach; the boundary is the farthest sample with
    ``Pd >= pd_threshold``, refined by linear interpolation of Pd to the next sample when
    that one is in view (Pd falls smoothly with range) and kept at the sample when the next
    one is masked (horizon, terrain, range limit). Terrain shadows nearer than the boundary
    are inside the polygon: it bounds the farthest detection, not every detection.
    """
    if not 0.0 < pd_threshold < 1.0:
        msg = f"pd_threshold must lie in (0, 1), got {pd_threshold}"
        raise ValueError(msg)
    alts = np.asarray(alt_m, np.float64)
    flight = _Flight(signatures, target, aspect, terrain, altitude_reference)
    reaches = flight.reaches_m(radars, alts)
    az = np.arange(n_azimuths, dtype=np.float64) * (2.0 * np.pi / n_azimuths)
    out = []
    for radar, reach in zip(radars, reaches, strict=True):
        step = range_step_m or max(reach / 2000.0, 10.0)
        ranges = np.arange(1, int(np.ceil(reach / step)) + 1, dtype=np.float64) * step
        lat, lon = sphere_destination(radar.lat_rad, radar.lon_rad, az[:, None], ranges[None, :])
        lat, lon = lat.ravel(), lon.ravel()
        for alt in alts:
            p = flight.pd(radar, lat, lon, alt).reshape(n_azimuths, ranges.size)
            boundary = _last_crossing(p, ranges, pd_threshold)
            b_lat, b_lon = sphere_destination(radar.lat_rad, radar.lon_rad, az, boundary)
            out.append(
                DetectionBoundary(
                    radar=radar.name,
                    target=target,
                    alt_m=float(alt),
                    pd_threshold=float(pd_threshold),
                    site_lat_rad=radar.lat_rad,
                    site_lon_rad=radar.lon_rad,
                    az_rad=az,
                    range_m=boundary,
                    lat_rad=b_lat,
                    lon_rad=b_lon,
                )
            )
            if progress is not None:
                progress(f"boundary {radar.name} at {alt:g} m")
    return out


def _last_crossing(
    p: NDArray[np.float64], ranges: NDArray[np.float64], threshold: float
) -> NDArray[np.float64]:
    """Per row, the range of the last sample at or above the threshold, refined; 0 if none."""
    above = p >= threshold
    n = ranges.size
    last = n - 1 - np.argmax(above[:, ::-1], axis=1)
    found = above.any(axis=1)
    rows = np.arange(p.shape[0])
    nxt = np.minimum(last + 1, n - 1)
    p_last, p_next = p[rows, last], p[rows, nxt]
    refine = found & (last < n - 1) & (p_next > 0.0) & (p_last > p_next)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(refine, (p_last - threshold) / (p_last - p_next), 0.0)
    boundary = ranges[last] + fraction * (ranges[nxt] - ranges[last])
    return np.where(found, boundary, 0.0)


@dataclass(frozen=True, eq=False)
class VerticalCoverage:
    """Pd over ground range and height along one azimuth (a range-height diagram).

    Attributes
    ----------
    radar, target, aspect : str
    az_rad : float
    ground_range_m : (n_range,) float64
    height_m : (n_height,) float64
        Heights above mean sea level.
    pd : (n_height, n_range) float64
        0 below the terrain.
    terrain_m : (n_range,) float64
        Terrain height along the azimuth (0 without terrain).
    antenna_alt_m, k_factor : float
    """

    radar: str
    target: str
    aspect: str
    az_rad: float
    ground_range_m: NDArray[np.float64]
    height_m: NDArray[np.float64]
    pd: NDArray[np.float64]
    terrain_m: NDArray[np.float64]
    antenna_alt_m: float
    k_factor: float


def vertical_coverage(
    radar: Radar,
    target: str,
    signatures: SignatureTable,
    *,
    az_rad: float | None = None,
    terrain: ElevationGrid | None = None,
    aspect: Aspect = _NOSE_ON,
    max_range_m: float | None = None,
    max_height_m: float = 25_000.0,
    n_range: int = 500,
    n_height: int = 300,
) -> VerticalCoverage:
    """Pd of one radar over ground range 0..R and height 0..H along one azimuth.

    Parameters
    ----------
    az_rad : float, optional
        Azimuth, rad; default the radar's boresight.
    max_range_m : float, optional
        Default: the radar's reach against the target up to ``max_height_m``.
    max_height_m : float
        Top of the diagram, m above sea level.
    n_range, n_height : int
        Samples (cell centres) along each axis.
    """
    az = radar.facing_rad if az_rad is None else float(az_rad)
    if max_range_m is None:
        flight = _Flight(signatures, target, aspect, None, "msl")
        max_range_m = flight.reaches_m([radar], [max_height_m])[0]
    ranges = (np.arange(n_range, dtype=np.float64) + 0.5) * (max_range_m / n_range)
    heights = (np.arange(n_height, dtype=np.float64) + 0.5) * (max_height_m / n_height)
    lat, lon = sphere_destination(radar.lat_rad, radar.lon_rad, az, ranges)
    ground = np.zeros(n_range) if terrain is None else terrain.surface_height_m(lat, lon)
    lat2, lon2 = (np.broadcast_to(a, (n_height, n_range)).ravel() for a in (lat, lon))
    h2 = np.broadcast_to(heights[:, None], (n_height, n_range)).ravel()
    p = pd_at_points(radar, lat2, lon2, h2, signatures, target, aspect, terrain)
    p = np.where(heights[:, None] > ground[None, :], p.reshape(n_height, n_range), 0.0)
    return VerticalCoverage(
        radar=radar.name,
        target=target,
        aspect=aspect.label,
        az_rad=az,
        ground_range_m=ranges,
        height_m=heights,
        pd=p,
        terrain_m=ground,
        antenna_alt_m=radar.alt_m,
        k_factor=radar.k_factor,
    )


def ray_height_m(
    antenna_alt_m: float,
    el_rad: ArrayLike,
    ground_range_m: ArrayLike,
    k_factor: float = DEFAULT_K_FACTOR,
    earth_radius_m: float = WGS84_A_M,
) -> NDArray[np.float64]:
    """Height above sea level of a ray leaving the antenna at elevation ``el``.

    Straight ray in the effective-earth plane (radius ``R_e = k R``): from the polar point
    ``(R_e + h_a, 0)`` at elevation ``el`` the ray reaches ``r(phi) = (R_e + h_a) cos(el) /
    cos(el + phi)`` at central angle ``phi = s / R_e`` (law of sines in the triangle centre -
    antenna - ray point), so ``h = r - R_e``; to second order ``h ~ h_a + s tan(el) +
    s^2 / (2 k R)`` (Blake 1986, ch. 3; Skolnik 2001, sec. 8.2). NaN once the ray points
    away from the earth (``el + phi >= pi/2``).
    """
    radius_e = k_factor * earth_radius_m
    phi = np.asarray(ground_range_m, np.float64) / radius_e
    angle = np.asarray(el_rad, np.float64) + phi
    with np.errstate(divide="ignore", invalid="ignore"):
        height = (radius_e + antenna_alt_m) * np.cos(el_rad) / np.cos(angle) - radius_e
    return np.where(angle < 0.5 * np.pi, height, np.nan)
