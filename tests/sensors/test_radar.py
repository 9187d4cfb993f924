"""Radar scans: R^4 law, coverage volume, radar horizon, detection odds, errors, false alarms.

Oracles are hand formulas: the R^4 law, the Swerling 1 single-pulse closed form
``Pd = Pfa ** (1 / (1 + SNR))`` and the Swerling 0 (Marcum) form through SciPy's noncentral
chi-square, the 4/3-earth horizon ``d_km ~ 4.12 (sqrt(h1_m) + sqrt(h2_m))`` (Skolnik), and
Poisson/binomial sampling errors.
"""

from __future__ import annotations

import numpy as np
import pymap3d
import pyproj
import pytest
from scipy import optimize, stats
from tests.sensors.radar_fixtures import SITE, make_radar, targets_at

from iadsim.catalog import load_catalog
from iadsim.sensors.chain import radar_equation_snr_db
from iadsim.sensors.detection import pd
from iadsim.sensors.radar import (
    ANGLE_ERROR_FLOOR_RAD,
    MEASUREMENT_SNR_FLOOR,
    RANGE_ERROR_FLOOR_M,
    Radar,
    TargetView,
)
from iadsim.sensors.radar_equation import atmospheric_loss_db


def swerling1_pd(snr_db, pfa):
    return pfa ** (1.0 / (1.0 + 10.0 ** (np.asarray(snr_db) / 10.0)))


# --- radar range equation ----------------------------------------------------------------


def test_clear_air_costs_only_what_a_path_has_beyond_the_reference_path():
    """No reference-path bonus: inside the stated range the catalog's R^4 law holds as
    stated; a longer horizontal path loses the attenuation it has beyond the reference
    path's (ITU-R P.676 through atmospheric_loss_db)."""
    radar = make_radar()
    spec = radar.spec
    at_reference = radar.snr_db(
        np.array([spec.detection_range_m]), np.array([spec.reference_rcs_m2]), np.zeros(1)
    )
    assert at_reference[0] == pytest.approx(radar.reference_snr_db, abs=1e-9)
    ranges = np.array([spec.detection_range_m / 2.0, spec.detection_range_m * 1.1])
    rcs = np.full(2, spec.reference_rcs_m2)
    plain = radar_equation_snr_db(radar, ranges, rcs)
    with_air = radar.snr_db(ranges, rcs, np.zeros(2))
    assert with_air[0] == pytest.approx(plain[0], abs=1e-12)  # no bonus for a shorter path
    loss_far = atmospheric_loss_db(ranges[1], spec.frequency_hz, 0.0, radar.alt_m)
    loss_ref = atmospheric_loss_db(spec.detection_range_m, spec.frequency_hz, 0.0, radar.alt_m)
    assert loss_far > loss_ref
    assert with_air[1] - plain[1] == pytest.approx(-(loss_far - loss_ref), abs=1e-9)


def test_snr_rises_12_db_when_range_halves_and_10_db_per_decade_of_rcs():
    radar = make_radar()
    ranges_m = np.array([200_000.0, 100_000.0, 100_000.0])
    snr = radar_equation_snr_db(radar, ranges_m, np.array([1.0, 1.0, 10.0]))
    assert snr[1] - snr[0] == pytest.approx(12.0412, abs=1e-4)  # 40 log10(2)
    assert snr[2] - snr[1] == pytest.approx(10.0, abs=1e-9)


@pytest.mark.parametrize("key", sorted(load_catalog().radars))
def test_reference_target_at_reference_range_is_detected_with_reference_pd(key):
    spec = load_catalog().radars[key]
    radar = Radar(0, key, spec, 0.7, 0.57, 900.0)
    snr = radar.snr_db(np.array([spec.detection_range_m]), np.array([spec.reference_rcs_m2]))
    # Swerling 1, one pulse (Richards 2014 eq. 6.54): SNR = ln(Pfa) / ln(Pd) - 1.
    chi = np.log(spec.reference_pfa) / np.log(spec.reference_pd) - 1.0
    assert snr[0] == pytest.approx(10.0 * np.log10(chi), abs=1e-9)
    assert swerling1_pd(snr, spec.reference_pfa)[0] == pytest.approx(spec.reference_pd, rel=1e-9)
    assert pd(snr, spec.reference_pfa, 1, 1)[0] == pytest.approx(spec.reference_pd, rel=1e-9)


