"""Identification rules, each fired by a crafted geometry (asset at the origin, ENU metres)."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture.identification import (
    IdentificationRules,
    Identity,
    IdentityReason,
    identify,
)

RULES = IdentificationRules()  # hostile CPA 25 km within 900 s, suspect CPA 80 km, 800 m/s
ASSET = np.zeros((1, 3))

# Named geometries: (position, velocity).
INBOUND_DIRECT = ((0.0, 100_000.0, 5_000.0), (0.0, -250.0, 0.0))  # CPA ~5 km at 400 s
INBOUND_OFFSET_50KM = ((50_000.0, 100_000.0, 5_000.0), (0.0, -250.0, 0.0))  # CPA 50 km
INBOUND_SLOW_FAR = ((0.0, 300_000.0, 1_000.0), (0.0, -100.0, 0.0))  # CPA 1 km at 3000 s
PASSING_FAR = ((200_000.0, -100_000.0, 9_000.0), (0.0, 250.0, 0.0))  # CPA 200 km
OUTBOUND_NEAR = ((0.0, 10_000.0, 3_000.0), (0.0, 250.0, 0.0))  # 10 km away, opening
BALLISTIC_OUTBOUND = ((0.0, 300_000.0, 40_000.0), (0.0, 1_500.0, 0.0))


def run(geometries, current=None, secure=None, civil=None, linked=None, assets=ASSET):
    n = len(geometries)
    pos = np.array([g[0] for g in geometries], dtype=float)
    vel = np.array([g[1] for g in geometries], dtype=float)
    current = np.full(n, Identity.PENDING) if current is None else np.asarray(current)
    secure = np.zeros(n, bool) if secure is None else np.asarray(secure)
    civil = np.zeros(n, bool) if civil is None else np.asarray(civil)
    linked = np.full(n, Identity.PENDING) if linked is None else np.asarray(linked)
    return identify(current, secure, civil, linked, pos, vel, assets, RULES)


def test_secure_reply_makes_a_friend_even_on_a_threatening_course():
    identity, reason = run([INBOUND_DIRECT, BALLISTIC_OUTBOUND], secure=[True, True])
    np.testing.assert_array_equal(identity, [Identity.FRIEND, Identity.FRIEND])
    np.testing.assert_array_equal(reason, [IdentityReason.SECURE_IFF, IdentityReason.SECURE_IFF])


def test_identity_from_the_data_link_is_adopted():
    identity, reason = run(
        [INBOUND_DIRECT, PASSING_FAR, BALLISTIC_OUTBOUND],
        linked=[Identity.ASSUMED_FRIEND, Identity.HOSTILE, Identity.NEUTRAL],
    )
    np.testing.assert_array_equal(
        identity, [Identity.ASSUMED_FRIEND, Identity.HOSTILE, Identity.NEUTRAL]
    )
    np.testing.assert_array_equal(
        reason, [IdentityReason.DATALINK, IdentityReason.DATALINK, IdentityReason.DATALINK]
    )


def test_ballistic_speed_is_hostile_wherever_it_heads():
    identity, reason = run([BALLISTIC_OUTBOUND], civil=[True])
    assert identity[0] == Identity.HOSTILE
    assert reason[0] == IdentityReason.BALLISTIC_SPEED


def test_threatening_profile_without_reply_is_hostile():
    identity, reason = run([INBOUND_DIRECT])
    assert identity[0] == Identity.HOSTILE
    assert reason[0] == IdentityReason.THREATENING_PROFILE


def test_civil_reply_is_neutral_even_on_a_threatening_course():
    identity, reason = run([INBOUND_DIRECT, PASSING_FAR], civil=[True, True])
    np.testing.assert_array_equal(identity, [Identity.NEUTRAL, Identity.NEUTRAL])
    np.testing.assert_array_equal(reason, [IdentityReason.CIVIL_IFF, IdentityReason.CIVIL_IFF])


def test_inbound_with_moderate_miss_distance_is_suspect():
    identity, reason = run([INBOUND_OFFSET_50KM, INBOUND_SLOW_FAR])
    # The second would pass 1 km from the asset, but only in 3000 s (> hostile_time_s).
    np.testing.assert_array_equal(identity, [Identity.SUSPECT, Identity.SUSPECT])
    np.testing.assert_array_equal(reason, [IdentityReason.INBOUND, IdentityReason.INBOUND])


def test_far_passing_and_opening_tracks_stay_unknown():
    identity, reason = run([PASSING_FAR, OUTBOUND_NEAR])
    np.testing.assert_array_equal(identity, [Identity.UNKNOWN, Identity.UNKNOWN])
    np.testing.assert_array_equal(reason, [IdentityReason.NO_CRITERIA, IdentityReason.NO_CRITERIA])


def test_without_assets_only_replies_and_speed_decide():
    identity, _ = run(
        [INBOUND_DIRECT, INBOUND_DIRECT, INBOUND_DIRECT, BALLISTIC_OUTBOUND],
        secure=[True, False, False, False],
        civil=[False, True, False, False],
        assets=np.zeros((0, 3)),
    )
    np.testing.assert_array_equal(
        identity, [Identity.FRIEND, Identity.NEUTRAL, Identity.UNKNOWN, Identity.HOSTILE]
    )


def test_hostile_is_sticky_but_a_friend_must_keep_replying():
    identity, reason = run(
        [PASSING_FAR, INBOUND_DIRECT],
        current=[Identity.HOSTILE, Identity.FRIEND],
        civil=[True, False],
    )
    # The silent former friend, now inbound on an asset, falls to the kinematic rules.
    np.testing.assert_array_equal(identity, [Identity.HOSTILE, Identity.HOSTILE])
    np.testing.assert_array_equal(reason, [IdentityReason.KEPT, IdentityReason.THREATENING_PROFILE])


def test_secure_reply_and_the_link_override_a_sticky_identity():
    identity, reason = run(
        [INBOUND_DIRECT, INBOUND_DIRECT],
        current=[Identity.HOSTILE, Identity.FRIEND],
        secure=[True, False],
        linked=[Identity.PENDING, Identity.HOSTILE],
    )
    np.testing.assert_array_equal(identity, [Identity.FRIEND, Identity.HOSTILE])
    np.testing.assert_array_equal(reason, [IdentityReason.SECURE_IFF, IdentityReason.DATALINK])


def test_weaker_identities_are_not_sticky():
    identity, reason = run([PASSING_FAR], current=[Identity.SUSPECT])
    assert identity[0] == Identity.UNKNOWN
    assert reason[0] == IdentityReason.NO_CRITERIA


@pytest.mark.parametrize(
    ("offset_m", "expected"),
    [
        (24_000.0, Identity.HOSTILE),
        (26_000.0, Identity.SUSPECT),
        (79_000.0, Identity.SUSPECT),
        (81_000.0, Identity.UNKNOWN),
    ],
)
def test_miss_distance_thresholds(offset_m, expected):
    # Flying south at 250 m/s from 100 km north, offset east: the CPA is the offset (400 s).
    identity, _ = run([((offset_m, 100_000.0, 0.0), (0.0, -250.0, 0.0))])
    assert identity[0] == expected


def test_reasons_keep_their_stored_codes_and_event_names():
    # int8 codes in tables and the strings of events.parquet (docs/outputs.md) are stable.
    assert {reason.name.lower(): int(reason) for reason in IdentityReason} == {
        "kept": 0,
        "secure_iff": 1,
        "datalink": 2,
        "ballistic_speed": 3,
        "threatening_profile": 4,
        "civil_iff": 5,
        "inbound": 6,
        "no_criteria": 7,
        "procedural": 8,
    }
    _, reason = run([INBOUND_DIRECT])
    assert reason.dtype == np.int8
