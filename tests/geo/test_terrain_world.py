"""The bundled terrain answers anywhere, with heights close to published ones.

Reference heights are public figures for each place (official city elevations, survey
heights of lakes, station heights in Antarctica), not the grid's own earlier output. The
tolerances are wide because the world grid samples points 5' (about 9 km) apart: a city in
a valley reads the mean of its hills. Each figure still fails a grid that is shifted,
flipped, scaled or missing (a sea-level or smooth-earth answer fails nearly all of them).
"""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.geo.terrain import load_world
from iadsim.geo.terrain_layers import TerrainLayers, bundled_layers

# name: (lat_deg, lon_deg, low_m, high_m, published height and source)
KNOWN = {
    # North America
    "Denver": (39.7392, -104.9903, 1450, 1800, "1609 m, 'Mile High City' (City of Denver)"),
    "Mexico City": (19.4326, -99.1332, 2100, 2450, "2240 m (INEGI)"),
    "Lake Superior": (47.7, -87.5, 170, 200, "183.2 m low-water datum (IGLD 1985)"),
    # South America
    "La Paz altiplano (El Alto)": (-16.50, -68.19, 3500, 4200, "El Alto 4150 m, La Paz 3640 m"),
    "Brasilia": (-15.7939, -47.8828, 950, 1250, "about 1170 m (IBGE)"),
    # Europe
    "Netherlands, Flevoland": (52.5, 5.5, -10, 5, "polder, about -3 to -5 m (AHN)"),
    "Rzeszow": (50.0413, 21.9990, 150, 320, "about 200-220 m (GUGiK)"),
    # Asia
    "Tibetan plateau, Changtang": (33.0, 86.0, 4300, 5600, "plateau 4500-5000 m"),
    "Lhasa": (29.65, 91.10, 3400, 4300, "3656 m (city)"),
    "Seoul": (37.5665, 126.9780, 0, 250, "about 38 m (city hall)"),
    "Taiwan, Central Range": (23.8, 121.1, 1200, 3500, "ridges 2500-3900 m, Yushan 3952 m"),
    # Africa
    "Lake Victoria": (-1.0, 33.0, 1100, 1170, "1134 m (lake surface)"),
    "Addis Ababa": (9.0, 38.75, 2100, 2600, "about 2355 m"),
    "Johannesburg": (-26.2041, 28.0473, 1500, 1900, "1753 m"),
    # Oceania
    "Canberra": (-35.2809, 149.13, 450, 800, "about 578 m"),
    # Antarctica and Greenland
    "Vostok station": (-78.4645, 106.8339, 3300, 3700, "3488 m"),
    "South Pole": (-89.99, 0.0, 2600, 3050, "2835 m (Amundsen-Scott station)"),
    "Greenland Summit": (72.5796, -38.4592, 3000, 3400, "3216 m (Summit Camp)"),
}


@pytest.fixture(scope="module")
def layers() -> TerrainLayers:
    return TerrainLayers(bundled_layers())


@pytest.mark.parametrize("name", KNOWN)
def test_heights_on_every_continent_match_published_ones(layers, name) -> None:
    lat, lon, low, high, _ = KNOWN[name]
    height_m, _ = layers.point(lat, lon)
    assert low <= height_m <= high, f"{name}: {height_m:.0f} m, expected {low}..{high}"


def test_points_outside_turkey_come_from_the_world_grid_and_inside_from_the_fine_one(
    layers,
) -> None:
    assert layers.point(39.74, -104.99)[1].kind == "bundled-global"
    fine = layers.point(39.93, 32.86)
    assert fine[1].kind == "bundled-fine"
    assert 850 <= fine[0] <= 1000  # Ankara, about 938 m


def test_the_sea_reads_zero_including_the_southern_ocean_at_60_south(layers) -> None:
    for lat, lon in [(-60.0, 0.0), (0.0, -150.0), (45.0, -30.0), (-40.0, 80.0)]:
        assert layers.point(lat, lon)[0] == 0.0


def test_the_dead_sea_and_the_dutch_polders_are_below_sea_level_in_the_world_grid() -> None:
    world = load_world()
    dead_sea = float(world.height_m(np.radians(31.5), np.radians(35.5)))
    assert -440.0 < dead_sea < -200.0  # shore about -430 m; the 5' cell mixes in the slopes
    assert float(world.height_m(np.radians(52.5), np.radians(5.5))) < 0.0
    # The model flies over land below sea level as over the sea.
    assert float(world.surface_height_m(np.radians(31.5), np.radians(35.5))) == 0.0


def test_the_world_grid_wraps_at_the_antimeridian() -> None:
    world = load_world()
    assert world.shape == (2161, 4321)
    np.testing.assert_array_equal(world.heights_m[:, 0], world.heights_m[:, -1])
    # Taveuni, Fiji, straddles 180 deg: the same point read as +180 and -180 agrees.
    east = float(world.height_m(np.radians(-16.85), np.radians(180.0)))
    west = float(world.height_m(np.radians(-16.85), np.radians(-180.0)))
    assert east == pytest.approx(west)
    assert np.isfinite(float(world.height_m(np.radians(-16.5), np.radians(179.99))))
