"""Ground clutter (constant gamma) and the Doppler blind zone, against textbook forms.

Oracles: the grazing angle found by root-finding on the effective-earth circle (SciPy
``brentq``, not the law-of-cosines closed form the code uses), the constant-gamma model
``sigma0 = gamma sin psi`` (Richards, *Fundamentals of Radar Signal Processing*, 2nd ed.,
2014, eq. 2.64) with the pulse-limited cell ``R theta dR / cos psi`` (eq. 2.31) evaluated by
hand, the radar equation in ratio form (Skolnik 2001, eq. 2.1) for the clutter-to-noise
ratio, and the definition of the notch's -3 dB half-width.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import optimize

from iadsim.catalog import load_catalog
from iadsim.geo.frames import lla_to_ecef
from iadsim.sensors import chain
from iadsim.sensors.clutter import (
    GroundClutter,
    clutter_rcs_m2,
    constant_gamma_sigma0,
    gamma_at_frequency_db,
    grazing_and_depression_rad,
)
from iadsim.sensors.doppler_notch import DopplerNotch, notch_response_db
from iadsim.sensors.radar import Radar

RADIUS_E = 4.0 / 3.0 * 6_378_137.0


def grazing_by_root_finding(h_m, slant_m):
    """Patch on the circle of radius R_e at slant range R from (0, R_e + h): solve for its
    central angle, then the angle between the line of sight and the patch's tangent."""
    antenna = np.array([0.0, RADIUS_E + h_m])

    def miss(angle):
        patch = RADIUS_E * np.array([np.sin(angle), np.cos(angle)])
        return np.linalg.norm(patch - antenna) - slant_m

    angle = optimize.brentq(miss, 0.0, 0.5, xtol=1e-15)
    patch = RADIUS_E * np.array([np.sin(angle), np.cos(angle)])
    towards_radar = (antenna - patch) / np.linalg.norm(antenna - patch)
    up = patch / RADIUS_E
    return np.arcsin(np.dot(towards_radar, up))


@pytest.mark.parametrize(("h_m", "slant_m"), [(39.0, 10e3), (9000.0, 330e3), (7.0, 3e3)])
def test_grazing_angle_matches_the_geometry_solved_numerically(h_m, slant_m):
    grazing, _ = grazing_and_depression_rad(h_m, np.array([slant_m]))
    assert grazing[0] == pytest.approx(grazing_by_root_finding(h_m, slant_m), abs=1e-9)


def test_ground_beyond_the_clutter_horizon_gives_no_clutter():
    # Clutter horizon of a 39 m antenna: sqrt(2 R_e h) = 25.8 km.
    grazing, _ = grazing_and_depression_rad(39.0, np.array([20e3, 30e3]))
    assert grazing[0] > 0.0 > grazing[1]
    assert constant_gamma_sigma0(-15.0, grazing)[1] == 0.0


def test_constant_gamma_clutter_rcs_worked_example():
    """gamma -15 dB, psi 1 deg, R 20 km, theta 1 deg, dR 150 m:
    sigma0 = 0.031623 x 0.0174524 = 5.5190e-4; A = 20e3 x 0.0174533 x 150 / 0.999848
    = 52 368 m^2; sigma_c = 28.90 m^2 (14.61 dBsm)."""
    psi = np.radians(1.0)
    sigma0 = constant_gamma_sigma0(-15.0, psi)
    assert sigma0 == pytest.approx(5.5190e-4, rel=1e-4)
    rcs = clutter_rcs_m2(sigma0, 20e3, np.radians(1.0), 150.0, psi)
    assert rcs == pytest.approx(28.90, rel=1e-3)


def test_gamma_rises_5_db_per_decade_of_frequency():
    assert gamma_at_frequency_db(-15.0, 1e9) == pytest.approx(-20.0)
    assert gamma_at_frequency_db(-15.0, 1e10) == pytest.approx(-15.0)


def s400_radar(mast_m=39.0, **changes):
    spec = load_catalog().radars["s400/92n6e"]
    radar = Radar(0, "92n6e", spec, np.radians(39.9), np.radians(32.8), 1000.0 + mast_m)
    return dataclasses.replace(radar, antenna_agl_m=mast_m, **changes)


