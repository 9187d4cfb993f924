"""Track dwells: energy, beamshape loss, capacity and schedule, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.catalog.loader import load_catalog
from iadsim.sensors.track_dwells import (
    NO_DWELLS,
    BeamLook,
    SearchAndTrackLook,
    TrackDwellSchedule,
    track_capacity,
    track_dwell_gain_db,
    track_dwell_s,
)

C = 299_792_458.0


def test_the_92n6e_track_dwell_is_its_coherent_interval_and_gains_over_the_reference_look():
    spec = load_catalog().radars["s400/92n6e"]
    cpi_s = (C / 1.0e10) / (2 * 2.0)  # lambda / (2 dv): 3 cm / 4 m/s = 7.49 ms
    assert track_dwell_s(spec) == pytest.approx(cpi_s)
    reference_s = 2 * 400e3 / C  # one pulse at the 400 km unambiguous interval: 2.67 ms
    assert track_dwell_gain_db(spec) == pytest.approx(10 * math.log10(cpi_s / reference_s))
    assert track_dwell_gain_db(spec) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("key", "capacity"), [("s400/92n6e", 33), ("patriot/mpq65", 24)])
def test_capacity_is_what_fits_in_half_the_radar_time(key, capacity):
    # 0.5 x 0.5 s / 7.49 ms = 33.4; 0.5 x 0.5 s / 10.1 ms = 24.8
    assert track_capacity(load_catalog().radars[key]) == capacity


def test_half_a_beamwidth_off_axis_costs_six_db_two_way():
    # A Gaussian beam is 3 dB down one way at half the beamwidth off axis (the definition
    # of the half-power beamwidth), so 6 dB two way.
    beam = math.radians(1.0)
    look = BeamLook(np.array([0.3]), np.array([0.1]), beam, gain_db=0.0)
    change = look.snr_change_db(np.array([0.3, 0.3]), np.array([0.1, 0.1 + beam / 2]))
    np.testing.assert_allclose(change, [0.0, -6.02], atol=0.01)
    assert not look.contains(np.array([0.3]), np.array([0.1 + 1.01 * beam]))[0]


def test_the_radar_holds_the_nearest_tracks_and_dwells_on_each_once_per_update():
    spec = load_catalog().radars["s400/92n6e"]
    schedule = TrackDwellSchedule(spec)
    n = 40
    ids = np.arange(100, 100 + n)
    ranges = np.linspace(200e3, 20e3, n)
    pointing = np.zeros((n, 3))
    counts = {}
    for step in range(10):  # steps of 0.25 s against a 0.5 s update
        request = schedule.request(0.25 * step, ids, pointing, ranges)
        assert request.held == 33
        counts[step] = len(request.pointing_ecef_m)
    assert counts[0] == 33  # every newly held track gets a dwell at once
    assert all(counts[s] == (33 if s % 2 == 0 else 0) for s in counts)
    assert set(schedule.next_due_s) == set(ids[n - 33 :].tolist())  # the 33 nearest


def test_held_tracks_take_their_share_of_the_radar_time():
    spec = load_catalog().radars["s400/92n6e"]
    ids, ranges = np.arange(10), np.linspace(20e3, 200e3, 10)
    request = TrackDwellSchedule(spec).request(0.0, ids, np.zeros((10, 3)), ranges)
    assert request.held == 10
    assert request.time_share == pytest.approx(10 * track_dwell_s(spec) / 0.5)
    assert NO_DWELLS.time_share == 0.0


class _EastSearch:
    """A search look that covered the directions of positive azimuth."""

    def contains(self, az_rad: np.ndarray, _el_rad: np.ndarray) -> np.ndarray:
        return np.asarray(az_rad) > 0.0


def test_a_look_reuses_its_coverage_tests_only_for_the_targets_it_tested():
    """covers() remembers its tests for snr_change_db; a target it did not test (here 0,
    after a test of target 1 alone) is tested afresh, not given another target's answer."""
    beam = BeamLook(np.array([-0.5]), np.array([0.1]), 0.02, 10.0)
    az, el = np.array([0.3, -0.5]), np.array([0.1, 0.1])
    fresh = SearchAndTrackLook(_EastSearch(), beam).snr_change_db(az, el)  # type: ignore[arg-type]
    assert fresh[0] == 0.0 and fresh[1] == pytest.approx(10.0)  # searched; in the beam
    look = SearchAndTrackLook(_EastSearch(), beam)  # type: ignore[arg-type]
    look.covers(np.array([1]), az[1:], el[1:])
    assert look.snr_change_db(az[:1], el[:1], np.array([0]))[0] == 0.0
    assert look.snr_change_db(az[:1], el[:1], np.array([2]))[0] == 0.0  # past the last tested
    assert look.snr_change_db(az[1:], el[1:], np.array([1]))[0] == fresh[1]
