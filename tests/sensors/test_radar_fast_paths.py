"""The sensing shortcuts change no result: an empty look draws only its false alarms, the
horizon kept per radar equals the geo function, a moved radar is a new radar, and the
clutter, knife-edge and clear-air effects skip their work only where it gives no loss
(bit for bit)."""

from __future__ import annotations

import dataclasses

import numpy as np
from tests.sensors.radar_fixtures import make_radar, targets_at

from iadsim.core.contracts import RadarPaths
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.geo.line_of_sight import radar_horizon_range_m
from iadsim.sensors import chain
from iadsim.sensors.clutter import (
    GroundClutter,
    beyond_clutter_horizon,
    grazing_and_depression_rad,
)
from iadsim.sensors.diffraction import (
    KNIFE_EDGE_MIN_V,
    TerrainDiffraction,
    fresnel_kirchhoff_parameter,
    knife_edge_loss_db,
)
from iadsim.sensors.radar_equation import (
    INSIDE_REFERENCE_SHARE,
    ClearAirAttenuation,
    atmospheric_loss_db,
)
from iadsim.sensors.radar_view import coverage
from iadsim.sensors.scan_pattern import AzimuthInterval


def test_an_empty_look_advances_the_stream_exactly_as_the_poisson_draw_alone():
    # False alarms in most looks (about 30 in this one), under the catalog's cap of 1,000
    # per full scan (MAX_FALSE_ALARMS_PER_SCAN).
    radar = make_radar(reference_pfa=1e-3, range_resolution_m=300.0)
    targets = targets_at([10.0, 200.0], [2.0, 3.0], [100e3, 150e3])
    look = AzimuthInterval(np.radians(90.0), np.radians(20.0))  # holds neither target
    for seed in range(20):
        rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
        visible, aer = radar.in_coverage(targets, look)
        assert not visible.any()
        batch = radar.detect(targets, aer, visible, 5.0, rng, look)
        # the old sequence: zero-sized detection draws, then the alarms
        twin.random(0)
        twin.standard_normal((4, 0))
        alarms = radar.false_alarms(5.0, twin, look)
        assert rng.bit_generator.state == twin.bit_generator.state
        np.testing.assert_array_equal(batch.az_rad, alarms.az_rad)
        assert batch.look == look
    assert radar.detect(targets, aer, visible, 5.0, rng, None).look is None


def test_horizon_kept_per_radar_equals_the_geo_function():
    radar = make_radar()
    alt_m = np.array([-20.0, 0.0, 150.0, 3000.0, 12000.0])
    expected = radar_horizon_range_m(radar.alt_m, np.maximum(alt_m, 0.0), radar.k_factor)
    np.testing.assert_array_equal(radar.horizon_range_m(alt_m), expected)


def test_cached_rotation_equals_enu_rotation():
    radar = make_radar()
    np.testing.assert_array_equal(radar.rotation, enu_rotation(radar.lat_rad, radar.lon_rad))


def test_moved_radar_is_the_radar_built_at_the_new_position():
    radar = make_radar()
    radar.in_coverage(targets_at(10.0, 2.0, 100e3))  # fill the caches
    lat, lon, alt = radar.lat_rad + 0.01, radar.lon_rad - 0.02, 9000.0
    moved = radar.moved(lat, lon, alt, [200.0, 0.0, 0.0])
    fresh = dataclasses.replace(
        radar, lat_rad=lat, lon_rad=lon, alt_m=alt, vel_ecef_mps=np.array([200.0, 0.0, 0.0])
    )
    np.testing.assert_array_equal(moved.pos_ecef_m, lla_to_ecef(lat, lon, alt))
    np.testing.assert_array_equal(moved.rotation, fresh.rotation)
    assert moved._horizon_terms == fresh._horizon_terms
    # placed at once by moved(): the bits of the fresh radar's cached properties
    assert moved._view_constants.tobytes() == fresh._view_constants.tobytes()
    assert moved.pos_ecef_m.tobytes() == fresh.pos_ecef_m.tobytes()
    assert moved.reference_snr_db == fresh.reference_snr_db
    targets = targets_at([10.0, 120.0], [2.0, 1.0], [100e3, 300e3])
    for got, want in zip(moved.in_coverage(targets), fresh.in_coverage(targets), strict=True):
        np.testing.assert_array_equal(got, want)


def test_coverage_of_several_radars_equals_each_radar_alone():
    rng = np.random.default_rng(7)
    n = 200
    targets = targets_at(
        rng.uniform(0.0, 360.0, n), rng.uniform(-6.0, 75.0, n), rng.uniform(1e3, 5e5, n)
    )
    radars = [
        make_radar(),
        make_radar(facing_deg=120.0, azimuth_coverage_deg=90.0, max_range_m=200_000.0),
        dataclasses.replace(make_radar(), alt_m=4_000.0, k_factor=1.2),
    ]
    looks = [AzimuthInterval(np.radians(30.0), np.radians(70.0)), None, None]
    visible, aer = coverage(radars, targets, looks)
    assert 0 < visible.sum() < visible.size
    for row, (radar, look) in enumerate(zip(radars, looks, strict=True)):
        alone_visible, alone_aer = coverage([radar], targets, [look])
        np.testing.assert_array_equal(visible[row], alone_visible[0])
        np.testing.assert_array_equal(aer[row], alone_aer[0])


def _full_clutter_change_db(paths):
    """The clutter effect without its beyond-the-horizon shortcut."""
    cnr_db = GroundClutter().clutter_to_noise_db(paths)
    return -10.0 * np.log10(1.0 + 10.0 ** (cnr_db / 10.0))


