"""End-to-end GNN tracker behaviour on synthetic scenes."""

import numpy as np
import pytest

from iadsim.tracking.measurements import converted_measurement, enu_to_spherical
from iadsim.tracking.synthetic import SyntheticScene, simulate_scans
from iadsim.tracking.tracker import GnnTracker, TrackerConfig


def _run(tracker, scans, capacity=8):
    table = tracker.new_table(capacity)
    assigned = []
    for scan in scans:
        ids = tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
        assigned.append((scan.origin, ids))
    return table, assigned


@pytest.fixture(scope="module")
def scene_run():
    scene = SyntheticScene(n_targets=25, n_scans=30, clutter_per_scan=20, scan_period_s=4.0)
    scans = simulate_scans(scene, np.random.default_rng(42))
    tracker = GnnTracker(TrackerConfig(process_noise_mps2=2.0))
    table, assigned = _run(tracker, scans)
    return scans, table, assigned


def test_every_target_has_exactly_one_confirmed_track_close_to_it(scene_run):
    scans, table, _ = scene_run
    live = table.active_slots()
    confirmed = live[table.confirmed[live]]
    truth = scans[-1].truth_m
    gap = np.linalg.norm(table.state[confirmed, None, :3] - truth[None], axis=-1)
    nearest_target = gap.argmin(axis=1)
    near = gap.min(axis=1) < 500.0  # 5 sigma of the 100 m detection noise
    assert np.unique(nearest_target[near]).size == truth.shape[0]
    assert near.sum() == truth.shape[0]  # no duplicates
    # 2-of-3 confirmation with a 300 m/s velocity prior lets some clutter pairs confirm
    # (~0.02 clutter points per tentative gate here); they must stay a small minority
    assert (~near).sum() <= 0.25 * truth.shape[0]


def test_stricter_confirmation_confirms_fewer_false_tracks():
    scene = SyntheticScene(n_targets=10, n_scans=20, clutter_per_scan=60, scan_period_s=4.0)
    scans = simulate_scans(scene, np.random.default_rng(9))
    counts = []
    for m, n in ((2, 3), (4, 5)):
        tracker = GnnTracker(TrackerConfig(process_noise_mps2=2.0, confirm_m=m, confirm_n=n))
        table = tracker.new_table(64)
        total_confirmed = set()
        for scan in scans:
            tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
            total_confirmed |= set(table.track_id[table.active & table.confirmed].tolist())
        counts.append(len(total_confirmed))
    assert counts[1] < counts[0]
    assert counts[1] >= 10


def test_track_ids_are_stable_for_each_target(scene_run):
    _, _, assigned = scene_run
    ids_per_target = {}
    for origin, ids in assigned[5:]:
        for target, track_id in zip(origin[origin >= 0], ids[origin >= 0], strict=True):
            if track_id >= 0:
                ids_per_target.setdefault(int(target), set()).add(int(track_id))
    assert len(ids_per_target) == 25
    assert all(len(ids) == 1 for ids in ids_per_target.values())


def test_returned_ids_name_the_track_each_detection_updated(scene_run):
    scans, table, assigned = scene_run
    _, ids = assigned[-1]
    used = ids[ids >= 0]
    assert np.unique(used).size == used.size  # one detection per track per batch
    slots = table.slots_of(used)
    live = slots >= 0
    assert live.mean() > 0.9  # the rest were tentative tracks deleted in the same step
    # every live track named by a detection was updated (or started) at this scan
    np.testing.assert_array_equal(table.last_update_s[slots[live]], scans[-1].time_s)
    # and its state sits near that detection
    gap = np.linalg.norm(
        table.state[slots[live], :3] - scans[-1].detections_m[ids >= 0][live], axis=1
    )
    assert np.all(gap < 500.0)


def test_lost_target_is_deleted_after_max_misses_and_clutter_never_confirms():
    tracker = GnnTracker(TrackerConfig(confirm_m=2, confirm_n=3, max_misses=3))
    table = tracker.new_table(4)
    R = np.eye(3)[None] * 50.0**2
    for k in range(5):
        tracker.step(table, 4.0 * k, np.array([[1000.0 + 800.0 * k, 0.0, 5000.0]]), R)
    (slot,) = table.active_slots()
    assert table.confirmed[slot]
    track_id = table.track_id[slot]
    for k in range(5, 7):
        tracker.coast(table, 4.0 * k)
    assert table.active[slot] and table.misses[slot] == 2
    tracker.coast(table, 28.0)
    assert table.n_active == 0
    # a lone false detection opens a tentative track that dies unconfirmed
    ids = tracker.step(table, 32.0, np.array([[-50e3, 10e3, 3000.0]]), R)
    assert ids[0] > track_id
    for k in range(3):
        tracker.coast(table, 36.0 + 4.0 * k)
    assert table.n_active == 0


