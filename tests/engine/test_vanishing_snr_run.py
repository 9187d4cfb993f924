"""A run must survive a detection drawn at vanishing SNR.

A Swerling target is detected with Pd near Pfa even tens of dB below threshold. At seed 9
the bundled Patriot scenario draws one near -70 dB at t = 223 s; Barton's angle error
``theta_3dB / (k_m sqrt(2 SNR))`` was then 40 rad and the converted-measurement kernel
divided by ``exp(-40²/2) = 0``, stopping the run with ZeroDivisionError.
"""

from __future__ import annotations

from tests.conftest import SCENARIOS

from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation

PATRIOT = SCENARIOS / "turkey-patriot-ankara.yaml"


def test_patriot_seed_9_runs_past_its_vanishing_snr_detection():
    document = load_document(PATRIOT)
    document["duration_min"] = 4  # the detection falls at t = 223 s
    scenario, catalog = validate_document(document, PATRIOT.name)
    steps: list[float] = []
    run_simulation(scenario, catalog, 9, on_step=steps.append)
    assert steps and steps[-1] >= 223.0
