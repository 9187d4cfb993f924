"""Terrain elevation grids: a regular latitude/longitude grid, bilinear reading and loaders.

An :class:`ElevationGrid` holds heights above mean sea level on a regular geographic grid
(sample ``[i, j]`` sits at latitude ``lat0 + i*dlat`` and longitude ``lon0 + j*dlon``; row 0
is the southernmost row). Heights between samples come from bilinear interpolation (e.g.
Press et al., *Numerical Recipes*, 3rd ed., section 3.6).

Loaders:

* :func:`load_bundled` - the fine grid shipped with iadsim: NOAA GLOBE 30" data over Turkey
  and its neighbours (30-48 N, 18-52 E), block-averaged to 1 arc-minute (see
  ``geo/data/README.md`` and ``scripts/make_terrain.py``).
* :func:`load_world` - the coarse grid shipped with iadsim: the whole earth at 5
  arc-minutes, mainly NOAA ETOPO 2022 (``scripts/make_global_terrain.py``).
* :func:`read_srtm_hgt` - one SRTM ``.hgt`` tile (big-endian int16, 1201 or 3601 samples a
  side, samples on the whole-degree edges, name gives the south-west corner, voids -32768).
* :func:`read_geotiff` - a single-band geographic GeoTIFF (strips or tiles; no compression,
  or Deflate with predictor 1 or 2; ModelPixelScale + ModelTiepoint georeferencing).
* :func:`mosaic` - join aligned grids of equal spacing (e.g. neighbouring SRTM tiles).

Heights are treated as metres above the same vertical datum as the altitudes they are
compared with (mean sea level); the geoid-ellipsoid separation (about 25-35 m over
Turkey) is not applied here.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.geo._path_kernels import BLOCK_SAMPLES
from iadsim.geo._terrain_kernels import height_kernel, surface_kernel, surface_point_kernel

__all__ = [
    "ElevationGrid",
    "TerrainFileError",
    "load_bundled",
    "load_world",
    "mosaic",
    "read_geotiff",
    "read_srtm_hgt",
]

SRTM_VOID = -32768
"""SRTM no-data value (NASA SRTM v2/v3 documentation)."""


class TerrainFileError(ValueError):
    """A terrain file could not be read; the message names the file and the problem."""


@dataclass(frozen=True, eq=False)
class ElevationGrid:
    """Heights on a regular latitude/longitude grid (sample-centred).

    Parameters
    ----------
    lat0_rad, lon0_rad : float
        Latitude and longitude of sample ``[0, 0]`` (the south-west sample), radians.
    dlat_rad, dlon_rad : float
        Grid spacing in latitude (northwards) and longitude (eastwards), radians, > 0.
    heights_m : (n_lat, n_lon) int16 or float32 array
        Height above mean sea level, metres; row 0 is the southernmost row. NaN marks
        voids in float grids. The array is made read-only.
    source : str
        Where the data came from (for figure captions and reports).

    Notes
    -----
    Longitudes are taken modulo 2*pi relative to ``lon0_rad``, so a query at -350 deg
    reads the same as 10 deg; a global grid does not wrap between its last and first
    column (points there are outside).
    """

    lat0_rad: float
    lon0_rad: float
    dlat_rad: float
    dlon_rad: float
    heights_m: NDArray[np.floating] | NDArray[np.integer]
    source: str = ""

    def __post_init__(self) -> None:
        heights = np.asarray(self.heights_m)
        if heights.ndim != 2 or min(heights.shape) < 2:
            msg = f"heights_m must be a 2-D array of at least 2x2 samples, got {heights.shape}"
            raise ValueError(msg)
        if not (self.dlat_rad > 0.0 and self.dlon_rad > 0.0):
            msg = f"grid spacing must be positive, got {self.dlat_rad}, {self.dlon_rad}"
            raise ValueError(msg)
        if heights.dtype.kind not in "if":
            msg = f"heights_m must be integer or float, got {heights.dtype}"
            raise ValueError(msg)
        heights = np.ascontiguousarray(heights)
        heights.flags.writeable = False
        object.__setattr__(self, "heights_m", heights)

    @cached_property
    def kernel_geometry(self) -> NDArray[np.float64]:
        """``(lat0, lon0, dlat, dlon)`` in radians, ``(4,)``: the grid's placement as the
        compiled terrain kernels take it, built once (the grid never changes)."""
        geometry = np.array([self.lat0_rad, self.lon0_rad, self.dlat_rad, self.dlon_rad])
        geometry.flags.writeable = False
        return geometry

    @cached_property
    def cell_tops_m(self) -> NDArray[np.floating] | NDArray[np.integer]:
        """Highest corner sample of every grid cell, not below 0 (voids ignored), with a
        border of half-outside cells: ``(n_lat + 1, n_lon + 1)``, of the heights' dtype.

        Entry ``[i + 1, j + 1]`` is the cell with corners ``[i, j]`` to ``[i + 1, j + 1]``
        for ``-1 <= i <= n_lat - 1`` and ``-1 <= j <= n_lon - 1``; a border cell holds the
        edge samples it touches. The terrain kernels bound a block of cells with it
        (:func:`iadsim.geo._path_kernels.cell_top`) instead of reading every sample;
        built once (the grid never changes).
        """
        heights = self.heights_m
        padded = np.zeros((heights.shape[0] + 2, heights.shape[1] + 2), dtype=heights.dtype)
        padded[1:-1, 1:-1] = heights
        # fmax passes over NaN (a void), and lifts an all-void cell to 0 at the end.
        tops = np.fmax(np.fmax(padded[:-1, :-1], padded[:-1, 1:]), padded[1:, :-1])
        tops = np.fmax(np.fmax(tops, padded[1:, 1:]), heights.dtype.type(0))
        tops.flags.writeable = False
        return tops

    @cached_property
    def sample_blocks_m(self) -> NDArray[np.floating] | NDArray[np.integer]:
        """Highest sample of every block of ``BLOCK_SAMPLES`` x ``BLOCK_SAMPLES`` samples
        (from sample ``[0, 0]``; the last row and column of blocks may be cut short), not
        below 0 (voids ignored): ``(ceil(n_lat / B), ceil(n_lon / B))``, of the heights'
        dtype. The terrain kernels bound a stretch of a path with it
        (:func:`iadsim.geo._path_kernels.stretch_ceiling`); built once.
        """
        side = BLOCK_SAMPLES
        heights = self.heights_m
        n_lat, n_lon = heights.shape
        rows, cols = -(-n_lat // side), -(-n_lon // side)
        padded = np.zeros((rows * side, cols * side), dtype=heights.dtype)
        padded[:n_lat, :n_lon] = heights
        blocks = np.fmax.reduce(padded.reshape(rows, side, cols, side), axis=3)
        blocks = np.fmax(np.fmax.reduce(blocks, axis=1), heights.dtype.type(0))
        blocks.flags.writeable = False
        return blocks

    @cached_property
    def cell_angle_rad(self) -> float:
        """Shorter side of a grid cell (the longitude step at the grid's highest latitude,
        capped at 89 deg, or the latitude step) as a great-circle angle, rad; computed
        once."""
        # The end rows of ``lat_rad``, without building the whole column.
        lat = self.lat0_rad + self.dlat_rad * np.array([0.0, self.shape[0] - 1.0])
        widest = float(np.max(np.abs(lat)))
        return float(min(self.dlat_rad, self.dlon_rad * np.cos(min(widest, np.radians(89.0)))))

    @cached_property
    def _kernel_grid(
        self,
    ) -> tuple[NDArray[np.floating] | NDArray[np.integer], float, float, float, float]:
        """The heights and the grid's origin and steps (rad) as the height kernels take
        them."""
        return (
            self.heights_m,
            float(self.lat0_rad),
            float(self.lon0_rad),
            float(self.dlat_rad),
            float(self.dlon_rad),
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_lat, n_lon)``."""
        return (int(self.heights_m.shape[0]), int(self.heights_m.shape[1]))

    @property
    def lat_rad(self) -> NDArray[np.float64]:
        """Sample latitudes, ``(n_lat,)`` radians, south to north."""
        return self.lat0_rad + self.dlat_rad * np.arange(self.shape[0], dtype=np.float64)

    @property
    def lon_rad(self) -> NDArray[np.float64]:
        """Sample longitudes, ``(n_lon,)`` radians, west to east."""
        return self.lon0_rad + self.dlon_rad * np.arange(self.shape[1], dtype=np.float64)

    def height_m(
        self, lat_rad: ArrayLike, lon_rad: ArrayLike, fill_m: float = np.nan
    ) -> NDArray[np.float64]:
        """Bilinearly interpolated height at any number of points.

        ``h = (1-u)(1-v) h[i,j] + (1-u) v h[i,j+1] + u (1-v) h[i+1,j] + u v h[i+1,j+1]``
        with ``u, v`` the fractional row and column positions (Numerical Recipes, 3rd ed.,
        eq. 3.6.5).

        Parameters
        ----------
        lat_rad, lon_rad : array_like, any broadcastable shapes
            Query points, radians.
        fill_m : float
            Value returned outside the grid (between the outermost sample centres counts
            as inside). Default NaN; pass 0.0 for a sea-level ("smooth earth") fill.

        Returns
        -------
        ndarray, broadcast shape, float64
            Height in metres. Where a neighbouring sample is a void (NaN) the result is NaN.
        """
        lat, lon = _query_points(lat_rad, lon_rad)
        # Compiled loop; same arithmetic as its NumPy twin (see _terrain_kernels).
        value = height_kernel(*self._kernel_grid, lat.ravel(), lon.ravel(), float(fill_m))
        return value.reshape(lat.shape)

    def surface_height_m(self, lat_rad: ArrayLike, lon_rad: ArrayLike) -> NDArray[np.float64]:
        """Height of the surface flown over, m: the terrain, with voids, the outside of the
        grid and anything below sea level at 0 (the sea)."""
        lat, lon = _query_points(lat_rad, lon_rad)
        # One compiled call: height_m's loop, then the clamp at 0 (surface_kernel).
        heights = surface_kernel(*self._kernel_grid, lat.ravel(), lon.ravel())
        if lat.ndim == 0:
            return heights[0]  # type: ignore[no-any-return]  # a 0-d query: a scalar
        return heights.reshape(lat.shape)

    def surface_height_at(self, lat_rad: float, lon_rad: float) -> float:
        """:meth:`surface_height_m` at one point (rad, floats), a float (m): one compiled
        call, without the arrays of a batch (an airborne radar asks every step)."""
        return surface_point_kernel(*self._kernel_grid, lat_rad, lon_rad)  # type: ignore[no-any-return]

    def subgrid(
        self, lat_min_rad: float, lat_max_rad: float, lon_min_rad: float, lon_max_rad: float
    ) -> ElevationGrid:
        """The smallest part of the grid whose samples cover the given box (clipped to the grid)."""
        n_lat, n_lon = self.shape
        i0 = int(np.clip(np.floor((lat_min_rad - self.lat0_rad) / self.dlat_rad), 0, n_lat - 2))
        i1 = int(np.clip(np.ceil((lat_max_rad - self.lat0_rad) / self.dlat_rad), i0 + 1, n_lat - 1))
        j0 = int(np.clip(np.floor((lon_min_rad - self.lon0_rad) / self.dlon_rad), 0, n_lon - 2))
        j1 = int(np.clip(np.ceil((lon_max_rad - self.lon0_rad) / self.dlon_rad), j0 + 1, n_lon - 1))
        return ElevationGrid(
            lat0_rad=self.lat0_rad + i0 * self.dlat_rad,
            lon0_rad=self.lon0_rad + j0 * self.dlon_rad,
            dlat_rad=self.dlat_rad,
            dlon_rad=self.dlon_rad,
            heights_m=self.heights_m[i0 : i1 + 1, j0 : j1 + 1],
            source=self.source,
        )


