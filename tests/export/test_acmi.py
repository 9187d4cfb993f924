"""ACMI export: read back by an independent reader (acmi_reader.py) and compared with the run."""

from __future__ import annotations

import numpy as np
import pytest
from tests.export.acmi_reader import _split, read_acmi
from tests.export.run_tables import events, rows_by_object, start_time

from iadsim.export import export_run, read_run_record
from iadsim.export.acmi import escape


@pytest.fixture(scope="module")
def acmi(short_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("acmi") / "run.txt.acmi"
    export_run(read_run_record(short_run), "acmi", path)
    return read_acmi(path.read_text("utf-8"))


def by_name(acmi) -> dict[str, object]:
    return {obj.properties["Name"]: obj for obj in acmi.objects.values()}


def test_header_and_reference_time(acmi, short_run):
    assert acmi.header == {"FileType": "text/acmi/tacview", "FileVersion": "2.2"}
    assert acmi.reference_time == start_time(short_run)
    assert acmi.globals["Title"] == "turkey-s400-ankara"


def test_truth_positions_round_trip(acmi, short_run):
    objects = by_name(acmi)
    truth = rows_by_object(short_run, "truth")
    assert len(truth) > 5
    for name, rows in truth.items():
        obj = objects[name]
        assert obj.properties["Type"] == "Air"
        exported = np.array(obj.samples)
        recorded = np.array([[r["time_s"], r["lon_deg"], r["lat_deg"], r["alt_m"]] for r in rows])
        np.testing.assert_allclose(exported[: len(rows), 0], recorded[:, 0], atol=1e-3)
        np.testing.assert_allclose(exported[: len(rows), 1:3], recorded[:, 1:3], atol=1e-7)
        np.testing.assert_allclose(exported[: len(rows), 3], recorded[:, 3], atol=0.01)
        assert obj.removed_s == exported[-1, 0]


def test_each_track_is_an_object_with_its_posts_identity_at_each_frame(acmi, short_run):
    objects = by_name(acmi)
    checked = 0
    for post in ("s400-murted", "nato-awacs"):
        for track, rows in rows_by_object(short_run, post).items():
            segments = [o for n, o in objects.items() if n.split("#")[0] == f"{post} track {track}"]
            samples = [s for o in segments for s in o.samples]
            identities = [v["Identity"] for o in segments for v in o.values]
            assert all(o.properties["Coalition"] == post for o in segments)
            assert identities == [r["identity"] for r in rows]
            np.testing.assert_allclose(
                [s[:3] for s in samples],
                [[r["time_s"], r["lon_deg"], r["lat_deg"]] for r in rows],
                atol=1e-3,
            )
            checked += len(rows)
    assert checked > 100


def test_a_kill_is_a_destroyed_event_then_a_removal(acmi, short_run):
    objects = {k: o.properties["Name"] for k, o in acmi.objects.items()}
    destroyed = [
        (t, objects[text.split("|")[1]]) for t, text in acmi.events if text.startswith("Destroyed|")
    ]
    kills = events(short_run, "kill")
    expected = sorted((round(k["time_s"], 3), k["truth"]) for k in kills)
    assert kills
    assert sorted(destroyed) == expected
    for time_s, name in destroyed:
        assert by_name(acmi)[name].removed_s == pytest.approx(time_s)


def test_interceptors_are_missiles_from_launch_to_end(acmi, short_run):
    objects = by_name(acmi)
    for launch in events(short_run, "launch"):
        obj = objects[f"{launch['unit']} interceptor {launch['interceptor_id']}"]
        assert obj.properties["Type"] == "Weapon+Missile"
        np.testing.assert_allclose(
            obj.samples[0],
            [launch["time_s"], launch["lon_deg"], launch["lat_deg"], launch["alt_m"]],
            atol=1e-3,
        )


@pytest.mark.parametrize("value", ["plain", "a,b", "back\\slash", "two\nlines", "end\\"])
def test_escaped_values_read_back_unchanged(value):
    line = f"101,Name={escape(value)},Type=Air"
    joined = line.replace("\\\n", "\n")  # the reader joins a continued line the same way
    assert _split(joined) == ["101", f"Name={value}", "Type=Air"]
