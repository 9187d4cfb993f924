"""Observation has no side effects: the record interval changes snapshots, never events.

Snapshots read each post's fused picture (:meth:`LinkReceiver.fuse`); only the decision
cycle may change the link correlation memory (:meth:`LinkReceiver.correlate`). So
``events.parquet``, the file users read, is byte-identical whatever ``record_interval_s``.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from tests.conftest import SCENARIOS

from iadsim.engine.simulation import Simulation
from iadsim.runs import run_to_folder
from iadsim.scenario.loader import load_document, validate_document

INTERVALS_S = (1.0, 3.0, 10.0, 60.0)
PATRIOT = SCENARIOS / "turkey-patriot-ankara.yaml"


def _events_digests(tmp_path, duration_min: float | None) -> dict[float, str]:
    digests = {}
    for interval in INTERVALS_S:
        document = load_document(PATRIOT)
        document["record_interval_s"] = interval
        if duration_min is not None:
            document["duration_min"] = duration_min
        scenario, catalog = validate_document(document, f"{PATRIOT.name} (record {interval} s)")
        folder = tmp_path / f"record-{interval:g}"
        run_to_folder(scenario, catalog, folder, draw_map=False)
        digests[interval] = hashlib.sha256((folder / "events.parquet").read_bytes()).hexdigest()
    return digests


def test_fuse_leaves_the_receiver_unchanged():
    """Reading the fused picture at any time changes neither reports nor pairings."""
    document = load_document(PATRIOT)
    document["duration_min"] = 6
    scenario, catalog = validate_document(document, PATRIOT.name)
    simulation = Simulation(scenario, catalog)
    for _ in range(300):
        simulation.step(scenario.time_step_s)
    receivers = [u for u in simulation.units if u.receiver.reports]
    assert receivers, "the shortened scenario must exercise link fusion"
    for unit in receivers:
        receiver = unit.receiver
        pairs = {s: dict(m) for s, m in receiver.pairs.items()}
        reports = dict(receiver.reports)
        first = receiver.fuse(unit.picture, simulation.time_s)
        receiver.fuse(unit.picture, simulation.time_s + 400.0)  # every report stale by then
        again = receiver.fuse(unit.picture, simulation.time_s)
        assert receiver.pairs == pairs
        assert receiver.reports == reports
        assert first.ids == again.ids
        np.testing.assert_array_equal(first.identity, again.identity)


def test_record_interval_does_not_change_events_short(tmp_path):
    """The Patriot scenario's first 10 minutes (link reports from the E-3 and the battery)."""
    digests = _events_digests(tmp_path, duration_min=10)
    assert len(set(digests.values())) == 1, digests


@pytest.mark.slow
def test_record_interval_does_not_change_events_patriot(tmp_path):
    """The whole bundled Patriot scenario (flanker-01 near t = 556 s was the known case)."""
    digests = _events_digests(tmp_path, duration_min=None)
    assert len(set(digests.values())) == 1, digests


def test_a_run_that_records_no_tracks_has_the_same_events():
    """``record_tracks=False`` (a study that reads events alone) changes no event; its
    snapshot and interceptor tables are empty."""
    from iadsim.scoring.replication import run_simulation

    document = load_document(PATRIOT)
    document["duration_min"] = 10
    scenario, catalog = validate_document(document, PATRIOT.name)
    recorded = run_simulation(scenario, catalog, 3)
    events_only = run_simulation(scenario, catalog, 3, record_tracks=False)
    assert recorded.tracks.num_rows > 0
    assert recorded.interceptors.num_rows > 0, "the shortened scenario must launch"
    assert events_only.tracks.num_rows == 0
    assert events_only.interceptors.num_rows == 0
    assert _parquet_bytes(events_only.events) == _parquet_bytes(recorded.events)


def _parquet_bytes(table) -> bytes:
    """A table's Parquet bytes (a table with NaN never ``equals`` itself)."""
    import io

    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