def test_tracks_outside_the_expected_set_book_no_miss():
    tracker = GnnTracker(TrackerConfig())
    table = tracker.new_table(4)
    R = np.eye(3)[None] * 50.0**2
    tracker.step(table, 0.0, np.array([[0.0, 0.0, 5000.0]]), R)
    expected = np.zeros(table.capacity, dtype=bool)
    for k in range(1, 6):
        tracker.step(table, 4.0 * k, np.empty((0, 3)), np.empty((0, 3, 3)), expected=expected)
    (slot,) = table.active_slots()
    assert table.misses[slot] == 0
    assert table.opportunities[slot] == 1
    assert table.time_s[slot] == 20.0


@pytest.mark.parametrize("motion_model", ["ca", "imm"])
def test_other_motion_models_hold_a_turning_target(motion_model):
    rng = np.random.default_rng(1)
    tracker = GnnTracker(TrackerConfig(motion_model=motion_model, process_noise_mps2=20.0))
    table = tracker.new_table(4)
    speed, omega, dt = 250.0, np.radians(5.0), 2.0
    sensor = np.array([-30e3, -20e3, 0.0])
    for k in range(40):
        t = k * dt
        heading = omega * max(t - 30.0, 0.0)
        arc = speed * min(t, 30.0)
        if t > 30.0:
            e = arc + speed / omega * np.sin(heading)
            n = speed / omega * (1 - np.cos(heading))
        else:
            e, n = arc, 0.0
        truth = np.array([[e, n, 7000.0]])
        r, a, el = enu_to_spherical(truth - sensor)
        sigmas = (30.0, np.radians(0.2), np.radians(0.2))
        noisy = [v + s * rng.standard_normal(1) for v, s in zip((r, a, el), sigmas, strict=True)]
        z, R = converted_measurement(*noisy, *sigmas)
        ids = tracker.step(table, t, z + sensor, R)
        if k > 3:
            assert ids[0] == 0, (k, ids)
    assert np.linalg.norm(table.state[table.active_slots()[0], :3] - truth[0]) < 300.0


def test_table_grows_past_its_initial_capacity():
    scene = SyntheticScene(n_targets=60, n_scans=4, clutter_per_scan=0, detection_probability=1)
    scans = simulate_scans(scene, np.random.default_rng(5))
    table, _ = _run(GnnTracker(), scans, capacity=2)
    assert table.capacity >= 64
    assert table.n_active == 60
    assert table.confirmed[table.active].all()


def test_an_empty_look_leaves_the_table_as_the_full_path_does():
    class FullPath(GnnTracker):  # an override turns the empty-look shortcut off
        def _associate_and_update(self, *args):
            return super()._associate_and_update(*args)

    rng = np.random.default_rng(4)
    tables = []
    for tracker in (GnnTracker(), FullPath()):
        table = tracker.new_table(8)
        z = rng.uniform(-5e4, 5e4, (4, 3))
        R = np.broadcast_to(np.eye(3) * 100.0, (4, 3, 3))
        tracker.step(table, 0.0, z, R)
        tracker.step(table, 4.0, z + 10.0, R)
        expected = np.zeros(table.capacity, dtype=bool)
        expected[table.active_slots()[:2]] = True
        for t in (8.0, 12.0, 16.0):
            ids = tracker.step(table, t, np.empty((0, 3)), np.empty((0, 3, 3)), expected)
            assert ids.shape == (0,)
        tables.append(table)
        rng = np.random.default_rng(4)
    fast, full = tables
    for name in ("active", "track_id", "confirmed", "misses", "history", "quality", "time_s"):
        assert np.array_equal(getattr(fast, name), getattr(full, name), equal_nan=True), name
    assert np.array_equal(fast.state, full.state)
    assert np.array_equal(fast.covariance, full.covariance)


