"""Engagement planning: envelope feasibility of kinematic intercepts, and greedy orders
under guidance-channel and magazine limits (checked by brute force on small random cases)."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.engagement import Envelopes, Order, greedy_orders, pk_by_track, wta_orders
from iadsim.c2.hold_fire import HoldReason
from iadsim.c2.threat import TargetClass
from iadsim.catalog import load_catalog

# Two notional types: a long-range one and a short-range, low-altitude one.
ENVELOPES = Envelopes(
    min_range_m=np.array([3_000.0, 1_000.0]),
    max_range_m=np.array([150_000.0, 40_000.0]),
    min_altitude_m=np.array([50.0, 10.0]),
    max_altitude_m=np.array([25_000.0, 15_000.0]),
    average_speed_mps=np.array([1_000.0, 800.0]),
    pk=np.array([0.7, 0.8]),
)


def test_envelopes_from_catalog_stack_the_entries():
    catalog = load_catalog()
    types = [catalog.interceptors[k] for k in ("patriot/pac2_gem_t", "patriot/pac3_mse")]
    env = Envelopes.from_catalog(types)
    np.testing.assert_array_equal(env.max_range_m, [t.max_range_m for t in types])
    np.testing.assert_array_equal(env.min_altitude_m, [t.min_altitude_m for t in types])
    np.testing.assert_array_equal(env.average_speed_mps, [t.average_speed_m_s for t in types])
    np.testing.assert_array_equal(
        env.pk,
        [
            [
                t.single_shot_pk_vs_aircraft,
                t.single_shot_pk_vs_cruise_missile,
                t.single_shot_pk_vs_ballistic_missile,
            ]
            for t in types
        ],
    )


def _patriot_choice(assigner: str, track_class: TargetClass) -> str:
    """The type a Patriot unit with both missiles picks against one track of a class."""
    catalog = load_catalog()
    keys = ("patriot/pac2_gem_t", "patriot/pac3_mse")
    env = Envelopes.from_catalog([catalog.interceptors[k] for k in keys])
    pk = pk_by_track(env.pk, np.array([track_class]))
    common = {
        "track_ids": np.array([7]),
        "threat_value": np.array([1.0]),
        "feasible": np.ones((1, 2), dtype=bool),
        "pk": pk,
        "available": np.array([4, 4]),
        "already_engaged": np.zeros(1, dtype=bool),
        "rounds_per_engagement": 1,
        "free_target_channels": 5,
        "free_missile_channels": 5,
    }
    if assigner == "wta":
        orders = wta_orders(**common)
    else:
        orders = greedy_orders(
            ranking=np.array([0]), flight_time_s=np.array([[30.0, 20.0]]), **common
        )
    return keys[orders[0].interceptor]


@pytest.mark.parametrize("assigner", ["wta", "greedy"])
def test_doctrine_picks_the_missile_for_the_target_class(assigner):
    # The catalog's planning Pk (S260): GEM-T ahead against aircraft, PAC-3 MSE against
    # ballistic missiles; the planner must follow the track's class, not one Pk per type.
    assert _patriot_choice(assigner, TargetClass.AIRCRAFT) == "patriot/pac2_gem_t"
    assert _patriot_choice(assigner, TargetClass.BALLISTIC) == "patriot/pac3_mse"


def test_pk_by_track_reads_the_column_of_each_tracks_class():
    pk = np.array([[0.8, 0.7, 0.4], [0.7, 0.8, 0.9]])
    got = pk_by_track(pk, np.array([2, 0, 1]))
    np.testing.assert_array_equal(got, [[0.4, 0.9], [0.8, 0.7], [0.7, 0.8]])


def test_s400_types_differ_by_target_class_in_the_catalog():
    catalog = load_catalog()
    keys = ("s400/48n6e3", "s400/9m96e2", "s400/40n6e")
    pk = Envelopes.from_catalog([catalog.interceptors[k] for k in keys]).pk
    # Against ballistic missiles the 9M96E2 leads; against aircraft it does not.
    assert np.argmax(pk[:, TargetClass.BALLISTIC]) == 1
    assert np.argmax(pk[:, TargetClass.AIRCRAFT]) != 1


def test_stationary_targets_feasibility_follows_range_and_altitude_limits():
    # (ground range east, height above the site); the site is 500 m above sea level.
    points = [
        (2_000.0, 1_000.0),  # inside min range of type 0 only
        (20_000.0, 5_000.0),  # both
        (100_000.0, 5_000.0),  # type 0 only (beyond 40 km)
        (200_000.0, 5_000.0),  # neither
        (20_000.0, 20_000.0),  # type 0 only (above 15 km)
        (20_000.0, 26_000.0),  # neither (above 25 km)
        (10_000.0, -480.0),  # 20 m + 7.8 m of curvature drop: type 1 only (type 0 needs 50 m)
        (500.0, 1_000.0),  # neither (inside both minimum ranges)
    ]
    pos = np.array([[x, 0.0, h] for x, h in points])
    feasible, flight, aim = ENVELOPES.intercepts(pos, np.zeros_like(pos), 0.0, site_alt_m=500.0)
    expected = np.array(
        [
            [False, True],
            [True, True],
            [True, False],
            [False, False],
            [True, False],
            [False, False],
            [False, True],
            [False, False],
        ]
    )
    np.testing.assert_array_equal(feasible, expected)
    slant = np.linalg.norm(pos, axis=1)
    np.testing.assert_allclose(flight, slant[:, None] / ENVELOPES.average_speed_mps[None, :])
    # Heights are above the curved earth: the local ENU height plus d^2 / 2R.
    np.testing.assert_allclose(aim, np.repeat(pos[:, None, :], 2, axis=1))


def test_the_minimum_altitude_is_a_height_above_the_ground_under_the_intercept():
    """A target 30 m above a 1,000 m plateau (site at 1,000 m too) is above both minimum
    altitudes over the sea, but only type 1's (10 m) above the plateau (type 0 needs 50 m);
    8 m above it, neither. Maximum altitudes stay above sea level."""
    pos = np.array([[10_000.0, 0.0, 30.0 - 7.8], [10_000.0, 0.0, 8.0 - 7.8]])
    still = np.zeros_like(pos)

    def plateau(points_m):
        return np.full(points_m.shape[:-1], 1_000.0)

    over_sea, _, _ = ENVELOPES.limits(pos, still, 0.0, site_alt_m=1_000.0)
    over_plateau, _, _ = ENVELOPES.limits(pos, still, 0.0, 1_000.0, plateau)
    np.testing.assert_array_equal(over_sea, [[0, 0], [0, 0]])
    too_low = HoldReason.TOO_LOW
    np.testing.assert_array_equal(over_plateau, [[too_low, 0], [too_low, too_low]])


def test_moving_target_aim_point_closes_the_collision_triangle():
    pos = np.array([[60_000.0, 30_000.0, 8_000.0]])
    vel = np.array([[-250.0, 0.0, 0.0]])
    delay = 10.0
    feasible, flight, aim = ENVELOPES.intercepts(pos, vel, delay, site_alt_m=0.0)
    # The target moves on during the reaction time and the flight.
    np.testing.assert_allclose(aim[0], pos[0] + vel[0] * (delay + flight[0][:, None]))
    # The interceptor covers the distance to the aim point at its average speed.
    np.testing.assert_allclose(
        np.linalg.norm(aim[0], axis=1), ENVELOPES.average_speed_mps * flight[0], rtol=1e-9
    )
    ground = np.hypot(aim[0, :, 0], aim[0, :, 1])
    np.testing.assert_array_equal(feasible[0], (ground >= [3e3, 1e3]) & (ground <= [150e3, 40e3]))


def test_a_target_that_outruns_the_interceptor_is_infeasible():
    pos = np.array([[30_000.0, 0.0, 5_000.0]])
    vel = np.array([[1_200.0, 0.0, 0.0]])  # receding faster than both types fly
    feasible, flight, _ = ENVELOPES.intercepts(pos, vel, 0.0, site_alt_m=0.0)
    assert not feasible.any()
    assert np.isinf(flight).all()


def test_feasibility_is_checked_at_the_intercept_point_not_the_current_position():
    # Now at 45 km (outside type 1's 40 km), closing fast: met inside 40 km.
    pos = np.array([[45_000.0, 0.0, 3_000.0]])
    vel = np.array([[-600.0, 0.0, 0.0]])
    feasible, _, aim = ENVELOPES.intercepts(pos, vel, 0.0, site_alt_m=0.0)
    assert feasible[0, 1]
    assert np.hypot(aim[0, 1, 0], aim[0, 1, 1]) < 40_000.0


# --- greedy orders ----------------------------------------------------------------------


def reference_greedy(
    ranking, ids, value, feasible, flight, pk, available, engaged, salvo, channels, missiles
):
    """Plain restatement of the documented rule, written for the test."""
    stock = list(available)
    orders = []
    for row in ranking:
        if channels <= 0 or missiles <= 0:
            break
        if engaged[row]:
            continue
        options = [j for j in range(len(pk)) if feasible[row, j] and stock[j] > 0]
        if not options:
            continue
        best = min(options, key=lambda j: (-pk[j], flight[row, j], j))
        rounds = min(salvo, stock[best], missiles)
        stock[best] -= rounds
        channels -= 1
        missiles -= rounds
        orders.append(Order(int(ids[row]), best, rounds, float(value[row])))
    return orders


def random_case(rng):
    n, m = rng.integers(1, 7), rng.integers(1, 4)
    return {
        "ranking": rng.permutation(n),
        "track_ids": rng.choice(1000, n, replace=False),
        "threat_value": rng.uniform(0, 10, n),
        "feasible": rng.random((n, m)) < 0.6,
        "flight_time_s": rng.uniform(5, 100, (n, m)),
        "pk": rng.choice([0.5, 0.7, 0.7, 0.9], m),
        "available": rng.integers(0, 6, m),
        "already_engaged": rng.random(n) < 0.2,
        "rounds_per_engagement": int(rng.integers(1, 4)),
        "free_target_channels": int(rng.integers(0, 5)),
        "free_missile_channels": int(rng.integers(0, 9)),
    }


def test_greedy_orders_respect_channels_magazines_and_feasibility():
    rng = np.random.default_rng(12)
    for _ in range(400):
        case = random_case(rng)
        available_before = case["available"].copy()
        orders = greedy_orders(**case)
        np.testing.assert_array_equal(case["available"], available_before)  # not modified
        row_of = {int(t): r for r, t in enumerate(case["track_ids"])}
        used = np.zeros_like(available_before)
        for order in orders:
            row = row_of[order.track_id]
            assert case["feasible"][row, order.interceptor]
            assert not case["already_engaged"][row]
            assert 1 <= order.rounds <= case["rounds_per_engagement"]
            assert order.threat_value == case["threat_value"][row]
            used[order.interceptor] += order.rounds
        assert np.all(used <= available_before)
        assert len(orders) <= case["free_target_channels"]
        assert sum(o.rounds for o in orders) <= case["free_missile_channels"]
        assert len({o.track_id for o in orders}) == len(orders)
        # Orders follow the threat ranking.
        rows = [row_of[o.track_id] for o in orders]
        positions = [int(np.flatnonzero(case["ranking"] == r)[0]) for r in rows]
        assert positions == sorted(positions)
        assert orders == reference_greedy(*case.values())


def test_greedy_orders_picks_best_pk_then_shortest_flight():
    feasible = np.array([[True, True, True]])
    orders = greedy_orders(
        np.array([0]),
        np.array([7]),
        np.array([3.0]),
        feasible,
        np.array([[10.0, 30.0, 20.0]]),
        np.array([0.6, 0.9, 0.9]),
        np.array([4, 4, 4]),
        np.array([False]),
        2,
        1,
        4,
    )
    assert orders == [Order(7, 2, 2, 3.0)]


def test_greedy_orders_stop_when_channels_run_out():
    n = 5
    orders = greedy_orders(
        np.arange(n),
        np.arange(n) + 100,
        np.ones(n),
        np.ones((n, 1), bool),
        np.ones((n, 1)),
        np.array([0.7]),
        np.array([100]),
        np.zeros(n, bool),
        2,
        3,
        100,
    )
    assert [o.track_id for o in orders] == [100, 101, 102]
    orders = greedy_orders(
        np.arange(n),
        np.arange(n) + 100,
        np.ones(n),
        np.ones((n, 1), bool),
        np.ones((n, 1)),
        np.array([0.7]),
        np.array([5]),
        np.zeros(n, bool),
        2,
        9,
        100,
    )
    # Magazine of 5 with salvos of 2: 2 + 2 + the last round.
    assert [o.rounds for o in orders] == [2, 2, 1]


@pytest.mark.parametrize("missiles", [0, 1])
def test_missile_channels_bound_the_salvo(missiles):
    orders = greedy_orders(
        np.array([0, 1]),
        np.array([1, 2]),
        np.ones(2),
        np.ones((2, 1), bool),
        np.ones((2, 1)),
        np.array([0.7]),
        np.array([10]),
        np.zeros(2, bool),
        2,
        5,
        missiles,
    )
    assert [o.rounds for o in orders] == ([1] if missiles else [])


class _LinearTable:
    """A flyout table whose time of flight is slant range / 500 m/s, reachable to 30 km."""

    def time_of_flight_s(self, ground_range_m, altitude_m):
        return np.hypot(ground_range_m, altitude_m) / 500.0

    def reachable(self, ground_range_m, altitude_m):
        return np.hypot(ground_range_m, altitude_m) <= 30_000.0


def test_flyout_tables_set_the_flight_time_and_reach():
    tables = Envelopes(*(getattr(ENVELOPES, f) for f in (
        "min_range_m", "max_range_m", "min_altitude_m", "max_altitude_m", "average_speed_mps",
        "pk")), tables=(_LinearTable(), _LinearTable()))  # fmt: skip
    pos = np.array([[20_000.0, 0.0, 3_000.0], [35_000.0, 0.0, 3_000.0]])
    vel = np.array([[-100.0, 0.0, 0.0], [100.0, 0.0, 0.0]])  # closing; receding
    feasible, flight, aim = tables.intercepts(pos, vel, 0.0, site_alt_m=0.0)
    # Fixed point t = |aim(t)| / 500 with aim(t) = pos + v t (curvature drop is tiny here).
    expected = np.linalg.norm(aim[:, 0, :], axis=1) / 500.0
    np.testing.assert_allclose(flight[:, 0], expected, rtol=0.05)
    assert feasible[0].all()
    assert not feasible[1].any()  # met about 44 km out: beyond the table's 30 km reach


def test_ballistic_tracks_are_held_to_the_published_ballistic_envelope():
    """The S-400's 60 km against non-strategic ballistic missiles (S261), not its 250 km
    against aircraft: a ballistic track whose intercept lies at 80 km is too far, the same
    point is in reach for an aircraft track."""
    catalog = load_catalog()
    env = Envelopes.from_catalog([catalog.interceptors["s400/48n6e3"]])
    pos = np.array([[80_000.0, 0.0, 10_000.0], [50_000.0, 0.0, 10_000.0]])
    still = np.zeros_like(pos)
    for ballistic, expected in (
        (np.array([True, True]), [HoldReason.TOO_FAR, HoldReason.ENGAGED]),
        (np.array([False, False]), [HoldReason.ENGAGED, HoldReason.ENGAGED]),
    ):
        limit, _, _ = env.limits(pos, still, 0.0, 500.0, ballistic=ballistic)
        assert limit[:, 0].tolist() == expected