def test_reference_yaml_example_400_km_at_3_m2_is_54_km_at_a_thousandth_m2():
    radar = make_radar()
    hand_m = 400_000.0 * (0.001 / 3.0) ** 0.25
    assert hand_m == pytest.approx(54_050.0, abs=10.0)
    solved = optimize.brentq(
        lambda r: radar_equation_snr_db(radar, r, 0.001) - radar.reference_snr_db,
        1_000.0,
        400_000.0,
        xtol=1e-6,
    )
    assert solved == pytest.approx(hand_m, rel=1e-6)


# --- coverage ---------------------------------------------------------------------------


def test_sector_coverage_wraps_through_north():
    radar = make_radar(facing_deg=350.0, azimuth_coverage_deg=90.0)
    az = np.array([300.0, 310.0, 350.0, 20.0, 30.0, 40.0, 180.0])
    visible, _ = radar.in_coverage(targets_at(az, 3.0, 50_000.0))
    # Half-width 45 deg around 350: 305 .. 35.
    np.testing.assert_array_equal(visible, [False, True, True, True, True, False, False])


def test_min_and_max_range_limits():
    radar = make_radar(min_range_m=5_000.0, max_range_m=200_000.0)
    rng = np.array([4_000.0, 6_000.0, 150_000.0, 199_000.0, 201_000.0])
    visible, aer = radar.in_coverage(targets_at(45.0, 10.0, rng))
    np.testing.assert_array_equal(visible, [False, True, True, True, False])
    np.testing.assert_allclose(aer[:, 2], rng, rtol=1e-9)


def test_elevation_limits():
    radar = make_radar(min_elevation_deg=-1.0, max_elevation_deg=60.0)
    # At 10 km the horizon (about 20 km for a 25 m antenna) does not interfere.
    el = np.array([-2.0, -0.5, 30.0, 59.0, 61.0])
    visible, aer = radar.in_coverage(targets_at(120.0, el, 10_000.0))
    np.testing.assert_array_equal(visible, [False, True, True, True, False])
    np.testing.assert_allclose(np.degrees(aer[:, 1]), el, atol=1e-6)


def test_absent_targets_are_never_visible():
    radar = make_radar()
    view = targets_at([10.0, 10.0], 5.0, 30_000.0, present=[True, False])
    visible, _ = radar.in_coverage(view)
    np.testing.assert_array_equal(visible, [True, False])


def test_radar_horizon_matches_the_four_thirds_earth_hand_formula():
    radar = make_radar()  # antenna 25 m above the ellipsoid
    target_alt_m = 1_000.0
    ground_m = np.arange(100_000.0, 200_000.0, 200.0)
    n = len(ground_m)
    lon, lat, _ = pyproj.Geod(ellps="WGS84").fwd(
        np.full(n, SITE[1]), np.full(n, SITE[0]), np.full(n, 60.0), ground_m
    )
    x, y, z = pymap3d.geodetic2ecef(lat, lon, np.full_like(ground_m, target_alt_m))
    view = TargetView(
        np.stack([x, y, z], axis=-1),
        np.full(n, target_alt_m),
        np.ones(n),
        np.ones(n, np.int64),
        np.ones(n, bool),
    )
    visible, _ = radar.in_coverage(view)
    assert visible[0] and not visible[-1]
    last_visible_m = ground_m[np.flatnonzero(visible)[-1]]
    hand_m = 4_120.0 * (np.sqrt(SITE[2]) + np.sqrt(target_alt_m))
    assert last_visible_m == pytest.approx(hand_m, rel=0.01)
    # Visibility is one interval: nothing reappears beyond the horizon.
    assert np.all(visible[: np.flatnonzero(visible)[-1] + 1])


# --- detection statistics ---------------------------------------------------------------


def detected_fraction(radar, view, scans, seed):
    rng = np.random.default_rng(seed)
    hits = np.zeros(len(view.present))
    for _ in range(scans):
        batch = radar.scan(view, 0.0, rng)
        truth = batch.truth[batch.truth >= 0]
        hits += np.bincount(truth, minlength=len(hits))
    return hits / scans


