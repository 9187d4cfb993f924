"""The sensing stage hands each look the slice of the step's pairs that belongs to it: the
entities its radar covers now, with their own geometry, positions, velocities and Swerling
cases, and Radar.detect given the same look draws the same batch (whose chain computes the
SNR and Pd look by look, where the stage computed them for the whole step)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from iadsim.engine.simulation import Simulation
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.scenario.loader import load_scenario
from iadsim.sensors import sensing
from iadsim.sensors.radar_view import TargetView

SCENARIO = Path(__file__).parents[2] / "scenarios" / "turkey-s400-ankara.yaml"


def test_each_look_gets_its_own_pairs_and_draws_as_radar_detect():
    simulation = Simulation(*load_scenario(SCENARIO))
    detect_visible = sensing.detect_visible
    checked = []
    stage = simulation.sensing
    step_pairs = []
    find_pairs = stage._pairs

    def keep_pairs(looks, truth):
        step_pairs[:] = [find_pairs(looks, truth)]
        return step_pairs[0]

    stage._pairs = keep_pairs  # type: ignore[method-assign]

    def spy(
        radar, entity, aer, pos, vel, obstacle, jammers, rcs, swerling, t, rng, look, obs, *step
    ):
        state = rng.bit_generator.state
        batch = detect_visible(
            radar, entity, aer, pos, vel, obstacle, jammers, rcs, swerling, t, rng, look, obs, *step
        )
        truth = simulation.truth
        if obstacle is None:  # the step's SNR given: the look's obstacles are its pairs' slice
            pairs = step_pairs[0]
            base = pairs.entity.__array_interface__["data"][0]
            start = (entity.__array_interface__["data"][0] - base) // pairs.entity.strides[0]
            np.testing.assert_array_equal(entity, pairs.entity[start : start + entity.size])
            obstacle = DominantObstacle(*pairs.obstacle[:, start : start + entity.size])
        np.testing.assert_array_equal(pos, truth.pos_ecef_m[entity])
        np.testing.assert_array_equal(vel, truth.vel_ecef_mps[entity])
        np.testing.assert_array_equal(swerling, stage.swerling[entity])
        n = len(truth.present)
        full = np.full((4, n), np.nan)  # RCS and obstacle of every entity, NaN out of view
        full[:, entity] = rcs, obstacle.height_m, obstacle.d1_m, obstacle.d2_m
        targets = TargetView(
            truth.pos_ecef_m,
            truth.lla[:, 2],
            full[0],
            stage.swerling,
            truth.present,
            truth.vel_ecef_mps,
            type(obstacle)(full[1], full[2], full[3]),
        )
        visible, full_aer = radar.in_coverage(targets, look)
        assert visible[entity].all()
        np.testing.assert_array_equal(aer, full_aer[entity])
        only = np.zeros(n, dtype=bool)
        only[entity] = True
        twin = np.random.default_rng()
        twin.bit_generator.state = state
        again = radar.detect(targets, full_aer, only, t, twin, look)
        assert twin.bit_generator.state == rng.bit_generator.state
        for name in ("truth", "range_m", "az_rad", "el_rad", "snr_db", "range_rate_mps"):
            np.testing.assert_array_equal(getattr(again, name), getattr(batch, name))
        checked.append(radar.index)
        return batch

    sensing.detect_visible = spy
    try:
        while len(checked) < 40:
            simulation.step(simulation.scenario.time_step_s)
    finally:
        sensing.detect_visible = detect_visible
    assert len(set(checked)) > 1  # looks of several radars
