"""Doctrine: no-fire areas (polygons, countries), the magazine reserve, and WTA orders."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from iadsim.c2.doctrine import NoFireAreas, usable_rounds
from iadsim.c2.engagement import wta_orders
from iadsim.geo.borders import load_borders


def test_polygon_zone_forbids_points_inside_only():
    square = np.array([[32.0, 39.0], [33.0, 39.0], [33.0, 40.0], [32.0, 40.0]])  # lon, lat
    areas = NoFireAreas(zones=[square])
    lat = np.radians([39.5, 39.5, 41.0])
    lon = np.radians([32.5, 34.0, 32.5])
    assert areas.forbidden(lat, lon).tolist() == [True, False, False]


def test_country_areas_use_the_borders():
    areas = NoFireAreas(countries=("GRC", "SYR"), borders=load_borders())
    # Athens, Damascus, Ankara
    lat = np.radians([37.98, 33.51, 39.93])
    lon = np.radians([23.73, 36.29, 32.86])
    assert areas.forbidden(lat, lon).tolist() == [True, True, False]


def test_reserve_keeps_a_fraction_of_the_initial_load():
    stock = np.array([10, 3, 16])
    initial = np.array([16, 4, 16])
    assert usable_rounds(stock, initial, 0.25).tolist() == [6, 2, 12]
    assert usable_rounds(stock, initial, 0.0).tolist() == [10, 3, 16]


def _expected_value(orders, values, pk, ids):
    index = {int(i): k for k, i in enumerate(ids)}
    return sum(
        values[index[o.track_id]] * (1 - (1 - pk[o.interceptor]) ** o.rounds) for o in orders
    )


@pytest.mark.parametrize("seed", range(6))
def test_wta_orders_are_optimal_with_one_salvo_per_track(seed):
    """Brute force over every way to give each track at most one salvo of one type."""
    rng = np.random.default_rng(seed)
    n, m, salvo = 4, 2, 2
    ids = np.arange(100, 100 + n)
    values = rng.uniform(1, 10, n)
    pk = rng.uniform(0.3, 0.9, m)
    feasible = rng.random((n, m)) < 0.7
    available = rng.integers(0, 5, m)
    orders = wta_orders(ids, values, feasible, pk, available, np.zeros(n, bool), salvo, 3, 6)
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.bincount([c for c in choice if c >= 0], minlength=m) * salvo
        ok = all(c < 0 or feasible[i, c] for i, c in enumerate(choice))
        if ok and (used <= available).all() and sum(c >= 0 for c in choice) <= 3:
            value = sum(
                values[i] * (1 - (1 - pk[c]) ** salvo) for i, c in enumerate(choice) if c >= 0
            )
            best = max(best, value)
    assert _expected_value(orders, values, pk, ids) == pytest.approx(best)
    used = np.bincount([o.interceptor for o in orders], minlength=m) * salvo
    assert (used <= available).all()
    assert len(orders) <= 3
    assert all(feasible[o.track_id - 100, o.interceptor] for o in orders)


def test_wta_orders_skip_engaged_tracks_and_respect_missile_channels():
    ids = np.array([1, 2, 3])
    values = np.array([5.0, 4.0, 3.0])
    feasible = np.ones((3, 1), bool)
    orders = wta_orders(ids, values, feasible, np.array([0.7]), np.array([10]),
                        np.array([True, False, False]), 2, 5, 2)  # fmt: skip
    assert [o.track_id for o in orders] == [2]  # one salvo of 2 fits the 2 missile channels