def load_bundled() -> ElevationGrid:
    """The fine terrain grid shipped with iadsim: Turkey and neighbours, 1 arc-minute.

    NOAA GLOBE v1.0 30" data (public domain), tile G10G, cropped to 30-48 N, 18-52 E and
    averaged over 2x2 cells (1 arc-minute, about 1.85 km north-south). Sea is 0 m; the
    upstream copy clipped land below sea level to 0 m. Block averaging lowers isolated
    peaks by up to a few hundred metres. See ``geo/data/README.md``.

    Returns
    -------
    ElevationGrid
        1080 x 2040 int16 samples.
    """
    return _load_npz("terrain_turkey.npz")


def load_world() -> ElevationGrid:
    """The global terrain grid shipped with iadsim: the whole earth, 5 arc-minutes.

    NOAA NCEI ETOPO 2022 60" ice-surface heights (public domain) sampled every 5', with
    gaps filled from GLOBE and, for Antarctica and Taiwan, pvlib's Mapzen grid; sea 0 m,
    land below sea level negative. Nodes at whole 5' plus 0.5' from -90 and -180 deg; the
    last column repeats the first one turn east, so reading works across the antimeridian.
    See ``geo/data/README.md`` and ``scripts/make_global_terrain.py``.

    Returns
    -------
    ElevationGrid
        2161 x 4321 int16 samples, about 9.3 km apart north-south.
    """
    return _load_npz("terrain_world.npz")


