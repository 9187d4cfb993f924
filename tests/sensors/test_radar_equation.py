"""Radar equation in reference form, atmospheric loss and false-alarm bookkeeping."""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest

from iadsim.sensors import radar_equation
from iadsim.sensors.detection import pd, required_snr_db
from iadsim.sensors.radar_equation import (
    BEAM_SHAPE_LOSS_DB,
    _exponential_path_integral_m,
    atmospheric_loss_db,
    detection_range_m,
    false_alarms_per_scan,
    pfa_for_false_alarms_per_scan,
    radar_constant_m2,
    range_constant_m2,
    reference_snr_db,
    snr_db,
    snr_linear,
    specific_attenuation_db_per_m,
)


def test_fourth_root_law_reproduces_reference_example() -> None:
    # public-parameters.yaml radar_equation.example: 400 km at 3 m^2 -> 0.001 m^2 gives
    # about 54 km, K = 8.53e21 m^2. By hand: 400 km x (0.001/3)^(1/4) = 400 km / 7.4008.
    assert detection_range_m(0.001, 400e3, 3.0) == pytest.approx(400e3 / 3000**0.25, rel=1e-12)
    assert detection_range_m(0.001, 400e3, 3.0) == pytest.approx(54_000.0, rel=0.002)
    assert range_constant_m2(400e3, 3.0) == pytest.approx(8.53e21, rel=1e-3)
    # A tenfold RCS cut costs 1 - 10^(-1/4) = 44 % of the range.
    assert 1 - detection_range_m(0.3, 400e3, 3.0) / 400e3 == pytest.approx(0.438, abs=1e-3)


def test_snr_scales_as_rcs_over_range_to_the_fourth() -> None:
    # Halving the range adds 40 log10(2) = 12.04 dB; ten times the RCS adds 10 dB.
    assert snr_db(200e3, 3.0, 400e3, 3.0, 13.0) == pytest.approx(13.0 + 12.0412, abs=1e-4)
    assert snr_db(400e3, 30.0, 400e3, 3.0, 13.0) == pytest.approx(23.0, abs=1e-12)
    assert snr_db(400e3, 3.0, 400e3, 3.0, 13.0, extra_loss_db=2.5) == pytest.approx(10.5)


def test_snr_at_detection_range_is_reference_snr() -> None:
    rcs = np.array([1e-4, 1e-3, 0.1, 5.0, 100.0])
    ranges = detection_range_m(rcs, 250e3, 1.0)
    np.testing.assert_allclose(snr_db(ranges, rcs, 250e3, 1.0, 17.0), 17.0, atol=1e-10)
    # A margin of -3 dB shrinks range by 10^(-3/40).
    assert detection_range_m(1.0, 250e3, 1.0, -3.0) == pytest.approx(250e3 * 10 ** (-3 / 40))


def test_radar_constant_gives_same_snr_as_ratio_form() -> None:
    ref = 21.0
    constant = radar_constant_m2(400e3, 3.0, ref)
    range_m = np.array([50e3, 150e3, 390e3])
    rcs = np.array([0.01, 1.0, 7.0])
    np.testing.assert_allclose(
        10 * np.log10(snr_linear(range_m, rcs, constant)),
        snr_db(range_m, rcs, 400e3, 3.0, ref),
        atol=1e-10,
    )


def test_reference_point_has_reference_pd() -> None:
    # Swerling 1, one look: SNR_ref = ln(Pfa)/ln(Pd) - 1 by hand.
    ref = reference_snr_db(0.9, 1e-6, 1, 1)
    assert ref == pytest.approx(10 * np.log10(np.log(1e-6) / np.log(0.9) - 1), abs=1e-12)
    for case, n in ((0, 1), (1, 1), (3, 10)):
        ref = reference_snr_db(0.5, 1e-6, n, case)
        at_ref = snr_db(300e3, 2.0, 300e3, 2.0, ref)
        assert pd(at_ref, 1e-6, n, case) == pytest.approx(0.5, abs=1e-9)
        assert ref == required_snr_db(0.5, 1e-6, n, case)


def test_false_alarm_bookkeeping() -> None:
    assert false_alarms_per_scan(1e-6, 1e6) == pytest.approx(1.0)
    assert pfa_for_false_alarms_per_scan(0.5, 2e6) == pytest.approx(2.5e-7)


def test_beam_shape_loss_is_blakes_value() -> None:
    assert BEAM_SHAPE_LOSS_DB == 1.6