@pytest.mark.parametrize("range_m", [300_000.0, 400_000.0, 250_000.0])
def test_swerling1_detection_frequency_matches_closed_form_pd(range_m):
    radar = make_radar()
    view = targets_at(np.linspace(10.0, 350.0, 10), 2.0, range_m, rcs_m2=3.0, swerling=1)
    scans = 400
    fraction = detected_fraction(radar, view, scans, seed=int(range_m))
    el = np.radians([2.0])
    expected = swerling1_pd(radar.snr_db(np.array([range_m]), np.array([3.0]), el), 1e-6)[0]
    trials = scans * len(fraction)
    sigma = np.sqrt(expected * (1 - expected) / trials)
    assert fraction.mean() == pytest.approx(expected, abs=4.0 * sigma)


def test_swerling0_detection_frequency_matches_marcum_q():
    radar = make_radar()
    range_m = 400_000.0
    # A horizontal ray, as on the reference path: no atmospheric correction.
    view = targets_at(np.linspace(10.0, 350.0, 10), 0.0, range_m, rcs_m2=3.0, swerling=0)
    scans = 400
    fraction = detected_fraction(radar, view, scans, seed=5)
    snr = 10.0 ** (radar.snr_db(np.array([range_m]), np.array([3.0]), np.zeros(1))[0] / 10.0)
    # Square-law detector, one pulse: Pd = Q1(sqrt(2 SNR), sqrt(-2 ln Pfa)).
    expected = stats.ncx2.sf(-2.0 * np.log(1e-6), 2, 2.0 * snr)
    assert 0.1 < expected < 0.9
    sigma = np.sqrt(expected * (1 - expected) / (scans * 10))
    assert fraction.mean() == pytest.approx(expected, abs=4.0 * sigma)


def test_scan_results_are_reproducible_from_the_generator():
    radar = make_radar()
    view = targets_at(np.linspace(10.0, 350.0, 10), 2.0, 350_000.0, rcs_m2=3.0)
    a = radar.scan(view, 5.0, np.random.default_rng(9))
    b = radar.scan(view, 5.0, np.random.default_rng(9))
    np.testing.assert_array_equal(a.truth, b.truth)
    np.testing.assert_array_equal(a.range_m, b.range_m)


# --- measurement errors -----------------------------------------------------------------


def measurement_errors(radar, range_m, az_deg, el_deg, draws, seed):
    view = targets_at(np.full(draws, az_deg), el_deg, range_m, rcs_m2=3.0, swerling=0)
    batch = radar.scan(view, 0.0, np.random.default_rng(seed))
    real = batch.truth >= 0
    assert real.sum() > 0.95 * draws  # high SNR: (nearly) all detected
    return (
        batch.range_m[real] - range_m,
        np.degrees(batch.az_rad[real]) - az_deg,
        np.degrees(batch.el_rad[real]) - el_deg,
        batch,
    )


def test_measurement_errors_follow_the_snr_formulas():
    radar = make_radar(range_resolution_m=300.0, beamwidth_deg=2.0)
    range_m = 330_000.0  # SNR about 16 dB: formula well above the floors, Pd near 1
    snr = 10.0 ** (radar.snr_db(np.array([range_m]), np.array([3.0]), np.radians([10.0]))[0] / 10.0)
    sigma_r = 300.0 / np.sqrt(2.0 * snr)
    # Barton (2005): sigma_theta = theta_3dB / (k_m sqrt(2 SNR)) with k_m = 1.6.
    sigma_a = np.radians(2.0) / (1.6 * np.sqrt(2.0 * snr))
    assert sigma_r > 2 * RANGE_ERROR_FLOOR_M and sigma_a > 2 * ANGLE_ERROR_FLOOR_RAD
    dr, daz, del_, batch = measurement_errors(radar, range_m, 100.0, 10.0, 4_000, seed=3)
    # Sample std of n normal draws has relative standard error 1/sqrt(2n), about 1.1 % here.
    assert np.std(dr) == pytest.approx(sigma_r, rel=0.05)
    assert np.std(np.radians(daz)) == pytest.approx(sigma_a, rel=0.05)
    assert np.std(np.radians(del_)) == pytest.approx(sigma_a, rel=0.05)
    assert abs(np.mean(dr)) < 4.0 * sigma_r / np.sqrt(len(dr))
    real = batch.truth >= 0
    np.testing.assert_allclose(batch.sigma_range_m[real], sigma_r, rtol=1e-9)
    np.testing.assert_allclose(batch.sigma_az_rad[real], sigma_a, rtol=1e-9)
    np.testing.assert_allclose(batch.sigma_el_rad[real], sigma_a, rtol=1e-9)


