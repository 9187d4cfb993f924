"""Procedural identification: safe corridors and filed flight plans."""

from __future__ import annotations

import numpy as np

from iadsim.c2.picture.identification import (
    Corridor,
    IdentificationRules,
    Identity,
    IdentityReason,
    corridor_identities,
    flight_plan_identities,
    identify,
)

SQUARE = np.array([[32.0, 39.0], [33.0, 39.0], [33.0, 40.0], [32.0, 40.0]])  # lon, lat


def test_corridor_identity_inside_the_polygon_and_band_only():
    corridors = [Corridor(SQUARE, 5_000.0, 12_000.0, Identity.ASSUMED_FRIEND)]
    lat = np.radians([39.5, 39.5, 39.5, 41.0])
    lon = np.radians([32.5, 32.5, 32.5, 32.5])
    alt = np.array([9_000.0, 1_000.0, 15_000.0, 9_000.0])
    assert corridor_identities(corridors, lat, lon, alt).tolist() == [
        Identity.ASSUMED_FRIEND,
        Identity.PENDING,
        Identity.PENDING,
        Identity.PENDING,
    ]


def test_first_listed_corridor_wins_where_they_overlap():
    corridors = [
        Corridor(SQUARE, 0.0, 20_000.0, Identity.NEUTRAL),
        Corridor(SQUARE, 0.0, 20_000.0, Identity.ASSUMED_FRIEND),
    ]
    out = corridor_identities(corridors, np.radians([39.5]), np.radians([32.5]), np.array([1e3]))
    assert out.tolist() == [Identity.NEUTRAL]


def test_corridor_beats_the_threatening_profile_but_not_ballistic_speed_or_secure_iff():
    # Two tracks heading straight at an asset 20 km away: a jet and a ballistic missile.
    pos = np.array([[0.0, -20_000.0, 9_000.0], [0.0, -20_000.0, 9_000.0]])
    vel = np.array([[0.0, 250.0, 0.0], [0.0, 2_000.0, 0.0]])
    assets = np.zeros((1, 3))
    none = np.zeros(2, dtype=bool)
    pending = np.full(2, Identity.PENDING, dtype=np.int8)
    without, _ = identify(pending, none, none, pending, pos, vel, assets, IdentificationRules())
    assert without.tolist() == [Identity.HOSTILE, Identity.HOSTILE]
    corridor = np.full(2, Identity.ASSUMED_FRIEND, dtype=np.int8)
    with_corridor, reason = identify(
        pending, none, none, pending, pos, vel, assets, IdentificationRules(), corridor
    )
    assert with_corridor.tolist() == [Identity.ASSUMED_FRIEND, Identity.HOSTILE]
    assert reason.tolist() == [IdentityReason.PROCEDURAL, IdentityReason.BALLISTIC_SPEED]
    secure = np.array([True, False])
    friend, _ = identify(
        pending, secure, none, pending, pos, vel, assets, IdentificationRules(), corridor
    )
    assert friend[0] == Identity.FRIEND


def test_flight_plan_identity_goes_to_tracks_near_a_planned_position():
    planned = np.array([[0.0, 0.0, 10_000.0], [50_000.0, 0.0, 10_000.0]])
    identity = np.array([Identity.NEUTRAL, Identity.ASSUMED_FRIEND])
    tracks = np.array(
        [
            [3_000.0, 0.0, 10_000.0],  # 3 km from the civil flight's planned position
            [50_000.0, 4_000.0, 10_000.0],  # 4 km from the military flight's
            [25_000.0, 0.0, 10_000.0],  # 25 km from both: no plan
        ]
    )
    out = flight_plan_identities(tracks, planned, identity, gate_m=5_000.0)
    assert out.tolist() == [Identity.NEUTRAL, Identity.ASSUMED_FRIEND, Identity.PENDING]
    assert (
        flight_plan_identities(tracks, np.zeros((0, 3)), identity[:0]).tolist()
        == [Identity.PENDING] * 3
    )
