"""The compiled small matrix products against NumPy's ``@``, to the bit."""

import numpy as np
import pytest

from iadsim.tracking._product_kernels import product3_into


def _spread(rng, shape):
    """Values of either sign over eleven decades (sums that round differently by order)."""
    return rng.normal(size=shape) * 10.0 ** rng.uniform(-3.0, 8.0, size=shape)


@pytest.mark.parametrize("d", [6, 9])
def test_the_position_update_products_are_those_of_numpy_matmul_to_the_bit(d):
    """The gain ``P Hᵀ S⁻¹``, ``K H P`` and ``(K S) Kᵀ`` of a position update, each matrix
    of a stack, read through the views the update reads (slices, a transpose)."""
    rng = np.random.default_rng(21)
    n = 5
    P = _spread(rng, (n, d, d))
    S = _spread(rng, (n, 3, 3))
    K = P[:, :, :3] @ S
    KHP = K @ P[:, :3, :]
    KSKt = K @ S @ K.mT
    for k in range(n):
        got_K, got_KS = np.empty((d, 3)), np.empty((d, 3))
        got_KHP, got_KSKt = np.empty((d, d)), np.empty((d, d))
        product3_into(P[k, :, :3], S[k], got_K)
        product3_into(got_K, P[k, :3, :], got_KHP)
        product3_into(got_K, S[k], got_KS)
        product3_into(got_KS, got_K.T, got_KSKt)
        assert np.array_equal(got_K, K[k])
        assert np.array_equal(got_KHP, KHP[k])
        assert np.array_equal(got_KSKt, KSKt[k])


def test_a_product_of_signed_zeros_is_positive_zero_as_numpy_gives_it():
    """A new track's zero cross-covariance blocks: BLAS accumulates from +0."""
    A = np.full((6, 3), -0.0)
    B = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0], [2.0, 0.0, 1.5]])
    got = np.empty((6, 3))
    product3_into(A, B, got)
    want = A @ B
    assert np.array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
