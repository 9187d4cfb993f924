"""The identification measures a study adds, from a hand-made run summary."""

from __future__ import annotations

import math
from pathlib import Path

from iadsim.campaigns.store import load_results, measure_columns
from iadsim.scoring.measures import find_measure
from iadsim.studies.replicate import STUDY_MEASURES, identification_measures


def test_friends_are_counted_once_across_posts_and_per_post():
    summary = {
        "friends_held_suspect_or_hostile": {"sam": ["f35-1", "f35-2"], "awacs": ["f35-2"]},
        "totals": {"friendly_lost_to_own_fire": 1},
        "posts": {"sam": {}, "awacs": {}, "quiet": {}},
        "air_picture": {
            "sam": {"friend_held_hostile_time_s": 120.0},
            "quiet": {"friend_held_hostile_time_s": None},
        },
    }
    measures = identification_measures(summary)
    assert measures["friends_declared_suspect_or_hostile"] == 2
    assert measures["any_friend_declared_suspect_or_hostile"] == 1.0
    assert measures["friendly_lost_to_own_fire"] == 1
    assert measures["friends_declared_suspect_or_hostile_sam"] == 2
    assert measures["friends_declared_suspect_or_hostile_awacs"] == 1
    assert measures["friends_declared_suspect_or_hostile_quiet"] == 0
    assert measures["friend_held_hostile_time_s_sam"] == 120.0
    assert math.isnan(measures["friend_held_hostile_time_s_quiet"])


def test_nobody_declared_gives_zeros():
    summary = {
        "friends_held_suspect_or_hostile": {},
        "totals": {"friendly_lost_to_own_fire": 0},
        "posts": {"sam": {}},
        "air_picture": {},
    }
    measures = identification_measures(summary)
    assert measures["friends_declared_suspect_or_hostile"] == 0
    assert measures["any_friend_declared_suspect_or_hostile"] == 0.0


def test_every_measure_of_a_study_replication_is_declared(tmp_path):
    from iadsim.studies.runner import run_study
    from iadsim.studies.schema import load_study

    tiny = Path(__file__).resolve().parents[1] / "data" / "studies" / "tiny.yaml"
    run_study(load_study(tiny), tmp_path, replications=1, progress=False)
    for campaign in (tmp_path / "iff").iterdir():
        if (campaign / "results").is_dir():
            table = load_results(campaign)
            columns = measure_columns(table)
            undeclared = [name for name in columns if find_measure(STUDY_MEASURES, name) is None]
            assert undeclared == []


def test_held_tracks_keep_each_posts_tracks_on_real_aircraft_once():
    import pyarrow as pa

    from iadsim.studies.replicate import held_tracks

    tracks = pa.table(
        {
            "time_s": [0.0, 0.0, 0.0, 0.0, 10.0],
            "source": ["truth", "sam", "sam", "sam", "sam"],
            "id": ["jet-01", "T1", "T2", "T3", "T1"],
            "truth": ["jet-01", "jet-01", "jet-01", "", "jet-01"],
        }
    )
    held = held_tracks(tracks, 10.0).sort_by("time_s")
    assert held.to_pylist() == [
        {"time_s": 0.0, "post": "sam", "target": "jet-01"},
        {"time_s": 10.0, "post": "sam", "target": "jet-01"},
    ]
    assert held.schema.metadata[b"record_interval_s"] == b"10.0"


def test_first_own_track_ranges_count_own_tracks_only_per_post():
    import json

    import pyarrow as pa

    from iadsim.studies.replicate import sighting_measures

    def row(kind, unit, truth, **detail):
        return {"kind": kind, "unit": unit, "truth": truth, "detail": json.dumps(detail)}

    events = pa.Table.from_pylist(
        [
            row("first_track", "sam", "f35-1", source="own", range_km=80.0),
            row("first_track", "sam", "f16-1", source="own", range_km=250.0),
            # a link track and a fire-control track are not the post's own first track
            row("first_track", "sam", "su35-1", source="link", range_km=400.0),
            row("fire_control_track", "sam", "f35-1", range_km=60.0),
            row("first_detection", "sam", "f35-1", range_km=90.0, radar="r"),
            row("first_track", "awacs", "f35-1", source="own", range_km=40.0),
        ]
    )
    measures = sighting_measures(events, ["sam", "awacs", "quiet"])
    assert measures["first_own_track_range_km_sam"] == 165.0
    assert measures["own_tracked_aircraft_sam"] == 2
    assert measures["first_own_track_range_km_awacs"] == 40.0
    assert math.isnan(measures["first_own_track_range_km_quiet"])
    assert measures["own_tracked_aircraft_quiet"] == 0


