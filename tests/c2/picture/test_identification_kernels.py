"""The compiled rule precedence of ``stanag1241``, flight-plan matching and speed bounds
agree to the bit with their NumPy twins, and the kernels' integer codes are those of the enums."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from iadsim.c2.picture import _identification_kernels as kernels
from iadsim.c2.picture.identification import Identity, IdentityReason
from iadsim.c2.picture.procedural import FLIGHT_PLAN_GATE_M, flight_plan_identities
from iadsim.c2.picture.stage import note_speed_bounds, note_speed_bounds_reference


def test_the_kernel_codes_are_the_enum_values():
    for name in ("PENDING", "UNKNOWN", "FRIEND", "NEUTRAL", "SUSPECT", "HOSTILE"):
        assert getattr(kernels, f"_{name}") == Identity[name]
    for reason in IdentityReason:
        assert getattr(kernels, f"_{reason.name}") == reason


def _evidence(rng: np.random.Generator, n: int) -> tuple:
    """Random evidence that lands every rule, ties included (ages at the hold times)."""
    identities = np.array(list(Identity), dtype=np.int8)
    ages = np.array([0.0, 10.0, 20.0, 30.0, 45.0, np.inf])
    speed_low = rng.choice([np.nan, 500.0, 800.0, 900.0], size=(n, 4))
    return (
        rng.choice(identities, n),
        rng.choice(ages, n),
        rng.choice(ages, n),
        rng.choice(identities, n),
        rng.choice(identities, n),
        speed_low,
        rng.choice(ages, n),
        rng.random(n) < 0.8,
        *_kinematics(rng, n),
    )


def _kinematics(rng: np.random.Generator, n: int) -> tuple:
    """Positions, velocities (speeds about the ballistic speed, some at rest, some NaN) and
    assets, for the high-speed and inbound rules (closest approaches near the suspect
    distance, ahead and behind)."""
    pos = rng.normal(size=(n, 3)) * np.array([1e5, 1e5, 1e4])
    vel = rng.normal(size=(n, 3)) * np.array([500.0, 500.0, 100.0])
    vel[::9] = 0.0
    if n > 5:
        vel[5, 1] = np.nan
        pos[4, 0] = np.nan
    assets = rng.normal(size=(int(rng.integers(0, 4)), 3)) * 1e5
    state = np.concatenate([pos, vel], axis=1)  # read as column slices, as a picture's
    return state[:, :3], state[:, 3:6], assets


_SETTINGS_TAIL = 80_000.0  # suspect_cpa_m


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hostile_by_link", [False, True])
@pytest.mark.parametrize("ballistic", [False, True])
def test_compiled_precedence_matches_the_numpy_twin(seed, hostile_by_link, ballistic):
    rng = np.random.default_rng(seed)
    evidence = _evidence(rng, 400)
    looks = int(rng.integers(1, 5))
    settings = (30.0, 20.0, 800.0, looks, hostile_by_link, ballistic, _SETTINGS_TAIL)
    identity, reason = kernels.rule_precedence_kernel(*evidence, *settings)
    twin_identity, twin_reason = kernels.rule_precedence_reference(*evidence, *settings)
    np.testing.assert_array_equal(identity, twin_identity)
    np.testing.assert_array_equal(reason, twin_reason)
    assert identity.dtype == reason.dtype == np.int8


@pytest.mark.parametrize("seed", range(6))
def test_compiled_speed_and_inbound_rules_match_the_numpy_twin(seed):
    """Evidence that leaves every track to the last three rules (high speed, inbound, no
    criteria): the kernel's own speed and closest-approach tests decide."""
    rng = np.random.default_rng(seed)
    n = 300
    pending = np.zeros(n, dtype=np.int8)
    never = np.full(n, np.inf)
    evidence = (pending, never, never, pending, pending, np.full((n, 4), np.nan), np.zeros(n),
                np.ones(n, dtype=bool), *_kinematics(rng, n))  # fmt: skip
    settings = (30.0, 20.0, 800.0, 3, True, True, _SETTINGS_TAIL)
    identity, reason = kernels.rule_precedence_kernel(*evidence, *settings)
    twin_identity, twin_reason = kernels.rule_precedence_reference(*evidence, *settings)
    np.testing.assert_array_equal(identity, twin_identity)
    np.testing.assert_array_equal(reason, twin_reason)
    found = set(reason.tolist())
    assert {IdentityReason.HIGH_SPEED, IdentityReason.NO_CRITERIA} <= found
    assert (IdentityReason.INBOUND in found) == (len(evidence[-1]) > 0)


def test_no_tracks_give_empty_answers():
    empty = _evidence(np.random.default_rng(0), 0)
    settings = (30.0, 20.0, 800.0, 3, True, True, _SETTINGS_TAIL)
    identity, reason = kernels.rule_precedence_kernel(*empty, *settings)
    assert identity.shape == reason.shape == (0,)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n, k", [(0, 3), (5, 0), (1, 1), (7, 4), (300, 9)])
def test_compiled_flight_plan_matching_matches_the_numpy_twin(seed, n, k):
    rng = np.random.default_rng(seed)
    planned = rng.normal(size=(k, 3)) * 8_000.0
    planned[1::3] = planned[::3][: len(planned[1::3])]  # equally near plans: the first wins
    tracks = rng.normal(size=(n, 3)) * 8_000.0
    if n > 2:
        tracks[2] = np.nan  # a NaN distance: argmin takes it
        tracks[1, 0] = np.inf
    identity = rng.choice(np.array(list(Identity), dtype=np.int8), k)
    got = kernels.flight_plan_kernel(tracks, planned, identity, FLIGHT_PLAN_GATE_M)
    np.testing.assert_array_equal(got, flight_plan_identities(tracks, planned, identity))
    assert got.dtype == np.int8


def _speed_picture(rng: np.random.Generator, capacity: int) -> SimpleNamespace:
    """A picture's table with random velocities and covariances, zero or NaN velocities
    and some slots not updated since their last evaluation."""
    state = rng.normal(0.0, 300.0, size=(capacity, 6))
    state[::7, 3:6] = 0.0
    state[::11, 3] = np.nan
    root = rng.normal(0.0, 10.0, size=(capacity, 6, 6))
    covariance = root @ root.transpose(0, 2, 1)
    last_update_s = rng.choice([1.0, 2.0, 3.0], size=capacity)
    extra = {
        "evaluated_update_s": rng.choice([0.0, 2.0, -np.inf], size=capacity),
        "speed_low_mps": rng.choice([np.nan, 250.0], size=(capacity, 4)),
    }
    return SimpleNamespace(
        table=SimpleNamespace(
            state=state, covariance=covariance, last_update_s=last_update_s, extra=extra
        )
    )


@pytest.mark.parametrize("seed", range(4))
def test_speed_bounds_kernel_matches_its_numpy_twin_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    compiled = _speed_picture(np.random.default_rng(seed), 200)
    twin = _speed_picture(np.random.default_rng(seed), 200)
    slots = np.sort(rng.choice(200, size=120, replace=False)).astype(np.int64)
    note_speed_bounds(compiled, slots)
    note_speed_bounds_reference(twin, slots)
    for name in ("evaluated_update_s", "speed_low_mps"):
        np.testing.assert_array_equal(compiled.table.extra[name], twin.table.extra[name])
        assert compiled.table.extra[name].tobytes() == twin.table.extra[name].tobytes()
