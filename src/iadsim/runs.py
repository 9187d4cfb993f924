"""The ``iadsim run`` job: simulate, summarise, and write the run folder atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from iadsim.catalog import Catalog
from iadsim.engine.record import INTERCEPTORS_FILE
from iadsim.io.run_folder import write_json, write_run_folder, write_table
from iadsim.io.safe_output import check_output_target
from iadsim.report.layout import LAYOUT_FILE, run_layout
from iadsim.scenario.schema import Scenario
from iadsim.scoring.replication import RunResult, run_simulation


def run_to_folder(
    scenario: Scenario,
    catalog: Catalog,
    target: Path,
    seed: int | None = None,
    on_step: Callable[[float], None] | None = None,
    draw_map: bool = True,
    force: bool = False,
    record_looks: bool = True,
) -> RunResult:
    """Run ``scenario`` and write ``target`` whole (events, tracks, looks, summary, map, the
    interceptors' flown paths, and the ``layout.json`` that ``iadsim report`` draws coverage
    and assumptions from).

    ``target`` is checked before the simulation starts: a file or a folder that iadsim did
    not write raises :class:`~iadsim.io.safe_output.OutputError` at once, not after the run.
    """
    check_output_target(target, "run", scenario.name, force=force)
    result = run_simulation(scenario, catalog, seed, on_step, record_looks)
    extras: dict[str, Callable[[Path], None]] = {}
    if result.looks is not None:
        looks = result.looks
        extras["looks.parquet"] = lambda path: write_table(looks, path)
    if result.interceptors is not None:
        interceptors = result.interceptors
        extras[INTERCEPTORS_FILE] = lambda path: write_table(interceptors, path)
    layout = run_layout(scenario, catalog, result.simulation.terrain)
    extras[LAYOUT_FILE] = lambda path: write_json(layout, path)
    if draw_map:
        from iadsim.viz.run_map import draw_run_map

        extras["map.png"] = lambda path: draw_run_map(
            path,
            scenario,
            catalog,
            result.events,
            result.tracks,
            result.simulation.terrain,
            layout,
        )
    write_run_folder(
        target, result.events, result.tracks, result.picture, result.summary, extras, force=force
    )
    return result
