"""The simulation kernel: built from in-memory objects, stages in their own modules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from iadsim.engine.data import bundled_data
from iadsim.engine.simulation import Simulation
from iadsim.geo.terrain import ElevationGrid
from iadsim.scenario.loader import load_document, validate_document

MINIMAL = Path(__file__).parents[1] / "data" / "scenarios" / "minimal.yaml"


def test_bundled_data_is_read_once_per_process():
    assert bundled_data() is bundled_data()


def test_a_simulation_runs_on_data_made_in_memory():
    """A flat 5 km plateau instead of the bundled terrain: the kernel reads no file itself,
    and the data given is the data used (the run sees the plateau)."""
    document = load_document(MINIMAL)
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500  # above the battery's radar horizon on the bundled terrain
    scenario, catalog = validate_document(document, "minimal.yaml")
    plateau = ElevationGrid(
        lat0_rad=np.radians(30.0),
        lon0_rad=np.radians(18.0),
        dlat_rad=np.radians(1.0),
        dlon_rad=np.radians(1.0),
        heights_m=np.full((20, 40), 5000, dtype=np.int16),
        source="test plateau",
    )
    data = dataclasses.replace(bundled_data(), terrain=plateau)
    simulation = Simulation(scenario, catalog, data=data)
    assert simulation.sensing.terrain is plateau
    simulation.run()
    # The radar stands below a 5 km plateau: terrain masks everything, while on the
    # bundled terrain the same scenario detects its raider.
    assert not np.isfinite(simulation.first_detection_s).any()
    bundled = Simulation(scenario, catalog)
    bundled.run()
    assert np.isfinite(bundled.first_detection_s).any()


def test_a_run_stopped_early_is_the_full_run_up_to_that_step():
    """``until`` ends the run after the step it first holds: the events up to then are the
    full run's, and the summary covers the run as cut (``duration_s``)."""
    import pyarrow.compute as pc

    from iadsim.scoring.replication import run_simulation

    scenario, catalog = validate_document(load_document(MINIMAL), "minimal.yaml")
    full = run_simulation(scenario, catalog)
    stop_s = 60.0
    cut = run_simulation(scenario, catalog, until=lambda sim: sim.time_s >= stop_s)
    assert cut.simulation.end_s == stop_s
    assert cut.summary["duration_s"] == stop_s
    assert full.summary["duration_s"] == scenario.duration_s > stop_s
    kept = pc.less(full.events.column("time_s"), stop_s)
    ended = pc.equal(cut.events.column("kind"), "airborne_at_end")
    assert cut.events.filter(pc.invert(ended)).to_pylist() == full.events.filter(kept).to_pylist()
