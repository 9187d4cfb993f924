"""Interceptors' flown paths (``interceptors.parquet``): recorded without changing the run,
and consistent with the events and with the missiles' kinematics.

Distances are geodesics on the WGS 84 ellipsoid from pyproj (an independent library), not
from iadsim's own geodesy.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from pyproj import Geod
from tests.conftest import SCENARIOS

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import load_document, validate_document

S400 = SCENARIOS / "turkey-s400-ankara.yaml"
MINUTES = 8.0
"""Long enough for the first launches and their ends (launches from about 212 s)."""
WGS84 = Geod(ellps="WGS84")
MAX_SPEED_MPS = 3000.0
"""Above any surface-to-air interceptor of the catalog (the fastest, 48N6/40N6 class, are
near 2 km/s, Mach 6-7; ground speed at altitude stays below 3 km/s)."""


def _run(record: bool) -> Simulation:
    document = load_document(S400)
    document["duration_min"] = MINUTES
    scenario, catalog = validate_document(document, S400.name)
    simulation = Simulation(scenario, catalog, record_interceptors=record)
    simulation.run()
    return simulation


@pytest.fixture(scope="module")
def runs() -> tuple[Simulation, Simulation]:
    return _run(True), _run(False)


def _bytes(table: pa.Table) -> bytes:
    """Parquet bytes (tables with NaN never compare equal with ``Table.equals``)."""
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def test_recording_interceptors_changes_no_event_and_no_snapshot(runs):
    recorded, plain = runs
    assert _bytes(recorded.recorder.event_table()) == _bytes(plain.recorder.event_table())
    assert _bytes(recorded.recorder.snapshot_table()) == _bytes(plain.recorder.snapshot_table())
    assert plain.recorder.interceptor_table().num_rows == 0
    assert recorded.recorder.interceptor_table().num_rows > 0


def test_each_path_starts_at_its_launch_and_ends_at_its_end_event(runs):
    recorded, _ = runs
    events = recorded.recorder.event_table()
    positions = recorded.recorder.interceptor_table()
    dt = recorded.scenario.time_step_s
    launches = events.filter(pc.equal(events["kind"], "launch")).to_pylist()
    assert launches
    ended = 0
    for launch in launches:
        number = launch["interceptor_id"]
        rows = positions.filter(pc.equal(positions["interceptor_id"], number)).to_pylist()
        assert rows, f"interceptor {number} was launched but never recorded in flight"
        assert {r["unit"] for r in rows} == {launch["unit"]}
        times = np.array([r["time_s"] for r in rows])
        assert np.all(np.diff(times) == pytest.approx(dt))  # every step, no gap
        assert launch["time_s"] < times[0] <= launch["time_s"] + dt
        lon = np.array([launch["lon_deg"]] + [r["lon_deg"] for r in rows])
        lat = np.array([launch["lat_deg"]] + [r["lat_deg"] for r in rows])
        _, _, step_m = WGS84.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
        assert np.all(step_m <= MAX_SPEED_MPS * dt)
        assert step_m[1:].max() > 100.0 * dt  # it does fly
        ends = events.filter(
            pc.and_(
                pc.equal(events["interceptor_id"], number),
                pc.is_in(events["kind"], pc.cast(["kill", "miss", "self_destruct"], "string")),
            )
        ).to_pylist()
        if ends:
            ended += 1
            end = ends[0]
            assert times[-1] <= end["time_s"] + dt
            _, _, last_m = WGS84.inv(rows[-1]["lon_deg"], rows[-1]["lat_deg"],
                                     end["lon_deg"], end["lat_deg"])  # fmt: skip
            assert last_m <= MAX_SPEED_MPS * dt
            assert json.loads(end["detail"]) is not None
    assert ended, "the shortened scenario must end at least one flyout"
