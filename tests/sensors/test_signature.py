"""Tests for RCS signature tables, aspect angles and Swerling fluctuation."""

from __future__ import annotations

import dataclasses
from importlib import resources

import numpy as np
import pyproj
import pytest
import yaml
from scipy import stats

from iadsim.catalog import load_catalog
from iadsim.catalog.loader import CatalogError, check_catalog
from iadsim.sensors.aspect import aspect_angles
from iadsim.sensors.signature import (
    SignatureTable,
    fluctuate,
    load_signatures,
    signature_table,
)

# Public figures (public-parameters.yaml, copied here so tests never read ../shared):
# nose-on X-band ranges in m², with their source ids.
PUBLIC_RANGE_M2 = {
    "f35a": (0.001, 0.01),  # aircraft.f35a frontal_xband, S47/S4, V
    "f16c": (1.0, 5.0),  # aircraft.f16c_block50, S2/S4, V
    "su35": (1.0, 15.0),  # aircraft.su35s, S53/S80, weak
    "kalibr": (0.05, 0.5),  # threats.kalibr_3M14 0.1 assumption within the missile range, D
    "iskander": (0.05, 0.5),  # threats.generic_srbm_scud_b_class placeholder, D
    "shahed136": (0.01, 0.5),  # threats.shahed_136 placeholder, D
    "airliner": (20.0, 40.0),  # aircraft.airliner medium..large, S2, V
    "e3a": (40.0, 100.0),  # aircraft.e3_sentry large-airliner class, D from S2
    "kh101": (0.005, 0.1),  # Kh-101 0.01 m2 claim (S227, R), swept 0.005-0.1
    "agm88e": (0.02, 0.2),  # no public RCS: 0.05 m2 assumed for a 254 mm body (S243), D
    "agm88": (0.02, 0.2),  # as the AGM-88E airframe (S243), D
    "kh31p": (0.05, 0.3),  # no public RCS: 0.1 m2 assumed for a 360 mm body (S245), D
    "adm160b": (0.1, 5.0),  # MALD signature augmentation imitates a fighter (S246), D
    "adm160c": (0.1, 5.0),  # as the ADM-160B (S246), D
    "ea18g": (1.0, 20.0),  # clean Super Hornet ~1 m2 (S331, R, weak) plus pods and tanks, D
}
WGS84_A_M = 6378137.0
DEG = np.pi / 180.0


@pytest.fixture(scope="module")
def table() -> SignatureTable:
    return load_signatures()


@pytest.fixture(scope="module")
def document() -> dict:
    text = resources.files("iadsim.catalog").joinpath("data/signatures.yaml").read_text()
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def small_table() -> SignatureTable:
    """One type, two bands, el nodes -30/+30, az nodes 0/90/180; band 1 = band 0 + 6 dB."""
    band0 = np.array([[0.0, 10.0, 20.0], [4.0, 14.0, 24.0]])
    return SignatureTable(
        names=("toy",),
        band_names=("L", "X"),
        freq_hz=np.array([1e9, 1e10]),
        az_grid_rad=np.array([0.0, 90.0, 180.0]) * DEG,
        el_grid_rad=np.array([-30.0, 30.0]) * DEG,
        rcs_dbsm=np.stack([band0, band0 + 6.0])[None],
        swerling=np.array([1]),
        rcs_scale=np.array([1.0]),
    )


# --- interpolation -------------------------------------------------------------------


def test_bundled_grid_holds_the_pattern_at_its_nodes(table):
    # the catalog table's grid is a tabulation of the patterns lookups evaluate
    t, b, e, a = np.meshgrid(
        np.arange(table.n_types),
        np.arange(len(table.band_names)),
        np.arange(table.el_grid_rad.size),
        np.arange(table.az_grid_rad.size),
        indexing="ij",
    )
    got_m2 = table.rcs_m2(
        t.ravel(),
        table.az_grid_rad[a.ravel()],
        table.el_grid_rad[e.ravel()],
        table.freq_hz[b.ravel()],
    )
    np.testing.assert_allclose(10 * np.log10(got_m2), table.rcs_dbsm.ravel(), atol=1e-9)


