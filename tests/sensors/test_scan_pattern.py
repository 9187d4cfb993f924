"""Azimuth intervals and a rotating beam's sweep.

Oracles: the beam angle ``2 pi (t - t_north) / T`` written out by hand, and counting: the
sweeps of the steps of one rotation cover every azimuth exactly once.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.sensors.scan_pattern import AzimuthInterval


def test_sweep_starts_where_the_beam_points_and_spans_the_step():
    # 10 s rotation, beam north at t = 3 s: at t = 5.5 s it points 90 deg.
    sweep = AzimuthInterval.swept(5.5, 1.0, 10.0, 3.0)
    assert np.degrees(sweep.start_rad) == pytest.approx(90.0)
    assert np.degrees(sweep.extent_rad) == pytest.approx(36.0)
    # Before the first northward pass the angle wraps into [0, 360).
    early = AzimuthInterval.swept(0.0, 1.0, 10.0, 3.0)
    assert np.degrees(early.start_rad) == pytest.approx(252.0)


def test_the_steps_of_one_rotation_see_every_azimuth_exactly_once():
    rotation_s, dt_s = 8.0, 0.5
    sweeps = [
        AzimuthInterval.swept(t, dt_s, rotation_s, 1.3)
        for t in np.arange(100.0, 100.0 + rotation_s, dt_s)
    ]
    az = np.random.default_rng(1).uniform(0.0, 2.0 * np.pi, 20_000)
    looks = np.sum([sweep.contains(az) for sweep in sweeps], axis=0)
    np.testing.assert_array_equal(looks, 1)


def test_sweep_is_the_floor_and_min_formula_to_the_bit():
    # swept's operators (turns % 1.0, a comparison) against the written-out formula,
    # before and after the first northward pass, at integer turns and past a full turn.
    rng = np.random.default_rng(7)
    for t, dt_s, rotation_s, north_s in [
        *zip(
            rng.uniform(0.0, 5000.0, 500),
            rng.uniform(0.01, 30.0, 500),
            rng.uniform(1.0, 20.0, 500),
            rng.uniform(0.0, 20.0, 500),
            strict=True,
        ),
        (3.0, 1.0, 10.0, 3.0),
        (0.0, 10.0, 10.0, 0.0),
        (23.0, 1.0, 10.0, 3.0),
        (0.0, 1e-9, 10.0, 1e-15),
    ]:
        turns = (t - north_s) / rotation_s
        sweep = AzimuthInterval.swept(t, dt_s, rotation_s, north_s)
        assert sweep.start_rad == 2.0 * math.pi * (turns - math.floor(turns))
        assert sweep.extent_rad == min(2.0 * math.pi * dt_s / rotation_s, 2.0 * math.pi)


def test_a_step_longer_than_the_rotation_sees_the_full_circle():
    sweep = AzimuthInterval.swept(2.0, 12.0, 10.0, 0.0)
    assert sweep.is_full_circle
    assert np.all(sweep.contains(np.radians([0.0, 90.0, 359.9])))


def test_sector_wraps_through_north_and_includes_its_edges():
    sector = AzimuthInterval.sector(np.radians(350.0), np.radians(90.0))
    az = np.radians([300.0, 305.0, 350.0, 20.0, 35.0, 36.0, 180.0])
    np.testing.assert_array_equal(sector.contains(az), [0, 1, 1, 1, 1, 0, 0])


def test_samples_lie_in_the_interval_and_fill_it_uniformly():
    sweep = AzimuthInterval.sector(np.radians(10.0), np.radians(40.0))
    az = sweep.sample(40_000, np.random.default_rng(2))
    assert np.all(sweep.contains(az))
    offset = np.degrees(np.mod(az - np.radians(350.0), 2.0 * np.pi))
    # Uniform on [0, 40): each 10-degree quarter holds a quarter (binomial sd ~0.2 %).
    counts = np.histogram(offset, bins=4, range=(0.0, 40.0))[0] / az.size
    np.testing.assert_allclose(counts, 0.25, atol=0.01)
