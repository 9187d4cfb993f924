"""``iadsim terrain`` and the terrain lines of ``iadsim run``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from iadsim.cli import app

SCENARIOS = Path(__file__).parent / "data" / "scenarios"
ENV = {"COLUMNS": "300"}


def terrain(*args: str):
    return CliRunner().invoke(app, ["terrain", *args], env=ENV)


def surface_m(output: str) -> float:
    match = re.search(r"surface (-?\d+) m", output)
    assert match, output
    return float(match[1])


# (lat, lon, low, high, source words): one point per continent, published heights as in
# tests/geo/test_terrain_world.py; south and west are negative.
POINTS = [
    ("39.7392", "-104.9903", 1450, 1800, "world grid"),  # Denver, 1609 m
    ("-16.50", "-68.19", 3500, 4200, "world grid"),  # El Alto / La Paz, 4150 / 3640 m
    ("33.0", "86.0", 4300, 5600, "world grid"),  # Changtang, Tibet
    ("52.5", "5.5", 0, 0, "world grid"),  # Flevoland polder, below sea level
    ("-1.0", "33.0", 1100, 1170, "world grid"),  # Lake Victoria, 1134 m
    ("-35.2809", "149.13", 450, 800, "world grid"),  # Canberra, about 578 m
    ("-78.4645", "106.8339", 3300, 3700, "world grid"),  # Vostok, 3488 m
    ("-60", "0", 0, 0, "world grid"),  # Southern Ocean
    ("39.93", "32.86", 850, 1000, "Turkey"),  # Ankara, about 938 m, fine grid
]


@pytest.mark.parametrize(("lat", "lon", "low", "high", "source"), POINTS)
def test_terrain_prints_plausible_heights_with_their_source(lat, lon, low, high, source) -> None:
    result = terrain(lat, lon)
    assert result.exit_code == 0, result.output
    assert low <= surface_m(result.output) <= high
    assert "source:" in result.output and source in result.output
    assert "resolution:" in result.output
    coarse = "world grid" in source
    assert ("only the coarse global grid" in result.output) == coarse


def test_terrain_says_when_the_ground_is_below_sea_level() -> None:
    result = terrain("52.5", "5.5")
    assert "below sea level" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["95", "10"], "LAT: expected degrees within +-90"),
        (["-90.5", "10"], "LAT: expected degrees within +-90"),
        (["10", "181"], "LON: expected degrees within +-180"),
        (["abc", "10"], "LAT: expected a number of degrees"),
        (["10", "east"], "LON: expected a number of degrees"),
        (["nan", "10"], "LAT: expected degrees within +-90"),
    ],
)
def test_bad_coordinates_get_one_line_and_exit_code_2(args, message) -> None:
    result = terrain(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_terrain_reads_the_scenario_terrain_dir(tmp_path: Path) -> None:
    text = (SCENARIOS / "poland-patriot-rzeszow.yaml").read_text("utf-8")
    scenario = tmp_path / "rzeszow.yaml"
    scenario.write_text(text + "terrain_dir: tiles\n", encoding="utf-8")
    (tmp_path / "tiles").mkdir()
    tile = np.full((1201, 1201), 321, dtype=">i2")
    (tmp_path / "tiles" / "N50E022.hgt").write_bytes(tile.tobytes())
    result = terrain("50.11", "22.019", "--scenario", str(scenario))
    assert result.exit_code == 0, result.output
    assert surface_m(result.output) == 321.0
    assert "N50E022.hgt" in result.output and '3"' in result.output
    assert "coarse" not in result.output
    missing = tmp_path / "missing.yaml"
    missing.write_text(text + "terrain_dir: nowhere\n", encoding="utf-8")
    result = terrain("50.11", "22.019", "--scenario", str(missing))
    assert result.exit_code == 2
    assert "terrain_dir" in result.output and "Traceback" not in result.output


def test_run_says_which_terrain_it_used_and_warns_when_coarse(tmp_path: Path) -> None:
    scenario = SCENARIOS / "poland-patriot-rzeszow.yaml"
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(out), "--no-map"], env=ENV)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # the console wraps long lines
    assert "Terrain: grid at 5'" in text
    assert "bundled world grid (ETOPO 2022, gaps filled)" in text
    assert "warning:" in text and "IADSIM_TERRAIN_DIR" in text
    assert '"spacing_arcsec": 300.0' in (out / "summary.json").read_text("utf-8")


def test_coverage_says_which_terrain_it_used_and_records_it(tmp_path: Path) -> None:
    out = tmp_path / "coverage"
    args = ["coverage", "--site", "50.11,22.019", "--radar", "patriot/mpq65", "--grid", "20"]
    result = CliRunner().invoke(app, [*args, "--alt-m", "100", "--out", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Terrain: grid at 5'" in result.output and "warning:" in result.output
    record = json.loads((out / "terrain.json").read_text("utf-8"))["terrain"]
    assert record["spacing_arcsec"] == 300.0
    assert record["sources"][0]["kind"] == "bundled-global"
