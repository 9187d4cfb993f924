"""The terrain as a floor for track estimates (iadsim.tracking.terrain_constraint).

The projection is checked against the conditional Gaussian worked by hand for a height and
a vertical speed (Simon 2010, estimate projection = perfect measurement), and an IMM table
against its combined estimate.
"""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.tracking.imm import ImmFilter, imm_combine
from iadsim.tracking.table import TrackTable
from iadsim.tracking.terrain_constraint import (
    constrain_table,
    floor_heights_of_modes,
    local_up_in_frame,
    project_onto_floor,
)

UP = np.array([[0.0, 0.0, 1.0]])


def _state(height_m, climb_mps):
    return np.array([[100.0, -50.0, height_m, 200.0, 10.0, climb_mps]])


def _covariance(var_h, var_v, cov_hv):
    P = np.diag([400.0, 400.0, var_h, 25.0, 25.0, var_v])
    P[0, 2] = P[2, 0] = 30.0  # some east-height correlation
    P[2, 5] = P[5, 2] = cov_hv
    return P[None]


def test_a_track_below_the_floor_lands_on_it_and_its_climb_follows_the_correlation():
    var_h, var_v, cov_hv, floor_std = 250_000.0, 400.0, 6_000.0, 30.0
    x, P = project_onto_floor(_state(-700.0, -40.0), _covariance(var_h, var_v, cov_hv), UP,
                              np.array([700.0]), floor_std)  # fmt: skip
    gain_v = cov_hv / var_h  # E[v | h] slope of the joint Gaussian
    assert x[0, 2] == pytest.approx(0.0, abs=1e-9)
    assert x[0, 5] == pytest.approx(-40.0 + gain_v * 700.0)
    assert x[0, 0] == pytest.approx(100.0 + 30.0 / var_h * 700.0)
    assert x[0, 1] == pytest.approx(-50.0)  # uncorrelated with height: unchanged
    # Joseph form with the projection gain: the height is known to the floor's error, and
    # the climb's variance is the conditional one plus the floor's share.
    assert P[0, 2, 2] == pytest.approx(floor_std**2)
    assert P[0, 5, 5] == pytest.approx(var_v - cov_hv**2 / var_h + gain_v**2 * floor_std**2)
    assert P[0, 2, 5] == pytest.approx(gain_v * floor_std**2)
    assert np.all(np.linalg.eigvalsh(P[0]) > 0.0)


def test_a_track_above_the_floor_is_left_alone():
    x0, P0 = _state(300.0, -5.0), _covariance(10_000.0, 100.0, 500.0)
    x, P = project_onto_floor(x0, P0, UP, np.array([-300.0]))
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(P, P0)


def test_a_tilted_vertical_moves_the_position_along_it():
    up = np.array([[0.6, 0.0, 0.8]])
    P = np.eye(6)[None] * 100.0
    x, _ = project_onto_floor(np.zeros((1, 6)), P, up, np.array([50.0]))
    np.testing.assert_allclose(x[0, :3], [30.0, 0.0, 40.0])  # isotropic P: straight along u
    assert up[0] @ x[0, :3] == pytest.approx(50.0)


def test_the_local_vertical_at_the_frame_origin_is_the_frame_up_axis():
    lat, lon = np.radians(39.9), np.radians(32.8)
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    rotation = np.array([[-so, co, 0.0], [-sl * co, -sl * so, cl], [cl * co, cl * so, sl]])
    np.testing.assert_allclose(local_up_in_frame([lat], [lon], rotation), [[0, 0, 1]], atol=1e-12)
    # 1 degree further north the vertical leans north by 1 degree in the origin's frame.
    tilted = local_up_in_frame([lat + np.radians(1.0)], [lon], rotation)[0]
    assert np.degrees(np.arctan2(tilted[1], tilted[2])) == pytest.approx(1.0)


def test_an_imm_table_is_held_on_the_floor_model_by_model():
    imm = ImmFilter.cv_turns_and_ballistic(15.0, np.radians(6.0))
    table = TrackTable(4, state_dim=6)
    imm.prepare(table)
    slots = table.allocate(1, 0.0)
    R = np.diag([200.0**2, 200.0**2, 3000.0**2])[None]
    imm.initiate(table, slots, np.array([[5e4, 1e4, -2500.0]]), R)
    imm.predict(table, slots, 8.0)
    table.extra["imm_state"][slots, 3, 2] -= 400.0  # the ballistic model lies deeper
    table.extra["imm_probability"][slots] = [0.4, 0.1, 0.1, 0.4]
    table.state[slots], table.covariance[slots] = imm_combine(
        table.extra["imm_state"][slots],
        table.extra["imm_covariance"][slots],
        table.extra["imm_probability"][slots],
    )
    height = table.state[slots, 2]
    floor = np.array([120.0])
    modes_before = floor_heights_of_modes(
        height, UP, table.state[slots], table.extra["imm_state"][slots]
    )
    assert np.all(modes_before < floor[0])
    constrain_table(table, slots, UP, height, floor)
    np.testing.assert_allclose(table.extra["imm_state"][slots][0, :, 2], 120.0, atol=1e-6)
    assert table.state[slots[0], 2] == pytest.approx(120.0, abs=1e-6)
    assert np.all(np.linalg.eigvalsh(table.covariance[slots[0]]) > 0.0)


@pytest.mark.parametrize("n", [1, 2, 5, 17])
def test_a_constant_velocity_table_is_raised_as_project_onto_floor_raises_it(n):
    # The compiled path on the table's rows against the NumPy projection, to the bit.
    rng = np.random.default_rng(n)
    table = TrackTable(32)
    table.allocate(32, 0.0)
    table.state[:] = rng.normal(0.0, 1e3, table.state.shape)
    A = rng.normal(size=(32, 6, 6)) * np.exp(rng.normal(size=(32, 1, 6)) * 3)
    table.covariance[:] = A @ A.transpose(0, 2, 1)
    slots = rng.permutation(32)[:n]
    up = rng.normal(size=(n, 3))
    up /= np.linalg.norm(up, axis=1)[:, None]
    height = rng.normal(0.0, 100.0, n)
    floor = height + rng.uniform(1.0, 500.0, n)
    want_x, want_P = project_onto_floor(
        table.state[slots], table.covariance[slots], up, floor - height, 25.0
    )
    constrain_table(table, slots, up, height, floor, 25.0)
    np.testing.assert_array_equal(table.state[slots], want_x)
    np.testing.assert_array_equal(table.covariance[slots], want_P)
