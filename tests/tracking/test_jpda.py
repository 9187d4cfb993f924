"""JPDA marginals against Stone Soup and brute force; PDA update against the PDAF form."""

import datetime
from itertools import product

import numpy as np
import pytest
from stonesoup.dataassociator.probability import JPDA
from stonesoup.hypothesiser.probability import PDAHypothesiser
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.models.transition.linear import (
    CombinedLinearGaussianTransitionModel,
    ConstantVelocity,
)
from stonesoup.predictor.kalman import KalmanPredictor
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.types.track import Track
from stonesoup.updater.kalman import KalmanUpdater

from iadsim.tracking.gating import gate_pairs, gate_threshold
from iadsim.tracking.jpda import JpdaTracker, enumerate_marginals, jpda_marginals, pda_update
from iadsim.tracking.kalman import kalman_update, position_matrix
from iadsim.tracking.synthetic import SyntheticScene, simulate_scans
from iadsim.tracking.tracker import GnnTracker, TrackerConfig

NOW = datetime.datetime(2024, 1, 1)


def _brute_force(track, det, weight, miss_weight):
    n_tracks = miss_weight.size
    options = [[-1, *np.flatnonzero(track == t).tolist()] for t in range(n_tracks)]
    beta_pairs, beta_miss, total = np.zeros(track.size), np.zeros(n_tracks), 0.0
    for event in product(*options):
        used = [det[k] for k in event if k >= 0]
        if len(used) != len(set(used)):
            continue
        p = np.prod([weight[k] if k >= 0 else miss_weight[t] for t, k in enumerate(event)])
        total += p
        for t, k in enumerate(event):
            if k >= 0:
                beta_pairs[k] += p
            else:
                beta_miss[t] += p
    return beta_pairs / total, beta_miss / total


@pytest.mark.parametrize("seed", range(10))
def test_vectorised_enumeration_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_tracks, n_dets = rng.integers(2, 6), rng.integers(1, 7)
    gated = rng.random((n_tracks, n_dets)) < 0.6
    track, det = np.nonzero(gated)
    weight = rng.uniform(0.1, 50.0, track.size)
    miss = rng.uniform(0.05, 0.3, n_tracks)
    beta_pairs, beta_miss = enumerate_marginals(track, det, weight, miss, 10**6)
    ref_pairs, ref_miss = _brute_force(track, det, weight, miss)
    np.testing.assert_allclose(beta_pairs, ref_pairs, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(beta_miss, ref_miss, rtol=1e-12, atol=1e-15)
    assert enumerate_marginals(track, det, weight, miss, 1) is None or track.size == 0


def test_jpda_marginals_match_stone_soup_jpda():
    rng = np.random.default_rng(3)
    pd, pg, clutter = 0.9, 0.99, 1e-9
    R = np.diag([120.0, 90.0, 60.0]) ** 2
    means = np.array([[0.0, 0.0, 0.0], [400.0, 100.0, 50.0], [150.0, 500.0, -80.0]])
    covs = np.stack([np.diag([200.0, 250.0, 150.0]) ** 2] * 3)
    dets = np.concatenate([means + rng.normal(0, 150, (3, 3)), rng.uniform(-300, 700, (3, 3))])

    transition = CombinedLinearGaussianTransitionModel([ConstantVelocity(1.0)] * 3)
    model = LinearGaussian(ndim_state=6, mapping=(0, 2, 4), noise_covar=R)
    hypothesiser = PDAHypothesiser(
        KalmanPredictor(transition),
        KalmanUpdater(model),
        clutter_spatial_density=clutter,
        prob_detect=pd,
        prob_gate=pg,
    )
    tracks = []
    for mean, cov in zip(means, covs, strict=True):
        full = np.diag([0.0, 100.0, 0.0, 100.0, 0.0, 100.0]) ** 2
        full[np.ix_((0, 2, 4), (0, 2, 4))] = cov
        state = np.zeros(6)
        state[[0, 2, 4]] = mean
        tracks.append(Track([GaussianState(state.reshape(-1, 1), full, timestamp=NOW)]))
    detections = [Detection(d.reshape(-1, 1), timestamp=NOW, measurement_model=model) for d in dets]
    result = JPDA(hypothesiser).associate(set(tracks), set(detections), NOW)

    pairs = gate_pairs(means, covs, dets, np.broadcast_to(R, (6, 3, 3)), gate_threshold(pg))
    beta_pairs, beta_miss = jpda_marginals(pairs, 3, 6, pd, pg, clutter)
    assert pairs.track.size >= 5
    for t, track in enumerate(tracks):
        for hypothesis in result[track]:
            probability = float(hypothesis.probability)
            if not hypothesis:
                assert beta_miss[t] == pytest.approx(probability, rel=1e-9)
                continue
            j = detections.index(hypothesis.measurement)
            k = np.flatnonzero((pairs.track == t) & (pairs.detection == j))
            assert k.size == 1
            assert beta_pairs[k[0]] == pytest.approx(probability, rel=1e-9, abs=1e-300)


def test_pda_update_equals_the_pdaf_spread_of_innovations_form():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 6)) * 100
    A = rng.normal(size=(6, 6))
    P = (A @ A.T * 400.0 + np.eye(6) * 100.0)[None]
    R = np.diag([50.0, 60.0, 70.0]) ** 2
    z = x[0, :3] + rng.normal(size=(3, 3)) * 100
    beta = np.array([0.5, 0.2, 0.1])
    beta0 = np.array([0.2])
    x_new, P_new = pda_update(
        x, P, np.zeros(3, dtype=int), z, np.broadcast_to(R, (3, 3, 3)), beta, beta0
    )
    # BLK 2001 eq. 3.4.2-7 ... 3.4.2-10
    H = position_matrix()
    S = H @ P[0] @ H.T + R
    K = P[0] @ H.T @ np.linalg.inv(S)
    nu = z - x[0, :3]
    nu_c = beta @ nu
    spread = (beta[:, None, None] * nu[:, :, None] * nu[:, None, :]).sum(0) - np.outer(nu_c, nu_c)
    P_c = P[0] - K @ S @ K.T
    expected_P = beta0[0] * P[0] + (1 - beta0[0]) * P_c + K @ spread @ K.T
    np.testing.assert_allclose(x_new[0], x[0] + K @ nu_c, rtol=1e-9)
    np.testing.assert_allclose(P_new[0], expected_P, rtol=1e-8, atol=1e-6)
    # with one certain detection PDA is the Kalman update
    single = pda_update(x, P, np.zeros(1, dtype=int), z[:1], R[None], np.ones(1), np.zeros(1))
    kf = kalman_update(x, P, z[:1], R[None], H)
    np.testing.assert_allclose(single[0], kf.state, rtol=1e-12)


