"""A jammer shows in a coverage map and in a run alike (one sensor chain), and a jammed
run is as deterministic as any other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from iadsim.coverage.jamming import jammed_radars
from iadsim.coverage.maps import pd_at_points
from iadsim.engine.simulation import Simulation
from iadsim.engine.world import build_radars
from iadsim.scenario.loader import load_document, validate_document
from iadsim.sensors.signature import signature_table

JAMMING = Path(__file__).parent.parent / "data" / "scenarios" / "jamming.yaml"


def scenario(with_jammers: bool):
    document = load_document(JAMMING)
    if not with_jammers:
        document.pop("jammers")
    return validate_document(document, str(JAMMING))


def detections(with_jammers: bool) -> tuple[dict[str, int], list]:
    loaded, catalog = scenario(with_jammers)
    simulation = Simulation(loaded, catalog, record_looks=True)
    simulation.run()
    assert simulation.look_records is not None
    table = simulation.look_records.table().to_pydict()
    counts: dict[str, int] = {}
    for radar, hit in zip(table["radar"], table["detected"], strict=True):
        counts[radar] = counts.get(radar, 0) + int(hit)
    return counts, table["snr_db"]


@pytest.fixture(scope="module")
def runs():
    return detections(True), detections(False)


def test_the_stand_off_jammer_denies_the_surveillance_radar_its_detections(runs):
    (jammed, _), (clear, _) = runs
    radar = "battalion/s400/91n6e"
    assert clear[radar] >= 20  # the strike is seen from about 250 km without jamming
    assert jammed.get(radar, 0) <= clear[radar] // 4


def test_a_jammed_run_is_deterministic(runs):
    (_, snr), _ = runs
    (_, again) = detections(True)
    np.testing.assert_array_equal(np.asarray(snr, float), np.asarray(again, float))


def test_the_coverage_map_shows_the_jammer_at_its_time():
    loaded, catalog = scenario(True)
    radars, _ = build_radars(loaded, catalog)
    jammed, snapshot = jammed_radars(loaded, catalog, radars, 60.0)
    assert snapshot.names == ["ea18g/alq99@growler"]
    assert snapshot.lat_deg[0] == pytest.approx(41.1, abs=0.01)
    signatures = signature_table(catalog)
    lat = np.radians(np.linspace(40.6, 41.0, 5))  # 67-111 km north, towards the strike
    lon, alt = np.full(5, np.radians(32.5)), np.full(5, 9000.0)
    clear = pd_at_points(radars[0], lat, lon, alt, signatures, "f16c")
    denied = pd_at_points(jammed[0], lat, lon, alt, signatures, "f16c")
    assert clear.min() > 0.5
    # 40 dB of sidelobe jamming (J/N from the aimed ALQ-99 at about 125 km): the 0.5
    # boundary falls from about 500 km to about 50 km (iadsim coverage --jam-time-s 60).
    assert denied.max() < 0.15
    # The map's jamming comes from the fixed jammers alone: without them, the clear map.
    no_jam = validate_document({**load_document(JAMMING), "jammers": []}, str(JAMMING))
    plain, _ = build_radars(*no_jam)
    np.testing.assert_array_equal(pd_at_points(plain[0], lat, lon, alt, signatures, "f16c"), clear)
