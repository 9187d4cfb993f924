"""Elevation grids: bilinear reading, SRTM/GeoTIFF loaders, mosaic, bundled data."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, TiffImagePlugin
from scipy.interpolate import RegularGridInterpolator

from iadsim.geo.terrain import (
    ElevationGrid,
    TerrainFileError,
    load_bundled,
    mosaic,
    read_geotiff,
    read_srtm_hgt,
)

rad = np.radians


def _random_grid(rng: np.random.Generator, dtype: type = np.float32) -> ElevationGrid:
    heights = rng.uniform(-50.0, 3000.0, size=(40, 70)).astype(dtype)
    return ElevationGrid(rad(36.0), rad(30.0), rad(0.05), rad(0.08), heights)


def test_bilinear_matches_scipy_regular_grid_interpolator() -> None:
    rng = np.random.default_rng(7)
    grid = _random_grid(rng)
    reference = RegularGridInterpolator(
        (grid.lat_rad, grid.lon_rad), grid.heights_m.astype(np.float64), method="linear"
    )
    lat = rng.uniform(grid.lat_rad[0], grid.lat_rad[-1], size=(50, 20))
    lon = rng.uniform(grid.lon_rad[0], grid.lon_rad[-1], size=(50, 20))
    expected = reference(np.stack([lat, lon], axis=-1))
    np.testing.assert_allclose(grid.height_m(lat, lon), expected, rtol=0, atol=1e-6)


def test_bilinear_is_exact_on_samples_and_on_the_far_edges() -> None:
    grid = _random_grid(np.random.default_rng(1))
    i, j = np.meshgrid(np.arange(grid.shape[0]), np.arange(grid.shape[1]), indexing="ij")
    lat = grid.lat0_rad + i * grid.dlat_rad
    lon = grid.lon0_rad + j * grid.dlon_rad
    np.testing.assert_allclose(grid.height_m(lat, lon), grid.heights_m, atol=1e-3)


def test_outside_points_get_the_fill_value() -> None:
    grid = _random_grid(np.random.default_rng(2))
    lat = np.array([rad(35.9), rad(38.0), rad(50.0)])
    lon = np.array([rad(31.0), rad(29.9), rad(31.0)])
    assert np.isnan(grid.height_m(lat, lon)).all()
    np.testing.assert_array_equal(grid.height_m(lat, lon, fill_m=0.0), 0.0)


def test_longitude_is_read_modulo_a_full_turn() -> None:
    grid = _random_grid(np.random.default_rng(3))
    lat, lon = rad(37.1), rad(33.3)
    assert grid.height_m(lat, lon - 2 * np.pi) == pytest.approx(grid.height_m(lat, lon))


def test_int16_grid_reads_like_its_float_copy() -> None:
    grid16 = _random_grid(np.random.default_rng(4), dtype=np.int16)
    grid32 = ElevationGrid(
        grid16.lat0_rad,
        grid16.lon0_rad,
        grid16.dlat_rad,
        grid16.dlon_rad,
        grid16.heights_m.astype(np.float32),
    )
    lat = np.linspace(rad(36.01), rad(37.9), 33)
    lon = np.linspace(rad(30.01), rad(35.4), 33)
    np.testing.assert_allclose(grid16.height_m(lat, lon), grid32.height_m(lat, lon), atol=1e-9)


def test_grid_is_read_only_and_rejects_bad_shapes() -> None:
    grid = _random_grid(np.random.default_rng(5))
    with pytest.raises(ValueError, match="read-only"):
        grid.heights_m[0, 0] = 1.0
    with pytest.raises(ValueError, match="2-D"):
        ElevationGrid(0.0, 0.0, 0.1, 0.1, np.zeros(5))
    with pytest.raises(ValueError, match="positive"):
        ElevationGrid(0.0, 0.0, 0.0, 0.1, np.zeros((3, 3)))


def _write_hgt(path: Path, n: int) -> np.ndarray:
    """A tile whose sample at file row r, column c holds (r * 7 + c) % 3000."""
    index = np.arange(n, dtype=np.int32)
    samples = ((index[:, None] * 7 + index[None, :]) % 3000).astype(">i2")
    samples[5, 9] = -32768
    path.write_bytes(samples.tobytes())
    return samples


@pytest.mark.parametrize("n", [1201, 3601])
def test_srtm_hgt_reader_places_samples_on_whole_degree_edges(tmp_path: Path, n: int) -> None:
    path = tmp_path / "N39E032.hgt"
    samples = _write_hgt(path, n)
    grid = read_srtm_hgt(path)
    spacing_deg = 1.0 / (n - 1)  # 3 or 1 arc-second
    assert grid.shape == (n, n)
    assert np.degrees(grid.dlat_rad) == pytest.approx(spacing_deg)
    # The first sample of the file is the north-west corner (40 N, 32 E); the last one is
    # the south-east corner (39 N, 33 E).
    assert grid.height_m(rad(40.0), rad(32.0)) == samples[0, 0]
    assert grid.height_m(rad(39.0), rad(33.0)) == samples[-1, -1]
    lat = 40.0 - 3 * spacing_deg
    lon = 32.0 + 11 * spacing_deg
    assert grid.height_m(rad(lat), rad(lon)) == pytest.approx(float(samples[3, 11]))
    assert np.isnan(grid.height_m(rad(40.0 - 5 * spacing_deg), rad(32.0 + 9 * spacing_deg)))


def test_srtm_hgt_reader_reads_southern_and_western_names(tmp_path: Path) -> None:
    path = tmp_path / "s12w077.hgt"
    _write_hgt(path, 1201)
    grid = read_srtm_hgt(path)
    assert np.degrees(grid.lat0_rad) == pytest.approx(-12.0)
    assert np.degrees(grid.lon0_rad) == pytest.approx(-77.0)


def test_srtm_hgt_reader_names_the_file_on_bad_size_or_name(tmp_path: Path) -> None:
    bad_size = tmp_path / "N39E032.hgt"
    bad_size.write_bytes(b"\0" * 1000)
    with pytest.raises(TerrainFileError, match=r"N39E032\.hgt.*1000 bytes"):
        read_srtm_hgt(bad_size)
    bad_name = tmp_path / "ankara.hgt"
    bad_name.write_bytes(b"\0" * (1201 * 1201 * 2))
    with pytest.raises(TerrainFileError, match=r"ankara\.hgt"):
        read_srtm_hgt(bad_name)


def _geotiff_tags(pixel_is_point: bool) -> TiffImagePlugin.ImageFileDirectory_v2:
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[33550], tags.tagtype[33550] = (0.5, 0.25, 0.0), 12  # ModelPixelScale
    tags[33922], tags.tagtype[33922] = (0.0, 0.0, 0.0, 30.0, 41.0, 0.0), 12  # ModelTiepoint
    raster_type = 2 if pixel_is_point else 1
    tags[34735] = (1, 1, 0, 2, 1024, 0, 1, 2, 1025, 0, 1, raster_type)  # geographic
    tags.tagtype[34735] = 3
    tags[42113], tags.tagtype[42113] = "-9999", 2
    return tags


@pytest.mark.parametrize("compression", [None, "tiff_adobe_deflate"])
@pytest.mark.parametrize("pixel_is_point", [False, True])
def test_geotiff_written_by_pillow_is_georeferenced(
    tmp_path: Path, compression: str | None, pixel_is_point: bool
) -> None:
    heights = (np.arange(12 * 10).reshape(12, 10) * 1.5).astype(np.float32)
    heights[4, 6] = -9999.0
    path = tmp_path / "dem.tif"
    Image.fromarray(heights).save(
        path, tiffinfo=_geotiff_tags(pixel_is_point), compression=compression
    )
    grid = read_geotiff(path)
    # Tiepoint: raster (0, 0) <-> (30 E, 41 N); 0.5 deg per column, 0.25 deg per row.
    # PixelIsArea puts the first centre half a pixel in; PixelIsPoint puts it on the tiepoint.
    first_lon, first_lat = (30.0, 41.0) if pixel_is_point else (30.25, 40.875)
    assert grid.shape == (12, 10)
    assert grid.height_m(rad(first_lat), rad(first_lon)) == pytest.approx(heights[0, 0])
    lat, lon = first_lat - 7 * 0.25, first_lon + 3 * 0.5
    assert grid.height_m(rad(lat), rad(lon)) == pytest.approx(heights[7, 3])
    assert np.isnan(grid.height_m(rad(first_lat - 4 * 0.25), rad(first_lon + 6 * 0.5)))


def _tiled_int16_deflate_tiff(heights: np.ndarray, tile: int) -> bytes:
    """Big-endian, tiled, Deflate, horizontal-predictor int16 TIFF (TIFF 6.0 sections 14-15)."""
    n_rows, n_cols = heights.shape
    tiles = []
    for r0 in range(0, n_rows, tile):
        for c0 in range(0, n_cols, tile):
            block = np.zeros((tile, tile), dtype=">i2")
            part = heights[r0 : r0 + tile, c0 : c0 + tile]
            block[: part.shape[0], : part.shape[1]] = part
            diff = np.diff(block.astype(np.int32), axis=1, prepend=0).astype(">i2")
            tiles.append(zlib.compress(diff.tobytes()))
    doubles = struct.pack(">3d", 0.1, 0.1, 0.0) + struct.pack(">6d", 0, 0, 0, 24.0, 44.0, 0)
    n_tiles = len(tiles)
    entries = [  # tag, type, count, value-or-offset placeholder
        (256, 3, 1, n_cols), (257, 3, 1, n_rows), (258, 3, 1, 16), (259, 3, 1, 8),
        (277, 3, 1, 1), (317, 3, 1, 2), (322, 3, 1, tile), (323, 3, 1, tile),
        (324, 4, n_tiles, None), (325, 4, n_tiles, None), (339, 3, 1, 2),
        (33550, 12, 3, None), (33922, 12, 6, None),
    ]  # fmt: skip
    ifd_size = 2 + 12 * len(entries) + 4
    extra_at = 8 + ifd_size
    offsets_at, counts_at = extra_at, extra_at + 4 * n_tiles
    doubles_at = counts_at + 4 * n_tiles
    data_at = doubles_at + len(doubles)
    tile_offsets = np.cumsum([data_at] + [len(t) for t in tiles[:-1]])
    ifd = struct.pack(">H", len(entries))
    pointers = {324: offsets_at, 325: counts_at, 33550: doubles_at, 33922: doubles_at + 24}
    for tag, kind, count, value in entries:
        if value is None:
            ifd += struct.pack(">HHII", tag, kind, count, pointers[tag])
        else:
            ifd += struct.pack(">HHIHH", tag, kind, count, value, 0)
    ifd += struct.pack(">I", 0)
    extra = struct.pack(f">{n_tiles}I", *tile_offsets)
    extra += struct.pack(f">{n_tiles}I", *[len(t) for t in tiles])
    return b"MM\0*" + struct.pack(">I", 8) + ifd + extra + doubles + b"".join(tiles)


def test_geotiff_reader_handles_tiles_deflate_and_predictor(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    heights = rng.integers(-400, 5000, size=(37, 45)).astype(np.int16)
    path = tmp_path / "tiled.tif"
    path.write_bytes(_tiled_int16_deflate_tiff(heights, tile=16))
    grid = read_geotiff(path)
    assert grid.shape == heights.shape
    np.testing.assert_array_equal(grid.heights_m[::-1], heights.astype(np.float32))
    assert np.degrees(grid.lat0_rad) == pytest.approx(44.0 - 0.05 - 36 * 0.1)
    assert np.degrees(grid.lon0_rad) == pytest.approx(24.05)


def test_geotiff_reader_names_the_file_on_errors(tmp_path: Path) -> None:
    not_tiff = tmp_path / "notes.tif"
    not_tiff.write_bytes(b"hello world")
    with pytest.raises(TerrainFileError, match=r"notes\.tif"):
        read_geotiff(not_tiff)
    plain = tmp_path / "plain.tif"
    Image.fromarray(np.zeros((4, 4), dtype=np.float32)).save(plain)
    with pytest.raises(TerrainFileError, match=r"plain\.tif.*ModelPixelScale"):
        read_geotiff(plain)


def test_mosaic_joins_neighbouring_srtm_tiles(tmp_path: Path) -> None:
    west = tmp_path / "N39E032.hgt"
    east = tmp_path / "N39E033.hgt"
    west_samples = _write_hgt(west, 1201)
    east_samples = (_write_hgt(east, 1201).astype(np.int32) + 100).astype(">i2")
    east.write_bytes(east_samples.tobytes())
    joined = mosaic([read_srtm_hgt(west), read_srtm_hgt(east)])
    assert joined.shape == (1201, 2401)  # the shared 33 E column is stored once
    assert joined.height_m(rad(39.5), rad(32.0)) == pytest.approx(west_samples[600, 0])
    assert joined.height_m(rad(39.5), rad(34.0)) == pytest.approx(east_samples[600, -1])
    with pytest.raises(ValueError, match="spacing"):
        mosaic([read_srtm_hgt(west), _random_grid(np.random.default_rng(0))])


def test_bundled_grid_covers_turkey_with_plausible_heights() -> None:
    grid = load_bundled()
    lat_deg, lon_deg = np.degrees(grid.lat_rad), np.degrees(grid.lon_rad)
    assert lat_deg[0] <= 34.0 and lat_deg[-1] >= 44.0
    assert lon_deg[0] <= 24.0 and lon_deg[-1] >= 46.0
    assert np.degrees(grid.dlat_rad) * 60 == pytest.approx(1.0)
    # Ankara city centre stands at about 850-950 m.
    assert 850.0 <= grid.height_m(rad(39.93), rad(32.86)) <= 950.0
    # Mount Ararat (5137 m at 39.70 N, 44.30 E): block averaging keeps it above 4 km.
    lat = rad(np.linspace(39.6, 39.8, 25))[:, None]
    lon = rad(np.linspace(44.2, 44.4, 25))[None, :]
    assert grid.height_m(lat, lon).max() > 4000.0
    assert grid.height_m(rad(39.70), rad(44.30)) > 3000.0
    # The middle of the Black Sea is at sea level.
    assert grid.height_m(rad(43.0), rad(34.0)) == 0.0
    assert "GLOBE" in grid.source


def test_cell_angle_is_the_shorter_cell_side_at_the_highest_latitude() -> None:
    """One arc-minute over 30-48 N: the longitude step shrinks by cos(48 deg) to 0.669
    arc-minutes, shorter than the latitude step; a grid reaching the pole is capped at
    89 deg; the kernel geometry is the grid's placement."""
    minute = np.radians(1.0 / 60.0)
    grid = ElevationGrid(np.radians(30.0), np.radians(18.0), minute, minute, np.zeros((1081, 5)))
    assert grid.cell_angle_rad == pytest.approx(minute * np.cos(np.radians(48.0)), rel=1e-12)
    assert grid.cell_angle_rad == grid.cell_angle_rad  # cached, same value
    np.testing.assert_array_equal(
        grid.kernel_geometry, [np.radians(30.0), np.radians(18.0), minute, minute]
    )
    polar = ElevationGrid(np.radians(80.0), 0.0, np.radians(5.0), minute, np.zeros((3, 3)))
    assert polar.cell_angle_rad == pytest.approx(minute * np.cos(np.radians(89.0)), rel=1e-12)
    narrow = ElevationGrid(0.0, 0.0, minute / 4.0, minute, np.zeros((3, 3)))
    assert narrow.cell_angle_rad == minute / 4.0


