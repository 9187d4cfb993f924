"""Bundled country borders and point-in-country tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from iadsim.geo.borders import REGION_BOX_DEG, country_at, load_borders, point_in_country

rad = np.radians

# Capitals and a sea point (lat, lon in degrees) with the country that contains them.
PLACES = {
    "Ankara": (39.93, 32.86, "TUR"),
    "Athens": (37.98, 23.73, "GRC"),
    "Damascus": (33.51, 36.29, "SYR"),
    "Baghdad": (33.31, 44.36, "IRQ"),
    "Tbilisi": (41.72, 44.79, "GEO"),
    "Sofia": (42.70, 23.32, "BGR"),
    "Black Sea": (43.0, 34.0, ""),
    "Aegean Sea": (38.5, 25.0, ""),
}


@pytest.fixture(scope="module")
def borders():
    return load_borders()


def test_bundled_borders_cover_the_world_in_two_layers(borders) -> None:
    codes = {country.iso_a3 for country in borders}
    assert {"TUR", "GRC", "BGR", "SYR", "IRQ", "IRN", "GEO", "ARM", "AZE", "CYP", "RUS"} <= codes
    assert {"POL", "KOR", "PRK", "TWN", "USA", "BOL", "AUS", "ATA", "FJI", "BRA"} <= codes
    assert len(codes) == len(borders) > 200
    lon_min, lon_max, lat_min, lat_max = REGION_BOX_DEG
    for country in borders:
        for ring in country.rings_lonlat_deg:
            assert ring.ndim == 2 and ring.shape[1] == 2
            np.testing.assert_array_equal(ring[0], ring[-1])  # closed
            assert ring[:, 0].min() >= -180.0 and ring[:, 0].max() <= 180.0
            assert ring[:, 1].min() >= -90.0 and ring[:, 1].max() <= 90.0
            # Each ring is either fine (inside the region box) or coarse (outside it).
            inside = (
                (ring[:, 0] >= lon_min - 1e-9)
                & (ring[:, 0] <= lon_max + 1e-9)
                & (ring[:, 1] >= lat_min - 1e-9)
                & (ring[:, 1] <= lat_max + 1e-9)
            )
            assert inside.all() or not (inside & ~_on_box_edge(ring)).any()


def _on_box_edge(ring: np.ndarray) -> np.ndarray:
    lon_min, lon_max, lat_min, lat_max = REGION_BOX_DEG
    return (
        np.isclose(ring[:, 0], lon_min)
        | np.isclose(ring[:, 0], lon_max)
        | np.isclose(ring[:, 1], lat_min)
        | np.isclose(ring[:, 1], lat_max)
    )


# Places worldwide (lat, lon in degrees) and the country that holds them, from any atlas;
# Fiji, Chukotka and Antarctica test the antimeridian and the pole.
WORLD = {
    "Warsaw": (52.23, 21.01, "POL"),
    "Rzeszow": (50.04, 22.00, "POL"),
    "Seoul": (37.57, 126.98, "KOR"),
    "Pyongyang": (39.03, 125.75, "PRK"),
    "Taipei": (25.03, 121.56, "TWN"),
    "Denver": (39.74, -104.99, "USA"),
    "La Paz": (-16.50, -68.15, "BOL"),
    "Brasilia": (-15.79, -47.88, "BRA"),
    "Nairobi": (-1.29, 36.82, "KEN"),
    "Canberra": (-35.28, 149.13, "AUS"),
    "Labasa, Fiji (179.4 E)": (-16.43, 179.38, "FJI"),
    "Provideniya, Chukotka (173.2 W)": (64.42, -173.23, "RUS"),
    "Chukotka at 179.5 E": (66.0, 179.5, "RUS"),
    "Vostok station": (-78.46, 106.84, "ATA"),
    "near the South Pole": (-89.5, 45.0, "ATA"),
    "Southern Ocean at 60 S": (-60.0, 0.0, ""),
    "Pacific": (0.0, -150.0, ""),
    "Hargeisa": (9.56, 44.06, "SOL"),
}


def test_places_worldwide_fall_in_their_countries(borders) -> None:
    lat = rad([p[0] for p in WORLD.values()])
    lon = rad([p[1] for p in WORLD.values()])
    found = dict(zip(WORLD, country_at(lat, lon, borders).tolist(), strict=True))
    assert found == {name: p[2] for name, p in WORLD.items()}


def test_a_country_across_the_region_box_edge_has_both_layers(borders) -> None:
    # Russia: 1:10m north of the Caucasus inside the box, 1:50m beyond 52 E and 48 N.
    lat = rad([44.0, 55.75, 62.0])  # Stavropol krai (in the box), Moscow, Yakutia
    lon = rad([42.0, 37.62, 130.0])
    assert point_in_country(lat, lon, "RUS", borders).tolist() == [True, True, True]


def test_capitals_fall_in_their_countries_and_sea_in_none(borders) -> None:
    lat = rad([p[0] for p in PLACES.values()])
    lon = rad([p[1] for p in PLACES.values()])
    expected = [p[2] for p in PLACES.values()]
    assert country_at(lat, lon, borders).tolist() == expected
    in_turkey = point_in_country(lat, lon, "TUR", borders)
    assert in_turkey.tolist() == [code == "TUR" for code in expected]


def test_point_in_country_takes_several_codes_and_broadcasts(borders) -> None:
    kyrenia, limassol = (35.33, 33.32), (34.68, 33.04)
    lat = rad(np.array([[kyrenia[0]], [limassol[0]]]))
    lon = rad(np.array([kyrenia[1], limassol[1]]))
    inside = point_in_country(lat, lon, ("CYP", "CYN"), borders)
    assert inside.shape == (2, 2)
    assert inside[0, 0] and inside[1, 1]  # both parts of the island
    assert point_in_country(rad(kyrenia[0]), rad(kyrenia[1]), "CYN", borders)
    with pytest.raises(KeyError, match="XXX"):
        point_in_country(0.7, 0.5, "XXX", borders)


def test_longitudes_are_taken_modulo_a_full_turn(borders) -> None:
    assert point_in_country(rad(39.93), rad(32.86 - 360.0), "TUR", borders)


def test_holes_count_out_by_the_even_odd_rule(tmp_path: Path) -> None:
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Ring", "iso_a3": "RNG"},
                "geometry": {"type": "Polygon", "coordinates": [square, hole]},
            }
        ],
    }
    path = tmp_path / "ring.geojson"
    path.write_text(json.dumps(collection))
    ring = load_borders(path)
    inside = point_in_country(rad([2.0, 5.0, 12.0]), rad([2.0, 5.0, 5.0]), "RNG", ring)
    assert inside.tolist() == [True, False, False]


def test_bad_feature_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Point"}}
                ],
            }
        )
    )
    with pytest.raises(ValueError, match=r"bad\.geojson: features\[0\]"):
        load_borders(path)
