"""Static weapon-target assignment: exactness, heuristic quality, feasibility, edge cases.

Oracles: brute-force enumeration of every assignment, an independent dynamic programme over
weapon subsets, and the best-known values published with the Andersen, Pavlikov & Toffolo
(2022) instances (copies in tests/data/wta/).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import OptimizeResult

from iadsim.c2 import wta
from iadsim.c2._wta_kernels import (
    draw_removed,
    greedy_marginal_return,
    local_search,
    reinsert,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "wta"
# Best-known expected surviving weight, Andersen, Pavlikov & Toffolo (2022).
BEST_KNOWN = {
    "wta_50x100x1.txt": 1734.302257,
    "wta_50x100x2.txt": 123.838359,
    "wta_50x100x3.txt": 20.589861,
}


def read_instance(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    lines = path.read_text().split("\n")
    n_weapons, n_targets, rounds = (int(word) for word in lines[0].split())
    values = np.array([float(line) for line in lines[1 : 1 + n_targets]])
    kill_prob = np.zeros((n_weapons, n_targets))
    for line in lines[1 + n_targets :]:
        if line.strip():
            weapon, target, prob = line.split()
            kill_prob[int(weapon), int(target)] = float(prob)
    return values, kill_prob, rounds


def brute_force_best_destroyed(values: np.ndarray, kill_prob: np.ndarray) -> float:
    """Maximum expected destroyed value over all (n_targets + 1)^n_weapons assignments."""
    n_weapons, n_targets = kill_prob.shape
    shape = (n_targets + 1,) * n_weapons
    choices = np.stack(np.unravel_index(np.arange(np.prod(shape)), shape), axis=1) - 1
    survival = np.ones((choices.shape[0], n_targets))
    for weapon in range(n_weapons):
        for target in range(n_targets):
            survival[choices[:, weapon] == target, target] *= 1.0 - kill_prob[weapon, target]
    return float(((1.0 - survival) @ values).max())


def subset_dp_best_destroyed(values: np.ndarray, kill_prob: np.ndarray) -> float:
    """Best destroyed value by a dynamic programme over targets and subsets of weapons."""
    n_weapons, n_targets = kill_prob.shape
    n_masks = 1 << n_weapons
    best = [0.0] * n_masks  # best[mask]: best value using only the weapons in mask
    for target in range(n_targets):
        gain = [0.0] * n_masks
        for mask in range(1, n_masks):
            survive = 1.0
            for weapon in range(n_weapons):
                if mask >> weapon & 1:
                    survive *= 1.0 - kill_prob[weapon, target]
            gain[mask] = values[target] * (1.0 - survive)
        new = best[:]
        for mask in range(1, n_masks):
            sub = mask
            while sub:
                new[mask] = max(new[mask], best[mask ^ sub] + gain[sub])
                sub = (sub - 1) & mask
        best = new
    return best[-1]


def random_problem(rng, n_weapons, n_targets, density=1.0):
    values = rng.uniform(1.0, 10.0, n_targets)
    kill_prob = rng.uniform(0.05, 0.95, (n_weapons, n_targets))
    kill_prob[rng.random((n_weapons, n_targets)) >= density] = 0.0
    return values, kill_prob


def assert_feasible(kill_prob, assignment):
    assert assignment.shape == (kill_prob.shape[0],)
    assert assignment.dtype == np.int64
    used = np.flatnonzero(assignment >= 0)
    assert np.all(assignment >= -1)
    assert np.all(kill_prob[used, assignment[used]] > 0.0)


def test_expected_values_match_hand_computation():
    values = np.array([10.0, 4.0])
    kill_prob = np.array([[0.5, 0.2], [0.5, 0.9], [0.3, 0.0]])
    assignment = np.array([0, 0, -1])
    # Target 0 survives two 0.5 shots with probability 0.25; target 1 is not engaged.
    assert wta.expected_destroyed_value(values, kill_prob, assignment) == pytest.approx(7.5)
    assert wta.expected_surviving_value(values, kill_prob, assignment) == pytest.approx(6.5)
    assignment = np.array([0, 1, 0])
    assert wta.expected_surviving_value(values, kill_prob, assignment) == pytest.approx(
        10.0 * 0.5 * 0.7 + 4.0 * 0.1
    )


def test_exact_matches_brute_force_enumeration():
    rng = np.random.default_rng(11)
    greedy_was_suboptimal = False
    for n_weapons, n_targets, density in [(6, 6, 1.0), (7, 5, 0.7), (5, 3, 1.0), (4, 7, 0.5)]:
        values, kill_prob = random_problem(rng, n_weapons, n_targets, density)
        best = brute_force_best_destroyed(values, kill_prob)
        assignment = wta.assign(values, kill_prob, method="exact")
        assert_feasible(kill_prob, assignment)
        found = wta.expected_destroyed_value(values, kill_prob, assignment)
        assert found == pytest.approx(best, rel=1e-8)
        greedy = greedy_marginal_return(values, kill_prob)
        greedy_value = wta.expected_destroyed_value(values, kill_prob, greedy)
        greedy_was_suboptimal |= greedy_value < best - 1e-9
    # The MILP, not its greedy incumbent, must have found the optimum somewhere.
    assert greedy_was_suboptimal


@pytest.mark.parametrize(("seed", "density"), [(1, 1.0), (2, 1.0), (3, 0.4)])
def test_exact_matches_subset_dynamic_programme_8x8(seed, density):
    values, kill_prob = random_problem(np.random.default_rng(seed), 8, 8, density)
    assignment = wta.assign(values, kill_prob, method="exact")
    assert_feasible(kill_prob, assignment)
    found = wta.expected_destroyed_value(values, kill_prob, assignment)
    assert found == pytest.approx(subset_dp_best_destroyed(values, kill_prob), rel=1e-8)


def test_exact_with_rounds_matches_brute_force_on_expanded_weapons():
    rng = np.random.default_rng(5)
    values, kill_prob = random_problem(rng, 3, 4)
    rounds = np.array([2, 1, 3])
    assignment = wta.assign(values, kill_prob, method="exact", rounds=rounds)
    expanded, weapon_of_round = wta.expand_rounds(kill_prob, rounds)
    assert assignment.shape == (6,)
    assert np.array_equal(weapon_of_round, [0, 0, 1, 2, 2, 2])
    found = wta.expected_destroyed_value(values, expanded, assignment)
    assert found == pytest.approx(brute_force_best_destroyed(values, expanded), rel=1e-8)


def test_heuristic_is_within_half_percent_of_exact_on_small_instances():
    rng = np.random.default_rng(21)
    worst_gap = 0.0
    for n_weapons, n_targets in [(6, 6), (8, 4), (5, 8), (8, 8), (7, 3), (8, 6)]:
        values, kill_prob = random_problem(rng, n_weapons, n_targets, density=0.8)
        exact = wta.expected_destroyed_value(
            values, kill_prob, wta.assign(values, kill_prob, method="exact")
        )
        heuristic_assignment = wta.assign(values, kill_prob, method="heuristic")
        assert_feasible(kill_prob, heuristic_assignment)
        heuristic = wta.expected_destroyed_value(values, kill_prob, heuristic_assignment)
        assert heuristic <= exact * (1.0 + 1e-9)
        worst_gap = max(worst_gap, 1.0 - heuristic / exact)
    assert worst_gap < 0.005


@pytest.mark.parametrize(
    ("name", "bar"),
    [("wta_50x100x1.txt", 0.005), ("wta_50x100x2.txt", 0.05), ("wta_50x100x3.txt", 0.05)],
)
def test_heuristic_gap_to_best_known_published_instances(name, bar):
    values, kill_prob, rounds = read_instance(DATA / name)
    assignment = wta.assign(values, kill_prob, rounds=rounds)
    expanded, weapon_of_round = wta.expand_rounds(kill_prob, rounds)
    assert_feasible(expanded, assignment)
    assert np.all(np.bincount(weapon_of_round[assignment >= 0]) <= rounds)
    surviving = wta.expected_surviving_value(values, expanded, assignment)
    # Best known is a (near-)optimum: being far below it would mean a wrong objective.
    assert surviving >= BEST_KNOWN[name] * (1.0 - 1e-6)
    assert surviving / BEST_KNOWN[name] - 1.0 < bar


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [("wta_50x100x1.txt", 0.014, 0.039), ("wta_50x100x2.txt", 0.14, 0.29)],
)
def test_greedy_gap_matches_published_greedy_range(name, low, high):
    values, kill_prob, rounds = read_instance(DATA / name)
    expanded, _ = wta.expand_rounds(kill_prob, rounds)
    greedy = greedy_marginal_return(values, expanded)
    gap = wta.expected_surviving_value(values, expanded, greedy) / BEST_KNOWN[name] - 1.0
    assert low <= gap <= high


@pytest.mark.parametrize("method", ["exact", "heuristic"])
def test_infeasible_pairs_and_worthless_targets_are_never_assigned(method):
    rng = np.random.default_rng(8)
    for _ in range(5):
        values, kill_prob = random_problem(rng, 6, 5, density=0.3)
        values[rng.integers(5)] = 0.0
        assignment = wta.assign(values, kill_prob, method=method)
        assert_feasible(kill_prob, assignment)
        assert np.all(values[assignment[assignment >= 0]] > 0.0)


def test_heuristic_never_assigns_infeasible_pairs_on_sparse_large_problem():
    values, kill_prob = random_problem(np.random.default_rng(3), 60, 40, density=0.05)
    assignment = wta.assign(values, kill_prob, rounds=2)
    expanded, _ = wta.expand_rounds(kill_prob, 2)
    assert_feasible(expanded, assignment)
    # A weapon that can reach some worthwhile target is never left idle.
    assert np.all(assignment[expanded.max(axis=1) > 0.0] >= 0)


@pytest.mark.parametrize("method", ["exact", "heuristic"])
def test_edge_cases(method):
    assert wta.assign(np.ones(3), np.zeros((0, 3)), method=method).shape == (0,)
    assert np.array_equal(wta.assign(np.zeros(0), np.zeros((2, 0)), method=method), [-1, -1])
    assert np.array_equal(wta.assign(np.ones(2), np.zeros((3, 2)), method=method), [-1] * 3)
    assert np.array_equal(wta.assign(np.zeros(2), np.full((2, 2), 0.5), method=method), [-1, -1])
    # Certain kills: one weapon per target is enough and the second one goes elsewhere.
    assignment = wta.assign(np.array([5.0, 1.0]), np.ones((2, 2)), method=method)
    assert sorted(assignment.tolist()) == [0, 1]


def test_heuristic_is_deterministic_for_a_seed():
    values, kill_prob = random_problem(np.random.default_rng(4), 30, 20)
    first = wta.assign(values, kill_prob, seed=7)
    assert np.array_equal(first, wta.assign(values, kill_prob, seed=7))


def test_local_search_result_admits_no_improving_single_move():
    values, kill_prob = random_problem(np.random.default_rng(9), 12, 6, density=0.7)
    start = greedy_marginal_return(values, kill_prob)
    result = local_search(values, kill_prob, start)
    value = wta.expected_surviving_value(values, kill_prob, result)
    assert value <= wta.expected_surviving_value(values, kill_prob, start) + 1e-12
    for weapon, target in itertools.product(range(12), range(6)):
        if kill_prob[weapon, target] > 0.0:
            moved = result.copy()
            moved[weapon] = target
            assert wta.expected_surviving_value(values, kill_prob, moved) >= value - 1e-9


def test_reinsert_never_worsens_and_reports_improvement_truthfully():
    rng = np.random.default_rng(12)
    values, kill_prob = random_problem(rng, 15, 8, density=0.8)
    assignment = greedy_marginal_return(values, kill_prob)
    for step in range(12):
        removed = draw_removed(kill_prob, assignment, rng, step % 3)
        before = wta.expected_surviving_value(values, kill_prob, assignment)
        trial, improved = reinsert(values, kill_prob, assignment, removed)
        after = wta.expected_surviving_value(values, kill_prob, trial)
        assert_feasible(kill_prob, trial)
        assert after < before if improved else np.array_equal(trial, assignment)
        assignment = trial


def test_expand_rounds_and_input_validation():
    expanded, weapon_of_round = wta.expand_rounds(np.array([[0.1, 0.2], [0.3, 0.4]]), [0, 2])
    assert np.array_equal(weapon_of_round, [1, 1])
    assert np.array_equal(expanded, [[0.3, 0.4], [0.3, 0.4]])
    with pytest.raises(ValueError, match="kill_prob"):
        wta.assign(np.ones(2), np.full((2, 2), 1.5))
    with pytest.raises(ValueError, match="shape"):
        wta.assign(np.ones(3), np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="method"):
        wta.assign(np.ones(2), np.full((2, 2), 0.5), method="fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rounds"):
        wta.expand_rounds(np.ones((2, 2)), [1, -1])


# Captured from `iadsim run scenarios/turkey-s400-ankara-corridor.yaml --seed 7`: salvo kill
# probabilities of one S-400 unit against two tracks.  HiGHS 1.12 reported "Solve error"
# on the first cut round (an epigraph variable 1.0000000010e-6 below its cut, just over its
# own 1e-6 tolerance), which crashed the run.
ANKARA_SEED7_VALUES = np.array([11.207768053184505, 0.6000000000000001])
ANKARA_SEED7_KILL_PROB = np.array(
    [[0.64] * 2, [0.75] * 2, [0.75] * 2, [0.9099999999999999] * 2, [0.9099999999999999] * 2]
)


def test_exact_solves_captured_solve_error_problem_without_fallback(caplog):
    values, kill_prob = ANKARA_SEED7_VALUES, ANKARA_SEED7_KILL_PROB
    with caplog.at_level("WARNING", logger=wta.__name__):
        assignment = wta.assign(values, kill_prob, method="exact")
    assert caplog.records == []  # solved exactly, not by the heuristic fallback
    assert_feasible(kill_prob, assignment)
    found = wta.expected_destroyed_value(values, kill_prob, assignment)
    assert found == pytest.approx(brute_force_best_destroyed(values, kill_prob), rel=1e-12)


def test_exact_falls_back_to_heuristic_when_the_solver_keeps_failing(monkeypatch, caplog):
    calls = []

    def failing_milp(*_args, **kwargs):
        calls.append(kwargs["options"])
        return OptimizeResult(status=4, success=False, message="(HiGHS Status 4: Solve error)")

    monkeypatch.setattr(wta, "milp", failing_milp)
    monkeypatch.setattr(wta, "_ENUMERATED_MAX", 0)  # to the cut loop, however small
    values, kill_prob = random_problem(np.random.default_rng(8), 5, 4)
    with caplog.at_level("WARNING", logger=wta.__name__):
        assignment = wta.assign(values, kill_prob, method="exact", seed=3)
    # One retry without presolve, then the heuristic with the solver's reason logged.
    assert [options.get("presolve", True) for options in calls] == [True, False]
    assert np.array_equal(assignment, wta.assign(values, kill_prob, method="heuristic", seed=3))
    assert len(caplog.records) == 1
    assert "Solve error" in caplog.records[0].getMessage()
    assert "heuristic" in caplog.records[0].getMessage()


def test_exact_one_target_answer_is_the_cut_loop_answer(monkeypatch):
    rng = np.random.default_rng(5)
    problems = [random_problem(rng, n, 1) for n in (1, 2, 3, 5, 9, 14)]
    problems += [(np.array([0.3]), np.array([[0.64], [0.64], [0.75], [0.91], [0.91]]))]
    problems += [(np.array([7.0]), np.array([[0.999999], [0.5], [0.5]]))]
    known = [wta._solve_exact(values, kill_prob) for values, kill_prob in problems]
    assert all(wta._all_at_one_target(values, p) for values, p in problems)
    monkeypatch.setattr(wta, "_all_at_one_target", lambda *_problem: False)
    for (values, kill_prob), assignment in zip(problems, known, strict=True):
        assert np.array_equal(assignment, wta._solve_exact(values, kill_prob))
        assert np.array_equal(assignment, np.zeros(kill_prob.shape[0], dtype=np.int64))


def test_exact_one_target_shortcut_declines_ties_and_several_targets():
    # A certain kill makes further weapons worthless (ties): left to the cut loop.
    assert not wta._all_at_one_target(np.array([3.0]), np.array([[1.0], [0.5]]))
    assert not wta._all_at_one_target(np.array([3.0]), np.array([[1e-12], [0.5]]))
    assert not wta._all_at_one_target(np.array([3.0, 1.0]), np.full((2, 2), 0.5))
    assert not wta._all_at_one_target(np.array([0.0]), np.full((2, 1), 0.5))


def _small_problems(rng):
    """Random small problems, with identical weapons (rounds of one launcher) among them."""
    problems = [random_problem(rng, n_weapons, n_targets) for n_weapons, n_targets in
                [(1, 2), (2, 2), (3, 2), (2, 3), (4, 3), (3, 4), (5, 2)] * 3]  # fmt: skip
    for n_rounds, n_targets in [(3, 2), (4, 2), (2, 3), (6, 2)]:
        values, kill_prob = random_problem(rng, 2, n_targets)
        problems.append((values, np.repeat(kill_prob, [n_rounds, 1], axis=0)))
    problems.append((ANKARA_SEED7_VALUES, ANKARA_SEED7_KILL_PROB))
    problems.append((np.array([11.2, 0.6]), np.full((3, 2), 0.91)))  # the Ankara 3 x 2 shape
    return problems


def test_enumerated_exact_answer_is_the_cut_loop_answer(monkeypatch):
    problems = _small_problems(np.random.default_rng(11))
    enumerate_counts, answered = wta._sure_optimum_counts, []

    def counting(*args):
        counts = enumerate_counts(*args)
        answered.append(counts is not None)
        return counts

    monkeypatch.setattr(wta, "_sure_optimum_counts", counting)
    sure = [wta._solve_exact(values, kill_prob) for values, kill_prob in problems]
    assert sum(answered) >= len(problems) - 3  # most small problems have a clear optimum
    monkeypatch.setattr(wta, "_sure_optimum_counts", lambda *_args: None)  # the cut loop
    for (values, kill_prob), assignment in zip(problems, sure, strict=True):
        assert np.array_equal(assignment, wta._solve_exact(values, kill_prob))


def test_enumeration_declines_ties_and_large_problems():
    # Two identical targets: two optima, left to the cut loop.
    types, count = np.array([[0.5, 0.5]]), np.array([1])
    pair_type, pair_target = np.array([0, 0]), np.array([0, 1])
    weights = np.array([1000.0, 1000.0])
    assert wta._sure_optimum_counts(types, count, pair_type, pair_target, weights) is None
    weights = np.array([1000.0, 900.0])
    sure = wta._sure_optimum_counts(types, count, pair_type, pair_target, weights)
    assert sure.tolist() == [1.0, 0.0]
    many = np.array([40])  # C(42, 2) = 861 count vectors
    assert wta._sure_optimum_counts(types, many, pair_type, pair_target, weights) is None
