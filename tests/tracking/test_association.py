"""GNN association by clusters equals one global assignment; clusters are components."""

import numpy as np
from scipy.optimize import linear_sum_assignment

from iadsim.tracking.association import cluster_labels, gnn_assign


def _global_cost(track, det, cost, n_tracks, n_dets, miss):
    matrix = np.full((n_tracks, n_dets + n_tracks), np.inf)
    matrix[track, det] = cost
    matrix[np.arange(n_tracks), n_dets + np.arange(n_tracks)] = miss
    rows, cols = linear_sum_assignment(matrix)
    return matrix[rows, cols].sum()


def test_clustered_gnn_reaches_the_global_optimum():
    rng = np.random.default_rng(12)
    miss = 16.0
    for _ in range(30):
        n_tracks, n_dets = rng.integers(1, 40), rng.integers(1, 40)
        dense = rng.uniform(0, 25.0, (n_tracks, n_dets))
        gated = (dense <= miss) & (rng.random((n_tracks, n_dets)) < 0.15)
        track, det = np.nonzero(gated)
        cost = dense[track, det]
        t_sel, d_sel = gnn_assign(track, det, cost, n_tracks, n_dets, miss)
        assert len(set(t_sel.tolist())) == t_sel.size
        assert len(set(d_sel.tolist())) == d_sel.size
        assert np.all(gated[t_sel, d_sel])
        ours = dense[t_sel, d_sel].sum() + miss * (n_tracks - t_sel.size)
        best = _global_cost(track, det, cost, n_tracks, n_dets, miss)
        assert np.isclose(ours, best)


def test_gnn_resolves_a_conflict_by_total_cost_not_greedily():
    # track 0 is closest to detection 0, but giving detection 0 to track 1 is cheaper overall
    track = np.array([0, 0, 1])
    det = np.array([0, 1, 0])
    cost = np.array([1.0, 2.0, 1.5])
    t_sel, d_sel = gnn_assign(track, det, cost, 2, 2, miss_cost=10.0)
    assert dict(zip(t_sel.tolist(), d_sel.tolist(), strict=True)) == {0: 1, 1: 0}


def test_cluster_labels_are_connected_components():
    # tracks 0-1 share detection 5; track 2 alone with detection 7; track 3 with 8 and 9
    track = np.array([0, 1, 1, 2, 3, 3])
    det = np.array([5, 5, 6, 7, 8, 9])
    labels = cluster_labels(track, det, 4, 10)
    assert labels[0] == labels[1] == labels[2]
    assert len({labels[0], labels[3], labels[4]}) == 3
    assert labels[4] == labels[5]


def test_small_graph_labels_equal_the_sparse_graph_labels():
    from iadsim.tracking.association import _graph_cluster_labels, _small_cluster_labels

    rng = np.random.default_rng(21)
    for _ in range(200):
        n_tracks, n_dets = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        gated = rng.random((n_tracks, n_dets)) < 0.2
        track, det = np.nonzero(gated)
        if track.size == 0:
            continue
        expected = _graph_cluster_labels(track, det, n_tracks, n_dets)
        got = _small_cluster_labels(track.tolist(), (n_tracks + det).tolist())
        assert got.tolist() == expected.tolist()


def test_compiled_tiers_of_lone_tracks_match_the_tiered_assignment():
    """Looks where no detection is in two pairs of a tier: the compiled tiers choose the
    pairs tiered_assignment does (same order); a shared detection leaves them unsolved."""
    from iadsim.tracking._association_kernels import tiered_lone_assignment_kernel
    from iadsim.tracking.association import tiered_assignment

    rng = np.random.default_rng(21)
    solved_looks = unsolved_looks = 0
    for _ in range(2000):
        n_live, n_dets = int(rng.integers(1, 8)), int(rng.integers(1, 6))
        live = np.sort(rng.choice(40, n_live, replace=False)).astype(np.int64)
        confirmed = rng.random(40) < 0.5
        k = int(rng.integers(1, n_live * n_dets + 1))
        flat = rng.choice(n_live * n_dets, k, replace=False)
        track, det = (flat // n_dets).astype(np.int64), (flat % n_dets).astype(np.int64)
        cost = rng.normal(size=k).round(1)  # ties
        rows, solved = tiered_lone_assignment_kernel(confirmed, live, track, det, cost, n_dets)
        established = confirmed[live[track]]
        miss_cost = np.full(n_live, 100.0)
        want_track, want_det = tiered_assignment(
            established, track, det, cost, n_live, n_dets, miss_cost
        )
        tiers = [established, ~established]
        shared = any(np.bincount(det[tier], minlength=n_dets).max(initial=0) > 1 for tier in tiers)
        if solved:
            solved_looks += 1
            assert track[rows].tolist() == want_track.tolist()
            assert det[rows].tolist() == want_det.tolist()
        else:
            unsolved_looks += 1
            assert rows.size == 0 and shared
    assert solved_looks > 100 and unsolved_looks > 100


def test_compiled_cluster_problems_give_the_assignment_of_the_numpy_twin():
    from iadsim.tracking.association import gnn_assign_reference

    rng = np.random.default_rng(12)
    for trial in range(200):
        n_tracks, n_dets = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        close = rng.random((n_tracks, n_dets)) < 0.4
        track, det = np.nonzero(close)
        track, det = track.astype(np.int64), det.astype(np.int64)
        cost = rng.uniform(0.0, 10.0, track.size)
        if trial % 3 == 0:  # ties
            cost = np.round(cost)
        miss = 11.0 if trial % 2 else rng.uniform(10.0, 12.0, n_tracks)
        got = gnn_assign(track, det, cost, n_tracks, n_dets, miss)
        want = gnn_assign_reference(track, det, cost, n_tracks, n_dets, miss)
        assert got[0].tolist() == want[0].tolist()
        assert got[1].tolist() == want[1].tolist()
