"""The noise-jamming signal effect in the sensor chain: J/N by hand, main lobe and
sidelobes, the self-screening R^2 law, and which jammers reach which radar."""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.core.contracts import JammerEmitters
from iadsim.ew.jammers import JammerSet, carrier_rows
from iadsim.ew.noise_jamming import NoiseJamming, antenna_gain, main_lobe_gain
from iadsim.geo.frames import aer_to_enu, enu_to_ecef
from iadsim.sensors import chain
from iadsim.sensors.chain import build_signal_effects
from iadsim.sensors.radar import Radar

C = 299_792_458.0
K_T0 = 1.380649e-23 * 290.0


@pytest.fixture(scope="module")
def radar() -> Radar:
    spec = load_catalog().radars["s400/91n6e"]  # 3 GHz, 150 m, 1 deg, NF 4 dB, SLL -30 dB
    effects = (*build_signal_effects(), NoiseJamming())
    return Radar(
        0, "r", spec, math.radians(40.0), math.radians(32.5), 910.0, 0.0, signal_effects=effects
    )


def point(radar: Radar, az_deg: float, el_deg: float, range_m: float) -> np.ndarray:
    enu = aer_to_enu(np.radians([az_deg]), np.radians([el_deg]), np.array([range_m]))
    return enu_to_ecef(enu, radar.pos_ecef_m, radar.rotation).reshape(3)


def emitters(positions, erp_w=1.0e3, bandwidth_hz=2.0e7) -> JammerEmitters:
    positions = np.asarray(positions, np.float64).reshape(-1, 3)
    m = positions.shape[0]
    return JammerEmitters(np.arange(m), positions, np.full(m, erp_w), np.full(m, bandwidth_hz))


def jamming_db(radar: Radar, az_deg, el_deg, range_m, jammers) -> np.ndarray:
    aer = np.column_stack(np.broadcast_arrays(np.radians(az_deg), np.radians(el_deg), range_m))
    paths = chain.paths_from_aer(radar, aer, jammers=jammers)
    return NoiseJamming().snr_change_db(paths)


def test_self_screening_jamming_to_noise_by_hand(radar):
    # Jammer on the target at 50 km (main lobe): J/N = ERP G lambda^2 / ((4 pi)^2 R^2)
    # (B / B_J) / (k T0 B F), with G = 0.65 * 41253 / 1^2, B = c / (2 * 150 m), F = 4 dB.
    wavelength, bandwidth, gain = C / 3.0e9, C / 300.0, 0.65 * 41253.0
    j = 1.0e3 * gain * wavelength**2 / ((4 * math.pi) ** 2 * 5.0e4**2) * bandwidth / 2.0e7
    n = K_T0 * bandwidth * 10**0.4
    expected = -10.0 * math.log10(1.0 + j / n)
    # J = -44.7 dBm, N = -174 + 60 + 4 = -110 dBm: 65.3 dB lost to a 1 kW SPJ at 50 km
    assert expected == pytest.approx(-65.3, abs=0.1)
    change = jamming_db(radar, 30.0, 2.0, 5.0e4, emitters(point(radar, 30.0, 2.0, 5.0e4)))
    assert change[0] == pytest.approx(expected, abs=0.01)


def test_a_jammer_off_the_beam_enters_at_the_sidelobe_level(radar):
    jammer = emitters(point(radar, 40.0, 2.0, 5.0e4))
    on_axis = jamming_db(radar, 40.0, 2.0, 5.0e4, jammer)[0]
    off_axis = jamming_db(radar, 60.0, 2.0, 5.0e4, jammer)[0]
    # Both J/N >> 1: the SNR changes differ by the sidelobe level, -30 dB.
    assert off_axis - on_axis == pytest.approx(30.0, abs=0.05)


def test_gain_pattern_is_half_power_at_half_the_beamwidth():
    beam = math.radians(2.0)
    peak = main_lobe_gain(beam)
    assert peak == pytest.approx(0.65 * 41253.0 / 4.0)
    assert float(antenna_gain(np.array(beam / 2), beam, -30.0)) == pytest.approx(peak / 2)
    assert float(antenna_gain(np.array(10 * beam), beam, -30.0)) == pytest.approx(peak / 1000)


def test_self_screening_j_over_s_in_the_chain_grows_as_range_squared(radar):
    ranges = np.array([2.0e4, 4.0e4])
    positions = [point(radar, 10.0, 3.0, r) for r in ranges]
    j_over_n = [
        10 ** (-jamming_db(radar, 10.0, 3.0, r, emitters(p))[0] / 10) - 1
        for r, p in zip(ranges, positions, strict=True)
    ]
    s_over_n = 10 ** (chain.radar_equation_snr_db(radar, ranges, np.array([1.0, 1.0])) / 10)
    j_over_s = np.array(j_over_n) / s_over_n
    # J ~ 1/R^2, S ~ 1/R^4 (Adamy's 20 log R): doubling the range quadruples J/S.
    assert j_over_s[1] / j_over_s[0] == pytest.approx(4.0, rel=0.01)


def test_no_jammers_no_change(radar):
    assert jamming_db(radar, 0.0, 1.0, 1.0e5, None) == pytest.approx([0.0])
    assert jamming_db(radar, 0.0, 1.0, 1.0e5, emitters(np.zeros((0, 3)))) == pytest.approx([0.0])


def test_jammer_set_aims_tunes_and_goes_silent_with_its_carrier():
    catalog = load_catalog()
    alq99, spj = catalog.jammers["ea18g/alq99"], catalog.jammers["f35a/spj"]
    names = ["growler", "raid-01", "raid-02"]
    assert carrier_rows("raid", names) == [1, 2]
    jammers = JammerSet.build(
        [(alq99, "growler", frozenset({"post/s400/91n6e"})), (spj, "raid", None)], names
    )
    assert len(jammers) == 3
    pos = np.arange(9.0).reshape(3, 3)
    flying = np.ones(3, dtype=bool)
    aimed = jammers.toward("post/s400/91n6e", 3.0e9, pos, flying)  # SPJ is X band only
    assert list(aimed.index) == [0]
    assert aimed.erp_w[0] == alq99.erp_w
    other = jammers.toward("other", 3.0e9, pos, flying)
    assert other.erp_w[0] == pytest.approx(alq99.erp_w * 10 ** (alq99.sidelobe_level_db / 10))
    x_band = jammers.toward("other", 1.0e10, pos, np.array([False, True, True]))
    assert list(x_band.index) == [1, 2]
    np.testing.assert_array_equal(x_band.pos_ecef_m, pos[[1, 2]])
