"""Posts on a data link share their tracks: latency, remote-only tracks, correlation.

Small scenarios over the Black Sea (sea-level terrain), so that the radar horizon alone
decides who sees what: a surveillance radar 10 m above the sea sees an aircraft at 100 m
out to 4.12 km x (sqrt(10) + sqrt(100)) ≈ 54 km (4/3 earth).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document

LATENCY_S = 20.0
INTERVAL_S = 12.0


def _waypoint(lat, lon, alt, kt):
    return {"lat_deg": lat, "lon_deg": lon, "alt_m": alt, "speed_kt": kt}


def _post(name, lon, on_link=True):
    return {
        "name": name,
        "side": "blue",
        # A surveillance post: its IFF interrogator scans all round, as its radar does.
        "command_post": "nato/e3_mission_crew",
        "position": {"lat_deg": 42.5, "lon_deg": lon, "alt_m": 0.0},
        "on_datalink": on_link,
        "radars": [{"type": "s400/91n6e"}],
    }


BASE = {
    "schema_version": 1,
    "name": "link-test",
    "start_time": "2026-06-01T05:00:00Z",
    "duration_min": 4,
    "record_interval_s": 1.0,
    "seed": 3,
    "datalinks": {"link16": {"update_interval_s": INTERVAL_S, "latency_s": LATENCY_S}},
    "sides": {
        "blue": {"iff_modes": ["mode5"], "datalinks": ["link16"], "hostile_to": ["red"]},
        "red": {"hostile_to": ["blue"]},
    },
    # local and off-link posts at 34.0 E; the remote post 82 km east at 35.0 E.
    "fire_units": [_post("local", 34.0), _post("remote", 35.0), _post("offlink", 34.0, False)],
    "air_tracks": [
        {  # low, 65-70 km from local (beyond its horizon), close to the remote post
            "name": "low",
            "side": "blue",
            "type": "f16c",
            "route": [_waypoint(42.30, 34.85, 100.0, 300), _waypoint(42.70, 34.85, 100.0, 300)],
        },
        {  # high, seen by every post
            "name": "high",
            "side": "blue",
            "type": "f16c",
            "route": [_waypoint(42.20, 34.50, 9000.0, 300), _waypoint(42.80, 34.50, 9000.0, 300)],
        },
    ],
}


def run(document):
    scenario, catalog = validate_document(copy.deepcopy(document), "link-test")
    sim = Simulation(scenario, catalog)
    confirmed_at: dict[str, float] = {}
    remote = sim.units[1].picture
    for _ in range(round(scenario.duration_s / scenario.time_step_s)):
        t = sim.time_s
        sim.step(scenario.time_step_s)
        slots = remote.confirmed_slots()
        for index in remote.column("truth")[slots].astype(int):
            if index >= 0:
                confirmed_at.setdefault(sim.entities.name[index], t)
    table = sim.recorder.snapshot_table().to_pydict()
    return sim, {k: np.array(v) for k, v in table.items()}, confirmed_at


@pytest.fixture(scope="module")
def linked():
    return run(BASE)


def rows_of(table, source, truth):
    return np.flatnonzero((table["source"] == source) & (table["truth"] == truth))


def test_the_remote_post_sees_what_the_local_radar_cannot(linked):
    _, table, confirmed_at = linked
    assert "low" in confirmed_at
    own = [i for i in rows_of(table, "local", "low") if ":" not in table["id"][i]]
    assert own == []  # the local radar never holds it itself
    assert rows_of(table, "offlink", "low").size == 0


def test_the_local_picture_holds_the_remote_track_after_interval_and_latency(linked):
    _, table, confirmed_at = linked
    rows = rows_of(table, "local", "low")
    assert rows.size
    first = table["time_s"][rows].min()
    # Not before the report could arrive; by one reporting interval after that.
    assert first >= confirmed_at["low"] + LATENCY_S
    assert first <= confirmed_at["low"] + LATENCY_S + INTERVAL_S + 2.0
    assert all(table["id"][i].startswith("L16:remote:") for i in rows)
    # The remote post read the aircraft's Mode 5: the local picture shows it as a friend.
    assert table["identity"][rows[-1]] == "friend"


def test_latency_delays_the_remote_track_by_the_declared_time(linked):
    quick = copy.deepcopy(BASE)
    quick["datalinks"]["link16"]["latency_s"] = 0.0
    _, table_quick, confirmed_quick = run(quick)
    _, table_slow, confirmed_slow = linked
    assert confirmed_quick["low"] == confirmed_slow["low"]  # same seed, same sensing
    first_quick = table_quick["time_s"][rows_of(table_quick, "local", "low")].min()
    first_slow = table_slow["time_s"][rows_of(table_slow, "local", "low")].min()
    assert first_slow - first_quick == pytest.approx(LATENCY_S, abs=1.0)


def test_a_post_off_the_link_holds_only_its_own_tracks(linked):
    _, table, _ = linked
    mine = table["source"] == "offlink"
    assert mine.any()
    assert not any(":" in i for i in table["id"][mine])


def test_a_track_both_posts_hold_is_one_row_with_a_stable_number(linked):
    _, table, _ = linked
    rows = rows_of(table, "local", "high")
    _, counts = np.unique(table["time_s"][rows], return_counts=True)
    assert counts.max() == 1  # correlated, not duplicated
    own = [i for i in rows if ":" not in table["id"][i]]
    assert len(own) > 100
    # Once the local track exists it stands for the aircraft, under one number.
    assert len({table["id"][i] for i in own}) == 1
    after = rows[table["time_s"][rows] >= table["time_s"][own[0]]]
    assert all(":" not in table["id"][i] for i in after)


def test_remote_tracks_are_labelled_with_the_truth_they_follow(linked):
    _, table, _ = linked
    remote_rows = [i for i, ident in enumerate(table["id"]) if ident.startswith("L16:")]
    assert remote_rows
    is_truth = np.flatnonzero(table["source"] == "truth")
    truth = {
        (table["time_s"][i], table["id"][i]): (table["lat_deg"][i], table["lon_deg"][i])
        for i in is_truth
    }
    followed = [i for i in remote_rows if table["truth"][i]]  # "" marks a false track
    assert len(followed) > 0.9 * len(remote_rows)
    for i in followed:
        lat, lon = truth[(table["time_s"][i], table["truth"][i])]
        # within a few km of the aircraft it names (a 12 s old report, extrapolated)
        assert abs(table["lat_deg"][i] - lat) < 0.05 and abs(table["lon_deg"][i] - lon) < 0.05


def test_own_states_go_to_ecef_as_enu_to_ecef_rotates_them():
    from types import SimpleNamespace

    from iadsim.c2.picture.datalink import _to_ecef
    from iadsim.geo.frames import enu_rotation, enu_to_ecef, lla_to_ecef

    rng = np.random.default_rng(7)
    for lat, lon in [(0.7, 0.57), (-0.3, 2.9), (1.4, -1.2)]:
        frame = SimpleNamespace(
            rotation=enu_rotation(lat, lon), origin_ecef_m=lla_to_ecef(lat, lon, 850.0)
        )
        state = rng.normal(size=(17, 6)) * [2e5, 2e5, 1e4, 300.0, 300.0, 50.0]
        cov = np.broadcast_to(np.eye(6), (17, 6, 6))
        state_ecef, _ = _to_ecef(frame, state, cov)
        expected = enu_to_ecef(state[:, :3], frame.origin_ecef_m, frame.rotation)
        np.testing.assert_array_equal(state_ecef[:, :3], expected)  # to the bit