def test_interceptors_per_kill_and_rounds_left():
    import numpy as np

    from iadsim.studies.replicate import resource_measures

    ready = np.array([[4, 0], [1, 2], [0, 0]])  # three launchers, two interceptor types
    spares = np.array([[3, 0], [0, 5]])  # two units' reload stock
    measures = resource_measures(ready, spares, fired=9, kills=3)
    assert measures == {"interceptors_per_kill": 3.0, "rounds_left": 15}
    assert math.isnan(resource_measures(ready, spares, fired=4, kills=0)["interceptors_per_kill"])


def test_only_sighting_measures_let_a_question_stop_early():
    from iadsim.studies.replicate import only_sightings

    assert only_sightings(["first_own_track_range_km_s400", "own_tracked_aircraft_s400"])
    assert not only_sightings(["own_tracked_aircraft_s400", "kills"])


def test_sightings_are_decided_once_every_aircraft_to_fly_is_held_by_every_radar_post():
    from types import SimpleNamespace

    import numpy as np

    from iadsim.studies.replicate import SightingsDecided, sightings_decided

    def simulation(held_own, finished, alive, radars=((0,), (1,), ())):
        units = [SimpleNamespace(index=k, radars=r) for k, r in enumerate(radars)]
        return SimpleNamespace(
            units=units,
            finished=np.array(finished),
            alive=np.array(alive),
            accounting=SimpleNamespace(held={"own": np.array(held_own)}),
        )

    # a post without radars (the third) can never hold an own track: it is not waited for
    held = [[True, False], [True, True], [False, False]]
    assert not sightings_decided(simulation(held, [False, False], [True, True]))
    assert sightings_decided(simulation(held, [False, True], [True, True]))  # route ended
    assert sightings_decided(simulation(held, [False, False], [True, False]))  # killed
    # an aircraft not yet started (not finished, alive) is still to be seen
    assert not sightings_decided(simulation([[True, False]] * 3, [False, False], [True, True]))
    # asked step after step, the remembered undecided pair answers as the full check does
    asked = SightingsDecided()
    steps = [
        (held, [False, False], [True, True]),
        (held, [False, False], [True, True]),
        ([[True, True], [False, True], [False, False]], [False, False], [True, True]),
        ([[True, True], [True, True], [False, False]], [False, False], [True, True]),
    ]
    for step in steps:
        assert asked(simulation(*step)) == sightings_decided(simulation(*step))


def test_a_sightings_only_replication_ends_early_with_the_full_runs_sightings():
    """Question 1's F-16C, first tracked minutes into a 27-minute run: the cut run gives the
    same sighting measures, and NaN for every other measure (they would describe a cut run)."""
    from iadsim.scenario.loader import load_document, validate_document
    from iadsim.scoring.replication import run_simulation
    from iadsim.studies.replicate import StudyReplicate, sightings_decided

    path = Path(__file__).resolve().parents[2] / "studies" / "scenarios" / "s400-sees-fighters.yaml"
    document = load_document(path)
    document["air_tracks"][0]["type"] = "f16c"
    full = StudyReplicate()(document, 7)
    cut = StudyReplicate(sightings_only=True)(document, 7)
    assert full.keys() == cut.keys()
    sightings = ("first_own_track_range_km_s400-murted", "own_tracked_aircraft_s400-murted")
    assert cut["own_tracked_aircraft_s400-murted"] == 1
    for name, value in cut.items():
        if name in sightings:
            assert value == full[name]
        else:
            assert math.isnan(value), name
    scenario, catalog = validate_document(document, path.name)
    result = run_simulation(scenario, catalog, 7, until=sightings_decided)
    assert result.simulation.end_s < scenario.duration_s / 2
