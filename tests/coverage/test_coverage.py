"""Pd maps, detection boundaries and vertical coverage against textbook values and peers.

Oracles: the catalog statement itself (Pd_ref at R_ref against sigma_ref), the closed form
of a Swerling 1 single pulse ``Pd = Pfa ** (1 / (1 + SNR))`` (Skolnik 2001, eq. 2.60;
Richards 2014, eq. 6.56), the 4/3-earth radio horizon ``sqrt(2 k R h1) + sqrt(2 k R h2)``
(Skolnik 2001, eq. 8.1), pyproj for ECEF positions, the numba line-of-sight kernel
``terrain_clear`` for terrain shadows, and ``aspect_angles`` for the target body frame.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli.coverage import coverage
from iadsim.coverage.maps import (
    Aspect,
    combine_pd,
    map_axes,
    pd_at_points,
    pd_map,
)
from iadsim.coverage.profiles import detection_boundaries, ray_height_m, vertical_coverage
from iadsim.geo.ellipsoid import sphere_destination as destination
from iadsim.geo.frames import lla_to_ecef
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.aspect import aspect_angles
from iadsim.sensors.diffraction import TerrainDiffraction
from iadsim.sensors.radar import Radar
from iadsim.sensors.signature import SignatureTable

rad = np.radians
K = 4.0 / 3.0
A_M = 6378137.0
PFA = 1e-6
REF_RANGE_M = 150_000.0
REF_RCS_M2 = 4.0
SITE = (40.0, 32.0)
MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def swerling1_pd(range_m, rcs_m2, ref_range_m=REF_RANGE_M, ref_rcs_m2=REF_RCS_M2, ref_pd=0.5):
    """Textbook Swerling 1, one pulse: Pd = Pfa^(1/(1+SNR)), SNR by the R^4 law."""
    snr_ref = np.log(PFA) / np.log(ref_pd) - 1.0
    snr = snr_ref * (rcs_m2 / ref_rcs_m2) * (ref_range_m / np.asarray(range_m)) ** 4
    return PFA ** (1.0 / (1.0 + snr))


def make_radar(
    lat_deg=SITE[0],
    lon_deg=SITE[1],
    alt_m=10.0,
    facing_deg=0.0,
    index=0,
    name="test",
    signal_effects=(),
    **spec,
) -> Radar:
    """A radar with the S-band reference below; no signal effects by default, so the SNR is
    the radar equation alone that the textbook oracles here compute."""
    values = {
        "frequency_hz": 3.0e9,
        "detection_range_m": REF_RANGE_M,
        "reference_rcs_m2": REF_RCS_M2,
        "reference_pd": 0.5,
        "reference_pfa": PFA,
        "reference_swerling": 1,
        "min_range_m": 500.0,
        "max_range_m": 600_000.0,
        "min_elevation_deg": -5.0,
        "max_elevation_deg": 89.0,
        "azimuth_coverage_deg": 360.0,
    }
    values.update(spec)
    base = load_catalog().radars["s400/91n6e"]
    return Radar(
        index,
        name,
        base.model_copy(update=values),
        rad(lat_deg),
        rad(lon_deg),
        alt_m,
        rad(facing_deg),
        signal_effects=signal_effects,
    )


def constant_table(rcs_m2: float = REF_RCS_M2, by_az_dbsm=None) -> SignatureTable:
    """One target ``ref``: constant RCS, or RCS varying with aspect azimuth and elevation."""
    az_deg = np.array([0.0, 90.0, 180.0]) if by_az_dbsm is not None else np.array([0.0, 180.0])
    row = (
        np.asarray(by_az_dbsm, float)
        if by_az_dbsm is not None
        else np.full(2, 10 * np.log10(rcs_m2))
    )
    table = np.broadcast_to(row, (1, 2, 3, az_deg.size)).copy()
    if by_az_dbsm is not None:
        table += np.array([6.0, 0.0, 3.0])[None, None, :, None]  # belly +6 dB, top +3 dB
    return SignatureTable(
        names=("ref",),
        band_names=("S", "X"),
        freq_hz=np.array([3e9, 1e10]),
        az_grid_rad=rad(az_deg),
        el_grid_rad=rad(np.array([-90.0, 0.0, 90.0])),
        rcs_dbsm=table,
        swerling=np.array([1]),
        rcs_scale=np.array([1.0]),
    )


def slant_range_m(radar: Radar, lat_rad, lon_rad, alt_m):
    """Radar-to-target distance from pyproj ECEF positions."""
    lat_rad, lon_rad, alt_m = np.broadcast_arrays(lat_rad, lon_rad, np.asarray(alt_m, float))
    target = lla_to_ecef(lat_rad, lon_rad, alt_m)
    antenna = lla_to_ecef(radar.lat_rad, radar.lon_rad, radar.alt_m)
    return np.linalg.norm(target - antenna, axis=-1)


def small_axes(half_deg=1.8, n=41, center=SITE):
    lat = rad(np.linspace(center[0] - half_deg, center[0] + half_deg, n))
    lon = rad(np.linspace(center[1] - half_deg * 1.3, center[1] + half_deg * 1.3, n))
    return lat, lon


def test_boundary_without_terrain_sits_at_the_catalog_range_for_the_reference_rcs():
    radar = make_radar()
    table = constant_table()
    # A high target: the 4/3-earth horizon (~425 km) and elevation limits do not bind.
    (boundary,) = detection_boundaries(
        [radar], "ref", [10_000.0], table, n_azimuths=24, range_step_m=200.0
    )
    lat, lon = destination(radar.lat_rad, radar.lon_rad, boundary.az_rad, boundary.range_m)
    slant = slant_range_m(radar, lat, lon, 10_000.0)
    np.testing.assert_allclose(slant / REF_RANGE_M, 1.0, atol=0.01)
    assert boundary.pd_threshold == 0.5


def test_pd_map_follows_the_swerling1_closed_form_where_nothing_masks():
    radar = make_radar()
    axes = small_axes(half_deg=1.8, n=30)  # even: no cell right above the radar (el > 89 deg)
    result = pd_map([radar], "ref", [8_000.0], constant_table(), axes_rad=axes)
    lat, lon = np.meshgrid(*axes, indexing="ij")
    slant = slant_range_m(radar, lat, lon, 8_000.0)
    expected = swerling1_pd(slant, REF_RCS_M2)
    np.testing.assert_allclose(result.pd[0], expected, atol=2e-6)
    assert result.pd.shape == (1, 30, 30)
    # the Pd = 0.5 contour is the catalog range: inside it Pd > 0.5, outside < 0.5
    assert np.all(result.pd[0][slant < 0.99 * REF_RANGE_M] > 0.5)
    assert np.all(result.pd[0][slant > 1.01 * REF_RANGE_M] < 0.5)


def test_low_target_boundary_is_the_four_thirds_earth_horizon():
    # A strong radar (R_ref 1000 km): only the radio horizon limits a 100 m target.
    radar = make_radar(alt_m=25.0, detection_range_m=1.0e6, max_range_m=1.0e6)
    textbook_m = np.sqrt(2 * K * 6371e3 * 25.0) + np.sqrt(2 * K * 6371e3 * 100.0)
    flat = ElevationGrid(rad(38.0), rad(30.0), rad(0.02), rad(0.02), np.zeros((201, 201)))
    for terrain in (None, flat):
        (boundary,) = detection_boundaries(
            [radar],
            "ref",
            [100.0],
            constant_table(),
            terrain=terrain,
            n_azimuths=12,
            range_step_m=100.0,
        )
        np.testing.assert_allclose(boundary.range_m / textbook_m, 1.0, atol=0.01)


def _ridge_terrain() -> ElevationGrid:
    """Sea-level ground with a 1500 m north-south ridge 0.3 deg (25 km) east of the site."""
    lat0, lon0, step = 38.0, 29.0, 1.0 / 60.0
    heights = np.zeros((241, 361), dtype=np.float32)
    lon = lon0 + step * np.arange(361)
    lat = lat0 + step * np.arange(241)
    ridge_cols = np.abs(lon - 32.3) < 0.03
    ridge_rows = np.abs(lat - 40.0) < 0.35
    heights[np.ix_(ridge_rows, ridge_cols)] = 1500.0
    return ElevationGrid(rad(lat0), rad(lon0), rad(step), rad(step), heights)


def test_terrain_ridge_shadows_the_cells_behind_it():
    """Terrain acts through the diffraction loss: deep behind the ridge the knife edge
    takes more than the radar equation's 60 dB margin and no cell is seen."""
    terrain = _ridge_terrain()
    radar = make_radar(
        alt_m=10.0,
        detection_range_m=1.0e6,
        max_range_m=1.0e6,
        signal_effects=(TerrainDiffraction(),),
    )
    axes = small_axes(half_deg=0.6, n=48)
    result = pd_map([radar], "ref", [300.0], constant_table(), terrain=terrain, axes_rad=axes)
    lat, lon = np.meshgrid(*axes, indexing="ij")
    pd_layer = result.pd[0]
    behind = (np.degrees(lon) > 32.45) & (np.abs(np.degrees(lat) - 40.0) < 0.1)
    in_front = (np.degrees(lon) < 32.2) & (np.degrees(lon) > 31.6)
    assert behind.sum() > 20 and np.all(pd_layer[behind] < 1e-4)
    assert np.all(pd_layer[in_front & (np.abs(np.degrees(lat) - 40.0) < 0.3)] > 0.9)
    # Agrees with the independent line-of-sight kernel away from the shadow's edges.
    clear = terrain_clear(
        radar.lat_rad, radar.lon_rad, radar.alt_m, lat, lon, 300.0, terrain, n_samples=400
    )
    ground_m = A_M * np.hypot(lat - radar.lat_rad, (lon - radar.lon_rad) * np.cos(radar.lat_rad))
    inside = (ground_m > 2_000.0) & (ground_m < 60_000.0)  # well within the 84 km horizon
    agreement = np.mean((pd_layer[inside] > 1e-4) == clear[inside])
    assert agreement > 0.97