def test_the_clutter_horizon_shortcut_sits_at_the_textbook_horizon_distance():
    """Ground is in a range cell out to the 4/3-earth horizon distance
    ``sqrt(2 R_e h + h^2)`` (Skolnik 2001, eq. 8.1 geometry), and not beyond it."""
    radius = 4.0 / 3.0 * 6_378_137.0
    for h_m in (7.0, 39.0, 9_000.0):
        horizon_m = np.sqrt(2.0 * radius * h_m + h_m * h_m)
        assert not beyond_clutter_horizon(h_m, np.array([50.0, horizon_m * (1.0 - 1e-6)]))
        assert beyond_clutter_horizon(h_m, np.array([horizon_m * (1.0 + 1e-6), 1e6]))
        grazing, _ = grazing_and_depression_rad(h_m, np.array([horizon_m * (1.0 + 1e-6)]))
        assert grazing[0] < 0.0


def test_the_clutter_and_knife_edge_shortcuts_give_the_full_computation_bit_for_bit():
    radar = make_radar(antenna_height_m=30.0)
    rng = np.random.default_rng(3)
    n = 50
    aer = np.column_stack(
        [rng.uniform(0.0, 6.0, n), rng.uniform(-0.01, 0.3, n), rng.uniform(30e3, 300e3, n)]
    )
    paths = chain.paths_from_aer(radar, aer)
    assert beyond_clutter_horizon(radar.antenna_height_agl_m, paths.range_m)
    got = GroundClutter().snr_change_db(paths)
    want = _full_clutter_change_db(paths)
    assert got.tobytes() == want.tobytes()  # -0.0 included
    near = chain.paths_from_aer(radar, np.vstack([aer, [[0.0, -0.002, 5e3]]]))
    np.testing.assert_array_equal(
        GroundClutter().snr_change_db(near), _full_clutter_change_db(near)
    )
    clear = dataclasses.replace(
        paths,
        obstacle_height_m=rng.uniform(-2000.0, -500.0, n),
        obstacle_d1_m=np.full(n, 40e3),
        obstacle_d2_m=np.full(n, 60e3),
    )
    v = fresnel_kirchhoff_parameter(
        clear.obstacle_height_m, clear.obstacle_d1_m, clear.obstacle_d2_m, 3e8 / 3e9
    )
    assert (v <= KNIFE_EDGE_MIN_V).all()
    got = TerrainDiffraction().snr_change_db(clear)
    assert got.tobytes() == (-2.0 * knife_edge_loss_db(v)).tobytes()


def test_the_clear_air_shortcut_inside_the_reference_range_gives_the_full_computation():
    """A path no longer than the reference path and no lower crosses less air (the
    integrand ``exp(-h(r)/H)`` of ITU-R P.676 Annex 2 is nowhere larger): no loss."""
    rng = np.random.default_rng(11)
    effect = ClearAirAttenuation()
    for _ in range(40):
        n = 30
        frequency_hz = float(rng.uniform(2e8, 2e10))
        reference_m = float(rng.uniform(50e3, 400e3))
        alt_m = float(rng.uniform(0.0, 10_000.0))
        range_m = rng.uniform(1.0, INSIDE_REFERENCE_SHARE * reference_m, n)
        elevation = rng.uniform(-0.05, 1.5, n)
        paths = RadarPaths(
            radar_pos_ecef_m=np.zeros(3),
            radar_alt_m=alt_m,
            frequency_hz=frequency_hz,
            reference_range_m=reference_m,
            range_m=range_m,
            azimuth_rad=np.zeros(n),
            elevation_rad=elevation,
            target_pos_ecef_m=np.zeros((n, 3)),
        )
        loss = atmospheric_loss_db(range_m, frequency_hz, elevation, alt_m)
        reference = atmospheric_loss_db(reference_m, frequency_hz, 0.0, alt_m)
        assert (loss < reference).all()
        full = -np.maximum(loss - reference, 0.0)
        assert effect.snr_change_db(paths).tobytes() == full.tobytes()
        # one path beyond the reference range, horizontal: it loses, the shortcut is off
        longer = dataclasses.replace(
            paths,
            range_m=np.append(range_m, 1.2 * reference_m),
            elevation_rad=np.append(elevation, 0.0),
        )
        assert effect.snr_change_db(longer)[-1] < 0.0


def test_the_clutter_horizon_test_at_the_shortest_range_equals_the_test_of_every_path():
    """The shortest range decides (sin psi never rises with range); checked against the
    grazing angle of every path, with ranges placed around the horizon, and with a NaN
    range (which does not count) taking the full path."""
    radius = 4.0 / 3.0 * 6_378_137.0
    rng = np.random.default_rng(5)
    for h_m in (5.0, 30.0, 450.0, 9_000.0):
        horizon_m = np.sqrt(2.0 * radius * h_m + h_m * h_m)
        for _ in range(50):
            ranges = horizon_m * rng.uniform(0.999, 1.001, rng.integers(1, 8))
            grazing, _ = grazing_and_depression_rad(h_m, ranges)
            assert beyond_clutter_horizon(h_m, ranges) == (not np.any(grazing > 0.0))
        far_and_unknown = np.array([np.nan, horizon_m * 2.0])
        near_and_unknown = np.array([np.nan, horizon_m * 0.5])
        assert beyond_clutter_horizon(h_m, far_and_unknown)
        assert not beyond_clutter_horizon(h_m, near_and_unknown)
