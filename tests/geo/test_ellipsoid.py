"""The one WGS-84 definition and its closed forms, against pyproj (PROJ) as the oracle."""

from __future__ import annotations

import numpy as np
import pyproj

from iadsim.geo import ellipsoid
from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    WGS84_F,
    geodetic_to_ecef,
    sphere_destination,
    sphere_ground_range_m,
)
from iadsim.geo.frames import lla_to_ecef

rad = np.radians


def test_constants_are_those_of_pyproj_wgs84():
    wgs84 = pyproj.Geod(ellps="WGS84")
    assert wgs84.a == WGS84_A_M
    assert wgs84.f == WGS84_F
    assert np.isclose(ellipsoid.WGS84_B_M, wgs84.b, rtol=1e-15)
    assert np.isclose(ellipsoid.WGS84_E2, wgs84.es, rtol=1e-14)


def test_every_module_uses_the_one_definition():
    from iadsim.geo import frames
    from iadsim.sensors import signature
    from iadsim.weapons import _flyout_kernels

    for module in (frames, signature, _flyout_kernels):
        assert module.WGS84_A_M is ellipsoid.WGS84_A_M
        assert module.WGS84_E2 is ellipsoid.WGS84_E2


def test_geodetic_to_ecef_matches_pyproj():
    rng = np.random.default_rng(1)
    lat = rad(rng.uniform(-89, 89, 300))
    lon = rad(rng.uniform(-180, 180, 300))
    alt = rng.uniform(-400, 40_000, 300)
    np.testing.assert_allclose(
        geodetic_to_ecef(lat, lon, alt), lla_to_ecef(lat, lon, alt), rtol=0, atol=1e-6
    )


def test_sphere_destination_matches_pyproj_forward_on_the_sphere_of_radius_a():
    sphere = pyproj.Geod(a=WGS84_A_M, b=WGS84_A_M)
    az_deg = np.array([0.0, 45.0, 130.0, 250.0, 359.0])
    dist_m = np.array([1.0, 12_000.0, 150_000.0, 600_000.0, 2_000_000.0])
    lat, lon = sphere_destination(rad(39.0), rad(32.0), rad(az_deg), dist_m)
    lon2, lat2, _ = sphere.fwd(np.full(5, 32.0), np.full(5, 39.0), az_deg, dist_m)
    np.testing.assert_allclose(np.degrees(lat), lat2, atol=1e-9)
    np.testing.assert_allclose(np.degrees(lon), lon2, atol=1e-9)


def test_sphere_ground_range_matches_pyproj_inverse_and_is_within_half_a_percent_of_wgs84():
    sphere = pyproj.Geod(a=WGS84_A_M, b=WGS84_A_M)
    lat2 = np.array([39.0, 39.1, 41.5, 35.0, 45.0])
    lon2 = np.array([32.0001, 32.3, 29.0, 36.0, 20.0])
    ground = sphere_ground_range_m(rad(39.0), rad(32.0), rad(lat2), rad(lon2))
    _, _, expected = sphere.inv(np.full(5, 32.0), np.full(5, 39.0), lon2, lat2)
    np.testing.assert_allclose(ground, expected, rtol=1e-9, atol=1e-6)
    _, _, geodesic = pyproj.Geod(ellps="WGS84").inv(np.full(5, 32.0), np.full(5, 39.0), lon2, lat2)
    np.testing.assert_allclose(ground, geodesic, rtol=5e-3)
