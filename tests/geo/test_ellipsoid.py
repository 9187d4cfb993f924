"""The one WGS-84 definition and its closed forms, against pyproj (PROJ) as the oracle."""

from __future__ import annotations

import numpy as np
import pyproj

from iadsim.geo import ellipsoid
from iadsim.geo._ellipsoid_kernels import ecef_to_geodetic_kernel, geodetic_to_ecef_kernel
from iadsim.geo.ellipsoid import (
    WGS84_A_M,
    WGS84_F,
    ecef_to_geodetic,
    geodetic_to_ecef,
    sphere_destination,
    sphere_ground_range_m,
)
from iadsim.geo.frames import ecef_to_lla, lla_to_ecef

rad = np.radians


def test_constants_are_those_of_pyproj_wgs84():
    wgs84 = pyproj.Geod(ellps="WGS84")
    assert wgs84.a == WGS84_A_M
    assert wgs84.f == WGS84_F
    assert np.isclose(ellipsoid.WGS84_B_M, wgs84.b, rtol=1e-15)
    assert np.isclose(ellipsoid.WGS84_E2, wgs84.es, rtol=1e-14)


def test_every_module_uses_the_one_definition():
    from iadsim.geo import frames
    from iadsim.sensors import aspect
    from iadsim.weapons import _flyout_compiled, _flyout_model

    for module in (frames, aspect, _flyout_model, _flyout_compiled):
        assert module.WGS84_A_M is ellipsoid.WGS84_A_M
        assert module.WGS84_E2 is ellipsoid.WGS84_E2


def _random_geodetic(seed: int, n: int = 300):
    rng = np.random.default_rng(seed)
    return (
        rad(rng.uniform(-89.9, 89.9, n)),
        rad(rng.uniform(-180, 180, n)),
        rng.uniform(-400, 100_000, n),
    )


def _pyproj_to_ecef(lat, lon, alt):
    to_ecef = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    return np.stack(to_ecef.transform(np.degrees(lon), np.degrees(lat), alt), axis=-1)


def test_geodetic_to_ecef_matches_pyproj():
    lat, lon, alt = _random_geodetic(1)
    expected = _pyproj_to_ecef(lat, lon, alt)
    np.testing.assert_allclose(geodetic_to_ecef(lat, lon, alt), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(lla_to_ecef(lat, lon, alt), expected, rtol=0, atol=1e-6)


def test_ecef_to_geodetic_matches_pyproj_to_well_under_a_millimetre():
    lat, lon, alt = _random_geodetic(2)
    pos = _pyproj_to_ecef(lat, lon, alt)
    to_lla = pyproj.Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    lon_deg, lat_deg, alt_pyproj = to_lla.transform(pos[:, 0], pos[:, 1], pos[:, 2])
    for convert in (ecef_to_geodetic, ecef_to_lla):
        lat_new, lon_new, alt_new = convert(pos)
        # The same sequence as PROJ's: rounding apart (1e-14 rad is 0.06 um on the ground).
        np.testing.assert_allclose(lat_new, rad(lat_deg), rtol=0, atol=1e-14)
        np.testing.assert_allclose(lon_new, rad(lon_deg), rtol=0, atol=1e-14)
        np.testing.assert_allclose(alt_new, alt_pyproj, rtol=0, atol=1e-7)


def test_ecef_to_geodetic_inverts_geodetic_to_ecef_to_a_millimetre():
    lat, lon, alt = _random_geodetic(3)
    lat_back, lon_back, alt_back = ecef_to_geodetic(geodetic_to_ecef(lat, lon, alt))
    # Bowring's one step: latitude within 2e-11 rad (0.13 mm) up to 100 km, exact on the ground.
    np.testing.assert_allclose(lat_back, lat, rtol=0, atol=2e-11)
    ground = np.abs(alt) < 1_000.0
    np.testing.assert_allclose(lat_back[ground], lat[ground], rtol=0, atol=1e-14)
    np.testing.assert_allclose(lon_back, lon, rtol=0, atol=1e-14)
    np.testing.assert_allclose(alt_back, alt, rtol=0, atol=1e-3)
    np.testing.assert_allclose(alt_back[ground], alt[ground], rtol=0, atol=1e-8)


def test_compiled_twins_agree_with_the_numpy_closed_forms():
    lat, lon, alt = _random_geodetic(4)
    pos = geodetic_to_ecef(lat, lon, alt)
    np.testing.assert_allclose(geodetic_to_ecef_kernel(lat, lon, alt), pos, rtol=1e-15, atol=0)
    for compiled, reference in zip(
        ecef_to_geodetic_kernel(pos), ecef_to_geodetic(pos), strict=True
    ):
        np.testing.assert_allclose(compiled, reference, rtol=1e-14, atol=1e-9)


def test_ecef_to_geodetic_at_the_poles_gives_the_polar_radius():
    pole = np.array([[0.0, 0.0, ellipsoid.WGS84_B_M + 5.0], [0.0, 0.0, -ellipsoid.WGS84_B_M]])
    for convert in (ecef_to_geodetic, ecef_to_geodetic_kernel, ecef_to_lla):
        lat, _, alt = convert(pole)
        np.testing.assert_allclose(lat, [np.pi / 2, -np.pi / 2], rtol=0, atol=1e-15)
        np.testing.assert_allclose(alt, [5.0, 0.0], rtol=0, atol=1e-8)


def test_frames_conversions_keep_scalar_and_leading_shapes():
    assert lla_to_ecef(0.7, 0.5, 10.0).shape == (3,)
    assert lla_to_ecef(np.zeros((2, 4)), 0.5, np.zeros(4)).shape == (2, 4, 3)
    lat, lon, alt = ecef_to_lla(np.full((2, 4, 3), 4.0e6))
    assert lat.shape == lon.shape == alt.shape == (2, 4)
    assert ecef_to_lla(np.array([WGS84_A_M, 0.0, 0.0]))[2].shape == ()


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
