"""Write gridded results (Pd maps) as GeoTIFF and as CF NetCDF, atomically.

* :func:`write_geotiff` - one band of float32 on a regular lon/lat grid, a minimal
  classic TIFF (little endian, uncompressed, one strip per row) with GeoTIFF tags for
  EPSG:4326 (OGC GeoTIFF 1.1, OGC 19-008r4: ModelPixelScale 33550, ModelTiepoint 33922,
  GeoKeyDirectory 34735; GTModelType = geographic, GTRasterType = PixelIsArea,
  GeographicType = 4326) and GDAL's no-data tag 42113. Written by hand: nothing in the
  environment writes GeoTIFF without GDAL, and the file layout is a few hundred bytes of
  header (TIFF 6.0 specification, Adobe 1992, sections 2 and 8).
* :func:`write_netcdf` - NetCDF-3 classic through :class:`scipy.io.netcdf_file`, with
  CF-1.8 coordinate variables (``lat``, ``lon``, ``alt``) and attributes.

Both write to a temporary file beside the target and then rename it (``os.replace``), so a
reader never sees half a file.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from scipy.io import netcdf_file

__all__ = ["write_geotiff", "write_netcdf"]

# TIFF field types (TIFF 6.0, section 2): byte counts per value.
_ASCII, _SHORT, _LONG, _DOUBLE = 2, 3, 4, 12
_TYPE_SIZE = {_ASCII: 1, _SHORT: 2, _LONG: 4, _DOUBLE: 8}
_TYPE_CODE = {_ASCII: "s", _SHORT: "H", _LONG: "I", _DOUBLE: "d"}

# GeoKey ids and values (OGC 19-008r4, sections 7.4-7.5 and annex B).
_GT_MODEL_TYPE, _MODEL_GEOGRAPHIC = 1024, 2
_GT_RASTER_TYPE, _PIXEL_IS_AREA = 1025, 1
_GEOGRAPHIC_TYPE, _EPSG_WGS84 = 2048, 4326
_GEOG_ANGULAR_UNITS, _ANGULAR_DEGREE = 2054, 9102


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _regular_step(axis_deg: np.ndarray, name: str) -> float:
    if axis_deg.ndim != 1 or axis_deg.size < 2:
        msg = f"{name} needs at least two values"
        raise ValueError(msg)
    steps = np.diff(axis_deg)
    if steps[0] <= 0 or not np.allclose(steps, steps[0], rtol=1e-6, atol=0.0):
        msg = f"{name} must be increasing and equally spaced"
        raise ValueError(msg)
    return float(steps.mean())


def _ifd_entries(tags: list[tuple[int, int, list]], data_offset: int) -> tuple[bytes, bytes]:
    """Directory bytes and the out-of-line value bytes placed at ``data_offset``."""
    directory = struct.pack("<H", len(tags))
    extra = b""
    for tag, kind, values in sorted(tags, key=lambda t: t[0]):
        if kind == _ASCII:
            payload = values[0].encode("ascii") + b"\0"
            count = len(payload)
        else:
            payload = struct.pack(f"<{len(values)}{_TYPE_CODE[kind]}", *values)
            count = len(values)
        if len(payload) <= 4:
            field = payload.ljust(4, b"\0")
        else:
            if len(extra) % 2:
                extra += b"\0"  # values start on a word boundary (TIFF 6.0, section 2)
            field = struct.pack("<I", data_offset + len(extra))
            extra += payload
        directory += struct.pack("<HHI", tag, kind, count) + field
    return directory + struct.pack("<I", 0), extra


def write_geotiff(
    path: str | Path,
    values: ArrayLike,
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    *,
    nodata: float | None = None,
    description: str = "",
) -> Path:
    """Write one band on a regular latitude/longitude grid as a float32 GeoTIFF (EPSG:4326).

    Parameters
    ----------
    path : str or Path
    values : (n_lat, n_lon) array
        Row 0 is the southernmost row (the array is flipped to TIFF's north-up order).
    lat_deg : (n_lat,) float
        Cell-centre latitudes, increasing, equally spaced, degrees.
    lon_deg : (n_lon,) float
        Cell-centre longitudes, increasing, equally spaced, degrees.
    nodata : float, optional
        Written as the GDAL_NODATA tag.
    description : str
        ImageDescription (ASCII).

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    image = np.asarray(values, dtype="<f4")
    lat = np.asarray(lat_deg, np.float64)
    lon = np.asarray(lon_deg, np.float64)
    if image.shape != (lat.size, lon.size):
        msg = f"values have shape {image.shape}, axes give {(lat.size, lon.size)}"
        raise ValueError(msg)
    dlat, dlon = _regular_step(lat, "lat_deg"), _regular_step(lon, "lon_deg")
    rows = np.ascontiguousarray(image[::-1])
    n_rows, n_cols = rows.shape
    row_bytes = n_cols * 4
    header = 8
    pixels_offset = header
    ifd_offset = pixels_offset + rows.nbytes
    ifd_offset += ifd_offset % 2
    geokeys = [1, 1, 0, 4]
    geokeys += [_GT_MODEL_TYPE, 0, 1, _MODEL_GEOGRAPHIC]
    geokeys += [_GT_RASTER_TYPE, 0, 1, _PIXEL_IS_AREA]
    geokeys += [_GEOGRAPHIC_TYPE, 0, 1, _EPSG_WGS84]
    geokeys += [_GEOG_ANGULAR_UNITS, 0, 1, _ANGULAR_DEGREE]
    # Tie raster (0, 0), the outer corner of the north-west pixel, to its lon/lat.
    west_edge, north_edge = lon[0] - 0.5 * dlon, lat[-1] + 0.5 * dlat
    tags: list[tuple[int, int, list]] = [
        (256, _LONG, [n_cols]),
        (257, _LONG, [n_rows]),
        (258, _SHORT, [32]),
        (259, _SHORT, [1]),  # no compression
        (262, _SHORT, [1]),  # BlackIsZero
        (273, _LONG, [pixels_offset + i * row_bytes for i in range(n_rows)]),
        (277, _SHORT, [1]),
        (278, _LONG, [1]),
        (279, _LONG, [row_bytes] * n_rows),
        (284, _SHORT, [1]),
        (339, _SHORT, [3]),  # IEEE floating point
        (33550, _DOUBLE, [dlon, dlat, 0.0]),
        (33922, _DOUBLE, [0.0, 0.0, 0.0, west_edge, north_edge, 0.0]),
        (34735, _SHORT, geokeys),
    ]
    if description:
        tags.append((270, _ASCII, [description.encode("ascii", "replace").decode("ascii")]))
    if nodata is not None:
        tags.append((42113, _ASCII, [repr(float(nodata))]))
    n_tags = len(tags)
    data_offset = ifd_offset + 2 + 12 * n_tags + 4
    directory, extra = _ifd_entries(tags, data_offset)
    body = b"II*\0" + struct.pack("<I", ifd_offset) + rows.tobytes()
    body = body.ljust(ifd_offset, b"\0") + directory + extra
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path)
    try:
        temporary.write_bytes(body)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_netcdf(
    path: str | Path,
    pd: ArrayLike,
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    alt_m: ArrayLike,
    *,
    variable: str = "pd",
    long_name: str = "single-scan probability of detection",
    altitude_reference: str = "msl",
    attributes: Mapping[str, str | float | int] | None = None,
) -> Path:
    """Write an ``(alt, lat, lon)`` field as NetCDF-3 classic with CF-1.8 coordinates.

    Parameters
    ----------
    path : str or Path
    pd : (n_alt, n_lat, n_lon) array
        Stored as float32; row 0 southernmost.
    lat_deg, lon_deg : (n_lat,), (n_lon,) float
        Cell centres, degrees north / east.
    alt_m : (n_alt,) float
        Target altitudes, m.
    variable, long_name : str
        Name and description of the data variable.
    altitude_reference : {"msl", "agl"}
        Height above mean sea level (CF standard name ``altitude``) or above the surface
        (CF standard name ``height``).
    attributes : mapping, optional
        Extra global attributes (strings or numbers).

    Returns
    -------
    Path
    """
    path = Path(path)
    data = np.asarray(pd, np.float32)
    lat = np.asarray(lat_deg, np.float64)
    lon = np.asarray(lon_deg, np.float64)
    alt = np.asarray(alt_m, np.float64)
    if data.shape != (alt.size, lat.size, lon.size):
        msg = f"{variable} has shape {data.shape}, axes give {(alt.size, lat.size, lon.size)}"
        raise ValueError(msg)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path)
    try:
        with netcdf_file(temporary, "w", version=2) as nc:
            nc.Conventions = "CF-1.8"
            nc.title = long_name
            nc.institution = "iadsim"
            nc.history = f"{datetime.now(UTC).isoformat(timespec='seconds')} written by iadsim"
            for key, value in (attributes or {}).items():
                setattr(nc, key, value)
            nc.createDimension("alt", alt.size)
            nc.createDimension("lat", lat.size)
            nc.createDimension("lon", lon.size)
            lat_var = nc.createVariable("lat", "f8", ("lat",))
            lat_var[:] = lat
            lat_var.units, lat_var.standard_name, lat_var.axis = "degrees_north", "latitude", "Y"
            lon_var = nc.createVariable("lon", "f8", ("lon",))
            lon_var[:] = lon
            lon_var.units, lon_var.standard_name, lon_var.axis = "degrees_east", "longitude", "X"
            alt_var = nc.createVariable("alt", "f8", ("alt",))
            alt_var[:] = alt
            alt_var.units, alt_var.positive, alt_var.axis = "m", "up", "Z"
            if altitude_reference == "agl":
                alt_var.standard_name = "height"
                alt_var.long_name = "target height above the terrain"
            else:
                alt_var.standard_name = "altitude"
                alt_var.long_name = "target altitude above mean sea level"
            field = nc.createVariable(variable, "f4", ("alt", "lat", "lon"))
            field[:] = data
            field.units = "1"
            field.long_name = long_name
            field.valid_min, field.valid_max = np.float32(0.0), np.float32(1.0)
            field.grid_mapping = "crs"
            crs = nc.createVariable("crs", "i4", ())
            crs.grid_mapping_name = "latitude_longitude"
            crs.semi_major_axis = 6378137.0
            crs.inverse_flattening = 298.257223563
            crs.crs_wkt = 'GEOGCRS["WGS 84",ID["EPSG",4326]]'
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
