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
    state,
    epoch_s,
    slots,
    time_s,
    frame_origin,
    frame_rotation,
    radar_origin,
    radar_rotation,
    start_rad,
    extent_rad,
    margin_rad,
    near_m,
):  # pragma: no cover - numba
    """Mask ``(k,) bool`` of the tracks ``slots`` ``(k,)`` whose position, extrapolated at
    constant velocity from ``state`` ``(capacity, >= 6)`` (a local frame with origin
    ``frame_origin`` ``(3,)`` ECEF m and ECEF-to-local ``frame_rotation`` ``(3, 3)``) held at
    ``epoch_s`` ``(capacity,)`` to ``time_s``, lies at an azimuth from ``radar_origin``
    ``(3,)`` (ENU ``radar_rotation`` ``(3, 3)``) in ``[start - margin, start + extent +
    margin]`` (rad, modulo a turn), or under ``near_m`` from it horizontally."""
    n = slots.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    two_pi = 2.0 * math.pi
    low = start_rad - margin_rad
    width = extent_rad + 2.0 * margin_rad
    local = np.empty(3)
    delta = np.empty(3)
    for k in range(n):
        slot = slots[k]
        elapsed = time_s - epoch_s[slot]
        for i in range(3):
            local[i] = state[slot, i] + state[slot, 3 + i] * elapsed
        for j in range(3):  # ECEF = R^T local + origin, less the radar's position
            delta[j] = (
                frame_rotation[0, j] * local[0]
                + frame_rotation[1, j] * local[1]
                + frame_rotation[2, j] * local[2]
                + frame_origin[j]
                - radar_origin[j]
            )
        east = radar_rotation[0, 0] * delta[0] + radar_rotation[0, 1] * delta[1]
        east += radar_rotation[0, 2] * delta[2]
        north = radar_rotation[1, 0] * delta[0] + radar_rotation[1, 1] * delta[1]
        north += radar_rotation[1, 2] * delta[2]
        if math.hypot(east, north) < near_m:
            out[k] = True
            continue
        offset = (math.atan2(east, north) - low) % two_pi
        out[k] = offset <= width
    return out