def test_low_target_snr_loses_the_clutter_to_noise_ratio_of_its_cell():
    """92N6E on a 39 m mast, target 15 m above the ground 12 km out, beam on the target:
    the change is -10 log10(1 + CNR) with CNR from the radar equation by hand."""
    radar = s400_radar()
    spec = radar.spec
    slant = 12e3
    el = np.arctan2(15.0 - 39.0, slant)
    paths = chain.paths_from_aer(radar, np.array([[0.0, el, slant]]))
    grazing, depression = grazing_by_root_finding(39.0, slant), None
    sin_dep = ((RADIUS_E + 39.0) ** 2 + slant**2 - RADIUS_E**2) / (2 * (RADIUS_E + 39.0) * slant)
    depression = np.arcsin(sin_dep)
    gamma = 10 ** (-15.0 / 10)  # the 92N6E is at 10 GHz: no frequency scaling
    rcs = gamma * np.sin(grazing) * slant * spec.beamwidth_rad * spec.range_resolution_m
    rcs /= np.cos(grazing)
    off_beam = (el + depression) / spec.beamwidth_rad
    gain_db = 10 * np.log10(np.exp(-8 * np.log(2) * off_beam**2))
    cnr_db = (
        radar.reference_snr_db
        + 10 * np.log10(rcs / spec.reference_rcs_m2)
        + 40 * np.log10(spec.detection_range_m / slant)
        + gain_db
        - spec.clutter_improvement_db
    )
    expected = -10 * np.log10(1 + 10 ** (cnr_db / 10))
    got = GroundClutter().snr_change_db(paths)[0]
    assert got == pytest.approx(expected, abs=1e-6)
    assert got < -1.0  # a real loss for this low flyer


def test_high_target_far_out_sees_no_clutter_and_a_sidelobe_floor_limits_it_near():
    radar = s400_radar()
    far = chain.paths_from_aer(radar, np.array([[0.0, np.radians(3.0), 150e3]]))
    assert GroundClutter().snr_change_db(far)[0] == 0.0
    near = chain.paths_from_aer(radar, np.array([[0.0, np.radians(30.0), 15e3]]))
    assert -0.01 < GroundClutter().snr_change_db(near)[0] <= 0.0


def test_stronger_gamma_costs_more_and_bad_gamma_is_rejected():
    radar = s400_radar()
    paths = chain.paths_from_aer(radar, np.array([[0.0, -0.002, 12e3]]))
    assert (
        GroundClutter(-5.0).snr_change_db(paths)[0] < GroundClutter(-20.0).snr_change_db(paths)[0]
    )
    with pytest.raises(ValueError, match="gamma_db"):
        GroundClutter(gamma_db=5.0)


# --- Doppler blind zone ------------------------------------------------------------------


def test_notch_response_at_zero_edge_and_far_doppler():
    response = notch_response_db(np.array([0.0, 10.0, -10.0, 300.0]), 10.0, 50.0)
    assert response[0] == pytest.approx(-50.0)  # rejected like the clutter
    assert response[1] == pytest.approx(-3.0103, abs=1e-4)  # the -3 dB half-width
    assert response[2] == pytest.approx(response[1])
    assert response[3] == pytest.approx(0.0, abs=1e-9)


def test_a_tangential_crosser_falls_in_the_blind_zone_a_closing_target_does_not():
    radar = s400_radar()
    target = lla_to_ecef(np.radians(40.4), np.radians(32.8), 3000.0).reshape(1, 3)
    los = (target - radar.pos_ecef_m) / np.linalg.norm(target - radar.pos_ecef_m)
    east = np.array([[-np.sin(np.radians(32.8)), np.cos(np.radians(32.8)), 0.0]])
    crossing = 250.0 * east  # due east, across the line of sight to the north
    closing = -250.0 * los
    aer = np.array([[0.0, 0.05, float(np.linalg.norm(target - radar.pos_ecef_m))]])
    notch = DopplerNotch()
    blind = notch.snr_change_db(chain.paths_from_aer(radar, aer, target, None, crossing))[0]
    seen = notch.snr_change_db(chain.paths_from_aer(radar, aer, target, None, closing))[0]
    assert blind < -40.0
    assert seen == pytest.approx(0.0, abs=1e-6)
    # Unknown velocity, or a radar without a notch: unchanged.
    assert notch.snr_change_db(chain.paths_from_aer(radar, aer, target))[0] == 0.0
    spec = radar.spec.model_copy(update={"doppler_notch_mps": 0.0})
    plain = dataclasses.replace(radar, spec=spec)
    assert notch.snr_change_db(chain.paths_from_aer(plain, aer, target, None, crossing))[0] == 0
