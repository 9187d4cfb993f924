"""A post's compiled terrain hold against its Python definition, to the bit."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.c2.picture._hold_kernels import impact_candidates_kernel, low_rows_kernel
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.c2.picture.terrain_hold import FLOOR_SETTLED_M, hold_above_terrain_reference
from iadsim.core.registry import TRACKERS
from iadsim.engine.world import TRACKER_CONFIG
from iadsim.geo.terrain import ElevationGrid

POST = (39.41, 33.0, 900.0)


def _picture(tracker: str, terrain: bool) -> CommandPostPicture:
    heights = np.zeros((151, 201))
    heights[60:90, :] = 1500.0
    grid = ElevationGrid(
        np.radians(39.0), np.radians(32.0), np.radians(0.01), np.radians(0.01), heights, "ridge"
    )
    lat, lon, alt = POST
    return CommandPostPicture(
        "post",
        np.radians(lat),
        np.radians(lon),
        alt,
        TRACKERS.get(tracker)(TRACKER_CONFIG),
        frozenset(),
        grid if terrain else None,
    )


def _fill(picture: CommandPostPicture, rng: np.random.Generator, n: int, t: float) -> None:
    """``n`` tracks around the post, many low, some diving, some silent for long."""
    table = picture.table
    slots = table.allocate(n, t - 30.0)
    table.state[slots, 0:2] = rng.uniform(-5e4, 5e4, (n, 2))
    table.state[slots, 2] = rng.uniform(-900.0, 2000.0, n)
    table.state[slots, 3:5] = rng.uniform(-300.0, 300.0, (n, 2))
    table.state[slots, 5] = rng.uniform(-150.0, 30.0, n)
    sigma = rng.uniform(5.0, 900.0, (n, 6))
    sigma[:, 3:] = rng.uniform(1.0, 20.0, (n, 3))  # firm enough climb rates for impacts
    table.covariance[slots] = np.eye(6) * (sigma**2)[:, :, None]
    table.time_s[slots] = t - rng.uniform(0.0, 5.0, n)
    table.last_update_s[slots] = t - rng.uniform(0.0, 30.0, n)
    picture.column("revisit_s")[slots] = 10.0
    if "imm_state" in table.extra:
        table.extra["imm_state"][slots] = table.state[slots][:, None, :]
        table.extra["imm_covariance"][slots] = table.covariance[slots][:, None, :, :]
        table.extra["imm_probability"][slots] = picture.tracker.filter.initial_probabilities


@pytest.mark.parametrize("tracker", ["gnn", "imm"])
@pytest.mark.parametrize("terrain", [False, True])
def test_the_compiled_terrain_hold_is_its_python_definition_to_the_bit(tracker, terrain):
    counts = np.zeros(3, dtype=int)  # tracks under the terrain, raised, deleted
    for seed in range(6):
        rng = np.random.default_rng(seed)
        picture = _picture(tracker, terrain)
        _fill(picture, rng, 120, 100.0)
        below = picture._below_terrain(picture.table.active.nonzero()[0], 100.0)
        twin = copy.deepcopy(picture)
        raised, deleted = picture.hold_above_terrain(100.0, below)
        raised_twin, deleted_twin = hold_above_terrain_reference(twin, 100.0, below)
        counts += (below.size, raised.size, deleted.size)
        assert raised.tolist() == raised_twin.tolist()
        assert deleted.tolist() == deleted_twin.tolist()
        assert picture.changes == twin.changes
        a, b = picture.table, twin.table
        for name in ["active", "ids", *(c.name for c in a.columns()), *a.extra]:
            assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name
    assert (counts > 0).all(), counts


def test_the_hold_kernels_are_their_numpy_expressions():
    rng = np.random.default_rng(7)
    n, capacity = 9, 20
    slots = rng.choice(capacity, n, replace=False)
    geodetic = rng.normal(size=(4, n))
    geodetic[3, :3] = geodetic[2, :3] + FLOOR_SETTLED_M / 2  # barely under: not low
    geodetic[2, 3] = np.nan
    last_update_s, revisit_s = rng.uniform(0.0, 20.0, capacity), np.full(capacity, 10.0)
    candidates = np.empty(2 * n, dtype=bool)
    found = impact_candidates_kernel(geodetic, slots, last_update_s, revisit_s, 25.0, candidates)
    expected = (geodetic[2] < geodetic[3]) & (25.0 - last_update_s[slots] > revisit_s[slots])
    assert candidates[:n].tolist() == expected.tolist() and found == expected.any()
    low_slots, low_geodetic = np.empty(n, dtype=np.int64), np.empty((4, n))
    m = low_rows_kernel(geodetic, slots, FLOOR_SETTLED_M, low_slots, low_geodetic)
    low = geodetic[2] < geodetic[3] - FLOOR_SETTLED_M
    assert low_slots[:m].tolist() == slots[low].tolist()
    assert low_geodetic[:, :m].tobytes() == geodetic[:, low].tobytes()