def test_agl_targets_ride_on_the_terrain():
    plateau = ElevationGrid(rad(37.0), rad(29.0), rad(0.05), rad(0.05), np.full((121, 121), 1000.0))
    radar = make_radar(alt_m=1010.0)
    axes = small_axes(half_deg=1.0, n=21)
    agl = pd_map(
        [radar],
        "ref",
        [100.0],
        constant_table(),
        terrain=plateau,
        axes_rad=axes,
        altitude_reference="agl",
    )
    msl = pd_map([radar], "ref", [1100.0], constant_table(), terrain=plateau, axes_rad=axes)
    np.testing.assert_allclose(agl.pd, msl.pd, atol=1e-7)
    assert agl.pd.max() > 0.9
    below = pd_map([radar], "ref", [900.0], constant_table(), terrain=plateau, axes_rad=axes)
    assert below.pd.max() == 0.0  # under the plateau nothing is seen


def test_two_radars_combine_by_the_product_rule():
    table = constant_table()
    first = make_radar(index=0, name="a")
    second = make_radar(lat_deg=40.5, lon_deg=32.8, index=1, name="b", detection_range_m=90e3)
    axes = small_axes(half_deg=1.5, n=24)
    both = pd_map([first, second], "ref", [5000.0], table, axes_rad=axes)
    alone_a = pd_map([first], "ref", [5000.0], table, axes_rad=axes)
    alone_b = pd_map([second], "ref", [5000.0], table, axes_rad=axes)
    expected = 1.0 - (1.0 - alone_a.pd.astype(float)) * (1.0 - alone_b.pd.astype(float))
    np.testing.assert_allclose(both.pd, expected, atol=1e-6)
    assert both.n_evaluations == 2 * 24 * 24
    # Co-located twins against the textbook: 1 - (1 - p)^2.
    twin = pd_map([first, make_radar(index=1, name="twin")], "ref", [5000.0], table, axes_rad=axes)
    lat, lon = np.meshgrid(*axes, indexing="ij")
    p = swerling1_pd(slant_range_m(first, lat, lon, 5000.0), REF_RCS_M2)
    np.testing.assert_allclose(twin.pd[0], 1.0 - (1.0 - p) ** 2, atol=3e-6)
    np.testing.assert_allclose(combine_pd([[0.5, 0.2], [0.5, 0.0]]), [0.75, 0.2])


