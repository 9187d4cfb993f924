"""Doctrine: the rounds kept for ballistic threats, and the kinematic classes behind it.

A battery of 24 PAC-3 MSE keeps half its load for ballistic tracks: against 30 fighter
tracks it commits no more than 12 rounds, and a ballistic track then still gets a round.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.scenario.minimal_variant import write_minimal_variant

from iadsim.c2.picture.identification import Identity
from iadsim.c2.threat import TargetClass, target_class
from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import load_scenario


def test_classes_follow_the_speed_and_height_thresholds():
    vel = np.array([[0.0, -2000.0, -500.0], [0.0, -250.0, 0.0], [0.0, -250.0, 0.0]])
    height = np.array([40_000.0, 50.0, 10_000.0])
    assert target_class(vel, height).tolist() == [
        TargetClass.BALLISTIC,  # an Iskander's 2 km/s
        TargetClass.CRUISE_MISSILE,  # a Kalibr's 250 m/s at 50 m
        TargetClass.AIRCRAFT,  # a fighter's 250 m/s at 10 km
    ]


def _battery(tmp_path, **doctrine):
    def edit(doc):
        doc["fire_units"][0]["doctrine"] = {"policy": "shoot_look_shoot", **doctrine}
        doc["fire_units"][0]["launchers"][0]["count"] = 2  # 2 x 12 rounds
        # Channels for every track, so that only rounds limit the orders.
        doc["catalog_overrides"] = {
            "patriot/mpq65": {"guidance_targets": 100, "guidance_missiles": 100},
            "patriot/ecs": {"simultaneous_targets": 100},
        }

    scenario, catalog = load_scenario(write_minimal_variant(tmp_path, edit))
    sim = Simulation(scenario, catalog)
    return sim, sim.units[0]


def _add_tracks(unit, pos_m, vel_mps, t):
    picture = unit.picture
    slots = picture.table.allocate(len(pos_m), t)
    picture.table.state[slots, :3] = pos_m
    picture.table.state[slots, 3:6] = vel_mps
    picture.table.last_update_s[slots] = t
    picture.table.confirmed[slots] = True
    picture.changes += 1  # written outside the tracker: counted as a change
    picture.column("identity")[slots] = Identity.HOSTILE
    picture.column("fc_seen_s")[slots] = t
    return picture.table.track_id[slots]


def _decide(sim, unit, t):
    radar = sim.sensing.radars[unit.fire_control_radar]
    post = sim.catalog.command_posts[unit.spec.command_post]
    return sim.fire_control.decide(unit, radar, post, t)


@pytest.mark.parametrize("reserve", [0.0, 0.5])
def test_half_the_load_is_kept_for_ballistic_tracks(tmp_path, reserve):
    sim, unit = _battery(tmp_path, ballistic_reserve_fraction=reserve)
    n = 30  # fighters closing from 30-59 km north, 8 km up
    north = np.linspace(30_000.0, 59_000.0, n)
    pos = np.stack([np.zeros(n), north, np.full(n, 8_000.0)], axis=1)
    vel = np.tile([0.0, -250.0, 0.0], (n, 1))
    _add_tracks(unit, pos, vel, 0.0)
    fired = sum(len(o.launches) for o in _decide(sim, unit, 0.0).orders)
    assert fired == round(24 * (1 - reserve))  # 24 without a reserve, 12 with half kept


def test_a_ballistic_track_is_served_from_the_reserve(tmp_path):
    sim, unit = _battery(tmp_path, ballistic_reserve_fraction=0.5)
    ballistic = _add_tracks(
        unit, np.array([[0.0, 40_000.0, 20_000.0]]), np.array([[0.0, -1500.0, -600.0]]), 0.0
    )
    orders = _decide(sim, unit, 0.0).orders
    assert [o.track_id for o in orders] == ballistic.tolist()
