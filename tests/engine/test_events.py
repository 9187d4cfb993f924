"""The event heap pops in time order and breaks ties by scheduling order."""

from iadsim.engine.events import EventHeap


def test_due_events_pop_in_time_then_scheduling_order():
    heap = EventHeap()
    for time_s, name in [
        (5.0, "late"),
        (1.0, "first"),
        (1.0, "second"),
        (3.0, "middle"),
        (1.0, "third"),
    ]:
        heap.schedule(time_s, "launch", name)
    assert [e.payload for e in heap.pop_due(4.0)] == ["first", "second", "third", "middle"]
    assert len(heap) == 1
    assert [e.payload for e in heap.pop_due(5.0)] == []
    assert [e.payload for e in heap.pop_due(5.0 + 1e-9)] == ["late"]
