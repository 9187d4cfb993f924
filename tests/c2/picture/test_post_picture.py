"""One step of a command post's picture: a radar's scan fed to the post's tracker.

Geometry is checked against pymap3d (independent of iadsim.geo): a detection made by a radar
away from the post lands, in the post's frame, where pymap3d puts the target.
"""

from __future__ import annotations

import numpy as np
import pymap3d
import pytest
from tests.sensors.radar_fixtures import SITE, make_radar

from iadsim.c2.picture.identification import Identity
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.core.registry import TRACKERS
from iadsim.engine.world import TRACKER_CONFIG
from iadsim.sensors.detections import DetectionBatch

POST = (39.41, 33.0, 900.0)  # about 10 km south of the radar


def _picture(fire_control=frozenset()) -> CommandPostPicture:
    lat, lon, alt = POST
    tracker = TRACKERS.get("gnn")(TRACKER_CONFIG)
    return CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, tracker, frozenset(fire_control)
    )


def _batch(time_s, az_deg, el_deg, range_m, truth, sigma_range_m=1.0, sigma_angle_rad=1e-5):
    n = len(truth)
    return DetectionBatch(
        time_s,
        np.zeros(n, dtype=np.int64),
        np.asarray(truth, dtype=np.int64),
        np.asarray(range_m, float),
        np.radians(az_deg),
        np.radians(el_deg),
        np.full(n, sigma_range_m),
        np.full(n, sigma_angle_rad),
        np.full(n, sigma_angle_rad),
        np.full(n, 20.0),
        np.full(n, np.nan),
        np.full(n, np.nan),
    )


def test_a_detection_starts_a_track_where_pymap3d_puts_the_target_in_the_post_frame():
    picture = _picture()
    radar = make_radar()
    az, el, rng = 45.0, 2.0, 60_000.0
    ids = picture.ingest(radar, _batch(0.0, [az], [el], [rng], [7]), 0.0)
    assert ids.shape == (1,) and ids[0] >= 0
    slot = picture.table.slots_of(ids)[0]
    x, y, z = pymap3d.aer2ecef(az, el, rng, *SITE)
    expected = pymap3d.ecef2enu(x, y, z, *POST)
    # Measurement errors of 1 m and 10 microradians (0.6 m at 60 km): within a few metres.
    np.testing.assert_allclose(picture.table.state[slot, :3], expected, atol=3.0)
    np.testing.assert_allclose(picture.positions_ecef_m(np.array([slot]))[0], (x, y, z), atol=3.0)


def test_new_tracks_take_the_truth_of_their_detection_and_start_pending_and_unconfirmed():
    picture = _picture()
    ids = picture.ingest(
        make_radar(), _batch(0.0, [10.0, 200.0], [1.0, 3.0], [50e3, 80e3], [3, -1]), 0.0
    )
    slots = picture.table.slots_of(ids)
    assert picture.column("truth")[slots].tolist() == [3, -1]  # -1: a false alarm
    assert np.all(picture.column("identity")[slots] == Identity.PENDING)
    assert not picture.table.confirmed[slots].any()
    assert picture.confirmed_slots().size == 0


def test_only_a_fire_control_radar_stamps_fire_control_freshness():
    surveillance, fire_control = _picture(), _picture(fire_control={0})
    batch = _batch(5.0, [10.0], [1.0], [50e3], [3])
    s = surveillance.table.slots_of(surveillance.ingest(make_radar(), batch, 5.0))
    f = fire_control.table.slots_of(fire_control.ingest(make_radar(), batch, 5.0))
    assert surveillance.column("fc_seen_s")[s].tolist() == [-np.inf]
    assert fire_control.column("fc_seen_s")[f].tolist() == [5.0]