def test_surface_height_is_the_terrain_clamped_at_sea_level_to_the_bit() -> None:
    """The compiled clamp gives np.maximum(height, 0) with voids at 0, -0 as +0, and a
    scalar for a scalar query."""
    rng = np.random.default_rng(8)
    heights = rng.uniform(-200.0, 900.0, (40, 60)).astype(np.float32)
    heights[rng.random(heights.shape) < 0.1] = np.nan
    heights[rng.random(heights.shape) < 0.1] = -0.0
    grid = ElevationGrid(0.6, 0.5, 1e-3, 1e-3, heights)
    lat = 0.6 + rng.uniform(-0.002, 0.041, (5, 7))
    lon = 0.5 + rng.uniform(-0.002, 0.061, (5, 7))
    expected = np.maximum(grid.height_m(lat, lon, fill_m=0.0), 0.0)
    expected[np.isnan(expected)] = 0.0
    assert grid.surface_height_m(lat, lon).tobytes() == expected.tobytes()
    one = grid.surface_height_m(float(lat[0, 0]), float(lon[0, 0]))
    assert isinstance(one, np.float64) and one == expected[0, 0]
    # surface_height_at: the one-point kernel, the same bits (+0 for -0 and voids).
    for i, j in np.ndindex(lat.shape):
        at = grid.surface_height_at(float(lat[i, j]), float(lon[i, j]))
        assert type(at) is float
        assert np.float64(at).tobytes() == expected[i, j].tobytes()
