"""Numba kernels of identification: the ``stanag1241`` rule precedence, flight-plan matching.

:func:`rule_precedence_kernel` gives each track the identity and reason of the rule of
highest precedence that applies to it (the order of
:mod:`iadsim.c2.picture.identification`), one track at a time, testing the rules from the
highest down; :func:`rule_precedence_reference` applies every rule to all tracks from the
lowest up, so that later assignments win. Both only compare numbers, so they agree to the
bit (a test compares them). A post identifies its few tracks at every decision cycle, where
the forty small NumPy calls of the twin cost far more than the comparisons.

:func:`speed_bounds_kernel` is the compiled twin of
:func:`iadsim.c2.picture.stage.note_speed_bounds_reference`: the speed summed left to right
as ``np.add.reduce`` sums it, the variance ``u' P u`` summed over ``(i, j)`` in row-major
order from zero, each term ``(u_i P_ij) u_j``, as ``np.einsum("ni,nij,nj->n")`` sums it
(a test compares them to the bit).

:func:`flight_plan_kernel` is the compiled twin of
:func:`iadsim.c2.picture.procedural.flight_plan_identities`: the same distances summed in
the same order (``np.add.reduce``, left to right), the nearest plan taken as ``np.argmin``
takes it (the first of equals, the first NaN), so the same identities;
:func:`plans_in_frame_kernel` runs it on tracks in a post's frame, with the conversion to
ECEF and the selection of the plans flying now in the same call.

Identity and reason codes are those of :class:`~iadsim.c2.picture.identification.Identity`
and :class:`~iadsim.c2.picture.identification.IdentityReason` (restated here as plain
integers: the kernel cannot read enums).
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.c2._kinematics_kernels import approaches_within
from iadsim.core.kinematics import closest_approach, vector_norm
from iadsim.geo._frame_kernels import enu_to_ecef_kernel

__all__ = [
    "flight_plan_kernel",
    "plans_in_frame_kernel",
    "rule_precedence_kernel",
    "rule_precedence_reference",
    "speed_bounds_kernel",
]

# Identity values.
_PENDING, _UNKNOWN, _FRIEND, _NEUTRAL, _SUSPECT, _HOSTILE = 0, 1, 2, 4, 5, 6
# IdentityReason values.
_KEPT, _SECURE_IFF, _DATALINK, _BALLISTIC_TRAJECTORY, _CIVIL_IFF = 0, 1, 2, 3, 4
_INBOUND, _HIGH_SPEED, _NO_CRITERIA, _PROCEDURAL, _NOT_INTERROGATED = 5, 6, 7, 8, 9


@numba.njit(cache=True)
def rule_precedence_kernel(
    current, secure_reply_age_s, civil_reply_age_s, linked, procedural, speed_low_mps,
    update_age_s, interrogated, pos_m, vel_mps, asset_pos_m, reply_hold_s, coast_hold_s,
    ballistic_speed_mps, ballistic_looks, hostile_by_link, ballistic, suspect_cpa_m,
):  # fmt: skip  # pragma: no cover - numba
    """Identity and reason of each track by the rule of highest precedence that applies.

    Parameters
    ----------
    current, linked, procedural : (n,) int8
        The evidence's identities (:class:`~iadsim.core.contracts.TrackEvidence`).
    secure_reply_age_s, civil_reply_age_s, update_age_s : (n,) float64
        Ages, s.
    speed_low_mps : (n, h) float64
        Lower speed bounds at the latest radar updates, newest first (NaN: none), m/s.
    interrogated : (n,) bool
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's frame, m and m/s (any strides): the ``high_speed`` rule
        tests the speed ``|v|`` (summed as :func:`iadsim.core.kinematics.vector_norm`
        sums it) against ``ballistic_speed_mps``, the ``inbound`` rule the closest
        approach to the assets, ahead, against ``suspect_cpa_m``
        (:func:`~iadsim.c2._kinematics_kernels.approaches_within`); each only for the
        tracks that reach it.
    asset_pos_m : (k, 3) float64
        Defended assets in the same frame, m.
    reply_hold_s, coast_hold_s, ballistic_speed_mps : float
    ballistic_looks : int
        Columns of ``speed_low_mps`` that must all exceed ``ballistic_speed_mps``.
    hostile_by_link, ballistic : bool
        The ``datalink`` and ``ballistic_trajectory`` hostile criteria apply.
    suspect_cpa_m : float

    Returns
    -------
    (2, n) int8
        ``identity, reason`` stacked; unpack them as a pair (one array to box for Python
        rather than two, each a Python-level call).
    """
    n = current.shape[0]
    both = np.empty((2, n), dtype=np.int8)
    identity = both[0]
    reason = both[1]
    for i in range(n):
        fast_looks = 0
        for j in range(ballistic_looks):
            if speed_low_mps[i, j] > ballistic_speed_mps:
                fast_looks += 1
        link = linked[i]
        if secure_reply_age_s[i] <= reply_hold_s:
            new, why = _FRIEND, _SECURE_IFF
        elif link in (_FRIEND, _NEUTRAL):
            new, why = link, _DATALINK
        elif link == _HOSTILE and hostile_by_link:
            new, why = _HOSTILE, _DATALINK
        elif ballistic and fast_looks == ballistic_looks:
            new, why = _HOSTILE, _BALLISTIC_TRAJECTORY
        elif ballistic and fast_looks > 0 and current[i] == _HOSTILE:
            new, why = _HOSTILE, _KEPT
        elif update_age_s[i] > coast_hold_s and current[i] != _PENDING:
            new, why = current[i], _KEPT
        elif link == _HOSTILE:
            new, why = _SUSPECT, _DATALINK
        elif procedural[i] != _PENDING:
            new, why = procedural[i], _PROCEDURAL
        elif civil_reply_age_s[i] <= reply_hold_s:
            new, why = _NEUTRAL, _CIVIL_IFF
        elif not interrogated[i]:
            new, why = _PENDING, _NOT_INTERROGATED
        elif _speed(vel_mps, i) > ballistic_speed_mps:
            new, why = _SUSPECT, _HIGH_SPEED
        elif approaches_within(pos_m, vel_mps, asset_pos_m, i, suspect_cpa_m):
            new, why = _SUSPECT, _INBOUND
        else:
            new, why = _UNKNOWN, _NO_CRITERIA
        identity[i] = new
        reason[i] = why
    return both


@numba.njit(cache=True)
def _speed(vel_mps, i):  # pragma: no cover - numba
    """``|v|`` of row ``i``, as :func:`iadsim.core.kinematics.vector_norm` gives it."""
    v0, v1, v2 = vel_mps[i, 0], vel_mps[i, 1], vel_mps[i, 2]
    return np.sqrt(v0 * v0 + v1 * v1 + v2 * v2)


def rule_precedence_reference(
    current, secure_reply_age_s, civil_reply_age_s, linked, procedural, speed_low_mps,
    update_age_s, interrogated, pos_m, vel_mps, asset_pos_m, reply_hold_s, coast_hold_s,
    ballistic_speed_mps, ballistic_looks, hostile_by_link, ballistic, suspect_cpa_m,
):  # fmt: skip
    """NumPy twin of :func:`rule_precedence_kernel` (same parameters, same identities and
    reasons, as a pair of arrays)."""
    n = len(current)
    high_speed = vector_norm(vel_mps) > ballistic_speed_mps
    inbound = np.zeros(n, dtype=bool)
    if len(asset_pos_m) and n:
        cpa, time_to_cpa = closest_approach(pos_m, vel_mps, asset_pos_m)
        ahead = np.where(time_to_cpa > 0, cpa, np.inf)
        inbound = np.minimum.reduce(ahead, axis=1) < suspect_cpa_m
    identity = np.full(n, _UNKNOWN, dtype=np.int8)
    reason = np.full(n, _NO_CRITERIA, dtype=np.int8)
    fast = speed_low_mps[:, :ballistic_looks] > ballistic_speed_mps
    confirmed = fast.all(axis=1)
    still_fast = fast.any(axis=1) & (current == _HOSTILE)
    link_hostile = linked == _HOSTILE
    coasting = (update_age_s > coast_hold_s) & (current != _PENDING)
    # Lowest precedence first, so that later assignments win.
    for mask, proposed, rule in (
        (inbound, _SUSPECT, _INBOUND),
        (high_speed, _SUSPECT, _HIGH_SPEED),
        (~interrogated, _PENDING, _NOT_INTERROGATED),
        (civil_reply_age_s <= reply_hold_s, _NEUTRAL, _CIVIL_IFF),
        (procedural != _PENDING, procedural, _PROCEDURAL),
        (link_hostile & (not hostile_by_link), _SUSPECT, _DATALINK),
        (coasting, current, _KEPT),
        (still_fast & ballistic, _HOSTILE, _KEPT),
        (confirmed & ballistic, _HOSTILE, _BALLISTIC_TRAJECTORY),
        (link_hostile & hostile_by_link, _HOSTILE, _DATALINK),
        ((linked == _FRIEND) | (linked == _NEUTRAL), linked, _DATALINK),
        (secure_reply_age_s <= reply_hold_s, _FRIEND, _SECURE_IFF),
    ):
        mask = np.asarray(mask, dtype=bool)
        np.copyto(identity, proposed, casting="unsafe", where=mask)
        reason[mask] = rule
    return identity, reason


@numba.njit(cache=True)
def flight_plan_kernel(track_pos_m, planned_pos_m, planned_identity, gate_m):  # pragma: no cover
    """Identity from the nearest flight plan within the gate, else PENDING.

    Parameters
    ----------
    track_pos_m : (n, 3) float64
    planned_pos_m : (k, 3) float64
    planned_identity : (k,) int8
    gate_m : float

    Returns
    -------
    (n,) int8
        As :func:`iadsim.c2.picture.procedural.flight_plan_identities`.
    """
    n, k = track_pos_m.shape[0], planned_pos_m.shape[0]
    identity = np.full(n, _PENDING, dtype=np.int8)
    if k == 0:
        return identity
    for i in range(n):
        nearest, best = 0, np.inf
        for j in range(k):
            d0 = track_pos_m[i, 0] - planned_pos_m[j, 0]
            d1 = track_pos_m[i, 1] - planned_pos_m[j, 1]
            d2 = track_pos_m[i, 2] - planned_pos_m[j, 2]
            distance = np.sqrt(d0 * d0 + d1 * d1 + d2 * d2)
            if distance != distance:  # NaN: np.argmin stops at the first
                nearest, best = j, distance
                break
            if j == 0 or distance < best:
                nearest, best = j, distance
        if best <= gate_m:
            identity[i] = planned_identity[nearest]
    return identity


@numba.njit(cache=True)
def plans_in_frame_kernel(
    track_enu_m, origin_ecef_m, rotation, planned_pos_m, planned_identity, held, flying, gate_m
):  # fmt: skip  # pragma: no cover - numba
    """:func:`flight_plan_kernel` of tracks given in a post's ENU frame against the plans a
    side holds that are flying now, in one call: the tracks converted to ECEF as
    :func:`iadsim.geo.frames.enu_to_ecef` converts them, the plans taken as
    ``planned_pos_m[held & flying]`` takes them (so the same identities as those steps).

    Parameters
    ----------
    track_enu_m : (n, 3) float64
        Track positions in the post's frame (any strides), m.
    origin_ecef_m : (3,) float64
    rotation : (3, 3) float64
        The frame's ECEF -> ENU rotation.
    planned_pos_m : (k, 3) float64
        Every plan's planned ECEF position now, m.
    planned_identity : (k,) int8
    held, flying : (k,) bool
        The plans the post's side holds; those whose aircraft is flying now.
    gate_m : float

    Returns
    -------
    (n,) int8
    """
    k = planned_pos_m.shape[0]
    active = np.empty(k, dtype=np.int64)
    count = 0
    for j in range(k):
        if held[j] and flying[j]:
            active[count] = j
            count += 1
    active = active[:count]
    track_pos_m = enu_to_ecef_kernel(track_enu_m, origin_ecef_m, rotation)
    return flight_plan_kernel(track_pos_m, planned_pos_m[active], planned_identity[active], gate_m)


@numba.njit(cache=True)
def speed_bounds_kernel(
    slots, last_update_s, evaluated_s, state, covariance, speed_low_mps, sigmas
):  # pragma: no cover - numba
    """Push the lower speed bound of each track of ``slots`` updated since its last
    evaluation, in place (:func:`iadsim.c2.picture.stage.note_speed_bounds`).

    Parameters
    ----------
    slots : (n,) int64
    last_update_s, evaluated_s : (capacity,) float64
        Last radar update and last evaluation of each slot, s; ``evaluated_s`` is set.
    state : (capacity, >=6) float64
        Velocity in columns 3 to 5, m/s.
    covariance : (capacity, >=6, >=6) float64
    speed_low_mps : (capacity, h) float64
        History of lower speed bounds, newest first; shifted by one and written.
    sigmas : float
        ``k`` of ``|v| - k sigma_v``.
    """
    h = speed_low_mps.shape[1]
    for s in slots:
        if not last_update_s[s] > evaluated_s[s]:
            continue
        vx, vy, vz = state[s, 3], state[s, 4], state[s, 5]
        speed = np.sqrt(vx * vx + vy * vy + vz * vz)
        scale = speed
        if scale < 1e-9:  # np.maximum(speed, 1e-9), which keeps a NaN
            scale = 1e-9
        u0, u1, u2 = vx / scale, vy / scale, vz / scale
        c = covariance
        var = 0.0
        var += u0 * c[s, 3, 3] * u0
        var += u0 * c[s, 3, 4] * u1
        var += u0 * c[s, 3, 5] * u2
        var += u1 * c[s, 4, 3] * u0
        var += u1 * c[s, 4, 4] * u1
        var += u1 * c[s, 4, 5] * u2
        var += u2 * c[s, 5, 3] * u0
        var += u2 * c[s, 5, 4] * u1
        var += u2 * c[s, 5, 5] * u2
        if var < 0.0:  # np.maximum(var, 0.0), which keeps a NaN
            var = 0.0
        for k in range(h - 1, 0, -1):
            speed_low_mps[s, k] = speed_low_mps[s, k - 1]
        speed_low_mps[s, 0] = speed - sigmas * np.sqrt(var)
        evaluated_s[s] = last_update_s[s]