def test_repeated_detections_confirm_one_track_that_keeps_its_id():
    """A target 60 km out flying north at 200 m/s, seen every 10 s: one track, confirmed by
    the tracker's M-of-N rule, always the same id."""
    picture = _picture()
    radar = make_radar()
    x0, y0, z0 = 0.0, 60e3, 1000.0  # in the radar's ENU frame, m
    ids = []
    for k in range(TRACKER_CONFIG.confirm_n):
        t = 10.0 * k
        az, el, rng = pymap3d.enu2aer(x0, y0 + 200.0 * t, z0)
        ids.append(int(picture.ingest(radar, _batch(t, [az], [el], [rng], [1]), t)[0]))
    assert len(set(ids)) == 1
    slot = picture.table.slots_of(np.array(ids[:1]))[0]
    assert picture.table.confirmed[slot]
    assert picture.confirmed_slots().tolist() == [slot]


def _confirmed_track(picture, radar):
    """Feed a target 60 km north until the tracker confirms it; returns its id."""
    for k in range(TRACKER_CONFIG.confirm_n):
        t = 10.0 * k
        az, el, rng = pymap3d.enu2aer(0.0, 60e3 + 200.0 * t, 1000.0)
        track_id = int(picture.ingest(radar, _batch(t, [az], [el], [rng], [1]), t)[0])
    return track_id


def test_a_dropped_track_leaves_the_confirmed_slots_and_counts_as_a_change():
    picture = _picture()
    track_id = _confirmed_track(picture, make_radar())
    held = picture.confirmed_slots()
    assert held.size == 1 and picture.confirmed_slots() is held  # kept while unchanged
    changes = picture.changes
    picture.drop(track_id)
    assert picture.changes == changes + 1 and picture.confirmed_slots().size == 0
    picture.drop(track_id)  # no longer held: nothing to delete, nothing changed
    assert picture.changes == changes + 1


def test_a_pruned_track_leaves_the_confirmed_slots():
    picture = _picture()
    radar = make_radar()
    _confirmed_track(picture, radar)
    assert picture.confirmed_slots().size == 1
    picture.prune(1e4)  # long silent: stale
    assert picture.table.n_active == 0 and picture.confirmed_slots().size == 0


def test_an_empty_scan_where_no_track_is_changes_nothing():
    picture = _picture()
    ids = picture.ingest(make_radar(), _batch(0.0, [], [], [], []), 0.0)
    assert ids.size == 0 and picture.table.n_active == 0


@pytest.mark.parametrize(("range_m", "expected"), [(60e3, True), (600e3, False)])
def test_a_track_is_expected_in_a_look_only_inside_the_radars_volume(range_m, expected):
    """Misses are booked only where the radar could have seen the track."""
    picture = _picture()
    radar = make_radar()
    picture.ingest(radar, _batch(0.0, [30.0], [1.0], [range_m], [1]), 0.0)
    assert picture._expected(radar, None, 0.0)[picture.table.active_slots()].tolist() == [expected]


def _coast(picture, radar, times_s):
    """Empty looks of ``radar`` at ``times_s``, each followed by the step's prune as the
    engine does; returns the live track ids after each."""
    alive = []
    for t in times_s:
        picture.ingest(radar, _batch(t, [], [], [], []), t)
        picture.prune(t)
        alive.append(picture.table.track_id[picture.table.active_slots()].tolist())
    return alive


def test_a_track_no_radar_looks_at_is_deleted_after_k_revisits_without_detection():
    """A confirmed track that leaves the radar's volume books no miss (its tracker never
    hears of it) yet goes after coast_revisits revisits (10 s radar: 40 s by default)."""
    picture = _picture()
    radar = make_radar()
    x0, y0, z0 = 0.0, 445e3, 12e3  # out of the 450 km volume at the third look
    for k in range(3):
        t = 10.0 * k
        az, el, rng = pymap3d.enu2aer(x0, y0 + 300.0 * t, z0)
        picture.ingest(radar, _batch(t, [az], [el], [rng], [1]), t)
    slot = picture.confirmed_slots()
    assert slot.size == 1 and picture.column("revisit_s")[slot].tolist() == [10.0]
    assert not picture._expected(radar, None, 20.0)[slot].any()  # outside the volume: no misses
    limit = picture.pruning.coast_revisits * 10.0
    alive = _coast(picture, radar, [20.0 + limit, 20.0 + limit + 1.0])
    assert alive[0] and not alive[1]  # kept at 20 s + 40 s, gone a second later


