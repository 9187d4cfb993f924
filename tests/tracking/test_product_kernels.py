"""The compiled small matrix products against an exact reference and NumPy's ``@``, to
the bit."""

from fractions import Fraction

import numpy as np
import pytest

from iadsim.tracking._product_kernels import product3_into


def _fma(a: float, b: float, c: float) -> float:
    """``a b + c`` rounded once (IEEE 754 fusedMultiplyAdd): the exact rational result,
    rounded to the nearest double by ``float(Fraction)`` (Python 3.11 has no math.fma)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def _chain_reference(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` for an inner dimension of 3, each element an FMA chain from zero, in plain
    Python: what the kernel claims to compute, independent of the platform's BLAS."""
    out = np.empty((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            total = _fma(A[i, 0], B[0, j], 0.0)
            total = _fma(A[i, 1], B[1, j], total)
            out[i, j] = _fma(A[i, 2], B[2, j], total)
    return out


def _spread(rng, shape):
    """Values of either sign over eleven decades (sums that round differently by order)."""
    return rng.normal(size=shape) * 10.0 ** rng.uniform(-3.0, 8.0, size=shape)


def test_each_element_is_a_fused_multiply_add_chain_from_zero():
    """The kernel against the exact-arithmetic reference: one rounding per step, whatever
    BLAS this machine has (a sum rounded per product would differ in many elements)."""
    rng = np.random.default_rng(5)
    A, B = _spread(rng, (7, 3)), _spread(rng, (3, 4))
    got = np.empty((7, 4))
    product3_into(A, B, got)
    assert np.array_equal(got, _chain_reference(A, B))
    rounded_per_product = (A[:, :1] * B[:1] + A[:, 1:2] * B[1:2]) + A[:, 2:] * B[2:]
    assert not np.array_equal(got, rounded_per_product)


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
