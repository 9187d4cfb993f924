"""Exposure tables from per-look records: bins, durations and filters, worked by hand."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from iadsim.sensors.look_records import LOOK_SCHEMA
from iadsim.studies.exposure import exposure_table, look_durations_s, tracked_at_look
from iadsim.studies.plots import collected_aspect_figure


def test_each_look_stands_for_the_gap_to_the_next_capped_at_the_median():
    # One radar and target looked at 0, 10, 20 s, then again at 100 s after leaving
    # coverage: gaps 10, 10, 80, median 10, so every look stands for 10 s.
    time_s = np.array([0.0, 10.0, 20.0, 100.0, 5.0, 9.0])
    radar = np.array([0, 0, 0, 0, 1, 1])
    target = np.array([0, 0, 0, 0, 0, 0])
    durations = look_durations_s(time_s, radar, target)
    np.testing.assert_allclose(durations, [10, 10, 10, 10, 4, 4])
    assert look_durations_s(np.array([3.0]), np.array([0]), np.array([0])).tolist() == [0.0]


def _looks(rows: list[dict]) -> pa.Table:
    defaults = {"band": "X", "range_km": 50.0, "rcs_dbsm": -10.0, "masked": False}
    return pa.Table.from_pylist([{**defaults, **row} for row in rows], schema=LOOK_SCHEMA)


def _look(time_s, target, platform, az, el, detected, snr_db=10.0, radar="r1", pd=0.5):
    return {
        "time_s": time_s,
        "radar": radar,
        "target": target,
        "platform": platform,
        "aspect_az_deg": az,
        "aspect_el_deg": el,
        "detected": detected,
        "snr_db": snr_db,
        "pd": pd,
    }


def test_looks_are_binned_by_aspect_in_the_aircraft_frame():
    looks = _looks(
        [
            _look(0.0, "jet-01", "f35a", 5.0, -10.0, True, snr_db=14.0),  # nose bin
            _look(10.0, "jet-01", "f35a", 25.0, -10.0, False, snr_db=8.0),  # nose bin
            _look(20.0, "jet-01", "f35a", -179.0, 40.0, True, snr_db=20.0),  # tail, above
            _look(30.0, "jet-01", "f35a", 180.0, 40.0, True, snr_db=20.0),  # +180 is the tail too
            _look(0.0, "other-01", "kalibr", 0.0, 0.0, True),  # another platform
        ]
    )
    table = exposure_table(looks, ["f35a"], azimuth_bin_deg=30.0, elevation_bin_deg=30.0)
    rows = {(r["az_bin_deg"], r["el_bin_deg"]): r for r in table.to_pylist()}
    assert set(rows) == {(0.0, -30.0), (-180.0, 30.0)}
    nose = rows[(0.0, -30.0)]
    assert (nose["looks"], nose["detections"], nose["snr_db_ge_13"]) == (2, 1, 1)
    assert nose["look_time_s"] == pytest.approx(20.0)
    assert nose["detected_time_s"] == pytest.approx(10.0)
    assert nose["snr_db_mean"] == pytest.approx(11.0)
    assert rows[(-180.0, 30.0)]["looks"] == 2  # -179 and +180 deg: both tail-on


def test_masked_looks_count_as_time_in_coverage_but_not_in_snr_means():
    looks = _looks(
        [
            _look(0.0, "jet-01", "f35a", 5.0, 0.0, False, snr_db=float("nan"), pd=0.0),
            _look(10.0, "jet-01", "f35a", 5.0, 0.0, True, snr_db=12.0),
        ]
    )
    looks = looks.set_column(
        looks.schema.get_field_index("masked"), "masked", pa.array([True, False])
    )
    row = exposure_table(looks, ["f35a"]).to_pylist()[0]
    assert row["looks"] == 2
    assert row["snr_db_mean"] == pytest.approx(12.0)
    assert row["pd_mean"] == pytest.approx(0.5)


def test_air_track_filter_keeps_the_flight_members_only():
    looks = _looks(
        [
            _look(0.0, "lightning-1-01", "f35a", 0.0, 0.0, True),
            _look(0.0, "lightning-1", "f35a", 0.0, 0.0, True),
            _look(0.0, "lightning-10-01", "f35a", 0.0, 0.0, True),
            _look(0.0, "lightning-2-03", "f35a", 0.0, 0.0, True),
        ]
    )
    table = exposure_table(looks, ["f35a"], air_tracks=["lightning-1"])
    assert sorted(set(table.column("target").to_pylist())) == ["lightning-1", "lightning-1-01"]


def test_collected_aspect_figure_has_a_row_per_platform(tmp_path):
    looks = _looks(
        [
            _look(float(t), "a-01", platform, az, 0.0, t % 20 == 0, radar=radar)
            for platform in ("f35a", "f16c")
            for radar in ("r1", "r2")
            for t, az in zip(range(0, 100, 10), np.linspace(-170, 170, 10), strict=True)
        ]
    )
    table = exposure_table(looks, ["f35a", "f16c"])
    table = table.append_column("seed", pa.array([1] * table.num_rows, pa.int64()))
    path = collected_aspect_figure(table, "test", ["f35a", "f16c"], 30.0, tmp_path / "a.png")
    assert path is not None
    assert path.stat().st_size > 10_000


def test_a_look_counts_as_tracked_when_the_radars_post_held_a_track_at_the_last_record():
    held = pa.table(
        {
            "time_s": [10.0, 20.0, 20.0],
            "post": ["sam", "sam", "awacs"],
            "target": ["jet-01", "jet-01", "jet-02"],
        }
    )
    time_s = np.array([9.9, 10.0, 15.0, 25.0, 31.0, 25.0, 25.0])
    post = np.array(["sam", "sam", "sam", "sam", "sam", "awacs", "sam"])
    target = np.array(["jet-01", "jet-01", "jet-01", "jet-01", "jet-01", "jet-02", "jet-02"])
    tracked = tracked_at_look(time_s, post, target, held, record_interval_s=10.0)
    # 9.9 s: last record at 0 s (nothing held); 10 and 15 s: held at 10 s; 25 s: held at
    # 20 s; 31 s: nothing at 30 s; awacs holds jet-02 at 20 s, sam does not.
    assert tracked.tolist() == [False, True, True, True, False, True, False]


def test_tracked_time_follows_the_post_of_each_radar():
    looks = _looks(
        [
            _look(0.0, "jet-01", "f35a", 0.0, 0.0, True, radar="sam/x/y"),
            _look(10.0, "jet-01", "f35a", 0.0, 0.0, True, radar="sam/x/y"),
            _look(20.0, "jet-01", "f35a", 0.0, 0.0, True, radar="sam/x/y"),
        ]
    )
    held = pa.table({"time_s": [10.0, 20.0], "post": ["sam", "sam"], "target": ["jet-01"] * 2})
    row = exposure_table(looks, ["f35a"], held=held, record_interval_s=10.0).to_pylist()[0]
    assert row["look_time_s"] == pytest.approx(30.0)
    assert row["tracked_time_s"] == pytest.approx(20.0)
    assert exposure_table(looks, ["f35a"]).to_pylist()[0]["tracked_time_s"] is None
