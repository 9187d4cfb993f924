"""Proportional navigation, predicted intercept point and zero-effort miss.

The heading-error response is checked against the closed-form solution of the linearised
engagement, Zarchan, *Tactical and Strategic Missile Guidance* (6th ed., 2012), ch. 2:
``n_c(t) = V_m HE N' / t_f (1 - t/t_f)^(N'-2)`` with zero miss for a lag-free system.
"""

import dataclasses
import math

import numpy as np
import pytest

from iadsim.weapons.flyout import Airframe, FlyoutOptions, FlyoutState, step
from iadsim.weapons.guidance import (
    line_of_sight_rate_rps,
    pn_acceleration,
    pn_acceleration_scalar,
    predicted_intercept_point,
    predicted_intercept_point_scalar,
    time_to_go_s,
    zero_effort_miss_m,
)

IDEAL = FlyoutOptions(
    gravity="none", earth_rotation=False, gravity_compensation=False, arming_time_s=0.0
)


def ideal_airframe(nav: float) -> Airframe:
    """Constant-speed point mass: no thrust, no drag, no acceleration limit."""
    return Airframe(
        key="ideal",
        launch_mass_kg=100.0,
        propellant_mass_kg=0.0,
        boost_thrust_n=0.0,
        boost_time_s=0.0,
        reference_area_m2=0.0,
        drag_mach=(0.0,),
        drag_cd0=(0.0,),
        max_load_factor_g=math.inf,
        max_flight_time_s=1000.0,
        min_speed_mps=0.0,
        navigation_constant=nav,
    )


NAV_CONSTANTS = (3.0, 4.0, 5.0)


def fly_heading_error(law, heading_error_rad, target_speed_mps, dt_s=0.005):
    """Head-on engagements 10 km up, one missile per N' at 1000 m/s off the collision course.

    Returns the times (s), the commanded-acceleration magnitudes (m/s^2, shape (n_t, 3)) and
    the closest-approach events of the three missiles.
    """
    origin = np.array([6378137.0 + 10000.0, 0.0, 0.0])
    east, north = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    state = FlyoutState(len(NAV_CONSTANTS))
    velocity = 1000.0 * (math.cos(heading_error_rad) * east + math.sin(heading_error_rad) * north)
    for nav in NAV_CONSTANTS:
        state.launch(ideal_airframe(nav), origin, velocity)
    target_pos = origin + 10000.0 * east
    target_vel = -target_speed_mps * east
    options = dataclasses.replace(IDEAL, pn_law=law)
    times, accel, events = [], [], {}
    t = 0.0
    while state.active.any():
        ended = step(state, target_pos, target_vel, True, dt_s, options=options)
        events.update(
            {
                int(s): (m, tc)
                for s, m, tc in zip(
                    ended.slot, ended.miss_distance_m, ended.time_since_launch_s, strict=True
                )
            }
        )
        times.append(t)
        accel.append(np.linalg.norm(state.accel_cmd_mps2, axis=1))
        t += dt_s
        target_pos = target_pos + target_vel * dt_s
    return np.array(times), np.array(accel), events


@pytest.fixture(scope="module")
def true_pn_moving_target():
    return fly_heading_error("true", math.radians(-5.0), 300.0)


@pytest.fixture(scope="module")
def pure_pn_stationary_target():
    return fly_heading_error("pure", math.radians(20.0), 0.0)


@pytest.mark.parametrize("slot", range(len(NAV_CONSTANTS)))
def test_true_pn_heading_error_matches_zarchan_closed_form(true_pn_moving_target, slot):
    nav = NAV_CONSTANTS[slot]
    t, accel, events = true_pn_moving_target
    miss, t_intercept = events[slot]
    assert miss < 0.5
    t_final = 10000.0 / (1000.0 + 300.0)
    assert t_intercept == pytest.approx(t_final, rel=5e-3)
    expected = 1000.0 * math.radians(5.0) * nav / t_final * (1.0 - t / t_final) ** (nav - 2.0)
    # The seeker needs two looks for a LOS rate: the first sample commands nothing.
    early = (t > 0.0) & (t < 0.9 * t_final)
    error = np.abs(accel[early, slot] - expected[early]).max()
    assert error < 0.02 * expected[0]


@pytest.mark.parametrize("slot", range(len(NAV_CONSTANTS)))
def test_pure_pn_hits_a_stationary_target_with_heading_error(pure_pn_stationary_target, slot):
    _, accel, events = pure_pn_stationary_target
    assert events[slot][0] < 0.5
    # Against a stationary target V_c = V_m, so pure PN follows the same closed form; the
    # seeker's first look gives no LOS rate, so the second sample is the first command.
    expected = 1000.0 * math.radians(20.0) * NAV_CONSTANTS[slot] / 10.0
    assert accel[0, slot] == 0.0
    assert accel[1, slot] == pytest.approx(expected, rel=0.05)


