"""The run record: segments of tracks with gaps, truth ends, and what it refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pytest

from iadsim.engine.record import (
    EVENT_SCHEMA,
    INTERCEPTOR_SCHEMA,
    SNAPSHOT_SCHEMA,
    with_start_time,
)
from iadsim.export.colours import SIDE_COLOURS
from iadsim.export.run_record import run_record
from iadsim.scoring.explain import RunFolderError
from iadsim.viz.run_map import SIDE_COLOURS as MAP_SIDE_COLOURS

START = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)


def snapshot_rows(rows: list[tuple[float, str, str, str]]) -> pa.Table:
    """(time, source, id, identity) rows; positions move east with time."""
    columns = {name: [] for name in SNAPSHOT_SCHEMA.names}
    for time_s, source, name, identity in rows:
        values = {
            "time_s": time_s, "source": source, "id": name,
            "truth": "a" if source != "truth" else name,
            "side": "red", "identity": identity, "lat_deg": 40.0, "lon_deg": 30.0 + time_s / 1000,
            "alt_m": 1000.0, "vel_east_mps": 0.0, "vel_north_mps": 0.0, "vel_up_mps": 0.0,
        }  # fmt: skip
        for key, value in values.items():
            columns[key].append(value)
    return with_start_time(pa.table(columns, schema=SNAPSHOT_SCHEMA), START)


def event_rows(rows: list[tuple[float, str, str, int, float]]) -> pa.Table:
    """(time, kind, truth, interceptor id, lon) rows."""
    columns = {name: [] for name in EVENT_SCHEMA.names}
    for time_s, kind, truth, interceptor, lon in rows:
        values = {
            "time_s": time_s, "kind": kind, "unit": "post" if interceptor >= 0 else "",
            "track_id": -1, "truth": truth, "interceptor_id": interceptor, "engagement_id": -1,
            "lat_deg": 40.0, "lon_deg": lon, "alt_m": 1000.0, "detail": "{}",
        }  # fmt: skip
        for key, value in values.items():
            columns[key].append(value)
    return pa.table(columns, schema=EVENT_SCHEMA)


TRUTH = [(t, "truth", "a", "") for t in (0.0, 10.0, 20.0, 30.0, 40.0, 50.0)]


def test_a_track_missing_for_more_than_one_and_a_half_records_starts_a_new_segment():
    post = [(t, "post", "7", "hostile") for t in (10.0, 20.0, 40.0, 50.0)]
    post += [(t, "post", "8", "suspect") for t in (10.0, 30.0)]
    record = run_record(event_rows([]), snapshot_rows(TRUTH + post), "s")
    tracks = {t.key: t.time_s.tolist() for t in record.of_kind("track")}
    assert tracks == {
        "post/track/7": [10.0, 20.0],
        "post/track/7#2": [40.0, 50.0],
        "post/track/8": [10.0],
        "post/track/8#2": [30.0],
    }


def test_a_record_gap_of_one_interval_keeps_one_segment():
    post = [(t, "post", "7", "hostile") for t in (10.0, 20.0, 30.0)]
    record = run_record(event_rows([]), snapshot_rows(TRUTH + post), "s")
    assert [t.key for t in record.of_kind("track")] == ["post/track/7"]


def test_truth_ends_at_its_kill_and_an_interceptor_runs_from_launch_to_end():
    events = event_rows([(5.0, "launch", "a", 3, 30.1), (55.0, "kill", "a", 3, 30.2)])
    record = run_record(events, snapshot_rows(TRUTH), "s")
    (truth,) = record.of_kind("truth")
    assert truth.time_s.tolist() == [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 55.0]
    assert truth.lon_deg[-1] == 30.2
    assert truth.properties["outcome"] == "kill"
    (interceptor,) = record.of_kind("interceptor")
    assert interceptor.time_s.tolist() == [5.0, 55.0]
    assert interceptor.properties["outcome"] == "kill"
    assert [m.kind for m in record.markers] == ["kill"]
    assert record.end_s == 55.0


def flown_rows(rows: list[tuple[float, int, float]]) -> pa.Table:
    """(time, interceptor id, lon) rows of ``interceptors.parquet``."""
    return pa.table(
        {
            "time_s": [r[0] for r in rows],
            "interceptor_id": [r[1] for r in rows],
            "unit": ["post"] * len(rows),
            "lat_deg": [40.0] * len(rows),
            "lon_deg": [r[2] for r in rows],
            "alt_m": [5000.0] * len(rows),
        },
        schema=INTERCEPTOR_SCHEMA,
    )


def test_an_interceptor_passes_through_its_recorded_positions():
    """Launch, each recorded step before its end (of its own id only), then the end."""
    events = event_rows(
        [
            (5.0, "launch", "a", 3, 30.1),
            (7.0, "guidance_lost", "a", 3, 30.16),
            (8.5, "kill", "a", 3, 30.2),
        ]
    )
    flown = flown_rows(
        [(6.0, 3, 30.13), (7.0, 3, 30.16), (8.0, 3, 30.19), (9.0, 3, 30.3), (7.0, 4, 31.0)]
    )
    record = run_record(events, snapshot_rows(TRUTH), "s", flown)
    (interceptor,) = record.of_kind("interceptor")
    assert interceptor.time_s.tolist() == [5.0, 6.0, 7.0, 8.0, 8.5]  # one sample at 7 s
    assert interceptor.lon_deg.tolist() == [30.1, 30.13, 30.16, 30.19, 30.2]
    assert interceptor.alt_m.tolist() == [1000.0, 5000.0, 1000.0, 5000.0, 1000.0]
    assert (interceptor.properties["target"], interceptor.properties["outcome"]) == ("a", "kill")


def test_a_round_still_flying_at_the_end_is_in_flight():
    record = run_record(event_rows([(5.0, "launch", "a", 3, 30.1)]), snapshot_rows(TRUTH), "s")
    assert record.of_kind("interceptor")[0].properties["outcome"] == "in_flight"
    flown = flown_rows([(6.0, 3, 30.13)])
    record = run_record(
        event_rows([(5.0, "launch", "a", 3, 30.1)]), snapshot_rows(TRUTH), "s", flown
    )
    (interceptor,) = record.of_kind("interceptor")
    assert interceptor.properties["outcome"] == "in_flight"
    assert interceptor.time_s.tolist() == [5.0, 6.0]


def test_tables_without_a_start_time_are_refused():
    tracks = snapshot_rows(TRUTH).replace_schema_metadata(None)
    with pytest.raises(RunFolderError, match="start_time"):
        run_record(event_rows([]), tracks, "s")


def test_the_exports_side_colours_are_the_run_maps():
    assert SIDE_COLOURS == MAP_SIDE_COLOURS


def test_positions_keep_their_order_and_values():
    record = run_record(event_rows([]), snapshot_rows(TRUTH), "s")
    np.testing.assert_allclose(
        record.of_kind("truth")[0].lon_deg, [30.0 + t / 1000 for t, *_ in TRUTH]
    )


def test_a_tracks_side_is_labelled_as_truth_the_post_did_not_have():
    post = [(10.0, "post", "7", "hostile")]
    record = run_record(event_rows([]), snapshot_rows(TRUTH + post), "s")
    (track,) = record.of_kind("track")
    assert "side" not in track.labels()
    assert track.labels()["true_side"] == "red"
    assert record.of_kind("truth")[0].labels()["side"] == "red"
