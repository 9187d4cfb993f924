"""Chi-square gating of detections against tracks, vectorised over (track, detection) pairs.

A detection ``z`` with covariance ``R`` falls in the gate of a track with predicted position
``p`` and position covariance ``Pp`` when ``d² = νᵀ S⁻¹ ν ≤ γ`` with ``ν = z − p`` and
``S = Pp + R``; ``γ`` is the chi-square quantile of the gate probability with ``m`` degrees of
freedom (Bar-Shalom, Li & Kirubarajan 2001, sect. 5.4.2; Blackman & Popoli 1999, sect. 6.3).

Large problems use a coarse pre-gate first: since ``d² ≥ |ν|² / λmax(S)`` and
``λmax(S) ≤ tr Pp + max tr R``, a detection farther than ``sqrt(γ (tr Pp + max tr R))`` from the
track cannot pass, so a k-d tree pair search (``scipy.spatial.cKDTree``) returns a superset
of the gated pairs; the exact Mahalanobis test then runs on those candidates only. A small
look (every look of the bundled scenarios) is gated densely by one compiled kernel,
:func:`~iadsim.tracking._kernels.dense_gate_kernel`, bit-equal to its NumPy twin
:func:`dense_gate_reference`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.spatial import cKDTree
from scipy.stats import chi2

from iadsim.tracking._kernels import dense_gate_kernel
from iadsim.tracking._row_kernels import dense_gate_rows_kernel
from iadsim.tracking.kalman import inverse_3x3, mahalanobis_squared

__all__ = [
    "DENSE_PAIR_LIMIT",
    "GatedPairs",
    "candidate_pairs",
    "dense_gate_reference",
    "dense_gated_pairs",
    "gate_pairs",
    "gate_table_pairs",
    "gate_threshold",
]

DENSE_PAIR_LIMIT = 4096
"""Up to this many (track, detection) pairs the dense test is cheaper than building a tree."""


class GatedPairs(NamedTuple):
    """Track/detection pairs inside the gate.

    Attributes
    ----------
    track : (k,) int64
        Row index into the tracks passed to :func:`gate_pairs`.
    detection : (k,) int64
        Index of the detection.
    distance2 : (k,) float64
        Squared Mahalanobis distance ``d²``.
    log_det_s : (k,) float64
        ``log det S`` of the pair (for likelihoods).
    """

    track: np.ndarray
    detection: np.ndarray
    distance2: np.ndarray
    log_det_s: np.ndarray


def gate_threshold(gate_probability: float, n_meas: int = 3) -> float:
    """Gate ``γ`` with ``P(χ²_m ≤ γ) = gate_probability``."""
    return float(chi2.ppf(gate_probability, n_meas))


def candidate_pairs(
    track_position_m: np.ndarray, radius_m: np.ndarray, detection_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All (track, detection) pairs closer than the track's radius (superset of the gate).

    Parameters
    ----------
    track_position_m : (n_tracks, m) float64
    radius_m : (n_tracks,) float64
    detection_m : (n_detections, m) float64

    Returns
    -------
    track, detection : (k,) int64
        Pair indices, sorted by track.
    """
    n_tracks, n_dets = track_position_m.shape[0], detection_m.shape[0]
    if n_tracks == 0 or n_dets == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if n_tracks * n_dets <= DENSE_PAIR_LIMIT:
        gap = track_position_m[:, None, :] - detection_m[None, :, :]
        close = np.einsum("tdi,tdi->td", gap, gap) <= radius_m[:, None] ** 2
        track, det = np.nonzero(close)
        return track.astype(np.int64), det.astype(np.int64)
    # Two k-d trees and one pair search per radius class (radii within a factor of 2):
    # the pairs come back as arrays from C, then each pair is held to its own radius.
    det_tree = cKDTree(detection_m)
    radius_class = np.floor(np.log2(np.maximum(radius_m, 1e-9) / radius_m.max()))
    tracks, dets = [], []
    for value in np.unique(radius_class):
        members = np.flatnonzero(radius_class == value)
        found = cKDTree(track_position_m[members]).sparse_distance_matrix(
            det_tree, radius_m[members].max(), output_type="ndarray"
        )
        keep = found["v"] <= radius_m[members[found["i"]]]
        tracks.append(members[found["i"][keep]])
        dets.append(found["j"][keep].astype(np.int64))
    track = np.concatenate(tracks)
    order = np.argsort(track, kind="stable")
    return track[order], np.concatenate(dets)[order]


