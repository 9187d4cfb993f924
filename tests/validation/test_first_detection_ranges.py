"""The hand calculations of scripts/first_detection_ranges.py against independent ones.

R50: instead of the R^(1/4) scaling, the range at which a Swerling 1 target's single-look
Pd is 0.5 is found by root finding on the closed-form Pd ``Pfa^(1/(1+SNR))`` (Richards,
*Fundamentals of Radar Signal Processing*, 2nd ed., 2014, eq. 6.54) with the SNR of the
radar equation in absolute form, from a radar constant fixed by the catalog's reference
statement. The nose-on RCS is checked against the signature pattern as the simulation
evaluates it (iadsim.sensors.signature_pattern), and the frame time against the search
raster of iadsim.sensors.timeline and the catalog note's own figure (15.4 s).
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
from scipy import optimize
from tests.conftest import ROOT

from iadsim.catalog.loader import load_catalog
from iadsim.sensors.radar import Radar
from iadsim.sensors.signature import load_signatures


def _script():
    spec = importlib.util.spec_from_file_location(
        "first_detection_ranges", ROOT / "scripts" / "first_detection_ranges.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


def _independent_r50_m(range_ref_m, rcs_ref_m2, pd_ref, pfa, rcs_m2):
    """Root of Pd(R) = Pd_ref for a Swerling 1 target, the SNR from an absolute constant."""
    snr_ref = math.log(pfa) / math.log(pd_ref) - 1.0  # Pd = Pfa^(1/(1+SNR)) solved for SNR
    constant = snr_ref * range_ref_m**4 / rcs_ref_m2  # SNR = C sigma / R^4

    def pd(range_m):
        return pfa ** (1.0 / (1.0 + constant * rcs_m2 / range_m**4))

    return optimize.brentq(lambda r: pd(r) - pd_ref, 1.0, 1e7, xtol=1e-6, rtol=1e-12)


def test_every_hand_r50_is_the_root_of_the_swerling_1_pd_law():
    catalog = load_catalog()
    rows = SCRIPT.hand_r50_table()
    assert {(row["radar"], row["target"]) for row in rows} == {
        (r, t) for r in SCRIPT.S400_RADARS for t in SCRIPT.AIRCRAFT
    }
    for row in rows:
        spec = catalog.radars[row["radar"]]
        independent = _independent_r50_m(
            spec.detection_range_m, spec.reference_rcs_m2, spec.reference_pd,
            spec.reference_pfa, row["rcs_m2"],
        )  # fmt: skip
        assert row["r50_km"] * 1e3 == pytest.approx(independent, rel=1e-9)


def test_worked_values_f16c_by_the_92n6e_and_f35a_by_the_91n6e():
    rows = {(row["radar"], row["target"]): row for row in SCRIPT.hand_r50_table()}
    # X band, F-16C 2 m2 nose-on: 400 km x (2 / 4)^(1/4) = 336.36 km.
    assert rows["s400/92n6e", "f16c"]["r50_km"] == pytest.approx(336.36, abs=0.01)
    # S band, F-35A 0.0015 m2 x 10^(3/10) = 0.00299 m2: 600 km x (0.00299 / 4)^(1/4).
    assert rows["s400/91n6e", "f35a"]["rcs_m2"] == pytest.approx(0.0015 * 10**0.3)
    assert rows["s400/91n6e", "f35a"]["r50_km"] == pytest.approx(99.2, abs=0.1)


@pytest.mark.parametrize("target", ["f35a", "f16c"])
@pytest.mark.parametrize("frequency_hz", [3.0e9, 5.5e9, 1.0e10])
def test_the_nose_on_rcs_is_the_simulations_pattern_nose_on(target, frequency_hz):
    table = load_signatures()
    got = table.rcs_m2([table.index(target)], [0.0], [0.0], [frequency_hz])[0]
    assert SCRIPT.nose_on_rcs_m2(target, frequency_hz) == pytest.approx(got, rel=1e-6)


@pytest.mark.parametrize("key", SCRIPT.FRAME_RADARS)
def test_the_hand_frame_time_is_the_simulated_radars_search_frame(key):
    catalog = load_catalog()
    raw = SCRIPT._yaml("radars.yaml")["radars"][key]
    hand = SCRIPT.hand_frame_s(raw)
    radar = Radar(0, key, catalog.radars[key], 0.7, 0.57, 900.0)
    assert hand["frame_s"] == pytest.approx(radar.revisit_s, rel=1e-3)


def test_the_92n6e_frame_is_the_catalog_notes_15_4_s_and_its_lowest_dwell_2_67_ms():
    hand = SCRIPT.hand_frame_s(SCRIPT._yaml("radars.yaml")["radars"]["s400/92n6e"])
    assert hand["rows"] == 152
    assert hand["positions_per_row"] == pytest.approx(
        2 * math.sin(math.radians(45)) / math.radians(0.5)
    )
    assert hand["lowest_dwell_ms"] == pytest.approx(2 * 400e3 / 299_792_458.0 * 1e3)
    assert hand["frame_s"] == pytest.approx(15.4, abs=0.05)
    assert np.isclose(hand["beam_positions"], 152 * 162.06, rtol=1e-3)


def test_the_cumulative_r50_is_the_median_first_detection_of_independent_draws():
    """20,000 head-on approaches by Monte Carlo, each look a fresh Swerling 1 draw (the
    exponential RCS with the mean of the reference law): the median first-detection range
    is the cumulative R50 within one look's travel."""
    rng = np.random.default_rng(7)
    r_ref, s_ref, rcs, pfa, revisit = 600e3, 4.0, 0.003, 1e-6, 10.0
    step = SCRIPT.SPEED_KT * 1852.0 / 3600.0 * revisit
    ranges = np.arange(SCRIPT.ROUTE_START_KM * 1e3, 0.0, -step)
    snr_ref = math.log(pfa) / math.log(0.5) - 1.0
    threshold = -math.log(pfa)  # square-law detector, noise power 1: P(x > T) = Pfa
    mean_snr = snr_ref * rcs / s_ref * (r_ref / ranges) ** 4
    # Swerling 1 echo power over noise: exponential with mean 1 + SNR (Richards eq. 6.54).
    power = rng.exponential(1.0, (20_000, ranges.size)) * (1.0 + mean_snr)
    first = ranges[np.argmax(power > threshold, axis=1)]
    cumulative = SCRIPT.cumulative_r50_m(r_ref, s_ref, rcs, pfa, revisit)
    assert cumulative > SCRIPT.r50_m(r_ref, s_ref, rcs)
    assert abs(np.median(first) - cumulative) <= step
