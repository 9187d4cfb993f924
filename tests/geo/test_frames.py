"""WGS-84 frames against pymap3d, an independent implementation (closed forms, no PROJ)."""

from __future__ import annotations

import numpy as np
import pymap3d
import pytest

from iadsim.geo.frames import (
    aer_to_enu,
    ecef_to_enu,
    ecef_to_lla,
    enu_rotation,
    enu_to_aer,
    enu_to_azimuth_range,
    enu_to_ecef,
    lla_to_ecef,
)

SITES_DEG = {
    "ankara": (39.9208, 32.8541, 938.0),
    "equator": (0.0, 0.0, 0.0),
    "north_70": (70.0, -150.0, 120.0),
    "south_dateline": (-33.9, 179.9, 15.0),
}
MM = 1e-3
URAD = 1e-6


def targets_around(lat_deg, lon_deg):
    """Points around a site: near and far, low and high, on every side."""
    lat = lat_deg + np.array([0.0, 0.5, -1.2, 2.0, 0.01, -0.3])
    lon = lon_deg + np.array([0.3, -0.8, 1.5, 0.0, 0.02, -2.5])
    alt = np.array([50.0, 9_000.0, 30_000.0, 400_000.0, -20.0, 11_000.0])
    return np.clip(lat, -89.0, 89.0), lon, alt


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_lla_to_ecef_matches_pymap3d(site):
    lat, lon, alt = targets_around(*SITES_DEG[site][:2])
    ours = lla_to_ecef(np.radians(lat), np.radians(lon), alt)
    x, y, z = pymap3d.geodetic2ecef(lat, lon, alt)
    assert ours.shape == (len(lat), 3)
    np.testing.assert_allclose(ours, np.stack([x, y, z], axis=-1), rtol=0, atol=MM)


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_ecef_to_lla_round_trip_and_matches_pymap3d(site):
    lat, lon, alt = targets_around(*SITES_DEG[site][:2])
    ecef = np.stack(pymap3d.geodetic2ecef(lat, lon, alt), axis=-1)
    lat_rad, lon_rad, alt_m = ecef_to_lla(ecef)
    ref_lat, ref_lon, ref_alt = pymap3d.ecef2geodetic(ecef[:, 0], ecef[:, 1], ecef[:, 2])
    np.testing.assert_allclose(lat_rad, np.radians(ref_lat), atol=1e-10)
    np.testing.assert_allclose(
        np.angle(np.exp(1j * (lon_rad - np.radians(ref_lon)))), 0.0, atol=1e-10
    )
    np.testing.assert_allclose(alt_m, ref_alt, atol=MM)
    # Round trip through our own pair.
    again = lla_to_ecef(lat_rad, lon_rad, alt_m)
    np.testing.assert_allclose(again, ecef, atol=MM)


def test_lla_to_ecef_hand_values_on_the_axes():
    # On the equator at lon 0 the point is (a + h, 0, 0); at the pole (0, 0, b + h).
    a = 6_378_137.0
    b = a * (1.0 - 1.0 / 298.257223563)
    ecef = lla_to_ecef(np.radians([0.0, 90.0]), np.radians([0.0, 0.0]), np.array([100.0, 0.0]))
    np.testing.assert_allclose(ecef[0], [a + 100.0, 0.0, 0.0], atol=MM)
    np.testing.assert_allclose(ecef[1], [0.0, 0.0, b], atol=MM)


def test_lla_to_ecef_keeps_leading_shapes():
    lat = np.radians(np.full((2, 4), 40.0))
    ecef = lla_to_ecef(lat, lat, np.zeros((2, 4)))
    assert ecef.shape == (2, 4, 3)
    lat_back, _, _ = ecef_to_lla(ecef)
    assert lat_back.shape == (2, 4)


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_ecef_to_enu_matches_pymap3d(site):
    lat0, lon0, h0 = SITES_DEG[site]
    lat, lon, alt = targets_around(lat0, lon0)
    ecef = np.stack(pymap3d.geodetic2ecef(lat, lon, alt), axis=-1)
    origin = np.array(pymap3d.geodetic2ecef(lat0, lon0, h0))
    rotation = enu_rotation(np.radians(lat0), np.radians(lon0))
    ours = ecef_to_enu(ecef, origin, rotation)
    e, n, u = pymap3d.ecef2enu(ecef[:, 0], ecef[:, 1], ecef[:, 2], lat0, lon0, h0)
    np.testing.assert_allclose(ours, np.stack([e, n, u], axis=-1), atol=MM)
    np.testing.assert_allclose(enu_to_ecef(ours, origin, rotation), ecef, atol=MM)


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_enu_to_aer_matches_pymap3d(site):
    lat0, lon0, h0 = SITES_DEG[site]
    lat, lon, alt = targets_around(lat0, lon0)
    e, n, u = pymap3d.geodetic2enu(lat, lon, alt, lat0, lon0, h0)
    az, el, rng = enu_to_aer(np.stack([e, n, u], axis=-1))
    ref_az, ref_el, ref_rng = pymap3d.enu2aer(e, n, u, deg=False)
    np.testing.assert_allclose(np.angle(np.exp(1j * (az - ref_az))), 0.0, atol=URAD)
    np.testing.assert_allclose(el, ref_el, atol=URAD)
    np.testing.assert_allclose(rng, ref_rng, atol=MM)
    assert np.all((az >= 0.0) & (az < 2.0 * np.pi))


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_enu_to_azimuth_range_is_enu_to_aer_to_the_bit(site):
    lat0, lon0, h0 = SITES_DEG[site]
    lat, lon, alt = targets_around(lat0, lon0)
    e, n, u = pymap3d.geodetic2enu(lat, lon, alt, lat0, lon0, h0)
    # A tiny negative azimuth, whose mod rounds to 2 pi (folded to 0 by both).
    enu = np.concatenate([np.stack([e, n, u], axis=-1), [[-1e-300, 1.0, 5.0], [0.0, 0.0, 0.0]]])
    az, _, rng = enu_to_aer(enu)
    got_az, got_rng = enu_to_azimuth_range(enu)
    np.testing.assert_array_equal(got_az, az)
    np.testing.assert_array_equal(got_rng, rng)


