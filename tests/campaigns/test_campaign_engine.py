"""A campaign on the real engine: the same rows with 1 and 2 workers, and sweeps that act."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from iadsim.campaigns.campaign import load_results, run_campaign
from iadsim.sensors.look_records import LOOK_SCHEMA

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def _rows(out_dir: Path) -> list[dict]:
    """Result rows with NaN written as None, so that equal runs compare equal."""
    return [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
        for row in load_results(out_dir).to_pylist()
    ]


def test_engine_campaign_is_identical_for_one_and_two_workers(tmp_path):
    document = yaml.safe_load(MINIMAL.read_text())
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500.0  # above the Anatolian plateau, in the battery's view
    common = {"runs": 3, "seed": 11, "progress": False,
              "sweeps": ["catalog.kalibr.rcs_scale=0.5,2"]}  # fmt: skip
    run_campaign(document, None, out_dir=tmp_path / "one", workers=1, **common)
    run_campaign(document, None, out_dir=tmp_path / "two", workers=2, **common)
    one, two = _rows(tmp_path / "one"), _rows(tmp_path / "two")
    assert len(one) == 6
    assert all(row["status"] == "ok" for row in one)
    assert one == two
    # The measures come from real runs: the battery tracks and engages the raider.
    assert all(row["first_track_range_km_mean_battery"] is not None for row in one)
    assert all(row["own_tracked_battery"] >= 1 for row in one)
    assert all(row["interceptors_fired"] > 0 for row in one)


def test_a_campaign_keeps_each_replications_looks_without_changing_its_measures(tmp_path):
    document = yaml.safe_load(MINIMAL.read_text())
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500.0
    common = {"runs": 2, "seed": 5, "progress": False,
              "sweeps": ["catalog.kalibr.rcs_scale=0.5,2"]}  # fmt: skip
    run_campaign(document, None, out_dir=tmp_path / "plain", **common)
    run_campaign(document, None, out_dir=tmp_path / "looks", looks=True, **common)
    assert _rows(tmp_path / "plain") == _rows(tmp_path / "looks")
    index = json.loads((tmp_path / "looks" / "looks" / "points.json").read_text())
    assert [entry["sweep"] for entry in index] == [
        {"catalog.kalibr.rcs_scale": 0.5},
        {"catalog.kalibr.rcs_scale": 2},
    ]
    rcs = []
    for entry in index:
        files = sorted((tmp_path / "looks" / "looks" / entry["folder"]).glob("seed-*.parquet"))
        assert len(files) == 2
        looks = pq.read_table(files[0])
        assert looks.schema == LOOK_SCHEMA and looks.num_rows > 0
        rcs.append(
            {(r["time_s"], r["radar"]): r["rcs_dbsm"] for r in looks.to_pylist() if not r["masked"]}
        )
    # Common random numbers: the same looks at both points, the swept RCS scale on each
    # (a factor 4 is 6.02 dB).
    common_looks = rcs[0].keys() & rcs[1].keys()
    assert len(common_looks) > 10
    for look in common_looks:
        assert rcs[1][look] - rcs[0][look] == pytest.approx(10 * math.log10(4), abs=1e-9)
