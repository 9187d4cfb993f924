"""Terrain from several sources, finest first, read as one grid per region.

:class:`TerrainLayers` holds elevation grids in order of preference: the user's own tiles
(:mod:`iadsim.geo.terrain_folder`), then the bundled 1' grid over Turkey, then the bundled
5' grid of the whole earth, which answers everywhere. At a point the first layer with a
height there answers (:meth:`TerrainLayers.point`). For a region, :meth:`TerrainLayers.region`
samples the best layer at every node of one regular grid, on the lattice and at the
spacing of the finest layer that reaches the region, so the simulation's compiled terrain
kernels keep reading a single :class:`~iadsim.geo.terrain.ElevationGrid`. Where the fine
Turkey grid alone covers the region it is returned whole, unchanged.

A :class:`TerrainReport` says which sources a region's grid came from, at what
resolution, and warns when part of it has only the coarse global grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo.terrain import ElevationGrid, load_bundled, load_world
from iadsim.geo.terrain_folder import TERRAIN_DIR_VARIABLE, Box

__all__ = ["MAX_REGION_NODES", "TerrainLayer", "TerrainLayers", "TerrainReport", "TerrainSource"]

MAX_REGION_NODES = 16_000_000
"""Most nodes of one region grid (64 MB of float32); beyond, the spacing is widened."""

COARSE_SHARE_WARNING = 0.01
"""Share of a region with only the global 5' grid above which a report warns."""

_ARCSEC_PER_RAD = 180.0 / np.pi * 3600.0


@dataclass(frozen=True)
class TerrainLayer:
    """One source of heights.

    Attributes
    ----------
    grid : ElevationGrid
    name : str
        Short name for reports, e.g. ``"bundled world grid (ETOPO 2022, gaps filled)"``.
    kind : str
        ``"user"``, ``"bundled-fine"`` or ``"bundled-global"``.
    """

    grid: ElevationGrid
    name: str
    kind: str

    @property
    def spacing_arcsec(self) -> float:
        """Latitude spacing of the grid, arc-seconds."""
        return float(self.grid.dlat_rad * _ARCSEC_PER_RAD)

    def reaches(self, box: Box) -> bool:
        """Whether the layer's samples reach into ``box`` (degrees, longitudes any turn)."""
        lat = np.degrees(self.grid.lat_rad[[0, -1]])
        if lat[1] < box[0] or lat[0] > box[1]:
            return False
        lon = np.degrees(self.grid.lon_rad[[0, -1]])
        if lon[1] - lon[0] >= 359.0:
            return True
        centre = 0.5 * (box[2] + box[3])
        west = lon[0] + 360.0 * np.round((centre - 0.5 * (lon[0] + lon[1])) / 360.0)
        return bool(west <= box[3] and west + (lon[1] - lon[0]) >= box[2])

    def covers(self, box: Box) -> bool:
        """Whether the layer's samples span all of ``box``."""
        lat = np.degrees(self.grid.lat_rad[[0, -1]])
        lon = np.degrees(self.grid.lon_rad[[0, -1]])
        offset = 360.0 * np.floor((box[2] - lon[0]) / 360.0)
        return bool(
            lat[0] <= box[0]
            and box[1] <= lat[1]
            and lon[0] + offset <= box[2]
            and box[3] <= lon[1] + offset
        )


@dataclass(frozen=True)
class TerrainSource:
    """A layer's part in a region grid: its name, kind, spacing (arc-seconds) and share."""

    name: str
    kind: str
    spacing_arcsec: float
    share: float


