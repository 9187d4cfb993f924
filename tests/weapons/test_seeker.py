"""The seeker: lock-on range from the radar equation, noisy LOS, glint, and scalar twins."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from iadsim.weapons.fuzing import closest_approach
from iadsim.weapons.seeker import (
    GLINT_CORRELATION_TIME_S,
    acquisition_range_m,
    acquisition_range_scalar,
    glint_step,
    glint_step_scalar,
    measured_line_of_sight,
    measured_line_of_sight_scalar,
    noise_sigma_m,
    noise_sigma_scalar,
)


def test_active_seeker_range_scales_as_the_fourth_root_of_rcs():
    # radar equation: 16 times less RCS, half the range (Skolnik eq. 1.7)
    r = acquisition_range_m([20e3], [1.0], [1.0 / 16.0], [True], [0.0], [50e3])
    assert r[0] == pytest.approx(10e3, rel=1e-12)


def test_semi_active_seeker_range_scales_as_the_square_root_of_rcs_and_illuminator_range():
    # bistatic: SNR ~ sigma / (R_it^2 R_tm^2); 4 times less RCS halves R_tm, and twice the
    # illuminator range halves it again
    r = acquisition_range_m([20e3, 20e3], [1.0, 1.0], [0.25, 0.25], [False, False],
                            [0.0, 40e3], [80e3, 80e3])  # fmt: skip
    np.testing.assert_allclose(r, [10e3, 5e3], rtol=1e-12)


def test_a_stealthy_target_is_acquired_much_later():
    f16, f35 = acquisition_range_m([20e3, 20e3], [1.0, 1.0], [2.0, 0.0015], [True, True],
                                   [0.0, 0.0], [1.0, 1.0])  # fmt: skip
    assert f35 / f16 == pytest.approx((0.0015 / 2.0) ** 0.25)
    assert f35 < 0.2 * f16


def test_noise_sigma_terms_add_in_quadrature():
    sigma = noise_sigma_m([1000.0, 20e3], [20e3, 20e3], [1e-3, 1e-3], [2e-3, 2e-3], [True] * 2)
    expected_near = math.hypot(1.0, 1000.0 * 2e-3 * (1000.0 / 20e3) ** 2)
    expected_far = math.hypot(20.0, 40.0)
    np.testing.assert_allclose(sigma, [expected_near, expected_far], rtol=1e-12)


def test_measured_los_is_displaced_by_the_offset_normal_to_the_true_one():
    rng = np.random.default_rng(4)
    rel = rng.normal(0.0, 5e3, (50, 3))
    offset = rng.normal(0.0, 10.0, (50, 3))
    measured = measured_line_of_sight(rel, offset)
    unit = rel / np.linalg.norm(rel, axis=1)[:, None]
    normal = offset - np.einsum("ij,ij->i", offset, unit)[:, None] * unit
    # only the offset's part normal to the LOS counts: the LOS is off by atan(|o_n| / R)
    turned = measured - np.einsum("ij,ij->i", measured, unit)[:, None] * unit
    angle = np.arctan2(np.linalg.norm(turned, axis=1), np.einsum("ij,ij->i", measured, unit))
    expected = np.arctan(np.linalg.norm(normal, axis=1) / np.linalg.norm(rel, axis=1))
    np.testing.assert_allclose(angle, expected, rtol=1e-9, atol=1e-15)
    # ... and in its direction
    cosine = np.einsum("ij,ij->i", turned, normal) / np.linalg.norm(turned, axis=1)
    np.testing.assert_allclose(cosine, np.linalg.norm(normal, axis=1), rtol=1e-9)


def test_glint_seen_along_a_coordinate_axis_keeps_its_correlation():
    """The LOS-normal glint the seeker sees keeps the Gauss-Markov correlation even when the
    LOS wanders about a coordinate axis (where a basis picked from the LOS components
    switches axes from one sample to the next and decorrelated it)."""
    rng = np.random.default_rng(9)
    n, dt, sigma, lag = 20_000, 0.01, 1.0, 5
    rel = np.array([0.0, 5e3, 0.0]) + rng.normal(0.0, 1.0, (lag + 1, n, 3))
    g = glint_step(np.zeros((n, 3)), np.full(n, sigma), dt, rng.standard_normal((n, 3)),
                   np.ones(n, bool))  # fmt: skip
    seen = []
    for k in range(lag + 1):
        if k:
            g = glint_step(g, np.full(n, sigma), dt, rng.standard_normal((n, 3)), np.zeros(n, bool))
        u = measured_line_of_sight(rel[k], g)
        seen.append(u * 5e3 - rel[k] / np.linalg.norm(rel[k], axis=1)[:, None] * 5e3)
    first, last = seen[0][:, [0, 2]], seen[-1][:, [0, 2]]
    assert first.std() == pytest.approx(sigma, rel=0.02)
    correlation = np.mean(first * last) / sigma**2
    assert correlation == pytest.approx(math.exp(-lag * dt / GLINT_CORRELATION_TIME_S), abs=0.02)


def test_glint_is_a_stationary_gauss_markov_process_of_the_given_sigma_and_correlation():
    rng = np.random.default_rng(5)
    n, dt, sigma = 20_000, 0.01, 1.5
    g = glint_step(np.zeros((n, 3)), np.full(n, sigma), dt, rng.standard_normal((n, 3)),
                   np.ones(n, bool))  # fmt: skip
    start = g.copy()
    for _ in range(10):
        g = glint_step(g, np.full(n, sigma), dt, rng.standard_normal((n, 3)), np.zeros(n, bool))
    assert g.std() == pytest.approx(sigma, rel=0.02)
    correlation = np.mean(start * g) / sigma**2
    assert correlation == pytest.approx(math.exp(-10 * dt / GLINT_CORRELATION_TIME_S), abs=0.02)


def test_scalar_twins_agree_with_the_vectorised_forms():
    rng = np.random.default_rng(6)
    for _ in range(100):
        rel = rng.normal(0.0, 1e3, 3)
        offset = rng.normal(0.0, 3.0, 3)
        np.testing.assert_allclose(
            measured_line_of_sight_scalar(*rel, *offset),
            measured_line_of_sight(rel[None], offset[None])[0],
            rtol=1e-12, atol=1e-15,
        )  # fmt: skip
        args = (rng.uniform(1e3, 4e4), 1.0, rng.uniform(1e-3, 10.0), bool(rng.integers(2)),
                rng.uniform(0.0, 5e4), rng.uniform(1e3, 9e4))  # fmt: skip
        assert acquisition_range_scalar(*args) == pytest.approx(
            acquisition_range_m(*[[a] for a in args])[0], rel=1e-12
        )
        sig = (rng.uniform(10, 3e4), 2e4, 1e-3, 3e-3, bool(rng.integers(2)))
        assert noise_sigma_scalar(*sig) == pytest.approx(noise_sigma_m(*[[a] for a in sig])[0])
        g = rng.normal(size=3)
        w = rng.normal(size=3)
        start = bool(rng.integers(2))
        np.testing.assert_allclose(
            glint_step_scalar(g, 1.2, 0.01, w, start),
            glint_step(g[None], [1.2], 0.01, w[None], [start])[0],
            rtol=1e-12,
        )


@pytest.mark.parametrize("step_s", [0.01, 0.1])
def test_closest_approach_on_a_constant_acceleration_arc_is_exact(step_s):
    """Hermite interpolation reproduces a constant-acceleration arc, so the fuze finds the
    same miss as SciPy's minimisation of the analytic range (no step-made miss)."""
    rng = np.random.default_rng(8)
    r0 = np.array([[150.0, 2.0, -1.0]])
    v0 = np.array([[-3000.0, 25.0, 40.0]])
    accel = rng.normal(0.0, 300.0, (1, 3))
    t_true = optimize.minimize_scalar(
        lambda t: np.linalg.norm(r0 + v0 * t + 0.5 * accel * t * t),
        bounds=(0.0, 0.2), method="bounded", options={"xatol": 1e-12},
    ).x  # fmt: skip
    miss_true = np.linalg.norm(r0 + v0 * t_true + 0.5 * accel * t_true**2)
    start = t_true - 0.37 * step_s  # the approach falls inside the step
    rs, vs = r0 + v0 * start + 0.5 * accel * start**2, v0 + accel * start
    re, ve = rs + vs * step_s + 0.5 * accel * step_s**2, vs + accel * step_s
    inside, t_star, rel, _ = closest_approach(rs, vs, re, ve, step_s)
    assert inside[0]
    assert start + t_star[0] == pytest.approx(t_true, abs=1e-9)
    assert np.linalg.norm(rel[0]) == pytest.approx(miss_true, abs=1e-6)
