"""The compiled intercept flight-time search of planning agrees to the bit with its NumPy twin,
and finds the textbook collision-course time where the table is a constant speed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from iadsim.c2._plan_kernels import first_root_kernel
from iadsim.c2.engagement import MEAN_EARTH_RADIUS_M, Envelopes, GroundUnder
from iadsim.catalog import load_catalog
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.geo.terrain import ElevationGrid
from iadsim.weapons.envelope import envelope_for
from iadsim.weapons.flyout import Airframe

TYPES = ("s400/48n6e3", "s400/40n6e", "patriot/pac3_mse")


@pytest.fixture(scope="module")
def envelopes() -> Envelopes:
    catalog = load_catalog()
    types = [catalog.interceptors[key] for key in TYPES]
    tables = [envelope_for(Airframe.from_entry(catalog.airframes[key])) for key in TYPES]
    return Envelopes.from_catalog(types, tables)


def _tracks(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Tracks from 1 to 400 km out at 50 m to 40 km, closing or not, up to Mach 8."""
    bearing = rng.uniform(0.0, 2.0 * np.pi, n)
    ground = rng.uniform(1_000.0, 400_000.0, n)
    pos = np.stack([ground * np.sin(bearing), ground * np.cos(bearing),
                    rng.uniform(50.0, 40_000.0, n)], axis=1)  # fmt: skip
    vel = rng.normal(0.0, 1.0, (n, 3)) * rng.uniform(0.0, 2_700.0, n)[:, None]
    return pos, vel


@pytest.mark.parametrize("seed", range(5))
def test_compiled_search_matches_the_numpy_twin_to_the_bit(envelopes, seed):
    rng = np.random.default_rng(seed)
    start, vel = _tracks(rng, 60)
    site_alt_m = float(rng.uniform(0.0, 1_500.0))
    compiled = envelopes._table_flight_times(start, vel, site_alt_m)
    reference = envelopes._table_flight_times_reference(start, vel, site_alt_m)
    assert np.isfinite(reference).any() and np.isinf(reference).any()  # both kinds covered
    np.testing.assert_array_equal(compiled, reference)


def test_limits_are_unchanged_by_the_compiled_search(envelopes):
    start, vel = _tracks(np.random.default_rng(7), 40)
    numpy_only = dataclasses.replace(envelopes, tables=tuple(_Plain(t) for t in envelopes.tables))
    for a, b in zip(envelopes.limits(start, vel, 8.0, 900.0),
                    numpy_only.limits(start, vel, 8.0, 900.0), strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)


class _Plain:
    """A flyout table seen only through the FlightTimeTable protocol (the NumPy path)."""

    def __init__(self, table):
        self._table = table

    def time_of_flight_s(self, ground_range_m, altitude_m):
        return self._table.time_of_flight_s(ground_range_m, altitude_m)

    def reachable(self, ground_range_m, altitude_m):
        return self._table.reachable(ground_range_m, altitude_m)


def test_constant_speed_table_gives_the_collision_course_time():
    """tof = slant range / 1000 m/s on a flat grid: a target 30 km out closing at 500 m/s
    is met when 30 000 - 500 t = 1000 t, t = 20 s (Zarchan, ch. 2, collision triangle)."""
    ranges = np.linspace(0.0, 100_000.0, 1001)
    alts = np.array([0.0, 50_000.0])
    grid = np.repeat(ranges[:, None] / 1_000.0, 2, axis=1)
    times = np.linspace(0.0, 420.0, 85)
    start = np.array([[0.0, 30_000.0, 0.5]])
    vel = np.array([[0.0, -500.0, 0.0]])
    flight = first_root_kernel(start, vel, 0.0, times, grid, ranges, alts, MEAN_EARTH_RADIUS_M)
    assert flight[0] == pytest.approx(20.0, abs=1e-6)
    receding = np.array([[0.0, 1_500.0, 0.0]])  # outruns the interceptor: no root
    flight = first_root_kernel(start, receding, 0.0, times, grid, ranges, alts, MEAN_EARTH_RADIUS_M)
    assert np.isinf(flight[0])


def _ground(rng: np.random.Generator) -> GroundUnder:
    """Hills up to 4 km on a 0.05 deg grid around a site at 39.9 N 32.8 E (most intercept
    points on it, the farthest off it: sea level there)."""
    lat, lon = np.radians(39.9), np.radians(32.8)
    heights = rng.integers(-50, 4_000, size=(61, 81)).astype(np.int16)
    step = np.radians(0.05)
    terrain = ElevationGrid(lat - 30 * step, lon - 40 * step, step, step, heights)
    return GroundUnder(terrain, lla_to_ecef(lat, lon, 900.0), enu_rotation(lat, lon))


@pytest.mark.parametrize("seed", range(5))
def test_compiled_limits_match_the_numpy_path_to_the_bit(envelopes, seed):
    rng = np.random.default_rng(seed)
    pos, vel = _tracks(rng, 80)
    pos[::7, 2] = rng.uniform(0.0, 300.0, len(pos[::7]))  # low: under the minimum altitude
    pos[:2], vel[:2] = [[2_500.0, 0.0, 1_000.0], [50_000.0, 0.0, 32_000.0]], 0.0  # close, high
    ballistic = rng.random(80) < 0.3
    ground = _ground(rng)
    numpy_only = dataclasses.replace(envelopes, tables=tuple(_Plain(t) for t in envelopes.tables))
    for terrain, twin_terrain in ((ground, lambda p: ground(p)), (None, None)):
        for flags in (ballistic, None):
            compiled = envelopes.limits(pos, vel, 8.0, 900.0, terrain, flags)
            twin = numpy_only.limits(pos, vel, 8.0, 900.0, twin_terrain, flags)
            for a, b in zip(compiled, twin, strict=True):
                assert a.dtype == b.dtype and a.shape == b.shape
                assert a.tobytes() == b.tobytes()
    reasons = set(envelopes.limits(pos, vel, 8.0, 900.0, ground, ballistic)[0].ravel().tolist())
    assert reasons >= {0, 4, 5, 6, 7, 8}  # feasible and the tests' reasons