@pytest.mark.parametrize("rule", ["towards", "away", "broadside", "135"])
def test_aspect_rules_match_the_body_frame_of_aspect_angles(rule):
    # Nose 0 dBsm, broadside 20 dBsm, tail 10 dBsm: the aspect decides the Pd.
    table = constant_table(by_az_dbsm=[0.0, 20.0, 10.0])
    radar = make_radar()
    rng = np.random.default_rng(7)
    lat = radar.lat_rad + rad(rng.uniform(-1.2, 1.2, 40))
    lon = radar.lon_rad + rad(rng.uniform(-1.5, 1.5, 40))
    alt = rng.uniform(6_000.0, 12_000.0, 40)  # horizon beyond 350 km: nothing masked
    aspect = Aspect.parse(rule)
    got = pd_at_points(radar, lat, lon, alt, table, "ref", aspect)
    # Expected: a level velocity in the target's ENU frame, then aspect_angles.
    pos = lla_to_ecef(lat, lon, alt)
    antenna = lla_to_ecef(radar.lat_rad, radar.lon_rad, radar.alt_m)
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)
    los = antenna - pos
    bearing = np.arctan2(np.sum(los * east, -1), np.sum(los * north, -1))
    heading = {"towards": bearing, "away": bearing + np.pi, "broadside": bearing - np.pi / 2}.get(
        rule, np.full_like(bearing, rad(135.0))
    )
    velocity = np.cos(heading)[:, None] * north + np.sin(heading)[:, None] * east
    az, el = aspect_angles(pos, velocity, antenna)
    rcs = table.rcs_m2(np.zeros(40, int), az, el, 3e9)
    expected = swerling1_pd(np.linalg.norm(los, axis=-1), rcs)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_sector_radar_sees_nothing_behind_its_back():
    radar = make_radar(facing_deg=90.0, azimuth_coverage_deg=90.0)
    axes = small_axes(half_deg=1.0, n=31)
    result = pd_map([radar], "ref", [5000.0], constant_table(), axes_rad=axes)
    lat, lon = np.meshgrid(*axes, indexing="ij")
    west = np.degrees(lon) < SITE[1] - 0.1
    east_on_axis = (np.degrees(lon) > SITE[1] + 0.3) & (np.abs(np.degrees(lat) - SITE[0]) < 0.2)
    assert np.all(result.pd[0][west] == 0.0)
    assert np.all(result.pd[0][east_on_axis] > 0.5)