def test_bundled_grid_has_every_lobe_centre_as_a_node(table, document):
    nodes_deg = np.degrees(table.az_grid_rad)
    for entry in document["targets"].values():
        for lobe in entry["pattern"]["lobes"].values():
            assert np.min(np.abs(nodes_deg - lobe["az_deg"])) < 1e-9


def test_cell_centre_is_the_mean_of_the_eight_corners_in_db():
    # corners: az 0/90, el -30/+30, L/X; hand mean in dB = (0+10+4+14)/4 + 6/2 = 10 dB -> 10 m²
    rcs = small_table().rcs_m2([0], [45 * DEG], [0.0], [np.sqrt(1e9 * 1e10)])
    np.testing.assert_allclose(rcs, [10.0], rtol=1e-12)


def test_quarter_point_interpolates_linearly_in_db_and_log_frequency():
    # az 22.5 (t=1/4): 2.5 dB at el -30, 6.5 dB at el +30; el -15 (t=1/4): 3.5 dB;
    # X band +6 dB; f = 1e9 * 10**0.25 (t=1/4 in log f): 3.5 + 1.5 = 5 dB -> 10**0.5 m²
    rcs = small_table().rcs_m2([0], [22.5 * DEG], [-15 * DEG], [1e9 * 10**0.25])
    np.testing.assert_allclose(rcs, [10**0.5], rtol=1e-12)


def test_frequency_and_elevation_outside_the_grid_are_clamped(table):
    n = table.n_types
    types = np.arange(n)
    az = np.full(n, 40 * DEG)
    el = np.full(n, 10 * DEG)
    np.testing.assert_allclose(
        table.rcs_m2(types, az, el, 1e7), table.rcs_m2(types, az, el, table.freq_hz[0]), rtol=1e-12
    )
    np.testing.assert_allclose(
        table.rcs_m2(types, az, el, 3.5e10),
        table.rcs_m2(types, az, el, table.freq_hz[-1]),
        rtol=1e-12,
    )
    toy = small_table()
    np.testing.assert_allclose(toy.rcs_m2([0], [0.0], [-80 * DEG], [1e9]), [1.0], rtol=1e-12)


def test_azimuth_is_symmetric_left_right_and_periodic(table):
    rng = np.random.default_rng(7)
    n = 1000
    types = rng.integers(0, table.n_types, n)
    az = rng.uniform(0.0, np.pi, n)
    el = rng.uniform(-np.pi / 2, np.pi / 2, n)
    freq = np.exp(rng.uniform(np.log(1e8), np.log(2e10), n))
    right = table.rcs_m2(types, az, el, freq)
    np.testing.assert_allclose(table.rcs_m2(types, -az, el, freq), right, rtol=1e-12)
    np.testing.assert_allclose(table.rcs_m2(types, az + 2 * np.pi, el, freq), right, rtol=1e-9)
    np.testing.assert_allclose(table.rcs_m2(types, -az - 4 * np.pi, el, freq), right, rtol=1e-9)


def test_undefined_aspect_gives_nan_not_a_wrong_value(table):
    rcs = table.rcs_m2([0, 1], [np.nan, 0.0], [0.0, np.nan], 1e10)
    assert np.all(np.isnan(rcs))


def test_rcs_scale_multiplies_only_the_named_type(table):
    types = np.arange(table.n_types)
    base = table.rcs_m2(types, np.zeros(table.n_types), np.zeros(table.n_types), 1e10)
    scaled = table.with_rcs_scale({"f35a": 10.0})
    expected = base.copy()
    expected[table.index("f35a")] *= 10.0
    got = scaled.rcs_m2(types, np.zeros(table.n_types), np.zeros(table.n_types), 1e10)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    with pytest.raises(KeyError, match="f35a"):
        table.with_rcs_scale({"f-35": 2.0})


# --- catalog values against public figures -----------------------------------------------


def nose_on_m2(table: SignatureTable, name: str, freq_hz: float) -> float:
    return float(table.rcs_m2([table.index(name)], [0.0], [0.0], freq_hz)[0])


@pytest.mark.parametrize("name", sorted(PUBLIC_RANGE_M2))
def test_nose_on_xband_lies_in_the_public_range(table, name):
    low, high = PUBLIC_RANGE_M2[name]
    for freq_hz in (8e9, 1e10, 1.2e10):  # across the IEEE X band
        assert low <= nose_on_m2(table, name, freq_hz) <= high