@dataclass(frozen=True)
class TerrainReport:
    """Which terrain a region grid was made of.

    Attributes
    ----------
    box_deg : (lat_min, lat_max, lon_min, lon_max)
        The region, degrees.
    spacing_arcsec : float
        Node spacing of the region grid (latitude), arc-seconds.
    sources : tuple of TerrainSource
        Layers that supplied nodes, finest first, with the share of nodes from each.
    """

    box_deg: Box
    spacing_arcsec: float
    sources: tuple[TerrainSource, ...]

    @property
    def coarse_share(self) -> float:
        """Share of the region's nodes that only the global 5' grid covers."""
        return float(sum(s.share for s in self.sources if s.kind == "bundled-global"))

    def describe(self) -> str:
        """One line for the console, e.g. ``"terrain: ... at 60" (about 1.9 km)"``."""
        parts = [f"{s.name} {_resolution(s.spacing_arcsec)} {s.share:.0%}" for s in self.sources]
        return (
            f"terrain: grid at {_resolution(self.spacing_arcsec)} over "
            f"{_box_text(self.box_deg)} from {'; '.join(parts)}"
        )

    def warning(self) -> str | None:
        """A warning when part of the region has only the coarse global grid, else None."""
        if self.coarse_share <= COARSE_SHARE_WARNING:
            return None
        return (
            f"{self.coarse_share:.0%} of the region ({_box_text(self.box_deg)}) has only the "
            "global 5-arc-minute terrain grid (samples about 9 km apart): hills and valleys "
            "smaller than that do not mask radars there. For finer terrain put SRTM .hgt or "
            "GeoTIFF tiles (e.g. Copernicus GLO-30) of the area in a folder and name it in "
            f"the scenario (terrain_dir: FOLDER) or in {TERRAIN_DIR_VARIABLE}; see "
            "docs/terrain.md."
        )

    def as_dict(self) -> dict:
        """Plain data for ``summary.json`` and file metadata."""
        return {
            "box_deg": {
                key: round(float(value), 4)
                for key, value in zip(
                    ("lat_min", "lat_max", "lon_min", "lon_max"), self.box_deg, strict=True
                )
            },
            "spacing_arcsec": round(self.spacing_arcsec, 3),
            "sources": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "spacing_arcsec": round(s.spacing_arcsec, 3),
                    "share": round(s.share, 4),
                }
                for s in self.sources
            ],
            "coarse_only_share": round(float(self.coarse_share), 4),
            "warning": self.warning(),
        }


def _resolution(spacing_arcsec: float) -> str:
    """``5'`` or ``3"`` with the ground distance, for people."""
    km = spacing_arcsec / 3600.0 * 111.2
    if spacing_arcsec >= 60.0 - 1e-6:
        angle = f"{spacing_arcsec / 60.0:.3g}'"
    else:
        angle = f'{spacing_arcsec:.3g}"'
    distance = f"{km:.1f} km" if km >= 1.0 else f"{km * 1000:.0f} m"
    return f"{angle} (about {distance})"


def _box_text(box: Box) -> str:
    """``49.00 N..51.50 N, 20.50 E..24.00 E`` (longitudes brought to -180..180)."""

    def lat(value: float) -> str:
        return f"{abs(value):.2f} {'N' if value >= 0 else 'S'}"

    def lon(value: float) -> str:
        value = (value + 180.0) % 360.0 - 180.0
        return f"{abs(value):.2f} {'E' if value >= 0 else 'W'}"

    return f"{lat(box[0])}..{lat(box[1])}, {lon(box[2])}..{lon(box[3])}"


@cache
def bundled_layers() -> tuple[TerrainLayer, ...]:
    """The bundled grids as layers: Turkey 1' then the world 5' (read once per process)."""
    return (
        TerrainLayer(load_bundled(), "NOAA GLOBE (bundled grid, Turkey)", "bundled-fine"),
        TerrainLayer(
            load_world(), "bundled world grid (ETOPO 2022, gaps filled)", "bundled-global"
        ),
    )


