"""Stone Soup bridge: converters both ways, the tracker adapter, a Stone Soup tracker in a run."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyproj
import pytest
import yaml
from stonesoup.dataassociator.probability import JPDA
from stonesoup.hypothesiser.probability import PDAHypothesiser
from stonesoup.tracker.simple import MultiTargetTracker
from stonesoup.types.detection import Detection
from stonesoup.types.hypothesis import SingleHypothesis
from stonesoup.types.prediction import GaussianStatePrediction
from stonesoup.types.track import Track
from stonesoup.types.update import GaussianStateUpdate
from stonesoup.updater.probability import PDAUpdater

from iadsim.engine.record import SNAPSHOT_SCHEMA
from iadsim.interop.stonesoup.convert import (
    EPOCH,
    detections_to_stonesoup,
    snapshots_to_ground_truth,
    stonesoup_tracks_to_table,
    table_to_stonesoup_tracks,
)
from iadsim.interop.stonesoup.tracker import (
    StoneSoupDefaults,
    StoneSoupTracker,
    default_components,
)
from iadsim.tracking.synthetic import SyntheticScene, simulate_scans
from iadsim.tracking.table import TrackTable

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"
SETTINGS = StoneSoupDefaults(acceleration_std_mps2=5.0, initial_speed_std_mps=500.0)
# Stone Soup CV state [e, ve, n, vn, u, vu] -> table [e, n, u, ve, vn, vu]
TO_TABLE = [0, 2, 4, 1, 3, 5]


def _spd(rng: np.random.Generator, n: int) -> np.ndarray:
    a = rng.normal(size=(n, 3, 3)) * 50.0
    return a @ a.transpose(0, 2, 1) + np.eye(3) * 100.0


def _enu_rotation(lat: float, lon: float) -> np.ndarray:
    """ECEF -> ENU rows (textbook, e.g. Misra & Enge 2011, sect. 4.4), written out here."""
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    return np.array([[-so, co, 0.0], [-sl * co, -sl * so, cl], [cl * co, cl * so, sl]])


# -- converters ------------------------------------------------------------------------------
def test_detections_carry_positions_covariances_times_and_a_position_mapping():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 3)) * 1e4
    R = _spd(rng, 5)
    detections = detections_to_stonesoup(z, R, 12.25, EPOCH)
    assert len(detections) == 5
    x = np.array([1.0, 10.0, 2.0, 20.0, 3.0, 30.0])  # e, ve, n, vn, u, vu
    for det in detections:
        i = det.metadata["index"]
        np.testing.assert_array_equal(np.ravel(det.state_vector), z[i])
        np.testing.assert_array_equal(det.measurement_model.covar(), R[i])
        np.testing.assert_array_equal(det.measurement_model.matrix() @ x, [1.0, 2.0, 3.0])
        assert det.timestamp - EPOCH == datetime.timedelta(seconds=12, microseconds=250_000)


def _ground_truth_table(origin, points_enu, vel_enu, times):
    """Snapshot rows of entities at given ENU states of ``origin``, geodetic via pyproj."""
    to_ecef = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    to_lla = pyproj.Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    lat0, lon0, alt0 = origin
    o = np.array(to_ecef.transform(np.degrees(lon0), np.degrees(lat0), alt0))
    r0 = _enu_rotation(lat0, lon0)
    ecef = o + points_enu @ r0
    lon, lat, alt = to_lla.transform(ecef[:, 0], ecef[:, 1], ecef[:, 2])
    local = np.stack(
        [
            _enu_rotation(np.radians(la), np.radians(lo)) @ (r0.T @ v)
            for la, lo, v in zip(lat, lon, vel_enu, strict=True)
        ]
    )
    n = len(times)
    return {
        "time_s": list(times),
        "lat_deg": list(lat),
        "lon_deg": list(lon),
        "alt_m": list(alt),
        "vel_east_mps": list(local[:, 0]),
        "vel_north_mps": list(local[:, 1]),
        "vel_up_mps": list(local[:, 2]),
        "side": ["red"] * n,
        "identity": [""] * n,
    }


def test_ground_truth_paths_from_snapshots_match_pyproj_enu():
    rng = np.random.default_rng(1)
    origin = (np.radians(40.0), np.radians(32.5), 900.0)
    pos = rng.uniform(-150e3, 150e3, (6, 3)) * [1, 1, 0.05] + [0, 0, 8000.0]
    vel = rng.normal(0.0, 200.0, (6, 3))
    times = [20.0, 0.0, 10.0, 0.0, 10.0, 20.0]  # out of order on purpose
    rows = _ground_truth_table(origin, pos, vel, times)
    rows.update(
        source=["truth"] * 3 + ["truth"] * 2 + ["battery"],
        id=["a", "a", "a", "b", "b", "7"],
        truth=["a", "a", "a", "b", "b", "a"],
    )
    table = pa.table(rows, schema=SNAPSHOT_SCHEMA)
    paths = snapshots_to_ground_truth(
        table, origin_lat_rad=origin[0], origin_lon_rad=origin[1], origin_alt_m=origin[2]
    )
    assert sorted(paths) == ["a", "b"]
    expected_rows = {"a": [1, 2, 0], "b": [3, 4]}
    for name, path in paths.items():
        assert path.id == name
        got_t = [(s.timestamp - EPOCH).total_seconds() for s in path.states]
        assert got_t == [times[i] for i in expected_rows[name]]
        for state, i in zip(path.states, expected_rows[name], strict=True):
            x = np.ravel(state.state_vector)
            np.testing.assert_allclose(x[[0, 2, 4]], pos[i], atol=1e-3)
            np.testing.assert_allclose(x[[1, 3, 5]], vel[i], atol=1e-6)
            assert state.metadata["truth"] == name
    posts = snapshots_to_ground_truth(
        table,
        "battery",
        origin_lat_rad=origin[0],
        origin_lon_rad=origin[1],
        origin_alt_m=origin[2],
    )
    assert list(posts) == ["7"]
    np.testing.assert_allclose(np.ravel(posts["7"].state_vector)[[0, 2, 4]], pos[5], atol=1e-3)


def test_stonesoup_tracks_fill_the_table_and_come_back():
    rng = np.random.default_rng(2)
    states = []
    for k in range(5):
        x = rng.normal(size=(6, 1)) * 100.0
        a = rng.normal(size=(6, 6))
        P = a @ a.T + np.eye(6)
        when = EPOCH + datetime.timedelta(seconds=10.0 + 2.0 * k)
        if k in (0, 2):  # updates with a detection at k = 0 and 2, predictions otherwise
            det = Detection(rng.normal(size=(3, 1)), timestamp=when)
            prediction = GaussianStatePrediction(x, P, timestamp=when)
            states.append(
                GaussianStateUpdate(x, P, SingleHypothesis(prediction, det), timestamp=when)
            )
        else:
            states.append(GaussianStatePrediction(x, P, timestamp=when))
    track = Track(states, id="ss-1")
    table = TrackTable(2)
    table.allocate(1, 0.0)  # a row already there: the new one must get the next id
    ids = stonesoup_tracks_to_table([track], table)
    assert ids == {"ss-1": 1}
    slot = int(table.slots_of([1])[0])
    last = states[-1]
    np.testing.assert_array_equal(table.state[slot], np.ravel(last.state_vector)[TO_TABLE])
    np.testing.assert_array_equal(table.covariance[slot], last.covar[np.ix_(TO_TABLE, TO_TABLE)])
    assert table.confirmed[slot]
    assert (table.created_s[slot], table.time_s[slot], table.last_update_s[slot]) == (
        10.0,
        18.0,
        14.0,
    )
    assert (table.hits[slot], table.misses[slot], table.opportunities[slot]) == (2, 2, 5)
    assert table.history[slot] == 0b10100  # oldest -> newest: hit, miss, hit, miss, miss
    assert table.quality[slot] == pytest.approx(2 / 5)

    (back,) = table_to_stonesoup_tracks(table, np.array([slot]))
    assert back.id == "1"
    np.testing.assert_array_equal(back.state_vector, last.state_vector)
    np.testing.assert_array_equal(back.covar, last.covar)
    assert back.timestamp == last.timestamp


# -- the adapter -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scene():
    rng = np.random.default_rng(5)
    scene = SyntheticScene(
        n_targets=4,
        n_scans=20,
        clutter_per_scan=2.0,
        detection_probability=0.9,
        extent_m=(60e3, 60e3, 12e3),
    )
    return simulate_scans(scene, rng)


def _run(scans, tracker=None, check=None):
    tracker = tracker if tracker is not None else StoneSoupTracker(settings=SETTINGS)
    table = tracker.new_table(4)
    all_ids = []
    for scan in scans:
        ids = tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
        all_ids.append(ids)
        if check is not None:
            check(tracker, table, scan, ids)
    return tracker, table, all_ids


def test_adapter_gives_the_same_tracks_as_stonesoups_own_tracker(scene):
    _, table, _ = _run(scene)
    parts = default_components(SETTINGS)
    reference = MultiTargetTracker(
        initiator=parts["initiator"],
        deleter=parts["deleter"],
        detector=None,
        data_associator=parts["data_associator"],
        updater=parts["updater"],
    )
    for scan in scene:
        when = EPOCH + datetime.timedelta(seconds=scan.time_s)
        _, tracks = reference.update_tracker(
            when, detections_to_stonesoup(scan.detections_m, scan.covariance_m2, scan.time_s)
        )
    expected = np.array([np.ravel(t.state_vector)[TO_TABLE] for t in tracks])
    ours = table.state[table.active & table.confirmed]
    assert len(ours) == len(expected) >= 4
    order = np.lexsort(ours.T[::-1])
    ref_order = np.lexsort(expected.T[::-1])
    np.testing.assert_allclose(ours[order], expected[ref_order], rtol=1e-9, atol=1e-6)


def _nearest_confirmed(table, truth_m, radius_m):
    rows = np.flatnonzero(table.active & table.confirmed)
    distance = np.linalg.norm(table.state[rows, None, :3] - truth_m[None], axis=-1)
    return rows, distance, [np.flatnonzero(distance[:, k] < radius_m) for k in range(len(truth_m))]


def test_adapter_holds_one_confirmed_track_per_target_near_the_truth(scene):
    _, table, _ = _run(scene)
    rows, distance, near = _nearest_confirmed(table, scene[-1].truth_m, 1000.0)
    for k, hits in enumerate(near):
        assert hits.size == 1, f"target {k}: {hits.size} confirmed tracks within 1 km"
        # sigma 100 m per axis; a filtered 3-D error beyond 500 m would be a ~5-sigma event
        assert distance[hits[0], k] < 500.0
        assert table.hits[rows[hits[0]]] >= 15  # Pd 0.9 over 20 scans


def test_detection_ids_name_the_track_each_detection_updated_or_started(scene):
    by_target: dict[int, list[int]] = {}

    def check(tracker, table, scan, ids):
        assert np.all(ids[scan.origin >= 0] >= 0)  # target detections update or start a track
        for i in np.flatnonzero(ids >= 0):
            slot = int(table.slots_of([ids[i]])[0])
            assert slot >= 0
            assert table.last_update_s[slot] == scan.time_s
            state = tracker.stonesoup_track(int(ids[i])).state
            det = state.hypothesis.measurement
            np.testing.assert_array_equal(np.ravel(det.state_vector), scan.detections_m[i])
            np.testing.assert_array_equal(table.state[slot], np.ravel(state.state_vector)[TO_TABLE])
        if scan.time_s >= 25.0:  # after confirmation, a target keeps its id
            for i in np.flatnonzero(scan.origin >= 0):
                by_target.setdefault(int(scan.origin[i]), []).append(int(ids[i]))

    _run(scene, check=check)
    assert len(by_target) == 4
    assert all(len(set(ids)) == 1 for ids in by_target.values()), by_target


def test_adapter_ids_do_not_depend_on_set_order(scene):
    _, table_a, ids_a = _run(scene[:8])
    _, table_b, ids_b = _run(scene[:8])
    for a, b in zip(ids_a, ids_b, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(table_a.track_id, table_b.track_id)


def test_a_row_released_outside_drops_the_stonesoup_track(scene):
    tracker, table, _ = _run(scene[:10])
    slot = int(np.flatnonzero(table.active & table.confirmed)[0])
    gone_id = int(table.track_id[slot])
    track = tracker.stonesoup_track(gone_id)
    table.release(np.array([slot]))  # e.g. a kill assessment
    ids = tracker.step(table, scene[10].time_s, scene[10].detections_m, scene[10].covariance_m2)
    assert track not in tracker.tracks and track in tracker.deleted_tracks
    assert tracker.stonesoup_track(gone_id) is None
    assert gone_id not in ids and gone_id not in table.track_id


def test_unexpected_tracks_book_no_miss_and_coasting_deletes(scene):
    tracker, table, _ = _run(scene[:10])
    rows = np.flatnonzero(table.active & table.confirmed & (table.misses == 0))
    assert rows.size >= 3
    before = (table.misses[rows].copy(), table.opportunities[rows].copy())
    t = scene[9].time_s
    tracker.coast(table, t + 5.0, expected=np.zeros(table.capacity, dtype=bool))
    np.testing.assert_array_equal(table.misses[rows], before[0])
    np.testing.assert_array_equal(table.opportunities[rows], before[1])
    ids = table.track_id[rows].copy()
    for k in range(1, SETTINGS.max_missed_steps):
        tracker.coast(table, t + 5.0 * (k + 1))
        slots = table.slots_of(ids)
        assert np.all(slots >= 0)
        np.testing.assert_array_equal(table.misses[slots], k)
    tracker.coast(table, t + 5.0 * (SETTINGS.max_missed_steps + 1))
    assert np.all(table.slots_of(ids) == -1)  # UpdateTimeStepsDeleter(max_missed_steps)
    assert not tracker.tracks


def test_a_ballistic_look_starts_tentative_tracks_with_the_ballistic_prior():
    settings = StoneSoupDefaults(initial_speed_std_mps=300.0, ballistic_initial_speed_std_mps=1e3)
    for ballistic, speed in ((False, 300.0), (True, 1000.0)):
        tracker = StoneSoupTracker(settings=settings)
        table = tracker.new_table()
        tracker.step(table, 0.0, np.zeros((1, 3)), np.eye(3)[None], ballistic=ballistic)
        chosen = tracker.ballistic_initiator if ballistic else tracker.initiator
        other = tracker.initiator if ballistic else tracker.ballistic_initiator
        (track,) = chosen.holding_tracks
        assert not other.holding_tracks
        np.testing.assert_allclose(np.diag(track.covar)[[1, 3, 5]], speed**2)


def test_one_adapter_serves_one_table():
    tracker = StoneSoupTracker()
    tracker.new_table()
    with pytest.raises(ValueError, match="one table"):
        tracker.step(TrackTable(4), 0.0, np.zeros((1, 3)), np.eye(3)[None])


def test_probabilistic_association_components_run_in_the_adapter():
    rng = np.random.default_rng(2)
    scans = simulate_scans(
        SyntheticScene(n_targets=3, n_scans=12, clutter_per_scan=0.0, detection_probability=0.95),
        rng,
    )
    parts = default_components(SETTINGS)
    updater = PDAUpdater(parts["updater"].measurement_model, gm_method=True)
    hypothesiser = PDAHypothesiser(
        parts["predictor"],
        updater,
        clutter_spatial_density=1e-15,
        prob_detect=0.95,
        prob_gate=0.999,
    )
    tracker = StoneSoupTracker(JPDA(hypothesiser), updater, settings=SETTINGS)
    _, table, _ = _run(scans, tracker)
    _, distance, near = _nearest_confirmed(table, scans[-1].truth_m, 1000.0)
    assert [hits.size for hits in near] == [1, 1, 1]
    assert np.all(distance.min(axis=0) < 500.0)


# -- a Stone Soup tracker inside a run ----------------------------------------------------------
@pytest.fixture(scope="module")
def minimal_run(tmp_path_factory):
    from iadsim.engine.simulation import Simulation
    from iadsim.scenario.loader import load_scenario

    document = yaml.safe_load(MINIMAL.read_text())
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500  # above the battery's radar horizon
    document["tracker"] = "stonesoup"
    path = tmp_path_factory.mktemp("stonesoup") / "minimal.yaml"
    path.write_text(yaml.safe_dump(document))
    scenario, catalog = load_scenario(path)
    simulation = Simulation(scenario, catalog)
    tracker = simulation.units[0].picture.tracker
    recorder = simulation.run()
    return simulation, tracker, recorder


def test_a_stonesoup_tracker_runs_a_command_post(minimal_run):
    simulation, tracker, recorder = minimal_run
    picture = simulation.units[0].picture
    assert isinstance(tracker, StoneSoupTracker)  # chosen by the scenario's `tracker:`
    assert "truth" in picture.table.extra
    tracks = recorder.snapshot_table()
    origin = {
        "origin_lat_rad": picture.lat_rad,
        "origin_lon_rad": picture.lon_rad,
        "origin_alt_m": picture.alt_m,
    }
    post = snapshots_to_ground_truth(tracks, "battery", **origin)
    truth = snapshots_to_ground_truth(tracks, **origin)["raider"]
    raider = [p for p in post.values() if p.states[0].metadata["truth"] == "raider"]
    assert raider, "the post never held a confirmed track of the raider"
    truth_at = {s.timestamp: np.ravel(s.state_vector) for s in truth.states}
    errors = [
        np.linalg.norm((np.ravel(s.state_vector) - truth_at[s.timestamp])[[0, 2, 4]])
        for path in raider
        for s in path.states
    ]
    assert max(errors) < 1000.0  # MPQ-65-class accuracy at < 60 km is tens of metres
    track_id = int(raider[0].id)
    held = tracker.stonesoup_track(track_id)
    assert held is None or held in tracker.tracks
    events = recorder.event_table().to_pydict()
    engaged = {
        tid
        for kind, tid in zip(events["kind"], events["track_id"], strict=True)
        if kind in ("engage", "launch")
    }
    assert any(int(p.id) in engaged for p in raider)


def test_default_updater_keeps_covariances_symmetric_under_precise_updates():
    # Fire-control class accuracy (1-5 m, rotated) at 1 s for 3 minutes: the short-form
    # update P - K S Kᵀ lets asymmetry grow geometrically here; Joseph form does not.
    rng = np.random.default_rng(4)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    R = q @ np.diag([4.6, 2.1, 1.1]) ** 2 @ q.T
    tracker = StoneSoupTracker()
    table = tracker.new_table(4)
    start, velocity = np.array([30e3, 20e3, 3e3]), np.array([-250.0, -100.0, 0.0])
    for k in range(180):
        z = start + velocity * k + rng.multivariate_normal(np.zeros(3), R)
        tracker.step(table, float(k), z[None], R[None])
    (track,) = tracker.tracks
    P = np.asarray(track.covar)
    assert np.abs(P - P.T).max() <= 1e-9 * np.abs(P).max()
    (slot,) = np.flatnonzero(table.active & table.confirmed)
    np.linalg.cholesky(table.covariance[slot])  # positive definite
    # an update can only shrink the position covariance below R: P_pos = (P⁻¹ + R⁻¹)⁻¹ <= R
    assert np.linalg.eigvalsh(R - table.covariance[slot, :3, :3]).min() > 0.0