def test_f35a_frontal_grows_toward_low_frequency(table):
    x_band = nose_on_m2(table, "f35a", 1e10)
    l_band = nose_on_m2(table, "f35a", 1.3e9)
    uhf = nose_on_m2(table, "f35a", 4.3e8)
    vhf = nose_on_m2(table, "f35a", 1.5e8)
    assert x_band < l_band < uhf < vhf
    assert vhf > 10 * x_band  # resonance region: shaping loses at least an order of magnitude


def test_f35a_beam_and_rear_exceed_frontal_at_xband(table):
    i = table.index("f35a")
    frontal, beam, rear = table.rcs_m2([i] * 3, [0.0, 90 * DEG, 180 * DEG], [0.0] * 3, 1e10)
    assert beam > 10 * frontal
    assert rear > frontal
    beam_neighbours = table.rcs_m2([i] * 2, [60 * DEG, 120 * DEG], [0.0] * 2, 1e10)
    assert np.all(beam > beam_neighbours)  # a spike at broadside, not a plateau


def test_every_target_carries_provenance_and_a_notional_label(document, table):
    catalog = load_catalog()
    assert set(table.names) == set(PUBLIC_RANGE_M2)
    for name, entry in document["targets"].items():
        assert entry["notional"] is True
        assert len(entry["note"]) > 40
        assert entry["source"]
        assert set(entry["source"]) <= set(catalog.sources)
        assert table.swerling[table.index(name)] == catalog.air_platforms[name].swerling
        anchor_dbsm = 10 * np.log10(entry["anchor"]["rcs_m2"])
        assert abs(10 * np.log10(nose_on_m2(table, name, 1e10)) - anchor_dbsm) < 0.2


def test_pole_rows_do_not_depend_on_azimuth(table):
    # el = +-90 deg is one direction whatever the azimuth
    for row in (0, -1):
        pole = table.rcs_dbsm[:, :, row, :]
        np.testing.assert_array_equal(pole, np.repeat(pole[..., :1], pole.shape[-1], axis=-1))


def test_malformed_signatures_are_rejected_with_the_field_path():
    catalog = load_catalog()
    f16c = catalog.signatures["f16c"]
    offsets = {k: v for k, v in f16c.pattern.band_offset_db.items() if k != "S"}
    pattern = f16c.pattern.model_copy(update={"band_offset_db": offsets})
    broken = {**catalog.signatures, "f16c": f16c.model_copy(update={"pattern": pattern})}
    with pytest.raises(CatalogError, match=r"signatures\.f16c\.pattern\.band_offset_db"):
        check_catalog(dataclasses.replace(catalog, signatures=broken))
    anchor = f16c.anchor.model_copy(update={"rcs_m2": 5.0})
    broken = {**catalog.signatures, "f16c": f16c.model_copy(update={"anchor": anchor})}
    with pytest.raises(CatalogError, match=r"signatures\.f16c\.anchor\.rcs_m2"):
        check_catalog(dataclasses.replace(catalog, signatures=broken))
    with pytest.raises(CatalogError, match=r"f16c\.swerling"):
        catalog.with_overrides({"f16c": {"swerling": 7}})


def test_platform_overrides_reach_the_tables():
    catalog = load_catalog().with_overrides({"f16c": {"rcs_scale": 2.0, "swerling": 3}})
    table = signature_table(catalog)
    i = table.index("f16c")
    assert table.rcs_scale[i] == 2.0
    assert table.swerling[i] == 3
    assert table.rcs_scale[table.index("f35a")] == 1.0


# --- aspect angles -------------------------------------------------------------------------


def equator_target() -> tuple[np.ndarray, np.ndarray]:
    """Target 10 km up over (0 N, 0 E), flying north at 250 m/s: ECEF x is up, y east, z north."""
    return np.array([WGS84_A_M + 10_000.0, 0.0, 0.0]), np.array([0.0, 0.0, 250.0])


