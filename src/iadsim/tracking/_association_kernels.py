"""Numba kernels of GNN association (:mod:`iadsim.tracking.association`), each the twin of
a NumPy form.

* :func:`cheapest_pair_kernel` - each track's cheapest gated detection (first pair on ties);
  twin :func:`iadsim.tracking.association.cheapest_pairs_reference`.
* :func:`lone_track_split_kernel` - the pairs of tracks sharing no detection, solved by
  :func:`cheapest_pair_kernel`, and the pairs left to cluster; twin
  :func:`iadsim.tracking.association.lone_track_split_reference`.
* :func:`tiered_lone_assignment_kernel` - the tracker's two tiers of assignment (confirmed
  tracks, then tentative ones on the detections left) where no detection is shared within
  a tier, the common look; twin :func:`iadsim.tracking.association.tiered_assignment`
  (:func:`tiered_lone_assignment_into_kernel` fills the caller's array instead).
* :func:`cluster_problems_kernel` - the clusters of the pairs left and the augmented cost
  matrix of each, for ``linear_sum_assignment``; twin
  :func:`iadsim.tracking.association.gnn_assign_reference`.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "cheapest_pair_kernel",
    "cluster_problems_kernel",
    "lone_track_split_kernel",
    "tiered_lone_assignment_into_kernel",
    "tiered_lone_assignment_kernel",
]


@numba.njit(cache=True)
def cheapest_pair_kernel(track, cost, rows, n_tracks):  # pragma: no cover - numba
    """Among the pairs ``rows`` (indices into ``track`` and ``cost``), the cheapest of each
    track, the earliest row on ties; returned as rows in increasing track order."""
    best = np.full(n_tracks, -1, dtype=np.int64)
    for r in rows:
        t = track[r]
        if (
            best[t] < 0
            or cost[r] < cost[best[t]]
            or (np.isnan(cost[best[t]]) and not np.isnan(cost[r]))
        ):
            best[t] = r
    count = 0
    for t in range(n_tracks):
        if best[t] >= 0:
            count += 1
    out = np.empty(count, dtype=np.int64)
    count = 0
    for t in range(n_tracks):
        if best[t] >= 0:
            out[count] = best[t]
            count += 1
    return out


@numba.njit(cache=True)
def lone_track_split_kernel(track, detection, cost, n_tracks, n_detections):  # pragma: no cover
    """Split gated pairs by whether their track shares a detection with another track.

    Parameters
    ----------
    track, detection : (k,) int64
        Gated pairs.
    cost : (k,) float64
    n_tracks, n_detections : int

    Returns
    -------
    chosen : (a,) int64
        Each lone track's cheapest pair (rows, in increasing track order), as
        :func:`cheapest_pair_kernel` picks it.
    shared : (b,) int64
        Rows, ascending, of the pairs whose track shares a detection (left to clustering).
    """
    k = track.shape[0]
    per_detection = np.zeros(n_detections, dtype=np.int64)
    for r in range(k):
        per_detection[detection[r]] += 1
    sharing = np.zeros(n_tracks, dtype=np.bool_)
    for r in range(k):
        if per_detection[detection[r]] > 1:
            sharing[track[r]] = True
    n_shared = 0
    for r in range(k):
        if sharing[track[r]]:
            n_shared += 1
    lone = np.empty(k - n_shared, dtype=np.int64)
    shared = np.empty(n_shared, dtype=np.int64)
    n_lone = n_shared = 0
    for r in range(k):
        if sharing[track[r]]:
            shared[n_shared] = r
            n_shared += 1
        else:
            lone[n_lone] = r
            n_lone += 1
    return cheapest_pair_kernel(track, cost, lone, n_tracks), shared


@numba.njit(cache=True)
def _each_detection_once(detection, rows, n_detections):  # pragma: no cover - numba
    """Whether no detection appears in two of the pairs ``rows``."""
    used = np.zeros(n_detections, dtype=np.bool_)
    for r in rows:
        if used[detection[r]]:
            return False
        used[detection[r]] = True
    return True


@numba.njit(cache=True)
def tiered_lone_assignment_kernel(
    confirmed, live, track, detection, cost, n_detections
):  # pragma: no cover - numba
    """:func:`tiered_lone_assignment_into_kernel` with its rows in a new array.

    Returns
    -------
    rows : (a,) int64
        The chosen pairs, tier one's then tier two's, each in increasing track order.
    solved : bool
        False where a tier shares a detection between tracks (``rows`` is then empty and
        the tiers need clustering).
    """
    rows = np.empty(track.shape[0], dtype=np.int64)
    count = tiered_lone_assignment_into_kernel(
        confirmed, live, track, detection, cost, n_detections, rows
    )
    return rows[: max(count, 0)].copy(), count >= 0


@numba.njit(cache=True)
def tiered_lone_assignment_into_kernel(
    confirmed, live, track, detection, cost, n_detections, rows
):  # pragma: no cover - numba
    """GNN assignment in two tiers where every track of a tier is alone with its detections.

    Tier one: the pairs of confirmed tracks (``confirmed`` ``(capacity,) bool`` of the
    table, ``live`` ``(n,)`` the slots the pairs' tracks index). Tier two: the pairs of
    tentative tracks whose detection tier one did not take. When no detection is in two
    pairs of a tier, each track of the tier takes its cheapest pair
    (:func:`cheapest_pair_kernel`), which is what
    :func:`~iadsim.tracking.association.gnn_assign` gives.

    Parameters
    ----------
    confirmed : (capacity,) bool
    live : (n,) int64
    track, detection : (k,) int64
        Gated pairs: indices into ``live`` and the look's detections.
    cost : (k,) float64
    n_detections : int
    rows : (m,) int64, m >= k
        Filled with the chosen pairs, tier one's then tier two's, each in increasing
        track order (the caller's reused array: nothing to box).

    Returns
    -------
    count : int
        How many of ``rows`` were filled; -1 where a tier shares a detection between
        tracks (the tiers then need clustering).
    """
    k = track.shape[0]
    established = np.empty(k, dtype=np.bool_)
    n_first = 0
    for r in range(k):
        established[r] = confirmed[live[track[r]]]
        if established[r]:
            n_first += 1
    first = np.empty(n_first, dtype=np.int64)
    n_first = 0
    for r in range(k):
        if established[r]:
            first[n_first] = r
            n_first += 1
    if not _each_detection_once(detection, first, n_detections):
        return -1
    chosen_first = cheapest_pair_kernel(track, cost, first, live.shape[0])
    taken = np.zeros(n_detections, dtype=np.bool_)
    for r in chosen_first:
        taken[detection[r]] = True
    n_second = 0
    for r in range(k):
        if not established[r] and not taken[detection[r]]:
            n_second += 1
    second = np.empty(n_second, dtype=np.int64)
    n_second = 0
    for r in range(k):
        if not established[r] and not taken[detection[r]]:
            second[n_second] = r
            n_second += 1
    if not _each_detection_once(detection, second, n_detections):
        return -1
    chosen_second = cheapest_pair_kernel(track, cost, second, live.shape[0])
    count = 0
    for r in chosen_first:
        rows[count] = r
        count += 1
    for r in chosen_second:
        rows[count] = r
        count += 1
    return count


@numba.njit(cache=True)
def _root(parent, node):  # pragma: no cover - numba
    """Root of ``node`` in the union-find forest ``parent``, halving the path."""
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


@numba.njit(cache=True)
def cluster_problems_kernel(
    track, detection, cost, rows, miss_cost, n_tracks, n_detections
):  # pragma: no cover - numba
    """The assignment problem of each cluster of the gated pairs ``rows``, as
    :func:`iadsim.tracking.association.gnn_assign_reference` builds them one by one.

    Clusters are the connected components of the pairs' bipartite graph, numbered by their
    lowest track (the order of ``connected_components``' labels); each one's tracks and
    detections are sorted (as ``np.unique`` gives them) and its augmented cost matrix,
    ``(n_t, n_d + n_t)``, holds the pairs' costs, ``miss_cost`` of each track on the
    diagonal of the right block and ``inf`` elsewhere.

    Parameters
    ----------
    track, detection : (k,) int64
    cost : (k,) float64
        Gated pairs and their costs.
    rows : (m,) int64
        The pairs to cluster.
    miss_cost : (n_tracks,) float64
    n_tracks, n_detections : int

    Returns
    -------
    matrices : (total,) float64
        The clusters' matrices, flattened (C order) one after the other.
    layout : (c, 4) int64
        Per cluster: offset of its matrix in ``matrices``, ``n_t``, ``n_d``, and offset
        of its members.
    members : (sum of n_t + n_d,) int64
        Per cluster: its ``n_t`` tracks, then its ``n_d`` detections, ascending.
    """
    n_nodes = n_tracks + n_detections
    parent = np.arange(n_nodes)
    in_pairs = np.zeros(n_nodes, dtype=np.bool_)
    for r in rows:
        a, b = _root(parent, track[r]), _root(parent, n_tracks + detection[r])
        in_pairs[track[r]] = True
        in_pairs[n_tracks + detection[r]] = True
        if a != b:  # the lower node becomes the root: a root is its component's minimum
            parent[max(a, b)] = min(a, b)
    # Every cluster holds a track, so its root (minimum node) is its lowest track.
    cluster_of_root = np.full(n_tracks, -1, dtype=np.int64)
    n_clusters = 0
    for t in range(n_tracks):
        if in_pairs[t] and _root(parent, t) == t:
            cluster_of_root[t] = n_clusters
            n_clusters += 1
    layout = np.zeros((n_clusters, 4), dtype=np.int64)
    local = np.empty(n_nodes, dtype=np.int64)  # rank of a node among its cluster's kind
    cluster = np.empty(n_nodes, dtype=np.int64)
    for node in range(n_nodes):
        if in_pairs[node]:
            c = cluster_of_root[_root(parent, node)]
            cluster[node] = c
            kind = 1 if node < n_tracks else 2
            local[node] = layout[c, kind]
            layout[c, kind] += 1
    matrix_size, member_size = 0, 0
    for c in range(n_clusters):
        n_t, n_d = layout[c, 1], layout[c, 2]
        layout[c, 0], layout[c, 3] = matrix_size, member_size
        matrix_size += n_t * (n_d + n_t)
        member_size += n_t + n_d
    matrices = np.full(matrix_size, np.inf)
    members = np.empty(member_size, dtype=np.int64)
    for node in range(n_nodes):
        if in_pairs[node]:
            c = cluster[node]
            if node < n_tracks:
                members[layout[c, 3] + local[node]] = node
                width = layout[c, 1] + layout[c, 2]
                diagonal = layout[c, 0] + local[node] * width + layout[c, 2] + local[node]
                matrices[diagonal] = miss_cost[node]
            else:
                members[layout[c, 3] + layout[c, 1] + local[node]] = node - n_tracks
    for r in rows:
        t, d = track[r], n_tracks + detection[r]
        c = cluster[t]
        width = layout[c, 1] + layout[c, 2]
        matrices[layout[c, 0] + local[t] * width + local[d]] = cost[r]
    return matrices, layout, members
