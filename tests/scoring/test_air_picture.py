"""SIAP measures and GOSPA of a post's picture, on hand-built snapshots."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from pyproj import Geod

from iadsim.engine.record import SNAPSHOT_SCHEMA
from iadsim.scoring.air_picture import GOSPA_CUTOFF_M, PostCoverage, picture_metrics

GEOD = Geod(ellps="WGS84")


def _row(time_s, source, ident, truth, side, identity, lat, lon, alt=5000.0, ve=200.0):
    return {"time_s": time_s, "source": source, "id": ident, "truth": truth, "side": side,
            "identity": identity, "lat_deg": lat, "lon_deg": lon, "alt_m": alt,
            "vel_east_mps": ve, "vel_north_mps": 0.0, "vel_up_mps": 0.0}  # fmt: skip


def _table(rows):
    return pa.Table.from_pylist(rows, schema=SNAPSHOT_SCHEMA)


@pytest.fixture
def picture():
    """Two truths near Ankara; the post holds A (100 m north of it, as hostile: wrong for a
    friend) with track 1 then track 2, and a false track; truth B is missed."""
    _, lat_off, _ = GEOD.fwd(32.8, 39.9, 0.0, 100.0)
    rows = []
    for t, track in ((0.0, "1"), (10.0, "2")):
        rows += [
            _row(t, "truth", "A", "A", "nato", "", 39.9, 32.8),
            _row(t, "truth", "B", "B", "red", "", 40.2, 33.2),
            _row(t, "post", track, "A", "nato", "hostile", lat_off, 32.8, ve=203.0),
            _row(t, "post", "9", "", "", "unknown", 39.0, 31.0),
        ]
    post = PostCoverage("post", 39.9, 32.8, 200_000.0)
    return picture_metrics(_table(rows), [post], {"A": "friendly", "B": "hostile"}, 10.0)


def test_siap_measures_from_hand_counts(picture):
    _, summary = picture
    post = summary["post"]
    assert post["completeness"] == 0.5  # A held, B missed
    assert post["ambiguity"] == 1.0
    assert post["spuriousness"] == 0.5  # one of two tracks follows nothing
    assert post["position_error_m"] == pytest.approx(100.0, abs=0.5)
    assert post["velocity_error_mps"] == pytest.approx(3.0)
    assert post["track_number_changes_per_truth"] == 1.0  # track 1 then track 2
    assert post["identity_correct"] == 0.0  # a friend held hostile
    assert post["friend_held_hostile_fraction"] == 1.0
    assert post["friend_held_hostile_time_s"] == 20.0


def test_gospa_parts_by_hand(picture):
    per_time, _ = picture
    c2_half = GOSPA_CUTOFF_M**2 / 2.0
    expected = math.sqrt(
        100.0**2 + c2_half + c2_half
    )  # one matched at 100 m, one missed, one false
    assert np.allclose(per_time["gospa_m"].to_numpy(), expected, rtol=1e-3)
    assert np.allclose(per_time["gospa_missed_m2"].to_numpy(), c2_half)
    assert np.allclose(per_time["gospa_false_m2"].to_numpy(), c2_half)


def test_truths_outside_coverage_do_not_count():
    rows = [_row(0.0, "truth", "far", "far", "red", "", 45.0, 40.0)]
    post = PostCoverage("post", 39.9, 32.8, 100_000.0)
    per_time, summary = picture_metrics(_table(rows), [post], {"far": "hostile"}, 10.0)
    assert per_time["truths"].to_pylist() == [0]
    assert summary["post"]["completeness"] is None


def test_a_held_aircraft_outside_coverage_is_neither_spurious_nor_false():
    # A post on a data link holds far aircraft too: A inside its 100 km circle, C 500 km out.
    _, lat_off, _ = GEOD.fwd(32.8, 39.9, 0.0, 30.0)
    rows = [
        _row(0.0, "truth", "A", "A", "red", "", 39.9, 32.8),
        _row(0.0, "truth", "C", "C", "red", "", 44.4, 32.8),
        _row(0.0, "post", "1", "A", "red", "hostile", lat_off, 32.8),
        _row(0.0, "post", "L16:awacs:7", "C", "red", "hostile", 44.4, 32.8),
    ]
    post = PostCoverage("post", 39.9, 32.8, 100_000.0)
    per_time, summary = picture_metrics(
        _table(rows), [post], {"A": "hostile", "C": "hostile"}, 10.0
    )
    result = summary["post"]
    assert result["completeness"] == 1.0  # C is outside the circle: not counted missing
    assert result["spuriousness"] == 0.0  # the far track follows a real aircraft
    assert result["ambiguity"] == 1.0
    assert per_time["truths"].to_pylist() == [1]
    # GOSPA compares the circle's truths with the circle's tracks: one 30 m localisation.
    assert per_time["gospa_false_m2"].to_pylist() == [0.0]
    assert per_time["gospa_m"].to_numpy()[0] == pytest.approx(30.0, abs=0.5)
