"""The picture stage of a decision cycle: the evidence on each track, then identification.

The evidence a post has on its confirmed tracks (:class:`~iadsim.core.contracts.TrackEvidence`)
is gathered here from what the post itself holds: the IFF replies correlated with each
track (:mod:`iadsim.c2.picture.iff_correlation`), the identities offered by the data link
(the post's fused picture, :mod:`iadsim.c2.picture.datalink`), the flight plans and safe
corridors it knows (:mod:`iadsim.c2.picture.procedural`) and the tracks' own kinematics.
The scenario's identification rule set (:data:`iadsim.core.registry.IDENTIFICATION_RULES`)
turns it into identities. The stage returns the changes of identity; the engine records them
as events (c2 does not reach up into the engine's recorder).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.c2.picture._identification_kernels import speed_bounds_kernel
from iadsim.c2.picture._stage_kernels import evidence_columns_kernel, write_identities_kernel
from iadsim.c2.picture.identification import Identity, IdentityReason
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.c2.picture.procedural import FlightPlans, corridor_identities
from iadsim.core.contracts import IdentificationRules, TrackEvidence
from iadsim.core.kinematics import vector_norm
from iadsim.geo.frames import ecef_to_lla, enu_to_ecef

SPEED_BOUND_SIGMAS = 2.0
"""A track's speed counts as at least ``speed - 2 sigma`` (a two-sided 95 % bound)."""
# Plain integer codes for the array tests of every decision cycle (an enum member's lookup
# costs far more than the comparison).
_PENDING = int(Identity.PENDING)
_BY_DATALINK = int(IdentityReason.DATALINK)
_KEPT = int(IdentityReason.KEPT)


@dataclass(frozen=True)
class IdentityChange:
    """One track whose identity changed at a decision cycle (an ``identity`` event).

    Attributes
    ----------
    track_id : int
    truth : str
        Name of the entity the track follows, ``""`` for a false track (scoring only).
    lla : tuple of float
        Track position: latitude (rad), longitude (rad), altitude (m).
    old, new : Identity
        Identities before and after.
    reason : IdentityReason
        The rule that decided the new identity.
    """

    track_id: int
    truth: str
    lla: tuple[float, float, float]
    old: Identity
    new: Identity
    reason: IdentityReason


def procedural_identities(
    unit, plans: FlightPlans, track_enu_m: np.ndarray, time_s: float
) -> np.ndarray:
    """Identity from the flight plans the post holds, else from its safe corridors.

    Parameters
    ----------
    unit : FireUnitState
    plans : FlightPlans
    track_enu_m : (n, 3) float64
        Track positions in the post's frame (any strides), m.
    time_s : float

    Returns
    -------
    (n,) int8
        ``Identity.PENDING`` where neither applies.
    """
    picture = unit.picture
    origin, rotation = picture.origin_ecef_m, picture.rotation
    by_plan = plans.identities_in_frame(unit.spec.side, track_enu_m, origin, rotation, time_s)
    if not unit.corridors:
        return by_plan
    lat, lon, alt = ecef_to_lla(enu_to_ecef(track_enu_m, origin, rotation))
    identity = corridor_identities(unit.corridors, lat, lon, alt)
    return np.where(by_plan != _PENDING, by_plan, identity).astype(np.int8)


def note_speed_bounds(picture: CommandPostPicture, slots: np.ndarray) -> None:
    """Push the lower speed bound of each track updated since its last evaluation.

    The bound is ``|v| - k sigma_v`` with ``sigma_v^2 = u' P_vv u`` the variance of the
    speed along the velocity ``u = v / |v|`` (first order), ``k`` =
    :data:`SPEED_BOUND_SIGMAS`; it goes first in the track's ``speed_low_mps`` history.
    Compiled (:func:`~iadsim.c2.picture._identification_kernels.speed_bounds_kernel`):
    a post's few tracks at every decision cycle; :func:`note_speed_bounds_reference` is
    its NumPy twin.
    """
    table = picture.table
    speed_bounds_kernel(
        slots,
        table.last_update_s,
        table.extra["evaluated_update_s"],
        table.state,
        table.covariance,
        table.extra["speed_low_mps"],
        SPEED_BOUND_SIGMAS,
    )


