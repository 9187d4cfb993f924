"""Range rate of pulse-Doppler radars, and scans limited to a rotating beam's sweep.

Oracles: the range rate as the time derivative of the distance (central differences of
positions placed by pymap3d), the error formula ``dv / sqrt(2 SNR)`` (Barton 2005) with
sampling errors, Poisson counting for false alarms, and the beam angle written by hand.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.sensors.radar_fixtures import make_radar, targets_at

from iadsim.sensors.radar import RANGE_RATE_ERROR_FLOOR_MPS, TargetView
from iadsim.sensors.scan_pattern import AzimuthInterval


def moving(view: TargetView, vel_ecef_mps: np.ndarray) -> TargetView:
    return dataclasses.replace(view, vel_ecef_mps=np.asarray(vel_ecef_mps, dtype=float))


def distance_rate(pos, vel, radar_pos, radar_vel, h_s=1e-3):
    """d|p - s|/dt by central differences."""
    ahead = np.linalg.norm(pos + vel * h_s - (radar_pos + radar_vel * h_s), axis=-1)
    behind = np.linalg.norm(pos - vel * h_s - (radar_pos - radar_vel * h_s), axis=-1)
    return (ahead - behind) / (2.0 * h_s)


def test_true_range_rate_is_the_rate_of_change_of_distance_for_a_moving_radar():
    radar = make_radar(velocity_resolution_mps=3.0)
    radar = dataclasses.replace(radar, vel_ecef_mps=np.array([120.0, -80.0, 30.0]))
    view = targets_at(np.linspace(0.0, 330.0, 12), 4.0, np.linspace(20e3, 300e3, 12))
    vel = np.random.default_rng(3).normal(0.0, 250.0, (12, 3))
    expected = distance_rate(view.pos_ecef_m, vel, radar.pos_ecef_m, radar.vel_ecef_mps)
    np.testing.assert_allclose(radar.range_rate_mps(view.pos_ecef_m, vel), expected, atol=1e-6)
    # An inbound target closes: negative range rate.
    inbound = -view.pos_ecef_m[0] + radar.pos_ecef_m
    inbound *= 300.0 / np.linalg.norm(inbound)
    assert radar.range_rate_mps(view.pos_ecef_m[:1], inbound[None, :])[0] < -290.0


def test_measured_range_rate_errors_follow_the_snr_formula():
    radar = make_radar(velocity_resolution_mps=4.0)
    draws, range_m = 4_000, 330_000.0  # about 16 dB: Pd near 1, the formula above its floor
    view = targets_at(np.full(draws, 70.0), 10.0, range_m, rcs_m2=3.0, swerling=0)
    vel = np.tile([200.0, -100.0, 50.0], (draws, 1))
    batch = radar.scan(moving(view, vel), 0.0, np.random.default_rng(4))
    real = batch.truth >= 0
    assert real.sum() > 0.95 * draws
    snr = 10.0 ** (radar.snr_db(np.array([range_m]), np.array([3.0]), np.radians([10.0]))[0] / 10)
    sigma_v = 4.0 / np.sqrt(2.0 * snr)
    assert sigma_v > 2.0 * RANGE_RATE_ERROR_FLOOR_MPS
    truth = distance_rate(view.pos_ecef_m[:1], vel[:1], radar.pos_ecef_m, np.zeros(3))[0]
    error = batch.range_rate_mps[real] - truth
    # Sample sd of n normal draws: relative standard error 1/sqrt(2n), about 1.1 % here.
    assert np.std(error) == pytest.approx(sigma_v, rel=0.05)
    assert abs(np.mean(error)) < 4.0 * sigma_v / np.sqrt(error.size)
    np.testing.assert_allclose(batch.sigma_range_rate_mps[real], sigma_v, rtol=1e-9)
    alarms = ~real
    assert np.all(np.isfinite(batch.range_rate_mps[alarms]))


def test_no_range_rate_without_doppler_or_without_target_velocities():
    view = targets_at([10.0, 50.0], 5.0, 30_000.0, rcs_m2=10.0, swerling=0)
    vel = np.full((2, 3), 100.0)
    plain = make_radar().scan(moving(view, vel), 0.0, np.random.default_rng(5))
    assert len(plain) >= 2 and np.all(np.isnan(plain.range_rate_mps))
    assert np.all(np.isnan(plain.sigma_range_rate_mps))
    doppler = make_radar(velocity_resolution_mps=3.0)
    blind = doppler.scan(view, 0.0, np.random.default_rng(5))
    assert np.all(np.isnan(blind.range_rate_mps[blind.truth >= 0]))


def test_a_look_detects_only_targets_in_its_azimuths():
    radar = make_radar()
    az = np.arange(0.0, 360.0, 10.0)
    view = targets_at(az, 5.0, 30_000.0, rcs_m2=10.0, swerling=0)  # SNR ~ 60 dB: Pd = 1
    look = AzimuthInterval(np.radians(345.0), np.radians(40.0))  # 345 .. 25 deg
    batch = radar.scan(view, 0.0, np.random.default_rng(6), look=look)
    seen = np.sort(az[batch.truth[batch.truth >= 0]])
    np.testing.assert_array_equal(seen, [0.0, 10.0, 20.0, 350.0])
    assert batch.look == look
    assert np.all(look.contains(batch.az_rad[batch.truth < 0]))


def test_false_alarms_of_a_look_scale_with_the_swept_angle():
    radar = make_radar()
    spec = radar.spec
    look = AzimuthInterval(np.radians(100.0), np.radians(36.0))
    cells = (spec.max_range_m - spec.min_range_m) / spec.range_resolution_m * 36.0
    mean = spec.reference_pfa * cells
    nobody = targets_at([10.0], 5.0, 50_000.0, present=False)
    rng = np.random.default_rng(7)
    counts = np.array([len(radar.scan(nobody, 0.0, rng, look=look)) for _ in range(3_000)])
    assert counts.mean() == pytest.approx(mean, abs=4.0 * np.sqrt(mean / counts.size))
    assert counts.var() == pytest.approx(mean, rel=0.15)


def test_a_sector_radar_drops_the_part_of_a_sweep_outside_its_sector():
    radar = make_radar(facing_deg=90.0, azimuth_coverage_deg=60.0)  # 60 .. 120 deg
    look = AzimuthInterval(np.radians(100.0), np.radians(60.0))  # 100 .. 160 deg
    nobody = targets_at([10.0], 5.0, 50_000.0, present=False)
    rng = np.random.default_rng(8)
    batches = [radar.scan(nobody, 0.0, rng, look=look) for _ in range(2_000)]
    az = np.degrees(np.concatenate([b.az_rad for b in batches]))
    assert az.size > 0 and np.all((az >= 100.0 - 1e-9) & (az <= 120.0 + 1e-9))
    spec = radar.spec
    mean = spec.reference_pfa * (spec.max_range_m - spec.min_range_m) / 150.0 * 20.0
    assert az.size / len(batches) == pytest.approx(mean, abs=4.0 * np.sqrt(mean / len(batches)))


def test_one_rotation_of_sweeps_detects_each_strong_target_once_in_its_step():
    radar = make_radar()
    az = np.random.default_rng(9).uniform(0.0, 360.0, 50)
    view = targets_at(az, 5.0, 30_000.0, rcs_m2=10.0, swerling=0)
    rotation_s, dt_s, north_s = radar.spec.revisit_s, 1.0, 0.4
    rng = np.random.default_rng(10)
    step_of = np.full(az.size, -1)
    for step, t in enumerate(np.arange(0.0, rotation_s, dt_s)):
        look = AzimuthInterval.swept(t, dt_s, rotation_s, north_s)
        truth = radar.scan(view, t, rng, look=look).truth
        truth = truth[truth >= 0]
        assert np.all(step_of[truth] == -1)  # never twice in one rotation
        step_of[truth] = step
    assert np.all(step_of >= 0)
    # The beam reaches azimuth a at t = north + a / 36 deg/s (mod 10 s): that step.
    expected = np.floor(np.mod(north_s + az / 36.0, rotation_s) / dt_s)
    np.testing.assert_array_equal(step_of, expected)
