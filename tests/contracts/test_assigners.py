"""Every registered weapon-target assigner keeps to the fire unit's limits."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.core.contracts import Assigner, EngagementProblem
from iadsim.core.registry import ASSIGNERS


def _problem(rng: np.random.Generator) -> EngagementProblem:
    n, m = int(rng.integers(1, 9)), int(rng.integers(1, 4))
    value = rng.uniform(0.1, 1.0, n)
    feasible = rng.random((n, m)) < 0.6
    return EngagementProblem(
        track_ids=rng.permutation(100)[:n].astype(np.int64),
        threat_value=value,
        ranking=np.argsort(-value),
        feasible=feasible,
        flight_time_s=np.where(feasible, rng.uniform(10, 120, (n, m)), np.inf),
        pk=rng.uniform(0.5, 0.9, m),
        available=rng.integers(0, 6, m).astype(np.int64),
        already_engaged=rng.random(n) < 0.2,
        salvo=int(rng.integers(1, 3)),
        free_target_channels=int(rng.integers(0, 5)),
        free_missile_channels=int(rng.integers(0, 9)),
    )


PROBLEMS = [_problem(np.random.default_rng(seed)) for seed in range(40)]


@pytest.mark.parametrize("name", ASSIGNERS.names())
def test_assigner_plays_the_assigner_role(name):
    assert isinstance(ASSIGNERS.get(name)(), Assigner)


@pytest.mark.parametrize("name", ASSIGNERS.names())
def test_orders_keep_to_channels_magazines_and_feasibility(name):
    assigner = ASSIGNERS.get(name)()
    for problem in PROBLEMS:
        orders = assigner.assign(problem)
        row_of = {int(t): r for r, t in enumerate(problem.track_ids)}
        rows = [row_of[o.track_id] for o in orders]
        assert len(set(rows)) == len(rows), "one order per track"
        assert len(orders) <= max(problem.free_target_channels, 0)
        assert sum(o.rounds for o in orders) <= max(problem.free_missile_channels, 0)
        for order, row in zip(orders, rows, strict=True):
            assert problem.feasible[row, order.interceptor]
            assert not problem.already_engaged[row]
            assert 1 <= order.rounds <= problem.salvo
        fired = np.bincount([o.interceptor for o in orders], [o.rounds for o in orders],
                            minlength=len(problem.pk))  # fmt: skip
        assert np.all(fired <= problem.available)


@pytest.mark.parametrize("name", ASSIGNERS.names())
def test_assign_leaves_the_problem_unchanged_and_is_deterministic(name):
    assigner = ASSIGNERS.get(name)()
    for problem in PROBLEMS:
        before = copy.deepcopy(problem)
        first = [vars(o) for o in assigner.assign(problem)]
        for field in vars(problem):
            np.testing.assert_array_equal(getattr(problem, field), getattr(before, field))
        assert [vars(o) for o in assigner.assign(problem)] == first


@pytest.mark.parametrize("name", ASSIGNERS.names())
def test_a_lone_feasible_track_gets_the_type_that_reaches_it(name):
    problem = EngagementProblem(
        track_ids=np.array([11, 12]),
        threat_value=np.array([0.9, 0.5]),
        ranking=np.array([0, 1]),
        feasible=np.array([[False, True], [False, False]]),
        flight_time_s=np.array([[np.inf, 30.0], [np.inf, np.inf]]),
        pk=np.array([0.9, 0.6]),
        available=np.array([4, 4]),
        already_engaged=np.array([False, False]),
        salvo=2,
        free_target_channels=4,
        free_missile_channels=8,
    )
    orders = ASSIGNERS.get(name)().assign(problem)
    assert [(o.track_id, o.interceptor, o.rounds) for o in orders] == [(11, 1, 2)]
