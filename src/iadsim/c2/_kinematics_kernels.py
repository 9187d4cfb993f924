"""Numba kernels of track kinematics at a post: closest approach, fragment gating.

:func:`closest_approach_kernel` is the compiled twin of
:func:`iadsim.core.kinematics.closest_approach`, one (track, point) pair at a time, with
NumPy's operations in NumPy's order, so that they agree to the bit (a test compares them):
the squared speed and the squared miss distance are summed left to right as
``np.add.reduce`` sums three terms, the dot product of the time to the closest approach as
``np.einsum("nkj,nj->nk")`` sums them (from +0, the first and last term, then the middle
one: the same bits and the same sign of a zero), and the lower bounds keep NaN as
``np.maximum`` does. Identification (the ``inbound`` rule) and threat evaluation ask it of
a post's few tracks at every decision, where the fifteen small NumPy calls of the twin cost
far more than the arithmetic. :func:`approaches_within` is the ``inbound`` test of one track
on the same pairs, for identification's compiled rules (which ask it only of the tracks that
reach that rule); :func:`threat_kernel` is threat evaluation on them, in one call.

:func:`fragment_kernel` is the compiled twin of
:func:`iadsim.c2.fragments.continues_engaged_reference` (norms summed left to right as
``np.linalg.norm`` sums them, the nearest passing track taken as ``np.argmin`` takes it).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["approaches_within", "closest_approach_kernel", "fragment_kernel", "threat_kernel"]


@numba.njit(cache=True)
def _at_least(value: float, bound: float) -> float:  # pragma: no cover - numba
    """``np.maximum(value, bound)`` of a float: NaN stays NaN."""
    return value if value >= bound or value != value else bound


@numba.njit(cache=True)
def closest_approach_kernel(pos_m, vel_mps, asset_pos_m):  # pragma: no cover - numba
    """Miss distance and time of the closest approach of each track to each point.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track positions and velocities in a local Cartesian frame (any strides).
    asset_pos_m : (k, 3) float64
        Points in the same frame.

    Returns
    -------
    (2, n, k) float64
        ``cpa_m, time_s`` stacked, each as :func:`iadsim.core.kinematics.closest_approach`
        gives it; unpack them as a pair (one array to box for Python rather than two, each
        a Python-level call).
    """
    n, k = pos_m.shape[0], asset_pos_m.shape[0]
    both = np.empty((2, n, k))
    cpa = both[0]
    time = both[1]
    for i in range(n):
        v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
        speed2 = _at_least(v0 * v0 + v1 * v1 + v2 * v2, 1e-9)
        for j in range(k):
            cpa[i, j], time[i, j] = _approach(pos_m, vel_mps, asset_pos_m, i, j, speed2)
    return both


@numba.njit(cache=True)
def _approach(pos_m, vel_mps, asset_pos_m, i, j, speed2):  # pragma: no cover - numba
    """Miss distance and time of the closest approach of track ``i`` to point ``j``
    (``speed2``: the track's squared speed, at least 1e-9), as
    :func:`closest_approach_kernel` gives them."""
    v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
    r0 = asset_pos_m[j, 0] - pos_m[i, 0]
    r1 = asset_pos_m[j, 1] - pos_m[i, 1]
    r2 = asset_pos_m[j, 2] - pos_m[i, 2]
    t = _at_least((0.0 + r0 * v0 + r2 * v2 + r1 * v1) / speed2, 0.0)
    m0, m1, m2 = r0 - t * v0, r1 - t * v1, r2 - t * v2
    return math.sqrt(m0 * m0 + m1 * m1 + m2 * m2), t


@numba.njit(cache=True)
def approaches_within(pos_m, vel_mps, asset_pos_m, i, distance_m):  # pragma: no cover
    """Whether track ``i`` passes within ``distance_m`` of some point, ahead: the test
    ``np.minimum.reduce(np.where(time > 0, cpa, inf)) < distance_m`` on its row of
    :func:`closest_approach_kernel` (a NaN miss distance ahead fails it, as NaN wins that
    minimum; no point: False).

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track positions and velocities (any strides).
    asset_pos_m : (k, 3) float64
    i : int
        The track's row.
    distance_m : float
    """
    v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
    speed2 = _at_least(v0 * v0 + v1 * v1 + v2 * v2, 1e-9)
    nearest = np.inf
    for j in range(asset_pos_m.shape[0]):
        cpa, t = _approach(pos_m, vel_mps, asset_pos_m, i, j, speed2)
        ahead = cpa if t > 0 else np.inf
        if ahead != ahead:
            return False
        if ahead < nearest:
            nearest = ahead
    return nearest < distance_m


@numba.njit(cache=True)
def _norm3(x0: float, x1: float, x2: float) -> float:  # pragma: no cover - numba
    """Euclidean norm of a 3-vector, summed as ``np.linalg.norm`` sums it."""
    return math.sqrt(x0 * x0 + x1 * x1 + x2 * x2)


@numba.njit(cache=True)
def fragment_kernel(
    state_m, time_s, created_s, engaged_id, engaged_state_m, engaged_time_s,
    engaged_last_update_s, t, gate_m, gate_growth, velocity_gate_mps, velocity_gate_fraction,
):  # fmt: skip  # pragma: no cover - numba
    """The engaged track each candidate track is a fragment of, or -1.

    Parameters
    ----------
    state_m : (n, 6) float64
    time_s, created_s : (n,) float64
    engaged_id : (k,) int64
    engaged_state_m : (k, 6) float64
    engaged_time_s, engaged_last_update_s : (k,) float64
    t : float
    gate_m, gate_growth, velocity_gate_mps, velocity_gate_fraction : float
        The gates of :mod:`iadsim.c2.fragments`.

    Returns
    -------
    (n,) int64
        As :func:`iadsim.c2.fragments.continues_engaged`.
    """
    n, k = state_m.shape[0], engaged_state_m.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        dt = t - time_s[i]
        c0 = state_m[i, 0] + state_m[i, 3] * dt
        c1 = state_m[i, 1] + state_m[i, 4] * dt
        c2 = state_m[i, 2] + state_m[i, 5] * dt
        nearest, best, found = 0, np.inf, False
        for j in range(k):
            age = t - engaged_time_s[j]
            e = engaged_state_m[j]
            speed = _norm3(e[3], e[4], e[5])
            distance = _norm3(c0 - (e[0] + e[3] * age), c1 - (e[1] + e[4] * age),
                              c2 - (e[2] + e[5] * age))  # fmt: skip
            dv = _norm3(state_m[i, 3] - e[3], state_m[i, 4] - e[4], state_m[i, 5] - e[5])
            passes = (
                created_s[i] > engaged_last_update_s[j]
                and distance <= gate_m + gate_growth * speed * abs(age)
                and dv <= velocity_gate_mps + velocity_gate_fraction * speed
            )
            found = found or passes
            # np.argmin over the row with np.inf where a track does not pass.
            value = distance if passes else np.inf
            if j == 0 or value < best:
                nearest, best = j, value
        if found:
            out[i] = engaged_id[nearest]
    return out


@numba.njit(cache=True)
def threat_kernel(
    pos_m, vel_mps, asset_pos_m, asset_value, weight, threat_radius_m, half_value_time_s,
    residual_value,
):  # fmt: skip  # pragma: no cover - numba
    """Threat figures of each track, as :func:`iadsim.c2.threat.evaluate_threats` works
    them out from :func:`closest_approach_kernel`'s pairs: the most urgent threatened
    asset taken as ``np.argmin`` takes it (the first of equals, the first NaN), each value
    with the same operations in the same order (so the same bits; a test compares them).

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's frame (any strides).
    asset_pos_m : (k, 3) float64, k >= 1
    asset_value : (k,) float64
    weight : (n,) float64
        Class weight of each track.
    threat_radius_m, half_value_time_s : float
    residual_value : float
        Value of a track that threatens no asset (before its weight).

    Returns
    -------
    time_to_go_s : (n,) float64
    asset : (n,) int64
        -1 where no asset is threatened.
    value : (n,) float64
    """
    n, k = pos_m.shape[0], asset_pos_m.shape[0]
    time_to_go = np.empty(n)
    asset = np.empty(n, dtype=np.int64)
    value = np.empty(n)
    for i in range(n):
        v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
        speed2 = _at_least(v0 * v0 + v1 * v1 + v2 * v2, 1e-9)
        nearest, soonest = 0, np.inf
        for j in range(k):
            cpa, t = _approach(pos_m, vel_mps, asset_pos_m, i, j, speed2)
            go = t if cpa < threat_radius_m else np.inf
            if j == 0 or not go >= soonest:  # np.argmin: replaced by less or NaN
                nearest, soonest = j, go
                if soonest != soonest:
                    break
        time_to_go[i] = soonest
        if np.isfinite(soonest):
            asset[i] = nearest
            value[i] = asset_value[nearest] / (1.0 + soonest / half_value_time_s) * weight[i]
        else:
            asset[i] = -1
            value[i] = residual_value * weight[i]
    return time_to_go, asset, value
