"""The compiled dwell schedule step against its NumPy and Python twin, step after step."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.sensors._dwell_schedule_kernels import due_dwells_kernel, due_dwells_reference


def _kernel_steps(steps, capacity, update_s):
    """Run the kernel through ``steps`` ((t, ids, ranges) each) as the schedule does."""
    ids_buffers = (np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64))
    due_buffers = (np.empty(capacity), np.empty(capacity))
    rows = np.empty(capacity, dtype=np.int64)
    current, held, out = 0, 0, []
    for t, ids, ranges in steps:
        other = 1 - current
        held, due = due_dwells_kernel(
            t, ids, ranges, capacity, update_s, ids_buffers[current][:held],
            due_buffers[current][:held], ids_buffers[other], due_buffers[other], rows,
        )  # fmt: skip
        current = other
        ids, dues = ids_buffers[current][:held], due_buffers[current][:held]
        dues = dict(zip(ids.tolist(), dues.tolist(), strict=True))
        out.append((list(dues.items()), rows[:due].tolist()))
    return out


def _reference_steps(steps, capacity, update_s):
    previous, out = {}, []
    for t, ids, ranges in steps:
        previous, due = due_dwells_reference(t, ids, ranges, capacity, update_s, previous)
        out.append((list(previous.items()), due))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_the_kernel_holds_and_dwells_as_its_twin(seed):
    rng = np.random.default_rng(seed)
    capacity, update_s, steps = int(rng.integers(1, 8)), 0.5, []
    t = 0.0
    for _ in range(40):
        n = int(rng.integers(1, 12))
        ids = rng.choice(20, size=n, replace=False).astype(np.int64)
        ranges = rng.choice([10e3, 20e3, 30e3, 40e3, np.nan], size=n)  # ties, NaN
        steps.append((t, ids, ranges))
        t += float(rng.choice([0.1, 0.25, 0.7]))
    assert _kernel_steps(steps, capacity, update_s) == _reference_steps(steps, capacity, update_s)


def test_ties_keep_their_order_and_nan_ranges_come_last():
    ranges = np.array([np.nan, 5.0, 3.0, 5.0, np.nan, 3.0])
    ids = np.arange(6, dtype=np.int64)
    [(dues, due)] = _kernel_steps([(0.0, ids, ranges)], 6, 1.0)
    assert [track for track, _ in dues] == ranges.argsort(kind="stable").tolist()
    assert due == [2, 5, 1, 3, 0, 4]