def _load_npz(name: str) -> ElevationGrid:
    """A bundled grid from ``geo/data/<name>`` (keys as in ``geo/data/README.md``)."""
    ref = resources.files("iadsim.geo").joinpath(f"data/{name}")
    with resources.as_file(ref) as path, np.load(path) as data:
        return ElevationGrid(
            lat0_rad=float(np.radians(data["lat0_deg"])),
            lon0_rad=float(np.radians(data["lon0_deg"])),
            dlat_rad=float(np.radians(data["spacing_deg"])),
            dlon_rad=float(np.radians(data["spacing_deg"])),
            heights_m=data["heights_m"],
            source=str(data["source"]),
        )


_HGT_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})\.hgt$", re.IGNORECASE)


def read_srtm_hgt(path: str | Path) -> ElevationGrid:
    """Read one SRTM ``.hgt`` tile.

    The file is a square of big-endian int16 heights (metres), 1201 x 1201 (3 arc-second)
    or 3601 x 3601 (1 arc-second), rows from north to south; the outer rows and columns
    lie on the whole-degree edges of the tile, whose south-west corner is given by the
    name, e.g. ``N39E032.hgt`` spans 39-40 N, 32-33 E. Voids (-32768) become NaN
    (NASA, *SRTM Topography* documentation, 2003).

    Parameters
    ----------
    path : str or Path
        The ``.hgt`` file; the name must follow the ``N39E032.hgt`` pattern.

    Returns
    -------
    ElevationGrid
        float32 heights, row 0 = southern edge.

    Raises
    ------
    TerrainFileError
        Bad name or size.
    """
    path = Path(path)
    match = _HGT_NAME.match(path.name)
    if match is None:
        msg = f"{path}: SRTM tile names look like N39E032.hgt (south-west corner)"
        raise TerrainFileError(msg)
    lat_sw_deg = int(match[2]) * (1 if match[1].upper() == "N" else -1)
    lon_sw_deg = int(match[4]) * (1 if match[3].upper() == "E" else -1)
    raw = path.read_bytes()
    sizes = {1201 * 1201 * 2: 1201, 3601 * 3601 * 2: 3601}
    if len(raw) not in sizes:
        msg = (
            f"{path}: {len(raw)} bytes is not an SRTM tile "
            "(expected 1201x1201 or 3601x3601 big-endian int16 samples)"
        )
        raise TerrainFileError(msg)
    n = sizes[len(raw)]
    samples = np.frombuffer(raw, dtype=">i2").reshape(n, n)[::-1]
    heights = samples.astype(np.float32)
    heights[samples == SRTM_VOID] = np.nan
    spacing_rad = np.radians(1.0 / (n - 1))
    return ElevationGrid(
        lat0_rad=float(np.radians(lat_sw_deg)),
        lon0_rad=float(np.radians(lon_sw_deg)),
        dlat_rad=float(spacing_rad),
        dlon_rad=float(spacing_rad),
        heights_m=heights,
        source=f"SRTM {path.name}",
    )


