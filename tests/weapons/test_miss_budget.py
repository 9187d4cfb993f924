"""The adjoint miss budget against a brute-force Monte Carlo of the same linear loop (an
independent method), and against the limits the theory fixes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.weapons.miss_budget import HomingLoop, rayleigh_percentile


def _monte_carlo_sigma(loop: HomingLoop, runs: int, seed: int) -> float:
    transitions, inputs, initial = loop.matrices()
    rng = np.random.default_rng(seed)
    x = np.zeros((runs, 5))
    x[:, 3] = math.sqrt(initial[3, 3]) * rng.standard_normal(runs)
    for phi, gamma in zip(transitions, inputs, strict=True):
        x = x @ phi.T + rng.standard_normal((runs, 2)) @ gamma.T
    return float(np.sqrt(np.mean(x[:, 0] ** 2)))


@pytest.mark.parametrize(
    "loop",
    [
        HomingLoop(3_500.0, 5.0, 4.0, 0.3, glint_m=1.1),
        HomingLoop(1_250.0, 10.0, 4.0, 0.3, angle_noise_rad=2e-4, thermal_noise_rad=1e-3),
        HomingLoop(
            2_000.0,
            5.0,
            4.0,
            0.3,
            glint_m=1.0,
            radome_slope=-0.02,
            turning_time_constant_s=0.6,
            missile_speed_mps=1_500.0,
        ),
    ],
)
def test_adjoint_equals_a_forward_monte_carlo(loop):
    sigma = loop.miss_sigma_m()
    runs = 4_000
    # The sample rms of n Gaussian draws has a relative standard error 1 / sqrt(2 n).
    assert _monte_carlo_sigma(loop, runs, 1) == pytest.approx(sigma, rel=5 / math.sqrt(2 * runs))


def test_no_noise_no_miss():
    assert HomingLoop(2_000.0, 5.0, 4.0, 0.3).miss_sigma_m() == 0.0


def test_white_glint_miss_scales_as_zarchans_normalisation():
    """Zarchan ch. 6: for white glint of spectral density ``Phi_g`` and a flight long
    against the lag, the rms miss is ``C(N') sqrt(Phi_g / T)``: the lag filters glint, so
    the miss falls as ``T^-1/2``. Near-white glint: correlation time one sample."""
    normalised = []
    for lag in (0.2, 0.4, 0.8):
        loop = HomingLoop(2_000.0, 12.0, 4.0, lag, glint_m=1.0, glint_correlation_s=0.01)
        phi_g = 2.0 * loop.glint_m**2 * loop.glint_correlation_s  # m^2 / Hz
        normalised.append(loop.miss_sigma_m() / math.sqrt(phi_g / lag))
    assert max(normalised) / min(normalised) < 1.15


def test_rayleigh_median_and_p90():
    assert rayleigh_percentile(1.0, 0.5) == pytest.approx(1.1774, abs=1e-4)
    assert rayleigh_percentile(1.0, 0.9) == pytest.approx(2.1460, abs=1e-4)


def test_no_radome_slope_no_radome_term():
    plain = HomingLoop(2_000.0, 5.0, 4.0, 0.3, glint_m=1.0)
    assert HomingLoop(
        2_000.0, 5.0, 4.0, 0.3, glint_m=1.0, turning_time_constant_s=3.0, missile_speed_mps=900.0
    ).miss_sigma_m() == pytest.approx(plain.miss_sigma_m(), rel=1e-12)
    assert HomingLoop(
        2_000.0,
        5.0,
        4.0,
        0.3,
        glint_m=1.0,
        radome_slope=-0.02,
        turning_time_constant_s=0.6,
        missile_speed_mps=1_500.0,
    ).miss_sigma_m() != pytest.approx(plain.miss_sigma_m(), rel=0.01)
