"""The compiled rule precedence of ``stanag1241`` and flight-plan matching agree to the bit
with their NumPy twins, and the kernels' integer codes are those of the enums."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture import _identification_kernels as kernels
from iadsim.c2.picture.identification import Identity, IdentityReason
from iadsim.c2.picture.procedural import FLIGHT_PLAN_GATE_M, flight_plan_identities


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
        rng.random(n) < 0.3,
        rng.random(n) < 0.5,
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hostile_by_link", [False, True])
@pytest.mark.parametrize("ballistic", [False, True])
def test_compiled_precedence_matches_the_numpy_twin(seed, hostile_by_link, ballistic):
    rng = np.random.default_rng(seed)
    evidence = _evidence(rng, 400)
    looks = int(rng.integers(1, 5))
    settings = (30.0, 20.0, 800.0, looks, hostile_by_link, ballistic)
    identity, reason = kernels.rule_precedence_kernel(*evidence, *settings)
    twin_identity, twin_reason = kernels.rule_precedence_reference(*evidence, *settings)
    np.testing.assert_array_equal(identity, twin_identity)
    np.testing.assert_array_equal(reason, twin_reason)
    assert identity.dtype == reason.dtype == np.int8


def test_no_tracks_give_empty_answers():
    empty = _evidence(np.random.default_rng(0), 0)
    identity, reason = kernels.rule_precedence_kernel(*empty, 30.0, 20.0, 800.0, 3, True, True)
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
