"""The one table type: stable ids, slot reuse, typed columns, growth."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.core.tables import Column, Table


class Things(Table):
    COLUMNS = (
        Column("kind", np.int8, -1),
        Column("speed_mps", np.float64, np.nan),
        Column("state", np.float64, 0.0, (6,)),
    )
    kind: np.ndarray
    speed_mps: np.ndarray
    state: np.ndarray


def test_columns_have_their_declared_types_shapes_and_fill():
    table = Things(4)
    assert table.kind.dtype == np.int8 and table.kind.shape == (4,)
    assert table.state.shape == (4, 6)
    assert np.isnan(table.speed_mps).all()
    assert table.ids.tolist() == [-1] * 4


def test_ids_are_unique_increasing_and_never_reused_while_slots_are():
    table = Things(2)
    first = table.allocate(2)
    assert table.ids[first].tolist() == [0, 1]
    table.release(first[:1])
    (again,) = table.allocate(1)
    assert again == first[0]
    assert table.ids[again] == 2
    assert table.slots_of([0, 1, 2]).tolist() == [-1, first[1], again]


def test_a_reused_slot_starts_from_the_fill_values():
    table = Things(1)
    (slot,) = table.allocate(1)
    table.kind[slot], table.speed_mps[slot], table.state[slot] = 3, 250.0, 1.0
    table.release([slot])
    (slot,) = table.allocate(1)
    assert table.kind[slot] == -1 and np.isnan(table.speed_mps[slot])
    assert not table.state[slot].any()


def test_the_table_grows_keeping_rows_and_added_columns():
    table = Things(1)
    table.add_column("identity", (), 0, np.int8)
    (slot,) = table.allocate(1)
    table.speed_mps[slot] = 100.0
    table.extra["identity"][slot] = 6
    slots = table.allocate(5)
    assert table.capacity == 8
    assert table.speed_mps[slot] == 100.0
    assert table.extra["identity"] is table.identity
    assert table.identity[slot] == 6 and table.identity.dtype == np.int8
    assert (table.identity[slots] == 0).all()
    assert table.n_active == 6


def test_a_column_name_is_declared_once():
    with pytest.raises(ValueError, match="exists"):
        Things(2).add_column("kind")


def test_a_column_cannot_shadow_an_attribute():
    with pytest.raises(ValueError, match="names an attribute"):
        Things(2).add_column("allocate")


def test_the_compiled_slot_scan_agrees_with_the_sorted_search():
    rng = np.random.default_rng(3)
    table = Things(8)
    for _ in range(30):
        table.allocate(int(rng.integers(0, 4)))
        live = table.active_slots()
        table.release(live[rng.random(live.size) < 0.3])
        ids = rng.integers(-1, table.next_id + 2, int(rng.integers(0, 6)))
        assert table.slots_of(ids).tolist() == table._slots_by_search(ids).tolist()


def test_allocating_no_row_changes_nothing():
    table = Things(2)
    table.allocate(1)
    slots = table.allocate(0)
    assert slots.dtype == np.int64 and slots.size == 0
    assert table.next_id == 1 and table.n_active == 1


class Ledger(Things):
    REUSES_SLOTS = False


def test_a_table_that_does_not_reuse_slots_gives_each_row_the_slot_of_its_id():
    table = Ledger(2)
    first = table.allocate(2)
    table.speed_mps[first] = [10.0, 20.0]
    table.release(first)
    later = table.allocate(3)
    assert first.tolist() == [0, 1] and later.tolist() == [2, 3, 4]
    assert table.ids[later].tolist() == [2, 3, 4]
    assert table.capacity == 8  # 2 -> 4 -> 8: five rows ever, none reused
    assert table.speed_mps[first].tolist() == [10.0, 20.0]  # ended rows stay readable
    assert table.active.tolist() == [False, False, True, True, True, False, False, False]


def test_growth_keeps_the_rows_of_a_table_that_does_not_reuse_slots():
    table = Ledger(1)
    (slot,) = table.allocate(1)
    table.state[slot] = np.arange(6.0)
    table.release([slot])
    (next_slot,) = table.allocate(1)
    assert next_slot == 1 and table.capacity == 2
    assert table.state[0].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert not table.state[1].any()


class Flights(Table):
    COLUMNS = (Column("side", np.int32, -1, labelled=True),)
    side: np.ndarray


def test_a_labelled_column_stores_codes_in_the_order_labels_first_appear():
    table = Flights(2)
    slots = table.allocate(3)
    table.side[slots] = table.encode("side", ["red", "blue", "red"])
    assert table.side.dtype == np.int32
    assert table.side[slots].tolist() == [0, 1, 0]
    assert table.labels["side"] == ["red", "blue"]
    assert table.label("side", slots[1]) == "blue"
    more = table.allocate(1)
    table.side[more] = table.encode("side", ["green"])
    assert table.labels["side"] == ["red", "blue", "green"]
    assert table.labels_of("side") == ["red", "blue", "red", "green"]
    assert table.labels_of("side", np.array([3, 0])) == ["green", "red"]
