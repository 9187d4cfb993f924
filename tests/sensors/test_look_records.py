"""Per-look records: band letters, the table, and what a bundled run's looks.parquet says."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from tests.conftest import SCENARIOS
from typer.testing import CliRunner

from iadsim.cli.app import app
from iadsim.sensors.look_records import LOOK_SCHEMA, LookRecords, ieee_band


@pytest.mark.parametrize(
    ("frequency_hz", "band"),
    [
        (150e6, "VHF"),  # Nebo-M metre-wave
        (430e6, "UHF"),
        (1.0e9, "L"),  # a band includes its lower edge
        (1.3e9, "L"),
        (3.0e9, "S"),  # 91N6E, AN/APY-2
        (5.6e9, "C"),  # AN/MPQ-65
        (9.5e9, "X"),  # 92N6E
        (15e9, "Ku"),
        (1e6, "?"),
    ],
)
def test_ieee_letter_bands(frequency_hz, band):
    assert ieee_band(frequency_hz) == band


def test_table_names_radars_and_targets_and_keeps_masked_looks_apart():
    records = LookRecords(["post/radar"], ["X"], ["f35-01", "kalibr-01"], ["f35a", "kalibr"])
    records.add(
        12.0,
        0,
        np.array([0, 1]),
        np.array([150_000.0, 40_000.0]),
        np.radians([0.0, 180.0]),
        np.radians([-2.0, 1.0]),
        np.array([0.001, np.nan]),
        np.array([8.0, np.nan]),
        np.array([0.25, 0.0]),
        np.array([True, False]),
        np.array([False, True]),
    )
    table = records.table()
    assert table.schema == LOOK_SCHEMA
    rows = table.to_pylist()
    assert rows[0]["radar"] == "post/radar" and rows[0]["band"] == "X"
    assert rows[0]["target"] == "f35-01" and rows[1]["platform"] == "kalibr"
    assert rows[0]["range_km"] == 150.0
    assert rows[0]["rcs_dbsm"] == pytest.approx(-30.0)
    assert rows[1]["aspect_az_deg"] == pytest.approx(180.0)
    assert rows[1]["masked"] and np.isnan(rows[1]["snr_db"]) and rows[1]["pd"] == 0.0


def test_an_empty_record_is_an_empty_table_of_the_schema():
    table = LookRecords([], [], [], []).table()
    assert table.num_rows == 0 and table.schema == LOOK_SCHEMA


@pytest.fixture(scope="module")
def s400_looks(bundled_runs):
    folder, _ = bundled_runs["turkey-s400-ankara"]
    return folder, pq.read_table(folder / "looks.parquet")


def test_detections_follow_the_recorded_pd(s400_looks):
    """Per radar, the number of detected looks is the sum of their Pd, within 4 sigma of
    the binomial spread: the draws use the recorded probabilities."""
    _, looks = s400_looks
    for radar in set(looks["radar"].to_pylist()):
        own = looks.filter(pc.equal(looks["radar"], radar))
        pd = own["pd"].to_numpy()
        detected = own["detected"].to_numpy(zero_copy_only=False)
        assert abs(detected.sum() - pd.sum()) < 4.0 * np.sqrt(np.sum(pd * (1.0 - pd))) + 1.0


def test_masked_looks_are_seen_only_through_diffraction_and_angles_are_in_range(s400_looks):
    """A look whose straight ray terrain blocks loses at least the 12 dB two-way knife-edge
    loss of a grazing ray: it is detected far less often than an open one."""
    _, looks = s400_looks
    masked = looks["masked"].to_numpy(zero_copy_only=False)
    detected = looks["detected"].to_numpy(zero_copy_only=False)
    assert masked.any() and (~masked).any()
    assert detected[masked].mean() < 0.5 * detected[~masked].mean()
    assert np.all(np.abs(looks["aspect_az_deg"].to_numpy()) <= 180.0)
    assert np.all(np.abs(looks["aspect_el_deg"].to_numpy()) <= 90.0)


def test_every_first_detection_is_a_detected_look(s400_looks):
    """Each radar's first detection of an aircraft (events.parquet) is a detected look of
    that radar at that time and true range, and no earlier look of it detected it."""
    folder, looks = s400_looks
    events = pq.read_table(folder / "events.parquet")
    firsts = events.filter(pc.equal(events["kind"], "first_detection")).to_pylist()
    detected = looks.filter(looks["detected"]).to_pylist()
    first_look = {}
    for row in detected:
        first_look.setdefault((row["radar"], row["target"]), row)
    assert firsts
    for event in firsts:
        detail = json.loads(event["detail"])
        look = first_look[(detail["radar"], event["truth"])]
        assert look["time_s"] == event["time_s"]
        assert look["range_km"] == pytest.approx(detail["range_km"], abs=1e-3)


def test_recording_looks_changes_no_outcome(bundled_runs, tmp_path):
    with_looks, _ = bundled_runs["turkey-patriot-ankara"]
    scenario = str(SCENARIOS / "turkey-patriot-ankara.yaml")
    result = CliRunner().invoke(
        app, ["run", scenario, "--out", str(tmp_path / "run"), "--no-map", "--no-looks"]
    )
    assert result.exit_code == 0, result.output
    assert (with_looks / "looks.parquet").is_file()
    assert not (tmp_path / "run" / "looks.parquet").exists()
    for name in ("events.parquet", "tracks.parquet", "picture_metrics.parquet", "summary.json"):
        assert (with_looks / name).read_bytes() == (tmp_path / "run" / name).read_bytes()
