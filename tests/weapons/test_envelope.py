"""Launch acceptability tables: lookups, physical bounds and caching."""

import numpy as np
import pytest

from iadsim.weapons import envelope as envelope_module
from iadsim.weapons.envelope import EnvelopeCache, build_envelope
from iadsim.weapons.flyout import load_airframes

RANGES_M = np.linspace(5e3, 85e3, 9)
ALTITUDES_M = (1e3, 5e3, 10e3, 20e3)


@pytest.fixture(scope="module")
def mse():
    return load_airframes()["patriot/pac3_mse"]


@pytest.fixture(scope="module")
def table(mse):
    return build_envelope(mse, RANGES_M, ALTITUDES_M, dt_s=0.1)


def test_lookup_at_the_grid_nodes_returns_the_flown_values(table):
    r, h = np.meshgrid(RANGES_M, ALTITUDES_M, indexing="ij")
    np.testing.assert_array_equal(table.time_of_flight_s(r, h), table.time_of_flight_grid_s)
    np.testing.assert_array_equal(table.arrival_speed_mps(r, h), table.arrival_speed_grid_mps)


def test_lookup_is_bilinear_inside_a_cell_and_vectorised(table):
    grid = table.time_of_flight_grid_s
    i, j = 2, 1
    centre = table.time_of_flight_s(
        0.5 * (RANGES_M[i] + RANGES_M[i + 1]), 0.5 * (ALTITUDES_M[j] + ALTITUDES_M[j + 1])
    )
    assert centre == pytest.approx(grid[i : i + 2, j : j + 2].mean())
    quarter = table.time_of_flight_s(RANGES_M[i] + 0.25 * (RANGES_M[i + 1] - RANGES_M[i]), 5e3)
    assert quarter == pytest.approx(0.75 * grid[i, j] + 0.25 * grid[i + 1, j])
    shaped = table.time_of_flight_s(np.full((3, 2), 30e3), np.full((3, 2), 7e3))
    assert shaped.shape == (3, 2)


def test_time_of_flight_is_physical(table):
    r, h = np.meshgrid(RANGES_M, ALTITUDES_M, indexing="ij")
    tof = table.time_of_flight_grid_s
    known = np.isfinite(tof)
    assert known[:3].all()  # short shots all arrive
    # Never faster than the straight line at the missile's ~1.7 km/s top speed (Mach 5).
    assert np.all(tof[known] > np.hypot(r, h)[known] / 1700.0)
    # Farther points take longer at every altitude.
    for column in tof.T:
        finite = column[np.isfinite(column)]
        assert np.all(np.diff(finite) > 0)


def test_reachability_follows_the_flight_time_limit(table, mse):
    assert table.reachable(20e3, 10e3)
    assert not table.reachable(80e3, 10e3)
    assert not table.reachable(200e3, 10e3)  # outside the grid
    assert np.isnan(table.time_of_flight_s(200e3, 10e3))
    boundary = table.max_ground_range_m(10e3)
    assert 40e3 < boundary < 80e3
    assert table.reachable(boundary - 500.0, 10e3)
    assert not table.reachable(boundary + 500.0, 10e3)
    assert table.time_of_flight_s(boundary, 10e3) == pytest.approx(mse.max_flight_time_s, rel=0.01)


def test_cache_builds_each_table_once_in_memory(mse, monkeypatch):
    calls = []
    real = envelope_module.build_envelope

    def counting(*args, **kwargs):
        calls.append(args[0].key)
        return real(*args, **kwargs)

    monkeypatch.setattr(envelope_module, "build_envelope", counting)
    cache = EnvelopeCache()
    first = cache.get(mse, RANGES_M[:4], (5e3,))
    second = cache.get(mse, RANGES_M[:4], (5e3,))
    assert first is second and calls == [mse.key] and len(cache) == 1
    cache.get(mse, RANGES_M[:3], (5e3,))
    assert len(calls) == 2


def test_disk_cache_is_reused_by_a_new_cache(mse, tmp_path, monkeypatch):
    built = EnvelopeCache(disk_dir=tmp_path).get(mse, RANGES_M[:4], (5e3, 10e3))
    assert len(list(tmp_path.glob("*.npz"))) == 1

    def fail(*_args, **_kwargs):
        raise AssertionError("rebuilt instead of reading the disk cache")

    monkeypatch.setattr(envelope_module, "build_envelope", fail)
    loaded = EnvelopeCache(disk_dir=tmp_path).get(mse, RANGES_M[:4], (5e3, 10e3))
    np.testing.assert_array_equal(loaded.time_of_flight_grid_s, built.time_of_flight_grid_s)
    assert loaded.airframe_key == mse.key
