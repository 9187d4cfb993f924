"""Every registered tracker passes the same checks (scikit-learn estimator-check style)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from iadsim.core.contracts import Tracker
from iadsim.core.registry import TRACKERS
from iadsim.tracking.synthetic import SyntheticScene, simulate_scans
from iadsim.tracking.tracker import TrackerConfig

CONFIG = TrackerConfig(process_noise_mps2=2.0)


def _names() -> list:
    params = []
    for name in TRACKERS.names():
        needs_stonesoup = name == "stonesoup" and importlib.util.find_spec("stonesoup") is None
        mark = pytest.mark.skip("stonesoup extra not installed") if needs_stonesoup else ()
        params.append(pytest.param(name, marks=mark))
    return params


@pytest.fixture(scope="module")
def scans():
    scene = SyntheticScene(n_targets=6, n_scans=12, clutter_per_scan=3, scan_period_s=4.0)
    return simulate_scans(scene, np.random.default_rng(7))


def _run(name, scans):
    tracker = TRACKERS.get(name)(CONFIG)
    table = tracker.new_table(64)
    ids = [tracker.step(table, s.time_s, s.detections_m, s.covariance_m2) for s in scans]
    return tracker, table, ids


@pytest.mark.parametrize("name", _names())
def test_tracker_plays_the_tracker_role(name):
    assert isinstance(TRACKERS.get(name)(CONFIG), Tracker)


@pytest.mark.parametrize("name", _names())
def test_step_returns_one_id_per_detection_naming_a_live_track_or_minus_one(name, scans):
    tracker = TRACKERS.get(name)(CONFIG)
    table = tracker.new_table(64)
    for scan in scans:
        ids = tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
        assert ids.shape == (len(scan.detections_m),)
        assert ids.dtype == np.int64
        live = set(table.track_id[table.active_slots()].tolist())
        assert set(ids[ids >= 0].tolist()) <= live


@pytest.mark.parametrize("name", _names())
def test_step_leaves_its_inputs_unchanged(name, scans):
    tracker = TRACKERS.get(name)(CONFIG)
    table = tracker.new_table(64)
    for scan in scans:
        z, R = scan.detections_m.copy(), scan.covariance_m2.copy()
        tracker.step(table, scan.time_s, z, R)
        np.testing.assert_array_equal(z, scan.detections_m)
        np.testing.assert_array_equal(R, scan.covariance_m2)


@pytest.mark.parametrize("name", _names())
def test_same_detections_give_the_same_tracks(name, scans):
    _, first, first_ids = _run(name, scans)
    _, second, second_ids = _run(name, scans)
    for a, b in zip(first_ids, second_ids, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first.active, second.active)
    np.testing.assert_array_equal(first.state, second.state)


@pytest.mark.parametrize("name", _names())
def test_a_250_mps_target_is_tracked_in_metres_and_metres_per_second(name):
    """One target flying east at 250 m/s, 100 m noise, 4 s scans: the confirmed track's
    velocity is within 25 m/s of the truth and its position within 300 m (units check)."""
    rng = np.random.default_rng(3)
    tracker = TRACKERS.get(name)(CONFIG)
    table = tracker.new_table(16)
    start, velocity = np.array([-40e3, 10e3, 8e3]), np.array([250.0, 0.0, 0.0])
    R = np.eye(3)[None] * 100.0**2
    for k in range(20):
        truth = start + velocity * 4.0 * k
        tracker.step(table, 4.0 * k, truth[None] + rng.normal(0, 100.0, (1, 3)), R)
    live = table.active_slots()
    confirmed = live[table.confirmed[live]]
    assert confirmed.size == 1
    state = table.state[confirmed[0]]
    assert np.linalg.norm(state[:3] - truth) < 300.0
    assert np.linalg.norm(state[3:6] - velocity) < 25.0


@pytest.mark.parametrize("name", _names())
def test_coasting_keeps_the_table_shape(name, scans):
    tracker, table, _ = _run(name, scans)
    capacity = table.active.shape
    tracker.coast(table, scans[-1].time_s + 4.0)
    assert table.active.shape == capacity
