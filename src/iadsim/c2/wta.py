"""Static weapon-target assignment (WTA): pure functions on arrays.

Given target values ``v_j >= 0`` and single-shot kill probabilities ``p_ij`` of weapon i on
target j, choose at most one target per weapon (``x_ij`` in {0, 1}, ``sum_j x_ij <= 1``) to
maximise the expected destroyed value

    D(x) = sum_j v_j (1 - prod_i (1 - p_ij)^x_ij),

or equivalently minimise the expected surviving value ``F(x) = sum_j v_j prod_i
(1 - p_ij)^x_ij`` (Manne 1958; Ahuja et al. 2007).  A weapon that fires ``mu`` rounds is
``mu`` single-round weapons (:func:`expand_rounds`).  Pairs with ``p_ij == 0`` (out of range,
no fire channel) are never assigned.

Two methods:

``"exact"``
    Outer approximation solved with :func:`scipy.optimize.milp` (HiGHS).  With
    ``s_j = sum_i x_ij ln(1 - p_ij)`` the objective ``sum_j v_j exp(s_j)`` is convex, so each
    tangent ``v_j e^a (1 + s_j - a)`` underestimates it.  A MILP over integer counts ``x``
    (identical weapons merged into one type) and epigraph variables ``z_j >= tangents`` gives
    a lower bound; tangents are added at the solution's own ``s_j`` until the MILP value
    matches the true value of its solution, which is then optimal (outer approximation,
    Duran & Grossmann 1986).  Meant for small problems: ~0.2 s at 15 x 15, up to a few
    seconds at 20 x 20 (random dense instances).
``"heuristic"``
    Maximum-marginal-return greedy and a linear-assignment start, each improved by local
    search (moves, swaps) and a very-large-neighbourhood search whose steps are linear
    assignment problems over one weapon drawn from each target (after Ahuja et al. 2007).
    The search continues from the better one.  Vectorised NumPy; see
    :mod:`iadsim.c2._wta_kernels`.  Tested against the best-known values of the public
    instances of Andersen et al. (2022).

References
----------
Manne, A. S. (1958). A target-assignment problem. Operations Research 6(3), 346-351.
Duran, M. A. and Grossmann, I. E. (1986). An outer-approximation algorithm for a class of
mixed-integer nonlinear programs. Mathematical Programming 36, 307-339.
Ahuja, R. K., Kumar, A., Jha, K. C. and Orlin, J. B. (2007). Exact and heuristic algorithms
for the weapon-target assignment problem. Operations Research 55(6), 1136-1146.
Andersen, A. C., Pavlikov, K. and Toffolo, T. A. M. (2022). Weapon-target assignment problem:
exact and approximate solution algorithms. Annals of Operations Research,
doi 10.1007/s10479-022-04525-6.
"""

from __future__ import annotations

import itertools
import logging
import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from iadsim.c2 import _wta_kernels as kernels

