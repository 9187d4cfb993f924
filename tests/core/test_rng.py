"""Named random streams: reproducible, independent, and not shifted by other components."""

from __future__ import annotations

import numpy as np
from scipy import stats

from iadsim.core.rng import RandomStreams


def test_same_seed_and_name_give_the_same_draws():
    a = RandomStreams(42).get("radar/0").random(100)
    b = RandomStreams(42).get("radar/0").random(100)
    np.testing.assert_array_equal(a, b)


def test_a_stream_does_not_depend_on_the_order_streams_are_asked_for():
    first = RandomStreams(7)
    first.get("tracker")
    first.get("weapons").random(1000)
    late = first.get("radar/1").random(50)
    second = RandomStreams(7)
    early = second.get("radar/1").random(50)
    np.testing.assert_array_equal(late, early)


def test_different_names_and_seeds_give_different_draws():
    streams = RandomStreams(3)
    a = streams.get("radar/0").random(50)
    b = streams.get("radar/1").random(50)
    c = RandomStreams(4).get("radar/0").random(50)
    assert not np.allclose(a, b)
    assert not np.allclose(a, c)


def test_get_returns_the_same_generator_so_draws_continue():
    streams = RandomStreams(5)
    first = streams.get("motion").random(10)
    second = streams.get("motion").random(10)
    fresh = RandomStreams(5).get("motion").random(20)
    np.testing.assert_array_equal(np.concatenate([first, second]), fresh)


def test_sibling_streams_are_uncorrelated_and_uniform():
    streams = RandomStreams(11)
    a = streams.get("a").random(20_000)
    b = streams.get("b").random(20_000)
    # |r| of two independent samples of n is below 4/sqrt(n) with overwhelming probability.
    assert abs(np.corrcoef(a, b)[0, 1]) < 4.0 / np.sqrt(len(a))
    assert stats.kstest(a, "uniform").pvalue > 1e-4