def gate_pairs(
    predicted_position_m: np.ndarray,
    position_covariance_m2: np.ndarray,
    detection_m: np.ndarray,
    detection_covariance_m2: np.ndarray,
    gate: float,
) -> GatedPairs:
    """Exact chi-square gate on all track/detection pairs, with a k-d tree pre-gate.

    Parameters
    ----------
    predicted_position_m : (n_tracks, m) float64
        Predicted measurement of each track (``H x⁻``).
    position_covariance_m2 : (n_tracks, m, m) float64
        ``H P⁻ Hᵀ``.
    detection_m : (n_detections, m) float64
    detection_covariance_m2 : (n_detections, m, m) float64
    gate : float
        Threshold ``γ`` on ``d²``.

    Returns
    -------
    GatedPairs
    """
    n_tracks, n_dets = predicted_position_m.shape[0], detection_m.shape[0]
    if predicted_position_m.shape[-1] == 3 and n_tracks * n_dets <= DENSE_PAIR_LIMIT:
        # Out buffers (track, detection) and (d², det S), filled in place.
        pairs = np.empty((2, n_tracks * n_dets), dtype=np.int64)
        values = np.empty((2, n_tracks * n_dets))
        k = dense_gate_kernel(
            np.ascontiguousarray(predicted_position_m, dtype=float),
            np.ascontiguousarray(position_covariance_m2, dtype=float),
            np.ascontiguousarray(detection_m, dtype=float),
            np.ascontiguousarray(detection_covariance_m2, dtype=float),
            float(gate),
            pairs,
            values,
        )
        return dense_gated_pairs(pairs, values, k)
    return _gate_candidates(
        predicted_position_m, position_covariance_m2, detection_m, detection_covariance_m2, gate
    )


def dense_gated_pairs(pairs: np.ndarray, values: np.ndarray, k: int) -> GatedPairs:
    """The :class:`GatedPairs` a dense gate kernel wrote into the first ``k`` columns of
    ``pairs`` ``(2, >= k) int64`` (tracks, detections) and ``values`` ``(2, >= k)
    float64`` (``d²``, ``det S``): views of them, with ``log det S`` (NumPy's log)."""
    return GatedPairs(pairs[0, :k], pairs[1, :k], values[0, :k], np.log(values[1, :k]))


def gate_table_pairs(
    state: np.ndarray,
    covariance: np.ndarray,
    slots: np.ndarray,
    detection_m: np.ndarray,
    detection_covariance_m2: np.ndarray,
    gate: float,
) -> GatedPairs:
    """:func:`gate_pairs` of the tracks ``slots`` ``(n,) int64`` of a table's ``state``
    ``(c, d)`` and ``covariance`` ``(c, d, d)`` (float64; positions first) against 3-D
    detections; where the dense pre-gate applies, the rows are read inside the compiled
    gate instead of gathered first."""
    size = slots.shape[0] * detection_m.shape[0]
    if size <= DENSE_PAIR_LIMIT:
        # Out buffers (track, detection) and (d², det S), filled in place.
        pairs = np.empty((2, size), dtype=np.int64)
        values = np.empty((2, size))
        k = dense_gate_rows_kernel(
            state,
            covariance,
            slots,
            detection_m,
            detection_covariance_m2,
            float(gate),
            pairs,
            values,
        )
        return dense_gated_pairs(pairs, values, k)
    return gate_pairs(
        state[slots, :3], covariance[slots, :3, :3], detection_m, detection_covariance_m2, gate
    )


def dense_gate_reference(
    predicted_position_m: np.ndarray,
    position_covariance_m2: np.ndarray,
    detection_m: np.ndarray,
    detection_covariance_m2: np.ndarray,
    gate: float,
) -> GatedPairs:
    """NumPy twin of :func:`~iadsim.tracking._kernels.dense_gate_kernel` (with ``log det S``):
    :func:`gate_pairs` of a look small enough for the dense pre-gate."""
    return _gate_candidates(
        predicted_position_m, position_covariance_m2, detection_m, detection_covariance_m2, gate
    )


def _gate_candidates(
    predicted_position_m: np.ndarray,
    position_covariance_m2: np.ndarray,
    detection_m: np.ndarray,
    detection_covariance_m2: np.ndarray,
    gate: float,
) -> GatedPairs:
    """:func:`gate_pairs` in NumPy: the pre-gate of :func:`candidate_pairs`, then the exact
    test on the candidates."""
    trace_p = np.trace(position_covariance_m2, axis1=1, axis2=2)
    trace_r_max = (
        float(np.trace(detection_covariance_m2, axis1=1, axis2=2).max())
        if detection_m.shape[0]
        else 0.0
    )
    radius = np.sqrt(gate * (trace_p + trace_r_max))
    track, det = candidate_pairs(predicted_position_m, radius, detection_m)
    innovation = detection_m[det] - predicted_position_m[track]
    S = position_covariance_m2[track] + detection_covariance_m2[det]
    distance2, log_det = _mahalanobis_and_log_det(innovation, S)
    keep = distance2 <= gate
    return GatedPairs(track[keep], det[keep], distance2[keep], log_det[keep])


def _mahalanobis_and_log_det(
    innovation: np.ndarray, S: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``νᵀ S⁻¹ ν`` and ``log det S`` for stacks; closed form (cofactors) for 3 x 3."""
    if S.shape[-1] != 3:
        return mahalanobis_squared(innovation, S), np.linalg.slogdet(S)[1]
    S_inv, det = inverse_3x3(S)
    return np.einsum("ki,kij,kj->k", innovation, S_inv, innovation), np.log(det)
