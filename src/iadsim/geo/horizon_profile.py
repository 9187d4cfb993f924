"""Terrain horizon profiles of a radar site: masking angle against azimuth and range.

Along each azimuth from a site, the elevation angle of every terrain sample seen along the
straight rays of the effective-earth (k-factor) model of :mod:`iadsim.geo.line_of_sight`;
its running maximum is the masking angle a target must clear (:class:`HorizonProfile`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo.frames import WGS84_A_M
from iadsim.geo.line_of_sight import DEFAULT_K_FACTOR
from iadsim.geo.terrain import ElevationGrid

__all__ = ["HorizonProfile", "horizon_profile", "profile_along_azimuths"]


def _destination(
    lat_rad: float, lon_rad: float, az_rad: NDArray[np.float64], angle_rad: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Great-circle destination from a point, azimuth and central angle (spherical).

    ``sin lat2 = sin lat1 cos d + cos lat1 sin d cos az``;
    ``lon2 = lon1 + atan2(sin az sin d cos lat1, cos d - sin lat1 sin lat2)``
    (e.g. Snyder, *Map Projections - A Working Manual*, USGS PP 1395, eqs. 5-5, 5-6).
    """
    sin_lat2 = np.sin(lat_rad) * np.cos(angle_rad) + np.cos(lat_rad) * np.sin(angle_rad) * np.cos(
        az_rad
    )
    lat2 = np.arcsin(np.clip(sin_lat2, -1.0, 1.0))
    lon2 = lon_rad + np.arctan2(
        np.sin(az_rad) * np.sin(angle_rad) * np.cos(lat_rad),
        np.cos(angle_rad) - np.sin(lat_rad) * sin_lat2,
    )
    return lat2, lon2


def _elevation_angle_rad(
    antenna_alt_m: float, point_alt_m: ArrayLike, ground_range_m: ArrayLike, radius_e_m: float
) -> NDArray[np.float64]:
    """Elevation of a point seen from the antenna in the effective-earth plane.

    Point at polar ``(R_e + h, phi_e = s / R_e)``, antenna at ``(R_e + h_a, 0)``:
    ``el = atan2((R_e + h) cos phi_e - (R_e + h_a), (R_e + h) sin phi_e)``.
    """
    phi_e = np.asarray(ground_range_m, dtype=np.float64) / radius_e_m
    r = radius_e_m + np.asarray(point_alt_m, dtype=np.float64)
    return np.arctan2(r * np.cos(phi_e) - (radius_e_m + antenna_alt_m), r * np.sin(phi_e))


@dataclass(frozen=True, eq=False)
class HorizonProfile:
    """Terrain masking angles around one site, by azimuth and ground range.

    Attributes
    ----------
    azimuth_rad : (n_az,) float64
        Azimuths clockwise from north, equally spaced from 0.
    ground_range_m : (n_range,) float64
        Ground ranges of the terrain samples, increasing.
    terrain_elevation_rad : (n_az, n_range) float64
        Elevation angle of the terrain sample seen from the antenna (effective earth).
    masking_elevation_rad : (n_az, n_range) float64
        Running maximum of ``terrain_elevation_rad`` out to each range: a target at that
        azimuth and range is visible iff its elevation exceeds the value just short of it.
    antenna_alt_m, k_factor, earth_radius_m : float
        The geometry used.
    """

    azimuth_rad: NDArray[np.float64]
    ground_range_m: NDArray[np.float64]
    terrain_elevation_rad: NDArray[np.float64]
    masking_elevation_rad: NDArray[np.float64]
    antenna_alt_m: float
    k_factor: float
    earth_radius_m: float

    @property
    def masking_angle_rad(self) -> NDArray[np.float64]:
        """Highest terrain elevation angle per azimuth out to the last range, ``(n_az,)``."""
        return self.masking_elevation_rad[:, -1]

    def target_visible(
        self, az_rad: ArrayLike, ground_range_m: ArrayLike, target_alt_m: ArrayLike
    ) -> NDArray[np.bool_]:
        """Whether targets clear the terrain, from the profile (nearest azimuth bin).

        Parameters
        ----------
        az_rad, ground_range_m, target_alt_m : array_like, broadcastable
            Target azimuth (rad), ground range (m) and height above mean sea level (m).

        Returns
        -------
        ndarray of bool
            True where the target elevation angle exceeds every terrain sample closer
            than the target. Targets beyond the last range use the full profile.
        """
        az, rng, alt = np.broadcast_arrays(
            np.asarray(az_rad, dtype=np.float64),
            np.asarray(ground_range_m, dtype=np.float64),
            np.asarray(target_alt_m, dtype=np.float64),
        )
        n_az = self.azimuth_rad.shape[0]
        az_index = np.rint(np.mod(az, 2.0 * np.pi) / (2.0 * np.pi / n_az)).astype(np.intp) % n_az
        range_index = np.searchsorted(self.ground_range_m, rng, side="left") - 1
        target_el = _elevation_angle_rad(
            self.antenna_alt_m, alt, rng, self.k_factor * self.earth_radius_m
        )
        mask_el = np.where(
            range_index >= 0,
            self.masking_elevation_rad[az_index, np.maximum(range_index, 0)],
            -np.inf,
        )
        return target_el > mask_el


