"""The fire unit's screen of its tracks: freshness, identity and the coverage test of
stale tracks, asked only where its answer is kept."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2._screen_kernels import screen_kernel, screen_reference
from iadsim.c2.fire_control import screen, screen_rows
from iadsim.c2.hold_fire import HoldReason
from iadsim.c2.picture.identification import Identity


class _Radar:
    """A fire-control radar that sees points east of its site (x > 0), revisits every 2 s,
    and remembers which points it was asked about."""

    revisit_s = 2.0

    def __init__(self):
        self.asked: list[np.ndarray] = []

    def in_view(self, pos_ecef_m):
        self.asked.append(np.array(pos_ecef_m))
        return pos_ecef_m[:, 0] > 0.0


def test_reasons_follow_freshness_identity_and_coverage():
    radar = _Radar()
    identity = np.array(
        [Identity.HOSTILE, Identity.HOSTILE, Identity.HOSTILE, Identity.FRIEND, Identity.FRIEND],
        dtype=np.int8,
    )
    seen = np.array([99.0, 90.0, 90.0, 90.0, 99.0])  # fresh within 2 revisits (4 s) of t = 100
    pos = np.array([[1.0, 0, 0], [1.0, 0, 0], [-1.0, 0, 0], [-1.0, 0, 0], [1.0, 0, 0]])
    reason = screen(identity, seen, pos, radar, "free", 100.0)
    assert reason.tolist() == [
        HoldReason.ENGAGED,
        HoldReason.NO_FIRE_CONTROL_TRACK,  # stale, in coverage
        HoldReason.OUTSIDE_FIRE_CONTROL_COVERAGE,  # stale, out of coverage
        HoldReason.IDENTITY_NOT_ENGAGEABLE,  # stale too, but the identity decides
        HoldReason.IDENTITY_NOT_ENGAGEABLE,
    ]
    # Only the stale tracks of an engageable identity were tested against the coverage.
    assert len(radar.asked) == 1
    np.testing.assert_array_equal(radar.asked[0], pos[[1, 2]])


def test_no_coverage_test_when_nothing_stale_is_engageable():
    radar = _Radar()
    identity = np.array([Identity.SUSPECT, Identity.FRIEND], dtype=np.int8)
    reason = screen(identity, np.array([90.0, 90.0]), np.ones((2, 3)), radar, "tight", 100.0)
    assert reason.tolist() == [HoldReason.IDENTITY_NOT_ENGAGEABLE] * 2
    assert radar.asked == []


def test_is_one_of_is_np_isin_for_every_rule():
    from iadsim.c2.fire_control import ENGAGEABLE, is_one_of
    from iadsim.c2.hold_fire import LOGGED

    identity = np.array([int(i) for i in Identity] * 2, dtype=np.int8)
    for rule in [*ENGAGEABLE.values(), LOGGED]:
        np.testing.assert_array_equal(is_one_of(identity, rule), np.isin(identity, rule))
    assert is_one_of(identity[:0], LOGGED).shape == (0,)


def test_coverage_is_asked_only_of_the_tested_rows():
    radar = _Radar()
    identity = np.full(4, Identity.HOSTILE, dtype=np.int8)
    seen = np.array([90.0, 90.0, 90.0, 99.0])  # three stale, one fresh
    pos = np.array([[1.0, 0, 0], [-1.0, 0, 0], [-1.0, 0, 0], [1.0, 0, 0]])
    tested = np.array([False, True, False, True])
    reason = screen_rows(identity, seen, pos.__getitem__, radar, "free", 100.0, tested)
    np.testing.assert_array_equal(radar.asked[0], pos[[1]])
    every = screen(identity, seen, pos, _Radar(), "free", 100.0)
    np.testing.assert_array_equal(reason[tested], every[tested])
    # Untested stale rows read "no fire-control track"; none of them is engageable.
    assert reason.tolist()[0] == reason.tolist()[2] == HoldReason.NO_FIRE_CONTROL_TRACK


@pytest.mark.parametrize("seed", range(5))
def test_compiled_screen_matches_the_numpy_twin(seed):
    rng = np.random.default_rng(seed)
    n = 300
    identity = rng.choice(np.array(list(Identity), dtype=np.int8), n)
    seen = rng.choice([-np.inf, 90.0, 96.0, 96.5, 99.0, np.nan], n)
    allowed = rng.random(len(Identity)) < 0.5
    tested = rng.random(n) < 0.6
    codes = (int(HoldReason.IDENTITY_NOT_ENGAGEABLE), int(HoldReason.NO_FIRE_CONTROL_TRACK))
    reason, stale = screen_kernel(identity, seen, 96.0, allowed, tested, *codes)
    twin_reason, twin_stale = screen_reference(identity, seen, 96.0, allowed, tested, *codes)
    np.testing.assert_array_equal(reason, twin_reason)
    np.testing.assert_array_equal(stale, twin_stale)
    assert reason.dtype == np.int8 and stale.dtype == twin_stale.dtype
