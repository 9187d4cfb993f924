"""Detection statistics: exact Swerling Pd against independent SciPy forms and Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from iadsim.sensors.detection import (
    detection_threshold,
    pd,
    pd_from_snr_linear,
    pd_one_look,
    pd_shnidman,
    required_snr_db,
    required_snr_db_shnidman,
)

ALL_CASES = (0, 1, 2, 3, 4)


def _threshold(pfa: float, n: int) -> float:
    """Noise-only integrated statistic is Gamma(N, 1): invert with scipy.stats."""
    return float(stats.gamma.isf(pfa, a=n))


def test_threshold_matches_gamma_noise_statistic() -> None:
    for n in (1, 4, 30):
        for pfa in (1e-3, 1e-6, 1e-10):
            assert detection_threshold(pfa, n) == pytest.approx(_threshold(pfa, n), rel=1e-10)


def test_steady_single_pulse_matches_rice_distribution() -> None:
    # One complex sample, noise variance 1/2 per quadrature: the envelope is Rician with
    # b = sqrt(chi)/sigma; square-law threshold T on |x|^2 is sqrt(T) on the envelope.
    sigma = np.sqrt(0.5)
    for pfa in (1e-4, 1e-8):
        threshold = -np.log(pfa)
        for snr_db in (0.0, 8.0, 13.0, 17.0):
            chi = 10 ** (snr_db / 10)
            expected = stats.rice.sf(np.sqrt(threshold) / sigma, np.sqrt(chi) / sigma)
            assert pd(snr_db, pfa) == pytest.approx(expected, rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("n", [1, 3, 12])
def test_swerling2_matches_gamma_survival(n: int) -> None:
    # Pulse-to-pulse exponential SNR: each pulse's power is Exp(1 + chi), the sum Gamma.
    snr_db = np.array([-5.0, 3.0, 10.0, 20.0])
    chi = 10 ** (snr_db / 10)
    expected = stats.gamma.sf(_threshold(1e-6, n), a=n, scale=1.0 + chi)
    np.testing.assert_allclose(pd(snr_db, 1e-6, n, 2), expected, rtol=1e-9)


@pytest.mark.parametrize(("case", "n"), [(1, 1), (1, 2), (1, 7), (3, 1), (3, 2), (3, 3), (3, 9)])
def test_scan_to_scan_cases_match_numerical_average_of_marcum(case: int, n: int) -> None:
    # Independent route: average the steady-target Pd (non-central chi-square) over the
    # exponential (Swerling 1) or chi-square-4 (Swerling 3) law of the SNR with quad.
    pfa = 1e-6
    threshold = _threshold(pfa, n)
    for snr_db in (0.0, 7.0, 14.0):
        chi = 10 ** (snr_db / 10)
        density = stats.expon(scale=chi) if case == 1 else stats.gamma(a=2.0, scale=chi / 2.0)
        expected, _ = integrate.quad(
            lambda s, threshold=threshold, density=density: (
                stats.ncx2.sf(2 * threshold, 2 * n, 2 * n * s) * density.pdf(s)
            ),
            0.0,
            np.inf,
            limit=200,
        )
        assert pd(snr_db, pfa, n, case) == pytest.approx(expected, rel=1e-6, abs=1e-10)


def test_single_pulse_swerling1_is_exponential_survival() -> None:
    # |x|^2 is exponential with mean 1 + chi when the amplitude is Rayleigh.
    chi = np.array([0.1, 1.0, 10.0, 100.0])
    threshold = -np.log(1e-5)
    expected = stats.expon.sf(threshold, scale=1.0 + chi)
    np.testing.assert_allclose(pd_from_snr_linear(chi, 1e-5, 1, 1), expected, rtol=1e-12)


def test_single_pulse_cases_coincide_by_fluctuation_law() -> None:
    # With one pulse scan-to-scan and pulse-to-pulse models are the same law.
    snr_db = np.linspace(-5.0, 30.0, 15)
    np.testing.assert_allclose(pd(snr_db, 1e-6, 1, 1), pd(snr_db, 1e-6, 1, 2), rtol=1e-12)
    np.testing.assert_allclose(pd(snr_db, 1e-6, 1, 3), pd(snr_db, 1e-6, 1, 4), rtol=1e-12)


def _monte_carlo_pd(
    case: int, snr_db: float, pfa: float, n: int, rng: np.random.Generator, trials: int
) -> float:
    """Raw complex-Gaussian simulation of the square-law integrator for a Swerling target."""
    chi = 10 ** (snr_db / 10)
    if case == 0:
        power = np.full((trials, 1), chi)
    elif case == 1:
        power = rng.exponential(chi, (trials, 1))
    elif case == 2:
        power = rng.exponential(chi, (trials, n))
    elif case == 3:
        power = rng.gamma(2.0, chi / 2.0, (trials, 1))
    else:
        power = rng.gamma(2.0, chi / 2.0, (trials, n))
    phase = rng.uniform(0.0, 2 * np.pi, power.shape)
    signal = np.sqrt(power) * np.exp(1j * phase)
    noise = (rng.standard_normal((trials, n)) + 1j * rng.standard_normal((trials, n))) / np.sqrt(2)
    statistic = np.sum(np.abs(signal + noise) ** 2, axis=1)
    return float(np.mean(statistic > _threshold(pfa, n)))


@pytest.mark.parametrize("case", ALL_CASES)
def test_pd_agrees_with_monte_carlo_within_binomial_error(case: int) -> None:
    rng = np.random.default_rng(1000 + case)
    trials = 100_000
    for n, snr_db in ((1, 12.0), (4, 6.0)):
        estimate = _monte_carlo_pd(case, snr_db, 1e-3, n, rng, trials)
        exact = float(pd(snr_db, 1e-3, n, case))
        standard_error = np.sqrt(exact * (1 - exact) / trials)
        assert abs(estimate - exact) < 4.5 * standard_error + 1e-4


@pytest.mark.parametrize("case", ALL_CASES)
def test_pd_tends_to_pfa_without_signal_and_to_one_with_strong_signal(case: int) -> None:
    # Large N at tiny SNR exercises the underflow-safe incomplete-gamma logarithm.
    for n in (1, 5, 40, 100, 1000):
        for pfa in (1e-3, 1e-8):
            assert pd(-60.0, pfa, n, case) == pytest.approx(pfa, rel=2e-3)
            assert pd(-55.0, pfa, n, case) == pytest.approx(pfa, rel=1e-2)
        assert pd(60.0, 1e-6, n, case) > 0.999


@pytest.mark.parametrize("case", ALL_CASES)
def test_pd_increases_with_snr_and_with_pulses(case: int) -> None:
    snr_db = np.linspace(-10.0, 35.0, 181)
    values = pd(snr_db, 1e-6, 6, case)
    assert np.all(np.diff(values) >= -1e-15)
    assert np.all(pd(5.0, 1e-6, np.array([1, 2, 5, 10, 50]), case)[1:] >= pd(5.0, 1e-6, 1, case))


def test_pd_broadcasts_inputs_and_returns_float64() -> None:
    snr_db = np.linspace(0.0, 20.0, 5)[:, None]
    pfa = np.array([1e-4, 1e-6, 1e-8])
    for case in ALL_CASES:
        out = pd(snr_db, pfa, 3, case)
        assert out.shape == (5, 3)
        assert out.dtype == np.float64
    mixed = pd(10.0, 1e-6, np.array([1, 4, 9]), 4)
    single = [float(pd(10.0, 1e-6, n, 4)) for n in (1, 4, 9)]
    np.testing.assert_allclose(mixed, single, rtol=1e-12)


def test_unknown_swerling_case_is_rejected() -> None:
    with pytest.raises(ValueError, match="swerling"):
        pd(10.0, 1e-6, 1, 5)


@pytest.mark.parametrize("case", ALL_CASES)
def test_required_snr_round_trips_through_pd(case: int) -> None:
    pd_target = np.array([0.1, 0.5, 0.9, 0.99])[:, None, None]
    pfa = np.array([1e-3, 1e-8])[None, :, None]
    n = np.array([1, 3, 10, 50])[None, None, :]
    snr_db = required_snr_db(pd_target, pfa, n, case)
    assert np.all(np.isfinite(snr_db))
    np.testing.assert_allclose(
        pd(snr_db, pfa, n, case), np.broadcast_to(pd_target, snr_db.shape), rtol=1e-9
    )


def test_required_snr_closed_forms_match_scipy_inverses() -> None:
    # Swerling 2: T / (1 + chi) must be the Gamma(N) upper quantile of Pd.
    for n in (1, 8):
        chi = _threshold(1e-6, n) / stats.gamma.isf(0.8, a=n) - 1
        assert required_snr_db(0.8, 1e-6, n, 2) == pytest.approx(10 * np.log10(chi), abs=1e-9)
    # Swerling 1, one pulse: Pd = Pfa^(1/(1+chi)) solved by hand.
    assert required_snr_db(0.9, 1e-6, 1, 1) == pytest.approx(
        10 * np.log10(np.log(1e-6) / np.log(0.9) - 1), abs=1e-12
    )


def test_required_snr_is_nan_when_pd_not_above_pfa() -> None:
    for case in ALL_CASES:
        assert np.isnan(required_snr_db(1e-7, 1e-6, 2, case))


def test_shnidman_pd_inverts_shnidman_required_snr() -> None:
    for case in ALL_CASES:
        pd_target = np.array([0.2, 0.5, 0.8, 0.95])
        snr_db = required_snr_db_shnidman(pd_target, 1e-6, 5, case)
        np.testing.assert_allclose(pd_shnidman(snr_db, 1e-6, 5, case), pd_target, atol=2e-6)


def test_swerling1_single_look_is_the_exponential_survival_function() -> None:
    # One look at an exponentially fluctuating SNR: Pd = P(y > T), y ~ Exp(1 + snr),
    # T = -ln(Pfa) (Richards 2014, eq. 6.56).
    rng = np.random.default_rng(7)
    snr = rng.lognormal(0.0, 2.0, 2000)
    pfa = 1e-6
    np.testing.assert_allclose(
        pd_from_snr_linear(snr, pfa, 1, 1),
        stats.expon.sf(-np.log(pfa), scale=1 + snr),
        rtol=1e-12,
    )


def test_scalar_pfa_single_pulse_swerling1_equals_the_broadcast_form_to_the_bit() -> None:
    # The shortcut for a scalar Pfa and one pulse skips broadcasting, not any operation.
    rng = np.random.default_rng(3)
    snr = rng.lognormal(0.0, 2.0, 500)
    pfa = 1e-6
    broadcast = np.exp(np.log(np.full(snr.shape, pfa)) / (1.0 + snr))
    np.testing.assert_array_equal(pd_from_snr_linear(snr, pfa, 1, 1), broadcast)
    np.testing.assert_array_equal(pd_from_snr_linear(snr, np.full(snr.shape, pfa), 1, 1), broadcast)


@pytest.mark.parametrize("case", [1, 3])
def test_the_one_pulse_paths_give_the_general_paths_values_to_the_bit(case: int) -> None:
    snr = 10.0 ** (np.random.default_rng(3).uniform(-30.0, 40.0, 200) / 10.0)
    for pfa in (1e-6, 3.7e-9):
        fast = pd_from_snr_linear(snr, pfa, 1, case)
        general = pd_from_snr_linear(snr, np.full(snr.shape, pfa), 1, case)
        np.testing.assert_array_equal(fast, general)


def test_pd_one_look_of_the_linear_snr_is_pd_to_the_bit():
    # A look computes 10 ** (snr_db / 10) once for its Pd and its measurements.
    snr_db = np.random.default_rng(4).uniform(-15.0, 35.0, 300)
    for swerling in range(5):
        for pfa in (1e-6, 1e-4):
            expected = pd(snr_db, pfa, 1, swerling)
            got = pd_one_look(np.power(10.0, snr_db / 10.0), pfa, swerling)
            assert got.tobytes() == expected.tobytes()
