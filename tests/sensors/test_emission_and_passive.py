"""Emission control and passive detection (issue 16, point 2).

The one-way equation is checked against the log form of the NAWCWD EW handbook
(sec. 4-3: P_r = P_t + G_t + G_r - (20 log10(f_MHz R_km) + 32.45), dBm) and its worked
one-way example as recalled: a 5 GHz radar of 70 dBm (10 kW) through a 5 dB line to a 45 dBi
antenna, seen 31 km away by an EW antenna of -1 dBi with a 5 dB line: about -32.3 dBm.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.scenario.schema import RadarPlacement
from iadsim.sensors.emission import EmissionControl
from iadsim.sensors.passive import (
    PassiveReceivers,
    free_space_loss_db,
    received_power_dbm,
    within_horizon,
)


def test_one_way_equation_matches_the_handbook_example():
    # 70 dBm = 10 kW; the 5 dB line losses of each side go into L (10 dB).
    power = received_power_dbm(1.0e4, 45.0, -1.0, 5.0e9, 31_000.0, 10.0)
    handbook = 70 - 5 + 45 - 1 - 5 - (20 * math.log10(5000.0 * 31.0) + 32.45)
    assert handbook == pytest.approx(-32.26, abs=0.01)
    assert float(power) == pytest.approx(handbook, abs=0.01)


def test_free_space_loss_is_the_handbook_constant():
    # K1 = 32.45 dB with f in MHz and R in km: 1 GHz at 1 km is 92.45 dB.
    assert free_space_loss_db(1.0e9, 1000.0) == pytest.approx(92.45, abs=0.01)
    # 6 dB per doubling of range (inverse square, not the radar's fourth power).
    ratio = received_power_dbm(1e3, 30.0, 0.0, 3e9, 1e4) - received_power_dbm(
        1e3, 30.0, 0.0, 3e9, 2e4
    )
    assert float(ratio) == pytest.approx(20 * math.log10(2), abs=1e-9)


def test_horizon_of_two_antennas_on_a_4_3_earth():
    # d = 4.12 km (sqrt(h1) + sqrt(h2)), heights in m (Skolnik sec. 8.2).
    d_m = 4120.0 * (math.sqrt(25.0) + math.sqrt(10_000.0))
    assert within_horizon(np.array(25.0), np.array(10_000.0), np.array(d_m * 0.99))
    assert not within_horizon(np.array(25.0), np.array(10_000.0), np.array(d_m * 1.01))


def _receivers(sensitivity_dbm: float) -> PassiveReceivers:
    return PassiveReceivers(
        ["rwr"],
        ["rwr"],
        np.array([-1]),
        np.zeros((1, 3)),
        np.zeros(1),
        np.array([sensitivity_dbm]),
        np.array([0.0]),
        np.array([0.0]),
        np.array([[5e8, 1.8e10]]),
        np.array([1.0]),
        np.zeros((1, 1), dtype=bool),
        np.zeros(1),
    )


@pytest.mark.parametrize("radiating", [True, False])
def test_a_receiver_detects_a_radiating_emitter_above_its_sensitivity(radiating):
    receivers = _receivers(-60.0)
    at = np.array([[0.0, 0.0, 0.0]])
    emitter = np.array([[100_000.0, 0.0, 0.0]])
    args = (at, np.array([10_000.0]), np.array([True]), emitter, np.array([30.0]))
    expected = float(received_power_dbm(1e5, 40.0, 0.0, 1e10, 1e5))  # -32 dBm
    gained, lost = receivers.look(
        0.0, *args, np.array([1e5]), np.array([40.0]), np.array([1e10]), np.array([radiating])
    )
    if radiating:
        assert gained == [(0, 0, pytest.approx(expected))]
    else:
        assert gained == []
    gained, lost = receivers.look(
        1.0, *args, np.array([1e5]), np.array([40.0]), np.array([1e10]), np.array([False])
    )
    assert lost == ([(0, 0)] if radiating else [])


def test_a_receiver_below_sensitivity_or_out_of_band_sees_nothing():
    at = np.zeros((1, 3))
    emitter = np.array([[100_000.0, 0.0, 0.0]])
    common = (at, np.array([10_000.0]), np.array([True]), emitter, np.array([30.0]))
    deaf = _receivers(-20.0)  # -32 dBm arrives
    assert (
        deaf.look(
            0.0, *common, np.array([1e5]), np.array([40.0]), np.array([1e10]), np.array([True])
        )[0]
        == []
    )
    band = _receivers(-60.0)
    assert (
        band.look(
            0.0, *common, np.array([1e5]), np.array([40.0]), np.array([2e10]), np.array([True])
        )[0]
        == []
    )


def _control(**fields) -> EmissionControl:
    return EmissionControl.from_placements([RadarPlacement(type="x", **fields)])


def test_always_emits_unless_killed():
    control = _control()
    assert not control.controlled
    assert control.emitting(0.0, np.array([np.inf]))[0]
    control.kill(0)
    assert not control.emitting(0.0, np.array([1.0]))[0]


def test_go_live_radiates_inside_its_range_only():
    control = _control(emission="go_live", go_live_km=60)
    assert not control.emitting(0.0, np.array([np.inf]))[0]
    assert not control.emitting(0.0, np.array([60_001.0]))[0]
    assert control.emitting(0.0, np.array([59_999.0]))[0]


def test_when_cued_radiates_with_any_track():
    control = _control(emission="when_cued")
    assert not control.emitting(0.0, np.array([np.inf]))[0]
    assert control.emitting(0.0, np.array([300_000.0]))[0]


def test_blink_follows_its_cycle():
    control = _control(emission="blink", blink_on_s=10, blink_off_s=20)
    on = [bool(control.emitting(t, np.array([np.inf]))[0]) for t in (0, 9.5, 10, 29, 30, 39)]
    assert on == [True, True, False, False, True, True]


def test_shutdown_on_arm_silences_for_its_time():
    control = _control(shutdown_on_arm=True, shutdown_s=30)
    assert control.arm_detected(100.0, 0)
    assert not control.emitting(100.0, np.array([np.inf]))[0]
    assert not control.emitting(129.0, np.array([np.inf]))[0]
    assert control.emitting(130.0, np.array([np.inf]))[0]
    assert not _control().arm_detected(100.0, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"emission": "go_live"}, "needs go_live_km"),
        ({"emission": "blink", "blink_on_s": 5.0}, "needs blink_off_s"),
        ({"go_live_km": 50.0}, "go_live_km is for emission go_live"),
    ],
)
def test_emission_settings_must_fit_the_policy(fields, message):
    problems = RadarPlacement(type="x", **fields).emission_problems()
    assert any(message in text for _, text in problems)
    assert RadarPlacement(type="x", emission="go_live", go_live_km=5.0).emission_problems() == []
