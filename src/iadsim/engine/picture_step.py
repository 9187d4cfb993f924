"""The picture stage: IFF interrogation, identities over the data link, identification."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from iadsim.engine.record import Recorder
from iadsim.geo.frames import ecef_to_enu, ecef_to_lla
from iadsim.sensors.iff import interrogate
from iadsim.tracking.identification import IdentificationRules, Identity, identify

LINK_CORRELATION_GATE_M = 3000.0
"""Distance under which two posts' tracks are taken as the same aircraft (notional)."""
SHARED_IDENTITIES = (Identity.FRIEND, Identity.NEUTRAL, Identity.HOSTILE)
"""Identities a post passes over the data link (decided ones only)."""
DEFAULT_RULES = IdentificationRules()
"""The notional identification thresholds of :mod:`iadsim.tracking.identification`."""
RULE_NAMES = {
    0: "kept",
    1: "secure_iff",
    2: "datalink",
    3: "ballistic_speed",
    4: "threatening_profile",
    5: "civil_iff",
    6: "inbound",
    7: "no_criteria",
}


def linked_identities(unit, units, slots: np.ndarray) -> np.ndarray:
    """Identities that posts sharing a data link with ``unit`` hold for its tracks.

    Tracks are correlated by a one-to-one assignment on ECEF distance within
    :data:`LINK_CORRELATION_GATE_M`; the first partner post (scenario order) with a decided
    identity wins.

    Returns
    -------
    (len(slots),) int8
        ``Identity.PENDING`` where no partner holds a decided identity.
    """
    linked = np.full(len(slots), Identity.PENDING, dtype=np.int8)
    if not unit.datalinks or slots.size == 0:
        return linked
    own = unit.picture.positions_ecef_m(slots)
    for other in units:
        if other is unit or not (unit.datalinks & other.datalinks):
            continue
        their = other.picture.confirmed_slots()
        if their.size == 0:
            continue
        distance = np.linalg.norm(
            own[:, None, :] - other.picture.positions_ecef_m(their)[None], axis=-1
        )
        rows, cols = linear_sum_assignment(
            np.where(distance < LINK_CORRELATION_GATE_M, distance, 1e12)
        )
        ok = distance[rows, cols] < LINK_CORRELATION_GATE_M
        identity = other.picture.column("identity")[their[cols[ok]]].astype(np.int8)
        decided = np.isin(identity, SHARED_IDENTITIES) & (linked[rows[ok]] == Identity.PENDING)
        linked[rows[ok][decided]] = identity[decided]
    return linked


def update_identities(
    unit,
    units,
    entities,
    truth,
    assets_ecef_m,
    time_s: float,
    recorder: Recorder,
    rules: IdentificationRules = DEFAULT_RULES,
) -> None:
    """Interrogate the post's confirmed tracks, merge link identities, apply the rules.

    Each change of identity is recorded as an ``identity`` event with its reason.
    """
    picture = unit.picture
    slots = picture.confirmed_slots()
    if slots.size == 0:
        return
    truth_index = picture.column("truth")[slots].astype(np.int64)
    replying = (truth_index >= 0) & truth.present[np.maximum(truth_index, 0)]
    transponder = np.where(replying, entities.transponder[np.maximum(truth_index, 0)], 0)
    secure, civil = interrogate(unit.interrogator_mask, transponder)
    current = picture.column("identity")[slots].astype(np.int8)
    state = picture.table.state[slots]
    assets = ecef_to_enu(assets_ecef_m, picture.origin_ecef_m, picture.rotation)
    new, reason = identify(
        current,
        secure,
        civil,
        linked_identities(unit, units, slots),
        state[:, :3],
        state[:, 3:],
        assets,
        rules,
    )
    picture.column("identity")[slots] = new
    picture.column("secure_reply")[slots] = secure
    picture.column("civil_reply")[slots] = civil
    changed = np.flatnonzero(new != current)
    if changed.size == 0:
        return
    lat, lon, alt = ecef_to_lla(picture.positions_ecef_m(slots[changed]))
    for k, row in enumerate(changed):
        t_index = truth_index[row]
        recorder.event(
            time_s,
            "identity",
            unit=unit.name,
            track_id=int(picture.table.track_id[slots[row]]),
            truth=entities.name[t_index] if t_index >= 0 else "",
            lla=(float(lat[k]), float(lon[k]), float(alt[k])),
            old=Identity(int(current[row])).name.lower(),
            new=Identity(int(new[row])).name.lower(),
            reason=RULE_NAMES[int(reason[row])],
        )