def test_a_track_diving_under_the_terrain_is_deleted_though_it_is_not_stale():
    """A plateau at 2,000 m under a track heading down at 300 m/s from 2,600 m: the track is
    deleted once it is more than the tolerance plus 3 sigma under the plateau."""
    from iadsim.geo.terrain import ElevationGrid

    plateau = ElevationGrid(
        np.radians(38.0), np.radians(32.0), np.radians(0.5), np.radians(0.5),
        np.full((5, 5), 2000.0), "test plateau",
    )  # fmt: skip
    lat, lon, alt = POST
    picture = CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, TRACKERS.get("gnn")(TRACKER_CONFIG),
        frozenset(), plateau,
    )  # fmt: skip
    radar = make_radar()
    x0, y0, z0 = 0.0, 30e3, 2600.0  # radar frame; the ground there is about 2,000 m AMSL
    for k in range(4):  # precise looks every 2 s: a firm vertical velocity of -300 m/s
        t = 2.0 * k
        az, el, rng = pymap3d.enu2aer(x0, y0, z0 - 300.0 * t)
        picture.ingest(radar, _batch(t, [az], [el], [rng], [1]), t)
    slot = picture.confirmed_slots()
    assert slot.size == 1
    np.testing.assert_allclose(picture.table.state[slot[0], 5], -300.0, atol=5.0)
    picture.prune(8.0)  # 2,600 - 2,400 = 200 m ASL at 8 s: under ground, but 2 s old
    assert picture.table.n_active == 0


def test_the_coast_limit_follows_the_slowest_radar_that_updated_the_track():
    picture = _picture()
    fast, slow = make_radar(revisit_s=2.0), make_radar(revisit_s=10.0)
    ids = picture.ingest(fast, _batch(0.0, [10.0], [1.0], [50e3], [3]), 0.0)
    slot = picture.table.slots_of(ids)
    assert picture.column("revisit_s")[slot].tolist() == [2.0]
    picture.ingest(slow, _batch(1.0, [10.0], [1.0], [50e3], [3]), 1.0)
    assert picture.column("revisit_s")[slot].tolist() == [10.0]


@pytest.mark.parametrize(("climb_mps", "kept"), [(0.0, True), (-300.0, False)])
def test_a_silent_track_under_ground_goes_only_if_it_is_diving(climb_mps, kept):
    """1 km under the ellipsoid (no terrain) with sigma_up 800 m, 15 s after its last
    detection by a 10 s radar: a level track keeps the benefit of its spread (-1000 + 2400
    >= -150), a track diving at 300 m/s (sigma 10 m/s) does not (-1000 < -150)."""
    picture = _picture()
    ids = picture.ingest(make_radar(), _batch(0.0, [10.0], [1.0], [50e3], [3]), 0.0)
    slot = picture.table.slots_of(ids)[0]
    table = picture.table
    # Put the track 1 km under the ellipsoid at 50 km, at 15 s, moving as stated.
    up = picture.rotation @ np.array(pymap3d.enu2uvw(0.0, 0.0, 1.0, *np.array(POST[:2])))
    table.state[slot, :3] = np.array(pymap3d.geodetic2enu(POST[0] + 0.4, POST[1], -1000.0, *POST))
    table.state[slot, 3:6] = climb_mps * up
    table.covariance[slot] = np.diag([50.0**2, 50.0**2, 800.0**2, 10.0**2, 10.0**2, 10.0**2])
    table.time_s[slot] = 15.0
    picture.prune(15.0)
    assert bool(table.active[slot]) == kept


def _ridge_grid(height_m: float):
    """Flat ground at 0 m over 39-40.5 N, 32-34 E with a ridge of ``height_m`` over
    39.75-39.80 N (about 28-33 km north of the radar at 39.5 N)."""
    from iadsim.geo.terrain import ElevationGrid

    heights = np.zeros((151, 201))
    heights[75:81, :] = height_m
    return ElevationGrid(
        np.radians(39.0), np.radians(32.0), np.radians(0.01), np.radians(0.01), heights, "ridge"
    )


