"""Detection coverage: single-scan Pd of radars at points and over map grids.

Detection boundaries and range-height diagrams, which sample the same Pd along rays, are
in :mod:`iadsim.coverage.profiles`. For every point evaluated (a map cell at an
altitude, a sample along a ray, a cell of a range-height diagram) and every radar:

1. **Volume.** :meth:`Radar.in_coverage` keeps targets inside the radar's range, elevation
   and azimuth limits and inside its 4/3-earth radio horizon (Skolnik, *Introduction to
   Radar Systems*, 3rd ed., 2001, eq. 8.1).
2. **Terrain.** The dominant terrain obstacle of the path from the radar to each point
   (:func:`~iadsim.geo.terrain_obstacle.dominant_obstacle`, the function the simulation's
   sensing stage calls), for the chain's knife-edge diffraction loss: terrain does not
   mask a point outright, it takes SNR away (:mod:`iadsim.sensors.diffraction`).
3. **Aspect and RCS.** The target flies level on a heading set by the aspect rule
   (``towards`` the radar: nose-on, the defender's worst case; ``away``; ``broadside``; or a
   fixed heading). In its level-wings body frame the radar is seen at aspect azimuth
   ``az = beta - psi`` (``beta`` the bearing from the target to the radar, ``psi`` the
   heading) and aspect elevation ``el = atan2(l_up, |l_horizontal|)`` (``l`` the target to
   radar vector in the target's local east-north-up frame): the frame of
   :func:`~iadsim.sensors.aspect.aspect_angles` for a level target. The mean RCS comes
   from the signature table at the radar's catalog frequency.
4. **SNR and Pd.** The sensor chain the simulation uses, :mod:`iadsim.sensors.chain`: the
   R^4 law from the catalog statement (Skolnik, eq. 2.1 in ratio form), the radar's signal
   effects on the path (clear-air attenuation by range and elevation, terrain diffraction,
   ground clutter, the Doppler blind zone of the target's radial velocity at
   ``Aspect.speed_mps``, then the scenario's ``signal_effects``), and Pd of one scan (one
   pulse, the target's Swerling case, the radar's reference Pfa). A map cell and the
   simulation's Pd agree for the same geometry.

Several radars see independently, so the combined single-scan Pd is
``1 - prod_i (1 - Pd_i)`` (e.g. Blake, *Radar Range-Performance Analysis*, 1986, sec. 1.5).

Positions use the WGS-84 ellipsoid for ranges and angles (:mod:`iadsim.geo.ellipsoid`);
ground ranges for the terrain profile and ray sampling use the sphere of radius ``a`` like
:mod:`iadsim.geo.line_of_sight`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    geodetic_to_ecef,
    sphere_destination,
)
from iadsim.geo.line_of_sight import radar_horizon_range_m
from iadsim.geo.terrain import ElevationGrid
from iadsim.geo.terrain_obstacle import dominant_obstacle
from iadsim.sensors import chain
from iadsim.sensors.detection import required_snr_db
from iadsim.sensors.diffraction import SPEED_OF_LIGHT_MPS
from iadsim.sensors.radar import Radar
from iadsim.sensors.radar_view import TargetView
from iadsim.sensors.signature import SignatureTable

__all__ = [
    "Aspect",
    "PdMap",
    "combine_pd",
    "map_axes",
    "pd_at_points",
    "pd_map",
    "radar_reach_m",
    "shared_axes",
]


Progress = Callable[[str], None]
"""Called once per finished unit of work (radar x altitude) with a short description."""

PD_FLOOR = 0.01
"""Pd below which a target counts as out of reach when sizing a map."""
PD_UNCHANGED = 1e-9
"""A map cell whose Pd without terrain is within this of Pfa keeps that Pd with terrain
(diffraction can only lower it towards Pfa), so its terrain path is not searched."""
_CHUNK_CELLS = 1 << 18  # cells per vectorised batch: bounds the temporaries to ~100 MB


@dataclass(frozen=True)
class Aspect:
    """How the target is headed at each point.

    Parameters
    ----------
    kind : {"towards", "away", "broadside", "heading"}
        Relative to the bearing from the target to each radar, or a fixed heading.
    heading_rad : float
        Heading clockwise from north for ``kind == "heading"``, rad.
    speed_mps : float
        Ground speed of the level target, m/s, for the Doppler blind zone (a broadside
        target has no radial velocity and sits in the clutter notch). Default 250 m/s
        (assumption: a subsonic fighter or cruise missile).
    """

    kind: str = "towards"
    heading_rad: float = 0.0
    speed_mps: float = 250.0

    @classmethod
    def parse(cls, text: str | float) -> Aspect:
        """``"towards"``, ``"away"``, ``"broadside"`` or a heading in degrees (``"270"``)."""
        word = str(text).strip().lower()
        if word in ("towards", "away", "broadside"):
            return cls(word)
        try:
            heading_deg = float(word)
        except ValueError:
            msg = f"aspect must be towards, away, broadside or a heading in degrees, got {text!r}"
            raise ValueError(msg) from None
        if not np.isfinite(heading_deg):
            msg = f"aspect heading must be finite, got {text!r}"
            raise ValueError(msg)
        return cls("heading", float(np.radians(heading_deg % 360.0)))

    @property
    def label(self) -> str:
        """Short text for titles."""
        names = {"towards": "nose-on", "away": "tail-on", "broadside": "broadside"}
        return names.get(self.kind, f"heading {np.degrees(self.heading_rad):.0f}°")

    def aspect_az_rad(self, bearing_to_radar_rad: NDArray[np.float64]) -> NDArray[np.float64]:
        """Aspect azimuth of the radar from the nose, ``beta - psi``, rad, same shape."""
        offsets = {"towards": 0.0, "away": np.pi, "broadside": 0.5 * np.pi}
        if self.kind in offsets:
            return np.full_like(bearing_to_radar_rad, offsets[self.kind])
        return bearing_to_radar_rad - self.heading_rad


def combine_pd(pd_by_radar: ArrayLike, axis: int = 0) -> NDArray[np.float64]:
    """Single-scan Pd of independent radars together, ``1 - prod_i (1 - Pd_i)``."""
    return 1.0 - np.prod(1.0 - np.asarray(pd_by_radar, np.float64), axis=axis)


def radar_reach_m(
    radar: Radar,
    max_rcs_m2: float,
    max_target_alt_m: float,
    swerling: int,
    pd_floor: float = PD_FLOOR,
) -> float:
    """Ground range beyond which the radar cannot reach ``pd_floor`` against the target.

    The least of the instrumented range, the smooth-earth horizon to the highest target and
    the R^4 range at which the largest RCS drops to ``pd_floor``:
    ``R = R_ref (sigma / sigma_ref)^(1/4) 10^((SNR_ref - SNR_floor) / 40)``.
    """
    spec = radar.spec
    floor_db = float(required_snr_db(pd_floor, spec.reference_pfa, 1, swerling))
    r4_m = (
        spec.detection_range_m
        * (max_rcs_m2 / spec.reference_rcs_m2) ** 0.25
        * 10.0 ** ((radar.reference_snr_db - floor_db) / 40.0)
    )
    horizon_m = float(radar_horizon_range_m(radar.alt_m, max_target_alt_m, radar.k_factor))
    return float(min(spec.max_range_m, horizon_m, r4_m))


def pd_at_points(
    radar: Radar,
    lat_rad: NDArray[np.float64],
    lon_rad: NDArray[np.float64],
    alt_m: NDArray[np.float64],
    signatures: SignatureTable,
    target: str,
    aspect: Aspect = Aspect(),
    terrain: ElevationGrid | None = None,
) -> NDArray[np.float64]:
    """Single-scan Pd of one radar against a level target at each point.

    Parameters
    ----------
    radar : Radar
    lat_rad, lon_rad : (n,) float64
        Target positions, rad.
    alt_m : (n,) float64
        Target heights above mean sea level, m.
    signatures : SignatureTable
    target : str
        Signature name (``"f35a"``).
    aspect : Aspect
    terrain : ElevationGrid, optional
        Terrain for the diffraction loss (:func:`dominant_obstacle`); none: smooth earth.

    Returns
    -------
    (n,) float64
        Pd; 0 outside the radar's volume or beyond its horizon.
    """
    type_index = signatures.index(target)
    swerling = int(signatures.swerling[type_index])
    n = lat_rad.shape[0]
    out = np.zeros(n)
    pos = geodetic_to_ecef(lat_rad, lon_rad, alt_m)
    view = TargetView(pos, alt_m, np.ones(n), np.full(n, swerling), np.ones(n, dtype=bool))
    visible, aer = radar.in_coverage(view)
    rows = np.flatnonzero(visible)
    if rows.size == 0:
        return out
    lat, lon = lat_rad[rows], lon_rad[rows]
    sin_lat, cos_lat, sin_lon, cos_lon = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    los = radar.pos_ecef_m - pos[rows]  # target to radar, ECEF
    # Components in the target's local east-north-up frame (geodetic normal as up).
    east = -sin_lon * los[:, 0] + cos_lon * los[:, 1]
    north = -sin_lat * (cos_lon * los[:, 0] + sin_lon * los[:, 1]) + cos_lat * los[:, 2]
    up = cos_lat * (cos_lon * los[:, 0] + sin_lon * los[:, 1]) + sin_lat * los[:, 2]
    bearing = np.arctan2(east, north)
    aspect_az = aspect.aspect_az_rad(bearing)
    aspect_el = np.arctan2(up, np.hypot(east, north))
    rcs = signatures.rcs_m2(
        np.full(rows.size, type_index), aspect_az, aspect_el, radar.spec.frequency_hz
    )
    # Level flight on heading psi = beta - aspect azimuth, in the target's east-north plane.
    heading = bearing - aspect_az
    speed_east, speed_north = aspect.speed_mps * np.sin(heading), aspect.speed_mps * np.cos(heading)
    velocity = np.stack(
        [
            -sin_lon * speed_east - sin_lat * cos_lon * speed_north,
            cos_lon * speed_east - sin_lat * sin_lon * speed_north,
            cos_lat * speed_north,
        ],
        axis=-1,
    )
    paths = chain.paths_from_aer(radar, aer[rows], pos[rows], None, velocity)
    out[rows] = chain.detection_probability(radar, chain.snr_db(radar, paths, rcs), swerling)
    if terrain is None:
        return out
    # Diffraction only takes SNR away, and Pd never falls below Pfa: where the path's Pd
    # without terrain is already within PD_UNCHANGED of Pfa, terrain cannot change it by
    # more than that, and the obstacle search (most of the cost) is skipped.
    pfa = radar.spec.reference_pfa
    keep = np.flatnonzero(out[rows] > pfa + PD_UNCHANGED)
    if keep.size == 0:
        return out
    rows, lat, lon = rows[keep], lat[keep], lon[keep]
    obstacle = dominant_obstacle(
        radar.lat_rad, radar.lon_rad, radar.alt_m, lat, lon, alt_m[rows], terrain,
        radar.k_factor, wavelength_m=SPEED_OF_LIGHT_MPS / radar.spec.frequency_hz,
    )  # fmt: skip
    paths = chain.paths_from_aer(radar, aer[rows], pos[rows], obstacle, velocity[keep])
    out[rows] = chain.detection_probability(radar, chain.snr_db(radar, paths, rcs[keep]), swerling)
    return out


def _max_rcs_m2(signatures: SignatureTable, target: str, freq_hz: float, aspect: Aspect) -> float:
    """Largest tabulated mean RCS of the target at a frequency over the aspects flown, m^2.

    A relative aspect fixes the aspect azimuth (0, pi/2 or pi); a fixed heading can show
    the radar any azimuth. Only aspect elevations within +-30 deg count: a target seen
    steeper than that is within ``h / tan(30 deg)`` (35 km at 20 km height) of the radar,
    well inside any reach this sizes.
    """
    index = signatures.index(target)
    if aspect.kind == "heading":
        az_nodes = signatures.az_grid_rad
    else:
        az_nodes = aspect.aspect_az_rad(np.zeros(1))
    el_nodes = signatures.el_grid_rad[np.abs(signatures.el_grid_rad) <= np.radians(30.0) + 1e-9]
    az, el = np.meshgrid(az_nodes, el_nodes)
    rcs = signatures.rcs_m2(np.full(az.size, index), az.ravel(), el.ravel(), freq_hz)
    return float(rcs.max())


@dataclass(frozen=True, eq=False)
class _Flight:
    """How the targets of one evaluation fly: signature, aspect rule, altitude reference
    (``"msl"`` or ``"agl"``, above ``terrain``) and the terrain (none: smooth earth)."""

    signatures: SignatureTable
    target: str
    aspect: Aspect
    terrain: ElevationGrid | None
    altitude_reference: str

    def pd(
        self,
        radar: Radar,
        lat_rad: NDArray[np.float64],
        lon_rad: NDArray[np.float64],
        alt_m: float,
    ) -> NDArray[np.float64]:
        """:func:`pd_at_points` of targets flown at ``alt_m``; 0 for those under the terrain."""
        height = np.full(lat_rad.shape, float(alt_m))
        buried = np.zeros(lat_rad.shape, dtype=bool)
        if self.terrain is not None:
            ground = self.terrain.surface_height_m(lat_rad, lon_rad)
            if self.altitude_reference == "agl":
                height = ground + alt_m
            else:
                buried = ground >= alt_m
        p = pd_at_points(
            radar, lat_rad, lon_rad, height, self.signatures, self.target, self.aspect,
            self.terrain,
        )  # fmt: skip
        p[buried] = 0.0
        return p

    def reaches_m(self, radars: Sequence[Radar], alts_m: ArrayLike) -> list[float]:
        """:func:`radar_reach_m` of each radar against the highest target flown."""
        top = float(np.max(alts_m))
        if self.altitude_reference == "agl" and self.terrain is not None:
            top += max(float(np.nanmax(self.terrain.heights_m)), 0.0)
        swerling = int(self.signatures.swerling[self.signatures.index(self.target)])
        return [
            radar_reach_m(
                r,
                _max_rcs_m2(self.signatures, self.target, r.spec.frequency_hz, self.aspect),
                top,
                swerling,
            )
            for r in radars
        ]


def map_axes(
    radars: Sequence[Radar], reach_m: Sequence[float], n_cells: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cell-centre latitudes and longitudes (rad) of an ``n_cells`` square grid.

    The box covers every radar's reach inside its azimuth sector, widened to a square in
    kilometres about its centre so that cells are about square on the ground.
    """
    if n_cells < 2:
        msg = f"the grid needs at least 2 cells per side, got {n_cells}"
        raise ValueError(msg)
    lats, lons = [], []
    for radar, reach in zip(radars, reach_m, strict=True):
        half = np.radians(radar.spec.azimuth_coverage_deg) / 2.0
        az = radar.facing_rad + np.linspace(-half, half, 181)
        lat, lon = sphere_destination(radar.lat_rad, radar.lon_rad, az, reach)
        lats += [radar.lat_rad, *lat]
        lons += [radar.lon_rad, *lon]
    lat_mid = 0.5 * (min(lats) + max(lats))
    lon_mid = 0.5 * (min(lons) + max(lons))
    half_lat = 0.5 * (max(lats) - min(lats))
    half_lon_as_lat = 0.5 * (max(lons) - min(lons)) * np.cos(lat_mid)
    half_side = max(half_lat, half_lon_as_lat, 1e-4)
    edges_lat = np.linspace(lat_mid - half_side, lat_mid + half_side, n_cells + 1)
    edges_lon = np.linspace(
        lon_mid - half_side / np.cos(lat_mid), lon_mid + half_side / np.cos(lat_mid), n_cells + 1
    )
    return 0.5 * (edges_lat[1:] + edges_lat[:-1]), 0.5 * (edges_lon[1:] + edges_lon[:-1])