@pytest.mark.parametrize(
    ("offset_m", "expected_az_deg", "expected_el_deg"),
    [
        ((0.0, 0.0, 50_000.0), 0.0, 0.0),  # dead ahead
        ((0.0, 30_000.0, 0.0), 90.0, 0.0),  # off the right wing (east)
        ((0.0, -30_000.0, 0.0), -90.0, 0.0),  # off the left wing (west)
        ((-5_000.0, 0.0, 0.0), 0.0, -90.0),  # straight below (azimuth undefined, atan2(0, 0))
        ((-10_000.0, 0.0, -10_000.0), 180.0, -45.0),  # behind and below at 45 deg
        ((-10_000.0, 0.0, 100_000.0), 0.0, -np.degrees(np.arctan(0.1))),  # ahead, 10 km lower
    ],
)
def test_aspect_angles_match_hand_geometry_at_the_equator(
    offset_m, expected_az_deg, expected_el_deg
):
    position, velocity = equator_target()
    az, el = aspect_angles(position[None], velocity[None], position + np.array(offset_m))
    np.testing.assert_allclose(np.degrees(az), [expected_az_deg], atol=1e-9)
    np.testing.assert_allclose(np.degrees(el), [expected_el_deg], atol=1e-9)


def test_climbing_target_sees_a_radar_on_its_horizon_below_the_nose():
    position, _ = equator_target()
    climb = 10 * DEG
    velocity = 250.0 * np.array([np.sin(climb), 0.0, np.cos(climb)])  # up component is ECEF x
    az, el = aspect_angles(
        position[None], velocity[None], position + np.array([0.0, 0.0, 80_000.0])
    )
    np.testing.assert_allclose(az, [0.0], atol=1e-12)
    np.testing.assert_allclose(el, [-climb], atol=1e-12)


def test_degenerate_velocities_fall_back_to_north_and_east():
    position, _ = equator_target()
    north_of_target = position + np.array([0.0, 0.0, 20_000.0])
    az, el = aspect_angles(position[None], np.zeros((1, 3)), north_of_target)
    np.testing.assert_allclose([az[0], el[0]], [0.0, 0.0], atol=1e-12)
    # climbing vertically: right wing along east, so a radar to the east is at az +90 deg
    az, el = aspect_angles(
        position[None], np.array([[300.0, 0.0, 0.0]]), position + np.array([0.0, 1e4, 0.0])
    )
    np.testing.assert_allclose(np.degrees([az[0], el[0]]), [90.0, 0.0], atol=1e-9)


def lla_to_ecef(lat_deg, lon_deg, h_m):
    to_ecef = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    return np.column_stack(to_ecef.transform(lon_deg, lat_deg, h_m))


def test_aspect_angles_agree_with_pyproj_topocentric_frame():
    # targets over central Anatolia, one radar site; headings and climb angles are arbitrary
    lat = np.array([39.93, 40.40, 38.70, 39.10])
    lon = np.array([32.86, 31.90, 34.20, 33.00])
    h = np.array([9_000.0, 12_000.0, 300.0, 30_000.0])
    heading = np.radians([70.0, 200.0, 315.0, 10.0])
    climb = np.radians([0.0, 8.0, -3.0, -40.0])
    radar = lla_to_ecef(39.50, 33.40, 1_000.0)[0]
    targets = lla_to_ecef(lat, lon, h)

    velocity_enu = 250.0 * np.column_stack(
        [np.sin(heading) * np.cos(climb), np.cos(heading) * np.cos(climb), np.sin(climb)]
    )
    velocity_ecef = np.empty_like(velocity_enu)
    los_enu = np.empty_like(velocity_enu)
    for k in range(lat.size):
        enu = pyproj.Transformer.from_pipeline(
            f"+proj=topocentric +ellps=WGS84 +lat_0={lat[k]} +lon_0={lon[k]} +h_0={h[k]}"
        )
        los_enu[k] = enu.transform(*radar)
        tip = enu.transform(*velocity_enu[k], direction="INVERSE")
        velocity_ecef[k] = np.array(tip) - targets[k]

    az, el = aspect_angles(targets, velocity_ecef, radar)

    # independent expectation in the pyproj ENU frame: nose, horizontal right wing, belly
    nose = velocity_enu / np.linalg.norm(velocity_enu, axis=1, keepdims=True)
    right = np.cross(nose, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right, axis=1, keepdims=True)
    belly = np.cross(nose, right)
    fwd, stb, down = (np.sum(los_enu * v, axis=1) for v in (nose, right, belly))
    np.testing.assert_allclose(az, np.arctan2(stb, fwd), atol=1e-7)
    np.testing.assert_allclose(el, np.arctan2(-down, np.hypot(fwd, stb)), atol=1e-7)

    # level flight: aspect = bearing of the radar minus heading, and its ENU elevation angle
    level = climb == 0.0
    bearing = np.arctan2(los_enu[:, 0], los_enu[:, 1])
    relative = np.angle(np.exp(1j * (bearing - heading)))
    np.testing.assert_allclose(az[level], relative[level], atol=1e-7)
    elevation = np.arctan2(los_enu[:, 2], np.hypot(los_enu[:, 0], los_enu[:, 1]))
    np.testing.assert_allclose(el[level], elevation[level], atol=1e-7)
    assert el[0] < 0.0  # level at 9 km, the radar at 1 km some 65 km away is below the wings


