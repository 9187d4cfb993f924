"""The sensing shortcuts change no result: an empty look draws only its false alarms, the
horizon kept per radar equals the geo function, and a moved radar is a new radar."""

from __future__ import annotations

import dataclasses

import numpy as np
from tests.sensors.radar_fixtures import make_radar, targets_at

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.geo.line_of_sight import radar_horizon_range_m
from iadsim.sensors.radar import coverage
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
