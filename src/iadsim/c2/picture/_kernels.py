"""Numba kernels of the air picture.

* :func:`sweep_candidates_kernel` - which points a rotating beam's sweep may cover, a
  conservative pre-test (:func:`iadsim.c2.picture.post_picture.sweep_candidates`). It need
  not agree with :meth:`iadsim.sensors.radar.Radar.in_view` to the bit: the sweep is widened
  by far more than the last-place differences of its C library ``atan2``.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["sweep_candidates_kernel"]


@numba.njit(cache=True)
def sweep_candidates_kernel(
    points, origin, rotation, start_rad, extent_rad, margin_rad, near_m
):  # pragma: no cover - numba
    """Mask ``(n,) bool`` of the points ``(n, 3)`` (ECEF, m) whose azimuth from ``origin``
    ``(3,)`` (ENU ``rotation`` ``(3, 3)``) lies in ``[start - margin, start + extent +
    margin]`` (rad, modulo a turn), or whose horizontal distance is under ``near_m``."""
    n = points.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    two_pi = 2.0 * math.pi
    low = start_rad - margin_rad
    width = extent_rad + 2.0 * margin_rad
    for k in range(n):
        dx = points[k, 0] - origin[0]
        dy = points[k, 1] - origin[1]
        dz = points[k, 2] - origin[2]
        east = rotation[0, 0] * dx + rotation[0, 1] * dy + rotation[0, 2] * dz
        north = rotation[1, 0] * dx + rotation[1, 1] * dy + rotation[1, 2] * dz
        if math.hypot(east, north) < near_m:
            out[k] = True
            continue
        offset = (math.atan2(east, north) - low) % two_pi
        out[k] = offset <= width
    return out
