"""GOSPA and OSPA against Stone Soup and a brute-force oracle."""

import datetime
from itertools import combinations, permutations

import numpy as np
import pytest
from stonesoup.metricgenerator.ospametric import GOSPAMetric, OSPAMetric
from stonesoup.types.state import State

from iadsim.tracking.metrics import gospa, mean_gospa, ospa

NOW = datetime.datetime(2024, 1, 1)


def _states(points):
    return [State(np.asarray(p, dtype=float).reshape(-1, 1), timestamp=NOW) for p in points]


def _brute_force_gospa(truth, estimate, c, p):
    m, n = len(truth), len(estimate)
    best = c**p / 2 * (m + n)
    for k in range(1, min(m, n) + 1):
        for rows in combinations(range(m), k):
            for cols in permutations(range(n), k):
                d = np.linalg.norm(truth[list(rows)] - estimate[list(cols)], axis=1)
                best = min(best, np.sum(d**p) + c**p / 2 * (m + n - 2 * k))
    return best ** (1 / p)


@pytest.mark.parametrize("seed", range(12))
def test_gospa_matches_stone_soup_parts(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(0, 9, size=2)
    truth = rng.uniform(0, 100, (m, 2))
    estimate = rng.uniform(0, 100, (n, 2))
    c, p = float(rng.choice([10.0, 30.0, 60.0])), float(rng.choice([1.0, 2.0]))
    ours = gospa(truth, estimate, c, p)
    metric = GOSPAMetric(c=c, p=p)
    if m == 0 and n == 0:
        assert ours.distance == 0.0
        return
    ref, _ = metric.compute_gospa_metric(_states(estimate), _states(truth))
    value = ref.value
    assert ours.distance == pytest.approx(value["distance"], rel=1e-9, abs=1e-12)
    assert ours.localisation == pytest.approx(value["localisation"], rel=1e-9, abs=1e-12)
    assert ours.missed == pytest.approx(value["missed"], rel=1e-9, abs=1e-12)
    assert ours.false == pytest.approx(value["false"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_gospa_matches_brute_force_enumeration(seed):
    rng = np.random.default_rng(100 + seed)
    m, n = rng.integers(0, 5, size=2)
    truth = rng.uniform(0, 50, (m, 3))
    estimate = rng.uniform(0, 50, (n, 3))
    c, p = 20.0, float(rng.choice([1.0, 2.0, 3.0]))
    assert gospa(truth, estimate, c, p).distance == pytest.approx(
        _brute_force_gospa(truth, estimate, c, p), rel=1e-12, abs=1e-12
    )


def test_gospa_parts_count_missed_and_false_tracks():
    truth = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]])
    estimate = np.array([[3.0, 4.0], [500.0, 500.0]])
    result = gospa(truth, estimate, c=10.0, p=2.0)
    assert (result.n_assigned, result.n_missed, result.n_false) == (1, 2, 1)
    assert result.localisation == pytest.approx(25.0)
    assert result.missed == pytest.approx(100.0)
    assert result.false == pytest.approx(50.0)
    assert result.distance == pytest.approx(np.sqrt(175.0))
    assert mean_gospa([truth, truth], [estimate, truth], 10.0) == pytest.approx(np.sqrt(175.0) / 2)


@pytest.mark.parametrize("seed", range(8))
def test_ospa_matches_stone_soup(seed):
    rng = np.random.default_rng(200 + seed)
    m, n = rng.integers(1, 9, size=2)
    truth = rng.uniform(0, 100, (m, 2))
    estimate = rng.uniform(0, 100, (n, 2))
    c, p = 25.0, float(rng.choice([1.0, 2.0]))
    ref = OSPAMetric(c=c, p=p).compute_OSPA_distance(_states(estimate), _states(truth))
    assert ospa(truth, estimate, c, p) == pytest.approx(ref.value, rel=1e-9)