__all__ = [
    "ExactSolveError",
    "assign",
    "expand_rounds",
    "expected_destroyed_value",
    "expected_surviving_value",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# ln(1 - p) is floored here so that p = 1 keeps finite MILP coefficients; exp(-60) ~ 1e-26 of
# a target's value is far below the solver tolerance.
_LOG_SURVIVE_FLOOR = -60.0
_MAX_CUT_ROUNDS = 1000
_MIP_REL_GAP = 1e-9
_VALUE_SCALE = 1000.0
_SCOUT_PATIENCE = 3
_PATIENCE = 9
_MAX_PASSES = 200
_HIGHS_SOLVE_ERROR = 4  # scipy.optimize.milp status "HiGHS Status 4: Solve error"

LOGGER = logging.getLogger(__name__)


class ExactSolveError(RuntimeError):
    """The exact method could not certify a solution (MILP solver failure, no convergence)."""


def _check_problem(target_values: ArrayLike, kill_prob: ArrayLike) -> tuple[FloatArray, FloatArray]:
    values = np.asarray(target_values, dtype=np.float64)
    prob = np.asarray(kill_prob, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"target_values must be 1-D (n_targets,), got shape {values.shape}")
    if prob.ndim != 2 or prob.shape[1] != values.shape[0]:
        raise ValueError(
            f"kill_prob must have shape (n_weapons, {values.shape[0]}), got {prob.shape}"
        )
    if not np.all(np.isfinite(values)) or np.any(values < 0.0):
        raise ValueError("target_values must be finite and >= 0")
    if not np.all(np.isfinite(prob)) or np.any((prob < 0.0) | (prob > 1.0)):
        raise ValueError("kill_prob must lie in [0, 1]")
    return values, prob


def expand_rounds(kill_prob: ArrayLike, rounds: ArrayLike) -> tuple[FloatArray, IntArray]:
    """Expand weapons that fire several rounds into single-round weapons.

    Parameters
    ----------
    kill_prob : (n_weapons, n_targets) float
        Single-shot kill probabilities.
    rounds : (n_weapons,) int or int
        Rounds per weapon, >= 0 (a scalar applies to all).

    Returns
    -------
    kill_prob_rounds : (sum(rounds), n_targets) float64
        Row ``r`` is the kill-probability row of the weapon that fires round ``r``; a
        weapon's rounds are consecutive, weapons in their original order.
    weapon_of_round : (sum(rounds),) int64
        Index of the firing weapon for each round.
    """
    prob = np.asarray(kill_prob, dtype=np.float64)
    if prob.ndim != 2:
        raise ValueError(f"kill_prob must be 2-D (n_weapons, n_targets), got shape {prob.shape}")
    counts = np.broadcast_to(np.asarray(rounds), (prob.shape[0],))
    if not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 0):
        raise ValueError("rounds must be non-negative integers")
    weapon_of_round = np.repeat(np.arange(prob.shape[0], dtype=np.int64), counts)
    return prob[weapon_of_round], weapon_of_round


def _survival(values_shape: int, prob: FloatArray, assignment: IntArray) -> FloatArray:
    assignment = np.asarray(assignment, dtype=np.int64)
    if assignment.shape != (prob.shape[0],):
        raise ValueError(f"assignment must have shape ({prob.shape[0]},), got {assignment.shape}")
    if np.any((assignment < -1) | (assignment >= values_shape)):
        raise ValueError("assignment entries must be -1 or a valid target index")
    return kernels.survival_by_target(1.0 - prob, assignment, values_shape)


def expected_surviving_value(
    target_values: ArrayLike, kill_prob: ArrayLike, assignment: ArrayLike
) -> float:
    """Expected surviving value ``F = sum_j v_j prod_{i: a_i = j} (1 - p_ij)``.

    Parameters
    ----------
    target_values : (n_targets,) float
        Target values, >= 0.
    kill_prob : (n_weapons, n_targets) float
        Single-shot kill probabilities in [0, 1] (one row per round).
    assignment : (n_weapons,) int
        Target index per weapon, -1 for none.

    Returns
    -------
    float
        Expected surviving value (same unit as ``target_values``).
    """
    values, prob = _check_problem(target_values, kill_prob)
    return float(values @ _survival(values.size, prob, np.asarray(assignment)))


def expected_destroyed_value(
    target_values: ArrayLike, kill_prob: ArrayLike, assignment: ArrayLike
) -> float:
    """Expected destroyed value ``D = sum_j v_j (1 - prod_{i: a_i = j} (1 - p_ij))``.

    Parameters and units as :func:`expected_surviving_value`; ``D + F = sum_j v_j``.
    """
    values, prob = _check_problem(target_values, kill_prob)
    return float(values @ (1.0 - _survival(values.size, prob, np.asarray(assignment))))


