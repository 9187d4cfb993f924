"""STANAG 1241 identification rules, on hand-built evidence (asset at the origin, ENU m).

Each test pins one rule of :mod:`iadsim.c2.picture.identification` against what the rule
says by hand; the timelines feed a sequence of evidence, as a post's decision cycles would.
"""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture.identification import (
    SPEED_HISTORY,
    Identity,
    IdentityReason,
    Stanag1241Rules,
)
from iadsim.core.contracts import IdentificationRules, TrackEvidence
from iadsim.core.registry import IDENTIFICATION_RULES

RULES = Stanag1241Rules()  # hold 30 s, coast 20 s, 800 m/s over 3 looks, suspect CPA 80 km
ASSET = np.zeros((1, 3))
NEVER = np.inf

# Named geometries: (position, velocity).
INBOUND_DIRECT = ((0.0, 100_000.0, 5_000.0), (0.0, -250.0, 0.0))  # CPA ~5 km at 400 s
INBOUND_OFFSET_50KM = ((50_000.0, 100_000.0, 5_000.0), (0.0, -250.0, 0.0))  # CPA 50 km
PASSING_FAR = ((200_000.0, -100_000.0, 9_000.0), (0.0, 250.0, 0.0))  # CPA 200 km
OUTBOUND_NEAR = ((0.0, 10_000.0, 3_000.0), (0.0, 250.0, 0.0))  # 10 km away, opening
BALLISTIC = ((0.0, 300_000.0, 40_000.0), (0.0, -1_500.0, -500.0))


def evidence(geometries, **columns) -> TrackEvidence:
    n = len(geometries)
    speeds = [np.linalg.norm(g[1]) for g in geometries]
    default_history = np.full((n, SPEED_HISTORY), np.nan)
    default_history[:, 0] = speeds
    return TrackEvidence(
        current=np.asarray(columns.get("current", [Identity.PENDING] * n), dtype=np.int8),
        secure_reply_age_s=np.asarray(columns.get("secure", [NEVER] * n), dtype=float),
        civil_reply_age_s=np.asarray(columns.get("civil", [NEVER] * n), dtype=float),
        linked=np.asarray(columns.get("linked", [Identity.PENDING] * n), dtype=np.int8),
        pos_m=np.array([g[0] for g in geometries], dtype=float),
        vel_mps=np.array([g[1] for g in geometries], dtype=float),
        asset_pos_m=columns.get("assets", ASSET),
        procedural=np.asarray(columns.get("procedural", [Identity.PENDING] * n), dtype=np.int8),
        speed_low_mps=np.asarray(columns.get("history", default_history), dtype=float),
        update_age_s=np.asarray(columns.get("update_age", [1.0] * n), dtype=float),
        interrogated=np.asarray(columns.get("interrogated", [True] * n), dtype=bool),
    )


def identify(geometries, rules=RULES, **columns):
    return rules.identify(evidence(geometries, **columns))


def test_the_rule_set_is_registered_and_plays_the_role():
    rules = IDENTIFICATION_RULES.get("stanag1241")()
    assert isinstance(rules, IdentificationRules)
    assert rules == RULES


def test_no_profile_is_ever_hostile_without_a_hostile_criterion():
    # The old "threatening profile" (inbound, no reply, CPA 5 km within 900 s) is suspect.
    identity, reason = identify([INBOUND_DIRECT, INBOUND_OFFSET_50KM])
    assert identity.tolist() == [Identity.SUSPECT, Identity.SUSPECT]
    assert reason.tolist() == [IdentityReason.INBOUND, IdentityReason.INBOUND]


def test_passing_and_opening_tracks_stay_unknown():
    identity, reason = identify([PASSING_FAR, OUTBOUND_NEAR])
    assert identity.tolist() == [Identity.UNKNOWN, Identity.UNKNOWN]
    assert reason.tolist() == [IdentityReason.NO_CRITERIA, IdentityReason.NO_CRITERIA]


def test_secure_reply_makes_a_friend_even_on_a_ballistic_course():
    identity, reason = identify([INBOUND_DIRECT, BALLISTIC], secure=[0.0, 5.0])
    assert identity.tolist() == [Identity.FRIEND, Identity.FRIEND]
    assert reason.tolist() == [IdentityReason.SECURE_IFF, IdentityReason.SECURE_IFF]


def test_a_track_not_yet_challenged_stays_pending_unless_other_evidence_decides():
    # Inbound, fast, silent: no IFF challenge yet, so the silence means nothing. A flight
    # plan, a link identity or a confirmed ballistic trajectory still decide.
    history = np.full((4, SPEED_HISTORY), np.nan)
    history[3, :3] = 2_000.0
    identity, reason = identify(
        [INBOUND_DIRECT, INBOUND_DIRECT, INBOUND_DIRECT, BALLISTIC],
        interrogated=[False] * 4,
        procedural=[Identity.PENDING, Identity.ASSUMED_FRIEND, Identity.PENDING, 0],
        linked=[Identity.PENDING, Identity.PENDING, Identity.FRIEND, Identity.PENDING],
        history=history,
    )
    assert identity.tolist() == [
        Identity.PENDING,
        Identity.ASSUMED_FRIEND,
        Identity.FRIEND,
        Identity.HOSTILE,
    ]
    assert reason[0] == IdentityReason.NOT_INTERROGATED


