"""Track management helpers: hit counting over the newest bits of a history."""

import numpy as np

from iadsim.tracking.management import recent_hits


def test_recent_hits_counts_only_the_newest_bits():
    rng = np.random.default_rng(5)
    history = rng.integers(0, 1 << 62, size=200, dtype=np.int64)
    for window in (1, 3, 8, 62):
        expected = [bin(int(h) & ((1 << window) - 1)).count("1") for h in history]
        got = recent_hits(history, window)
        assert got.dtype == np.int64
        assert got.tolist() == expected


def test_recent_hits_of_a_known_history():
    # Newest bit first: hit, miss, hit, hit, then older hits outside a 3-wide window.
    history = np.array([0b1111101], dtype=np.int64)
    assert recent_hits(history, 3).tolist() == [2]
    assert recent_hits(history, 8).tolist() == [6]
