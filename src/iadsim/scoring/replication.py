"""One replication of a scenario: run it and reduce the outcome to measures of effectiveness."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from iadsim.catalog import Catalog
from iadsim.engine.record import with_start_time
from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document
from iadsim.scenario.schema import Scenario
from iadsim.scoring.air_picture import PostCoverage, picture_metrics
from iadsim.scoring.engagement_measures import rounds_left
from iadsim.scoring.measures import REPLICATION_MEASURES, Measure, declare_measures
from iadsim.scoring.post_accounting import Post
from iadsim.scoring.run_summary import is_civil, summarise
from iadsim.scoring.sead import sead_summary


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced."""

    simulation: Simulation
    events: pa.Table
    tracks: pa.Table
    picture: pa.Table
    summary: dict[str, Any]
    looks: pa.Table | None = None
    """Per-look records (:mod:`iadsim.sensors.look_records`), when asked for."""
    interceptors: pa.Table | None = None
    """Interceptors in flight at each step (:data:`iadsim.engine.record.INTERCEPTOR_SCHEMA`),
    for display only."""


def run_simulation(
    scenario: Scenario,
    catalog: Catalog,
    seed: int | None = None,
    on_step: Callable[[float], None] | None = None,
    record_looks: bool = False,
    until: Callable[[Simulation], bool] | None = None,
    record_tracks: bool = True,
) -> RunResult:
    """Run a scenario once and summarise it; with ``record_looks``, keep its per-look
    records too (the outcomes are the same either way). ``until`` may end the run early
    (:meth:`iadsim.engine.simulation.Simulation.run`); the summary then covers the run up
    to that step. Without ``record_tracks`` (a caller that reads the events alone) neither
    truth nor tracks are recorded, nor interceptor positions: ``tracks`` and
    ``interceptors`` are empty, and so are the summary's air-picture figures."""
    simulation = Simulation(
        scenario,
        catalog,
        seed,
        record_looks=record_looks,
        record_interceptors=record_tracks,
        record_tracks=record_tracks,
    )
    recorder = simulation.run(on_step, until)
    start = scenario.start_time
    events, tracks = recorder.event_table(start), recorder.snapshot_table(start)
    entities = simulation.entities
    summary = summarise(
        events,
        entities.name,
        entities.labels_of("side"),
        entities.labels_of("platform"),
        entities.labels_of("category"),
        simulation.hostile_to_defence,
        entities.routes.start_s,
        scenario.name,
        simulation.seed,
        simulation.end_s,
        _posts(simulation),
    )
    picture, summary["air_picture"] = picture_metrics(
        tracks, _post_coverage(simulation), _truth_kinds(simulation), scenario.record_interval_s
    )
    if simulation.sead.in_use:
        summary["sead"] = sead_summary(
            events,
            entities.name,
            entities.labels_of("category"),
            [radar.name for radar in simulation.radars],
            [
                simulation.radars[unit.fire_control_radar].name
                for unit in simulation.units
                if unit.fire_control_radar >= 0 and np.any(simulation.launchers.unit == unit.index)
            ],
        )
    summary["rounds_left"] = _rounds_left(simulation)
    if simulation.terrain_report is not None:
        summary["terrain"] = simulation.terrain_report.as_dict()
    looks = None
    if simulation.look_records is not None:
        looks = with_start_time(simulation.look_records.table(), start)
    interceptors = recorder.interceptor_table(start)
    return RunResult(simulation, events, tracks, picture, summary, looks, interceptors)


def _rounds_left(simulation: Simulation) -> dict[str, dict[str, int]]:
    """Rounds each fire unit holds at the end, by interceptor type."""
    launchers = simulation.launchers
    table = simulation.fleet.table
    launched = np.flatnonzero(table.unit >= 0)  # ended flights keep their unit
    fired = np.zeros((len(simulation.units), len(launchers.interceptor_types)), dtype=bool)
    fired[table.unit[launched], table.type_index[launched]] = True
    return rounds_left(
        [unit.name for unit in simulation.units],
        launchers.unit,
        launchers.rounds,
        launchers.spares,
        launchers.interceptor_types,
        fired,
    )


