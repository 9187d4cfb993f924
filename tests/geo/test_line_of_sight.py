"""Terrain masking in the effective-earth model, radio horizon and horizon profiles."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from iadsim.geo.horizon_profile import _destination, horizon_profile
from iadsim.geo.line_of_sight import (
    _clearance_reference,
    _great_circle_points,
    local_earth_radius_m,
    radar_horizon_range_m,
    site_targets_clear,
    terrain_clear,
    terrain_clearance_m,
)
from iadsim.geo.terrain import ElevationGrid, load_bundled

rad = np.radians
WGS84_A_M = 6378137.0
K = 4.0 / 3.0


def _ridge_grid(
    ridge_lat_deg: float, ridge_height_m: float, half_width_rows: int = 0
) -> ElevationGrid:
    """Flat sea-level ground, 38-42 N x 31-33 E at 0.01 deg, with an east-west ridge."""
    heights = np.zeros((401, 201), dtype=np.float32)
    row = round((ridge_lat_deg - 38.0) / 0.01)
    heights[row - half_width_rows : row + half_width_rows + 1, :] = ridge_height_m
    return ElevationGrid(rad(38.0), rad(31.0), rad(0.01), rad(0.01), heights)


@pytest.mark.parametrize(
    ("radar_alt_m", "target_lat_deg", "target_alt_m", "ridge_fraction"),
    [(100.0, 41.0, 3000.0, 0.25), (500.0, 40.0, 500.0, 0.5), (50.0, 41.0, 3000.0, 0.75)],
)
def test_ridge_masks_just_below_the_ray_and_not_just_above(
    radar_alt_m: float, target_lat_deg: float, target_alt_m: float, ridge_fraction: float
) -> None:
    # Radar at 39 N 32 E, target due north; 63 samples put sample 16/32/48 on the ridge.
    # The cases keep the second-order ray formula within 0.4 m of the exact straight line,
    # and the rest of each ray above the smooth earth.
    radar_lat_deg = 39.0
    d_m = WGS84_A_M * rad(target_lat_deg - radar_lat_deg)
    d1_m, d2_m = ridge_fraction * d_m, (1 - ridge_fraction) * d_m
    # Ray height over the ridge: straight line between the heights minus the effective-earth
    # bulge d1 d2 / (2 k a) (Skolnik 2001, section 8.2).
    ray_m = (
        radar_alt_m + (target_alt_m - radar_alt_m) * d1_m / d_m - d1_m * d2_m / (2 * K * WGS84_A_M)
    )
    ridge_lat_deg = radar_lat_deg + ridge_fraction * (target_lat_deg - radar_lat_deg)
    args = (
        rad(radar_lat_deg),
        rad(32.0),
        radar_alt_m,
        rad(target_lat_deg),
        rad(32.0),
        target_alt_m,
    )
    for margin_m, visible in ((-2.0, True), (2.0, False)):
        grid = _ridge_grid(ridge_lat_deg, ray_m + margin_m)
        assert bool(terrain_clear(*args, grid, n_samples=63)) is visible
        clearance = terrain_clearance_m(*args, grid, n_samples=63)
        assert clearance == pytest.approx(-margin_m, abs=0.5)


def test_smooth_earth_horizon_matches_the_four_thirds_earth_formula() -> None:
    flat = ElevationGrid(rad(30.0), rad(20.0), rad(0.1), rad(0.1), np.zeros((100, 200), np.int16))
    radar_alt_m, target_alt_m = 30.0, 1000.0
    horizon_m = np.sqrt(2 * K * WGS84_A_M * radar_alt_m) + np.sqrt(2 * K * WGS84_A_M * target_alt_m)
    ranges_m = np.array([0.98, 1.02]) * horizon_m
    lat, lon = _destination(rad(39.0), rad(32.0), rad(70.0), ranges_m / WGS84_A_M)
    visible = terrain_clear(
        rad(39.0), rad(32.0), radar_alt_m, lat, lon, target_alt_m, flat, n_samples=2048
    )
    np.testing.assert_array_equal(visible, [True, False])


def test_larger_k_factor_extends_the_horizon() -> None:
    flat = ElevationGrid(rad(30.0), rad(20.0), rad(0.1), rad(0.1), np.zeros((100, 200), np.int16))
    d_m = 1.1 * np.sqrt(2 * K * WGS84_A_M * 100.0) + np.sqrt(2 * K * WGS84_A_M * 100.0)
    lat, lon = _destination(rad(39.0), rad(32.0), rad(0.0), d_m / WGS84_A_M)
    args = (rad(39.0), rad(32.0), 100.0, lat, lon, 100.0, flat)
    assert not terrain_clear(*args, k_factor=K, n_samples=512)
    # With k = 2 the horizon is sqrt(2/(4/3)) = 1.22 times farther.
    assert terrain_clear(*args, k_factor=2.0, n_samples=512)


@pytest.mark.parametrize(("h1_m", "h2_m"), [(10.0, 0.0), (30.0, 3000.0), (5.0, 10000.0)])
def test_radar_horizon_agrees_with_the_textbook_rules(h1_m: float, h2_m: float) -> None:
    horizon_m = radar_horizon_range_m(h1_m, h2_m)
    # Rule of thumb for k = 4/3: d_km = 4.12 (sqrt(h1_m) + sqrt(h2_m)) (Skolnik 2001, eq. 8.1).
    assert horizon_m / 1e3 == pytest.approx(4.12 * (np.sqrt(h1_m) + np.sqrt(h2_m)), rel=0.005)
    first_order = np.sqrt(2 * K * WGS84_A_M * h1_m) + np.sqrt(2 * K * WGS84_A_M * h2_m)
    assert horizon_m == pytest.approx(first_order, rel=1e-3)


def test_local_radius_lies_between_meridian_and_prime_vertical_radii() -> None:
    geod = Geod(ellps="WGS84")
    lat = rad(40.0)
    e2 = geod.es
    w = np.sqrt(1 - e2 * np.sin(lat) ** 2)
    meridian_m, prime_vertical_m = geod.a * (1 - e2) / w**3, geod.a / w
    assert meridian_m < local_earth_radius_m(lat) < prime_vertical_m
    assert local_earth_radius_m(lat) == pytest.approx(np.sqrt(meridian_m * prime_vertical_m))


def test_kernel_agrees_with_numpy_twin_over_bundled_terrain() -> None:
    grid = load_bundled()
    rng = np.random.default_rng(3)
    n = 2000
    lat1 = rad(rng.uniform(36.5, 41.5, n))
    lon1 = rad(rng.uniform(27.0, 43.0, n))
    lat2, lon2 = _destination(
        lat1, lon1, rng.uniform(0, 2 * np.pi, n), rng.uniform(1e3, 450e3, n) / WGS84_A_M
    )
    h1 = grid.height_m(lat1, lon1, fill_m=0.0) + rng.uniform(5.0, 40.0, n)
    h2 = rng.uniform(30.0, 12000.0, n)
    fast = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid, n_samples=64)
    reference = _clearance_reference(lat1, lon1, h1, lat2, lon2, h2, grid)
    # The kernel lays path points on a cubic through four exact ones: metre-level agreement.
    np.testing.assert_allclose(fast, reference, atol=1.0)
    clear = terrain_clear(lat1, lon1, h1, lat2, lon2, h2, grid, n_samples=64)
    decided = np.abs(reference) > 1.0
    np.testing.assert_array_equal(clear[decided], reference[decided] > 0)
    assert 0.1 < clear.mean() < 0.9  # both outcomes are exercised


def test_the_least_clearance_is_within_10_m_of_a_20_m_sampling() -> None:
    """Issue 13: on the bundled grid the default two-pass sampling finds the least
    clearance of near-grazing paths (under 200 m) within 10 m of sampling every 20 m, on
    300 random paths up to 450 km over Anatolia; 64 samples per path were up to hundreds
    of metres off."""
    grid = load_bundled()
    rng = np.random.default_rng(8)
    n = 300
    lat1 = rad(rng.uniform(37.5, 41.5, n))
    lon1 = rad(rng.uniform(29.0, 42.0, n))
    length_m = rng.uniform(20e3, 450e3, n)
    lat2, lon2 = _destination(lat1, lon1, rng.uniform(0, 2 * np.pi, n), length_m / WGS84_A_M)
    h1 = grid.height_m(lat1, lon1, fill_m=0.0) + 25.0
    h2 = rng.uniform(30.0, 12000.0, n)
    default = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid)
    dense = np.array([
        terrain_clearance_m(lat1[p], lon1[p], h1[p], lat2[p], lon2[p], h2[p], grid,
                            n_samples=int(length_m[p] / 20.0))
        for p in range(n)
    ])  # fmt: skip
    old = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid, n_samples=64)
    grazing = np.abs(dense) < 200.0
    assert grazing.sum() > 50
    assert np.max(np.abs(default - dense)[grazing]) < 10.0
    assert np.max((old - dense)[grazing]) > 100.0
    # Elsewhere the sign, which decides masking, is the same.
    np.testing.assert_array_equal(default > 0, dense > 0)


def test_terrain_clear_is_the_sign_of_the_full_search_over_bundled_terrain() -> None:
    """terrain_clear samples finely only the pieces that may dip to the terrain (a margin
    of 1 m plus twice the chord's sag, not the 200 m of the clearance search): its answer
    must be the sign of the full search, path for path, on low rays over Anatolia where
    many pieces pass within 200 m of the ground; and the cut must matter (a margin that
    skipped every piece would miss ridges the coarse samples step over)."""
    grid = load_bundled()
    rng = np.random.default_rng(21)
    n = 3000
    lat1 = rad(rng.uniform(37.0, 41.5, n))
    lon1 = rad(rng.uniform(28.0, 42.0, n))
    length_m = rng.uniform(2e3, 300e3, n)
    lat2, lon2 = _destination(lat1, lon1, rng.uniform(0, 2 * np.pi, n), length_m / WGS84_A_M)
    h1 = grid.height_m(lat1, lon1, fill_m=0.0) + rng.uniform(5.0, 40.0, n)
    h2 = grid.height_m(lat2, lon2, fill_m=0.0) + rng.uniform(10.0, 2500.0, n)
    full = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid)
    clear = terrain_clear(lat1, lon1, h1, lat2, lon2, h2, grid)
    np.testing.assert_array_equal(clear, full > 0.0)
    assert 0.1 < clear.mean() < 0.9, clear.mean()  # both outcomes
    assert (np.abs(full) < 20.0).sum() > 20, (np.abs(full) < 20.0).sum()  # near-grazing
    coarse = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid, n_samples=64)
    assert ((coarse > 0.0) != (full > 0.0)).sum() > 10, ((coarse > 0.0) != (full > 0.0)).sum()


def test_one_site_and_its_targets_get_terrain_clears_answers() -> None:
    """site_targets_clear, a look's call without checks, answers as terrain_clear does, on
    rays from one site near Ankara over bundled terrain (both outcomes present)."""
    grid = load_bundled()
    rng = np.random.default_rng(5)
    n = 400
    site = (rad(39.9), rad(32.6), float(grid.height_m(rad(39.9), rad(32.6), fill_m=0.0)) + 20.0)
    lat2, lon2 = _destination(
        np.full(n, site[0]),
        np.full(n, site[1]),
        rng.uniform(0, 2 * np.pi, n),
        rng.uniform(2e3, 200e3, n) / WGS84_A_M,
    )
    alt2 = grid.height_m(lat2, lon2, fill_m=0.0) + rng.uniform(10.0, 2000.0, n)
    clear = site_targets_clear(site, lat2, lon2, alt2, grid, K)
    np.testing.assert_array_equal(clear, terrain_clear(*site, lat2, lon2, alt2, grid, K))
    assert 0.05 < clear.mean() < 0.95, clear.mean()


def test_serial_and_threaded_kernels_give_identical_clearances(monkeypatch) -> None:
    """Small batches (one radar look) run the serial build; it must match the threaded one
    bit for bit, on the cubic and the exact branch alike."""
    from iadsim.geo import line_of_sight

    grid = load_bundled()
    rng = np.random.default_rng(11)
    n = 500
    lat1 = rad(rng.uniform(36.5, 41.5, n))
    lon1 = rad(rng.uniform(27.0, 43.0, n))
    # up to 900 km: beyond the cubic's 0.1 rad limit for some paths
    lat2, lon2 = _destination(
        lat1, lon1, rng.uniform(0, 2 * np.pi, n), rng.uniform(1e3, 900e3, n) / WGS84_A_M
    )
    h1 = grid.height_m(lat1, lon1, fill_m=0.0) + 20.0
    h2 = rng.uniform(30.0, 12000.0, n)
    serial = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid)
    monkeypatch.setattr(line_of_sight, "PARALLEL_MIN_PAIRS", 0)
    threaded = terrain_clearance_m(lat1, lon1, h1, lat2, lon2, h2, grid)
    np.testing.assert_array_equal(serial, threaded)
    assert np.isfinite(serial).all() and (serial > 0).any() and (serial < 0).any()


def test_long_and_polar_paths_take_the_exact_branch() -> None:
    flat = ElevationGrid(rad(-89.0), rad(-179.0), rad(1.0), rad(1.0), np.zeros((179, 359)))
    rng = np.random.default_rng(5)
    lat1 = rad(rng.uniform(50.0, 80.0, 200))
    lon1 = rad(rng.uniform(-170, 170, 200))
    lat2, lon2 = _destination(
        lat1, lon1, rng.uniform(0, 2 * np.pi, 200), rng.uniform(500e3, 2000e3, 200) / WGS84_A_M
    )
    h = np.full(200, 20000.0)
    fast = terrain_clearance_m(lat1, lon1, h, lat2, lon2, h, flat, n_samples=64)
    reference = _clearance_reference(lat1, lon1, h, lat2, lon2, h, flat)
    np.testing.assert_allclose(fast, reference, atol=1e-3)


def test_great_circle_points_match_pyproj_on_a_sphere() -> None:
    sphere = Geod(a=WGS84_A_M, b=WGS84_A_M)
    lat1, lon1, lat2, lon2 = 39.93, 32.86, 41.7, 44.8
    fraction = np.arange(1, 10) / 10
    lat, lon = _great_circle_points(
        rad(np.array([lat1])),
        rad(np.array([lon1])),
        rad(np.array([lat2])),
        rad(np.array([lon2])),
        fraction,
    )
    expected = np.array(sphere.npts(lon1, lat1, lon2, lat2, 9))
    np.testing.assert_allclose(np.degrees(lon[0]), expected[:, 0], atol=1e-9)
    np.testing.assert_allclose(np.degrees(lat[0]), expected[:, 1], atol=1e-9)


def test_destination_matches_pyproj_forward_on_a_sphere() -> None:
    sphere = Geod(a=WGS84_A_M, b=WGS84_A_M)
    az_deg = np.array([0.0, 45.0, 135.0, 250.0])
    dist_m = np.array([1e3, 100e3, 400e3, 900e3])
    lat, lon = _destination(rad(39.0), rad(32.0), rad(az_deg), dist_m / WGS84_A_M)
    lon_ref, lat_ref, _ = sphere.fwd(np.full(4, 32.0), np.full(4, 39.0), az_deg, dist_m)
    np.testing.assert_allclose(np.degrees(lat), lat_ref, atol=1e-9)
    np.testing.assert_allclose(np.degrees(lon), lon_ref, atol=1e-9)


def test_output_broadcasts_and_coincident_points_are_clear() -> None:
    grid = _ridge_grid(39.5, 300.0)
    target_lat = rad(np.linspace(39.6, 40.5, 12)).reshape(3, 4)
    clear = terrain_clear(rad(39.0), rad(32.0), 100.0, target_lat, rad(32.0), 50.0, grid)
    assert clear.shape == (3, 4)
    assert not clear.any()  # the 300 m ridge hides low targets beyond it
    assert terrain_clear(rad(39.0), rad(32.0), 10.0, rad(39.0), rad(32.0), 10.0, grid)


def test_horizon_profile_masking_angle_matches_hand_computation() -> None:
    ridge_m, antenna_m = 800.0, 100.0
    # A plateau 39.49-39.51 N: the highest elevation angle is at its near edge, 39.49 N.
    grid = _ridge_grid(39.5, ridge_m, half_width_rows=1)
    profile = horizon_profile(
        rad(39.0), rad(32.0), antenna_m, grid, 100e3, n_azimuths=360, range_step_m=100.0
    )
    d_m = WGS84_A_M * rad(0.49)
    # Small-angle elevation of a point of height H at ground range d over the 4/3 earth:
    # (H - h_a) / d - d / (2 k a).
    expected = np.arctan((ridge_m - antenna_m) / d_m - d_m / (2 * K * WGS84_A_M))
    assert profile.masking_angle_rad[0] == pytest.approx(expected, abs=1e-4)
    # Due south there is no ridge: the horizon dips below the horizontal.
    assert profile.masking_angle_rad[180] < 0.0


def test_horizon_profile_and_terrain_clear_agree_on_bundled_terrain() -> None:
    grid = load_bundled()
    site_lat, site_lon = rad(39.93), rad(32.86)
    antenna_m = float(grid.height_m(site_lat, site_lon)) + 20.0
    profile = horizon_profile(site_lat, site_lon, antenna_m, grid, 250e3, n_azimuths=720)
    rng = np.random.default_rng(9)
    n = 3000
    az = profile.azimuth_rad[rng.integers(0, 720, n)]  # on the profile's azimuths
    ground_range_m = rng.uniform(5e3, 250e3, n)
    alt_m = rng.uniform(50.0, 4000.0, n)
    lat, lon = _destination(site_lat, site_lon, az, ground_range_m / WGS84_A_M)
    from_profile = profile.target_visible(az, ground_range_m, alt_m)
    from_rays = terrain_clear(site_lat, site_lon, antenna_m, lat, lon, alt_m, grid, n_samples=512)
    assert 0.1 < from_rays.mean() < 0.9
    # Both sample the same straight ray test; only their sample positions differ.
    assert np.mean(from_profile == from_rays) > 0.99


def test_bad_parameters_are_rejected() -> None:
    grid = _ridge_grid(39.5, 10.0)
    with pytest.raises(ValueError, match="n_samples"):
        terrain_clear(0.7, 0.56, 10.0, 0.71, 0.56, 10.0, grid, n_samples=0)
    with pytest.raises(ValueError, match="k_factor"):
        terrain_clear(0.7, 0.56, 10.0, 0.71, 0.56, 10.0, grid, k_factor=0.0)
