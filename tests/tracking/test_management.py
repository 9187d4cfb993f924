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


def _random_table(rng, capacity=40):
    from iadsim.tracking.table import TrackTable

    table = TrackTable(capacity)
    table.allocate(capacity, 0.0)
    table.history[:] = rng.integers(0, 1 << 62, capacity, dtype=np.int64)
    table.opportunities[:] = rng.integers(1, 12, capacity)
    table.misses[:] = rng.integers(0, 6, capacity)
    table.hits[:] = rng.integers(0, 12, capacity)
    table.confirmed[:] = rng.random(capacity) < 0.5
    table.last_update_s[:] = rng.uniform(0.0, 100.0, capacity)
    A = rng.normal(size=(capacity, 6, 6)) * np.exp(rng.normal(size=(capacity, 1, 6)) * 4)
    table.covariance[:] = A @ np.swapaxes(A, 1, 2)
    return table


def test_compiled_opportunity_booking_matches_the_numpy_twin():
    from iadsim.tracking.management import record_opportunities, record_opportunities_reference

    rng = np.random.default_rng(8)
    for confirm_m, confirm_n in ((2, 3), (1, 1), (3, 5), (8, 62)):
        seed = int(rng.integers(1 << 30))
        got = _random_table(np.random.default_rng(seed))
        ref = _random_table(np.random.default_rng(seed))
        slots = rng.permutation(40)[: int(rng.integers(0, 40))]
        detected = rng.random(slots.size) < 0.6
        record_opportunities(got, slots, detected, confirm_m, confirm_n)
        record_opportunities_reference(ref, slots, detected, confirm_m, confirm_n)
        for column in ("history", "opportunities", "hits", "misses", "quality", "confirmed"):
            assert np.array_equal(getattr(got, column), getattr(ref, column)), column


def test_compiled_deletion_rules_match_the_numpy_twin_at_their_thresholds():
    from iadsim.tracking.management import deletion_mask, deletion_mask_reference, position_std_m

    rng = np.random.default_rng(9)
    table = _random_table(rng)
    slots = rng.permutation(40)[:30]
    std = position_std_m(table, slots)
    # Thresholds on a track's own value and one ulp below it: the sum's order must match.
    for limit in (std[0], np.nextafter(std[0], 0.0), std[5], np.median(std), np.inf):
        for max_coast_s in (np.inf, 50.0):
            args = (table, slots, 100.0, 3, 4, limit, max_coast_s)
            assert deletion_mask(*args).tolist() == deletion_mask_reference(*args).tolist()
    assert deletion_mask(table, slots[:0], 0.0, 3, 4, 1.0, 1.0).shape == (0,)


def test_a_looks_booking_matches_the_numpy_twin_on_the_updated_and_seen_tracks():
    from iadsim.tracking._look_kernels import record_look_kernel
    from iadsim.tracking.management import (
        HISTORY_MASK,
        QUALITY_WINDOW,
        record_opportunities_reference,
    )

    rng = np.random.default_rng(10)
    for confirm_m, confirm_n in ((2, 3), (1, 1), (3, 5)):
        seed = int(rng.integers(1 << 30))
        got = _random_table(np.random.default_rng(seed))
        ref = _random_table(np.random.default_rng(seed))
        live = np.sort(rng.permutation(40)[: int(rng.integers(0, 40))])
        detected = rng.random(live.size) < 0.5
        missed_seen = rng.random(int((~detected).sum())) < 0.5
        columns = ("history", "opportunities", "hits", "misses", "quality", "confirmed")
        record_look_kernel(
            *(getattr(got, column) for column in columns),
            live,
            detected,
            missed_seen,
            confirm_m,
            confirm_n,
            QUALITY_WINDOW,
            HISTORY_MASK,
        )
        seen = detected.copy()
        seen[~detected] = missed_seen
        record_opportunities_reference(ref, live[seen], detected[seen], confirm_m, confirm_n)
        for column in columns:
            assert np.array_equal(getattr(got, column), getattr(ref, column)), column


def test_the_doomed_slots_are_the_live_tracks_the_deletion_rules_delete():
    from iadsim.tracking.management import deletion_mask_reference, doomed_slots, position_std_m

    rng = np.random.default_rng(11)
    table = _random_table(rng)
    table.release(rng.permutation(40)[:10])
    live = table.active_slots()
    std = position_std_m(table, live)
    for limit in (std[0], np.nextafter(std[0], 0.0), np.median(std), np.inf):
        for max_coast_s in (np.inf, 50.0):
            want = live[deletion_mask_reference(table, live, 100.0, 3, 4, limit, max_coast_s)]
            got = doomed_slots(table, 100.0, 3, 4, limit, max_coast_s)
            assert got.dtype == np.int64
            assert got.tolist() == want.tolist()
            if want.size:  # a caller that counted them: the same slots, uncounted
                uncounted = doomed_slots(table, 100.0, 3, 4, limit, max_coast_s, True)
                assert uncounted.tolist() == want.tolist()
