"""A post's compiled pruning pass against the steps it replaces, to the bit."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.core.registry import TRACKERS
from iadsim.engine.world import TRACKER_CONFIG
from iadsim.geo.terrain import ElevationGrid
from iadsim.tracking.pruning import doomed_among
from iadsim.tracking.table import NO_SLOTS

POST = (39.41, 33.0, 900.0)


def _picture(terrain: bool) -> CommandPostPicture:
    heights = np.zeros((151, 201))
    heights[60:90, :] = 1500.0
    grid = ElevationGrid(
        np.radians(39.0), np.radians(32.0), np.radians(0.01), np.radians(0.01), heights, "ridge"
    )
    lat, lon, alt = POST
    tracker = TRACKERS.get("gnn")(TRACKER_CONFIG)
    return CommandPostPicture(
        "post",
        np.radians(lat),
        np.radians(lon),
        alt,
        tracker,
        frozenset(),
        grid if terrain else None,
    )


def _fill(picture: CommandPostPicture, rng: np.random.Generator, n: int, t: float) -> None:
    """``n`` tracks around the post, some low, some stale, some fast, some vague."""
    table = picture.table
    slots = table.allocate(n, t - 30.0)
    table.state[slots, 0:2] = rng.uniform(-5e4, 5e4, (n, 2))
    table.state[slots, 2] = rng.uniform(-800.0, 3000.0, n)
    table.state[slots, 3:5] = rng.uniform(-400.0, 400.0, (n, 2))
    table.state[slots, 5] = rng.uniform(-150.0, 50.0, n)
    table.state[slots[: n // 10], 3] = 2500.0  # too fast
    sigma = rng.uniform(10.0, 900.0, (n, 6))
    table.covariance[slots] = np.eye(6) * (sigma**2)[:, :, None]
    table.time_s[slots] = t - rng.uniform(0.0, 5.0, n)
    table.last_update_s[slots] = t - rng.uniform(0.0, 80.0, n)
    picture.column("revisit_s")[slots] = 10.0
    table.confirmed[slots] = rng.random(n) < 0.5
    table.release(slots[rng.random(n) < 0.1])  # a few free slots among the live ones


def _reference_prune(picture: CommandPostPicture, time_s: float) -> np.ndarray:
    """The pass as separate steps: doomed_among, the release, _below_terrain, then the
    terrain hold."""
    table = picture.table
    slots = table.active.nonzero()[0]
    if slots.size == 0:
        return NO_SLOTS
    mask = doomed_among(
        table.state, table.covariance, table.time_s, table.last_update_s,
        picture.column("revisit_s"), slots, time_s, picture.pruning, picture.frame,
        picture.terrain, picture._highest_ground_m,
    )  # fmt: skip
    deleted = slots[mask]
    if deleted.size:
        deleted = table.track_id[slots[mask]].copy()
        picture._release(slots[mask])
        slots = slots[~mask]
    if slots.size == 0:
        return deleted
    below = picture._below_terrain(slots, time_s)
    if below.size == 0:
        return deleted
    _, impacts = picture.hold_above_terrain(time_s, below)
    return np.concatenate([deleted, impacts]) if impacts.size else deleted


@pytest.mark.parametrize("terrain", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_the_compiled_pruning_pass_is_its_steps_to_the_bit(terrain, seed):
    rng = np.random.default_rng(seed)
    picture = _picture(terrain)
    _fill(picture, rng, 120, 100.0)
    twin = copy.deepcopy(picture)
    deleted = picture.prune(100.0)
    expected = _reference_prune(twin, 100.0)
    assert deleted.tolist() == expected.tolist() and deleted.size > 0
    assert picture.changes == twin.changes
    a, b = picture.table, twin.table
    for name in ["active", "ids", *(c.name for c in a.columns()), *a.extra]:
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name


def test_pruning_an_empty_table_deletes_nothing():
    picture = _picture(True)
    assert picture.prune(5.0).size == 0 and picture.changes == 0
