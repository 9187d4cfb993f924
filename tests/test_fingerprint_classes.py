"""``benchmarks/fingerprints.py`` classes a changed run as bits, outcomes or differs."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("fingerprints", ROOT / "benchmarks/fingerprints.py")
assert _spec is not None and _spec.loader is not None
fingerprints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fingerprints)


def outputs(
    speed: float = 250.0, kind: str = "kill", count: int = 3, gospa: float = 12.5
) -> dict[str, Any]:
    """A run's outputs in miniature: every table and a summary."""
    events = pa.table({"time_s": [10.0, 20.0], "kind": ["launch", kind]})
    tracks = pa.table({"vel_east_mps": [speed, -0.5, math.nan], "track": [1, 2, 3]})
    picture = pa.table({"gospa_m": [gospa]})
    looks = pa.table({"snr_db": [13.0] * count})
    summary = {"kills": 1, "picture": {"gospa_m": gospa}, "leakers": ["a"]}
    return {
        "events": events,
        "tracks": tracks,
        "picture": picture,
        "looks": looks,
        "summary": summary,
    }


def test_identical_runs_are_bits():
    assert fingerprints.classify(outputs(), outputs()) == ("bits", "")


def test_a_last_bit_is_the_same_outcome():
    moved = outputs(speed=float(np.nextafter(250.0, 300.0)))
    assert fingerprints.classify(moved, outputs()) == ("outcomes", "tracks")


def test_drift_below_the_bound_is_the_same_outcome_above_it_differs():
    near = outputs(speed=250.0 * (1 + 0.5 * fingerprints.DRIFT))
    far = outputs(speed=250.0 * (1 + 2 * fingerprints.DRIFT))
    assert fingerprints.classify(near, outputs())[0] == "outcomes"
    kind, detail = fingerprints.classify(far, outputs())
    assert kind == "differs"
    assert detail.startswith("tracks[0].vel_east_mps: 250.0 -> ")


def test_a_small_value_is_held_to_an_absolute_bound():
    """Near zero the bound is DRIFT itself, not DRIFT times the value."""
    base = outputs(speed=0.0)
    assert fingerprints.classify(outputs(speed=0.5 * fingerprints.DRIFT), base)[0] == "outcomes"
    assert fingerprints.classify(outputs(speed=2 * fingerprints.DRIFT), base)[0] == "differs"


@pytest.mark.parametrize(
    ("changed", "detail"),
    [
        (outputs(kind="miss"), "events.kind[1]: 'kill' -> 'miss'"),
        (outputs(count=4), "looks: 3 rows of ['snr_db'] -> 4 rows of ['snr_db']"),
        (outputs(speed=math.nan), "tracks[0].vel_east_mps: 250.0 -> nan"),
    ],
)
def test_a_discrete_change_differs(changed, detail):
    assert fingerprints.classify(changed, outputs()) == ("differs", detail)


def test_the_summary_is_held_to_the_same_rule():
    moved = outputs(gospa=float(np.nextafter(12.5, 13.0)))
    assert fingerprints.classify(moved, outputs()) == ("outcomes", "picture, summary")
    fewer = outputs()
    fewer["summary"] = {**fewer["summary"], "kills": 2}
    assert fingerprints.classify(fewer, outputs()) == ("differs", "summary.kills: 1 -> 2")
