"""Motion models against FilterPy's noise matrices and against exact kinematics."""

import numpy as np
import pytest
from filterpy.common import Q_discrete_white_noise

from iadsim.tracking import models


@pytest.mark.parametrize("dt_s", [0.5, 4.0, 12.0])
def test_dwna_matches_filterpy_discrete_white_noise(dt_s):
    sigma = 7.0
    ours = models.dwna_process_noise(np.array([dt_s]), sigma)[0]
    ref = Q_discrete_white_noise(dim=2, dt=dt_s, var=sigma**2, block_size=3, order_by_dim=False)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dt_s", [0.5, 4.0])
def test_dwpa_matches_filterpy_discrete_white_noise(dt_s):
    sigma = 3.0
    ours = models.dwpa_process_noise(np.array([dt_s]), sigma)[0]
    ref = Q_discrete_white_noise(dim=3, dt=dt_s, var=sigma**2, block_size=3, order_by_dim=False)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)


def test_constant_velocity_and_acceleration_propagate_kinematics():
    dt = np.array([2.0, 5.0])
    p0, v0, a0 = np.array([1.0, -2.0, 3.0]), np.array([100.0, 50.0, -5.0]), np.array([2, -1, 0.5])
    F_cv = models.constant_velocity_transition(dt)
    x_cv = F_cv @ np.concatenate([p0, v0])
    np.testing.assert_allclose(x_cv[:, :3], p0 + v0 * dt[:, None])
    F_ca = models.constant_acceleration_transition(dt)
    x_ca = F_ca @ np.concatenate([p0, v0, a0])
    np.testing.assert_allclose(x_ca[:, :3], p0 + v0 * dt[:, None] + 0.5 * a0 * dt[:, None] ** 2)
    np.testing.assert_allclose(x_ca[:, 3:6], v0 + a0 * dt[:, None])


def test_coordinated_turn_follows_the_circle():
    speed, omega, dt = 200.0, np.radians(3.0), 7.0
    # start at the origin flying east; positive omega turns left (towards north)
    x0 = np.array([0.0, 0.0, 1000.0, speed, 0.0, 0.0])
    x1 = models.coordinated_turn_transition(np.array([dt]), omega)[0] @ x0
    radius = speed / omega
    heading = omega * dt
    expected_e = radius * np.sin(heading)
    expected_n = radius * (1 - np.cos(heading))
    np.testing.assert_allclose(x1[:3], [expected_e, expected_n, 1000.0], rtol=1e-12)
    np.testing.assert_allclose(np.hypot(x1[3], x1[4]), speed, rtol=1e-12)
    np.testing.assert_allclose(np.arctan2(x1[4], x1[3]), heading, rtol=1e-12)


def test_coordinated_turn_tends_to_constant_velocity():
    dt = np.array([4.0])
    np.testing.assert_allclose(
        models.coordinated_turn_transition(dt, 1e-9),
        models.constant_velocity_transition(dt),
        atol=1e-8,
    )
