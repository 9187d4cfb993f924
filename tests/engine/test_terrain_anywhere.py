"""Scenarios anywhere on earth run with terrain masking and borders; terrain_dir is used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from iadsim.core.errors import InputError
from iadsim.engine.data import scenario_box_deg, scenario_data
from iadsim.engine.simulation import Simulation
from iadsim.geo.borders import country_at
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid, load_bundled
from iadsim.scenario.loader import load_scenario
from iadsim.scenario.terrain_dir import resolve_document_terrain_dir, resolve_terrain_dir
from iadsim.scoring.replication import run_simulation

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "data" / "scenarios"

# scenario: (country of the battery, plausible site height range m, a point behind hills)
ABROAD = {
    # Rzeszow lies at about 200 m; the Carpathian foothills 50 km south reach 400-600 m.
    "poland-patriot-rzeszow": ("POL", (150.0, 320.0), (49.55, 22.6)),
    # Osan lies near sea level; the Taebaek range 110 km east rises to 1000-1500 m.
    "korea-patriot-osan": ("KOR", (0.0, 120.0), (37.55, 128.3)),
}


@pytest.mark.parametrize("name", ABROAD)
def test_a_scenario_far_from_turkey_runs_on_world_terrain_and_borders(name) -> None:
    country, (low, high), hidden = ABROAD[name]
    scenario, catalog = load_scenario(SCENARIOS / f"{name}.yaml")
    result = run_simulation(scenario, catalog)
    summary = result.summary

    terrain = summary["terrain"]
    assert [s["kind"] for s in terrain["sources"]] == ["bundled-global"]
    assert terrain["spacing_arcsec"] == pytest.approx(300.0)
    assert "5-arc-minute" in terrain["warning"] and "terrain_dir" in terrain["warning"]
    assert summary["totals"]["threats_launched"] > 0
    post = summary["posts"][scenario.fire_units[0].name]
    assert any(t["detected"] > 0 for t in post["threats"].values())

    simulation = result.simulation
    site = scenario.fire_units[0].site
    assert country_at(site.lat_rad, site.lon_rad) == country
    ground = float(simulation.terrain.surface_height_m(site.lat_rad, site.lon_rad))
    assert low <= ground <= high

    # Terrain masking: a low flyer behind the hills is hidden from the battery's radar,
    # though it would be in view over a smooth earth at the same height above sea level.
    radar = simulation.radars[0]
    lat, lon = np.radians(hidden)
    grid = simulation.terrain
    target_alt_m = float(grid.surface_height_m(lat, lon)) + 60.0
    assert target_alt_m > 300.0
    flat = ElevationGrid(
        grid.lat0_rad, grid.lon0_rad, grid.dlat_rad, grid.dlon_rad, np.zeros(grid.shape)
    )
    args = (radar.lat_rad, radar.lon_rad, radar.alt_m, lat, lon, target_alt_m)
    assert not terrain_clear(*args, grid)
    assert terrain_clear(*args, flat)


def test_a_turkey_scenario_keeps_the_fine_grid_whole_and_gets_no_warning() -> None:
    scenario, _ = load_scenario(ROOT / "scenarios" / "turkey-patriot-ankara.yaml")
    data = scenario_data(scenario)
    fine = load_bundled()
    assert data.terrain.shape == fine.shape
    np.testing.assert_array_equal(data.terrain.heights_m, fine.heights_m)
    assert data.terrain.lat0_rad == fine.lat0_rad and data.terrain.lon0_rad == fine.lon0_rad
    assert data.terrain_report is not None and data.terrain_report.warning() is None


def test_the_region_box_holds_every_place_with_a_margin() -> None:
    scenario, _ = load_scenario(SCENARIOS / "korea-patriot-osan.yaml")
    lat_min, lat_max, lon_min, lon_max = scenario_box_deg(scenario, margin_m=0.0)
    assert (lat_min, lat_max) == pytest.approx((36.8, 38.9))
    assert (lon_min, lon_max) == pytest.approx((126.0, 128.95))
    wide = scenario_box_deg(scenario)
    assert wide[0] == pytest.approx(36.8 - 50.0 / 111.195, abs=1e-3)


def _scenario_with_terrain_dir(tmp_path: Path, terrain_dir: str) -> Path:
    """The Rzeszow scenario, written into tmp_path with a terrain_dir line."""
    document = yaml.safe_load((SCENARIOS / "poland-patriot-rzeszow.yaml").read_text("utf-8"))
    document["terrain_dir"] = terrain_dir
    path = tmp_path / "scenario" / "rzeszow.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_a_relative_terrain_dir_is_read_from_the_scenario_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _scenario_with_terrain_dir(tmp_path, "tiles")
    tiles = path.parent / "tiles"
    tiles.mkdir()
    # A synthetic 3" tile around Jasionka: a 700 m plateau (the real ground is about 200 m).
    (tiles / "N50E022.hgt").write_bytes(np.full((1201, 1201), 700, dtype=">i2").tobytes())
    monkeypatch.chdir(tmp_path)  # not the scenario's folder
    scenario, _ = load_scenario(path)
    scenario = resolve_terrain_dir(scenario, path)
    assert scenario.terrain_dir == str(tiles.resolve())
    simulation = Simulation(scenario, load_scenario(path)[1])
    report = simulation.terrain_report
    assert report is not None
    assert report.sources[0].kind == "user" and "N50E022.hgt" in report.sources[0].name
    assert report.spacing_arcsec == pytest.approx(3.0)
    site = scenario.fire_units[0].site
    assert float(simulation.terrain.height_m(site.lat_rad, site.lon_rad)) == 700.0
    # Outside the tile the world grid still answers (Rzeszow's own ground, about 200 m).
    assert 150.0 < float(simulation.terrain.height_m(np.radians(49.9), np.radians(22.5))) < 450

    document = resolve_document_terrain_dir({"terrain_dir": "tiles"}, path)
    assert document["terrain_dir"] == str(tiles.resolve())


def test_a_missing_terrain_dir_is_an_input_error_naming_the_field(tmp_path: Path) -> None:
    path = _scenario_with_terrain_dir(tmp_path, "no-such-folder")
    scenario, _ = load_scenario(path)
    with pytest.raises(InputError, match=r"terrain_dir: .*no-such-folder is not a folder"):
        resolve_terrain_dir(scenario, path)