@pytest.mark.parametrize(("ridge_m", "expected"), [(0.0, True), (3000.0, False)])
def test_a_track_behind_a_ridge_is_not_expected_so_books_no_miss(ridge_m, expected):
    """A track 60 km north at 1,000 m: seen over flat ground, masked by a 3,000 m ridge at
    30 km (the ray passes about 500 m over it only if the ridge is under 500 m)."""
    lat, lon, alt = POST
    picture = CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, TRACKERS.get("gnn")(TRACKER_CONFIG),
        frozenset(), _ridge_grid(ridge_m),
    )  # fmt: skip
    radar = make_radar()
    az, el, rng = pymap3d.enu2aer(0.0, 60e3, 1000.0)
    picture.ingest(radar, _batch(0.0, [az], [el], [rng], [1]), 0.0)
    slots = picture.table.active_slots()
    assert picture._expected(radar, None, 0.0)[slots].tolist() == [expected]


def test_a_coasting_track_is_predicted_from_its_own_epoch_not_twice_from_its_last_update():
    """Detected at 0 and 10 s flying north at 200 m/s, then coasted through an empty look
    at 20 s: predicted to 25 s it is 5 s ahead of its 20 s state, not 15 s."""
    picture = _picture()
    radar = make_radar()
    for t in (0.0, 10.0):
        az, el, rng = pymap3d.enu2aer(0.0, 60e3 + 200.0 * t, 3000.0)
        picture.ingest(radar, _batch(t, [az], [el], [rng], [1]), t)
    picture.ingest(radar, _batch(20.0, [], [], [], []), 20.0)
    slot = picture.table.active_slots()
    assert picture.table.last_update_s[slot].tolist() == [10.0]
    assert picture.table.time_s[slot].tolist() == [20.0]
    x, y, z = pymap3d.enu2ecef(0.0, 60e3 + 200.0 * 25.0, 3000.0, *SITE)
    predicted = picture.predicted_positions_ecef_m(slot, 25.0)[0]
    assert np.linalg.norm(predicted - (x, y, z)) < 500.0  # 15 s too far would be 3 km
    held = picture.table.state[slot[0]]
    in_frame = held[:3] + 5.0 * held[3:6]
    np.testing.assert_allclose(predicted, pymap3d.enu2ecef(*in_frame, *POST), atol=1e-3)


@pytest.mark.parametrize("tracker", ["gnn", "imm"])
def test_a_level_track_under_the_plateau_is_raised_onto_it_not_left_below(tracker):
    """A level track 500 m under a 2,000 m plateau with sigma_up 800 m is not deleted (its
    spread covers the depth) but held on the plateau; a track above it is not touched."""
    from iadsim.geo.terrain import ElevationGrid

    plateau = ElevationGrid(
        np.radians(38.0), np.radians(32.0), np.radians(0.5), np.radians(0.5),
        np.full((5, 5), 2000.0), "test plateau",
    )  # fmt: skip
    lat, lon, alt = POST
    picture = CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, TRACKERS.get(tracker)(TRACKER_CONFIG),
        frozenset(), plateau,
    )  # fmt: skip
    ids = picture.ingest(
        make_radar(), _batch(0.0, [10.0, 50.0], [1.0, 1.0], [50e3, 50e3], [3, 4]), 0.0
    )
    slots = picture.table.slots_of(ids)
    table = picture.table
    target = (POST[0] + 0.4, POST[1])
    for slot, height in zip(slots, (1500.0, 2600.0), strict=True):
        table.state[slot, :3] = np.array(pymap3d.geodetic2enu(*target, height, *POST))
        table.state[slot, 3:6] = (150.0, 0.0, 0.0)
        table.covariance[slot] = np.diag([50.0, 50.0, 800.0, 10.0, 10.0, 10.0]) ** 2
        if tracker == "imm":
            table.extra["imm_state"][slot] = table.state[slot]
            table.extra["imm_covariance"][slot] = table.covariance[slot]
    before = table.state[slots[1]].copy()
    picture.prune(0.0)
    assert table.active[slots].all()
    _, _, heights = pymap3d.ecef2geodetic(*picture.positions_ecef_m(slots).T)
    np.testing.assert_allclose(heights, [2000.0, 2600.0], atol=1.0)
    np.testing.assert_array_equal(table.state[slots[1]], before)
    assert np.sqrt(table.covariance[slots[0], 2, 2]) < 100.0  # the floor's error, not 800 m