def test_civil_reply_is_neutral_and_a_flight_plan_outranks_it():
    identity, reason = identify(
        [INBOUND_DIRECT, INBOUND_DIRECT],
        civil=[10.0, 10.0],
        procedural=[Identity.PENDING, Identity.ASSUMED_FRIEND],
    )
    assert identity.tolist() == [Identity.NEUTRAL, Identity.ASSUMED_FRIEND]
    assert reason.tolist() == [IdentityReason.CIVIL_IFF, IdentityReason.PROCEDURAL]


def test_friend_timeline_holds_through_a_short_reply_gap_and_drops_after_the_hold():
    # A jet inbound on the asset replies at t = 0 s, then falls silent (say it is garbled).
    ages = [0.0, 10.0, 20.0, 30.0, 30.5, 60.0]
    timeline = [identify([INBOUND_DIRECT], secure=[age])[0][0] for age in ages]
    assert timeline == [Identity.FRIEND] * 4 + [Identity.SUSPECT] * 2
    longer = Stanag1241Rules(reply_hold_s=60.0)
    assert identify([INBOUND_DIRECT], longer, secure=[60.0])[0][0] == Identity.FRIEND


def ballistic_timeline(speed_lows, rules=RULES):
    """Identities over successive radar updates whose lower speed bounds are given."""
    history = np.full((1, SPEED_HISTORY), np.nan)
    current = Identity.PENDING
    out = []
    for low in speed_lows:
        history[0, 1:] = history[0, :-1]
        history[0, 0] = low
        speed = max(low, 250.0) + 50.0
        geometry = ((0.0, 300_000.0, 20_000.0), (0.0, -speed, 0.0))
        identity, reason = identify([geometry], rules, current=[current], history=history)
        current = Identity(int(identity[0]))
        out.append((current, IdentityReason(int(reason[0]))))
    return out


def test_a_ballistic_trajectory_is_hostile_only_once_confirmed_over_three_looks():
    out = ballistic_timeline([1_900.0, 1_950.0, 2_000.0, 2_000.0])
    assert [i for i, _ in out] == [Identity.SUSPECT] * 2 + [Identity.HOSTILE] * 2
    assert out[0][1] == IdentityReason.HIGH_SPEED
    assert out[2][1] == IdentityReason.BALLISTIC_TRAJECTORY


def test_one_track_start_transient_is_not_a_ballistic_trajectory():
    # A new track's first velocity comes out at 1.2 km/s (two noisy plots), then settles at
    # the 250 m/s of the jet it follows: never hostile, suspect only while it looked fast.
    out = ballistic_timeline([1_200.0, 240.0, 245.0, 250.0])
    assert Identity.HOSTILE not in [i for i, _ in out]
    assert out[0] == (Identity.SUSPECT, IdentityReason.HIGH_SPEED)


def test_a_hostile_ballistic_track_that_swaps_onto_a_jet_is_released():
    # Confirmed over three looks, then the track follows a 250 m/s jet: hostile is held while
    # one of the last three looks was ballistic, and released at the third slow look.
    out = ballistic_timeline([2_000.0] * 3 + [230.0, 240.0, 235.0, 240.0])
    identities = [i for i, _ in out]
    assert identities[:5] == [Identity.SUSPECT, Identity.SUSPECT] + [Identity.HOSTILE] * 3
    assert out[3][1] == out[4][1] == IdentityReason.KEPT
    assert identities[5] != Identity.HOSTILE


def test_without_the_ballistic_criterion_a_ballistic_missile_is_suspect():
    rules = Stanag1241Rules(hostile_criteria=["datalink"])
    out = ballistic_timeline([2_000.0] * 4, rules)
    assert {i for i, _ in out} == {Identity.SUSPECT}


def test_a_linked_hostile_needs_the_datalink_criterion():
    with_authority, reason = identify([PASSING_FAR], linked=[Identity.HOSTILE])
    assert (with_authority[0], reason[0]) == (Identity.HOSTILE, IdentityReason.DATALINK)
    without = Stanag1241Rules(hostile_criteria=["ballistic_trajectory"])
    identity, reason = identify([PASSING_FAR], without, linked=[Identity.HOSTILE])
    assert (identity[0], reason[0]) == (Identity.SUSPECT, IdentityReason.DATALINK)