# --- GeoTIFF -------------------------------------------------------------------------------
# Baseline TIFF 6.0 (Adobe, 1992) and the OGC GeoTIFF 1.1 standard (OGC 19-008r4).
_TIFF_TYPES = {1: "B", 2: "s", 3: "H", 4: "I", 5: "II", 6: "b", 7: "B", 8: "h", 9: "i",
               10: "ii", 11: "f", 12: "d", 16: "Q", 17: "q"}  # fmt: skip
_SAMPLE_DTYPES = {(1, 8): "u1", (1, 16): "u2", (1, 32): "u4", (2, 8): "i1", (2, 16): "i2",
                  (2, 32): "i4", (3, 32): "f4", (3, 64): "f8"}  # fmt: skip
_MODEL_TYPE_KEY, _RASTER_TYPE_KEY = 1024, 1025
_MODEL_TYPE_GEOGRAPHIC, _RASTER_PIXEL_IS_POINT = 2, 2


def _read_ifd(raw: bytes, order: str, offset: int, name: str) -> dict[int, tuple]:
    """Tags of the first image file directory, each as a tuple of values."""
    (count,) = struct.unpack_from(order + "H", raw, offset)
    tags: dict[int, tuple] = {}
    for k in range(count):
        tag, kind, n = struct.unpack_from(order + "HHI", raw, offset + 2 + 12 * k)
        if kind not in _TIFF_TYPES:
            continue
        code = _TIFF_TYPES[kind]
        size = struct.calcsize(order + code) * n
        where = offset + 2 + 12 * k + 8
        if size > 4:
            (where,) = struct.unpack_from(order + "I", raw, where)
        if where + size > len(raw):
            msg = f"{name}: TIFF tag {tag} points past the end of the file"
            raise TerrainFileError(msg)
        if code == "s":
            tags[tag] = (raw[where : where + n].rstrip(b"\0").decode("latin-1"),)
        else:
            tags[tag] = struct.unpack_from(order + code * n, raw, where)
    return tags