def shared_axes(
    radars: Sequence[Radar],
    targets: Sequence[str],
    alt_m: Sequence[float],
    signatures: SignatureTable,
    *,
    terrain: ElevationGrid | None = None,
    aspect: Aspect = Aspect(),
    altitude_reference: str = "msl",
    n_cells: int = 1000,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Map axes (rad) covering the reach against every target, for side-by-side maps."""
    reach = np.max(
        [
            _Flight(signatures, t, aspect, terrain, altitude_reference).reaches_m(radars, alt_m)
            for t in targets
        ],
        axis=0,
    )
    return map_axes(radars, [float(r) for r in reach], n_cells)


@dataclass(frozen=True, eq=False)
class PdMap:
    """Single-scan Pd over a latitude/longitude grid at several altitudes.

    Attributes
    ----------
    lat_rad : (n_lat,) float64
        Cell-centre latitudes, south to north, rad.
    lon_rad : (n_lon,) float64
        Cell-centre longitudes, west to east, rad.
    alt_m : (n_alt,) float64
        Target altitudes, m (above sea level, or above the terrain when
        ``altitude_reference == "agl"``).
    pd : (n_alt, n_lat, n_lon) float32
        Combined single-scan Pd of all radars.
    radars : tuple of str
        Radar names.
    sites_rad : (n_radar, 2) float64
        Radar latitudes and longitudes, rad.
    target, aspect, altitude_reference : str
        Signature name, aspect label, ``"msl"`` or ``"agl"``.
    terrain : bool
        Whether terrain masking was applied.
    n_evaluations : int
        Target-sensor Pd evaluations the map stands for (cells x radars x altitudes).
    """

    lat_rad: NDArray[np.float64]
    lon_rad: NDArray[np.float64]
    alt_m: NDArray[np.float64]
    pd: NDArray[np.float32]
    radars: tuple[str, ...]
    sites_rad: NDArray[np.float64]
    target: str
    aspect: str
    altitude_reference: str
    terrain: bool
    n_evaluations: int

    @property
    def lat_deg(self) -> NDArray[np.float64]:
        """Cell-centre latitudes, degrees."""
        return np.degrees(self.lat_rad)

    @property
    def lon_deg(self) -> NDArray[np.float64]:
        """Cell-centre longitudes, degrees."""
        return np.degrees(self.lon_rad)

    @property
    def extent_deg(self) -> tuple[float, float, float, float]:
        """Outer cell edges ``(lon_min, lon_max, lat_min, lat_max)``, degrees."""
        lon, lat = self.lon_deg, self.lat_deg
        dlon, dlat = (lon[1] - lon[0]) / 2.0, (lat[1] - lat[0]) / 2.0
        return (lon[0] - dlon, lon[-1] + dlon, lat[0] - dlat, lat[-1] + dlat)


def pd_map(
    radars: Sequence[Radar],
    target: str,
    alt_m: Sequence[float],
    signatures: SignatureTable,
    *,
    terrain: ElevationGrid | None = None,
    aspect: Aspect = Aspect(),
    altitude_reference: str = "msl",
    n_cells: int = 1000,
    axes_rad: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    progress: Progress | None = None,
) -> PdMap:
    """Combined single-scan Pd of the radars over a grid, one layer per altitude.

    Parameters
    ----------
    radars : sequence of Radar
        Antenna heights above sea level in ``Radar.alt_m``.
    target : str
        Signature name.
    alt_m : sequence of float
        Target altitudes, m.
    signatures : SignatureTable
    terrain : ElevationGrid, optional
        Terrain for line of sight (and for ``agl`` heights); none: smooth earth.
    aspect : Aspect
    altitude_reference : {"msl", "agl"}
    n_cells : int
        Cells per side when ``axes_rad`` is not given (see :func:`map_axes`).
    axes_rad : (lat_rad, lon_rad), optional
        Explicit cell-centre axes (equally spaced, increasing).
    progress : callable, optional
        Called after each radar x altitude.

    Returns
    -------
    PdMap
    """
    if not radars:
        msg = "no radars to map"
        raise ValueError(msg)
    if altitude_reference not in ("msl", "agl"):
        msg = f"altitude_reference must be 'msl' or 'agl', got {altitude_reference!r}"
        raise ValueError(msg)
    alts = np.asarray(alt_m, np.float64)
    flight = _Flight(signatures, target, aspect, terrain, altitude_reference)
    if axes_rad is None:
        axes_rad = map_axes(radars, flight.reaches_m(radars, alts), n_cells)
    lat_axis, lon_axis = (np.asarray(a, np.float64) for a in axes_rad)
    result = np.empty((alts.size, lat_axis.size, lon_axis.size), np.float32)
    rows_per_chunk = max(1, _CHUNK_CELLS // lon_axis.size)
    for k, alt in enumerate(alts):
        miss = np.ones((lat_axis.size, lon_axis.size))
        for radar in radars:
            i0, i1, j0, j1 = _window(radar, lat_axis, lon_axis)
            lon_cells = lon_axis[j0:j1]
            for start in range(i0, i1, rows_per_chunk):
                stop = min(start + rows_per_chunk, i1)
                lat_2d, lon_2d = np.meshgrid(lat_axis[start:stop], lon_cells, indexing="ij")
                lat, lon = lat_2d.ravel(), lon_2d.ravel()
                p = flight.pd(radar, lat, lon, alt)
                miss[start:stop, j0:j1] *= 1.0 - p.reshape(stop - start, j1 - j0)
            if progress is not None:
                progress(f"{radar.name} at {alt:g} m")
        result[k] = 1.0 - miss
    return PdMap(
        lat_rad=lat_axis,
        lon_rad=lon_axis,
        alt_m=alts,
        pd=result,
        radars=tuple(r.name for r in radars),
        sites_rad=np.array([[r.lat_rad, r.lon_rad] for r in radars]),
        target=target,
        aspect=aspect.label,
        altitude_reference=altitude_reference,
        terrain=terrain is not None,
        n_evaluations=int(alts.size * len(radars) * lat_axis.size * lon_axis.size),
    )


def _window(radar: Radar, lat_axis: NDArray, lon_axis: NDArray) -> tuple[int, int, int, int]:
    """Row and column slice bounds of the cells within the radar's instrumented range.

    A spherical cap of angular radius ``rho`` about latitude ``lat0`` spans
    ``asin(sin rho / cos lat0)`` of longitude either side (all of it if it holds a pole).
    """
    rho = radar.spec.max_range_m / WGS84_A_M * 1.01
    ratio = np.sin(min(rho, 0.5 * np.pi)) / max(np.cos(radar.lat_rad), 1e-12)
    dlon = np.arcsin(ratio) if ratio < 1.0 else np.pi
    i0, i1 = np.searchsorted(lat_axis, [radar.lat_rad - rho, radar.lat_rad + rho])
    j0, j1 = np.searchsorted(lon_axis, [radar.lon_rad - dlon, radar.lon_rad + dlon])
    return int(i0), int(i1), int(j0), int(j1)
