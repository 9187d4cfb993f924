"""One replication of a study variant: the campaign measures plus the friend-as-enemy ones.

The engine's :func:`iadsim.scoring.replication.measures` says how many friends were
*engaged*; a study of identification (question 2 of ``studies/turkey-s400.yaml``) also
needs how many were *declared* suspect or hostile, how long each post held them so, and how
many were lost. Those come from the run summary (``friends_held_suspect_or_hostile``,
``totals.friendly_lost_to_own_fire``, ``air_picture.<post>.friend_held_hostile_time_s``),
which is computed from the posts' identity events and tracks against truth, for scoring.

:class:`StudyReplicate` optionally keeps each replication's per-look records for the
signature-exposure tables (:mod:`iadsim.studies.exposure`), written whole or not at all.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document
from iadsim.scoring.measures import REPLICATION_MEASURES, Measure, find_measure
from iadsim.scoring.replication import measures, point_key, run_simulation
from iadsim.scoring.sead import SEAD_MEASURES, sead_measures

__all__ = [
    "STUDY_MEASURES",
    "SightingsDecided",
    "StudyReplicate",
    "held_path",
    "held_tracks",
    "identification_measures",
    "looks_path",
    "only_sightings",
    "resource_measures",
    "sighting_measures",
    "sightings_decided",
]

IDENTIFICATION_MEASURES: tuple[Measure, ...] = (
    Measure(
        "friends_declared_suspect_or_hostile",
        "count",
        "aircraft",
        "Allied or civil aircraft that at least one post declared suspect or hostile, "
        "each counted once.",
    ),
    Measure(
        "any_friend_declared_suspect_or_hostile",
        "proportion",
        "",
        "1 if any post declared any allied or civil aircraft suspect or hostile, else 0.",
    ),
    Measure(
        "friendly_lost_to_own_fire",
        "count",
        "aircraft",
        "Allied or civil aircraft killed by the defence's interceptors.",
    ),
    Measure(
        "friends_declared_suspect_or_hostile_<post>",
        "count",
        "aircraft",
        "Allied or civil aircraft that post <post> declared suspect or hostile.",
    ),
    Measure(
        "friend_held_hostile_time_s_<post>",
        "duration",
        "s",
        "Allied-aircraft track time post <post> held as suspect or hostile, summed over "
        "its tracks at the record interval.",
    ),
)
"""Declarations of the measures :func:`identification_measures` adds."""

SIGHTING_MEASURES: tuple[Measure, ...] = (
    Measure(
        "first_own_track_range_km_<post>",
        "range",
        "km",
        "Mean over every aircraft (any side) post <post> held a confirmed track on from its "
        "own radars of the true range from the post when it first did; undefined if none.",
    ),
    Measure(
        "own_tracked_aircraft_<post>",
        "count",
        "aircraft",
        "Aircraft (any side) post <post> held a confirmed track on from its own radars.",
    ),
)
"""Declarations of the measures :func:`sighting_measures` adds (question 1: what a post's
own radars make of an aircraft, whichever side it is on)."""

RESOURCE_MEASURES: tuple[Measure, ...] = (
    Measure(
        "interceptors_per_kill",
        "ratio",
        "interceptors",
        "Interceptors launched by all fire units divided by threats killed; undefined if "
        "none was killed.",
    ),
    Measure(
        "rounds_left",
        "count",
        "interceptors",
        "Interceptors of all fire units neither launched nor lost at the end of the run "
        "(ready on launchers and reload stock).",
    ),
)
"""Declarations of the measures :func:`resource_measures` adds (question 3)."""

STUDY_MEASURES: tuple[Measure, ...] = (
    REPLICATION_MEASURES
    + IDENTIFICATION_MEASURES
    + SEAD_MEASURES
    + SIGHTING_MEASURES
    + RESOURCE_MEASURES
)
"""Every measure a study replication returns."""


def identification_measures(summary: dict[str, Any]) -> dict[str, float]:
    """Friend-as-enemy measures of one run summary (see :data:`IDENTIFICATION_MEASURES`).

    Parameters
    ----------
    summary : dict
        The run summary of :func:`iadsim.scoring.run_summary.summarise` with its
        ``air_picture`` entry.

    Returns
    -------
    dict
        Measure name -> value.
    """
    declared = summary["friends_held_suspect_or_hostile"]
    everyone = {truth for truths in declared.values() for truth in truths}
    out: dict[str, float] = {
        "friends_declared_suspect_or_hostile": len(everyone),
        "any_friend_declared_suspect_or_hostile": float(bool(everyone)),
        "friendly_lost_to_own_fire": summary["totals"]["friendly_lost_to_own_fire"],
    }
    for post in summary["posts"]:
        out[f"friends_declared_suspect_or_hostile_{post}"] = len(declared.get(post, ()))
    for post, picture in summary["air_picture"].items():
        held = picture.get("friend_held_hostile_time_s")
        out[f"friend_held_hostile_time_s_{post}"] = float("nan") if held is None else held
    return out


def sighting_measures(events: pa.Table, posts: list[str]) -> dict[str, float]:
    """First own-track ranges of every aircraft by each post (:data:`SIGHTING_MEASURES`).

    Parameters
    ----------
    events : pyarrow.Table
        ``events.parquet`` of a run: its ``first_track`` events with ``source: own`` give,
        per post and aircraft, the true range from the post when the post first held a
        confirmed track on it from its own radars (:mod:`iadsim.engine.accounting`).
    posts : list of str
        Every post of the run (a post that tracked nothing gets NaN and 0).

    Returns
    -------
    dict
        Measure name -> value.
    """
    ranges: dict[str, list[float]] = {post: [] for post in posts}
    rows = events.filter(pc.equal(events.column("kind"), "first_track")).to_pylist()
    for row in rows:
        detail = json.loads(row["detail"])
        if detail.get("source") == "own" and row["unit"] in ranges:
            ranges[row["unit"]].append(float(detail["range_km"]))
    out: dict[str, float] = {}
    for post, km in ranges.items():
        out[f"first_own_track_range_km_{post}"] = float(np.mean(km)) if km else float("nan")
        out[f"own_tracked_aircraft_{post}"] = len(km)
    return out


def only_sightings(names: list[str]) -> bool:
    """True if every measure of ``names`` is one of :data:`SIGHTING_MEASURES`."""
    return all(find_measure(SIGHTING_MEASURES, name) is not None for name in names)


def sightings_decided(simulation: Simulation) -> bool:
    """True once no later step can change :data:`SIGHTING_MEASURES`: every post with radars
    holds (or has held) an own confirmed track on every aircraft still to fly, so every
    ``first_track`` event with ``source: own`` is already recorded.

    An aircraft that was killed or has finished its route can give no later first track;
    one that has not started yet still can.
    """
    return _undecided(simulation) is None


def _undecided(simulation: Simulation) -> tuple[int, int] | None:
    """A post with radars and an aircraft still to fly that it never held an own track on
    (the first found), which keeps :func:`sightings_decided` False; None if there is none."""
    over = simulation.finished | ~simulation.alive
    held = simulation.accounting.held["own"]
    for unit in simulation.units:
        if unit.radars:
            missing = (~(held[unit.index] | over)).nonzero()[0]
            if missing.size:
                return unit.index, int(missing[0])
    return None


class SightingsDecided:
    """:func:`sightings_decided` for one run, asked after every step: while the post and
    aircraft that kept it undecided at the last asking still do (no own track held, the
    aircraft still to fly), it answers False at once, without looking at the others."""

    def __init__(self) -> None:
        self._undecided: tuple[int, int] | None = None

    def __call__(self, simulation: Simulation) -> bool:
        if self._undecided is not None:
            post, entity = self._undecided
            held = simulation.accounting.held["own"][post, entity]
            if not (held or simulation.finished[entity] or not simulation.alive[entity]):
                return False
        self._undecided = _undecided(simulation)
        return self._undecided is None


def resource_measures(
    ready: np.ndarray, spares: np.ndarray, fired: float, kills: float
) -> dict[str, float]:
    """Interceptors per kill and rounds left (:data:`RESOURCE_MEASURES`).

    Parameters
    ----------
    ready : (n_launchers, n_types) int64
        Rounds on each launcher at the end of the run.
    spares : (n_units, n_types) int64
        Reload stock of each unit at the end of the run.
    fired, kills : float
        Interceptors launched and threats killed in the run.

    Returns
    -------
    dict
        Measure name -> value.
    """
    return {
        "interceptors_per_kill": fired / kills if kills > 0 else float("nan"),
        "rounds_left": int(np.sum(ready) + np.sum(spares)),
    }


def looks_path(looks_dir: str | Path, scenario_doc: dict[str, Any], seed: int) -> Path:
    """Where :class:`StudyReplicate` keeps the looks of ``scenario_doc`` at ``seed``."""
    return Path(looks_dir) / point_key(scenario_doc) / f"seed-{seed}.parquet"


def held_path(looks_file: Path) -> Path:
    """Where the posts' tracks of the replication whose looks are ``looks_file`` are kept."""
    return looks_file.parent / "held" / looks_file.name