@pytest.mark.parametrize(("silent_s", "kept"), [(5.0, True), (15.0, False)])
def test_a_diving_track_that_meets_the_terrain_in_silence_is_an_impact_not_raised(silent_s, kept):
    """Diving at 100 m/s (sigma 5 m/s), 50 m under the ellipsoid (no terrain), too shallow
    for the 150 m under-ground rule: raised while its 10 s radar may still see it, deleted
    once a whole revisit has passed without a detection."""
    picture = _picture()
    ids = picture.ingest(make_radar(), _batch(0.0, [10.0], [1.0], [50e3], [3]), 0.0)
    slot = picture.table.slots_of(ids)[0]
    table = picture.table
    up = picture.rotation @ np.array(pymap3d.enu2uvw(0.0, 0.0, 1.0, POST[0] + 0.4, POST[1]))
    table.state[slot, :3] = np.array(pymap3d.geodetic2enu(POST[0] + 0.4, POST[1], -50.0, *POST))
    table.state[slot, 3:6] = -100.0 * up
    table.covariance[slot] = np.diag([50.0, 50.0, 100.0, 5.0, 5.0, 5.0]) ** 2
    table.time_s[slot] = silent_s
    deleted = picture.prune(silent_s)
    assert bool(table.active[slot]) == kept
    assert (ids[0] in deleted) != kept
    if kept:
        _, _, height = pymap3d.ecef2geodetic(*picture.positions_ecef_m(np.array([slot]))[0])
        assert height == pytest.approx(0.0, abs=0.1)


def _points_around(rng, n, extra_aer=(), el_deg=(-3.0, 30.0)):
    """ECEF points at random azimuths, elevations and ranges from the test radar's site, the
    ``(az_deg, el_deg, range_m)`` of ``extra_aer`` appended (edges, points over the radar)."""
    lat, lon, alt = SITE
    az = np.concatenate([rng.uniform(0.0, 360.0, n), [a for a, _, _ in extra_aer]])
    el = np.concatenate([rng.uniform(*el_deg, n), [e for _, e, _ in extra_aer]])
    rng_m = np.concatenate(
        [rng.uniform(10.0, 5e5, n - 4), [1.0, 0.5, 200.0, 900.0], [r for _, _, r in extra_aer]]
    )
    x, y, z = pymap3d.aer2ecef(az, el, rng_m, lat, lon, alt)
    return np.column_stack([x, y, z])


def _assert_keeps_what_the_look_sees(radar, look, points):
    """The pre-test keeps every point Radar.in_view sees, and some are seen; returns the
    number of points it drops."""
    from iadsim.c2.picture.look_pretest import look_candidates

    rows = look_candidates(radar, look, points)
    seen = radar.in_view(points, look)
    assert seen.sum() >= 3
    assert np.isin(np.flatnonzero(seen), rows).all()
    return len(points) - rows.size


