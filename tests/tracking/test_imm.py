"""IMM on track tables against FilterPy's IMMEstimator, and mode detection in a turn."""

import numpy as np
from filterpy.kalman import IMMEstimator
from filterpy.kalman import KalmanFilter as FilterPyKalman

from iadsim.tracking import models
from iadsim.tracking.imm import ImmFilter, imm_combine, imm_mix_predict, imm_update_probabilities
from iadsim.tracking.kalman import kalman_update, position_matrix
from iadsim.tracking.table import TrackTable


def test_imm_cycle_matches_filterpy_imm_estimator():
    rng = np.random.default_rng(8)
    dt = 3.0
    rates = (0.0, np.radians(5.0), -np.radians(5.0))
    noises = (1.0, 8.0, 8.0)
    Pi = np.array([[0.9, 0.05, 0.05], [0.1, 0.85, 0.05], [0.1, 0.05, 0.85]])
    Fs = np.stack([models.coordinated_turn_transition(np.array([dt]), w)[0] for w in rates])
    Qs = np.stack([models.dwna_process_noise(np.array([dt]), q)[0] for q in noises])
    H = position_matrix()
    R = np.diag([40.0, 60.0, 90.0]) ** 2
    x0 = np.array([1000.0, 2000.0, 5000.0, 150.0, 60.0, 0.0])
    P0 = np.diag([100.0, 100.0, 100.0, 50.0, 50.0, 10.0]) ** 2
    mu0 = np.array([0.6, 0.3, 0.1])

    filters = []
    for F, Q in zip(Fs, Qs, strict=True):
        kf = FilterPyKalman(dim_x=6, dim_z=3)
        kf.x, kf.P, kf.F, kf.Q, kf.H, kf.R = x0.copy(), P0.copy(), F, Q, H, R
        filters.append(kf)
    ref = IMMEstimator(filters, mu0.copy(), Pi)

    xs = np.tile(x0, (1, 3, 1))
    Ps = np.tile(P0, (1, 3, 1, 1))
    mu = mu0[None].copy()
    truth = x0.copy()
    for _ in range(8):
        truth = Fs[1] @ truth
        z = truth[:3] + rng.normal(size=3) * [40.0, 60.0, 90.0]
        ref.predict()
        ref.update(z)
        xs, Ps, mu_pred = imm_mix_predict(xs, Ps, mu, Pi, Fs[None], Qs[None])
        result = kalman_update(xs.reshape(3, 6), Ps.reshape(3, 6, 6), np.tile(z, (3, 1)), R, H)
        xs, Ps = result.state.reshape(1, 3, 6), result.covariance.reshape(1, 3, 6, 6)
        mu = imm_update_probabilities(mu_pred, result.log_likelihood.reshape(1, 3))
        x, P = imm_combine(xs, Ps, mu)
        np.testing.assert_allclose(mu[0], ref.mu, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(x[0], ref.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(P[0], ref.P, rtol=1e-9, atol=1e-9)
        for j in range(3):
            np.testing.assert_allclose(xs[0, j], filters[j].x, rtol=1e-9, atol=1e-9)


def test_imm_filter_on_a_table_switches_to_the_turn_model_in_a_turn():
    rng = np.random.default_rng(3)
    imm = ImmFilter.cv_and_turns(process_noise_mps2=5.0, turn_rate_radps=np.radians(4.0))
    table = TrackTable(4)
    imm.prepare(table)
    slots = table.allocate(2, 0.0)
    # track 0 flies straight, track 1 turns left at 4 deg/s
    truth = np.array([[0, 0, 8000, 250, 0, 0], [0, 0, 8000, 250, 0, 0]], dtype=float)
    R = np.tile(np.eye(3) * 30.0**2, (2, 1, 1))
    imm.initiate(table, slots, truth[:, :3], R)
    F_cv = models.constant_velocity_transition(np.array([2.0]))[0]
    F_turn = models.coordinated_turn_transition(np.array([2.0]), np.radians(4.0))[0]
    for k in range(1, 20):
        truth = np.stack([F_cv @ truth[0], F_turn @ truth[1]])
        imm.predict(table, slots, 2.0 * k)
        imm.update(table, slots, truth[:, :3] + rng.normal(size=(2, 3)) * 30.0, R)
    mu = table.extra["imm_probability"][slots]
    assert mu[0, 0] > 0.7  # straight flight: constant-velocity mode
    assert mu[1, 1] > 0.7  # left turn: the +omega coordinated-turn mode
    speed_error = np.hypot(*table.state[slots[1], 3:5]) - 250.0
    assert abs(speed_error) < 15.0


def test_imm_cycle_with_a_ballistic_mode_matches_filterpy_with_gravity_as_control_input():
    """Mixing with a free-fall model: FilterPy's IMMEstimator with ``B u`` (``u = -g``) on
    the ballistic filter only, on a hand-made falling target."""
    rng = np.random.default_rng(21)
    dt, g = 2.0, models.STANDARD_GRAVITY_MPS2
    imm = ImmFilter.cv_turns_and_ballistic(
        process_noise_mps2=15.0, turn_rate_radps=np.radians(6.0), ballistic_noise_mps2=20.0
    )
    F, Q = imm.transitions(np.array([dt]))
    u = imm.inputs(np.array([dt]))
    Pi = np.array(
        [[0.91, 0.03, 0.03, 0.03], [0.05, 0.85, 0.05, 0.05], [0.05, 0.05, 0.85, 0.05],
         [0.02, 0.02, 0.02, 0.94]]
    )  # fmt: skip
    H = position_matrix()
    R = np.diag([50.0, 50.0, 80.0]) ** 2
    x0 = np.array([0.0, 80e3, 40e3, 0.0, -1800.0, -600.0])
    P0 = np.diag([200.0, 200.0, 300.0, 400.0, 400.0, 400.0]) ** 2
    mu0 = np.array(imm.initial_probabilities)
    B = np.array([0.0, 0.0, 0.5 * dt**2, 0.0, 0.0, dt])[:, None]
    filters = []
    for j in range(4):
        kf = FilterPyKalman(dim_x=6, dim_z=3, dim_u=1)
        kf.x, kf.P, kf.F, kf.Q, kf.H, kf.R = x0.copy(), P0.copy(), F[0, j], Q[0, j], H, R
        kf.B = B if j == 3 else np.zeros((6, 1))
        filters.append(kf)
    ref = IMMEstimator(filters, mu0.copy(), Pi)

    xs, Ps, mu = np.tile(x0, (1, 4, 1)), np.tile(P0, (1, 4, 1, 1)), mu0[None].copy()
    truth = x0.copy()
    for _ in range(10):
        truth = F[0, 0] @ truth + u[0, 3]  # free fall
        z = truth[:3] + rng.normal(size=3) * [50.0, 50.0, 80.0]
        ref.predict(u=np.array([-g]))
        ref.update(z)
        xs, Ps, mu_pred = imm_mix_predict(xs, Ps, mu, Pi, F, Q, u)
        result = kalman_update(xs.reshape(4, 6), Ps.reshape(4, 6, 6), np.tile(z, (4, 1)), R, H)
        xs, Ps = result.state.reshape(1, 4, 6), result.covariance.reshape(1, 4, 6, 6)
        mu = imm_update_probabilities(mu_pred, result.log_likelihood.reshape(1, 4))
        x, P = imm_combine(xs, Ps, mu)
        np.testing.assert_allclose(mu[0], ref.mu, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(x[0], ref.x, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(P[0], ref.P, rtol=1e-9, atol=1e-6)
    assert ref.mu[3] > 0.5  # the falling target is recognised as ballistic


def _track_a_fall(imm: ImmFilter, seconds: int, dt: float = 4.0):
    """A missile falling from 50 km at 2 km/s on a 35 deg dive (flat Earth, no drag),
    detected every ``dt`` with 150 m errors; returns the final table and the truth."""
    rng = np.random.default_rng(5)
    table = TrackTable(2)
    imm.prepare(table)
    slots = table.allocate(1, 0.0)
    dive = np.radians(35.0)
    truth = np.array([0.0, 0.0, 50e3, 0.0, 2000.0 * np.cos(dive), -2000.0 * np.sin(dive)])
    R = np.eye(3)[None] * 150.0**2
    imm.initiate(table, slots, truth[None, :3], R)
    for k in range(1, int(seconds / dt) + 1):
        t = dt * k
        pos = truth[:3] + truth[3:] * t + [0.0, 0.0, -0.5 * models.STANDARD_GRAVITY_MPS2 * t**2]
        imm.predict(table, slots, t)
        imm.update(table, slots, (pos + rng.normal(size=3) * 150.0)[None], R)
    vel = truth[3:] + np.array([0.0, 0.0, -models.STANDARD_GRAVITY_MPS2 * t])
    return table, slots, pos, vel


def test_a_falling_missile_is_followed_by_the_ballistic_mode_and_predicted_better():
    """Over 40 s of free fall at 4 s looks, the ballistic model takes the track and its
    one-look prediction misses the truth by less than without that model."""
    args = {"process_noise_mps2": 15.0, "turn_rate_radps": np.radians(6.0)}
    with_fall = ImmFilter.cv_turns_and_ballistic(**args, initial_speed_std_mps=1000.0)
    without = ImmFilter.cv_and_turns(**args, initial_speed_std_mps=1000.0)
    errors, ballistic_probability = [], []
    for imm in (with_fall, without):
        table, slots, pos, vel = _track_a_fall(imm, 40)
        ballistic_probability.append(table.extra["imm_probability"][slots[0], -1])
        imm.predict(table, slots, 44.0)  # the next look, 4 s ahead
        g = models.STANDARD_GRAVITY_MPS2
        ahead = pos + vel * 4.0 + [0.0, 0.0, -0.5 * g * 16.0]
        errors.append(np.linalg.norm(table.state[slots[0], :3] - ahead))
    assert ballistic_probability[0] > 0.5
    assert errors[0] < 0.7 * errors[1]
