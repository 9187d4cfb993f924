"""Array kernels for the weapon-target assignment heuristic (see :mod:`iadsim.c2.wta`).

Every kernel works on one weapon per row (rounds already expanded), a target-value vector
``values`` of shape ``(n_targets,)`` and a kill-probability matrix ``kill_prob`` of shape
``(n_weapons, n_targets)``.  An assignment is an ``(n_weapons,)`` int array holding a target
index per weapon, ``-1`` for none.  The objective minimised throughout is the expected
surviving value

    F(x) = sum_j v_j * prod_i (1 - p_ij)^x_ij,

which is the same problem as maximising the expected destroyed value (Ahuja et al. 2007).

All kernels are vectorised NumPy: one step evaluates every candidate move of a neighbourhood
at once as a matrix and applies the best one, so no Python loop runs over weapons or targets.

References
----------
den Broeder, G. G., Ellison, R. E. and Emerling, L. (1959). On optimum target assignments.
Operations Research 7(3), 322-326.
Ahuja, R. K., Kumar, A., Jha, K. C. and Orlin, J. B. (2007). Exact and heuristic algorithms
for the weapon-target assignment problem. Operations Research 55(6), 1136-1146.
Andersen, A. C., Pavlikov, K. and Toffolo, T. A. M. (2022). Weapon-target assignment problem:
exact and approximate solution algorithms. Annals of Operations Research,
doi 10.1007/s10479-022-04525-6.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Survival probabilities are floored here before they are divided by, so that removing a
# certain-kill weapon (p = 1) from a target can still be priced by division.  The heuristic's
# decisions then see p <= 1 - 1e-9, a change far below any meaningful probability.
_MIN_SURVIVE = 1e-9


def survival_by_target(survive: FloatArray, assignment: IntArray, n_targets: int) -> FloatArray:
    """Survival probability of each target under an assignment.

    Parameters
    ----------
    survive : (n_weapons, n_targets) float64
        Single-shot survival probabilities ``1 - p_ij``.
    assignment : (n_weapons,) int
        Target index per weapon, -1 for none.
    n_targets : int
        Number of targets.

    Returns
    -------
    (n_targets,) float64
        ``S_j = prod_{i: a_i = j} (1 - p_ij)``.
    """
    survival = np.ones(n_targets)
    used = assignment >= 0
    np.multiply.at(survival, assignment[used], survive[np.flatnonzero(used), assignment[used]])
    return survival


def _refresh(survival: FloatArray, survive: FloatArray, assignment: IntArray, targets) -> None:
    """Recompute ``survival`` exactly for a few changed targets (no division drift)."""
    for target in targets:
        if target >= 0:
            survival[target] = np.prod(survive[assignment == target, target])


def greedy_marginal_return(values: FloatArray, kill_prob: FloatArray) -> IntArray:
    """Maximum-marginal-return greedy assignment.

    Repeatedly gives the free weapon and target with the largest marginal gain
    ``v_j S_j p_ij`` (S_j the target's current survival probability) to each other, until no
    free weapon has a positive gain (den Broeder et al. 1959, as used by Ahuja et al. 2007).

    Parameters
    ----------
    values : (n_targets,) float64
        Target values, >= 0.
    kill_prob : (n_weapons, n_targets) float64
        Single-shot kill probabilities in [0, 1].

    Returns
    -------
    (n_weapons,) int64
        Target per weapon, -1 for none.
    """
    n_weapons, n_targets = kill_prob.shape
    assignment = np.full(n_weapons, -1, dtype=np.int64)
    if n_weapons == 0 or n_targets == 0:
        return assignment
    gain = values[None, :] * kill_prob
    for _ in range(n_weapons):
        flat = int(np.argmax(gain))
        weapon, target = divmod(flat, n_targets)
        if gain[weapon, target] <= 0.0:
            break
        assignment[weapon] = target
        gain[weapon, :] = -1.0
        # Every other weapon's gain on this target shrinks by the new survival factor.
        gain[:, target] *= 1.0 - kill_prob[weapon, target]
    return assignment


def slot_assignment_start(
    values: FloatArray, kill_prob: FloatArray, n_slots: int, n_best: int = 5
) -> IntArray:
    """Starting assignment from one linear assignment problem over target "slots".

    Target j gets ``n_slots`` copies; the k-th copy (k = 0, 1, ...) is worth
    ``v_j p_ij (1 - pbar_j)^k`` to weapon i, where ``pbar_j`` is the mean of the ``n_best``
    largest kill probabilities on j, a stand-in for whoever fires first.  With one weapon per
    target (the common case when targets outnumber weapons) the problem is exact, which is why
    this start is already optimal or nearly so at one round per weapon.  The linear
    assignment is solved with :func:`scipy.optimize.linear_sum_assignment`.

    Parameters
    ----------
    values : (n_targets,) float64
    kill_prob : (n_weapons, n_targets) float64
    n_slots : int
        Copies per target (>= 1).
    n_best : int
        How many of the strongest weapons on a target define ``pbar_j``.

    Returns
    -------
    (n_weapons,) int64
    """
    n_weapons, n_targets = kill_prob.shape
    assignment = np.full(n_weapons, -1, dtype=np.int64)
    if n_weapons == 0 or n_targets == 0:
        return assignment
    top = np.sort(kill_prob, axis=0)[::-1][: max(1, min(n_weapons, n_best))]
    pbar = top.mean(axis=0)
    slot_value = values[None, :] * (1.0 - pbar[None, :]) ** np.arange(n_slots)[:, None]
    cost = -(kill_prob[:, None, :] * slot_value[None, :, :]).reshape(n_weapons, -1)
    rows, cols = linear_sum_assignment(cost)
    assignment[rows] = cols % n_targets
    infeasible = kill_prob[np.arange(n_weapons), np.maximum(assignment, 0)] <= 0.0
    assignment[infeasible] = -1
    return assignment


def local_search(
    values: FloatArray, kill_prob: FloatArray, assignment: IntArray, max_steps: int = 10_000
) -> IntArray:
    """Best-improvement local search over single-weapon moves and two-weapon swaps.

    Move: weapon i leaves target a (or is free) and joins target b.  Its change of surviving
    value is ``v_a S_a (1/q_ia - 1) - v_b S_b p_ib`` for all (i, b) at once.  Swap: weapons
    i and k on targets a != b trade targets; the change is
    ``v_a S_a (q_ka/q_ia - 1) + v_b S_b (q_ib/q_kb - 1)`` for all pairs at once.  The best
    improving move is applied, or, when no move improves, the best improving swap, until
    neither improves.

    Parameters
    ----------
    values : (n_targets,) float64
    kill_prob : (n_weapons, n_targets) float64
    assignment : (n_weapons,) int64
        Start; not modified.
    max_steps : int
        Safety cap on the number of applied moves.

    Returns
    -------
    (n_weapons,) int64
        A local optimum for both neighbourhoods (or the state after ``max_steps``).
    """
    n_weapons, n_targets = kill_prob.shape
    assignment = assignment.copy()
    survive = np.maximum(1.0 - kill_prob, _MIN_SURVIVE)
    feasible = kill_prob > 0.0
    rows = np.arange(n_weapons)
    survival = survival_by_target(survive, assignment, n_targets)
    tolerance = 1e-12 * max(1.0, float(values.sum()))
    for _ in range(max_steps):
        used = assignment >= 0
        own = np.where(used, assignment, 0)
        own_survive = np.where(used, survive[rows, own], 1.0)
        # Surviving value released back on the own target if the weapon leaves it.
        release = np.where(used, values[own] * survival[own] * (1.0 / own_survive - 1.0), 0.0)
        move = release[:, None] - (values * survival)[None, :] * kill_prob
        move[~feasible] = np.inf
        move[rows[used], own[used]] = np.inf
        best_move = int(np.argmin(move))
        move_delta = move.flat[best_move]

        swap_delta = np.inf
        placed = np.flatnonzero(used)
        # Swaps are priced only once no move improves: moves are cheaper and usually enough.
        if move_delta >= -tolerance and placed.size > 1:
            target_of = assignment[placed]
            base = (values * survival)[target_of]
            # half[k, i]: change on i's target when i leaves it and k arrives.
            half = base[None, :] * (survive[np.ix_(placed, target_of)] / own_survive[placed] - 1.0)
            swap = half + half.T
            ok = feasible[np.ix_(placed, target_of)]
            swap[~(ok & ok.T) | (target_of[:, None] == target_of[None, :])] = np.inf
            best_swap = int(np.argmin(swap))
            swap_delta = swap.flat[best_swap]

        if min(move_delta, swap_delta) >= -tolerance:
            break
        if move_delta <= swap_delta:
            weapon, target = divmod(best_move, n_targets)
            old = assignment[weapon]
            assignment[weapon] = target
            _refresh(survival, survive, assignment, (old, target))
        else:
            first, second = divmod(best_swap, placed.size)
            weapon_a, weapon_b = placed[first], placed[second]
            assignment[weapon_a], assignment[weapon_b] = assignment[weapon_b], assignment[weapon_a]
            _refresh(survival, survive, assignment, (assignment[weapon_a], assignment[weapon_b]))
    return assignment


def draw_removed(
    kill_prob: FloatArray, assignment: IntArray, rng: np.random.Generator, mode: int
) -> IntArray:
    """Pick the weapons that a :func:`reinsert` step takes out and puts back.

    Parameters
    ----------
    kill_prob : (n_weapons, n_targets) float64
    assignment : (n_weapons,) int64
    rng : numpy.random.Generator
        Chooses which of a target's weapons is taken (or kept) and which targets take part.
    mode : int
        0: one random weapon from every occupied target; 1: the same from a random half of the
        occupied targets; 2: every weapon but one random keeper from each target.  Every
        mode adds all free weapons that can engage something.

    Returns
    -------
    (n_removed,) int64
        Weapon indices, sorted.
    """
    n_weapons = kill_prob.shape[0]
    tie_break = np.asarray(rng.random(n_weapons))
    order = np.lexsort((tie_break, assignment))
    placed = order[assignment[order] >= 0]
    free = order[assignment[order] < 0]
    free = free[kill_prob[free].max(axis=1, initial=0.0) > 0.0]
    targets = assignment[placed]
    is_first = np.r_[True, targets[1:] != targets[:-1]] if placed.size else placed.astype(bool)
    if mode == 2:
        drawn = placed[~is_first]
    else:
        drawn = placed[is_first]
        if mode == 1:
            drawn = drawn[rng.random(drawn.size) < 0.5]
    return np.sort(np.r_[drawn, free]).astype(np.int64)


def reinsert(
    values: FloatArray, kill_prob: FloatArray, assignment: IntArray, removed: IntArray
) -> tuple[IntArray, bool]:
    """Very-large-neighbourhood step solved exactly as one linear assignment problem.

    The ``removed`` weapons are taken out and put back so that each target receives at most
    one of them.  With at most one arrival per target the surviving value after re-insertion
    is exactly additive, ``v_j S_j^- (1 - p_ij)`` with ``S_j^-`` the survival once the removed
    weapons are gone, so the best re-insertion is a linear assignment problem
    (:func:`scipy.optimize.linear_sum_assignment`).  When the removed set holds one weapon per
    target it contains every cyclic and path exchange among them, the neighbourhood of Ahuja
    et al. (2007), which they search heuristically through an improvement graph; when it
    holds weapons from some targets only, or all but one from each, the number of weapons on
    each target can shift.

    Parameters
    ----------
    values : (n_targets,) float64
    kill_prob : (n_weapons, n_targets) float64
    assignment : (n_weapons,) int64
        Current assignment; not modified.
    removed : (n_removed,) int64
        Weapons to re-insert (from :func:`draw_removed`).

    Returns
    -------
    assignment : (n_weapons,) int64
    improved : bool
        Whether the returned assignment is strictly better (else the input is returned).
    """
    n_targets = kill_prob.shape[1]
    if removed.size == 0:
        return assignment, False
    trial = assignment.copy()
    trial[removed] = -1
    survival = survival_by_target(1.0 - kill_prob, trial, n_targets)
    cost = -(values * survival)[None, :] * kill_prob[removed]
    current = assignment[removed]
    current_cost = cost[np.flatnonzero(current >= 0), current[current >= 0]].sum()
    # A zero-cost column is "stay free"; targets supply them unless removed weapons outnumber.
    padding = max(0, removed.size - n_targets)
    padded = np.concatenate([cost, np.zeros((removed.size, padding))], axis=1)
    rows, cols = linear_sum_assignment(padded)
    new_cost = padded[rows, cols].sum()
    if new_cost >= current_cost - 1e-12 * max(1.0, float(values.sum())):
        return assignment, False
    new_target = np.where(cols < n_targets, cols, -1)
    new_target[(new_target >= 0) & (cost[rows, np.maximum(new_target, 0)] >= 0.0)] = -1
    trial[removed[rows]] = new_target
    return trial, True


def very_large_neighbourhood_search(
    values: FloatArray,
    kill_prob: FloatArray,
    assignment: IntArray,
    rng: np.random.Generator,
    patience: int,
    max_passes: int,
) -> IntArray:
    """Alternate :func:`local_search` and :func:`reinsert` steps.

    The steps cycle through the three modes of :func:`draw_removed`.  The search stops when
    ``patience`` steps in a row have found nothing, or after ``max_passes`` steps.  A removed
    set already tried on the unchanged assignment is not solved again (with one weapon per
    target, mode 0 always draws the same set).

    Returns
    -------
    (n_weapons,) int64
    """
    assignment = local_search(values, kill_prob, assignment)
    failures = 0
    tried: set[bytes] = set()
    for step in range(max_passes):
        if failures >= patience:
            break
        removed = draw_removed(kill_prob, assignment, rng, step % 3)
        key = bytes([step % 3]) + removed.tobytes()
        improved = False
        if key not in tried:
            tried.add(key)
            trial, improved = reinsert(values, kill_prob, assignment, removed)
        if improved:
            assignment = local_search(values, kill_prob, trial)
            failures = 0
            tried.clear()
        else:
            failures += 1
    return assignment