def test_linked_friend_and_neutral_are_adopted_but_a_secure_reply_wins():
    identity, reason = identify(
        [INBOUND_DIRECT, INBOUND_DIRECT, INBOUND_DIRECT],
        linked=[Identity.FRIEND, Identity.NEUTRAL, Identity.HOSTILE],
        secure=[NEVER, NEVER, 0.0],
    )
    assert identity.tolist() == [Identity.FRIEND, Identity.NEUTRAL, Identity.FRIEND]
    assert reason.tolist() == [
        IdentityReason.DATALINK,
        IdentityReason.DATALINK,
        IdentityReason.SECURE_IFF,
    ]


def test_a_coasting_track_keeps_its_identity():
    # No radar update for 40 s (> 20 s): a landed aircraft's coasting track, say. Its
    # identity is kept whatever its extrapolated course now says; a fresh reply still counts.
    identity, reason = identify(
        [INBOUND_DIRECT, INBOUND_DIRECT, INBOUND_DIRECT],
        current=[Identity.ASSUMED_FRIEND, Identity.PENDING, Identity.UNKNOWN],
        update_age=[40.0, 40.0, 40.0],
        secure=[NEVER, NEVER, 0.0],
    )
    assert identity.tolist() == [Identity.ASSUMED_FRIEND, Identity.SUSPECT, Identity.FRIEND]
    assert reason.tolist() == [
        IdentityReason.KEPT,
        IdentityReason.INBOUND,
        IdentityReason.SECURE_IFF,
    ]


def test_a_friend_that_lands_stays_friend_until_its_track_is_dropped():
    # Last Mode 5 reply at t = 0 s, last radar update at t = 5 s, then the aircraft lands
    # (its route ends): no more plots, no more replies. Its coasting track, extrapolated
    # inbound on the asset, keeps "friend" at every later decision cycle (the audit saw
    # landed F-16s turn hostile).
    current = Identity.FRIEND
    for t in np.arange(6.0, 120.0, 2.0):
        identity, reason = identify(
            [INBOUND_DIRECT], current=[current], secure=[t], update_age=[t - 5.0]
        )
        current = Identity(int(identity[0]))
        assert current == Identity.FRIEND, (t, IdentityReason(int(reason[0])))


def test_a_confirmed_ballistic_trajectory_outranks_a_corridor():
    history = np.full((1, SPEED_HISTORY), 2_000.0)
    identity, reason = identify([BALLISTIC], procedural=[Identity.ASSUMED_FRIEND], history=history)
    assert (identity[0], reason[0]) == (Identity.HOSTILE, IdentityReason.BALLISTIC_TRAJECTORY)


def test_without_assets_only_replies_speed_and_plans_decide():
    identity, _ = identify(
        [INBOUND_DIRECT, INBOUND_DIRECT, INBOUND_DIRECT],
        secure=[0.0, NEVER, NEVER],
        civil=[NEVER, 0.0, NEVER],
        assets=np.zeros((0, 3)),
    )
    assert identity.tolist() == [Identity.FRIEND, Identity.NEUTRAL, Identity.UNKNOWN]


@pytest.mark.parametrize(
    ("offset_m", "expected"),
    [(79_000.0, Identity.SUSPECT), (81_000.0, Identity.UNKNOWN)],
)
def test_suspect_miss_distance_threshold(offset_m, expected):
    # Flying south at 250 m/s from 100 km north, offset east: the CPA is the offset.
    identity, _ = identify([((offset_m, 100_000.0, 0.0), (0.0, -250.0, 0.0))])
    assert identity[0] == expected


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"hostile_criteria": ["hostile_act"]}, "unknown"),
        ({"hostile_criteria": "datalink"}, "list"),
        ({"reply_hold_s": -1.0}, "positive"),
        ({"ballistic_looks": 9}, "whole number"),
        ({"ballistic_looks": 2.5}, "whole number"),
        ({"suspect_cpa_m": True}, "number"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(settings, message):
    with pytest.raises(ValueError, match=message) as caught:
        Stanag1241Rules(**settings)
    assert next(iter(settings)) in str(caught.value)


def test_the_rules_leave_the_evidence_unchanged():
    evidence_in = evidence([INBOUND_DIRECT, BALLISTIC], secure=[0.0, NEVER])
    copies = {k: np.copy(v) for k, v in vars(evidence_in).items()}
    RULES.identify(evidence_in)
    assert all(np.array_equal(copies[k], v, equal_nan=True) for k, v in vars(evidence_in).items())


def test_reasons_keep_their_stored_codes_and_event_names():
    # int8 codes in tables and the strings of events.parquet (docs/outputs.md) are stable.
    assert {reason.name.lower(): int(reason) for reason in IdentityReason} == {
        "kept": 0,
        "secure_iff": 1,
        "datalink": 2,
        "ballistic_trajectory": 3,
        "civil_iff": 4,
        "inbound": 5,
        "high_speed": 6,
        "no_criteria": 7,
        "procedural": 8,
        "not_interrogated": 9,
    }
    _, reason = identify([INBOUND_DIRECT])
    assert reason.dtype == np.int8