def test_horizontal_short_path_is_twice_sea_level_coefficient() -> None:
    oxygen, water = specific_attenuation_db_per_m(np.array([3e9, 10e9]))
    # Over 2 km at sea level the height change is under a metre: L ~ 2 gamma0 R.
    np.testing.assert_allclose(
        atmospheric_loss_db(2e3, np.array([3e9, 10e9]), 0.0), 2 * (oxygen + water) * 2e3, rtol=2e-3
    )
    assert atmospheric_loss_db(0.0, 3e9, 0.3) == 0.0


def test_atmospheric_loss_grows_with_range_and_frequency_and_falls_with_elevation() -> None:
    ranges = np.linspace(1e3, 800e3, 50)
    loss = atmospheric_loss_db(ranges, 3e9, 0.0)
    assert np.all(np.diff(loss) > 0)
    assert atmospheric_loss_db(200e3, 10e9, 0.0) > atmospheric_loss_db(200e3, 3e9, 0.0)
    elevations = np.radians([0.0, 1.0, 5.0, 30.0, 90.0])
    assert np.all(np.diff(atmospheric_loss_db(200e3, 3e9, elevations)) < 0)
    assert atmospheric_loss_db(200e3, 3e9, 0.0, radar_alt_m=3000.0) < atmospheric_loss_db(
        200e3, 3e9, 0.0
    )
    # Saturates once the ray leaves the absorbing layers (zenith: ~2 gamma0 H).
    assert atmospheric_loss_db(1e6, 3e9, np.pi / 2) == pytest.approx(
        atmospheric_loss_db(100e3, 3e9, np.pi / 2), rel=1e-6
    )


def _itu676() -> types.ModuleType:
    """ITU-R P.676 as implemented by the itur package; the test skips when it is absent."""
    return pytest.importorskip("itur.models.itu676", reason="ITU-R P.676 oracle (itur) absent")


@pytest.mark.parametrize("freq_ghz", [1.5, 4.0, 9.4, 16.0, 33.0])
def test_sea_level_attenuation_matches_itu_r_p676(freq_ghz: float) -> None:
    # Interpolated table against the ITU-R P.676 model evaluated by the itur package at
    # frequencies between the table nodes (standard atmosphere, 10 km horizontal path).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one_way = (
            _itu676()
            .gaseous_attenuation_terrestrial_path(
                10.0, freq_ghz, 0.0, 7.5, 1013.25, 288.15, "approx"
            )
            .value
        )
    ours = atmospheric_loss_db(10e3, freq_ghz * 1e9, 0.0) / 2
    assert ours == pytest.approx(float(one_way), rel=0.08)


@pytest.mark.parametrize("freq_ghz", [3.0, 10.0, 35.0])
@pytest.mark.parametrize("elevation_deg", [10.0, 30.0, 90.0])
def test_slant_path_through_atmosphere_matches_itu_r_p676(
    freq_ghz: float, elevation_deg: float
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one_way = (
            _itu676()
            .gaseous_attenuation_slant_path(
                freq_ghz, elevation_deg, 7.5, 1013.25, 288.15, h=0.0, mode="approx"
            )
            .value
        )
    ours = atmospheric_loss_db(2e6, freq_ghz * 1e9, np.radians(elevation_deg)) / 2
    assert ours == pytest.approx(float(one_way), rel=0.05)


def test_remembered_specific_attenuation_equals_the_computed_one():
    for freq_hz in (1.3e9, 3.0e9, 3.0e9, 9.4e9):
        remembered = radar_equation._specific_attenuation_db_per_m(freq_hz)
        for got, want in zip(remembered, specific_attenuation_db_per_m(freq_hz), strict=True):
            assert got == want


@pytest.mark.parametrize("shape", [(), (7,), (4, 5)])
def test_clear_air_loss_of_both_absorbers_in_one_pass_equals_one_by_one(shape):
    # atmospheric_loss_db integrates oxygen and water vapour together; each element is the
    # same sum as integrating them one at a time.
    rng = np.random.default_rng(8)
    range_m = rng.uniform(1e3, 4e5, shape)
    elevation = rng.uniform(-0.1, 1.2, shape)
    oxygen, water = specific_attenuation_db_per_m(3e9)
    sin_el = np.sin(np.maximum(elevation, 0.0))
    one_way = oxygen * _exponential_path_integral_m(
        range_m, sin_el, np.asarray(120.0), 5_000.0
    ) + water * _exponential_path_integral_m(range_m, sin_el, np.asarray(120.0), 1_700.0)
    np.testing.assert_array_equal(
        atmospheric_loss_db(range_m, 3e9, elevation, 120.0), 2.0 * one_way
    )