def test_default_grid_holds_the_whole_reach():
    radar = make_radar()
    result = pd_map([radar], "ref", [3000.0, 10_000.0], constant_table(), n_cells=60)
    assert result.pd.shape == (2, 60, 60)
    edges = np.concatenate(
        [result.pd[:, 0, :], result.pd[:, -1, :], result.pd[:, :, 0], result.pd[:, :, -1]], axis=1
    )
    assert edges.max() < 0.02  # nothing detectable is cut off at the map's edge
    assert result.pd[1].max() > 0.99
    lon_min, lon_max, lat_min, lat_max = result.extent_deg
    # about square on the ground
    ratio = (lon_max - lon_min) * np.cos(rad(SITE[0])) / (lat_max - lat_min)
    assert ratio == pytest.approx(1.0, rel=0.02)
    with pytest.raises(ValueError, match="at least 2"):
        map_axes([radar], [1e5], 1)


def test_ray_height_against_the_second_order_form_and_the_horizon():
    s = np.array([10e3, 50e3, 100e3])
    exact = ray_height_m(20.0, rad(1.0), s)
    approx = 20.0 + s * np.tan(rad(1.0)) + s**2 / (2 * K * A_M)
    np.testing.assert_allclose(exact, approx, rtol=2e-3)
    # The grazing ray from 100 m touches sea level at the horizon distance sqrt(2 k R h).
    radius_e = K * A_M
    grazing = -np.arccos(radius_e / (radius_e + 100.0))
    horizon = radius_e * np.arccos(radius_e / (radius_e + 100.0))
    assert abs(ray_height_m(100.0, grazing, horizon)) < 1e-3
    assert horizon == pytest.approx(np.sqrt(2 * K * A_M * 100.0), rel=1e-4)


