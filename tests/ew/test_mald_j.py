"""The MALD-J's stand-in jammer (catalog ``adm160c/jammer``): the noise it puts into a radar
is the one-way jamming equation's, by hand and in a run.

Hand values: ``J = ERP G lambda^2 / ((4 pi)^2 R^2) min(1, B / B_J)`` (Adamy, EW 101, ch. 9,
S200; Schleher sec. 3, S203), ``N = k T0 B F``, the radar's gain ``0.65 * 41253 / theta^2``
and bandwidth ``c / (2 Delta R)`` as :mod:`iadsim.ew.noise_jamming` defines them; the SNR
lost is ``10 log10(1 + J / N)``, so ``J / S = (J / N) / (S / N)`` grows by the same factor.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.engine.simulation import Simulation
from iadsim.ew import noise_jamming
from iadsim.ew.jammers import JammerSet, tunes_to
from iadsim.ew.noise_jamming import NoiseJamming
from iadsim.geo.frames import aer_to_enu, enu_to_ecef
from iadsim.scenario.loader import validate_document
from iadsim.sensors import chain
from iadsim.sensors.chain import build_signal_effects
from iadsim.sensors.radar import Radar

C = 299_792_458.0
K_T0 = 1.380649e-23 * 290.0


def _j_over_n(spec, jammer, range_m: float) -> float:
    """J/N in a radar's receiver from a jammer in its main beam, by hand."""
    wavelength = C / spec.frequency_hz
    bandwidth = C / (2.0 * spec.range_resolution_m)
    gain = 0.65 * 41253.0 / math.degrees(spec.beamwidth_rad) ** 2
    share = min(1.0, bandwidth / jammer.bandwidth_hz)
    j = jammer.erp_w * gain * wavelength**2 / ((4 * math.pi) ** 2 * range_m**2) * share
    return j / (K_T0 * bandwidth * 10 ** (spec.noise_figure_db / 10))


def test_the_catalog_has_a_mald_j_jammer_for_the_s400_bands():
    catalog = load_catalog()
    jammer = catalog.jammers["adm160c/jammer"]
    assert jammer.confidence["erp_w"] == "D"  # no public figure: an assumption
    for radar in ("s400/91n6e", "s400/92n6e", "s400/96l6e", "pantsir/1rs2-1e"):
        assert tunes_to(jammer, catalog.radars[radar].frequency_hz), radar
    assert not tunes_to(jammer, 1.3e9)  # L band lies outside its assumed 2-18 GHz


def test_a_mald_j_in_the_main_beam_raises_j_over_n_as_the_equation_says():
    catalog = load_catalog()
    spec = catalog.radars["s400/92n6e"]  # 10 GHz, 0.5 deg, 30 m
    jammer = catalog.jammers["adm160c/jammer"]
    radar = Radar(
        0,
        "post/s400/92n6e",
        spec,
        math.radians(54.655),
        math.radians(21.05),
        45.0,
        math.radians(270.0),
        signal_effects=(*build_signal_effects(), NoiseJamming()),
    )
    range_m = 20_000.0
    enu = aer_to_enu(np.radians([270.0]), np.radians([10.0]), np.array([range_m]))
    position = enu_to_ecef(enu, radar.pos_ecef_m, radar.rotation).reshape(1, 3)
    jammers = JammerSet.build([(jammer, "mald-j", None)], ["mald-j"])
    emitters = jammers.toward(radar.name, spec.frequency_hz, position, np.array([True]))
    aer = np.array([[math.radians(270.0), math.radians(10.0), range_m]])
    paths = chain.paths_from_aer(radar, aer, jammers=emitters)
    change = NoiseJamming().snr_change_db(paths)
    expected = _j_over_n(spec, jammer, range_m)
    assert change[0] == pytest.approx(-10 * math.log10(1 + expected), abs=1e-6)
    # 30 dBW ERP + 50.3 dBi - 30.5 dB (lambda^2) - 22.0 dB ((4 pi)^2) - 86.0 dB (R^2)
    # - 13.0 dB (5 MHz of 100 MHz) = -71.2 dBW of noise against N = -204 + 67.0 + 4 dBW:
    # J/N about 62 dB, so the MALD-J that it screens loses about 62 dB of SNR.
    assert 10 * math.log10(expected) == pytest.approx(61.8, abs=0.1)
    # Outside its aim (here: aimed elsewhere) its sidelobes carry 10 dB less.
    aside = JammerSet.build([(jammer, "mald-j", frozenset({"other"}))], ["mald-j"])
    weak = aside.toward(radar.name, spec.frequency_hz, position, np.array([True]))
    assert weak.erp_w[0] == pytest.approx(jammer.erp_w / 10.0)


