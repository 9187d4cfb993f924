"""Track-to-target correlation: a new track that continues an engaged one, dead-reckoned
from where the post last held it, is recognised as the same target; two tracks that ran
together, or that are far apart or fly differently, are not."""

from __future__ import annotations

import numpy as np

from iadsim.c2.fragments import (
    GATE_M,
    EngagedTracks,
    continues_engaged,
    continues_engaged_reference,
)

# The engaged track: last updated at 100 s, at 40 km east, flying west at 250 m/s.
ENGAGED = EngagedTracks(
    track_id=np.array([11]),
    state_m=np.array([[40_000.0, 0.0, 5_000.0, -250.0, 0.0, 0.0]]),
    time_s=np.array([100.0]),
    last_update_s=np.array([100.0]),
)


def _candidate(x_m, created_s=110.0, vx=-250.0, vy=0.0):
    """A track whose state at 112 s is at ``x_m`` east."""
    state = np.array([[x_m, 0.0, 5_000.0, vx, vy, 0.0]])
    return continues_engaged(state, np.array([112.0]), np.array([created_s]), ENGAGED, 115.0)


def test_a_fragment_at_the_dead_reckoned_position_continues_the_engaged_track():
    # Dead-reckoned to 112 s the engaged target is at 40 km - 12 s x 250 m/s = 37 km.
    assert _candidate(37_000.0).tolist() == [11]
    assert _candidate(37_000.0 + 0.9 * GATE_M).tolist() == [11]


def test_a_track_that_ran_with_the_engaged_one_is_another_target():
    # Initiated before the engaged track's last update: both were held at once.
    assert _candidate(37_000.0, created_s=95.0).tolist() == [-1]


def test_far_or_differently_moving_tracks_are_other_targets():
    # 15 s of dead reckoning at 250 m/s grow the gate by 375 m only.
    assert _candidate(37_000.0 + GATE_M + 1_000.0).tolist() == [-1]
    assert _candidate(37_000.0, vx=250.0).tolist() == [-1]  # flying the other way
    assert _candidate(37_000.0, vx=0.0, vy=-250.0).tolist() == [-1]  # crossing


def test_no_engaged_track_no_correlation():
    none = EngagedTracks(np.zeros(0, np.int64), np.zeros((0, 6)), np.zeros(0), np.zeros(0))
    state = np.zeros((3, 6))
    assert continues_engaged(state, np.zeros(3), np.zeros(3), none, 0.0).tolist() == [-1] * 3


def test_the_compiled_gating_matches_the_numpy_twin():
    rng = np.random.default_rng(4)
    for n, k in [(1, 1), (5, 3), (40, 7)]:
        state = np.concatenate(
            [rng.normal(0.0, 3_000.0, (n, 3)), rng.normal(0.0, 1.0, (n, 3)) * 250.0], axis=1
        )
        engaged_state = state[rng.integers(0, n, k)] + rng.normal(0.0, 800.0, (k, 6)) * [
            1.0, 1.0, 1.0, 0.05, 0.05, 0.05,
        ]  # fmt: skip
        engaged_state[: k // 2 + 1] = engaged_state[0]  # equally near engaged tracks
        engaged = EngagedTracks(
            np.arange(100, 100 + k, dtype=np.int64),
            engaged_state,
            rng.uniform(90.0, 100.0, k),
            rng.uniform(80.0, 100.0, k),
        )
        time_s, created_s = rng.uniform(95.0, 100.0, n), rng.uniform(85.0, 100.0, n)
        got = continues_engaged(state, time_s, created_s, engaged, 101.0)
        expected = continues_engaged_reference(state, time_s, created_s, engaged, 101.0)
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == np.int64
    assert (expected >= 0).any() and (expected < 0).any()