def test_vertical_coverage_contour_and_terrain_shadow():
    radar = make_radar(max_elevation_deg=60.0)
    flat = vertical_coverage(
        radar,
        "ref",
        constant_table(),
        az_rad=rad(30.0),
        max_range_m=200e3,
        max_height_m=12_000.0,
        n_range=400,
        n_height=24,
    )
    row = np.argmin(np.abs(flat.height_m - 10_000.0))
    crossing = flat.ground_range_m[np.flatnonzero(flat.pd[row] >= 0.5).max()]
    lat, lon = destination(radar.lat_rad, radar.lon_rad, rad(30.0), crossing)
    slant = slant_range_m(radar, lat, lon, flat.height_m[row])
    assert slant == pytest.approx(REF_RANGE_M, rel=0.01)
    # Above 60 deg elevation the radar does not look.
    steep = np.degrees(np.arctan2(flat.height_m[:, None] - radar.alt_m, flat.ground_range_m))
    assert np.all(flat.pd[steep > 60.5] == 0.0)
    # Behind the ridge (east, 25 km) a 1500 m ridge hides low targets, not high ones: the
    # knife edge takes tens of dB 10 % under the shadow line, nothing 10 % above it.
    ridged = vertical_coverage(
        dataclasses.replace(radar, signal_effects=(TerrainDiffraction(),)),
        "ref",
        constant_table(),
        az_rad=rad(90.0),
        terrain=_ridge_terrain(),
        max_range_m=80e3,
        max_height_m=8000.0,
        n_range=160,
        n_height=80,
    )
    column = np.argmin(np.abs(ridged.ground_range_m - 50e3))
    shadow_top = 1500.0 * 50.0 / 25.6 + (50e3**2 - 50e3 * 25.6e3) / (2 * K * A_M)
    heights = ridged.height_m
    assert np.all(ridged.pd[heights < 0.9 * shadow_top, column] < 1e-4)
    assert np.all(ridged.pd[heights > 1.1 * shadow_top, column] > 0.5)
    assert ridged.terrain_m.max() == pytest.approx(1500.0)


def test_aspect_parse_rejects_nonsense():
    assert Aspect.parse("Towards").kind == "towards"
    assert Aspect.parse("90").heading_rad == pytest.approx(np.pi / 2)
    with pytest.raises(ValueError, match="aspect"):
        Aspect.parse("sideways")


# ---- the command line -------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(coverage)

    @app.command()
    def other() -> None:  # a second command keeps ``coverage`` a named subcommand
        """Placeholder."""

    return app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a SCENARIO"),
        (["--site", "40,32"], "--site needs --radar"),
        (["--site", "40;32", "--radar", "s400/91n6e"], "--site"),
        (["--site", "95,32", "--radar", "s400/91n6e"], "latitude"),
        (["--site", "40,32", "--radar", "s400/91n6"], "did you mean"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--target", "f35"], "unknown target"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--alt-m", "1e3,x"], "--alt-m"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--alt-m", "-5"], "--alt-m"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--grid", "1"], "--grid"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--aspect", "up"], "--aspect"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--alt-ref", "sea"], "--alt-ref"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--compare", "f35a"], "--compare"),
        (["--site", "40,32", "--radar", "s400/91n6e", "--pd-threshold", "1"], "--pd-threshold"),
        (["no/such/file.yaml"], "cannot read"),
        ([str(MINIMAL), "--radar", "s400/91n6e"], "no radar of type"),
        ([str(MINIMAL), "--site", "40,32", "--radar", "s400/91n6e"], "not both"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(args, message, tmp_path):
    result = CliRunner().invoke(_app(), ["coverage", *args, "--out", str(tmp_path / "x")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_cli_writes_every_output(tmp_path: Path):
    out = tmp_path / "cov"
    result = CliRunner().invoke(
        _app(),
        [
            "coverage",
            "--site",
            "40.0,32.6",
            "--radar",
            "patriot/mpq65",
            "--facing-deg",
            "20",
            "--target",
            "f16c",
            "--alt-m",
            "500,5000",
            "--grid",
            "40",
            "--compare",
            "f35a,f16c",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "pd_map.png",
        "pd_map.nc",
        "pd_map_500m.tif",
        "pd_map_5000m.tif",
        "boundary.geojson",
        "vertical_patriot_mpq65.png",
        "compare_f35a_f16c.png",
    } <= names
    assert "Detection range" in result.output
