"""Numba kernel of the ENU -> ECEF conversion of :func:`iadsim.geo.frames.enu_to_ecef`.

The engine converts one point or a few at a time (a look's target, a post's tracks, an aim
point) thousands of times per run, where ``np.einsum``'s per-call cost dominates three
products per coordinate. The kernel sums the same products in the same order as that
einsum (``(e r0 + n r1) + u r2``, then the origin), so the result is the same to the bit
(the tests compare them).

:func:`ecef_to_enu_point_kernel` is the way back for one contiguous point, as
:func:`iadsim.geo.frames.ecef_to_enu`'s einsum sums a contiguous row of the rotation with
the contiguous offset: its vectorised loop adds the first and third products first,
``(r0 d0 + r2 d2) + r1 d1``.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["ecef_to_enu_point_kernel", "enu_to_ecef_kernel"]


@numba.njit(cache=True)
def enu_to_ecef_kernel(pos_enu_m, origin_ecef_m, rotation):  # pragma: no cover - numba
    """ECEF positions ``(n, 3)`` m of ENU points ``(n, 3)`` m in the frame of an origin
    ``(3,)`` m with ECEF -> ENU rotation ``(3, 3)`` (its transpose maps them back)."""
    n = pos_enu_m.shape[0]
    out = np.empty((n, 3))
    for k in range(n):
        east, north, up = pos_enu_m[k, 0], pos_enu_m[k, 1], pos_enu_m[k, 2]
        for i in range(3):
            turned = east * rotation[0, i] + north * rotation[1, i] + up * rotation[2, i]
            out[k, i] = turned + origin_ecef_m[i]
    return out


@numba.njit(cache=True)
def ecef_to_enu_point_kernel(pos_ecef_m, origin_ecef_m, rotation):  # pragma: no cover - numba
    """ENU position ``(3,)`` m of one ECEF point ``(3,)`` m in the frame of an origin
    ``(3,)`` m with ECEF -> ENU rotation ``(3, 3)``, C-contiguous (the einsum's order of
    sums is that of contiguous operands)."""
    d0 = pos_ecef_m[0] - origin_ecef_m[0]
    d1 = pos_ecef_m[1] - origin_ecef_m[1]
    d2 = pos_ecef_m[2] - origin_ecef_m[2]
    out = np.empty(3)
    for i in range(3):
        out[i] = 0.0 + ((rotation[i, 0] * d0 + rotation[i, 2] * d2) + rotation[i, 1] * d1)
    return out
