"""Joint probabilistic data association (JPDA) for tracking in dense clutter.

Association probabilities (parametric JPDA; Fortmann, Bar-Shalom & Scheffe, IEEE JOE 8(3),
1983; Bar-Shalom, Daum & Huang, IEEE Control Systems 29(6), 2009, eq. 33-35). A joint event
``θ`` assigns each track at most one gated detection and each detection at most one track:

    P(θ | Z) ∝ Π_{(t, j) ∈ θ} Pd N(ν_tj; 0, S_tj) / λ  ·  Π_{t undetected in θ} (1 − Pd Pg)

with ``λ`` the clutter density (1/m³). The marginal ``β_tj`` sums ``P(θ)`` over the events
pairing ``t`` with ``j``; ``β_t0`` over those leaving ``t`` undetected.

Exact marginals come from enumerating every joint event of a cluster (the connected
components of the gating graph), vectorised over events with NumPy: events grow one track
at a time and a bit mask of used detections rejects conflicts. A cluster whose event count
would pass ``max_hypotheses`` falls back to independent PDA per track (the same formula with
the exclusion constraint dropped), which is what JPDA reduces to when gates do not overlap.

Each track is then updated by PDA as a Gaussian mixture reduction of its Kalman updates
with every gated detection plus the predicted state, weighted by ``β`` (BLK 2001 sect. 3.4;
equal to the PDAF's spread-of-innovations form when all detections share ``R``).
"""

from __future__ import annotations

import numpy as np

from iadsim.tracking.association import cluster_labels, gnn_assign
from iadsim.tracking.doppler import RangeRates
from iadsim.tracking.filters import KalmanFilter
from iadsim.tracking.gating import GatedPairs
from iadsim.tracking.kalman import position_update, symmetrise
from iadsim.tracking.table import TrackTable
from iadsim.tracking.tracker import GnnTracker, TrackerConfig

__all__ = ["JpdaTracker", "enumerate_marginals", "jpda_marginals"]

_MAX_CLUSTER_DETECTIONS = 62  # detections per cluster that fit the int64 "used" bit mask


