"""IFF as a sensor: coverage, modes, reply statistics, failures and garbling, each checked
against an independent expectation (binomial bounds, hand-computed geometry)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from iadsim.geo.frames import aer_to_enu, enu_to_ecef
from iadsim.scenario.basics import IFF_MODES
from iadsim.sensors.iff import (
    GARBLE_RANGE_M,
    IffTargets,
    Interrogator,
    Transponders,
    garbled,
    mode_mask,
    reply_probability_per_scan,
)

MODE5 = mode_mask(["mode5"])
MODE3C = mode_mask(["mode3c"])
ALLIED = mode_mask(["mode5", "mode3c"])
SITE = (np.radians(40.0), np.radians(32.5), 900.0)
BEAM = np.radians(2.35)


def interrogator(modes=ALLIED, hits=1, sector_deg=360.0, max_range_m=400e3, **kw):
    return Interrogator(
        "test/iff",
        modes,
        max_range_m,
        kw.get("facing_rad", 0.0),
        np.radians(sector_deg),
        10.0,
        hits,
        BEAM,
        kw.get("sigma_range_m", 70.0),
        kw.get("sigma_az_rad", np.radians(0.08)),
        *SITE,
    )


def targets_at(az_deg, range_m, modes, p=1.0, el_deg=1.0, failure_s=np.inf):
    """Transponding targets at given azimuths and slant ranges from the interrogator."""
    site = interrogator()
    az = np.radians(np.atleast_1d(np.asarray(az_deg, dtype=float)))
    rng_m = np.broadcast_to(np.asarray(range_m, dtype=float), az.shape)
    enu = aer_to_enu(az, np.radians(el_deg), rng_m)
    pos = enu_to_ecef(enu, site.pos_ecef_m, site.rotation)
    n = az.size
    transponders = Transponders(
        np.broadcast_to(np.asarray(modes, dtype=np.int64), (n,)).copy(),
        np.full(n, p),
        np.full(n, failure_s, dtype=float),
        np.arange(1, n + 1, dtype=np.int64),
        np.full(n, 150.0),
    )
    return IffTargets(pos, np.full(n, 5_000.0), np.ones(n, dtype=bool), transponders)


def test_masks_are_distinct_bits_and_ignore_repeats():
    masks = [mode_mask([m]) for m in IFF_MODES]
    assert len(set(masks)) == len(IFF_MODES)
    assert all(m > 0 and (m & (m - 1)) == 0 for m in masks)
    assert mode_mask(["mode5", "mode5"]) == MODE5
    assert mode_mask([]) == 0


def test_a_mode3c_interrogator_hears_nothing_from_a_mode5_only_transponder():
    replies = interrogator(MODE3C).scan(
        targets_at([10.0, 100.0], 100e3, [MODE5, ALLIED]), 0.0, np.random.default_rng(1)
    )
    # The Mode 5-only F-35 is silent to it; the allied jet with Mode 3/C looks civil.
    assert replies.truth.tolist() == [1]
    assert replies.civil.tolist() == [True] and replies.secure.tolist() == [False]


def test_a_mode5_interrogator_reads_secure_and_civil_replies_separately():
    replies = interrogator(ALLIED).scan(
        targets_at([10.0, 100.0], 100e3, [MODE5, ALLIED]), 0.0, np.random.default_rng(1)
    )
    pairs = sorted(zip(replies.truth.tolist(), replies.secure.tolist(), strict=True))
    assert pairs == [(0, True), (1, False), (1, True)]
    assert np.array_equal(replies.code, replies.truth + 1)


def test_coverage_range_sector_line_of_sight_and_presence():
    targets = targets_at([10.0, 10.0, 120.0, 30.0], [100e3, 450e3, 100e3, 100e3], ALLIED)
    visible = np.array([True, True, True, False])
    sector = interrogator(sector_deg=90.0, facing_rad=0.0)
    replies = sector.scan(targets, 0.0, np.random.default_rng(2), visible)
    # Beyond 400 km, outside the 90 deg sector facing north, or masked: no reply.
    assert set(replies.truth.tolist()) == {0}


def test_measurement_errors_have_the_configured_spread():
    n = 400
    targets = targets_at(np.linspace(0.0, 359.0, n), 120e3, MODE5)  # Mode 5: no garble
    replies = interrogator(MODE5).scan(targets, 0.0, np.random.default_rng(3))
    assert len(replies) == n
    truth_range = np.linalg.norm(targets.pos_ecef_m - interrogator().pos_ecef_m, axis=1)
    error = replies.range_m - truth_range[replies.truth]
    # Sample standard deviation of 400 normal draws: within 15 % of sigma at 99.7 %.
    assert abs(error.std() / 70.0 - 1.0) < 0.15
    assert abs(error.mean()) < 4.0 * 70.0 / np.sqrt(n)


@pytest.mark.parametrize(("p", "hits"), [(0.5, 1), (0.5, 3), (0.9, 1), (0.3, 4)])
def test_reply_counts_stay_within_binomial_bounds_of_the_configured_probability(p, hits):
    # Targets 6 deg apart (beyond the 2.35 deg beam): none garbles, so each target's scan is
    # a Bernoulli trial of probability 1 - (1 - p)^hits, and the count over all is binomial.
    n_targets, scans = 60, 50
    az = np.arange(n_targets) * 6.0
    targets = targets_at(az, 100e3 + 5e3 * np.arange(n_targets), MODE5, p=p)
    rng = np.random.default_rng(11)
    device = interrogator(MODE5, hits=hits)
    count = sum(len(device.scan(targets, 10.0 * k, rng)) for k in range(scans))
    expected = 1.0 - (1.0 - p) ** hits
    assert reply_probability_per_scan(np.array([p]), hits)[0] == pytest.approx(expected)
    low, high = binom.interval(0.999, n_targets * scans, expected)
    assert low <= count <= high


def test_failure_times_follow_the_failure_rate():
    n = 4000
    rate_per_h = 0.5
    transponders = Transponders.fitted(
        np.full(n, MODE5), np.ones(n), np.full(n, rate_per_h), np.full(n, 150.0),
        np.random.default_rng(5),
    )  # fmt: skip
    failed = int(np.sum(transponders.failure_s < 3600.0))
    expected = 1.0 - np.exp(-rate_per_h)  # exponential: P(fail within 1 h)
    low, high = binom.interval(0.999, n, expected)
    assert low <= failed <= high
    never = Transponders.fitted(
        np.array([MODE5]), np.ones(1), np.zeros(1), np.ones(1), np.random.default_rng(5)
    )
    assert np.isinf(never.failure_s[0])


def test_a_failed_transponder_is_silent():
    targets = targets_at([10.0, 50.0], 100e3, MODE5, failure_s=100.0)
    device = interrogator(MODE5)
    assert len(device.scan(targets, 99.0, np.random.default_rng(0))) == 2
    assert len(device.scan(targets, 101.0, np.random.default_rng(0))) == 0


def test_garble_window_is_the_reply_length_in_range():
    # c * (20.3 + 0.45) us / 2, by hand: 299792458 * 20.75e-6 / 2 = 3110.35 m (1.68 NM).
    assert pytest.approx(3110.35, abs=0.01) == GARBLE_RANGE_M


def test_garbling_by_hand():
    # Same azimuth, 2 km apart in range (< 3.11 km): both lost. 4 km apart: both read.
    # 500 m apart in range but 3 deg apart in azimuth (> 2.35 deg beam): both read.
    # Three in one cell: all three lost.
    az = np.radians([10.0, 10.0, 40.0, 40.0, 80.0, 83.0, 120.0, 120.5, 121.0])
    r = np.array([100e3, 102e3, 100e3, 104e3, 100e3, 100.5e3, 200e3, 201e3, 202e3])
    lost = garbled(r, az, BEAM)
    assert lost.tolist() == [True, True, False, False, False, False, True, True, True]
    # Across north: 359.5 and 0.5 deg are 1 deg apart.
    assert garbled(np.array([1e5, 1e5 + 100]), np.radians([359.5, 0.5]), BEAM).all()


def test_garbled_replies_are_lost_in_a_scan_but_mode5_replies_are_not():
    # A formation: two jets 1 km apart in range on the same bearing.
    targets = targets_at([10.0, 10.0], [100e3, 101e3], ALLIED)
    replies = interrogator(ALLIED).scan(targets, 0.0, np.random.default_rng(4))
    assert replies.secure.all() and len(replies) == 2  # Mode 5: addressed, no garble
    assert sorted(replies.garbled_truth.tolist()) == [0, 1]  # their Mode 3/C replies


def test_altitude_comes_with_mode_c_and_mode_5_only():
    targets = targets_at([10.0], 100e3, mode_mask(["mode5", "mode4", "mode3c"]))
    device = interrogator(mode_mask(["mode5", "mode4", "mode3c"]))
    replies = device.scan(targets, 0.0, np.random.default_rng(6))
    by_mode = dict(zip([IFF_MODES[m] for m in replies.mode], replies.alt_m, strict=True))
    assert np.isnan(by_mode["mode4"])
    assert abs(by_mode["mode3c"] - 5_000.0) < 5 * 150.0
    assert abs(by_mode["mode5"] - 5_000.0) < 5 * 150.0


def test_same_stream_same_replies():
    targets = targets_at(np.arange(0, 360, 7.0), 150e3, ALLIED, p=0.6)
    a = interrogator(hits=1).scan(targets, 0.0, np.random.default_rng(9))
    b = interrogator(hits=1).scan(targets, 0.0, np.random.default_rng(9))
    assert np.array_equal(a.truth, b.truth) and np.array_equal(a.range_m, b.range_m)
