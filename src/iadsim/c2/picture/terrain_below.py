"""Which of a post's tracks are below the terrain: the grid terms its compiled kernels take,
and the NumPy definition (:func:`below_terrain_reference`) that
:func:`~iadsim.c2.picture._kernels.below_terrain_kernel` is held to, bit for bit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
from iadsim.tracking.pruning import PostFrame, approximate_height_m

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid

_NO_GRID = np.zeros((0, 0))
"""The terrain grid of a post without terrain (the ellipsoid is the ground)."""


def grid_terms(
    grid: ElevationGrid | None,
) -> tuple[np.ndarray, float, float, float, float]:
    """The terrain as the compiled kernels take it: heights (empty without terrain), and
    the grid's first latitude and longitude and their spacing (rad)."""
    if grid is None:
        return _NO_GRID, 0.0, 0.0, 1.0, 1.0
    return (
        grid.heights_m,
        float(grid.lat0_rad),
        float(grid.lon0_rad),
        float(grid.dlat_rad),
        float(grid.dlon_rad),
    )


def below_terrain_reference(
    state: np.ndarray,
    epoch_s: np.ndarray,
    slots: np.ndarray,
    time_s: float,
    frame: PostFrame,
    terrain: ElevationGrid | None,
    low_limit_m: float,
) -> np.ndarray:
    """NumPy twin of :func:`~iadsim.c2.picture._kernels.below_terrain_kernel`: the tracks of
    ``slots`` (held as ``state`` ``(capacity, >= 6)`` in ``frame`` at ``epoch_s``) below the
    terrain as held or extrapolated to ``time_s``; the exact test only for those whose
    spherical height is under ``low_limit_m``."""
    held = state[slots, :3]
    dt = np.maximum(time_s - epoch_s[slots], 0.0)
    ahead = held + state[slots, 3:6] * dt[:, None]
    height_m = frame.origin_height_m
    lowest = np.minimum(approximate_height_m(held, height_m), approximate_height_m(ahead, height_m))
    low = lowest < low_limit_m
    slots = slots[low]
    # Held and extrapolated positions in one test (element by element, as two would be).
    points = np.concatenate([held[low], ahead[low]])
    lat, lon, height = ecef_to_lla(enu_to_ecef(points, frame.origin_ecef_m, frame.rotation))
    if terrain is None:
        ground = np.zeros(lat.shape)
    else:
        ground = np.asarray(terrain.surface_height_m(lat, lon), dtype=float)
    below = height < ground
    return slots[below[: slots.size] | below[slots.size :]]