def assign(
    target_values: ArrayLike,
    kill_prob: ArrayLike,
    method: Literal["exact", "heuristic"] = "heuristic",
    rounds: ArrayLike | None = None,
    *,
    seed: int = 0,
) -> IntArray:
    """Assign weapons to targets to maximise the expected destroyed value.

    Parameters
    ----------
    target_values : (n_targets,) float
        Target values, >= 0.
    kill_prob : (n_weapons, n_targets) float
        Single-shot kill probabilities in [0, 1]; 0 where the pair is infeasible.
    method : {"heuristic", "exact"}
        ``"exact"``: MILP outer approximation, optimal up to the solver tolerance (relative
        ~1e-9); for small problems.  Should the MILP solver still fail (after one retry, see
        :func:`_milp`), the heuristic's assignment is returned and the reason logged as a
        warning on this module's logger, so a run never stops on a solver failure.
        ``"heuristic"``: greedy + very-large-neighbourhood search; fast, near-optimal.
    rounds : (n_weapons,) int or int, optional
        Rounds per weapon.  When given, each weapon is expanded with :func:`expand_rounds`
        and one target is returned per round.
    seed : int
        Seed of the heuristic's own ``numpy.random.Generator`` (which weapon leaves each
        target in a neighbourhood step).  Same inputs and seed give the same assignment.

    Returns
    -------
    (n_weapons,) int64, or (sum(rounds),) int64 when ``rounds`` is given
        Target index per weapon (per round), -1 for none.  Never a pair with ``p_ij == 0``
        or a target of value 0.
    """
    if method not in ("exact", "heuristic"):
        raise ValueError(f"method must be 'exact' or 'heuristic', got {method!r}")
    values, prob = _check_problem(target_values, kill_prob)
    if rounds is not None:
        prob, _ = expand_rounds(prob, rounds)
    assignment = np.full(prob.shape[0], -1, dtype=np.int64)
    # Only targets that have value and some weapon able to engage them matter.
    useful = np.flatnonzero((values > 0.0) & (prob.max(axis=0, initial=0.0) > 0.0))
    armed = np.flatnonzero(prob[:, useful].max(axis=1, initial=0.0) > 0.0)
    if useful.size == 0 or armed.size == 0:
        return assignment
    sub_values = values[useful]
    sub_prob = prob[np.ix_(armed, useful)]
    if method == "exact":
        try:
            local = _solve_exact(sub_values, sub_prob)
        except ExactSolveError as error:
            # Last line of defence: a run must not crash on a solver failure; the heuristic
            # is feasible by construction and near-optimal (see module docstring).
            LOGGER.warning(
                "exact WTA failed on a %d x %d problem (%s); using the heuristic",
                sub_prob.shape[0],
                sub_prob.shape[1],
                error,
            )
            local = _solve_heuristic(sub_values, sub_prob, seed)
    else:
        local = _solve_heuristic(sub_values, sub_prob, seed)
    placed = local >= 0
    assignment[armed[placed]] = useful[local[placed]]
    return assignment


