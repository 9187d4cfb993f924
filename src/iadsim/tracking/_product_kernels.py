"""Numba kernels of small matrix products with the roundings of NumPy's ``@``.

NumPy hands a stack of float64 matrices to BLAS (OpenBLAS) one matrix at a time. For the
inner dimension 3 of the tracker's position-update products, the BLAS kernels of this
platform accumulate each element as a chain of fused multiply-adds from zero,
``fma(a₂, b₂, fma(a₁, b₁, fma(a₀, b₀, 0)))``, one rounding per step (tested against ``@``
to the bit, :mod:`tests.tracking.test_product_kernels`). A fused multiply-add is an
IEEE 754 basic operation, correctly rounded, so the compiled chain gives the same bits
wherever it runs; Numba emits it through LLVM's ``llvm.fma`` intrinsic, which it never
contracts by itself (kernels are compiled without fast-math).
"""

from __future__ import annotations

import numba
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["fused_multiply_add", "product3_into"]


@intrinsic
def fused_multiply_add(_typingctx, _a, _b, _c):  # pragma: no cover - numba
    """``a b + c`` with one rounding (IEEE 754 fusedMultiplyAdd) of three float64 values,
    called in a kernel as ``fused_multiply_add(a, b, c)``."""
    signature = types.float64(types.float64, types.float64, types.float64)

    def codegen(_context, builder, _signature, args):
        double = ir.DoubleType()
        fma_type = ir.FunctionType(double, [double, double, double])
        fma = cgutils.get_or_insert_function(builder.module, fma_type, "llvm.fma.f64")
        return builder.call(fma, args)

    return signature, codegen


@numba.njit(cache=True)
def product3_into(A, B, out):  # pragma: no cover - numba
    """``A @ B`` of one ``(m, 3)`` and one ``(3, p)`` float64 matrix into ``out`` ``(m, p)``,
    each element ``fma(A[i, 2], B[2, j], fma(A[i, 1], B[1, j], fma(A[i, 0], B[0, j], 0)))``
    as BLAS forms it. Any strides: a transposed or sliced view is read where it lies."""
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            total = fused_multiply_add(A[i, 0], B[0, j], 0.0)
            total = fused_multiply_add(A[i, 1], B[1, j], total)
            out[i, j] = fused_multiply_add(A[i, 2], B[2, j], total)
