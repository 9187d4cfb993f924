"""The noise-jamming equations against textbook forms and worked numbers.

References: Adamy, *EW 101* (2001), ch. 9, self-protection J/S and burn-through in
decibel form with ERPs in dBm, range in km (the constant 71 dB); Mahafza, *Radar Systems
Analysis and Design Using MATLAB*, 3rd ed. (2013), ECM section: the self-screening and
stand-off crossover ranges, with the inputs of the book's stand-off jamming figure program.
Tolerance 1 % on ranges and ratios, as the issue asks.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.ew.jamming_equation import (
    BOLTZMANN_J_PER_K,
    REFERENCE_TEMPERATURE_K,
    received_jamming_power_w,
    self_screening_burn_through_range_m,
    self_screening_crossover_range_m,
    self_screening_j_over_s,
    snr_change_db,
    standoff_crossover_range_m,
    thermal_noise_power_w,
)


def db(x: float) -> float:
    return 10.0 * math.log10(x)


def test_kt0_is_minus_174_dbm_per_hz():
    kt0_dbm_per_hz = db(BOLTZMANN_J_PER_K * REFERENCE_TEMPERATURE_K / 1e-3)
    assert kt0_dbm_per_hz == pytest.approx(-174.0, abs=0.05)
    # 1 MHz and a 3 dB noise figure: -174 + 60 + 3 = -111 dBm (Skolnik eq. 2.5)
    assert db(float(thermal_noise_power_w(1.0e6, 3.0)) / 1e-3) == pytest.approx(-111.0, abs=0.05)


def test_snr_change_is_minus_ten_log_one_plus_j_over_n():
    assert snr_change_db(np.array([0.0, 1.0, 9.0, 99.0])) == pytest.approx(
        [0.0, -3.0103, -10.0, -20.0], abs=1e-3
    )


def test_received_jamming_power_is_the_friis_link():
    # 1 kW ERP, isotropic receiver, 10 km, 10 cm: 1e3 * 0.01 / ((4 pi)^2 1e8) = 6.33e-10 W.
    power = received_jamming_power_w(1.0e3, 1.0, 1.0e4, 0.1, 1.0e6, 1.0e6)
    assert float(power) == pytest.approx(6.3326e-10, rel=1e-3)
    # Only B / B_J of a wider noise band enters: 1 MHz of 100 MHz.
    wide = received_jamming_power_w(1.0e3, 1.0, 1.0e4, 0.1, 1.0e6, 1.0e8)
    assert float(wide) == pytest.approx(float(power) / 100.0, rel=1e-9)


def adamy_self_protection_js_db(erp_j_dbm, erp_s_dbm, range_km, rcs_m2):
    """Adamy, EW 101, ch. 9: J/S = 71 + ERP_J - ERP_S + 20 log R - 10 log sigma."""
    return 71.0 + erp_j_dbm - erp_s_dbm + 20.0 * math.log10(range_km) - 10.0 * math.log10(rcs_m2)


def adamy_burn_through_km(erp_j_dbm, erp_s_dbm, rcs_m2, js_needed_db):
    """Adamy, EW 101, ch. 9, solved for R: 20 log R_BT = ERP_S - 71 - ERP_J + 10 log sigma
    + J/S_needed."""
    return 10.0 ** (
        (erp_s_dbm - 71.0 - erp_j_dbm + 10.0 * math.log10(rcs_m2) + js_needed_db) / 20.0
    )


@pytest.mark.parametrize(
    ("peak_power_w", "gain_db", "erp_j_w", "range_km", "rcs_m2"),
    [
        (1.0e6, 40.0, 100.0, 10.0, 10.0),  # radar ERP 130 dBm, jammer 50 dBm
        (1.0e5, 30.0, 1.0e3, 30.0, 5.0),
        (5.0e4, 35.0, 10.0, 3.0, 1.0),
    ],
)
def test_self_screening_j_over_s_matches_adamy(peak_power_w, gain_db, erp_j_w, range_km, rcs_m2):
    gain = 10.0 ** (gain_db / 10.0)
    ours = self_screening_j_over_s(
        peak_power_w, gain, rcs_m2, 1.0e6, 1.0, erp_j_w, 1.0e6, range_km * 1e3
    )
    erp_s_dbm = db(peak_power_w * gain / 1e-3)
    adamy = adamy_self_protection_js_db(db(erp_j_w / 1e-3), erp_s_dbm, range_km, rcs_m2)
    # The 71 dB is 10 log10(4 pi 1e6) = 70.99 dB rounded: 0.01 dB, 0.25 % in ratio.
    assert float(ours) == pytest.approx(10.0 ** (adamy / 10.0), rel=0.01)


def test_self_screening_burn_through_matches_adamy():
    # Radar 1 MW, 40 dB (ERP 130 dBm); jammer 100 W ERP (50 dBm); 10 m^2; the radar needs
    # the echo 10 dB over the jamming, so J/S = -10 dB: R_BT = 10^((130-71-50+10-10)/20) km.
    expected_km = adamy_burn_through_km(50.0, 130.0, 10.0, -10.0)
    assert expected_km == pytest.approx(2.818, rel=1e-3)
    ours = self_screening_burn_through_range_m(1.0e6, 1.0e4, 10.0, 1.0e6, 1.0, 100.0, 1.0e6, 0.1)
    assert ours / 1e3 == pytest.approx(expected_km, rel=0.01)


# Mahafza's stand-off jamming figure program (S202): Pt 10 kW, G 35 dB, 5.6 GHz, sigma
# 10 m^2, B = B_J = 500 kHz, L 0.01 dB; jammer P_J 1 kW, G_J 30 dB, L_J 0.3 dB at 22.2 km,
# seen in a sidelobe of G' = 10 dB.
MAHAFZA = {
    "pt": 1.0e4,
    "g": 10.0**3.5,
    "sigma": 10.0,
    "b": 5.0e5,
    "loss": 10.0**0.001,
    "pj": 1.0e3,
    "gj": 1.0e3,
    "bj": 5.0e5,
    "lossj": 10.0**0.03,
    "rj": 22.2e3,
    "gprime": 10.0,
}


def test_standoff_crossover_matches_mahafza():
    m = MAHAFZA
    # Mahafza's closed form: R_co^4 = Pt G^2 sigma B_J L_J R_J^2 / (4 pi P_J G_J G' B L)
    # = 1.431 km with these inputs.
    expected_m = 1430.9
    ours = standoff_crossover_range_m(
        m["pt"], m["g"], m["sigma"], m["b"], m["loss"], m["pj"] * m["gj"], m["bj"], m["rj"],
        m["gprime"], m["lossj"],
    )  # fmt: skip
    assert ours == pytest.approx(expected_m, rel=0.01)


def test_self_screening_crossover_matches_mahafza():
    m = MAHAFZA
    # Mahafza's self-screening crossover (ssj_req): R_co = sqrt(Pt G sigma B_J L_J /
    # (4 pi P_J G_J B L)); here with a 50 MHz barrage from a 10 dB, 1 kW jammer:
    # sqrt(1e4 * 3162.3 * 10 * 5e7 * 1.0715 / (4 pi * 1e4 * 5e5 * 1.0023)) = 519 m.
    expected_m = math.sqrt(
        1e4 * 10**3.5 * 10 * 5e7 * 10**0.03 / (4 * math.pi * 1e3 * 10 * 5e5 * 10**0.001)
    )
    assert expected_m == pytest.approx(518.7, rel=1e-3)
    ours = self_screening_crossover_range_m(
        m["pt"], m["g"], m["sigma"], m["b"], m["loss"], 1.0e3 * 10.0, 5.0e7, m["lossj"]
    )
    assert ours == pytest.approx(expected_m, rel=0.01)


def test_j_over_s_is_one_at_the_crossover_and_grows_as_range_squared():
    args = (1.0e6, 1.0e4, 10.0, 1.0e6, 1.0, 100.0, 1.0e6)
    crossover = self_screening_crossover_range_m(*args)
    assert float(self_screening_j_over_s(*args, crossover)) == pytest.approx(1.0, rel=1e-9)
    assert float(self_screening_j_over_s(*args, 2 * crossover)) == pytest.approx(4.0, rel=1e-9)