def _solve_heuristic(values: FloatArray, prob: FloatArray, seed: int) -> IntArray:
    """Short VLNS from the greedy and the slot-assignment starts, then a longer one from the
    better of the two (the starts win on different instances: greedy where weapons must
    share targets, the slot start where targets outnumber weapons)."""
    n_weapons, n_targets = prob.shape
    n_slots = min(n_weapons, -(-n_weapons // n_targets) + 1)
    starts = (
        kernels.greedy_marginal_return(values, prob),
        kernels.slot_assignment_start(values, prob, n_slots),
    )
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]
    best, best_value = starts[0], np.inf
    for start, rng in zip(starts, streams, strict=False):
        result = kernels.very_large_neighbourhood_search(
            values, prob, start, rng, _SCOUT_PATIENCE, _MAX_PASSES
        )
        value = float(values @ kernels.survival_by_target(1.0 - prob, result, n_targets))
        if value < best_value:
            best, best_value = result, value
    return kernels.very_large_neighbourhood_search(
        values, prob, best, streams[2], _PATIENCE, _MAX_PASSES
    )


_SURE_GAIN_P = 1e-9
"""Smallest kill probability for which :func:`_all_at_one_target` trusts the order of the
floating-point values (a relative gain of ``p`` is far above their rounding, ~1e-14)."""
_SURE_GAIN_FLOOR = 1e-300
"""Smallest marginal gain of the greedy start taken to be positive (no underflow)."""


def _all_at_one_target(values: FloatArray, prob: FloatArray) -> bool:
    """Whether :func:`_solve_exact` would give every weapon to the one target, without its
    MILP: then the answer is known.

    With one target of value ``v > 0`` and every ``0 < p_i < 1``, each weapon added
    multiplies the surviving value by ``1 - p_i < 1``, so all weapons at it is the unique
    optimum, better than any other assignment by a factor ``1 - p_min`` at least. The greedy
    start (every marginal gain ``v p_i prod (1 - p_k)`` positive) is that assignment, and
    the cut loop replaces its incumbent only by a strictly better one, so it returns it
    (handed out: target 0 for every weapon); so would the heuristic fallback, which never
    leaves an optimal start. Tested here: one target, ``p`` in ``[1e-9, 1)`` (each gain far
    above rounding, no certain kill making further weapons worthless), no gain that could
    underflow.
    """
    if prob.shape[1] != 1 or not values[0] > 0.0:
        return False
    p_min, p_max = float(prob.min()), float(prob.max())
    if not (p_min >= _SURE_GAIN_P and p_max < 1.0):
        return False
    smallest_gain = float(values[0]) * p_min * (1.0 - p_max) ** prob.shape[0]
    return smallest_gain > _SURE_GAIN_FLOOR


def _solve_exact(values: FloatArray, prob: FloatArray) -> IntArray:
    """Outer-approximation MILP; returns an optimal single-round assignment."""
    n_weapons, n_targets = prob.shape
    if _all_at_one_target(values, prob):
        return np.zeros(n_weapons, dtype=np.int64)
    # Identical weapons (e.g. rounds of one launcher) become one type with a count, which
    # removes the symmetric copies that would slow the MILP down.
    types, type_of_weapon, type_count = np.unique(
        prob, axis=0, return_inverse=True, return_counts=True
    )
    type_of_weapon = type_of_weapon.reshape(-1)
    pair_type, pair_target = np.nonzero(types > 0.0)
    n_pairs = pair_type.size
    with np.errstate(divide="ignore"):
        log_survive = np.maximum(np.log1p(-types[pair_type, pair_target]), _LOG_SURVIVE_FLOOR)
    # Scale so the largest target is worth _VALUE_SCALE: HiGHS's absolute tolerances (~1e-6)
    # are then ~1e-9 of the largest target value.
    weights = values * (_VALUE_SCALE / float(values.max()))

    def true_terms(counts: NDArray[np.float64]) -> FloatArray:
        survival = np.ones(n_targets)
        np.multiply.at(survival, pair_target, (1.0 - types[pair_type, pair_target]) ** counts)
        return weights * survival

    sure = _sure_optimum_counts(types, type_count, pair_type, pair_target, weights)
    if sure is not None:  # a small problem with one clear optimum: the cut loop's answer
        return _hand_out(sure, types.shape[0], type_of_weapon, pair_type, pair_target, n_weapons)

    def log_survival(counts: NDArray[np.float64]) -> FloatArray:
        return np.bincount(pair_target, log_survive * counts, minlength=n_targets).astype(
            np.float64
        )

    # Variables: [x_pairs (integer counts), z_targets (continuous)].
    n_vars = n_pairs + n_targets
    objective = np.r_[np.zeros(n_pairs), np.ones(n_targets)]
    integrality = np.r_[np.ones(n_pairs), np.zeros(n_targets)]
    bounds = Bounds(np.zeros(n_vars), np.r_[type_count[pair_type].astype(np.float64), weights])
    capacity = np.zeros((types.shape[0], n_vars))
    capacity[pair_type, np.arange(n_pairs)] = 1.0
    capacity_constraint = LinearConstraint(capacity, -np.inf, type_count.astype(np.float64))

    cut_rows: list[FloatArray] = []
    cut_rhs: list[float] = []

    def add_cuts(points: FloatArray, targets: IntArray) -> None:
        # z_j - w_j e^a sum_i ln(q_ij) x_ij >= w_j e^a (1 - a)   (tangent of w_j exp(s) at a)
        for target, point in zip(targets, points, strict=True):
            slope = weights[target] * np.exp(point)
            row = np.zeros(n_vars)
            on_target = pair_target == target
            row[np.flatnonzero(on_target)] = -slope * log_survive[on_target]
            row[n_pairs + target] = 1.0
            cut_rows.append(row)
            cut_rhs.append(slope * (1.0 - point))

    everyone = np.arange(n_targets)
    add_cuts(np.zeros(n_targets), everyone)
    add_cuts(log_survive, pair_target)
    # Seed the cut set and the incumbent with the greedy solution (cheap; the MILP does the rest).
    start = kernels.greedy_marginal_return(values, prob)
    start_counts = np.zeros(n_pairs)
    pair_of = np.full(types.shape, -1, dtype=np.int64)
    pair_of[pair_type, pair_target] = np.arange(n_pairs)
    engaged = start >= 0
    np.add.at(start_counts, pair_of[type_of_weapon[engaged], start[engaged]], 1.0)
    add_cuts(log_survival(start_counts), everyone)
    best_counts, best_value = start_counts, float(true_terms(start_counts).sum())

    seen: set[bytes] = set()
    for _ in range(_MAX_CUT_ROUNDS):
        cuts = LinearConstraint(np.array(cut_rows), np.array(cut_rhs), np.inf)
        result = _milp(objective, integrality, bounds, [capacity_constraint, cuts])
        counts = np.round(result.x[:n_pairs])
        terms = true_terms(counts)
        value = float(terms.sum())
        if value < best_value:
            best_counts, best_value = counts, value
        lower_bound = getattr(result, "mip_dual_bound", None)
        lower_bound = result.fun if lower_bound is None else lower_bound
        # Optimal once the lower bound meets the best true value found; or when the MILP
        # returns a solution whose cuts it already has: it is then optimal up to HiGHS's
        # feasibility tolerance (the cuts can be violated by that much, no more).
        key = counts.tobytes()
        if best_value - lower_bound <= _MIP_REL_GAP * max(1.0, best_value) or key in seen:
            break
        seen.add(key)
        violated = np.flatnonzero(terms > result.x[n_pairs:])
        if violated.size == 0:
            break
        add_cuts(log_survival(counts)[violated], violated)
    else:
        raise ExactSolveError("exact WTA: cut loop did not converge")

    return _hand_out(best_counts, types.shape[0], type_of_weapon, pair_type, pair_target, n_weapons)


def _hand_out(
    counts: FloatArray,
    n_types: int,
    type_of_weapon: IntArray,
    pair_type: IntArray,
    pair_target: IntArray,
    n_weapons: int,
) -> IntArray:
    """Hand out each type's counted targets (``counts`` (n_pairs,) rounds of each (type,
    target) pair) to its member weapons in index order; ``(n_weapons,)`` targets, -1 none."""
    assignment = np.full(n_weapons, -1, dtype=np.int64)
    for kind in range(n_types):
        members = np.flatnonzero(type_of_weapon == kind)
        chosen = np.flatnonzero(pair_type == kind)
        targets = np.repeat(pair_target[chosen], counts[chosen].astype(np.int64))
        assignment[members[: targets.size]] = targets
    return assignment


_ENUMERATED_MAX = 512
"""Most count vectors :func:`_sure_optimum_counts` enumerates (else the cut loop solves)."""
_SURE_MARGIN = 1e-3
"""How much better (in the scaled values, the largest target 1000) the best count vector
must be than every other for :func:`_sure_optimum_counts` to answer: a thousand times
HiGHS's tolerances (1e-6 absolute), so the cut loop could end on no other vector."""


def _sure_optimum_counts(
    types: FloatArray,
    type_count: IntArray,
    pair_type: IntArray,
    pair_target: IntArray,
    weights: FloatArray,
) -> FloatArray | None:
    """The counts of each (type, target) pair that :func:`_solve_exact`'s cut loop returns,
    found by enumerating every count vector, for a small problem whose optimum is clear.

    The cut loop returns the best true value it meets, the greedy start first, and stops
    only when that value is within its tolerances of the MILP's lower bound (or the MILP
    repeats a solution or violates no cut: then its solution is optimal up to HiGHS's
    1e-6 feasibility tolerance). Where one vector's surviving value is below every other's
    by more than :data:`_SURE_MARGIN`, no other can pass those tests, so the loop returns
    that vector, as this does without its MILPs (a HiGHS solve costs milliseconds). None
    where there are more than :data:`_ENUMERATED_MAX` vectors or no clear optimum.

    Parameters
    ----------
    types : (n_types, n_targets) float64
        Kill probability of each weapon type on each target.
    type_count : (n_types,) int64
        Weapons of each type.
    pair_type, pair_target : (n_pairs,) int64
        The (type, target) pairs with a kill probability above 0.
    weights : (n_targets,) float64
        Scaled target values.

    Returns
    -------
    (n_pairs,) float64 or None
    """
    per_type = []
    size = 1
    for kind in range(types.shape[0]):
        pairs = np.flatnonzero(pair_type == kind)
        count = int(type_count[kind])
        size *= math.comb(count + pairs.size, pairs.size)
        if size > _ENUMERATED_MAX:
            return None
        # Each way to give at most ``count`` rounds to the type's pairs (-1: held back).
        ways = []
        for choice in itertools.combinations_with_replacement([-1, *pairs.tolist()], count):
            way = np.zeros(pair_type.size)
            for pair in choice:
                if pair >= 0:
                    way[pair] += 1.0
            ways.append(way)
        per_type.append(ways)
    counts = np.array([np.sum(parts, axis=0) for parts in itertools.product(*per_type)])
    survival = np.ones((len(counts), weights.size))
    for pair in range(pair_type.size):
        q = 1.0 - types[pair_type[pair], pair_target[pair]]
        survival[:, pair_target[pair]] *= q ** counts[:, pair]
    surviving = survival @ weights
    if len(surviving) > 1:
        best, second = np.partition(surviving, 1)[:2]
        if not second - best > _SURE_MARGIN:
            return None
    return counts[int(np.argmin(surviving))]


def _milp(
    objective: FloatArray,
    integrality: FloatArray,
    bounds: Bounds,
    constraints: list[LinearConstraint],
) -> OptimizeResult:
    """One MILP of the cut loop, retried once without presolve on a HiGHS "Solve error".

    The objective ``sum_j z_j`` pushes each epigraph variable onto its tangent cut, where
    HiGHS accepts it up to its feasibility tolerance (1e-6).  HiGHS 1.12 (scipy 1.17) then
    re-checks the postsolved solution against the same tolerance and, when rounding puts
    the violation a hair above it (1.0000000010e-6 on the captured Ankara-corridor
    problem), reports "Solve error" for a solution it found optimal (HiGHS issues #2782,
    #2808).  The inputs are sound (finite, ``ln(1 - p)`` floored), so nothing to sanitise;
    the same model solved without presolve passes the check.

    Raises
    ------
    ExactSolveError
        When the MILP fails again, or fails otherwise.
    """
    options: dict[str, float | bool] = {"mip_rel_gap": _MIP_REL_GAP}
    result = milp(
        objective,
        integrality=integrality,
        bounds=bounds,
        constraints=constraints,
        options=options,
    )
    if result.status == _HIGHS_SOLVE_ERROR:
        result = milp(
            objective,
            integrality=integrality,
            bounds=bounds,
            constraints=constraints,
            options={**options, "presolve": False},
        )
    if not result.success:
        raise ExactSolveError(f"exact WTA: MILP failed: {result.message}")
    return result
