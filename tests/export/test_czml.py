"""CZML export: packet structure per the CZML specification, and a round trip to the run."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from tests.export.run_tables import events, rows_by_object, start_time

from iadsim.export import export_run, read_run_record


def parse_instant(text: str) -> datetime:
    assert text.endswith("Z")
    return datetime.fromisoformat(text[:-1] + "+00:00")


def parse_interval(text: str) -> tuple[datetime, datetime]:
    begin, end = text.split("/")
    return parse_instant(begin), parse_instant(end)


@pytest.fixture(scope="module")
def czml(short_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("czml") / "run.czml"
    export_run(read_run_record(short_run), "czml", path)
    return json.loads(path.read_text("utf-8"))


def samples(packet: dict) -> np.ndarray:
    """(n, 4) rows of seconds from the epoch, lon, lat, height."""
    values = packet["position"]["cartographicDegrees"]
    assert len(values) % 4 == 0
    return np.asarray(values, dtype=float).reshape(-1, 4)


def test_the_first_packet_is_the_document_with_its_clock(czml, short_run):
    document = czml[0]
    assert document["id"] == "document"
    assert document["version"] == "1.0"
    begin, end = parse_interval(document["clock"]["interval"])
    assert begin == start_time(short_run)
    assert end == begin + timedelta(minutes=10)
    assert parse_instant(document["clock"]["currentTime"]) == begin


def test_every_entity_packet_has_a_unique_id_and_its_samples_lie_in_its_availability(czml):
    ids = [p["id"] for p in czml]
    assert len(set(ids)) == len(ids)
    assert "document" not in ids[1:]
    for packet in czml[1:]:
        begin, end = parse_interval(packet["availability"])
        assert begin <= end
        if "epoch" not in packet["position"]:
            continue
        epoch = parse_instant(packet["position"]["epoch"])
        rows = samples(packet)
        assert np.all(np.diff(rows[:, 0]) > 0)
        assert epoch + timedelta(seconds=rows[0, 0]) == begin
        assert abs((epoch + timedelta(seconds=rows[-1, 0]) - end).total_seconds()) < 1e-3


def test_truth_positions_round_trip_to_the_recorded_truth(czml, short_run):
    packets = {p["id"]: p for p in czml}
    truth = rows_by_object(short_run, "truth")
    assert len(truth) > 5
    epoch = start_time(short_run)
    for name, rows in truth.items():
        packet = packets[f"truth/{name}"]
        assert parse_instant(packet["position"]["epoch"]) == epoch
        exported = samples(packet)
        recorded = np.array([[r["time_s"], r["lon_deg"], r["lat_deg"], r["alt_m"]] for r in rows])
        # the recorded samples come first; a kill or the route's end may add one more
        assert len(exported) - len(recorded) in (0, 1)
        np.testing.assert_allclose(exported[: len(recorded), 0], recorded[:, 0], atol=1e-9)
        np.testing.assert_allclose(exported[: len(recorded), 1:3], recorded[:, 1:3], atol=1e-7)
        np.testing.assert_allclose(exported[: len(recorded), 3], recorded[:, 3], atol=0.01)


def test_a_killed_aircraft_ends_where_it_was_killed(czml, short_run):
    packets = {p["id"]: p for p in czml}
    kills = events(short_run, "kill")
    assert kills
    for kill in kills:
        last = samples(packets[f"truth/{kill['truth']}"])[-1]
        np.testing.assert_allclose(
            last, [kill["time_s"], kill["lon_deg"], kill["lat_deg"], kill["alt_m"]], atol=0.01
        )


def identity_at(packet: dict, when: datetime) -> str:
    """The identity property in force at ``when`` (the later interval at a boundary)."""
    held = [
        entry["string"]
        for entry in packet["properties"]["identity"]
        if parse_interval(entry["interval"])[0] <= when <= parse_interval(entry["interval"])[1]
    ]
    assert held, when
    return held[-1]


def test_each_posts_track_positions_and_identities_round_trip(czml, short_run):
    start = start_time(short_run)
    checked = 0
    for post in ("s400-murted", "nato-awacs"):
        for track, rows in rows_by_object(short_run, post).items():
            segments = [p for p in czml if p["id"].split("#")[0] == f"{post}/track/{track}"]
            exported = np.vstack([samples(p) for p in segments])
            recorded = np.array([[r["time_s"], r["lon_deg"], r["lat_deg"]] for r in rows])
            np.testing.assert_allclose(exported[:, :3], recorded, atol=1e-7)
            for row in rows:
                when = start + timedelta(seconds=row["time_s"])
                packet = next(
                    p
                    for p in segments
                    if parse_interval(p["availability"])[0]
                    <= when
                    <= parse_interval(p["availability"])[1]
                )
                assert identity_at(packet, when) == row["identity"]
                assert packet["properties"]["owner"] == post
                checked += 1
    assert checked > 100


def test_interceptors_go_from_their_launch_to_their_end(czml, short_run):
    packets = {p["id"]: p for p in czml}
    ends = {
        r["interceptor_id"]: r
        for k in ("kill", "miss", "self_destruct")
        for r in events(short_run, k)
    }
    launches = events(short_run, "launch")
    assert launches
    for launch in launches:
        rows = samples(packets[f"interceptor/{launch['interceptor_id']}"])
        np.testing.assert_allclose(
            rows[0],
            [launch["time_s"], launch["lon_deg"], launch["lat_deg"], launch["alt_m"]],
            atol=0.01,
        )
        end = ends.get(launch["interceptor_id"])
        if end is not None:
            np.testing.assert_allclose(
                rows[-1], [end["time_s"], end["lon_deg"], end["lat_deg"], end["alt_m"]], atol=0.01
            )
