"""The picture stage: IFF interrogation, identities from the data link, identification.

The identities offered by the link come from the post's fused picture
(:mod:`iadsim.c2.picture.datalink`): reports that arrived, correlated with the post's tracks.
The stage returns the changes of identity; the engine records them as events (c2 does not
reach up into the engine's recorder).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.c2.picture.identification import (
    IdentificationRules,
    Identity,
    IdentityReason,
    corridor_identities,
    flight_plan_identities,
    identify,
)
from iadsim.geo.frames import ecef_to_lla
from iadsim.sensors.iff import interrogate

DEFAULT_RULES = IdentificationRules()
"""The notional identification thresholds of :mod:`iadsim.c2.picture.identification`."""


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


def procedural_identities(unit, track_pos_ecef_m: np.ndarray, entities, truth) -> np.ndarray:
    """Identity from the flight plans the post holds, else from its safe corridors.

    A flight plan puts its aircraft where the filed route says at this time; the aircraft
    here fly their plans, so the planned positions are those of the planned flights still
    airborne (a deviation from the plan is not modelled).
    """
    identity = np.full(len(track_pos_ecef_m), Identity.PENDING, dtype=np.int8)
    if unit.corridors:
        lat, lon, alt = ecef_to_lla(track_pos_ecef_m)
        identity = corridor_identities(unit.corridors, lat, lon, alt)
    planned = np.flatnonzero(
        [unit.spec.side in holders for holders in entities.flight_plan_holders] & truth.present
    )
    if planned.size:
        civil = np.array([entities.label("category", i) == "airliner" for i in planned])
        by_plan = flight_plan_identities(
            track_pos_ecef_m,
            truth.pos_ecef_m[planned],
            np.where(civil, Identity.NEUTRAL, Identity.ASSUMED_FRIEND),
        )
        identity = np.where(by_plan != Identity.PENDING, by_plan, identity).astype(np.int8)
    return identity


def update_identities(
    unit,
    linked: np.ndarray,
    entities,
    truth,
    assets_ecef_m,
    rules: IdentificationRules = DEFAULT_RULES,
) -> list[IdentityChange]:
    """Interrogate the post's confirmed tracks, merge link identities, apply the rules.

    ``linked`` holds, for each confirmed track (``picture.confirmed_slots()`` order), the
    decided identity a linked post reports for it, ``Identity.PENDING`` where none.

    Returns
    -------
    list of IdentityChange
        Each change of identity with its reason, in slot order.
    """
    picture = unit.picture
    slots = picture.confirmed_slots()
    if slots.size == 0:
        return []
    truth_index = picture.column("truth")[slots].astype(np.int64)
    replying = (truth_index >= 0) & truth.present[np.maximum(truth_index, 0)]
    transponder = np.where(replying, entities.transponder[np.maximum(truth_index, 0)], 0)
    secure, civil = interrogate(unit.interrogator_mask, transponder)
    current = picture.column("identity")[slots].astype(np.int8)
    state = picture.table.state[slots]
    assets = picture.in_frame_m(assets_ecef_m)
    procedural = procedural_identities(unit, picture.positions_ecef_m(slots), entities, truth)
    new, reason = identify(
        current,
        secure,
        civil,
        linked,
        state[:, :3],
        state[:, 3:],
        assets,
        rules,
        procedural,
    )
    picture.column("identity")[slots] = new
    # The link set it, or a sticky identity that the link had set is kept.
    from_link = picture.column("identity_from_link")
    from_link[slots] = (reason == IdentityReason.DATALINK) | (
        (reason == IdentityReason.KEPT) & (from_link[slots] > 0)
    )
    picture.column("secure_reply")[slots] = secure
    picture.column("civil_reply")[slots] = civil
    changed = np.flatnonzero(new != current)
    if changed.size == 0:
        return []
    lat, lon, alt = ecef_to_lla(picture.positions_ecef_m(slots[changed]))
    changes = []
    for k, row in enumerate(changed):
        t_index = truth_index[row]
        changes.append(
            IdentityChange(
                track_id=int(picture.table.track_id[slots[row]]),
                truth=entities.name[t_index] if t_index >= 0 else "",
                lla=(float(lat[k]), float(lon[k]), float(alt[k])),
                old=Identity(int(current[row])),
                new=Identity(int(new[row])),
                reason=IdentityReason(int(reason[row])),
            )
        )
    return changes
