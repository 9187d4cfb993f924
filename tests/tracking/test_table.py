"""Track table: growth, stable ids, slot reuse."""

import numpy as np

from iadsim.tracking.table import TrackTable


def test_ids_are_unique_increasing_and_never_reused_while_slots_are():
    table = TrackTable(capacity=4)
    first = table.allocate(3, time_s=0.0)
    ids_first = table.track_id[first].copy()
    table.release(first[:2])
    again = table.allocate(2, time_s=1.0)
    assert set(again) == set(first[:2])  # slots reused
    assert table.track_id[again].min() > ids_first.max()  # ids not reused
    assert np.all(np.diff(table.track_id[again]) > 0)


def test_table_doubles_when_full_and_keeps_contents():
    table = TrackTable(capacity=2)
    table.add_column("mode_probability", (3,))
    slots = table.allocate(2, time_s=0.0)
    table.state[slots, 0] = [10.0, 20.0]
    table.extra["mode_probability"][slots] = 7.0
    more = table.allocate(3, time_s=1.0)
    assert table.capacity == 8
    assert table.n_active == 5
    np.testing.assert_array_equal(table.state[slots, 0], [10.0, 20.0])
    np.testing.assert_array_equal(table.extra["mode_probability"][slots], 7.0)
    assert table.extra["mode_probability"].shape == (8, 3)
    assert len(set(table.track_id[np.concatenate([slots, more])])) == 5


def test_slots_of_finds_live_ids_only():
    table = TrackTable(capacity=8)
    slots = table.allocate(5, time_s=0.0)
    table.release(slots[[1]])
    ids = table.track_id[slots]
    found = table.slots_of(np.array([ids[0], 1, ids[4], 99]))
    np.testing.assert_array_equal(found, [slots[0], -1, slots[4], -1])


def test_extra_columns_start_at_their_fill_in_new_and_reused_slots():
    table = TrackTable(capacity=2)
    table.add_column("score", (), fill=-1.0)
    first = table.allocate(2, time_s=0.0)
    table.extra["score"][first] = 5.0
    table.release(first[:1])
    reused = table.allocate(1, time_s=1.0)
    assert table.extra["score"][reused[0]] == -1.0
    grown = table.allocate(2, time_s=2.0)
    np.testing.assert_array_equal(table.extra["score"][grown], -1.0)
    assert table.extra["score"][first[1]] == 5.0


def test_slots_of_agrees_with_a_dictionary_for_few_and_many_ids():
    rng = np.random.default_rng(8)
    table = TrackTable(capacity=16)
    for _ in range(30):
        table.allocate(int(rng.integers(0, 6)), time_s=0.0)
        live = table.active_slots()
        table.release(live[rng.random(live.size) < 0.3])
    by_id = {int(table.track_id[s]): int(s) for s in table.active_slots()}
    for count in (1, 5, 3000):  # direct comparison, and the sorted search for many ids
        ids = rng.integers(-1, table.next_id + 2, size=count)
        expected = [by_id.get(int(i), -1) for i in ids]
        assert table.slots_of(ids).tolist() == expected
