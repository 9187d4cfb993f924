"""Whether a radar could have seen a point: its coverage and a terrain-clear line of sight.

A tracker books a missed detection only for a track the radar could have detected
(:meth:`iadsim.tracking.tracker.GnnTracker.step`, ``expected``). Coverage alone
(:meth:`iadsim.sensors.radar.Radar.in_view`: range, elevation, sector, the azimuths of the
look, the smooth-earth horizon) is not enough over terrain: a low flier behind a ridge is
inside the volume but masked, and booking misses there deletes the track of a target that
reappears a minute later, or worse, keeps a post's miss count meaningless. The terrain test
is the straight effective-earth ray of :func:`iadsim.geo.line_of_sight.terrain_clear` with
the radar's own k-factor; a ray that clears the terrain may still lose some signal to
diffraction (:mod:`iadsim.sensors.diffraction`), which the detection probability carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_kernel
from iadsim.geo.line_of_sight import site_targets_clear, terrain_clear

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid
    from iadsim.sensors.radar import Radar
    from iadsim.sensors.track_dwells import Look

__all__ = ["clear_of_terrain", "could_see"]


def clear_of_terrain(
    radar: Radar,
    lat_rad: np.ndarray,
    lon_rad: np.ndarray,
    alt_m: np.ndarray,
    terrain: ElevationGrid | None,
) -> np.ndarray:
    """Whether the ray from the radar's antenna to each point clears the terrain, ``(n,) bool``.

    Parameters
    ----------
    radar : Radar
        Antenna at ``radar.lat_rad``, ``radar.lon_rad``, ``radar.alt_m`` (m above sea level);
        the ray bends with ``radar.k_factor``.
    lat_rad, lon_rad : (n,) float64
        Points, rad.
    alt_m : (n,) float64
        Their heights, m (the datum of the terrain).
    terrain : ElevationGrid or None
        None: no terrain, every ray is clear (the smooth-earth horizon is part of coverage).
    """
    lat = _floats(lat_rad)
    if terrain is None or lat.size == 0:
        return np.ones(lat.shape, dtype=bool)
    if lat.ndim == 1 and radar.k_factor > 0.0:  # a look's points: the call without checks
        site = (radar.lat_rad, radar.lon_rad, radar.alt_m)
        return site_targets_clear(site, lat, lon_rad, alt_m, terrain, radar.k_factor)
    clear = terrain_clear(
        radar.lat_rad,
        radar.lon_rad,
        radar.alt_m,
        lat,
        _floats(lon_rad),
        _floats(alt_m),
        terrain,
        k_factor=radar.k_factor,
    )
    return (
        clear if type(clear) is np.ndarray and clear.dtype == np.bool_ else np.asarray(clear, bool)
    )


def _floats(values: np.ndarray) -> np.ndarray:
    """``np.asarray(values, dtype=float)``: a float64 array as it is, without the call."""
    if type(values) is np.ndarray and values.dtype == np.float64:
        return values
    return np.asarray(values, dtype=float)


def could_see(
    radar: Radar,
    pos_ecef_m: np.ndarray,
    look: Look | None,
    terrain: ElevationGrid | None,
) -> np.ndarray:
    """Points inside the radar's coverage and look with a terrain-clear ray, ``(n,) bool``.

    Parameters
    ----------
    radar : Radar
    pos_ecef_m : (n, 3) float64
        Points (e.g. predicted track positions), ECEF, m.
    look : Look or None
        What the radar looked at (:meth:`Radar.in_view`); None: its whole sector.
    terrain : ElevationGrid or None
    """
    points = _floats(pos_ecef_m)
    if points.ndim != 2 or points.shape[1] != 3:
        points = points.reshape(-1, 3)
    geodetic: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def heights() -> np.ndarray:
        # The points' geodetic coordinates, converted once: the horizon test reads the
        # heights, the terrain test the latitudes and longitudes (element-wise conversion,
        # so a subset reads the same values a conversion of that subset gives).
        geodetic.append(ecef_to_geodetic_kernel(points))  # ecef_to_lla of (n, 3) points
        return geodetic[0][2]

    seen = radar.view_mask(points, look, heights)
    rows = seen.nonzero()[0]  # np.flatnonzero of the (n,) mask, without its wrappers
    if rows.size and terrain is not None:
        lat, lon, alt = geodetic[0] if geodetic else ecef_to_geodetic_kernel(points)
        seen[rows] = clear_of_terrain(radar, lat[rows], lon[rows], alt[rows], terrain)
    return seen
