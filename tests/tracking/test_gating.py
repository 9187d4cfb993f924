"""Chi-square gating: the k-d tree pre-gate loses no pair; the gate holds its probability."""

import numpy as np
import pytest
from scipy.stats import chi2

from iadsim.tracking.gating import gate_pairs, gate_threshold


def _scene(rng, n_tracks, n_dets):
    tracks = rng.uniform(-50e3, 50e3, (n_tracks, 3))
    A = rng.normal(size=(n_tracks, 3, 3)) * 300.0
    P = A @ np.swapaxes(A, 1, 2) + np.eye(3) * 100.0**2
    dets = np.concatenate(
        [
            tracks[: n_dets // 2] + rng.normal(size=(n_dets // 2, 3)) * 800.0,
            rng.uniform(-50e3, 50e3, (n_dets - n_dets // 2, 3)),
        ]
    )
    B = rng.normal(size=(n_dets, 3, 3)) * 100.0
    R = B @ np.swapaxes(B, 1, 2) + np.diag([50.0, 600.0, 900.0]) ** 2
    return tracks, P, dets, R


@pytest.mark.parametrize(("n_tracks", "n_dets"), [(20, 30), (400, 500)])
def test_gate_pairs_equal_the_brute_force_mahalanobis_test(n_tracks, n_dets):
    rng = np.random.default_rng(n_tracks)
    tracks, P, dets, R = _scene(rng, n_tracks, n_dets)
    gate = gate_threshold(0.999, 3)
    pairs = gate_pairs(tracks, P, dets, R, gate)
    # brute force over every pair with a generic solver
    nu = dets[None, :, :] - tracks[:, None, :]
    S = P[:, None] + R[None, :]
    d2 = np.einsum("tdi,tdi->td", nu, np.linalg.solve(S, nu[..., None])[..., 0])
    expected = set(zip(*np.nonzero(d2 <= gate), strict=True))
    got = set(zip(pairs.track.tolist(), pairs.detection.tolist(), strict=True))
    assert got == expected
    assert len(expected) > n_tracks // 4
    np.testing.assert_allclose(pairs.distance2, d2[pairs.track, pairs.detection], rtol=1e-9)
    np.testing.assert_allclose(
        pairs.log_det_s, np.linalg.slogdet(S[pairs.track, pairs.detection])[1], rtol=1e-9
    )


def test_true_detections_fall_in_the_gate_with_the_gate_probability():
    rng = np.random.default_rng(0)
    n = 20_000
    P = np.diag([200.0, 300.0, 100.0]) ** 2
    R = np.diag([50.0, 400.0, 250.0]) ** 2
    track_error = rng.multivariate_normal(np.zeros(3), P, n)
    det_error = rng.multivariate_normal(np.zeros(3), R, n)
    probability = 0.99
    gate = gate_threshold(probability, 3)
    assert gate == pytest.approx(chi2.ppf(0.99, 3))
    # each track-detection pair sits at its own place, far from the others
    offset = np.zeros((n, 3))
    offset[:, 0] = np.arange(n) * 1e6
    pairs = gate_pairs(
        offset + track_error,
        np.broadcast_to(P, (n, 3, 3)),
        offset + det_error,
        np.broadcast_to(R, (n, 3, 3)),
        gate,
    )
    assert np.all(pairs.track == pairs.detection)
    inside = pairs.track.size
    fraction = inside / n
    assert abs(fraction - probability) < 4 * np.sqrt(probability * (1 - probability) / n)