def test_measurement_errors_are_floored_at_very_high_snr():
    radar = make_radar()
    dr, daz, _, batch = measurement_errors(radar, 20_000.0, 200.0, 20.0, 4_000, seed=4)
    assert np.std(dr) == pytest.approx(RANGE_ERROR_FLOOR_M, rel=0.05)
    assert np.std(np.radians(daz)) == pytest.approx(ANGLE_ERROR_FLOOR_RAD, rel=0.05)
    real = batch.truth >= 0
    np.testing.assert_allclose(batch.sigma_range_m[real], RANGE_ERROR_FLOOR_M)


def test_measurement_errors_stay_within_the_resolution_cell_at_vanishing_snr():
    # A Swerling target is detected with Pd near Pfa even at -70 dB (seed 9 of
    # turkey-patriot-ankara); 1 / sqrt(2 SNR) would then give a 40 rad angle sigma.
    radar = make_radar(range_resolution_m=300.0, beamwidth_deg=2.0)
    sigma_r, sigma_a, _ = radar.measurement_sigmas(np.array([0.0, 1e-7, MEASUREMENT_SNR_FLOOR]))
    np.testing.assert_allclose(sigma_r, 300.0)  # one range resolution
    np.testing.assert_allclose(sigma_a, np.radians(2.0) / 1.6)  # theta_3dB / k_m (Barton)
    # Above the floor Barton's formula is untouched: SNR 2 gives resolution / 2.
    sigma_r, sigma_a, _ = radar.measurement_sigmas(np.array([2.0]))
    np.testing.assert_allclose(sigma_r, 150.0)
    np.testing.assert_allclose(sigma_a, np.radians(2.0) / 3.2)


# --- false alarms -----------------------------------------------------------------------


def test_false_alarm_count_is_poisson_with_mean_pfa_times_cells():
    spec = load_catalog().radars["s400/92n6e"]
    radar = Radar(
        0, "fc", spec, np.radians(SITE[0]), np.radians(SITE[1]), SITE[2], np.radians(45.0)
    )
    cells = (
        (spec.max_range_m - spec.min_range_m)
        / spec.range_resolution_m
        * (spec.azimuth_coverage_deg / spec.beamwidth_deg)
    )
    assert cells == pytest.approx(399_000 / 30 * 180)
    mean = spec.reference_pfa * cells
    rng = np.random.default_rng(8)
    nobody = targets_at([10.0], 5.0, 50_000.0, present=False)
    scans = 2_000
    counts = np.empty(scans)
    alarms = []
    for i in range(scans):
        batch = radar.scan(nobody, 0.0, rng)
        counts[i] = len(batch)
        alarms.append(batch)
    assert counts.mean() == pytest.approx(mean, abs=4.0 * np.sqrt(mean / scans))
    # Poisson: variance equals the mean (the sample variance has sd ~ mean sqrt(2/n)).
    assert counts.var() == pytest.approx(mean, rel=0.15)
    truth = np.concatenate([b.truth for b in alarms])
    rng_m = np.concatenate([b.range_m for b in alarms])
    az = np.concatenate([b.az_rad for b in alarms])
    assert np.all(truth == -1)
    assert np.all((rng_m >= spec.min_range_m) & (rng_m <= spec.max_range_m))
    off = np.degrees(np.abs(np.angle(np.exp(1j * (az - np.radians(45.0))))))
    assert np.all(off <= spec.azimuth_coverage_deg / 2 + 1e-9)