SCENARIO = {
    "schema_version": 1,
    "name": "mald-j-test",
    "start_time": "2026-06-01T03:00:00Z",
    "duration_min": 1.0,
    "seed": 3,
    "sides": {"red": {"hostile_to": ["blue"]}, "blue": {"hostile_to": ["red"]}},
    "fire_units": [
        {
            "name": "battery",
            "side": "red",
            "command_post": "s400/55k6e",
            "position": {"lat_deg": 54.655, "lon_deg": 21.05, "alt_m": 20.0},
            "weapon_control": "hold",
            "radars": [{"type": "s400/91n6e"}],
        }
    ],
    "air_tracks": [
        {
            "name": "maldj",
            "side": "blue",
            "type": "adm160c",
            "start_s": 0.0,
            "route": [
                {"lat_deg": 54.655, "lon_deg": 20.40, "alt_m": 5000.0, "speed_kt": 460.0},
                {"lat_deg": 54.655, "lon_deg": 20.90, "alt_m": 5000.0, "speed_kt": 460.0},
            ],
        }
    ],
    "jammers": [{"type": "adm160c/jammer", "on": "maldj", "aim_at": ["battery"]}],
}


def _looks(monkeypatch, doc):
    """Run ``doc``; return the jammed paths the radar's looks saw (J/N by the chain)."""
    seen = []
    original = noise_jamming.jamming_to_noise

    def spy(radar, frequency_hz, radar_pos, look, jammers):
        ratio = original(radar, frequency_hz, radar_pos, look, jammers)
        seen.append((radar_pos.copy(), jammers.pos_ecef_m.copy(), jammers.erp_w.copy(), ratio))
        return ratio

    monkeypatch.setattr(noise_jamming, "jamming_to_noise", spy)
    scenario, _ = validate_document(copy.deepcopy(doc), "mald-j-test")
    Simulation(scenario, load_catalog()).run()
    return seen


def test_in_a_run_the_mald_j_jams_the_radar_it_flies_at(monkeypatch):
    catalog = load_catalog()
    spec, jammer = catalog.radars["s400/91n6e"], catalog.jammers["adm160c/jammer"]
    seen = _looks(monkeypatch, SCENARIO)
    assert seen, "the MALD-J's jammer never reached the radar"
    for radar_pos, jammer_pos, erp, ratio in seen:
        assert erp.tolist() == [jammer.erp_w]  # aimed at the battery: main-beam ERP
        # The floor of J/N: the radar's mean sidelobes towards the jammer (SLL -30 dB);
        # the ceiling: its main beam on it.
        range_m = float(np.linalg.norm(jammer_pos[0] - radar_pos))
        peak = _j_over_n(spec, jammer, range_m)
        assert np.all(ratio <= peak * (1 + 1e-9))
        assert np.all(ratio >= peak * 10 ** (spec.sidelobe_level_db / 10) * (1 - 1e-9))
    # Without the jammers entry, a MALD-J is only a decoy: no noise.
    quiet = copy.deepcopy(SCENARIO)
    quiet["jammers"] = []
    assert not _looks(monkeypatch, quiet)
