"""Knife-edge diffraction against ITU-R P.526 and the exact Fresnel integral.

Oracles: the worked values of ITU-R P.526-15 eq. 31 at chosen ``v`` (computed by hand
below), the exact knife-edge loss from SciPy's Fresnel integrals (P.526-15 eq. 27, which
eq. 31 approximates), the first Fresnel-zone radius ``r1 = sqrt(lambda d1 d2 / (d1 + d2))``
(``v = sqrt(2) h / r1``, the equivalent form listed with eq. 26), and a synthetic terrain
with one ridge whose height above the ray is known in closed form.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from iadsim.core.contracts import RadarPaths
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid, load_bundled
from iadsim.geo.terrain_obstacle import _dominant_obstacle_reference, dominant_obstacle
from iadsim.sensors.diffraction import (
    TerrainDiffraction,
    fresnel_kirchhoff_parameter,
    knife_edge_loss_db,
)

R_EARTH = 6_378_137.0


def exact_knife_edge_loss_db(v):
    """-20 log10 |F(v)|, |F(v)| = sqrt((1 - C - S)^2 + (C - S)^2) / 2 (P.526-15, eq. 27)."""
    s, c = special.fresnel(v)
    return -20.0 * np.log10(np.sqrt((1.0 - c - s) ** 2 + (c - s) ** 2) / 2.0)


@pytest.mark.parametrize(
    ("v", "loss_db"),
    [
        # 6.9 + 20 log10(sqrt(0.01 + 1) - 0.1) = 6.9 + 20 log10(0.904988) = 6.0329
        (0.0, 6.0329),
        # 6.9 + 20 log10(sqrt(0.81 + 1) + 0.9) = 6.9 + 20 log10(2.245362) = 13.9253
        (1.0, 13.9253),
        # 6.9 + 20 log10(sqrt(8.41 + 1) + 2.9) = 6.9 + 20 log10(5.967601) = 22.4161
        (3.0, 22.4161),
        # 6.9 + 20 log10(sqrt(0.36 + 1) - 0.6) = 6.9 + 20 log10(0.566190) = 1.9592
        (-0.5, 1.9592),
    ],
)
def test_knife_edge_loss_matches_p526_eq31_worked_values(v, loss_db):
    assert knife_edge_loss_db(np.array([v]))[0] == pytest.approx(loss_db, abs=1e-3)


def test_knife_edge_loss_is_zero_where_the_ray_clears_the_edge_well():
    assert np.all(knife_edge_loss_db(np.array([-0.79, -2.0, -np.inf])) == 0.0)


def test_eq31_follows_the_exact_fresnel_loss_in_the_shadow():
    v = np.linspace(0.0, 8.0, 81)
    np.testing.assert_allclose(knife_edge_loss_db(v), exact_knife_edge_loss_db(v), atol=0.6)


def test_fresnel_parameter_is_sqrt2_height_over_the_first_fresnel_radius():
    wavelength, d1, d2, h = 0.1, 40e3, 290e3, 77.0
    r1 = np.sqrt(wavelength * d1 * d2 / (d1 + d2))
    v = fresnel_kirchhoff_parameter(np.array([h]), np.array([d1]), np.array([d2]), wavelength)
    assert v[0] == pytest.approx(np.sqrt(2.0) * h / r1, rel=1e-12)


def _paths(height_m, d1_m, d2_m, frequency_hz=3e9):
    n = len(height_m)
    return RadarPaths(
        radar_pos_ecef_m=np.zeros(3),
        radar_alt_m=10.0,
        frequency_hz=frequency_hz,
        reference_range_m=100e3,
        range_m=np.full(n, 100e3),
        azimuth_rad=np.zeros(n),
        elevation_rad=np.zeros(n),
        target_pos_ecef_m=np.zeros((n, 3)),
        obstacle_height_m=np.asarray(height_m, float),
        obstacle_d1_m=np.asarray(d1_m, float),
        obstacle_d2_m=np.asarray(d2_m, float),
    )


def test_the_effect_is_twice_the_one_way_loss_grazing_12_db_deep_shadow_no_detection():
    change = TerrainDiffraction().snr_change_db(
        _paths([0.0, 500.0, -200.0, -np.inf], [50e3] * 4, [50e3] * 4)
    )
    assert change[0] == pytest.approx(-2 * 6.0329, abs=1e-3)  # grazing
    assert change[1] < -50.0  # 500 m into the shadow at S band
    assert change[2] == 0.0  # clears by more than 0.55 Fresnel radius
    assert change[3] == 0.0  # no terrain sample on the path


def test_without_terrain_the_effect_changes_nothing():
    paths = _paths([1.0], [1.0], [1.0])
    bare = RadarPaths(**{**paths.__dict__, "obstacle_height_m": None})
    assert TerrainDiffraction().snr_change_db(bare)[0] == 0.0


# --- the dominant obstacle from the line-of-sight kernel --------------------------------


def one_ridge_grid(ridge_lon_deg, ridge_m):
    """Sea-level terrain on 39-41 N, 31-35 E at 0.01 deg, one north-south ridge."""
    lat = np.arange(39.0, 41.0001, 0.01)
    lon = np.arange(31.0, 35.0001, 0.01)
    heights = np.zeros((lat.size, lon.size))
    heights[:, np.argmin(np.abs(lon - ridge_lon_deg))] = ridge_m
    return ElevationGrid(
        heights_m=heights,
        lat0_rad=np.radians(39.0),
        lon0_rad=np.radians(31.0),
        dlat_rad=np.radians(0.01),
        dlon_rad=np.radians(0.01),
    )


def test_the_dominant_obstacle_of_one_ridge_has_its_closed_form_height_and_distances():
    """Radar and target on the 40 N parallel (a great circle only near enough: the path
    bends < 60 m off it over 2 deg, far under the ridge's length), ridge at 33 E."""
    grid = one_ridge_grid(33.0, 300.0)
    lat = np.radians(40.0)
    h1, h2 = 50.0, 400.0
    edge = dominant_obstacle(lat, np.radians(32.0), h1, lat, np.radians(34.0), h2, grid)
    # Ground distances along the 40 N great circle between 32 E and 34 E.
    d = R_EARTH * np.arccos(np.sin(lat) ** 2 + np.cos(lat) ** 2 * np.cos(np.radians(2.0)))
    d1 = d / 2.0
    # Second-order ray height (line_of_sight notes): h1 + (h2 - h1) s/d - s (d - s) / (2 k R).
    ray = h1 + (h2 - h1) * d1 / d - d1 * (d - d1) / (2.0 * 4.0 / 3.0 * R_EARTH)
    assert float(edge.d1_m) == pytest.approx(d1, rel=2e-3)
    assert float(edge.d1_m + edge.d2_m) == pytest.approx(d, rel=1e-6)
    assert float(edge.height_m) == pytest.approx(300.0 - ray, abs=3.0)


def test_a_path_that_terrain_clear_calls_blocked_has_an_obstacle_above_the_ray():
    grid = load_bundled()
    rng = np.random.default_rng(5)
    n = 300
    lat1, lon1 = np.radians(rng.uniform(38, 41, n)), np.radians(rng.uniform(31, 35, n))
    lat2 = lat1 + np.radians(rng.uniform(-1.2, 1.2, n))
    lon2 = lon1 + np.radians(rng.uniform(-1.2, 1.2, n))
    h1 = grid.surface_height_m(lat1, lon1) + 20.0
    h2 = grid.surface_height_m(lat2, lon2) + rng.uniform(30.0, 2000.0, n)
    edge = dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid)
    clear = terrain_clear(lat1, lon1, h1, lat2, lon2, h2, grid)
    assert 0 < np.count_nonzero(~clear) < n
    np.testing.assert_array_equal(edge.height_m > 0.0, ~clear)