def test_the_look_pre_test_keeps_every_point_a_sweep_can_see_and_drops_the_others():
    """Checked against Radar.in_view itself: no point it sees is left out, including points
    on the sweep's edges and right over the radar, and points far off the sweep are."""
    from iadsim.sensors.scan_pattern import AzimuthInterval

    radar = make_radar()
    rng = np.random.default_rng(11)
    for start_deg in (0.0, 45.0, 350.0, 359.9):
        look = AzimuthInterval(np.radians(start_deg), np.radians(36.0))
        edges = np.degrees([look.start_rad, look.start_rad + look.extent_rad]) % 360.0
        points = _points_around(rng, 400, [(a, 1.0, 5e4) for a in edges])
        # A 36 degree sweep leaves most of the circle out.
        assert _assert_keeps_what_the_look_sees(radar, look, points) > 200
    # The whole circle: only the volume is tested (range, elevation).
    points = _points_around(rng, 400)
    assert _assert_keeps_what_the_look_sees(radar, AzimuthInterval(0.0, 2 * np.pi), points) > 0
    assert _assert_keeps_what_the_look_sees(radar, None, points) > 0


def test_the_look_pre_test_keeps_every_point_a_raster_and_its_track_dwells_can_see():
    """An electronically scanned sector radar: a share of its search frame, with and without
    track dwells, against Radar.in_view; points on the sector's edges and on and just
    inside the beams' edges are kept, and most points off the look are dropped."""
    from iadsim.sensors.timeline import RasterLook
    from iadsim.sensors.track_dwells import BeamLook, SearchAndTrackLook

    radar = make_radar(
        facing_deg=30.0, scan_mode="electronic", azimuth_coverage_deg=120.0, beamwidth_deg=2.0
    )
    raster = radar.search_raster
    assert raster is not None
    rng = np.random.default_rng(12)
    beam_az, beam_el = np.radians([20.0, 60.0, 350.0]), np.radians([3.0, 10.0, 0.5])
    width = radar.spec.beamwidth_rad
    beams = BeamLook(beam_az, beam_el, width, 0.0)
    on_beams = [
        (np.degrees(a + da), np.degrees(e), 1e5)
        for a, e in zip(beam_az, beam_el, strict=True)
        for da in (0.0, 0.999 * width, -0.999 * width)
    ]
    sector_edges = [(-30.0, 5.0, 1e5), (90.0, 5.0, 1e5)]
    for start, extent in ((0.3, 0.05), (0.5, 0.1), (0.95, 0.1), (0.2, 1.0)):
        search = RasterLook(raster, start, extent)
        points = _points_around(rng, 2000, on_beams + sector_edges, el_deg=(-5.0, 75.0))
        search_only = _assert_keeps_what_the_look_sees(radar, search, points)
        both = _assert_keeps_what_the_look_sees(radar, SearchAndTrackLook(search, beams), points)
        assert search_only >= both > (1000 if extent < 0.5 else 0)


def test_the_expected_tracks_of_a_sweep_are_could_sees_answer_on_every_track():
    """The pre-test only saves work: the picture's expected mask for a rotating beam's look
    is could_see on every live track's predicted position, bit for bit."""
    from iadsim.sensors.scan_pattern import AzimuthInterval
    from iadsim.sensors.visibility import could_see

    picture = _picture()
    radar = make_radar()
    az = np.arange(0.0, 360.0, 7.5)
    picture.ingest(radar, _batch(0.0, az, np.full(az.size, 2.0), np.full(az.size, 8e4), az), 0.0)
    slots = picture.table.active_slots()
    assert slots.size == az.size
    for start_deg in (350.0, 0.0, 20.0, 100.0):
        look = AzimuthInterval(np.radians(start_deg), np.radians(36.0))
        expected = picture._expected(radar, look, 4.0)
        points = picture.predicted_positions_ecef_m(slots, 4.0)
        assert np.array_equal(expected[slots], could_see(radar, points, look, None))
        assert expected.sum() >= 1