@dataclass(frozen=True)
class TerrainLayers:
    """Elevation grids in order of preference; the last answers everywhere.

    Parameters
    ----------
    layers : tuple of TerrainLayer
        Finest or most trusted first.
    """

    layers: tuple[TerrainLayer, ...]

    @classmethod
    def with_user_grids(cls, grids: list[ElevationGrid]) -> TerrainLayers:
        """The user's grids (finest first), then the bundled ones."""
        user = tuple(
            TerrainLayer(g, g.source, "user")
            for g in sorted(grids, key=lambda g: g.dlat_rad * g.dlon_rad)
        )
        return cls(user + bundled_layers())

    def point(self, lat_deg: float, lon_deg: float) -> tuple[float, TerrainLayer]:
        """Height at one point from the first layer that has one, and that layer.

        Returns
        -------
        height_m : float
            Bilinear height above mean sea level, metres (negative below sea level).
        layer : TerrainLayer
        """
        lat, lon = np.radians(lat_deg), np.radians(lon_deg)
        for layer in self.layers:
            value = float(layer.grid.height_m(lat, lon))
            if np.isfinite(value):
                return value, layer
        return 0.0, self.layers[-1]

    def heights_m(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> NDArray[np.float64]:
        """Heights at many points, each from the first layer that has one there.

        Parameters
        ----------
        lat_deg, lon_deg : array_like, shape (n,)
            Degrees.

        Returns
        -------
        ndarray, shape (n,), float64
            Bilinear heights above mean sea level, metres; 0 where no layer has one.
        """
        lat, lon = np.radians(lat_deg), np.radians(lon_deg)
        heights = np.full(np.shape(lat), np.nan)
        for layer in self.layers:
            missing = ~np.isfinite(heights)
            if not missing.any():
                break
            heights[missing] = layer.grid.height_m(lat[missing], lon[missing])
        return np.nan_to_num(heights, nan=0.0)

    def region(self, box: Box) -> tuple[ElevationGrid, TerrainReport]:
        """One grid over ``box`` sampling the best layer at each node, and its report.

        The nodes follow the lattice of the finest layer that reaches the box, at its
        spacing, widened to a whole multiple of it if the grid would pass
        :data:`MAX_REGION_NODES`. Where no user grid reaches the box and the bundled fine
        grid covers it, that grid is returned whole (so results there do not depend on the
        box).

        Parameters
        ----------
        box : (lat_min, lat_max, lon_min, lon_max)
            Degrees; latitudes are clipped to +-90.

        Returns
        -------
        grid : ElevationGrid
            Float32 heights (int16 when a bundled grid is returned whole).
        report : TerrainReport
        """
        box = (max(box[0], -90.0), min(box[1], 90.0), box[2], box[3])
        reaching = [layer for layer in self.layers if layer.reaches(box)]
        finest = min(reaching, key=lambda layer: layer.grid.dlat_rad)
        no_user = all(layer.kind != "user" for layer in reaching)
        if no_user and finest.kind == "bundled-fine" and finest.covers(box):
            source = TerrainSource(finest.name, finest.kind, finest.spacing_arcsec, 1.0)
            return finest.grid, TerrainReport(box, finest.spacing_arcsec, (source,))
        ref = finest.grid
        lat_min, lat_max, lon_min, lon_max = np.radians(box)
        step = 1
        while True:
            dlat, dlon = ref.dlat_rad * step, ref.dlon_rad * step
            i0 = int(np.floor((lat_min - ref.lat0_rad) / dlat))
            i1 = int(np.ceil((lat_max - ref.lat0_rad) / dlat))
            j0 = int(np.floor((lon_min - ref.lon0_rad) / dlon))
            j1 = int(np.ceil((lon_max - ref.lon0_rad) / dlon))
            n_lat, n_lon = i1 - i0 + 1, j1 - j0 + 1
            if n_lat * n_lon <= MAX_REGION_NODES:
                break
            step += 1
        lat0, lon0 = ref.lat0_rad + i0 * dlat, ref.lon0_rad + j0 * dlon
        lat = lat0 + dlat * np.arange(n_lat)
        lon = lon0 + dlon * np.arange(n_lon)
        heights = np.full((n_lat, n_lon), np.nan, dtype=np.float32)
        counts = np.zeros(len(reaching), dtype=np.int64)
        rows_per_block = max(1, 2_000_000 // n_lon)
        for r0 in range(0, n_lat, rows_per_block):
            block = heights[r0 : r0 + rows_per_block]
            lat_block = np.repeat(lat[r0 : r0 + rows_per_block], n_lon).reshape(block.shape)
            lon_block = np.broadcast_to(lon, block.shape)
            for k, layer in enumerate(reaching):
                missing = np.isnan(block)
                if not missing.any():
                    break
                values = layer.grid.height_m(lat_block[missing], lon_block[missing])
                found = np.isfinite(values)
                block[missing] = values
                counts[k] += int(found.sum())
        np.nan_to_num(heights, copy=False, nan=0.0)
        total = max(int(counts.sum()), 1)
        sources = tuple(
            TerrainSource(layer.name, layer.kind, layer.spacing_arcsec, count / total)
            for layer, count in zip(reaching, counts, strict=True)
            if count > 0
        )
        grid = ElevationGrid(
            float(lat0),
            float(lon0),
            float(dlat),
            float(dlon),
            heights,
            source="; ".join(s.name for s in sources),
        )
        return grid, TerrainReport(box, float(dlat * _ARCSEC_PER_RAD), sources)
