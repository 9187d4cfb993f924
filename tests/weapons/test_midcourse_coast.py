"""Midcourse coasting: through a gap in the fire-control track a missile flies on inertial
guidance towards the track extrapolated at constant velocity, for up to its unit's
``doctrine.guidance_coast_s`` of silence; then it loses guidance."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.weapons.engagement import WeaponsStage
from iadsim.weapons.fleet import InterceptorFleet
from iadsim.weapons.flyout import load_airframes

KEY = "patriot/pac3_mse"
TRACK = 5
POS_ENU = np.array([30_000.0, 10_000.0, 6_000.0])
VEL_ENU = np.array([-250.0, 0.0, 0.0])


class _Table:
    """The few members of a post's track table that guidance reads."""

    def __init__(self, present: bool):
        self.present = present
        self.state = np.concatenate([POS_ENU, VEL_ENU])[None, :]
        self.time_s = np.array([10.0])

    def slots_of(self, ids):
        return np.array([0 if self.present and int(i) == TRACK else -1 for i in ids])


def _stage(coast_s: float):
    lat, lon = np.radians(40.0), np.radians(32.5)
    origin = lla_to_ecef(np.array([lat]), np.array([lon]), np.array([900.0])).reshape(3)
    rotation = enu_rotation(np.array([lat]), np.array([lon]))[0]
    table = _Table(present=True)
    picture = SimpleNamespace(
        table=table,
        origin_ecef_m=origin,
        rotation=rotation,
        column=lambda name: {"fc_seen_s": np.array([10.0])}[name],
    )
    doctrine = SimpleNamespace(guidance_coast_s=coast_s)
    unit = SimpleNamespace(picture=picture, spec=SimpleNamespace(doctrine=doctrine))
    fleet = InterceptorFleet(2, [load_airframes()[KEY]], [load_catalog().interceptors[KEY]])
    aim = origin + rotation.T @ POS_ENU
    slot = fleet.launch(0, 0, TRACK, -1, origin, rotation, aim)
    stage = WeaponsStage(
        [unit], None, None, fleet, [], np.ones(1, bool), None, None, np.random.default_rng(0)
    )
    return stage, slot, table, origin, rotation


def _expected_ecef(origin, rotation, t):
    return origin + rotation.T @ (POS_ENU + VEL_ENU * (t - 10.0))


@pytest.mark.parametrize("present", [True, False])
def test_a_silent_track_is_extrapolated_and_guides_until_the_coast_limit(present):
    stage, slot, table, origin, rotation = _stage(coast_s=20.0)
    stage._guidance_tracks(10.0, np.array([slot]))  # last fire-control update at 10 s
    table.present = present  # the track goes silent, kept or dropped from the picture
    state, valid = stage._guidance_tracks(25.0, np.array([slot]))
    assert valid[slot]
    np.testing.assert_allclose(state[slot, :3], _expected_ecef(origin, rotation, 25.0), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(state[slot, 3:]), 250.0)
    _, valid = stage._guidance_tracks(30.5, np.array([slot]))
    assert not valid[slot]


def test_a_shorter_coast_loses_guidance_sooner():
    stage, slot, table, *_ = _stage(coast_s=6.0)
    stage._guidance_tracks(10.0, np.array([slot]))
    table.present = False
    assert stage._guidance_tracks(16.0, np.array([slot]))[1][slot]
    assert not stage._guidance_tracks(16.5, np.array([slot]))[1][slot]


def test_the_end_game_target_accelerates_as_truth_did_over_the_last_step():
    """Free fall: the backward difference of the true velocity is g, for present targets
    only, and the first step (no history) gives zero."""
    stage, *_ = _stage(coast_s=20.0)
    g = np.array([0.0, 0.0, -9.81])
    vel0 = np.array([[2_000.0, 0.0, -500.0], [250.0, 0.0, 0.0]])
    present = np.array([True, False])
    truth0 = SimpleNamespace(vel_ecef_mps=vel0, present=present)
    np.testing.assert_array_equal(stage._truth_acceleration(10.0, truth0), np.zeros((2, 3)))
    truth1 = SimpleNamespace(vel_ecef_mps=vel0 + g * 2.0, present=np.array([True, True]))
    accel = stage._truth_acceleration(12.0, truth1)
    np.testing.assert_allclose(accel[0], g, atol=1e-12)
    np.testing.assert_array_equal(accel[1], np.zeros(3))  # not flying at 10 s


def test_guidance_follows_a_fleet_that_grew():
    stage, _, _, origin, rotation = _stage(coast_s=20.0)
    for _ in range(3):  # the fleet of two slots doubles
        stage.fleet.launch(0, 0, TRACK, -1, origin, rotation, origin + rotation.T @ POS_ENU)
    slots = stage.fleet.table.active_slots()
    state, valid = stage._guidance_tracks(12.0, slots)
    assert stage.fleet.table.capacity > 2
    assert state.shape == (stage.fleet.table.capacity, 6)
    assert valid[slots].all()
    expected = np.broadcast_to(_expected_ecef(origin, rotation, 12.0), (slots.size, 3))
    np.testing.assert_allclose(state[slots, :3], expected, atol=1e-6)