@pytest.mark.parametrize("terrain", [False, True])
def test_the_compiled_under_terrain_test_is_its_numpy_twin_to_the_bit(terrain):
    """Tracks around the post, some under the ground as held, some only when extrapolated,
    some with an epoch after now (never extrapolated backwards), some far above: the
    picture's compiled test picks the same slots as its NumPy twin."""
    from iadsim.c2.picture.terrain_below import below_terrain_reference

    grid = _ridge_grid(800.0) if terrain else None
    lat, lon, alt = POST
    picture = CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, TRACKERS.get("gnn")(TRACKER_CONFIG),
        frozenset(), grid,
    )  # fmt: skip
    table = picture.table
    rng = np.random.default_rng(5)
    capacity = table.capacity
    table.state[:, :2] = rng.uniform(-8e4, 8e4, (capacity, 2))
    table.state[:, 2] = rng.uniform(-2000.0, 6000.0, capacity)
    table.state[:, 3:6] = rng.normal(0.0, 150.0, (capacity, 3))
    table.time_s[:] = rng.uniform(90.0, 110.0, capacity)
    slots = np.sort(rng.choice(capacity, 200, replace=False))
    expected = below_terrain_reference(
        table.state, table.time_s, slots, 100.0, picture.frame, grid, picture._low_limit_m
    )
    assert 10 < expected.size < 190
    np.testing.assert_array_equal(picture._below_terrain(slots, 100.0), expected)


def test_the_pre_tests_candidates_in_ecef_are_the_predicted_positions_to_the_bit():
    """The compiled pre-test of a post's tracks returns the candidate rows less the tracks
    with a jammer fix, and their positions as predicted_positions_ecef_m gives them."""
    from iadsim.c2.picture.look_pretest import LookPretest
    from iadsim.sensors.scan_pattern import AzimuthInterval

    picture = _picture()
    radar = make_radar()
    table = picture.table
    rng = np.random.default_rng(6)
    capacity = table.capacity
    table.state[:, :2] = rng.uniform(-2e5, 2e5, (capacity, 2))
    table.state[:, 2] = rng.uniform(-500.0, 12000.0, capacity)
    table.state[:, 3:6] = rng.normal(0.0, 250.0, (capacity, 3))
    table.time_s[:] = rng.uniform(90.0, 110.0, capacity)
    jammer_fix_s = np.full(capacity, -np.inf)
    jammer_fix_s[rng.choice(capacity, 40, replace=False)] = 95.0
    slots = np.sort(rng.choice(capacity, 200, replace=False))
    pretest = LookPretest()
    for look in (AzimuthInterval(1.0, 2.0), None):
        rows, points = pretest.candidates_in_ecef(
            radar, look, table.state, table.time_s, slots, 100.0, picture.frame, jammer_fix_s
        )
        candidates = pretest.candidate_rows(
            radar, look, table.state, table.time_s, slots, 100.0, picture.frame
        )
        want = candidates[~np.isfinite(jammer_fix_s[slots[candidates]])]
        assert 10 < rows.size < candidates.size
        np.testing.assert_array_equal(rows, want)
        np.testing.assert_array_equal(
            points, picture.predicted_positions_ecef_m(slots[rows], 100.0)
        )


@pytest.mark.parametrize("terrain", [False, True])
def test_the_compiled_geodetic_positions_and_ground_are_numpys_to_the_bit(terrain):
    """Tracks held around the post: their geodetic positions and the surface under them, in
    one compiled call, are ecef_to_lla of positions_ecef_m and surface_height_m there."""
    from iadsim.geo.frames import ecef_to_lla

    grid = _ridge_grid(800.0) if terrain else None
    lat, lon, alt = POST
    picture = CommandPostPicture(
        "post", np.radians(lat), np.radians(lon), alt, TRACKERS.get("gnn")(TRACKER_CONFIG),
        frozenset(), grid,
    )  # fmt: skip
    table = picture.table
    rng = np.random.default_rng(7)
    table.state[:, :2] = rng.uniform(-8e4, 8e4, (table.capacity, 2))
    table.state[:, 2] = rng.uniform(-2000.0, 6000.0, table.capacity)
    slots = np.sort(rng.choice(table.capacity, 200, replace=False))
    got = picture._geodetic_and_ground(slots)
    want = ecef_to_lla(picture.positions_ecef_m(slots))
    ground = np.zeros(slots.size) if grid is None else grid.surface_height_m(want[0], want[1])
    for value, expected in zip(got, (*want, ground), strict=True):
        np.testing.assert_array_equal(value, expected)
    assert (ground > 0.0).any() == terrain
