"""Several flyout steps in one compiled call (:func:`fly_substeps`) are :func:`step` called
on each in turn: the same table, the same ended flights, the same seeker draws, to the bit.

Interceptors fly at targets that cross at different ranges (so flights end in the middle of
a sequence of steps), two of them without guidance, one into terrain (a ground impact on
the grid), with seeker noise and glint.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.geo.terrain import ElevationGrid
from iadsim.weapons._flyout_model import GROUND_IMPACT
from iadsim.weapons.flyout import (
    FlyoutEvents,
    FlyoutOptions,
    FlyoutState,
    fly_substeps,
    launch_velocity,
    load_airframes,
    lofted_launch_velocity,
    step,
)

LAT, LON = math.radians(40.0), math.radians(32.5)
STEPS, DT_S = 10, 0.1


def _terrain() -> ElevationGrid:
    """A 600 m plateau over 39-41 N, 31-34 E (the site stands at 900 m)."""
    heights = np.full((201, 301), 600.0)
    return ElevationGrid(LAT - math.radians(1.0), math.radians(31.0), math.radians(0.01),
                         math.radians(0.01), heights)  # fmt: skip


def _engagement(n: int = 6):
    """A table of ``n`` missiles in flight and their targets' states (ECEF)."""
    site = lla_to_ecef(LAT, LON, 900.0)
    rotation = enu_rotation(np.array([LAT]), np.array([LON]))[0]
    state = FlyoutState(n + 2)
    airframes = load_airframes()
    targets = []
    for i in range(n):
        key = "patriot/pac3_mse" if i % 2 else "s400/48n6e3"
        ground = 12_000.0 + 6_000.0 * i
        aim_enu = np.array(
            [ground * math.sin(0.5 * i), ground * math.cos(0.5 * i), 4_000.0 + 500 * i]
        )
        aim = site + rotation.T @ aim_enu
        state.launch(
            airframes[key],
            site,
            lofted_launch_velocity(site, rotation, aim[None, :], airframes[key]),
        )
        target_vel = rotation.T @ (-250.0 * aim_enu / np.linalg.norm(aim_enu))
        targets.append(np.concatenate([aim, target_vel]))
    # One more, fired down the slope at 300 m/s: into the plateau, or past its aim point.
    down = site + rotation.T @ np.array([3_000.0, 0.0, -600.0])
    state.launch(airframes["s400/48n6e3"], site, launch_velocity(site, down[None, :], 300.0))
    targets.append(np.concatenate([down, np.zeros(3)]))
    return state, np.array([*targets, np.zeros(6)])


def _inputs(targets: np.ndarray, t: float):
    """Per-step track and target positions over one sequence starting at ``t``, as the fleet
    builds them (constant velocity)."""
    elapsed = (t + np.arange(STEPS) * DT_S)[:, None, None]
    pos = targets[:, :3] + targets[:, 3:] * elapsed
    vel = np.broadcast_to(targets[:, 3:], pos.shape).copy()
    return pos, np.ascontiguousarray(targets[:, 3:]), vel


def _fly(state, targets, valid, seeker_rng, terrain, options, together: bool):
    ended = []
    for sequence in range(40):
        pos, vel, vel_steps = _inputs(targets, sequence * STEPS * DT_S)
        rcs = np.full(state.capacity, 2.0)
        glint = np.full(state.capacity, 1.5)
        k = 0
        while k < STEPS and state.active.any():
            if together:
                events, k = fly_substeps(
                    state, pos, vel, valid, DT_S, k, target_pos_ecef_m=pos,
                    target_vel_ecef_mps=vel_steps, target_rcs_m2=rcs, glint_m=glint,
                    seeker_rng=seeker_rng, options=options, terrain=terrain,
                )  # fmt: skip
            else:
                events = step(
                    state, pos[k], vel, valid, DT_S, target_pos_ecef_m=pos[k],
                    target_vel_ecef_mps=vel_steps[k], target_rcs_m2=rcs, glint_m=glint,
                    seeker_rng=seeker_rng, options=options, terrain=terrain,
                )  # fmt: skip
                k += 1
            ended.append((sequence, k, events))
    return [(s, k, e) for s, k, e in ended if len(e)]


def _assert_same_events(a: FlyoutEvents, b: FlyoutEvents) -> None:
    for field in dataclasses.fields(FlyoutEvents):
        np.testing.assert_array_equal(getattr(a, field.name), getattr(b, field.name))


@pytest.mark.parametrize("noisy", [True, False])
@pytest.mark.parametrize("with_terrain", [True, False])
def test_substeps_in_one_call_fly_as_step_by_step(noisy, with_terrain):
    terrain = _terrain() if with_terrain else None
    options = FlyoutOptions()
    results, tables, streams = [], [], []
    for together in (False, True):
        state, targets = _engagement()
        valid = np.ones(state.capacity, dtype=bool)
        valid[2] = valid[6] = False  # no guidance: they fly ballistic
        rng = np.random.default_rng(7) if noisy else None
        results.append(_fly(state, targets, valid, rng, terrain, options, together))
        tables.append(state)
        streams.append(None if rng is None else rng.random())
    reference, compiled = results
    assert len(reference) >= 3  # flights ended at several times...
    assert len({k for _, k, _ in reference}) >= 2  # ... in the middle of sequences
    reasons = np.concatenate([e.reason for _, _, e in reference])
    assert (GROUND_IMPACT in reasons) == with_terrain
    assert [(s, k) for s, k, _ in compiled] == [(s, k) for s, k, _ in reference]
    for (_, _, a), (_, _, b) in zip(reference, compiled, strict=True):
        _assert_same_events(a, b)
    for column in tables[0].COLUMNS:
        np.testing.assert_array_equal(
            getattr(tables[1], column.name), getattr(tables[0], column.name)
        )
    np.testing.assert_array_equal(tables[1].active, tables[0].active)
    assert streams[1] == streams[0]  # the seeker stream took the same draws


def test_the_reference_backend_flies_one_step_per_call():
    state, targets = _engagement(2)
    pos, vel, vel_steps = _inputs(targets, 0.0)
    rcs, glint = np.full(state.capacity, 2.0), np.zeros(state.capacity)
    _, next_step = fly_substeps(
        state, pos, vel, np.ones(state.capacity, dtype=bool), DT_S, 3, target_pos_ecef_m=pos,
        target_vel_ecef_mps=vel_steps, target_rcs_m2=rcs, glint_m=glint,
        options=FlyoutOptions(backend="reference"),
    )  # fmt: skip
    assert next_step == 4
