"""Track-to-track fusion: covariance intersection and gated, hysteretic correlation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import chi2
from stonesoup.types.state import GaussianState
from stonesoup.updater.chernoff import CovarianceIntersection

from iadsim.tracking.fusion import correlate, covariance_intersection, position_distance2


def random_spd(rng: np.random.Generator, n: int, d: int, scale: float = 1.0) -> np.ndarray:
    """``n`` random symmetric positive-definite ``d x d`` matrices, eigenvalues spread ~1e3."""
    q, _ = np.linalg.qr(rng.standard_normal((n, d, d)))
    eig = scale * 10.0 ** rng.uniform(-1.5, 1.5, (n, d))
    return np.einsum("nij,nj,nkj->nik", q, eig, q)


# --- covariance intersection --------------------------------------------------------------


def test_ci_in_one_dimension_keeps_the_more_certain_estimate():
    # 1-D closed form: 1/P(w) = w/a + (1-w)/b is linear in w, so the least P is at an end:
    # the smaller variance wins outright (Julier & Uhlmann 1997).
    a = np.array([1.0, 4.0, 2.0, 9.0])
    b = np.array([3.0, 2.0, 2.5, 1.0])
    x_a = np.array([[1.0], [2.0], [3.0], [4.0]])
    x_b = np.array([[-1.0], [0.0], [5.0], [7.0]])
    x, P, omega = covariance_intersection(x_a, a[:, None, None], x_b, b[:, None, None])
    a_wins = a < b
    np.testing.assert_allclose(omega, np.where(a_wins, 1.0, 0.0))
    np.testing.assert_allclose(P[:, 0, 0], np.minimum(a, b))
    np.testing.assert_allclose(x[:, 0], np.where(a_wins, x_a[:, 0], x_b[:, 0]))


def test_ci_with_diagonal_covariances_matches_the_closed_form_optimum():
    # tr P(w) = sum_i 1 / (w u_i + v_i), u_i = 1/a_i - 1/b_i, v_i = 1/b_i. With u_1 > 0 > u_2
    # the stationary point solves sqrt(u_1) (w u_2 + v_2) = sqrt(-u_2) (w u_1 + v_1).
    a = np.array([[1.0, 10.0], [2.0, 50.0], [0.5, 3.0]])
    b = np.array([[8.0, 2.0], [20.0, 4.0], [1.0, 1.5]])
    u, v = 1.0 / a - 1.0 / b, 1.0 / b
    s1, s2 = np.sqrt(u[:, 0]), np.sqrt(-u[:, 1])
    expected = (s2 * v[:, 0] - s1 * v[:, 1]) / (s1 * u[:, 1] - s2 * u[:, 0])
    assert np.all((expected > 0) & (expected < 1))
    zeros = np.zeros((3, 2))
    _, P, omega = covariance_intersection(
        zeros, np.einsum("ni,ij->nij", a, np.eye(2)), zeros, np.einsum("ni,ij->nij", b, np.eye(2))
    )
    np.testing.assert_allclose(omega, expected, atol=1e-6)
    np.testing.assert_allclose(np.diagonal(P, axis1=1, axis2=2), 1.0 / (expected[:, None] * u + v))


def test_ci_finds_the_least_trace_of_a_brute_force_omega_search():
    rng = np.random.default_rng(11)
    n, d = 40, 6
    P_a, P_b = random_spd(rng, n, d), random_spd(rng, n, d, scale=3.0)
    x_a, x_b = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    x, P, omega = covariance_intersection(x_a, P_a, x_b, P_b)
    grid = np.linspace(0.0, 1.0, 2001)[:, None, None]
    for k in range(n):
        # Brute force: the fused covariance by plain inversion at every grid weight.
        info = grid * np.linalg.inv(P_a[k]) + (1.0 - grid) * np.linalg.inv(P_b[k])
        traces = np.trace(np.linalg.inv(info), axis1=1, axis2=2)
        assert np.trace(P[k]) <= traces.min() * (1 + 1e-9)
        assert abs(omega[k] - grid[np.argmin(traces), 0, 0]) < 2e-3
        # The same weight in Stone Soup's CI gives the same estimate and covariance.
        a = GaussianState(x_a[k][:, None], P_a[k])
        b = GaussianState(x_b[k][:, None], P_b[k])
        merged = CovarianceIntersection.merge_components(a, b, weights=[omega[k], 1 - omega[k]])
        np.testing.assert_allclose(x[k], np.asarray(merged.state_vector).ravel(), atol=1e-8)
        np.testing.assert_allclose(P[k], merged.covar, rtol=1e-8, atol=1e-10)


def joint_covariances(rng, n, d, rho):
    """Error covariances of two estimates with cross-covariance ``C = rho P_a^1/2 (P_b^1/2)^T``."""
    P_a, P_b = random_spd(rng, n, d), random_spd(rng, n, d)
    L_a, L_b = np.linalg.cholesky(P_a), np.linalg.cholesky(P_b)
    C = rho * L_a @ np.swapaxes(L_b, 1, 2)
    return P_a, P_b, C


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.95])
def test_ci_covariance_bounds_the_true_error_whatever_the_correlation(rho):
    # Fused error e = K_a e_a + K_b e_b with K_a = w P Pa^-1, K_b = (1-w) P Pb^-1; its covariance
    # follows from the joint covariance exactly. CI's P must dominate it (P - Sigma >= 0).
    rng = np.random.default_rng(5)
    n, d = 200, 6
    P_a, P_b, C = joint_covariances(rng, n, d, rho)
    _, P, omega = covariance_intersection(np.zeros((n, d)), P_a, np.zeros((n, d)), P_b)
    K_a = omega[:, None, None] * P @ np.linalg.inv(P_a)
    K_b = (1.0 - omega)[:, None, None] * P @ np.linalg.inv(P_b)
    T = np.swapaxes
    sigma = (
        K_a @ P_a @ T(K_a, 1, 2)
        + K_a @ C @ T(K_b, 1, 2)
        + K_b @ T(C, 1, 2) @ T(K_a, 1, 2)
        + K_b @ P_b @ T(K_b, 1, 2)
    )
    worst = np.linalg.eigvalsh(P - sigma).min(axis=1) / np.linalg.eigvalsh(P).max(axis=1)
    assert worst.min() > -1e-9


def test_ci_is_consistent_where_the_naive_kalman_fusion_double_counts():
    # Monte Carlo NEES with strongly correlated errors (rho = 0.9): the CI estimate's mean
    # NEES stays at or under the dimension; the fusion that assumes independence, P =
    # (Pa^-1 + Pb^-1)^-1, overstates its accuracy and its NEES exceeds the chi-square bound.
    rng = np.random.default_rng(21)
    d, runs = 6, 4000
    P_a, P_b, C = joint_covariances(rng, 1, d, 0.9)
    joint = np.block([[P_a[0], C[0]], [C[0].T, P_b[0]]])
    errors = rng.multivariate_normal(np.zeros(2 * d), joint, size=runs)
    e_a, e_b = errors[:, :d], errors[:, d:]
    x, P, _ = covariance_intersection(
        e_a, np.repeat(P_a, runs, 0), e_b, np.repeat(P_b, runs, 0)
    )  # truth is 0, so the estimates are the errors
    nees_ci = np.einsum("ni,ij,nj->n", x, np.linalg.inv(P[0]), x)
    info = np.linalg.inv(P_a[0]) + np.linalg.inv(P_b[0])
    naive = np.linalg.solve(info, (np.linalg.inv(P_a[0]) @ e_a.T + np.linalg.inv(P_b[0]) @ e_b.T))
    nees_naive = np.einsum("in,ij,jn->n", naive, info, naive)
    upper = chi2.ppf(0.999, runs * d) / runs  # two-sided 99.8 % bound on the mean NEES
    assert nees_ci.mean() < upper
    assert nees_naive.mean() > upper


def test_ci_of_no_pairs_is_empty():
    x, P, omega = covariance_intersection(np.empty((0, 6)), np.empty((0, 6, 6)),
                                          np.empty((0, 6)), np.empty((0, 6, 6)))  # fmt: skip
    assert x.shape == (0, 6) and P.shape == (0, 6, 6) and omega.shape == (0,)


# --- correlation ------------------------------------------------------------------------


def tracks(positions, sigma_m=100.0, velocities=None, sigma_v=10.0):
    positions = np.asarray(positions, dtype=float)
    n = len(positions)
    velocities = np.zeros((n, 3)) if velocities is None else np.asarray(velocities, float)
    cov = np.zeros((n, 6, 6))
    cov[:, :3, :3] = np.eye(3) * sigma_m**2
    cov[:, 3:, 3:] = np.eye(3) * sigma_v**2
    return np.hstack([positions, velocities]), cov


def brute_force(d2: np.ndarray, gate: float) -> tuple[int, float]:
    """Largest number of gated one-to-one pairs, and the least total d² among those."""
    n_a, n_b = d2.shape
    best = (0, 0.0)
    for k in range(1, min(n_a, n_b) + 1):
        for rows in itertools.combinations(range(n_a), k):
            for cols in itertools.permutations(range(n_b), k):
                costs = d2[list(rows), list(cols)]
                if np.all(costs <= gate):
                    total = float(costs.sum())
                    if k > best[0] or (k == best[0] and total < best[1]):
                        best = (k, total)
    return best


def test_correlation_matches_a_brute_force_assignment():
    rng = np.random.default_rng(3)
    gate = chi2.ppf(0.999, 3)
    for _ in range(30):
        n_a, n_b = rng.integers(1, 6, size=2)
        centres = rng.uniform(0, 2000.0, (max(n_a, n_b), 3))
        a, P_a = tracks(centres[:n_a] + rng.normal(0, 100.0, (n_a, 3)))
        b, P_b = tracks(centres[:n_b] + rng.normal(0, 100.0, (n_b, 3)))
        result = correlate(a, P_a, b, P_b, 0.999)
        d2 = position_distance2(a, P_a, b, P_b)
        count, total = brute_force(d2, gate)
        assert len(result.rows_a) == count
        assert result.distance2.sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
        assert len(set(result.rows_a)) == len(set(result.rows_b)) == count
        assert np.all(result.distance2 <= gate)


def test_distance_is_the_mahalanobis_distance_with_the_summed_covariance():
    a, P_a = tracks([[0.0, 0.0, 0.0]], sigma_m=300.0)
    b, P_b = tracks([[500.0, 0.0, 0.0], [0.0, 0.0, 1000.0]], sigma_m=400.0)
    np.testing.assert_allclose(
        position_distance2(a, P_a, b, P_b), [[500.0**2 / 250_000.0, 1000.0**2 / 250_000.0]]
    )


def test_an_existing_pairing_is_kept_in_the_looser_hold_gate():
    # Two tracks 1 km apart with 200 m errors: d² = 12.5 (inside the 0.999 gate, 16.3).
    a, P_a = tracks([[0.0, 0.0, 0.0]], sigma_m=200.0)
    near, P_near = tracks([[1000.0, 0.0, 0.0]], sigma_m=200.0)
    assert len(correlate(a, P_a, near, P_near, 0.999).rows_a) == 1
    # Drifted to 1.4 km (d² = 24.5): too far for a new pairing, inside the 1e-6 hold gate.
    drift, P_drift = tracks([[1400.0, 0.0, 0.0]], sigma_m=200.0)
    assert len(correlate(a, P_a, drift, P_drift, 0.999).rows_a) == 0
    kept = correlate(a, P_a, drift, P_drift, 0.999, previous_pairs=([0], [0]))
    assert kept.rows_a.tolist() == [0] and kept.kept.tolist() == [True]
    # Beyond the hold gate (2 km, d² = 50) the pairing is broken.
    far, P_far = tracks([[2000.0, 0.0, 0.0]], sigma_m=200.0)
    assert len(correlate(a, P_a, far, P_far, 0.999, previous_pairs=([0], [0])).rows_a) == 0


def test_hysteresis_keeps_the_track_numbers_when_a_swap_would_be_cheaper():
    # Two tracks pass close by each other: by distance alone the assignment would swap them;
    # the previous pairs (0-0, 1-1) are still inside the hold gate and are kept.
    a, P_a = tracks([[0.0, 0.0, 0.0], [300.0, 0.0, 0.0]], sigma_m=150.0)
    b, P_b = tracks([[320.0, 0.0, 0.0], [-20.0, 0.0, 0.0]], sigma_m=150.0)
    fresh = correlate(a, P_a, b, P_b, 0.999)
    assert fresh.rows_b.tolist() == [1, 0]  # the optimal assignment swaps
    held = correlate(a, P_a, b, P_b, 0.999, previous_pairs=([0, 1], [0, 1]))
    assert held.rows_b.tolist() == [0, 1]
    assert held.kept.all()


def test_velocity_gate_refuses_tracks_that_only_cross():
    # Same place, opposite headings at 250 m/s with 20 m/s velocity errors.
    a, P_a = tracks([[0.0, 0.0, 0.0]], velocities=[[250.0, 0.0, 0.0]], sigma_v=20.0)
    b, P_b = tracks([[50.0, 0.0, 0.0]], velocities=[[-250.0, 0.0, 0.0]], sigma_v=20.0)
    assert len(correlate(a, P_a, b, P_b, 0.999).rows_a) == 1
    assert len(correlate(a, P_a, b, P_b, 0.999, velocity_gate_probability=0.999).rows_a) == 0
    c, P_c = tracks([[50.0, 0.0, 0.0]], velocities=[[240.0, 10.0, 0.0]], sigma_v=20.0)
    assert len(correlate(a, P_a, c, P_c, 0.999, velocity_gate_probability=0.999).rows_a) == 1


def test_correlation_of_empty_lists():
    a, P_a = tracks(np.empty((0, 3)))
    b, P_b = tracks([[0.0, 0.0, 0.0]])
    result = correlate(a, P_a, b, P_b)
    assert result.rows_a.size == result.rows_b.size == 0


def _bits(array: np.ndarray) -> np.ndarray:
    return array.view(np.uint8) if array.dtype == np.float64 else array


def test_compiled_correlation_gives_its_numpy_twins_pairs_to_the_bit():
    """``correlate`` runs its gates and kept pairs in a compiled kernel; the NumPy twin
    ``correlate_reference`` must give the same arrays, bit for bit, with and without a
    velocity gate and previous pairs (some out of range)."""
    from iadsim.tracking.fusion import correlate_reference

    rng = np.random.default_rng(1)

    def make(n):
        x = rng.normal(0, 100, (n, 6))
        L = rng.normal(0, 10, (n, 6, 6))
        return x, L @ np.swapaxes(L, 1, 2) + np.eye(6)

    for _ in range(300):
        n_a, n_b = (int(v) for v in rng.integers(0, 12, 2))
        a, Pa = make(n_a)
        b = np.vstack([a, rng.normal(0, 100, (max(n_b - n_a, 0), 6))])[:n_b]
        b = b + rng.normal(0, 20, b.shape)
        _, Pb = make(n_b)
        previous = None
        if rng.random() < 0.7:
            m = min(n_a, n_b) + 2
            previous = (rng.integers(-1, n_a + 1, m), rng.integers(-1, n_b + 1, m))
        velocity_gate = 0.999 if rng.random() < 0.5 else None
        gate = float(rng.choice([0.9, 0.999]))
        compiled = correlate(a, Pa, b, Pb, gate, previous, 0.999999, velocity_gate)
        twin = correlate_reference(a, Pa, b, Pb, gate, previous, 0.999999, velocity_gate)
        for got, expected in zip(compiled, twin, strict=True):
            assert got.dtype == expected.dtype and got.shape == expected.shape
            assert np.array_equal(_bits(got), _bits(expected))


def test_compiled_omega_search_gives_its_numpy_twins_weights_to_the_bit():
    """The compiled search for covariance intersection's weight takes the same Newton steps
    as its NumPy twin, for 2 to 7 components, equal and degenerate covariances included."""
    from iadsim.tracking import fusion

    rng = np.random.default_rng(3)
    for _ in range(100):
        n, d = int(rng.integers(1, 30)), int(rng.integers(2, 8))

        def cov(n, d):
            L = rng.normal(0, 1, (n, d, d)) * 10.0 ** rng.integers(-2, 3, (n, 1, d))
            return L @ np.swapaxes(L, 1, 2) + 1e-3 * np.eye(d)

        Pa, Pb = cov(n, d), cov(n, d)
        if rng.random() < 0.2:
            Pb = Pa * rng.choice([1.0, 2.0, 0.5])
        info_a = fusion.symmetrise(np.linalg.inv(Pa))
        info_b = fusion.symmetrise(np.linalg.inv(Pb))
        modes, terms = fusion._modal_terms(info_a, info_b)
        if rng.random() < 0.1:
            modes[:, 0] = 0.0
        tolerance = float(rng.choice([1e-6, 1e-9, 1e-3]))
        with np.errstate(all="ignore"):
            twin = fusion._minimise_trace_reference(modes, terms, tolerance)
        compiled = fusion._minimise_trace(modes, terms, tolerance)
        assert np.array_equal(twin.view(np.int64), compiled.view(np.int64))
