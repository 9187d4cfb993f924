"""GeoTIFF and NetCDF writers: read back by independent readers, atomically written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy.io import netcdf_file

from iadsim.geo.terrain import read_geotiff
from iadsim.io.raster import write_geotiff, write_netcdf

LAT = np.linspace(39.0, 41.0, 9)  # cell centres, 0.25 deg
LON = np.linspace(31.5, 34.0, 11)


def field(shape=(9, 11)) -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.random(shape).astype(np.float32)


def test_geotiff_round_trip_through_the_terrain_reader(tmp_path: Path):
    values = field()
    path = write_geotiff(tmp_path / "pd.tif", values, LAT, LON, description="Pd test")
    grid = read_geotiff(path)
    # read_geotiff returns row 0 = south like the writer's input
    np.testing.assert_array_equal(grid.heights_m, values)
    assert np.degrees(grid.lat0_rad) == pytest.approx(LAT[0])
    assert np.degrees(grid.lon0_rad) == pytest.approx(LON[0])
    assert np.degrees(grid.dlat_rad) == pytest.approx(0.25)
    assert np.degrees(grid.dlon_rad) == pytest.approx(0.25)
    # a point between samples reads the bilinear mix of the written values
    value = grid.height_m(np.radians(LAT[3]), np.radians(0.5 * (LON[4] + LON[5])))
    assert value == pytest.approx(0.5 * (values[3, 4] + values[3, 5]), rel=1e-6)


def test_geotiff_is_a_plain_float_tiff_for_other_readers(tmp_path: Path):
    values = field()
    path = write_geotiff(tmp_path / "pd.tif", values, LAT, LON)
    with Image.open(path) as image:
        assert image.mode == "F"
        assert image.size == (11, 9)
        pixels = np.asarray(image)
    np.testing.assert_array_equal(pixels, values[::-1])  # TIFF rows run north to south
    assert path.read_bytes()[:4] == b"II*\0"


def test_geotiff_nodata_becomes_voids(tmp_path: Path):
    values = field()
    values[2, 3] = -9999.0
    grid = read_geotiff(write_geotiff(tmp_path / "n.tif", values, LAT, LON, nodata=-9999.0))
    assert np.isnan(grid.heights_m[2, 3])
    assert np.isfinite(np.delete(grid.heights_m.ravel(), 2 * 11 + 3)).all()


def test_netcdf_round_trip_with_cf_coordinates(tmp_path: Path):
    pd = np.stack([field(), field() * 0.5])
    path = write_netcdf(
        tmp_path / "pd.nc",
        pd,
        LAT,
        LON,
        [100.0, 1000.0],
        altitude_reference="agl",
        attributes={"target": "f35a", "radars": "a, b"},
    )
    assert path.read_bytes()[:4] == b"CDF\x02"
    with netcdf_file(path, "r", mmap=False) as nc:
        np.testing.assert_array_equal(nc.variables["pd"][:], pd)
        np.testing.assert_array_equal(nc.variables["lat"][:], LAT)
        np.testing.assert_array_equal(nc.variables["lon"][:], LON)
        np.testing.assert_array_equal(nc.variables["alt"][:], [100.0, 1000.0])
        assert nc.variables["pd"].dimensions == ("alt", "lat", "lon")
        assert nc.variables["lat"].units == b"degrees_north"
        assert nc.variables["lon"].standard_name == b"longitude"
        assert nc.variables["alt"].standard_name == b"height"
        assert nc.Conventions == b"CF-1.8"
        assert nc.target == b"f35a"


def test_failed_writes_leave_the_old_file_and_no_temporaries(tmp_path: Path):
    path = write_geotiff(tmp_path / "a.tif", field(), LAT, LON)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="shape"):
        write_geotiff(path, field((3, 3)), LAT, LON)
    with pytest.raises(ValueError, match="equally spaced"):
        write_geotiff(path, field(), LAT**2, LON)
    nc = write_netcdf(tmp_path / "a.nc", field()[None], LAT, LON, [5.0])
    with pytest.raises(ValueError, match="shape"):
        write_netcdf(nc, field(), LAT, LON, [5.0])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nc", "a.tif"]