def test_aer_to_enu_matches_pymap3d_and_inverts_enu_to_aer():
    az = np.radians([0.0, 45.0, 135.0, 260.0, 359.0])
    el = np.radians([0.0, 10.0, -5.0, 80.0, 30.0])
    rng = np.array([1_000.0, 50_000.0, 300_000.0, 20_000.0, 7_500.0])
    enu = aer_to_enu(az, el, rng)
    ref = np.stack(pymap3d.aer2enu(az, el, rng, deg=False), axis=-1)
    np.testing.assert_allclose(enu, ref, atol=MM)
    back = enu_to_aer(enu)
    np.testing.assert_allclose(back[0], az, atol=URAD)
    np.testing.assert_allclose(back[1], el, atol=URAD)
    np.testing.assert_allclose(back[2], rng, atol=MM)


def test_azimuth_is_clockwise_from_north():
    az, el, _ = enu_to_aer(np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [-1.0, 0.0, 0.0]]))
    np.testing.assert_allclose(az, np.radians([90.0, 180.0, 270.0]))
    np.testing.assert_allclose(el, 0.0)


@pytest.mark.parametrize("site", sorted(SITES_DEG))
def test_enu_rotation_is_orthonormal_and_up_is_the_ellipsoid_normal(site):
    lat0, lon0, _ = SITES_DEG[site]
    rotation = enu_rotation(np.radians(lat0), np.radians(lon0))
    np.testing.assert_allclose(rotation @ rotation.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(rotation) == pytest.approx(1.0)
    # Up is the direction in which height grows at fixed latitude and longitude.
    low = np.array(pymap3d.geodetic2ecef(lat0, lon0, 0.0))
    high = np.array(pymap3d.geodetic2ecef(lat0, lon0, 1_000.0))
    np.testing.assert_allclose(rotation[2], (high - low) / 1_000.0, atol=1e-9)
    # Velocities rotate like pymap3d's ecef2enuv.
    velocity = np.array([120.0, -340.0, 55.0])
    ref = pymap3d.ecef2enuv(*velocity, lat0, lon0)
    np.testing.assert_allclose(rotation @ velocity, ref, atol=1e-9)


def test_enu_to_ecef_kernel_gives_the_einsum_to_the_bit() -> None:
    """The compiled path of enu_to_ecef against the einsum it replaces, on points of every
    size and layout, one point alone, and per-point rotations (which keep the einsum)."""
    rng = np.random.default_rng(21)
    for trial in range(300):
        lat, lon = rng.uniform(-1.5, 1.5), rng.uniform(-3.1, 3.1)
        rotation = enu_rotation(lat, lon)
        origin = lla_to_ecef(lat, lon, rng.uniform(0.0, 3000.0))
        n = int(rng.choice([1, 2, 5, 40]))
        pos = rng.normal(0.0, 10.0 ** rng.uniform(0, 6), (n, 6))[:, 1:4]  # strided rows
        if trial % 2:
            pos = np.asfortranarray(pos)
        expected = np.einsum("...ji,...j->...i", rotation, pos) + origin
        assert enu_to_ecef(pos, origin, rotation).tobytes() == expected.tobytes()
        one = np.einsum("...ji,...j->...i", rotation, pos[0]) + origin
        assert enu_to_ecef(pos[0], origin, rotation).tobytes() == one.tobytes()
    rotations = enu_rotation(rng.uniform(-1.5, 1.5, 4), rng.uniform(-3.1, 3.1, 4))
    pos = rng.normal(0.0, 1e4, (4, 3))
    expected = np.einsum("...ji,...j->...i", rotations, pos) + origin
    np.testing.assert_array_equal(enu_to_ecef(pos, origin, rotations), expected)


def test_point_and_row_fast_paths_give_the_array_paths_bits() -> None:
    """lla_to_ecef of three floats (the one-point kernel) and ecef_to_lla of (n, 3) float64
    points (no conversion) against the general array paths, to the bit."""
    rng = np.random.default_rng(5)
    lat = rng.uniform(-1.57, 1.57, 200)
    lon = rng.uniform(-3.14, 3.14, 200)
    alt = rng.uniform(-400.0, 5e5, 200)
    points = lla_to_ecef(lat, lon, alt)
    for i in range(lat.size):
        one = lla_to_ecef(float(lat[i]), float(lon[i]), float(alt[i]))
        assert one.shape == (3,)
        assert one.tobytes() == points[i].tobytes()
    rows = ecef_to_lla(points)  # (n, 3) float64: straight to the kernel
    general = ecef_to_lla(points[None])  # (1, n, 3): converted and reshaped
    for fast, slow in zip(rows, general, strict=True):
        assert fast.tobytes() == slow[0].tobytes()
    strided = np.asfortranarray(points)
    for fast, slow in zip(ecef_to_lla(strided), rows, strict=True):
        assert fast.tobytes() == slow.tobytes()