def test_jpda_tracker_holds_targets_in_dense_clutter():
    scene = SyntheticScene(
        n_targets=12,
        n_scans=25,
        clutter_per_scan=300,
        scan_period_s=4.0,
        extent_m=(40e3, 40e3, 10e3),
    )
    scans = simulate_scans(scene, np.random.default_rng(4))
    volume = 80e3 * 80e3 * 10e3
    config = TrackerConfig(
        process_noise_mps2=2.0, clutter_density_per_m3=300 / volume, confirm_m=3, confirm_n=4
    )
    errors = {}
    for name, tracker in (("jpda", JpdaTracker(config)), ("gnn", GnnTracker(config))):
        table = tracker.new_table(64)
        for scan in scans:
            tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
        live = table.active_slots()
        confirmed = live[table.confirmed[live]]
        gap = np.linalg.norm(table.state[confirmed, None, :3] - scans[-1].truth_m[None], axis=-1)
        errors[name] = gap.min(axis=0)
    assert np.all(errors["jpda"] < 600.0)  # every target held
    assert np.median(errors["jpda"]) < 200.0


def test_clusters_over_the_cap_fall_back_to_independent_pda():
    rng = np.random.default_rng(2)
    means = np.array([[0.0, 0.0, 0.0], [300.0, 0.0, 0.0]])
    covs = np.broadcast_to(np.eye(3) * 200.0**2, (2, 3, 3))
    dets = rng.uniform(-200, 500, (4, 3))
    R = np.broadcast_to(np.eye(3) * 100.0**2, (4, 3, 3))
    pairs = gate_pairs(means, covs, dets, R, gate_threshold(0.99))
    exact = jpda_marginals(pairs, 2, 4, 0.9, 0.99, 1e-10)
    capped = jpda_marginals(pairs, 2, 4, 0.9, 0.99, 1e-10, max_hypotheses=2)
    # independent PDA: β_tj = w_tj / (1 − Pd Pg + Σ_j w_tj) per track
    log_gauss = -0.5 * (pairs.distance2 + pairs.log_det_s + 3 * np.log(2 * np.pi))
    w = 0.9 * np.exp(log_gauss) / 1e-10
    total = 1 - 0.9 * 0.99 + np.bincount(pairs.track, weights=w, minlength=2)
    np.testing.assert_allclose(capped[0], w / total[pairs.track], rtol=1e-12)
    assert not np.allclose(exact[0], capped[0])  # the exclusion constraint matters here
    np.testing.assert_allclose(
        exact[1] + np.bincount(pairs.track, weights=exact[0], minlength=2), 1.0, rtol=1e-12
    )