def note_speed_bounds_reference(picture: CommandPostPicture, slots: np.ndarray) -> None:
    """NumPy twin of :func:`note_speed_bounds` (same arguments, same bits)."""
    table = picture.table
    evaluated = table.extra["evaluated_update_s"]
    updated = slots[table.last_update_s[slots] > evaluated[slots]]
    if updated.size == 0:
        return
    velocity = table.state[updated, 3:6]
    speed = vector_norm(velocity)
    direction = velocity / np.maximum(speed, 1e-9)[:, None]
    cov = table.covariance[updated, 3:6, 3:6]
    sigma = np.sqrt(np.maximum(np.einsum("ni,nij,nj->n", direction, cov, direction), 0.0))
    history = table.extra["speed_low_mps"]
    history[updated, 1:] = history[updated, :-1]
    history[updated, 0] = speed - SPEED_BOUND_SIGMAS * sigma
    evaluated[updated] = table.last_update_s[updated]


def update_identities(
    unit,
    linked: np.ndarray,
    rules: IdentificationRules,
    plans: FlightPlans,
    assets_ecef_m: np.ndarray,
    time_s: float,
    names: list[str],
) -> list[IdentityChange]:
    """Gather the evidence on the post's confirmed tracks and apply the rules.

    Parameters
    ----------
    unit : FireUnitState
    linked : (n_confirmed,) int8
        For each confirmed track (``picture.confirmed_slots()`` order), the decided identity
        a linked post reports for it, ``Identity.PENDING`` where none.
    rules : IdentificationRules
    plans : FlightPlans
    assets_ecef_m : (k, 3) float64
    time_s : float
    names : list of str
        Air entity names, for the changes' truth labels (scoring only).

    Returns
    -------
    list of IdentityChange
        Each change of identity with its reason, in slot order.
    """
    picture = unit.picture
    slots = picture.confirmed_slots()
    if slots.size == 0:
        return []
    note_speed_bounds(picture, slots)
    table = picture.table
    column = table.extra  # the picture's columns by name (picture.column), looked up once
    identity = column["identity"]
    current = identity[slots]  # int8, a copy
    state = table.state[slots]
    ages_s, interrogated = evidence_columns_kernel(
        slots,
        time_s,
        column["secure_reply_s"],
        column["civil_reply_s"],
        table.last_update_s,
        column["interrogated_s"],
        table.created_s,
    )
    evidence = TrackEvidence(
        current=current,
        secure_reply_age_s=ages_s[0],
        civil_reply_age_s=ages_s[1],
        linked=np.asarray(linked, dtype=np.int8),
        pos_m=state[:, :3],
        vel_mps=state[:, 3:6],
        asset_pos_m=picture.in_frame_m(assets_ecef_m),
        procedural=procedural_identities(unit, plans, state[:, :3], time_s),
        speed_low_mps=column["speed_low_mps"][slots],
        update_age_s=ages_s[2],
        interrogated=interrogated,
    )
    new, reason = rules.identify(evidence)
    # Written back with the link flag: the link set it, or a kept identity that it had set.
    changed = write_identities_kernel(
        slots, current, new, reason, identity, column["identity_from_link"], _BY_DATALINK, _KEPT
    )
    if changed.size == 0:
        return []
    truth_index = column["truth"][slots].astype(np.int64)
    lat, lon, alt = ecef_to_lla(picture.positions_ecef_m(slots[changed]))
    changes = []
    for k, row in enumerate(changed):
        t_index = truth_index[row]
        changes.append(
            IdentityChange(
                track_id=int(table.track_id[slots[row]]),
                truth=names[t_index] if t_index >= 0 else "",
                lla=(float(lat[k]), float(lon[k]), float(alt[k])),
                old=Identity(int(current[row])),
                new=Identity(int(new[row])),
                reason=IdentityReason(int(reason[row])),
            )
        )
    return changes