def _posts(simulation: Simulation) -> list[Post]:
    """The posts as the summary names them: radars feeding each, links, launchers."""
    return [
        Post(
            unit.name,
            tuple(simulation.radars[r].name for r in unit.radars),
            tuple(sorted(unit.datalinks)),
            bool(np.any(simulation.launchers.unit == unit.index)),
        )
        for unit in simulation.units
    ]


def _post_coverage(simulation: Simulation) -> list[PostCoverage]:
    """Each post's coverage: its site and the longest instrumented range of its radars.

    An airborne post's site is its carrier's first waypoint (the origin of its frame); a post
    without radars covers nothing (its completeness is undefined).
    """
    return [
        PostCoverage(
            unit.name,
            unit.spec.site.lat_deg,
            unit.spec.site.lon_deg,
            max((simulation.radars[r].spec.max_range_m for r in unit.radars), default=0.0),
        )
        for unit in simulation.units
    ]


def _truth_kinds(simulation: Simulation) -> dict[str, str]:
    """Each aircraft as the defence should identify it: hostile, civil or friendly."""
    entities = simulation.entities
    return {
        name: "hostile" if hostile else "civil" if is_civil(category) else "friendly"
        for name, hostile, category in zip(
            entities.name,
            simulation.hostile_to_defence,
            entities.labels_of("category"),
            strict=True,
        )
    }


def measures(summary: dict[str, Any]) -> dict[str, float]:
    """Flat measures of effectiveness of one run (the campaign's columns).

    Their kinds, units and meanings are declared in
    :data:`iadsim.scoring.measures.REPLICATION_MEASURES`; a new measure here needs a
    declaration there (a test checks that the two agree).
    """
    totals = summary["totals"]
    out: dict[str, float] = {
        "leakers": totals["threats_leaked"],
        "kills": totals["threats_killed"],
        "airborne_at_end": totals["threats_airborne_at_end"],
        "interceptors_fired": totals["interceptors_fired"],
        "allied_engaged": totals["allied_engaged"],
        "civil_engaged": totals["civil_engaged"],
        "any_friendly_engaged": float(totals["allied_engaged"] + totals["civil_engaged"] > 0),
    }
    for post, account in summary["posts"].items():
        tracked = [t for t in account["first_tracks"] if t["own_track_range_km"] is not None]
        ranges = [t["own_track_range_km"] for t in tracked]
        out[f"own_tracked_{post}"] = len(tracked)
        out[f"first_track_range_km_mean_{post}"] = (
            float(np.mean(ranges)) if ranges else float("nan")
        )
    for threat in summary["threats"]:
        out[f"leakers_{threat['platform']}"] = threat["leaked"]
    return out


@declare_measures(*REPLICATION_MEASURES)
def replicate(scenario_doc: dict[str, Any], seed: int) -> dict[str, float]:
    """Run a scenario document (plain dict, e.g. after sweep edits) once with ``seed``."""
    scenario, catalog = validate_document(scenario_doc, scenario_doc.get("name", "<scenario>"))
    return measures(run_simulation(scenario, catalog, seed).summary)


def point_key(scenario_doc: dict[str, Any]) -> str:
    """Name of a sweep point's looks folder: 16 hex digits of the SHA-256 of its scenario
    document as canonical JSON."""
    text = json.dumps(scenario_doc, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ReplicateWithLooks:
    """:func:`replicate` that also keeps each replication's per-look records.

    Writes ``looks_dir/<point_key(doc)>/seed-<seed>.parquet`` whole or not at all (a
    temporary file renamed into place), so a campaign killed at any moment and resumed
    has every finished replication's looks. Picklable, for worker processes.
    """

    looks_dir: str
    measures: ClassVar[tuple[Measure, ...]] = REPLICATION_MEASURES
    replicate_name: ClassVar[str] = "iadsim.scoring.replication:ReplicateWithLooks"
    """How a campaign manifest names it (the folder is not part of the name)."""

    def __call__(self, scenario_doc: dict[str, Any], seed: int) -> dict[str, float]:
        path = Path(self.looks_dir) / point_key(scenario_doc) / f"seed-{seed}.parquet"
        scenario, catalog = validate_document(scenario_doc, scenario_doc.get("name", "<scenario>"))
        result = run_simulation(scenario, catalog, seed, record_looks=True)
        assert result.looks is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".tmp-{path.name}-{os.getpid()}")
        pq.write_table(result.looks, temporary)
        temporary.replace(path)
        return measures(result.summary)