def test_the_kernel_obstacle_matches_its_dense_numpy_twin_on_real_terrain():
    """Fresnel parameter at S band of the kernel's obstacle against the twin's, sampled
    every ~10 m, where diffraction is neither nil nor total (-1 < v < 5)."""
    grid = load_bundled()
    rng = np.random.default_rng(8)
    n = 120
    lat1, lon1 = np.radians(rng.uniform(38, 41, n)), np.radians(rng.uniform(31, 35, n))
    lat2 = lat1 + np.radians(rng.uniform(-1.0, 1.0, n))
    lon2 = lon1 + np.radians(rng.uniform(-1.0, 1.0, n))
    h1 = grid.surface_height_m(lat1, lon1) + 20.0
    h2 = grid.surface_height_m(lat2, lon2) + rng.uniform(30.0, 2000.0, n)
    fast = dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid)
    twin = _dominant_obstacle_reference(lat1, lon1, h1, lat2, lon2, h2, grid, n_samples=15_000)
    v_fast = fresnel_kirchhoff_parameter(fast.height_m, fast.d1_m, fast.d2_m, 0.1)
    v_twin = fresnel_kirchhoff_parameter(twin.height_m, twin.d1_m, twin.d2_m, 0.1)
    middle = (v_twin > -1.0) & (v_twin < 5.0)
    assert middle.sum() >= 10
    np.testing.assert_allclose(v_fast[middle], v_twin[middle], atol=0.15)


@pytest.mark.parametrize("wavelength_m", [0.03, 0.1, 1.5])
def test_the_wavelength_pruned_search_gives_the_same_knife_edge_loss(wavelength_m):
    """Skipping pieces whose obstacles cannot reach v = -0.78 changes no loss."""
    grid = load_bundled()
    rng = np.random.default_rng(13)
    n = 400
    lat1, lon1 = np.radians(rng.uniform(38, 41, n)), np.radians(rng.uniform(31, 35, n))
    lat2 = lat1 + np.radians(rng.uniform(-2.0, 2.0, n))
    lon2 = lon1 + np.radians(rng.uniform(-2.0, 2.0, n))
    h1 = grid.surface_height_m(lat1, lon1) + 30.0
    h2 = grid.surface_height_m(lat2, lon2) + rng.uniform(30.0, 3000.0, n)
    exact = dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid)
    pruned = dominant_obstacle(lat1, lon1, h1, lat2, lon2, h2, grid, wavelength_m=wavelength_m)

    def loss(edge):
        v = fresnel_kirchhoff_parameter(edge.height_m, edge.d1_m, edge.d2_m, wavelength_m)
        return knife_edge_loss_db(v)

    assert np.count_nonzero(loss(exact) > 0.0) > 20
    np.testing.assert_allclose(loss(pruned), loss(exact), atol=1e-9)
