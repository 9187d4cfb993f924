"""Layered terrain: the user's tiles, then the bundled grids, sampled into one region grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import iadsim.geo.terrain_layers as terrain_layers
from iadsim.geo.terrain import TerrainFileError, load_bundled, load_world
from iadsim.geo.terrain_folder import TERRAIN_DIR_VARIABLE, read_terrain_folder, terrain_folders
from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers
from iadsim.io.raster import write_geotiff

rad = np.radians


def write_plateau_hgt(folder: Path, name: str, height_m: int, void_corner: bool = False) -> Path:
    """A 3" SRTM tile at ``height_m`` everywhere (north-west 0.1 deg void if asked)."""
    samples = np.full((1201, 1201), height_m, dtype=">i2")
    if void_corner:
        samples[:120, :120] = -32768  # rows run north to south in the file
    path = folder / name
    path.write_bytes(samples.tobytes())
    return path


@pytest.fixture
def tiles(tmp_path: Path) -> Path:
    folder = tmp_path / "tiles"
    (folder / "more").mkdir(parents=True)
    write_plateau_hgt(folder, "N50E021.hgt", 1000, void_corner=True)
    write_plateau_hgt(folder / "more", "N50E022.hgt", 1000)
    (folder / "N10E010.hgt").write_bytes(b"not a tile")  # far away: never opened
    return folder


def test_a_folder_joins_neighbouring_tiles_and_skips_far_ones(tiles: Path) -> None:
    grids = read_terrain_folder(tiles, box=(50.2, 50.8, 21.2, 22.8))
    assert len(grids) == 1
    grid = grids[0]
    assert grid.shape == (1201, 2401)
    assert "N50E021.hgt" in grid.source and "N50E022.hgt" in grid.source
    assert float(grid.height_m(rad(50.5), rad(22.0))) == 1000.0
    assert np.isnan(float(grid.height_m(rad(50.99), rad(21.01))))  # the void
    with pytest.raises(TerrainFileError, match=r"N10E010\.hgt"):
        read_terrain_folder(tiles)  # every tile: the broken one is named


def test_geotiffs_in_a_folder_are_read_too(tmp_path: Path) -> None:
    lat = 45.0 + np.arange(11) * 0.01
    lon = 7.0 + np.arange(21) * 0.01
    heights = np.add.outer(lat * 0.0 + 2000.0, (lon - 7.0) * 1000.0)
    write_geotiff(tmp_path / "alps.tif", heights, lat, lon)
    (grid,) = read_terrain_folder(tmp_path, box=(45.0, 45.1, 7.0, 7.2))
    assert float(grid.height_m(rad(45.05), rad(7.1))) == pytest.approx(2100.0, abs=1e-3)


def test_a_region_inside_the_turkey_grid_is_that_grid_unchanged() -> None:
    grid, report = TerrainLayers(bundled_layers()).region((39.0, 40.5, 32.0, 34.0))
    assert grid is bundled_layers()[0].grid
    assert report.spacing_arcsec == pytest.approx(60.0)
    assert report.coarse_share == 0.0
    assert report.warning() is None


def test_a_region_far_from_turkey_is_the_world_grid_with_a_warning() -> None:
    grid, report = TerrainLayers(bundled_layers()).region((49.5, 51.0, 21.0, 23.5))
    assert report.spacing_arcsec == pytest.approx(300.0)
    assert [s.kind for s in report.sources] == ["bundled-global"]
    assert report.coarse_share == 1.0
    warning = report.warning()
    assert warning is not None
    assert "terrain_dir" in warning and TERRAIN_DIR_VARIABLE in warning
    world = load_world()
    lat, lon = rad(50.3), rad(22.1)
    assert float(grid.height_m(lat, lon)) == pytest.approx(float(world.height_m(lat, lon)), abs=1)


def test_a_region_across_the_turkey_box_edge_keeps_the_fine_grid_inside() -> None:
    grid, report = TerrainLayers(bundled_layers()).region((46.0, 50.0, 30.0, 34.0))
    assert report.spacing_arcsec == pytest.approx(60.0)
    kinds = {s.kind: s.share for s in report.sources}
    assert set(kinds) == {"bundled-fine", "bundled-global"}
    assert kinds["bundled-fine"] == pytest.approx(0.5, abs=0.02)  # 46-48 N of 46-50 N
    fine = load_bundled()
    lat, lon = grid.lat_rad[10], grid.lon_rad[10]
    assert float(grid.height_m(lat, lon)) == pytest.approx(float(fine.height_m(lat, lon)), abs=0.5)


def test_user_tiles_win_where_they_have_data_and_voids_fall_through(tiles: Path) -> None:
    grids = read_terrain_folder(tiles, box=(50.5, 51.2, 20.9, 22.5))
    layers = TerrainLayers.with_user_grids(grids)
    grid, report = layers.region((50.5, 51.2, 20.9, 22.5))
    assert report.spacing_arcsec == pytest.approx(3.0)
    assert report.sources[0].kind == "user" and report.sources[0].share > 0.5
    assert float(grid.height_m(rad(50.7), rad(21.8))) == 1000.0
    world = load_world()
    for lat, lon in [(50.97, 21.03), (51.1, 22.0)]:  # in the void, north of the tiles
        expected = float(world.height_m(rad(lat), rad(lon)))
        assert float(grid.height_m(rad(lat), rad(lon))) == pytest.approx(expected, abs=1.0)
    assert layers.point(50.7, 21.8)[1].kind == "user"
    assert layers.point(50.97, 21.03)[1].kind == "bundled-global"


def test_a_region_too_large_for_its_finest_spacing_is_thinned(
    tiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terrain_layers, "MAX_REGION_NODES", 100_000)
    layers = TerrainLayers.with_user_grids(read_terrain_folder(tiles, (50.0, 51.0, 21.0, 23.0)))
    grid, report = layers.region((50.0, 51.0, 21.0, 23.0))
    assert grid.shape[0] * grid.shape[1] <= 100_000
    assert report.spacing_arcsec % 3.0 == pytest.approx(0.0, abs=1e-6)
    assert report.spacing_arcsec > 3.0


def test_terrain_folders_take_the_scenario_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, shared = tmp_path / "mine", tmp_path / "shared"
    mine.mkdir()
    shared.mkdir()
    monkeypatch.setenv(TERRAIN_DIR_VARIABLE, str(shared))
    assert terrain_folders(mine) == [mine, shared]
    assert terrain_folders(None) == [shared]
    monkeypatch.setenv(TERRAIN_DIR_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(TerrainFileError, match=TERRAIN_DIR_VARIABLE):
        terrain_folders(None)
