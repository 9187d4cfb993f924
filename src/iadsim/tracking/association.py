"""Global nearest neighbour (GNN) association on gated pairs, split into independent clusters.

The gated (track, detection) pairs form a bipartite graph; its connected components
(``scipy.sparse.csgraph.connected_components``) are independent assignment problems
(Blackman & Popoli 1999, sect. 6.5, "clusters"). A component with a single track (none of
its detections gated by another track) is solved by taking that track's cheapest detection,
vectorised over all such components; the others
are solved with ``scipy.optimize.linear_sum_assignment`` on an augmented cost matrix that
lets every track stay unassigned at its ``miss_cost``, so a track is paired with a detection
only when that lowers the total cost:

    C = [ c_ij (gated) / ∞ (not gated)  |  diag(miss_cost_i) / ∞ off-diagonal ]
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from iadsim.tracking._association_kernels import cluster_problems_kernel, lone_track_split_kernel

__all__ = ["cluster_labels", "gnn_assign", "gnn_assign_reference", "tiered_assignment"]

_SMALL_GRAPH_PAIRS = 64
"""Up to this many gated pairs, clusters are found by union-find in Python."""


def cluster_labels(
    track: np.ndarray, detection: np.ndarray, n_tracks: int, n_detections: int
) -> np.ndarray:
    """Connected-component label of every pair in the bipartite gating graph.

    Parameters
    ----------
    track, detection : (k,) int64
        Gated pairs.
    n_tracks, n_detections : int
        Sizes of the two node sets.

    Returns
    -------
    (k,) int64
        Component label of each pair (pairs sharing a track or a detection, directly or
        through a chain of pairs, share a label).
    """
    if track.size <= _SMALL_GRAPH_PAIRS:
        return _small_cluster_labels(track.tolist(), (n_tracks + detection).tolist())
    return _graph_cluster_labels(track, detection, n_tracks, n_detections)


def _graph_cluster_labels(
    track: np.ndarray, detection: np.ndarray, n_tracks: int, n_detections: int
) -> np.ndarray:
    """:func:`cluster_labels` by ``scipy.sparse.csgraph.connected_components``."""
    n_nodes = n_tracks + n_detections
    graph = coo_matrix(
        (np.ones(track.size, dtype=np.int8), (track, n_tracks + detection)),
        shape=(n_nodes, n_nodes),
    )
    _, labels = connected_components(graph, directed=False)
    return labels[track].astype(np.int64)


def _small_cluster_labels(track_nodes: list[int], detection_nodes: list[int]) -> np.ndarray:
    """:func:`cluster_labels` by union-find over the pairs, with the labels that
    ``connected_components`` gives: components are numbered in the order of their lowest
    node over all ``n_tracks + n_detections`` nodes, nodes in no pair each counting as a
    component of their own. Building a sparse graph costs more than this on a few pairs."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in zip(track_nodes, detection_nodes, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:  # the lower node becomes the root: a root is its component's minimum
            parent[max(ra, rb)] = min(ra, rb)
    nodes = sorted(parent)
    minima = sorted({root(node) for node in nodes})
    label_of = {}
    below = 0  # nodes of pairs lower than the current minimum
    for rank, minimum in enumerate(minima):
        while below < len(nodes) and nodes[below] < minimum:
            below += 1
        # Lower nodes outside all pairs are components of one node each.
        label_of[minimum] = (minimum - below) + rank
    return np.array([label_of[root(a)] for a in track_nodes], dtype=np.int64)


