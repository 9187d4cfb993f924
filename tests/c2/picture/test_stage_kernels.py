"""The compiled evidence gathering and identity write-back of the picture stage agree with
their NumPy twins, and flight plans matched in a post's frame give the identities of
:meth:`FlightPlans.identities` on the same tracks in ECEF."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture import _stage_kernels as kernels
from iadsim.c2.picture._identification_kernels import plans_in_frame_kernel
from iadsim.c2.picture.identification import Identity, IdentityReason
from iadsim.c2.picture.procedural import FLIGHT_PLAN_GATE_M, flight_plan_identities
from iadsim.geo.frames import enu_rotation, enu_to_ecef, lla_to_ecef

_TIMES = np.array([-np.inf, 0.0, 12.5, 30.0, 99.0, np.inf, np.nan])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n", [0, 1, 9, 60])
def test_evidence_columns_match_the_numpy_twin_bit_for_bit(seed, n):
    rng = np.random.default_rng(seed)
    capacity = 80
    columns = [rng.choice(_TIMES, capacity) + rng.normal(size=capacity) for _ in range(5)]
    slots = np.sort(rng.choice(capacity, size=n, replace=False)).astype(np.int64)
    time_s = float(rng.uniform(0.0, 120.0))
    ages, interrogated = kernels.evidence_columns_kernel(slots, time_s, *columns)
    twin_ages, twin_interrogated = kernels.evidence_columns_reference(slots, time_s, *columns)
    assert ages.tobytes() == twin_ages.tobytes()
    np.testing.assert_array_equal(interrogated, twin_interrogated)
    assert ages.shape == (3, n)
    assert interrogated.dtype == np.bool_


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n", [0, 1, 9, 60])
def test_identity_write_back_matches_the_numpy_twin(seed, n):
    rng = np.random.default_rng(seed)
    capacity = 80
    codes = np.array(list(Identity), dtype=np.int8)
    identity = rng.choice(codes, capacity)
    from_link = rng.random(capacity) < 0.5
    slots = np.sort(rng.choice(capacity, size=n, replace=False)).astype(np.int64)
    current = identity[slots]
    new = np.where(rng.random(n) < 0.5, current, rng.choice(codes, n)).astype(np.int8)
    reason = rng.choice(np.array(list(IdentityReason), dtype=np.int8), n)
    codes_of = (int(IdentityReason.DATALINK), int(IdentityReason.KEPT))
    twin_identity, twin_from_link = identity.copy(), from_link.copy()
    changed = kernels.write_identities_kernel(
        slots, current, new, reason, identity, from_link, *codes_of
    )
    twin_changed = kernels.write_identities_reference(
        slots, current, new, reason, twin_identity, twin_from_link, *codes_of
    )
    np.testing.assert_array_equal(changed, twin_changed)
    np.testing.assert_array_equal(identity, twin_identity)
    np.testing.assert_array_equal(from_link, twin_from_link)
    assert changed.dtype == np.int64


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n, k", [(0, 4), (5, 0), (1, 1), (7, 6), (200, 30)])
def test_plans_matched_in_the_frame_are_those_matched_in_ecef(seed, n, k):
    rng = np.random.default_rng(seed)
    origin = lla_to_ecef(np.radians(39.9), np.radians(32.8), 900.0)
    rotation = enu_rotation(np.radians(39.9), np.radians(32.8))
    state = rng.normal(size=(n, 6)) * 20_000.0
    if n > 3:
        state[3, 0] = np.nan
    track_enu = state[:, :3]  # a column slice, as the stage passes it
    track_ecef = enu_to_ecef(np.ascontiguousarray(track_enu), origin, rotation)
    # Plans near some tracks (within the gate or not), some held, some flying.
    near = rng.integers(0, max(n, 1), size=k)
    planned = (track_ecef[near] if n else np.zeros((k, 3))) + rng.normal(size=(k, 3)) * 3_000.0
    identity = rng.choice(np.array([Identity.NEUTRAL, Identity.ASSUMED_FRIEND], np.int8), k)
    held, flying = rng.random(k) < 0.7, rng.random(k) < 0.7
    got = plans_in_frame_kernel(
        track_enu, origin, rotation, planned, identity, held, flying, FLIGHT_PLAN_GATE_M
    )
    active = held & flying
    want = flight_plan_identities(track_ecef, planned[active], identity[active])
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int8
