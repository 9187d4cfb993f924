"""Every registered signal effect: one dB change per path, finite, pure and deterministic.

Each effect is built by its factory with default settings and run on path geometries of
radars at several sites and frequencies (near and far, grazing and steep, all azimuths,
and the empty batch), as the sensor chain calls it in the simulation and in coverage maps.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.core.contracts import RadarPaths, SignalEffect
from iadsim.core.registry import SIGNAL_EFFECTS
from iadsim.geo.frames import aer_to_enu, enu_rotation, enu_to_ecef, lla_to_ecef


def _paths(seed: int, n: int) -> RadarPaths:
    rng = np.random.default_rng(seed)
    lat, lon = np.radians(rng.uniform(-70, 70)), np.radians(rng.uniform(-180, 180))
    alt = float(rng.uniform(0.0, 3000.0))
    radar = lla_to_ecef(lat, lon, alt)
    az = rng.uniform(0.0, 2.0 * np.pi, n)
    el = np.radians(rng.uniform(-2.0, 85.0, n))
    rng_m = np.exp(rng.uniform(np.log(200.0), np.log(800_000.0), n))
    targets = enu_to_ecef(aer_to_enu(az, el, rng_m), radar, enu_rotation(lat, lon))
    return RadarPaths(
        radar_pos_ecef_m=radar,
        radar_alt_m=alt,
        frequency_hz=float(rng.choice([1.3e9, 3.0e9, 5.5e9, 1.0e10, 3.5e10])),
        reference_range_m=float(rng.uniform(50_000.0, 600_000.0)),
        range_m=rng_m,
        azimuth_rad=az,
        elevation_rad=el,
        target_pos_ecef_m=np.asarray(targets, np.float64).reshape(n, 3),
    )


PATHS = [_paths(seed, n) for seed, n in enumerate([1, 7, 64, 500, 0])]
NAMES = SIGNAL_EFFECTS.names()


@pytest.mark.parametrize("name", NAMES)
def test_effect_plays_the_signal_effect_role(name):
    assert isinstance(SIGNAL_EFFECTS.get(name)(), SignalEffect)


@pytest.mark.parametrize("paths", PATHS, ids=lambda p: f"n{p.range_m.size}")
@pytest.mark.parametrize("name", NAMES)
def test_effect_gives_one_finite_db_change_per_path(name, paths):
    change = SIGNAL_EFFECTS.get(name)().snr_change_db(paths)
    assert isinstance(change, np.ndarray)
    assert change.shape == paths.range_m.shape
    assert change.dtype == np.float64
    assert np.all(np.isfinite(change))
    assert np.all(np.abs(change) < 200.0)  # dB: a factor of 1e20 is a units mistake


@pytest.mark.parametrize("name", NAMES)
def test_effect_leaves_its_inputs_unchanged(name):
    paths = PATHS[3]
    before = copy.deepcopy(paths)
    for value in vars(paths).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # an in-place write raises
    try:
        SIGNAL_EFFECTS.get(name)().snr_change_db(paths)
    finally:
        for value in vars(paths).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = True
    for key, value in vars(before).items():
        np.testing.assert_array_equal(getattr(paths, key), value)


@pytest.mark.parametrize("name", NAMES)
def test_effect_is_deterministic_and_path_by_path(name):
    paths = PATHS[3]
    first = SIGNAL_EFFECTS.get(name)().snr_change_db(paths)
    again = SIGNAL_EFFECTS.get(name)().snr_change_db(paths)
    np.testing.assert_array_equal(first, again)
    # Each path's change depends on that path only: a subset gives the same values.
    rows = np.arange(0, paths.range_m.size, 3)
    subset = RadarPaths(
        paths.radar_pos_ecef_m,
        paths.radar_alt_m,
        paths.frequency_hz,
        paths.reference_range_m,
        paths.range_m[rows],
        paths.azimuth_rad[rows],
        paths.elevation_rad[rows],
        paths.target_pos_ecef_m[rows],
    )
    np.testing.assert_allclose(
        SIGNAL_EFFECTS.get(name)().snr_change_db(subset), first[rows], rtol=0, atol=1e-12
    )