def enumerate_marginals(
    track: np.ndarray,
    detection: np.ndarray,
    weight: np.ndarray,
    miss_weight: np.ndarray,
    max_hypotheses: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Exact JPDA marginals of one cluster by vectorised enumeration of joint events.

    Parameters
    ----------
    track, detection : (k,) int64
        Gated pairs of the cluster, local indices ``0..T-1`` and ``0..D-1``.
    weight : (k,) float64
        ``Pd N(ν; 0, S) / λ`` of each pair.
    miss_weight : (T,) float64
        ``1 − Pd Pg`` of each track.
    max_hypotheses : int
        Give up (return ``None``) when the number of partial events passes this.

    Returns
    -------
    beta_pairs : (k,) float64
        ``β_tj`` of each pair.
    beta_miss : (T,) float64
        ``β_t0`` of each track.
    """
    n_tracks = miss_weight.size
    if detection.max() >= _MAX_CLUSTER_DETECTIONS:
        return None
    # events: chosen pair per track (-1 = miss), bit mask of used detections, weight
    chosen = np.empty((1, 0), dtype=np.int64)
    used = np.zeros(1, dtype=np.int64)
    prob = np.ones(1)
    for t in range(n_tracks):
        options = np.flatnonzero(track == t)
        opt_det = np.concatenate([[-1], detection[options]])
        opt_pair = np.concatenate([[-1], options])
        opt_weight = np.concatenate([[miss_weight[t]], weight[options]])
        bit = np.where(opt_det >= 0, np.left_shift(1, np.maximum(opt_det, 0)), 0)
        free = (used[:, None] & bit[None, :]) == 0
        h, o = np.nonzero(free)
        if h.size > max_hypotheses:
            return None
        chosen = np.column_stack([chosen[h], opt_pair[o]])
        used = used[h] | bit[o]
        prob = prob[h] * opt_weight[o]
    prob = prob / prob.sum()
    beta_pairs = np.zeros(track.size)
    beta_miss = np.zeros(n_tracks)
    for t in range(n_tracks):
        picks = chosen[:, t]
        hit = picks >= 0
        beta_pairs += np.bincount(picks[hit], weights=prob[hit], minlength=track.size)
        beta_miss[t] = prob[~hit].sum()
    return beta_pairs, beta_miss


def jpda_marginals(
    pairs: GatedPairs,
    n_tracks: int,
    n_detections: int,
    detection_probability: float,
    gate_probability: float,
    clutter_density_per_m3: float,
    max_hypotheses: int = 20_000,
) -> tuple[np.ndarray, np.ndarray]:
    """JPDA association probabilities for every gated pair and every track's miss.

    Parameters
    ----------
    pairs : GatedPairs
        Gated pairs (3-D position measurements).
    n_tracks, n_detections : int
    detection_probability, gate_probability : float
        ``Pd`` and ``Pg``.
    clutter_density_per_m3 : float
        ``λ``.
    max_hypotheses : int
        Enumeration cap per cluster (then independent PDA for that cluster).

    Returns
    -------
    beta_pairs : (k,) float64
    beta_miss : (n_tracks,) float64
        1 for tracks with no gated detection.
    """
    m = 3
    log_gauss = -0.5 * (pairs.distance2 + pairs.log_det_s + m * np.log(2.0 * np.pi))
    weight = detection_probability * np.exp(log_gauss) / clutter_density_per_m3
    miss = np.full(n_tracks, 1.0 - detection_probability * gate_probability)

    # independent PDA for everything first; overwritten by exact JPDA for shared clusters
    total = miss + np.bincount(pairs.track, weights=weight, minlength=n_tracks)
    beta_pairs = weight / total[pairs.track]
    beta_miss = miss / total
    if pairs.track.size == 0:
        return beta_pairs, beta_miss
    labels = cluster_labels(pairs.track, pairs.detection, n_tracks, n_detections)
    per_label = np.bincount(labels)
    shared = np.flatnonzero(per_label[labels] > 1)
    shared = shared[np.argsort(labels[shared], kind="stable")]
    for group in np.split(shared, np.flatnonzero(np.diff(labels[shared])) + 1):
        tracks, t_local = np.unique(pairs.track[group], return_inverse=True)
        if tracks.size < 2:
            continue  # one track, several detections: PDA is exact
        _, d_local = np.unique(pairs.detection[group], return_inverse=True)
        exact = enumerate_marginals(t_local, d_local, weight[group], miss[tracks], max_hypotheses)
        if exact is not None:
            beta_pairs[group], beta_miss[tracks] = exact
    return beta_pairs, beta_miss


def pda_update(
    x: np.ndarray,
    P: np.ndarray,
    pair_track: np.ndarray,
    z: np.ndarray,
    R: np.ndarray,
    beta_pairs: np.ndarray,
    beta_miss: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """PDA update as a moment-matched mixture of per-detection Kalman updates.

    Parameters
    ----------
    x : (T, d) float64 and P : (T, d, d) float64
        Predicted tracks.
    pair_track : (k,) int64
        Track row of each gated pair.
    z : (k, 3) float64 and R : (k, 3, 3) float64
        The pair's detection and its covariance.
    beta_pairs : (k,) and beta_miss : (T,) float64
        Association probabilities (summing to 1 per track).

    Returns
    -------
    x_new : (T, d) and P_new : (T, d, d)
    """
    updated = position_update(x[pair_track], P[pair_track], z, R)
    x_new = beta_miss[:, None] * x
    np.add.at(x_new, pair_track, beta_pairs[:, None] * updated.state)
    spread_pred = x - x_new
    P_new = beta_miss[:, None, None] * (P + spread_pred[:, :, None] * spread_pred[:, None, :])
    spread = updated.state - x_new[pair_track]
    terms = updated.covariance + spread[:, :, None] * spread[:, None, :]
    np.add.at(P_new, pair_track, beta_pairs[:, None, None] * terms)
    return x_new, symmetrise(P_new)


class JpdaTracker(GnnTracker):
    """Tracker with JPDA for confirmed tracks and GNN for tentative ones.

    Confirmed tracks are updated by JPDA with every detection in their gates (``Pd`` and
    ``λ`` from :class:`TrackerConfig`); tentative tracks share, by GNN, the detections outside
    confirmed gates; the rest start new tracks. A track counts as detected when
    ``1 − β_t0 ≥ 0.5``; each detection reports the track with its largest ``β`` as its id.

    Parameters
    ----------
    config : TrackerConfig
        ``motion_model`` must be ``"cv"`` or ``"ca"``.
    max_hypotheses : int
        Enumeration cap per cluster.
    """

    def __init__(self, config: TrackerConfig | None = None, max_hypotheses: int = 20_000):
        super().__init__(config)
        if not isinstance(self.filter, KalmanFilter):
            msg = "JpdaTracker needs motion_model 'cv' or 'ca'"
            raise ValueError(msg)
        self.max_hypotheses = max_hypotheses

    def update_range_rate(
        self,
        table: TrackTable,
        track_ids: np.ndarray,
        measured: RangeRates,
        slots: np.ndarray | None = None,
    ) -> None:
        """Not used: a JPDA update mixes several detections per track, so no single range
        rate belongs to it. Positions only."""

    def _associate_and_update(
        self, table: TrackTable, live: np.ndarray, z: np.ndarray, R: np.ndarray, pairs: GatedPairs
    ) -> tuple[np.ndarray, np.ndarray]:
        """JPDA update of confirmed tracks, GNN for tentative tracks on what lies outside."""
        established = table.confirmed[live[pairs.track]]
        conf = GatedPairs(*(column[established] for column in pairs))
        rows, conf_track = np.unique(conf.track, return_inverse=True)
        conf_pairs = conf._replace(track=conf_track)
        beta_pairs, beta_miss = jpda_marginals(
            conf_pairs,
            rows.size,
            z.shape[0],
            self.config.detection_probability,
            self.config.gate_probability,
            self.config.clutter_density_per_m3,
            self.max_hypotheses,
        )
        slots = live[rows]
        if rows.size:
            table.state[slots], table.covariance[slots] = pda_update(
                table.state[slots],
                table.covariance[slots],
                conf_track,
                z[conf.detection],
                R[conf.detection],
                beta_pairs,
                beta_miss,
            )
        # summary pairing: each detected track with its most probable detection
        order = np.lexsort((-beta_pairs, conf_track))
        first = np.ones(order.size, dtype=bool)
        first[1:] = conf_track[order[1:]] != conf_track[order[:-1]]
        best = order[first]
        detected = (1.0 - beta_miss[conf_track[best]]) >= 0.5
        track_1, det_1 = rows[conf_track[best[detected]]], conf.detection[best[detected]]

        in_confirmed_gate = np.zeros(z.shape[0], dtype=bool)
        in_confirmed_gate[conf.detection] = True
        rest = ~established & ~in_confirmed_gate[pairs.detection]
        cost = pairs.distance2[rest] + pairs.log_det_s[rest]
        miss_cost = np.full(live.size, -np.inf)
        np.maximum.at(miss_cost, pairs.track[rest], pairs.log_det_s[rest])
        track_2, det_2 = gnn_assign(
            pairs.track[rest],
            pairs.detection[rest],
            cost,
            live.size,
            z.shape[0],
            miss_cost + self.gate,
        )
        if track_2.size:
            self.filter.update(table, live[track_2], z[det_2], R[det_2])
        return np.concatenate([track_1, track_2]), np.concatenate([det_1, det_2])


def jpda_tracker(config: TrackerConfig) -> JpdaTracker:
    """Registered as ``jpda``: JPDA for confirmed tracks (``motion_model`` cv or ca)."""
    return JpdaTracker(config)