# --- fluctuation ------------------------------------------------------------------------------

N_DRAWS = 200_000


def test_swerling1_draws_have_exponential_mean_and_variance():
    mean = 3.0
    draws = fluctuate(np.full(N_DRAWS, mean), 1, np.random.default_rng(11))
    # exponential: var = mean², fourth central moment 9 mean⁴ -> SE(var) = mean² sqrt(8 / n)
    assert abs(draws.mean() - mean) < 5 * mean / np.sqrt(N_DRAWS)
    assert abs(draws.var() - mean**2) < 5 * mean**2 * np.sqrt(8.0 / N_DRAWS)


def test_swerling3_draws_have_chi_square_4_mean_and_variance():
    mean = 0.2
    draws = fluctuate(np.full(N_DRAWS, mean), 3, np.random.default_rng(12))
    # Gamma(2, mean/2): var = mean²/2, 4th central moment 1.5 mean⁴
    # -> SE(var) = mean² sqrt(1.25 / n)
    assert abs(draws.mean() - mean) < 5 * np.sqrt(mean**2 / 2 / N_DRAWS)
    assert abs(draws.var() - mean**2 / 2) < 5 * mean**2 * np.sqrt(1.25 / N_DRAWS)


def test_swerling_draws_follow_scipy_distributions():
    rng = np.random.default_rng(2024)
    n = 20_000
    means = rng.uniform(0.01, 10.0, n)  # per-look means, removed by normalising
    for case, reference in (
        (1, stats.expon()),
        (2, stats.expon()),
        (3, stats.chi2(df=4, scale=0.25)),
    ):
        normalised = fluctuate(means, case, rng) / means
        assert stats.kstest(normalised, reference.cdf).pvalue > 0.01
    chi4 = fluctuate(means, 4, rng) / means
    assert stats.kstest(chi4, stats.gamma(a=2, scale=0.5).cdf).pvalue > 0.01
    # and the test can tell the two families apart
    assert stats.kstest(chi4, stats.expon().cdf).pvalue < 1e-6


def test_swerling0_is_steady_and_mixed_cases_are_drawn_per_look():
    means = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    cases = np.array([0, 1, 3, 0, 2])
    first = fluctuate(means, cases, np.random.default_rng(5))
    again = fluctuate(means, cases, np.random.default_rng(5))
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first[cases == 0], means[cases == 0])
    assert np.all(first[cases != 0] != means[cases != 0])
    assert np.all(first > 0.0)


def test_band_bracket_of_repeated_frequencies_equals_the_bracket_of_each(table):
    rng = np.random.default_rng(11)
    radar_bands = np.array([1.5e8, 1.3e9, 3.0e9, 9.4e9, 4.0e10])
    frequency = np.concatenate([rng.choice(radar_bands, 300), rng.uniform(1e8, 2e10, 50)])
    lower, fraction = table._band_bracket(frequency)
    expected_lower, expected_fraction = table._log_freq_grid.bracket(np.log(frequency))
    np.testing.assert_array_equal(lower, expected_lower)
    np.testing.assert_array_equal(fraction, expected_fraction)
