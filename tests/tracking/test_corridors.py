"""Safe corridors: procedural identification inside a polygon and altitude band."""

from __future__ import annotations

import numpy as np

from iadsim.tracking.identification import (
    Corridor,
    IdentificationRules,
    Identity,
    corridor_identities,
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
    assert reason.tolist() == [8, 3]
    secure = np.array([True, False])
    friend, _ = identify(
        pending, secure, none, pending, pos, vel, assets, IdentificationRules(), corridor
    )
    assert friend[0] == Identity.FRIEND