def horizon_profile(
    site_lat_rad: float,
    site_lon_rad: float,
    antenna_alt_m: float,
    grid: ElevationGrid,
    max_range_m: float,
    n_azimuths: int = 360,
    range_step_m: float | None = None,
    k_factor: float = DEFAULT_K_FACTOR,
    earth_radius_m: float = WGS84_A_M,
) -> HorizonProfile:
    """Terrain masking angles around a site, for coverage maps.

    Terrain is read along great circles at ``n_azimuths`` azimuths and every
    ``range_step_m`` of ground range out to ``max_range_m``; each sample's elevation angle
    in the effective-earth plane is ``atan2((R_e + h) cos phi_e - (R_e + h_a),
    (R_e + h) sin phi_e)`` with ``phi_e = s / (k R)``, and the masking angle is its running
    maximum over range. In the effective-earth plane a target is visible exactly when its
    own elevation angle exceeds every closer terrain sample's, which makes this the
    per-azimuth equivalent of :func:`terrain_clear`. Outside the grid terrain is sea level.

    Parameters
    ----------
    site_lat_rad, site_lon_rad : float
        Site position, radians.
    antenna_alt_m : float
        Antenna height above mean sea level, metres.
    grid : ElevationGrid
    max_range_m : float
        Outermost ground range, metres.
    n_azimuths : int
        Azimuth bins (360 gives 1 deg).
    range_step_m : float, optional
        Ground-range step; default: half the grid's north-south spacing on the ground.
    k_factor, earth_radius_m : float
        As in :func:`terrain_clear`.

    Returns
    -------
    HorizonProfile
    """
    azimuth_rad = np.arange(n_azimuths, dtype=np.float64) * (2.0 * np.pi / n_azimuths)
    return profile_along_azimuths(
        site_lat_rad,
        site_lon_rad,
        antenna_alt_m,
        grid,
        azimuth_rad,
        max_range_m,
        range_step_m,
        k_factor,
        earth_radius_m,
    )


def profile_along_azimuths(
    site_lat_rad: float,
    site_lon_rad: float,
    antenna_alt_m: float,
    grid: ElevationGrid,
    azimuth_rad: NDArray[np.float64],
    max_range_m: float,
    range_step_m: float | None = None,
    k_factor: float = DEFAULT_K_FACTOR,
    earth_radius_m: float = WGS84_A_M,
) -> HorizonProfile:
    """:func:`horizon_profile` along the given azimuths ``(n_az,)``, rad.

    :meth:`HorizonProfile.target_visible` bins azimuths as equally spaced from 0, so pass
    that full set, or a single azimuth: a one-bin profile that every query reads (the
    terrain under a range-height diagram).
    """
    if range_step_m is None:
        range_step_m = 0.5 * grid.dlat_rad * earth_radius_m
    n_range = max(1, int(np.ceil(max_range_m / range_step_m)))
    ground_range_m = np.linspace(max_range_m / n_range, max_range_m, n_range)
    lat, lon = _destination(
        site_lat_rad, site_lon_rad, azimuth_rad[:, None], ground_range_m[None, :] / earth_radius_m
    )
    ground_m = np.nan_to_num(grid.height_m(lat, lon, fill_m=0.0), nan=0.0)
    terrain_el = _elevation_angle_rad(
        antenna_alt_m, ground_m, ground_range_m[None, :], k_factor * earth_radius_m
    )
    return HorizonProfile(
        azimuth_rad=azimuth_rad,
        ground_range_m=ground_range_m,
        terrain_elevation_rad=terrain_el,
        masking_elevation_rad=np.maximum.accumulate(terrain_el, axis=1),
        antenna_alt_m=float(antenna_alt_m),
        k_factor=float(k_factor),
        earth_radius_m=float(earth_radius_m),
    )
