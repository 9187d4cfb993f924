"""The compiled impact test gives the einsum form's answer, bit for bit, on its terms."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture._impact_kernels import impacts_kernel, impacts_reference
from iadsim.tracking.terrain_constraint import local_up_in_frame


def _terms(rng: np.random.Generator, n: int, capacity: int = 32):
    state = rng.normal(size=(capacity, 6)) * np.array([5e3, 5e3, 1e3, 200.0, 200.0, 50.0])
    root = rng.normal(size=(capacity, 6, 6)) * 30.0
    covariance = root @ root.transpose(0, 2, 1)
    slots = rng.choice(capacity, n, replace=False).astype(np.int64)
    rotation = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    up = local_up_in_frame(rng.uniform(-1.5, 1.5, n), rng.uniform(-3.0, 3.0, n), rotation)
    candidates = rng.random(n) < 0.8
    return state, covariance, slots, up, candidates


@pytest.mark.parametrize("seed", range(5))
def test_impacts_kernel_is_the_einsum_form(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for n in (1, 2, 3, 5, 9):
        for _ in range(40):
            terms = _terms(rng, n)
            for sigmas in (0.0, 3.0):
                expected = impacts_reference(*terms, sigmas)
                np.testing.assert_array_equal(impacts_kernel(*terms, sigmas), expected)


def test_impacts_kernel_components_are_einsum_bits() -> None:
    """The climb and its variance themselves, not only the test's answer, are einsum's."""
    rng = np.random.default_rng(11)
    for n in (1, 4, 7):
        state, covariance, slots, up, _ = _terms(rng, n)
        climb = np.einsum("ni,ni->n", up, state[slots, 3:6])
        std = np.sqrt(np.einsum("ni,nij,nj->n", up, covariance[slots, 3:6, 3:6], up))
        # The threshold at each row's own climb / std: the kernel's answer flips exactly there.
        for k in range(n):
            sigmas = -climb[k] / std[k]
            everyone = np.ones(n, dtype=bool)
            np.testing.assert_array_equal(
                impacts_kernel(state, covariance, slots, up, everyone, sigmas),
                impacts_reference(state, covariance, slots, up, everyone, sigmas),
            )


def test_no_candidate_no_impact() -> None:
    state, covariance, slots, up, _ = _terms(np.random.default_rng(3), 4)
    none = np.zeros(4, dtype=bool)
    assert not impacts_kernel(state, covariance, slots, up, none, 3.0).any()