@pytest.mark.parametrize("motion_model", ["cv", "ca"])
def test_the_one_call_gate_and_update_leaves_the_table_as_the_full_path_does(motion_model):
    """Looks whose gated pairs share no track or detection are gated, assigned and updated
    in one compiled call, and new tracks start in another; the tables and ids are those of
    the full path to the bit, and a scene with clutter also takes the general assignment
    on the looks that share pairs."""

    class FullPath(GnnTracker):  # an override turns the one-call paths off
        def _associate_and_update(self, *args):
            return super()._associate_and_update(*args)

    scene = SyntheticScene(n_targets=15, n_scans=12, clutter_per_scan=30, scan_period_s=4.0)
    scans = simulate_scans(scene, np.random.default_rng(21))
    config = TrackerConfig(process_noise_mps2=2.0, motion_model=motion_model)
    fast, full = GnnTracker(config), FullPath(config)
    general_looks = []

    def counted(*args):
        general_looks.append(args[1].size)
        return GnnTracker._associate_and_update(fast, *args)

    fast._associate_and_update = counted  # type: ignore[method-assign]
    fast_table, full_table = fast.new_table(4), full.new_table(4)
    for scan in scans:
        got = fast.step(fast_table, scan.time_s, scan.detections_m, scan.covariance_m2)
        want = full.step(full_table, scan.time_s, scan.detections_m, scan.covariance_m2)
        assert np.array_equal(got, want)
        for name in ("active", "track_id", "confirmed", "hits", "misses", "history"):
            assert np.array_equal(getattr(fast_table, name), getattr(full_table, name)), name
        for name in ("quality", "time_s", "last_update_s", "state", "covariance"):
            a, b = getattr(fast_table, name), getattr(full_table, name)
            assert np.array_equal(a, b, equal_nan=True), name
    assert 0 < len(general_looks) < len(scans)


def _two_looks_of_a_missile(ballistic: bool) -> tuple[GnnTracker, object]:
    """A 2 km/s missile seen twice, 10 s apart (a 10 s rotating radar), 100 m errors."""
    tracker = GnnTracker(TrackerConfig())
    table = tracker.new_table(8)
    R = np.eye(3)[None] * 100.0**2
    for t in (0.0, 10.0):
        z = np.array([[100e3 - 2000.0 * t, 50e3, 30e3]])
        tracker.step(table, t, z, R, ballistic=ballistic)
    return tracker, table


def test_a_ballistic_radar_starts_tracks_that_catch_a_2_km_s_missile_at_the_next_look():
    """Velocity prior 1,000 m/s: 20 km in 10 s is 2 sigma, inside the 0.999 gate (chi-square
    3 dof: 16.3); with the aircraft prior of 300 m/s it is 6.7 sigma, outside, and the second
    detection starts a second track instead."""
    _, table = _two_looks_of_a_missile(ballistic=True)
    assert table.n_active == 1
    slot = table.active_slots()[0]
    assert table.hits[slot] == 2
    np.testing.assert_allclose(table.state[slot, 3], -2000.0, rtol=0.05)
    _, table = _two_looks_of_a_missile(ballistic=False)
    assert table.n_active == 2 and table.hits[table.active_slots()].tolist() == [1, 1]


def test_new_tracks_take_the_velocity_prior_of_the_radar_that_started_them():
    config = TrackerConfig()
    for ballistic, speed in ((True, config.ballistic_initial_speed_std_mps),
                             (False, config.initial_speed_std_mps)):  # fmt: skip
        tracker = GnnTracker(config)
        table = tracker.new_table(4)
        tracker.step(table, 0.0, np.zeros((1, 3)), np.eye(3)[None], ballistic=ballistic)
        slot = table.active_slots()[0]
        np.testing.assert_allclose(np.diag(table.covariance[slot])[3:], speed**2)


def test_expected_as_a_function_is_asked_only_about_undetected_tracks():
    """A function of slots gives the tables a mask gives, and is never asked about a track
    that a detection of the look updated."""
    scene = SyntheticScene(n_targets=10, n_scans=12, clutter_per_scan=5, scan_period_s=4.0)
    scans = simulate_scans(scene, np.random.default_rng(7))
    mask_rng = np.random.default_rng(3)
    masks = [mask_rng.random(64) < 0.5 for _ in scans]
    tables = []
    for lazy in (False, True):
        tracker = GnnTracker(TrackerConfig(process_noise_mps2=2.0))
        table = tracker.new_table(64)
        for scan, mask in zip(scans, masks, strict=True):
            asked = []

            def expected(slots, mask=mask, asked=asked):
                asked.append(slots.copy())
                return mask[slots]

            ids = tracker.step(
                table,
                scan.time_s,
                scan.detections_m,
                scan.covariance_m2,
                expected if lazy else mask,
            )
            if lazy and asked:
                updated = table.slots_of(ids[ids >= 0])
                assert not np.isin(asked[0], updated).any()
                assert len(asked) == 1
        tables.append(table)
    by_mask, by_function = tables
    for name in ("active", "track_id", "confirmed", "misses", "history", "quality", "time_s"):
        assert np.array_equal(getattr(by_mask, name), getattr(by_function, name), equal_nan=True), (
            name
        )
    assert np.array_equal(by_mask.state, by_function.state)
    assert by_mask.misses.sum() > 0  # the masks mattered