def held_tracks(tracks: pa.Table, record_interval_s: float) -> pa.Table:
    """Which post held a track on which aircraft at each record instant.

    Parameters
    ----------
    tracks : pyarrow.Table
        ``tracks.parquet`` of a run: truth rows (``source == "truth"``) and each post's
        track rows with the truth they follow (``truth``, empty for a false track),
        which is scoring's association, not anything a post knew.
    record_interval_s : float
        Interval of the record instants, s; kept as schema metadata.

    Returns
    -------
    pyarrow.Table
        ``time_s``, ``post``, ``target``: unique rows.
    """
    source = tracks.column("source")
    truth = tracks.column("truth")
    rows = tracks.filter(pc.and_(pc.not_equal(source, "truth"), pc.not_equal(truth, "")))
    held = pa.table(
        {
            "time_s": rows.column("time_s"),
            "post": rows.column("source"),
            "target": rows.column("truth"),
        }
    )
    held = held.group_by(["time_s", "post", "target"]).aggregate([])
    return held.replace_schema_metadata({"record_interval_s": repr(float(record_interval_s))})


@dataclass(frozen=True)
class StudyReplicate:
    """Run one replication and return :data:`STUDY_MEASURES`; picklable for workers.

    Parameters
    ----------
    looks_dir : str or None
        If given, keep the per-look records at :func:`looks_path` and the posts' tracks
        (:func:`held_tracks`) at :func:`held_path` of it (temporary files renamed into
        place, the looks last, so a killed study never leaves half a replication).
    sightings_only : bool
        The question asks only :data:`SIGHTING_MEASURES`: end each run as soon as they are
        decided (:func:`sightings_decided`; the same values as a full run, at a fraction of
        its cost, with no truth or track snapshots recorded, since sightings are events)
        and return every other measure as NaN, since it would describe a cut run.
    """

    looks_dir: str | None = None
    sightings_only: bool = False
    measures: ClassVar[tuple[Measure, ...]] = STUDY_MEASURES
    replicate_name: ClassVar[str] = "iadsim.studies.replicate:StudyReplicate"

    def __call__(self, scenario_doc: dict[str, Any], seed: int) -> dict[str, float]:
        scenario, catalog = validate_document(scenario_doc, scenario_doc.get("name", "<study>"))
        result = run_simulation(
            scenario,
            catalog,
            seed,
            record_looks=self.looks_dir is not None,
            until=SightingsDecided() if self.sightings_only else None,
            record_tracks=not self.sightings_only,  # sightings are events
        )
        if self.looks_dir is not None:
            assert result.looks is not None
            path = looks_path(self.looks_dir, scenario_doc, seed)
            held = held_tracks(result.tracks, scenario.record_interval_s)
            for table, target in ((held, held_path(path)), (result.looks, path)):
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_name(f".tmp-{target.name}-{os.getpid()}")
                pq.write_table(table, temporary)
                temporary.replace(target)
        sightings = sighting_measures(result.events, list(result.summary["posts"]))
        launchers = result.simulation.launchers
        values = {
            **measures(result.summary),
            **identification_measures(result.summary),
            **sead_measures(result.summary),
            **sightings,
            **resource_measures(
                launchers.rounds,
                launchers.spares,
                result.summary["totals"]["interceptors_fired"],
                result.summary["totals"]["threats_killed"],
            ),
        }
        if self.sightings_only:  # the others would describe a run cut short
            values = {name: sightings.get(name, float("nan")) for name in values}
        return values
