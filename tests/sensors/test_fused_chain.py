"""The fused default chain gives the chain's SNR to the bit, and its kernels equal their twins."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.geo.frames import lla_to_ecef
from iadsim.sensors import chain
from iadsim.sensors._chain_kernels import (
    CLEAR_AIR_LOSS,
    CLUTTER,
    chain_sum_kernel,
    chain_sum_reference,
    chain_terms_kernel,
    chain_terms_reference,
    measurement_kernel,
    measurement_reference,
)
from iadsim.sensors.fused_chain import default_chain_snr_db
from iadsim.sensors.radar import Radar

rad = np.radians


def radar_at(name: str, alt_m: float, antenna_agl_m: float | None = None) -> Radar:
    spec = load_catalog().radars[name]
    return Radar(0, name, spec, rad(39.9), rad(32.8), alt_m, antenna_agl_m=antenna_agl_m)


def random_paths(radar: Radar, n: int, seed: int, *, far: bool, edges: bool):
    """``n`` paths with obstacles and velocities; ``far``: some beyond the reference range
    (clear-air loss), ``edges``: some knife edges above the no-loss limit."""
    rng = np.random.default_rng(seed)
    top = radar.spec.detection_range_m * (1.6 if far else 0.9)
    aer = np.column_stack(
        [rng.uniform(0, 2 * np.pi, n), rng.uniform(-0.01, 0.5, n), rng.uniform(50.0, top, n)]
    )
    pos = lla_to_ecef(
        rad(39.9) + rng.normal(0, 0.5, n),
        rad(32.8) + rng.normal(0, 0.5, n),
        rng.uniform(30.0, 12e3, n),
    )
    velocity = rng.normal(0.0, 200.0, (n, 3))
    velocity[:3] = 0.0  # in the notch
    height = rng.uniform(-400.0, 30.0 if edges else -300.0, n)
    height[:2] = -np.inf  # no obstacle
    d1 = rng.uniform(1e3, 5e4, n)
    d2 = rng.uniform(1e3, 5e4, n)
    paths = chain.paths_from_aer(radar, aer, pos, None, velocity)
    paths = dataclasses.replace(paths, obstacle_height_m=height, obstacle_d1_m=d1, obstacle_d2_m=d2)
    rcs = rng.lognormal(0.0, 2.0, n)
    rcs[3] = 0.0
    return paths, rcs


def generic_snr_db(radar: Radar, paths, rcs):
    snr = chain.radar_equation_snr_db(radar, paths.range_m, rcs)
    for effect in radar.signal_effects:
        snr = snr + effect.snr_change_db(paths)
    return snr


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["s400/92n6e", "s400/91n6e", "nato/apy2"])
@pytest.mark.parametrize("far", [False, True])
@pytest.mark.parametrize("edges", [False, True])
@pytest.mark.parametrize("agl_m", [None, 9000.0])
def test_fused_chain_equals_the_chain_effect_by_effect(name, far, edges, agl_m):
    alt_m = 1000.0 if agl_m is None else 10000.0
    radar = radar_at(name, alt_m, agl_m)
    assert radar.default_chain
    for seed in range(3):
        paths, rcs = random_paths(radar, 40, seed, far=far, edges=edges)
        fused = default_chain_snr_db(radar, paths, rcs)
        assert fused is not None
        expected = generic_snr_db(radar, paths, rcs)
        np.testing.assert_array_equal(fused, expected)
        np.testing.assert_array_equal(np.signbit(fused), np.signbit(expected))
        np.testing.assert_array_equal(chain.snr_db(radar, paths, rcs), expected)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_fused_clutter_follows_the_effect_s_gamma():
    radar = radar_at("s400/92n6e", 10000.0, 9000.0)
    effects = chain.build_signal_effects([("ground_clutter", {"gamma_db": -10.0})])
    radar = dataclasses.replace(radar, signal_effects=effects)
    assert radar.default_chain
    paths, rcs = random_paths(radar, 50, 4, far=False, edges=True)
    np.testing.assert_array_equal(
        default_chain_snr_db(radar, paths, rcs), generic_snr_db(radar, paths, rcs)
    )


def test_fused_chain_flags_the_effects_whose_shortcut_fails():
    radar = radar_at("nato/apy2", 10000.0, 9000.0)
    paths, rcs = random_paths(radar, 60, 1, far=True, edges=True)
    out = np.empty((4, 60))
    args = (
        paths.range_m,
        rcs,
        paths.target_pos_ecef_m,
        paths.target_vel_ecef_mps,
        paths.radar_pos_ecef_m,
        paths.obstacle_height_m,
        paths.obstacle_d1_m,
        paths.obstacle_d2_m,
        radar._chain_constants,
    )
    flags = chain_terms_kernel(*args, out)
    assert flags == CLEAR_AIR_LOSS | CLUTTER
    assert 0 < np.isnan(out[3]).sum() < 60
    expected = np.empty((4, 60))
    with np.errstate(divide="ignore"):
        assert chain_terms_reference(*args, expected) == flags
    np.testing.assert_array_equal(out, expected)
    with np.errstate(divide="ignore"):
        logs = np.log10(np.abs(out))
    logs[3, :5] = -2.0  # a knife edge whose loss is floored at 0 dB
    changes = np.random.default_rng(2).normal(size=(2, 60))
    for bits in range(4):
        expected = chain_sum_reference(logs, 12.5, changes, bits)
        snr = np.empty(60)
        chain_sum_kernel(logs, 12.5, changes, bits, snr)
        np.testing.assert_array_equal(snr, expected)
        in_place = logs.copy()  # the sum written over the radar equation's row
        chain_sum_kernel(in_place, 12.5, changes, bits, in_place[0])
        np.testing.assert_array_equal(in_place[0], expected)


def test_a_radar_with_other_effects_or_paths_without_terrain_runs_effect_by_effect():
    radar = radar_at("s400/92n6e", 1000.0)
    paths, rcs = random_paths(radar, 10, 0, far=False, edges=False)
    bare = dataclasses.replace(
        paths, obstacle_height_m=None, obstacle_d1_m=None, obstacle_d2_m=None
    )
    assert default_chain_snr_db(radar, bare, rcs) is None
    assert default_chain_snr_db(radar, paths, 1.0) is None  # type: ignore[arg-type]
    assert not dataclasses.replace(radar, signal_effects=radar.signal_effects[:3]).default_chain


@pytest.mark.parametrize("measures", [False, True])
def test_measurement_kernel_equals_its_numpy_twin(measures):
    rng = np.random.default_rng(7)
    m = 200
    aer = np.column_stack(
        [rng.uniform(0, 2 * np.pi, m), rng.uniform(-0.1, 1.0, m), rng.uniform(0.0, 4e5, m)]
    )
    aer[:4, 0] = [0.0, 2 * np.pi - 1e-17, 1e-18, -0.0]
    snr = 10.0 ** (rng.uniform(-20.0, 40.0, m) / 10.0)
    snr[4] = np.nan
    noise = rng.standard_normal((4, m))
    pos = rng.normal(0.0, 1e6, (m, 3))
    vel = rng.normal(0.0, 300.0, (m, 3))
    radar_pos, radar_vel = pos[5].copy(), rng.normal(0.0, 100.0, 3)
    terms = np.array([30.0, 0.02, 5.0, 0.5, 1.6, 5.0, 1e-4, 0.1])
    detected = rng.random(m) < 0.7  # the detections among the m targets
    detected[:6] = True
    rows = np.flatnonzero(detected)
    noise = noise[:, : rows.size]
    out, expected = np.empty((8, rows.size)), np.empty((8, rows.size))
    args = (rows, aer, snr, noise, pos, vel, radar_pos, radar_vel, terms, measures)
    measurement_kernel(*args, out)
    measurement_reference(*args, expected)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(np.signbit(out), np.signbit(expected))


def test_a_moved_radar_has_the_chain_constants_of_a_fresh_one():
    radar = radar_at("nato/apy2", 9000.0, 8000.0)
    assert radar._chain_constants.size  # cached before the move, which moved() carries over
    moved = radar.moved(rad(40.0), rad(33.0), 9500.0, np.ones(3), 7000.0)
    fresh = Radar(0, "nato/apy2", radar.spec, rad(40.0), rad(33.0), 9500.0, antenna_agl_m=7000.0)
    np.testing.assert_array_equal(moved._chain_constants, fresh._chain_constants)
    assert moved == dataclasses.replace(
        radar, lat_rad=rad(40.0), lon_rad=rad(33.0), alt_m=9500.0, antenna_agl_m=7000.0
    )