def _decode_blocks(raw: bytes, tags: dict[int, tuple], dtype: np.dtype, name: str) -> np.ndarray:
    """Assemble the strips or tiles of a single-band image into one 2-D array."""
    width, height = tags[256][0], tags[257][0]
    compression = tags.get(259, (1,))[0]
    predictor = tags.get(317, (1,))[0]
    if compression not in (1, 8, 32946):
        msg = (
            f"{name}: TIFF compression {compression} is not supported (only none or Deflate); "
            "convert with e.g. gdal_translate -co COMPRESS=DEFLATE"
        )
        raise TerrainFileError(msg)
    if predictor not in (1, 2) or (predictor == 2 and dtype.kind == "f"):
        msg = f"{name}: TIFF predictor {predictor} is not supported for {dtype}"
        raise TerrainFileError(msg)
    if 322 in tags:
        block_w, block_h = tags[322][0], tags[323][0]
        offsets, counts = tags[324], tags[325]
    else:
        block_w, block_h = width, tags.get(278, (height,))[0]
        offsets, counts = tags[273], tags[279]
    n_across = -(-width // block_w)
    image = np.zeros((-(-height // block_h) * block_h, n_across * block_w), dtype=dtype)
    for k, (start, count) in enumerate(zip(offsets, counts, strict=True)):
        data = raw[start : start + count]
        if compression != 1:
            try:
                data = zlib.decompress(data)
            except zlib.error as exc:
                msg = f"{name}: corrupt Deflate data in block {k}: {exc}"
                raise TerrainFileError(msg) from exc
        rows = min(block_h, len(data) // (dtype.itemsize * block_w))
        block = np.frombuffer(data, dtype=dtype, count=rows * block_w).reshape(rows, block_w)
        if predictor == 2:
            # Horizontal differencing: integer cumulative sum along each row, wrapping.
            block = np.cumsum(block, axis=1, dtype=dtype)
        r0, c0 = (k // n_across) * block_h, (k % n_across) * block_w
        image[r0 : r0 + rows, c0 : c0 + block_w] = block
    return image[:height, :width]


def read_geotiff(path: str | Path) -> ElevationGrid:
    """Read a single-band GeoTIFF elevation model in geographic coordinates.

    Supported: classic TIFF (little or big endian), strips or tiles, no compression or
    Deflate (predictor 1, or 2 for integers), 8/16/32-bit integer or 32/64-bit float
    samples, georeferencing by ModelPixelScale (33550) + ModelTiepoint (33922), raster type
    PixelIsArea (centres half a pixel in) or PixelIsPoint, GDAL_NODATA (42113) and -32768
    as voids. The model must be geographic (GTModelTypeGeoKey = 2, lon/lat degrees)
    (OGC GeoTIFF 1.1, OGC 19-008r4, sections 7.4 and 7.5).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    ElevationGrid
        float32 heights, row 0 = southernmost row.

    Raises
    ------
    TerrainFileError
        Not a TIFF, BigTIFF, several bands, projected CRS, rotated model, unsupported
        compression, or missing georeferencing; the message names the file.
    """
    path = Path(path)
    name = str(path)
    raw = path.read_bytes()
    if raw[:4] not in (b"II*\0", b"MM\0*"):
        msg = f"{name}: not a classic TIFF file (BigTIFF is not supported)"
        raise TerrainFileError(msg)
    order = "<" if raw[:2] == b"II" else ">"
    try:
        tags = _read_ifd(raw, order, struct.unpack_from(order + "I", raw, 4)[0], name)
    except struct.error as exc:
        msg = f"{name}: truncated TIFF directory"
        raise TerrainFileError(msg) from exc
    if tags.get(277, (1,))[0] != 1:
        msg = f"{name}: {tags[277][0]} samples per pixel; one band expected"
        raise TerrainFileError(msg)
    key = (tags.get(339, (1,))[0], tags.get(258, (8,))[0])
    if key not in _SAMPLE_DTYPES:
        msg = f"{name}: unsupported sample format/bits {key}"
        raise TerrainFileError(msg)
    if 33550 not in tags or 33922 not in tags:
        msg = f"{name}: no ModelPixelScale/ModelTiepoint tags (a rotated or unreferenced image)"
        raise TerrainFileError(msg)
    geokeys = tags.get(34735, ())
    keys = {geokeys[i]: geokeys[i + 3] for i in range(4, len(geokeys) - 3, 4)}
    if keys.get(_MODEL_TYPE_KEY, _MODEL_TYPE_GEOGRAPHIC) != _MODEL_TYPE_GEOGRAPHIC:
        msg = f"{name}: projected coordinates; reproject to geographic lon/lat (EPSG:4326)"
        raise TerrainFileError(msg)
    dtype = np.dtype(order + _SAMPLE_DTYPES[key])
    image = _decode_blocks(raw, tags, dtype, name).astype(np.float32)
    voids = image == SRTM_VOID
    if 42113 in tags:
        nodata = tags[42113][0].strip()
        if nodata.lower() != "nan":
            voids |= image == np.float32(float(nodata))
    image[voids] = np.nan

    scale_x, scale_y = tags[33550][0], tags[33550][1]
    i_tie, j_tie, _, lon_tie, lat_tie, _ = tags[33922][:6]
    # Raster space (0, 0) is the outer corner of the first pixel for PixelIsArea, and its
    # centre for PixelIsPoint (GeoTIFF 1.1, section 7.5).
    half = 0.0 if keys.get(_RASTER_TYPE_KEY, 1) == _RASTER_PIXEL_IS_POINT else 0.5
    lon_first = lon_tie + (half - i_tie) * scale_x
    lat_first = lat_tie - (half - j_tie) * scale_y
    lat_last = lat_first - (image.shape[0] - 1) * scale_y
    return ElevationGrid(
        lat0_rad=float(np.radians(lat_last)),
        lon0_rad=float(np.radians(lon_first)),
        dlat_rad=float(np.radians(scale_y)),
        dlon_rad=float(np.radians(scale_x)),
        heights_m=image[::-1],
        source=f"GeoTIFF {path.name}",
    )


def mosaic(grids: list[ElevationGrid]) -> ElevationGrid:
    """Join grids of equal spacing whose samples lie on one common lattice.

    Cells no grid covers are NaN; where grids overlap (the shared edge rows of SRTM tiles)
    the later grid's finite samples win.

    Parameters
    ----------
    grids : list of ElevationGrid
        At least one grid; all with the same ``dlat_rad``/``dlon_rad`` and origins an
        integer number of samples apart.

    Returns
    -------
    ElevationGrid
        float32 heights over the bounding box of all grids.
    """
    if not grids:
        msg = "mosaic needs at least one grid"
        raise ValueError(msg)
    first = grids[0]
    dlat, dlon = first.dlat_rad, first.dlon_rad
    lat0 = min(g.lat0_rad for g in grids)
    lon0 = min(g.lon0_rad for g in grids)
    placed = []
    for g in grids:
        if not (
            np.isclose(g.dlat_rad, dlat, rtol=1e-9) and np.isclose(g.dlon_rad, dlon, rtol=1e-9)
        ):
            msg = "mosaic: grids have different spacings"
            raise ValueError(msg)
        i_f, j_f = (g.lat0_rad - lat0) / dlat, (g.lon0_rad - lon0) / dlon
        i, j = round(i_f), round(j_f)
        if abs(i - i_f) > 1e-6 or abs(j - j_f) > 1e-6:
            msg = "mosaic: grid origins are not on a common lattice"
            raise ValueError(msg)
        placed.append((i, j, g))
    n_lat = max(i + g.shape[0] for i, _, g in placed)
    n_lon = max(j + g.shape[1] for _, j, g in placed)
    heights = np.full((n_lat, n_lon), np.nan, dtype=np.float32)
    for i, j, g in placed:
        part = heights[i : i + g.shape[0], j : j + g.shape[1]]
        values = g.heights_m.astype(np.float32)
        np.copyto(part, values, where=np.isfinite(values))
    return ElevationGrid(
        lat0, lon0, dlat, dlon, heights, source=" + ".join(g.source for g in grids)
    )


def _query_points(
    lat_rad: ArrayLike, lon_rad: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Query latitudes and longitudes as float64 arrays of one (broadcast) shape."""
    lat = np.asarray(lat_rad, dtype=np.float64)
    lon = np.asarray(lon_rad, dtype=np.float64)
    if lat.shape != lon.shape:
        lat, lon = np.broadcast_arrays(lat, lon)
    return lat, lon
