"""IFF replies correlated with a post's tracks by position: gates, one-to-one assignment,
code changes, and no truth labels (a false alarm on a friend's track does not silence it)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from iadsim.c2.picture.iff_correlation import (
    GATE,
    GATE_WITH_ALTITUDE,
    TracksSeen,
    assign_replies,
    note_replies,
    seen_from,
)
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.core.registry import TRACKERS
from iadsim.engine.world import TRACKER_CONFIG
from iadsim.geo.frames import aer_to_enu, ecef_to_enu, ecef_to_lla, enu_to_ecef
from iadsim.sensors.iff import Interrogator, ReplyBatch, mode_mask

LAT, LON, ALT = np.radians(40.0), np.radians(32.5), 900.0
MODE5 = 0  # index of "mode5" in IFF_MODES
MODE3C = 2


def device() -> Interrogator:
    return Interrogator(
        "post/iff", mode_mask(["mode5", "mode3c"]), 400e3, 0.0, 2 * np.pi, 10.0, 4,
        np.radians(2.35), 70.0, np.radians(0.08), LAT, LON, ALT,
    )  # fmt: skip


def picture_with_tracks(az_deg, range_m, el_deg=2.0, sigma_m=300.0) -> CommandPostPicture:
    """A post at the interrogator with confirmed tracks at the given bearings and ranges."""
    picture = CommandPostPicture(
        "post", LAT, LON, ALT, TRACKERS.get("gnn")(TRACKER_CONFIG), frozenset()
    )
    enu = aer_to_enu(np.radians(az_deg), np.radians(el_deg), np.asarray(range_m, float))
    slots = picture.table.allocate(len(enu), 0.0)
    picture.table.state[slots, :3] = enu
    picture.table.state[slots, 3:] = 0.0
    picture.table.covariance[slots] = np.diag([sigma_m**2] * 3 + [10.0**2] * 3)
    picture.table.confirmed[slots] = True
    picture.changes += 1  # written outside the tracker: counted as a change
    return picture


def replies_at(az_deg, range_m, code, mode, alt_m=None, time_s=0.0) -> ReplyBatch:
    n = len(code)
    alt = np.full(n, np.nan) if alt_m is None else np.asarray(alt_m, float)
    return ReplyBatch(
        time_s,
        np.asarray(mode, dtype=np.int64),
        np.asarray(range_m, float),
        np.radians(az_deg),
        np.full(n, 70.0),
        np.full(n, np.radians(0.08)),
        alt,
        np.where(np.isnan(alt), np.nan, 150.0),
        np.asarray(code, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
    )


def test_gates_are_the_chi_square_quantiles():
    assert pytest.approx(13.8155, abs=1e-3) == GATE  # chi2(2) at 0.999 = -2 ln(0.001)
    assert pytest.approx(-2 * np.log(1e-3)) == GATE
    assert pytest.approx(chi2.ppf(0.999, 3)) == GATE_WITH_ALTITUDE


def test_a_track_seen_from_the_antenna_with_range_and_azimuth_sigmas_by_hand():
    # Isotropic 300 m position error at 100 km: 300 m in range, 300/h rad in azimuth.
    picture = picture_with_tracks([30.0], [100e3], el_deg=0.0)
    pos = picture.positions_ecef_m(picture.confirmed_slots())
    cov = np.tile(np.eye(3) * 300.0**2, (1, 1, 1))
    seen = seen_from(device(), pos, cov)
    assert seen.range_m[0] == pytest.approx(100e3, rel=1e-9)
    assert np.degrees(seen.az_rad[0]) == pytest.approx(30.0, abs=1e-9)
    assert seen.sigma_range_m[0] == pytest.approx(300.0)
    assert seen.sigma_az_rad[0] == pytest.approx(300.0 / 100e3)
    assert seen.sigma_alt_m[0] == pytest.approx(300.0)


def test_assignment_is_one_to_one_and_drops_replies_outside_the_gate():
    distance = np.array([[1.0, 2.0], [0.5, 30.0], [50.0, 40.0]])
    replies, tracks = assign_replies(distance, np.zeros(3, dtype=np.int64), np.zeros(3, bool))
    # Least total: reply 0 -> track 1 (2.0), reply 1 -> track 0 (0.5); reply 2 gates nowhere.
    assert sorted(zip(replies.tolist(), tracks.tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_each_mode_is_assigned_separately():
    distance = np.array([[1.0], [1.0]])
    replies, tracks = assign_replies(distance, np.array([MODE5, MODE3C]), np.zeros(2, bool))
    assert tracks.tolist() == [0, 0] and sorted(replies.tolist()) == [0, 1]


def test_altitude_separates_a_jet_from_a_cruise_missile_on_the_same_bearing():
    # Two tracks on one bearing and range: a jet at 9 km, a missile at 100 m. A Mode 5 reply
    # reporting 9,000 m goes to the jet's track whichever is listed first.
    picture = picture_with_tracks([20.0, 20.0], [120e3, 120e3], el_deg=0.0)
    slots = picture.confirmed_slots()
    picture.table.state[slots[0], 2] = 100.0
    picture.table.state[slots[1], 2] = 9_000.0
    jet = picture.positions_ecef_m(slots[1:])
    rng = float(np.linalg.norm(jet - device().pos_ecef_m))
    _, _, jet_alt = ecef_to_lla(jet)
    replies = replies_at([20.0], [rng], [7], [MODE5], alt_m=[jet_alt[0] + 57.0])
    assert note_replies(picture, device(), replies, 1.0) == 1
    assert picture.column("secure_reply_s")[slots].tolist() == [-np.inf, 0.0]


def test_a_false_alarm_on_a_friends_track_does_not_silence_its_reply():
    # The audit's case: the track's last plot was a false alarm (truth -1). Correlation is by
    # position, so the friend's Mode 5 reply still reaches the track.
    picture = picture_with_tracks([45.0], [80e3])
    slot = picture.confirmed_slots()[0]
    picture.column("truth")[slot] = -1
    seen = seen_from(device(), picture.positions_ecef_m(np.array([slot])), np.eye(3)[None] * 1.0)
    replies = replies_at([45.01], [seen.range_m[0] + 100.0], [12], [MODE5], time_s=3.0)
    assert note_replies(picture, device(), replies, 1.0) == 1
    assert picture.column("secure_reply_s")[slot] == 3.0
    assert picture.column("reply_code")[slot] == 12


def test_a_reply_far_from_every_track_is_dropped_but_the_track_was_challenged():
    picture = picture_with_tracks([45.0], [80e3])
    replies = replies_at([50.0], [80e3], [12], [MODE5], time_s=4.0)  # 5 deg off: 7 km
    assert note_replies(picture, device(), replies, 1.0) == 0
    slot = picture.confirmed_slots()[0]
    assert picture.column("secure_reply_s")[slot] == -np.inf
    assert picture.column("interrogated_s")[slot] == 4.0


def test_only_tracks_in_the_interrogators_range_and_sector_are_challenged():
    picture = picture_with_tracks([10.0, 100.0, 20.0], [80e3, 80e3, 450e3])
    narrow = Interrogator(
        "post/iff", mode_mask(["mode5"]), 400e3, 0.0, np.radians(90.0), 2.0, 4,
        np.radians(2.35), 70.0, np.radians(0.08), LAT, LON, ALT,
    )  # fmt: skip
    note_replies(picture, narrow, replies_at([], [], [], []), 1.0)
    stamped = picture.column("interrogated_s")[picture.confirmed_slots()]
    assert stamped.tolist() == [0.0, -np.inf, -np.inf]


def test_tentative_tracks_take_replies_too():
    picture = picture_with_tracks([45.0], [80e3])
    slot = picture.confirmed_slots()[0]
    picture.table.confirmed[slot] = False
    seen = seen_from(device(), picture.positions_ecef_m(np.array([slot])), np.eye(3)[None])
    assert note_replies(picture, device(), replies_at([45.0], seen.range_m, [3], [MODE5]), 1.0)
    assert picture.column("secure_reply_s")[slot] == 0.0


def test_a_new_reply_code_clears_the_tracks_reply_history():
    picture = picture_with_tracks([45.0], [80e3])
    slot = picture.confirmed_slots()[0]
    rng = seen_from(device(), picture.positions_ecef_m(np.array([slot])), np.eye(3)[None])
    r = rng.range_m[0]
    note_replies(picture, device(), replies_at([45.0], [r], [12], [MODE5], time_s=0.0), 1.0)
    note_replies(picture, device(), replies_at([45.0], [r], [12], [MODE3C], time_s=10.0), 1.0)
    assert picture.column("secure_reply_s")[slot] == 0.0
    # The track now answers with another aircraft's code, in Mode 3/C only: it is no longer
    # vouched for by the first aircraft's Mode 5 reply.
    note_replies(picture, device(), replies_at([45.0], [r], [99], [MODE3C], time_s=20.0), 1.0)
    assert picture.column("secure_reply_s")[slot] == -np.inf
    assert picture.column("civil_reply_s")[slot] == 20.0
    assert picture.column("reply_code")[slot] == 99


def test_tracks_are_predicted_to_the_scan_time():
    # A track at 80 km moving north at 250 m/s, last estimated at t = 0: a reply at t = 8 s
    # from 2 km further north correlates with it.
    picture = picture_with_tracks([0.0], [80e3], el_deg=0.0, sigma_m=100.0)
    slot = picture.confirmed_slots()[0]
    picture.table.state[slot, 3:] = [0.0, 250.0, 0.0]
    ahead = picture.table.state[slot, :3] + [0.0, 2_000.0, 0.0]
    pos = enu_to_ecef(ahead, picture.origin_ecef_m, picture.rotation)
    enu = ecef_to_enu(pos, device().pos_ecef_m, device().rotation)
    replies = replies_at([np.degrees(np.arctan2(enu[0], enu[1]))], [np.linalg.norm(enu)],
                         [5], [MODE5], time_s=8.0)  # fmt: skip
    assert note_replies(picture, device(), replies, 1.0) == 1
    assert isinstance(seen_from(device(), pos[None], np.eye(3)[None]), TracksSeen)