def test_pn_command_in_the_plane_equals_n_vc_lambda_dot():
    rel_pos = np.array([[8000.0, 0.0, 0.0]])
    rel_vel = np.array([[-1200.0, 60.0, 0.0]])  # lambda_dot = 60 / 8000 rad/s
    missile_vel = np.array([[900.0, 0.0, 0.0]])
    accel = pn_acceleration(rel_pos, rel_vel, missile_vel, 4.0, "true")
    np.testing.assert_allclose(accel, [[0.0, 4.0 * 1200.0 * 60.0 / 8000.0, 0.0]], atol=1e-12)
    pure = pn_acceleration(rel_pos, rel_vel, missile_vel, 4.0, "pure")
    np.testing.assert_allclose(pure, [[0.0, 4.0 * 900.0 * 60.0 / 8000.0, 0.0]], atol=1e-12)
    np.testing.assert_allclose(line_of_sight_rate_rps(rel_pos, rel_vel), [[0, 0, 60 / 8000]])


def test_pn_equals_n_zem_over_tgo_squared():
    rng = np.random.default_rng(7)
    rel_pos = rng.normal(size=(50, 3)) * 5000.0
    rel_vel = -rel_pos / 8.0 + rng.normal(size=(50, 3)) * 50.0
    missile_vel = rel_pos / np.linalg.norm(rel_pos, axis=1)[:, None] * 800.0  # along the LOS
    range_m = np.linalg.norm(rel_pos, axis=1)
    closing = -np.einsum("ij,ij->i", rel_pos, rel_vel) / range_m
    t_go = range_m / closing
    zem = zero_effort_miss_m(rel_pos, rel_vel, t_go)
    expected = 3.0 * zem / t_go[:, None] ** 2
    np.testing.assert_allclose(pn_acceleration(rel_pos, rel_vel, missile_vel, 3.0), expected)


def test_time_to_go_of_straight_lines():
    assert time_to_go_s(np.array([[3000.0, 40.0, 0.0]]), np.array([[-1500.0, 0.0, 0.0]]))[
        0
    ] == pytest.approx(2.0)


def test_predicted_intercept_point_closed_form_cases():
    missile = np.zeros((3, 3))
    target = np.array([[10000.0, 0.0, 0.0], [0.0, 10000.0, 0.0], [5000.0, 0.0, 0.0]])
    velocity = np.array([[-300.0, 0.0, 0.0], [300.0, 0.0, 0.0], [800.0, 0.0, 0.0]])
    speed = np.array([700.0, 500.0, 600.0])
    pip, t_go, valid = predicted_intercept_point(target, velocity, missile, speed)
    # Head-on: closing at 1000 m/s. Crossing: (300 t)^2 + 10 km^2 = (500 t)^2 -> t = 25 s.
    np.testing.assert_allclose(t_go[:2], [10.0, 25.0])
    np.testing.assert_allclose(pip[:2], [[7000.0, 0.0, 0.0], [7500.0, 10000.0, 0.0]])
    assert valid.tolist() == [True, True, False]  # a faster receding target is never caught
    np.testing.assert_allclose(pip[2], target[2])


def test_predicted_intercept_point_is_equidistant_in_time():
    rng = np.random.default_rng(11)
    target = rng.normal(size=(200, 3)) * 20000.0
    velocity = rng.normal(size=(200, 3)) * 300.0
    missile = rng.normal(size=(200, 3)) * 1000.0
    speed = rng.uniform(200.0, 1500.0, 200)
    pip, t_go, valid = predicted_intercept_point(target, velocity, missile, speed)
    flown = np.linalg.norm(pip[valid] - missile[valid], axis=1)
    np.testing.assert_allclose(flown, speed[valid] * t_go[valid], rtol=1e-9)
    np.testing.assert_allclose(pip[valid], target[valid] + velocity[valid] * t_go[valid][:, None])


def test_compiled_scalar_twins_match_vectorised_guidance():
    rng = np.random.default_rng(5)
    r = rng.normal(size=(100, 3)) * 1e4
    v = rng.normal(size=(100, 3)) * 500.0
    m = rng.normal(size=(100, 3)) * 800.0
    nav = rng.uniform(3.0, 5.0, 100)
    for law in ("true", "pure"):
        vector = pn_acceleration(r, v, m, nav, law)
        scalar = [
            pn_acceleration_scalar(*r[i], *v[i], *m[i], nav[i], law == "true") for i in range(100)
        ]
        np.testing.assert_allclose(scalar, vector, rtol=1e-12, atol=1e-12)
    speed = rng.uniform(100.0, 1500.0, 100)
    pip, _t_go, valid = predicted_intercept_point(r, v, m, speed)
    scalar = np.array(
        [predicted_intercept_point_scalar(*r[i], *v[i], *m[i], speed[i]) for i in range(100)]
    )
    assert np.array_equal(np.isfinite(scalar[:, 3]), valid)
    np.testing.assert_allclose(scalar[valid, :3], pip[valid], rtol=1e-12)
