"""Detection boundaries as RFC 7946 GeoJSON: closed counter-clockwise rings in lon/lat."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from iadsim.coverage.profiles import DetectionBoundary
from iadsim.geo.ellipsoid import sphere_destination as destination
from iadsim.io.geojson import boundary_features, write_geojson

SITE_LAT, SITE_LON = np.radians(40.08), np.radians(32.57)


def boundary(range_m: np.ndarray, alt_m: float = 1000.0) -> DetectionBoundary:
    az = np.arange(range_m.size) * (2 * np.pi / range_m.size)
    lat, lon = destination(SITE_LAT, SITE_LON, az, range_m)
    lat = np.where(range_m > 0, lat, SITE_LAT)
    lon = np.where(range_m > 0, lon, SITE_LON)
    return DetectionBoundary(
        "s400/91n6e", "f35a", alt_m, 0.5, SITE_LAT, SITE_LON, az, range_m, lat, lon
    )


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for counter-clockwise rings in (x=lon, y=lat)."""
    xy = np.asarray(ring)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def test_circle_becomes_a_closed_counter_clockwise_polygon_in_lon_lat_order():
    collection = boundary_features([boundary(np.full(72, 100e3))])
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    (ring,) = feature["geometry"]["coordinates"]
    assert len(ring) == 73 and ring[0] == ring[-1]
    lon, lat = np.asarray(ring).T
    # longitude first: the site is at 32.57 E, 40.08 N and the circle is ~0.9 deg in latitude
    assert abs(lon.mean() - 32.57) < 0.05 and abs(lat.mean() - 40.08) < 0.05
    assert 1.7 < lat.max() - lat.min() < 1.9
    assert signed_area(ring) > 0.0
    assert feature["properties"] == {
        "radar": "s400/91n6e",
        "target": "f35a",
        "altitude_m": 1000.0,
        "pd_threshold": 0.5,
        "max_range_km": 100.0,
        "median_range_km": 100.0,
    }


def test_sector_gives_a_wedge_through_the_site_and_no_detection_gives_null_geometry():
    ranges = np.zeros(36)
    ranges[3:7] = 50e3  # 30..60 deg
    wedge, empty = boundary_features([boundary(ranges), boundary(np.zeros(36))])["features"]
    (ring,) = wedge["geometry"]["coordinates"]
    site = [round(float(np.degrees(SITE_LON)), 6), round(float(np.degrees(SITE_LAT)), 6)]
    assert ring[0] == ring[-1]
    assert ring.count(site) <= 2  # once as a vertex (twice if it opens the ring)
    assert len(ring) == 6  # site, four arc points, closing point
    assert signed_area(ring) > 0.0
    assert wedge["properties"]["median_range_km"] == 50.0
    assert empty["geometry"] is None
    assert empty["properties"]["max_range_km"] == 0.0


def test_written_file_is_valid_json(tmp_path: Path):
    collection = boundary_features([boundary(np.full(8, 20e3), alt) for alt in (100.0, 1e4)])
    path = write_geojson(tmp_path / "boundary.geojson", collection)
    loaded = json.loads(path.read_text("utf-8"))
    assert loaded == json.loads(json.dumps(collection))
    assert [f["properties"]["altitude_m"] for f in loaded["features"]] == [100.0, 1e4]
    assert [p.name for p in tmp_path.iterdir()] == ["boundary.geojson"]