def gnn_assign(
    track: np.ndarray,
    detection: np.ndarray,
    cost: np.ndarray,
    n_tracks: int,
    n_detections: int,
    miss_cost: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-cost one-to-one assignment of tracks to gated detections.

    Parameters
    ----------
    track, detection : (k,) int64 ndarray
        Gated pairs.
    cost : (k,) float64 ndarray
        Cost of each pair (e.g. squared Mahalanobis distance), each below its track's
        ``miss_cost`` (so single-track clusters simply take their cheapest pair). These
        three go to the compiled split as they are (no conversion: it runs every look).
    n_tracks, n_detections : int
    miss_cost : float or (n_tracks,) float64
        Cost of leaving a track unassigned.

    Returns
    -------
    assigned_track, assigned_detection : (a,) int64
        The chosen pairs.
    """
    if track.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    # A track none of whose gated detections is shared forms a component on its own:
    # found by counting pairs per detection, no graph search, and solved by taking its
    # cheapest pair.
    chosen, multi = lone_track_split_kernel(track, detection, cost, n_tracks, n_detections)
    if multi.size == 0:
        return track[chosen], detection[chosen]
    out_track = [track[chosen]]
    out_det = [detection[chosen]]
    if not isinstance(miss_cost, np.ndarray):
        miss_cost = np.full(n_tracks, miss_cost, dtype=float)
    # The other clusters' problems built in one compiled pass, each solved by SciPy.
    matrices, layout, members = cluster_problems_kernel(
        track, detection, cost, multi, miss_cost, n_tracks, n_detections
    )
    for offset, n_t, n_d, first in layout.tolist():
        matrix = matrices[offset : offset + n_t * (n_d + n_t)].reshape(n_t, n_d + n_t)
        rows, cols = linear_sum_assignment(matrix)
        real = cols < n_d
        out_track.append(members[first : first + n_t][rows[real]])
        out_det.append(members[first + n_t : first + n_t + n_d][cols[real]])
    return np.concatenate(out_track), np.concatenate(out_det)


def gnn_assign_reference(
    track: np.ndarray,
    detection: np.ndarray,
    cost: np.ndarray,
    n_tracks: int,
    n_detections: int,
    miss_cost: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`gnn_assign` with its clusters found by :func:`cluster_labels` and their
    problems built in NumPy, one by one (twin of
    :func:`~iadsim.tracking._association_kernels.cluster_problems_kernel`)."""
    if track.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    chosen, multi = lone_track_split_kernel(track, detection, cost, n_tracks, n_detections)
    out_track = [track[chosen]]
    out_det = [detection[chosen]]
    miss_cost = np.broadcast_to(np.asarray(miss_cost, dtype=float), (n_tracks,))
    labels = cluster_labels(track[multi], detection[multi], n_tracks, n_detections)
    multi = multi[np.argsort(labels, kind="stable")]
    bounds = np.flatnonzero(np.diff(np.sort(labels))) + 1
    for group in np.split(multi, bounds):
        t_sel, d_sel = _assign_cluster(track[group], detection[group], cost[group], miss_cost)
        out_track.append(t_sel)
        out_det.append(d_sel)
    return np.concatenate(out_track), np.concatenate(out_det)


def tiered_assignment(
    established: np.ndarray,
    track: np.ndarray,
    detection: np.ndarray,
    cost: np.ndarray,
    n_tracks: int,
    n_detections: int,
    miss_cost: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`gnn_assign` in two tiers: the pairs of ``established`` tracks choose first,
    the others share the detections left (so a new, vague track cannot take a detection
    from an established one).

    Parameters
    ----------
    established : (k,) bool
        Whether each pair's track is established (confirmed).
    track, detection, cost, n_tracks, n_detections, miss_cost
        As :func:`gnn_assign` takes them, for all gated pairs.

    Returns
    -------
    assigned_track, assigned_detection : (a,) int64
        Tier one's pairs, then tier two's.
    """
    track_1, det_1 = gnn_assign(
        track[established],
        detection[established],
        cost[established],
        n_tracks,
        n_detections,
        miss_cost,
    )
    taken = np.zeros(n_detections, dtype=bool)
    taken[det_1] = True
    rest = ~established & ~taken[detection]
    rest_track = track[rest]
    if rest_track.size == 0:  # no tentative track left to assign
        return track_1, det_1
    track_2, det_2 = gnn_assign(
        rest_track, detection[rest], cost[rest], n_tracks, n_detections, miss_cost
    )
    return np.concatenate([track_1, track_2]), np.concatenate([det_1, det_2])


def lone_track_split_reference(
    track: np.ndarray, detection: np.ndarray, cost: np.ndarray, n_tracks: int, n_detections: int
) -> tuple[np.ndarray, np.ndarray]:
    """NumPy twin of :func:`~iadsim.tracking._association_kernels.lone_track_split_kernel`:
    the cheapest pair of each track sharing no detection, and the rows of the pairs of the
    others."""
    shared_detection = np.bincount(detection, minlength=n_detections)[detection] > 1
    sharing_track = np.zeros(n_tracks, dtype=bool)
    sharing_track[track[shared_detection]] = True
    chosen = cheapest_pairs_reference(track, cost, np.flatnonzero(~sharing_track[track]))
    return chosen, np.flatnonzero(sharing_track[track])


def cheapest_pairs_reference(track: np.ndarray, cost: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """NumPy twin of :func:`~iadsim.tracking._association_kernels.cheapest_pair_kernel`:
    among the pairs ``rows``, the cheapest of each track (earliest on ties), in increasing
    track order."""
    order = rows[np.lexsort((cost[rows], track[rows]))]
    first = np.ones(order.size, dtype=bool)
    first[1:] = track[order[1:]] != track[order[:-1]]
    return order[first]


def _assign_cluster(
    track: np.ndarray, detection: np.ndarray, cost: np.ndarray, miss_cost: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Solve one cluster with ``linear_sum_assignment`` on the augmented matrix."""
    tracks, t_local = np.unique(track, return_inverse=True)
    dets, d_local = np.unique(detection, return_inverse=True)
    n_t, n_d = tracks.size, dets.size
    matrix = np.full((n_t, n_d + n_t), np.inf)
    matrix[t_local, d_local] = cost
    matrix[np.arange(n_t), n_d + np.arange(n_t)] = miss_cost[tracks]
    rows, cols = linear_sum_assignment(matrix)
    real = cols < n_d
    return tracks[rows[real]], dets[cols[real]]
