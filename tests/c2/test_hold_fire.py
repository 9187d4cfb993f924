"""Hold-fire reasons: which limit stops an intercept, why the assignment leaves a track,
and the log that reports only changes."""

from __future__ import annotations

import numpy as np
from tests.c2.test_engagement import ENVELOPES

from iadsim.c2.fire_control import assignment_hold
from iadsim.c2.hold_fire import Hold, HoldLog, HoldReason
from iadsim.c2.picture.identification import Identity
from iadsim.core.contracts import EngagementProblem

R = HoldReason


def test_limits_name_the_first_envelope_test_that_fails():
    # (ground range east, height above the site), site at sea level.
    points = [
        (500.0, 1_000.0),  # inside both minimum ranges
        (200_000.0, 5_000.0),  # beyond both maximum ranges
        (20_000.0, 10.0),  # 41 m with the curvature drop: type 0 needs 50 m, type 1 10 m
        (20_000.0, 20_000.0),  # above type 1's 15 km
        (160_000.0, -1_980.0),  # 29 m, beyond 150 km: too low *and* too far, range first
    ]
    pos = np.array([[x, 0.0, h] for x, h in points])
    limit, _, _ = ENVELOPES.limits(pos, np.zeros_like(pos), 0.0, site_alt_m=0.0)
    expected = [
        [R.TOO_CLOSE, R.TOO_CLOSE],
        [R.TOO_FAR, R.TOO_FAR],
        [R.TOO_LOW, R.ENGAGED],
        [R.ENGAGED, R.TOO_HIGH],
        [R.TOO_FAR, R.TOO_FAR],
    ]
    np.testing.assert_array_equal(limit, expected)
    feasible, _, _ = ENVELOPES.intercepts(pos, np.zeros_like(pos), 0.0, site_alt_m=0.0)
    np.testing.assert_array_equal(feasible, limit == R.ENGAGED)


def test_a_target_that_outruns_every_type_has_no_intercept_solution():
    pos = np.array([[30_000.0, 0.0, 5_000.0]])
    vel = np.array([[1_200.0, 0.0, 0.0]])
    limit, _, _ = ENVELOPES.limits(pos, vel, 0.0, site_alt_m=0.0)
    np.testing.assert_array_equal(limit, [[R.NO_INTERCEPT_SOLUTION] * 2])


def _problem(feasible, available, already=False, targets=2, missiles=4) -> EngagementProblem:
    feasible = np.array([feasible])
    return EngagementProblem(
        track_ids=np.array([7]),
        threat_value=np.array([1.0]),
        ranking=np.array([0]),
        feasible=feasible,
        flight_time_s=np.where(feasible, 30.0, np.inf),
        pk=np.array([0.7, 0.8]),
        available=np.array(available),
        already_engaged=np.array([already]),
        salvo=2,
        free_target_channels=targets,
        free_missile_channels=missiles,
    )


def test_assignment_hold_follows_the_order_of_the_tests():
    stock = np.array([4, 4])
    no_limit = np.array([R.ENGAGED, R.ENGAGED], dtype=np.int8)

    def hold(problem, limit=no_limit, stock=stock):
        return assignment_hold(problem, limit, stock, 0)

    assert hold(_problem([True, False], [4, 4], already=True)) == R.ENGAGED
    # No type feasible: the reason of the type that came closest (largest code).
    limit = np.array([R.TOO_FAR, R.NO_FIRE_AREA], dtype=np.int8)
    assert hold(_problem([False, False], [4, 4]), limit) == R.NO_FIRE_AREA
    # Rounds left only of the infeasible type.
    assert hold(_problem([True, False], [0, 4]), stock=np.array([0, 4])) == R.NO_ROUNDS
    assert hold(_problem([True, False], [0, 4]), stock=np.array([2, 4])) == R.RESERVE_HELD
    assert hold(_problem([True, False], [4, 4], targets=0)) == R.CHANNELS_FULL
    assert hold(_problem([True, False], [4, 4], missiles=0)) == R.CHANNELS_FULL
    assert hold(_problem([True, False], [4, 4])) == R.LOWER_PRIORITY


def _holds(**reasons: HoldReason) -> list[Hold]:
    return [Hold(track, -1, -1, Identity.HOSTILE, reason) for track, reason in reasons.items()]


def test_hold_log_reports_changes_only_and_forgets_tracks_that_leave():
    log = HoldLog()

    def changes(unit, **reasons):
        return [(h.track, h.reason) for h in log.changes(unit, _holds(**reasons))]

    assert changes(0, a=R.TOO_FAR, b=R.NO_ROUNDS) == [("a", R.TOO_FAR), ("b", R.NO_ROUNDS)]
    assert changes(0, a=R.TOO_FAR, b=R.NO_ROUNDS) == []
    assert changes(1, a=R.TOO_FAR) == [("a", R.TOO_FAR)]  # units are separate
    assert changes(0, a=R.ENGAGED, b=R.LOWER_PRIORITY) == [("b", R.LOWER_PRIORITY)]
    # After an engagement, the same reason as before is news again.
    assert changes(0, a=R.TOO_FAR) == [("a", R.TOO_FAR)]
    # b left (dropped, or no longer suspect or hostile): logged again when it returns.
    assert changes(0, a=R.TOO_FAR, b=R.LOWER_PRIORITY) == [("b", R.LOWER_PRIORITY)]
