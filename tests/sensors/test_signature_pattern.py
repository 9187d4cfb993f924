"""Tests for the analytic signature patterns: anchors, edge lobes, per-look aspect, sweeps.

Expectations are computed here independently of the module: lobe positions from the edge
geometry by vector algebra, widths and levels from the straight-edge hip-pocket formula
(Knott, Shaeffer and Tuley, Radar Cross Section, 2nd ed., ch. 14), and pattern values by
scalar arithmetic on the catalog's figures.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pymap3d
import pytest
import yaml

from iadsim.campaigns.sweep import apply_point
from iadsim.catalog import load_catalog
from iadsim.catalog.loader import CatalogOverrideError
from iadsim.engine.simulation import Simulation
from iadsim.scenario.loader import validate_document
from iadsim.sensors import sensing
from iadsim.sensors.signature import load_signatures, signature_table

DEG = np.pi / 180.0
C0_MPS = 299_792_458.0
X_HZ, C_HZ, S_HZ = 1.0e10, 5.6e9, 3.0e9
WANDER_DEG = 1.0  # attitude wander over a look (the catalog notes' convention)


@pytest.fixture(scope="module")
def table():
    return load_signatures()


@pytest.fixture(scope="module")
def document() -> dict:
    text = resources.files("iadsim.catalog").joinpath("data/signatures.yaml").read_text()
    return yaml.safe_load(text)


def rcs(table, name, az_deg, el_deg=0.0, freq_hz=X_HZ):
    az = np.atleast_1d(np.asarray(az_deg, dtype=float)) * DEG
    el = np.broadcast_to(np.asarray(el_deg, dtype=float) * DEG, az.shape)
    return table.rcs_m2(np.full(az.size, table.index(name)), az, el, freq_hz)


# --- anchors -----------------------------------------------------------------------------------


def test_nose_on_anchor_band_value_is_the_catalog_anchor(table):
    catalog = load_catalog()
    for name in table.names:
        anchor = catalog.air_platforms[name].rcs_m2
        assert catalog.signatures[name].anchor.band == "X"
        np.testing.assert_allclose(rcs(table, name, 0.0), [anchor], rtol=1e-9)


# --- edge lobes from the planform geometry -----------------------------------------------------


def edge_normal_az_deg(sweep_deg: float) -> float:
    """Aspect azimuth at which the line of sight is normal to an edge of the wing plane.

    The edge runs outboard along e = (-sin L, cos L) (x forward, y right wing, L the sweep,
    positive aft); the line of sight (cos az, sin az) is normal to it where their dot
    product vanishes, found here by bisection rather than by the closed form.
    """
    edge = np.array([-math.sin(math.radians(sweep_deg)), math.cos(math.radians(sweep_deg))])
    low, high = 0.0, 180.0
    dot = lambda az: float(np.dot(edge, [math.cos(math.radians(az)), math.sin(math.radians(az))]))  # noqa: E731
    assert dot(low) * dot(high) < 0
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if dot(low) * dot(mid) > 0 else (low, mid)
    return 0.5 * (low + high)


def hip_pocket_edge(edges_m, freq_hz, treatment_db):
    """Straight-edge lobe: peak sum L^2/pi (m^2) and sin(x)/x half-power width 0.443 lambda/L,
    spread by the attitude wander (widths add in quadrature, the integral is kept)."""
    wavelength = C0_MPS / freq_hz
    width_deg = math.degrees(0.443 * wavelength / max(edges_m))
    spread_deg = math.hypot(width_deg, WANDER_DEG)
    peak_m2 = sum(length**2 for length in edges_m) / math.pi * width_deg / spread_deg
    return peak_m2 * 10 ** (-treatment_db / 10), spread_deg


# (type, lobe, sweep deg (negative: forward), half span m, fuselage half-width m, other edge m,
#  edge treatment dB at X and at S, nose-on dB over the anchor at S); figures of the notes.
EDGES = [
    ("f35a", "leading_edges", 34.0, 10.7 / 2, 1.2, 2.3, 15.0, 12.0, 3.0),
    ("f35a", "trailing_edges", -14.0, 10.7 / 2, 1.2, 2.0, 15.0, 12.0, 3.0),
    ("f16c", "leading_edges", 40.0, 9.96 / 2, 0.9, 2.3, 0.0, 0.0, 0.0),
    ("ea18g", "leading_edges", 25.0, 13.62 / 2, 1.5, 0.0, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize(
    ("name", "lobe", "sweep", "half_span", "root", "other", "tx", "ts", "ns"), EDGES
)
def test_edge_lobes_peak_at_the_edge_normal_with_the_hip_pocket_level_and_width(
    table, name, lobe, sweep, half_span, root, other, tx, ts, ns
):
    # a trailing edge flashes toward the rear: the normal of the edge seen from behind
    centre = edge_normal_az_deg(sweep) if sweep > 0 else 180.0 - edge_normal_az_deg(-sweep)
    edge_m = (half_span - root) / math.cos(math.radians(abs(sweep)))
    anchor_m2 = load_catalog().air_platforms[name].rcs_m2
    # the rest of the pattern (the lobe turned 60 dB down): the TE flash sits on the tail lobe
    without = signature_table(
        load_catalog().with_overrides({name: {"pattern": {"lobes": {lobe: {"offset_db": -60}}}}})
    )
    for freq_hz, treatment_db, nose_db in ((X_HZ, tx, 0.0), (S_HZ, ts, ns)):
        peak_m2, width_deg = hip_pocket_edge([edge_m, other], freq_hz, treatment_db)
        az = np.arange(centre - 5.0, centre + 5.0, 0.0005)
        flash = rcs(table, name, az, 0.0, freq_hz) - rcs(without, name, az, 0.0, freq_hz)
        assert az[np.argmax(flash)] == pytest.approx(centre, abs=0.01)
        # the lobe's power over nose-on is what the catalog rounds to 0.01 dB
        nose_m2 = anchor_m2 * 10 ** (nose_db / 10)
        assert flash.max() == pytest.approx(peak_m2, rel=0.01)
        assert rcs(table, name, 0.0, 0.0, freq_hz)[0] == pytest.approx(nose_m2, rel=1e-9)
        half = np.flatnonzero(flash >= 0.5 * flash.max())
        assert az[half[-1]] - az[half[0]] == pytest.approx(width_deg, abs=0.01)


def test_a_narrow_lobe_is_seen_only_near_its_aspect(table):
    nose = rcs(table, "f35a", 0.0)[0]
    spike = rcs(table, "f35a", 34.0)[0]
    assert spike > 30 * nose  # +14.9 dB at X
    # 6 deg off the spike (the old 15 deg cells averaged it into 30..45 deg) the F-35 is
    # back at its nose-on value at X band
    assert rcs(table, "f35a", [28.0, 40.0, 45.0, 60.0]) == pytest.approx(nose, rel=1e-3)


# --- a look between grid nodes is the pattern at its own aspect --------------------------------


def expected_by_hand(entry: dict, az_deg: float, el_deg: float, freq_hz: float) -> float:
    """The pattern formula of signatures.yaml, in scalar arithmetic, between two bands."""
    pattern = entry["pattern"]
    low, high, t = "S", "C", math.log(freq_hz / S_HZ) / math.log(C_HZ / S_HZ)
    assert 0 < t < 1

    def db(table: dict) -> float:
        return table[low] + t * (table[high] - table[low])

    def width(table: dict) -> float:
        return math.exp(math.log(table[low]) + t * (math.log(table[high]) - math.log(table[low])))

    if pattern["kind"] == "body_of_revolution":
        cos_off = math.cos(math.radians(el_deg)) * math.cos(math.radians(az_deg))
        az_deg, el_deg = math.degrees(math.acos(cos_off)), 0.0
    gain = 1.0
    for lobe in pattern["lobes"].values():
        level = 10 ** ((db(lobe["peak_db"]) + lobe.get("offset_db", 0.0)) / 10)
        gain += level * math.exp(
            -4 * math.log(2) * ((az_deg - lobe["az_deg"]) / width(lobe["width_deg"])) ** 2
        )
    relative = gain
    if pattern["kind"] == "aircraft":
        w = abs(math.sin(math.radians(el_deg))) ** pattern["planform_exponent"]
        flash = pattern["planform_top_db"] if el_deg > 0 else pattern["planform_bottom_db"]
        relative = (1 - w) * gain + w * 10 ** (db(flash) / 10)
    return entry["anchor"]["rcs_m2"] * 10 ** (db(pattern["band_offset_db"]) / 10) * relative


@pytest.mark.parametrize(
    ("name", "az_deg", "el_deg"),
    [
        ("f35a", 34.3, -3.0),  # on the leading-edge spike, between grid nodes 34 and 40
        ("f35a", 163.7, -7.5),
        ("f16c", 87.2, 12.0),
        ("su35", 171.0, -40.0),
        ("kalibr", 80.0, 20.0),  # body of revolution: off-axis angle 81.5 deg
        ("shahed136", 97.0, 55.0),
    ],
)
def test_a_look_between_grid_nodes_gets_the_pattern_value_at_its_aspect(
    table, document, name, az_deg, el_deg
):
    freq_hz = 4.0e9  # between the S and C band figures
    expected = expected_by_hand(document["targets"][name], az_deg, el_deg, freq_hz)
    got = rcs(table, name, az_deg, el_deg, freq_hz)[0]
    assert got == pytest.approx(expected, rel=1e-9)
    # and the same for the left side and any number of turns
    assert rcs(table, name, -az_deg - 720.0, el_deg, freq_hz)[0] == pytest.approx(got, rel=1e-9)


def test_mixed_frequencies_in_one_call_match_one_call_per_frequency(table):
    rng = np.random.default_rng(3)
    n = 500
    types = rng.integers(0, table.n_types, n)
    az = rng.uniform(-np.pi, np.pi, n)
    el = rng.uniform(-np.pi / 2, np.pi / 2, n)
    radar_bands = rng.choice([1.5e8, 1.3e9, 3.0e9, 5.5e9, 1.0e10], n)
    spread = np.exp(rng.uniform(np.log(1e8), np.log(2e10), n))  # interpolated per pair
    for freq in (radar_bands, spread):
        together = table.rcs_m2(types, az, el, freq)
        for f in np.unique(freq)[:40]:
            mine = freq == f
            np.testing.assert_allclose(
                together[mine], table.rcs_m2(types[mine], az[mine], el[mine], f), rtol=1e-12
            )


# --- overrides and sweeps reach the pattern --------------------------------------------------


def test_a_lobe_override_changes_that_lobe_only():
    base = load_catalog()
    path = {"pattern": {"lobes": {"leading_edges": {"offset_db": 6.0}}}}
    changed = base.with_overrides({"f35a": path})
    old, new = signature_table(base), signature_table(changed)
    spike_ratio = rcs(new, "f35a", 34.0) / rcs(old, "f35a", 34.0)
    level = 10 ** (base.signatures["f35a"].pattern.lobes["leading_edges"].peak_db["X"] / 10)
    assert spike_ratio[0] == pytest.approx((1 + level * 10**0.6) / (1 + level), rel=1e-9)
    for az in (0.0, 90.0, 166.0, 180.0):
        assert rcs(new, "f35a", az)[0] == pytest.approx(rcs(old, "f35a", az)[0], rel=1e-12)
    assert len(changed.signatures["f35a"].pattern.lobes) == len(
        base.signatures["f35a"].pattern.lobes
    )


def test_a_band_offset_override_moves_only_that_band():
    changed = signature_table(
        load_catalog().with_overrides({"f35a": {"pattern": {"band_offset_db": {"L": 10.0}}}})
    )
    base = load_signatures()
    assert rcs(changed, "f35a", 0.0, 0.0, 1.3e9)[0] == pytest.approx(
        rcs(base, "f35a", 0.0, 0.0, 1.3e9)[0] * 10**0.3, rel=1e-9
    )
    assert rcs(changed, "f35a", 0.0, 0.0, X_HZ)[0] == pytest.approx(rcs(base, "f35a", 0.0)[0])


def test_bad_pattern_overrides_name_their_path():
    with pytest.raises(CatalogOverrideError) as caught:
        load_catalog().with_overrides(
            {"f35a": {"pattern": {"lobes": {"leading_edges": {"offset_dB": 1.0}}}}}
        )
    paths = [".".join(map(str, p)) for p, _, _ in caught.value.problems]
    assert "f35a.pattern.lobes.leading_edges.offset_dB" in paths
    with pytest.raises(CatalogOverrideError, match="bands"):
        load_catalog().with_overrides(
            {
                "f35a": {
                    "pattern": {
                        "lobes": {"new": {"az_deg": 50, "peak_db": {"X": 3}, "width_deg": {"X": 2}}}
                    }
                }
            }
        )


SITE = (40.0, 32.5)


def _f35_passing_east() -> list[dict]:
    """Flying south 40 km east of the radar: the radar is off the right wing, and its aspect
    azimuth sweeps from 20 to 60 deg, through the leading-edge flash at 34 deg."""
    points = [
        pymap3d.aer2geodetic(az, 0.0, r, *SITE, 0.0)[:2]
        for az, r in ((20.0, 117_000.0), (60.0, 46_200.0))
    ]
    return [
        {"lat_deg": float(lat), "lon_deg": float(lon), "alt_m": 9000.0, "speed_kt": 500}
        for lat, lon in points
    ]


def _detections_of_the_f35(offset_db: float) -> int:
    document = {
        "schema_version": 1,
        "name": "edge-flash",
        "start_time": "2026-06-01T05:00:00Z",
        "duration_min": 5,
        "seed": 11,
        "sides": {"blue": {"iff_modes": ["mode5"]}},
        "fire_units": [
            {
                "name": "battery",
                "side": "blue",
                "command_post": "patriot/ecs",
                "position": {"lat_deg": SITE[0], "lon_deg": SITE[1], "alt_m": 900.0},
                "radars": [{"type": "patriot/mpq65", "facing_deg": 30.0}],
            }
        ],
        "air_tracks": [
            {"name": "jet", "side": "blue", "type": "f35a", "route": _f35_passing_east()}
        ],
    }
    path = "catalog.f35a.pattern.lobes.leading_edges.offset_db"
    scenario, catalog = validate_document(apply_point(document, {path: offset_db}), "edge-flash")
    simulation = Simulation(scenario, catalog)
    hits = []
    original = sensing.detect_visible  # what the stage calls for a look that sees a target

    def spy(*arguments):
        batch = original(*arguments)
        hits.append(int(np.count_nonzero(batch.truth >= 0)))
        return batch

    sensing.detect_visible = spy
    try:
        simulation.run()
    finally:
        sensing.detect_visible = original
    return sum(hits)


def test_a_sweep_of_the_lobe_level_changes_the_detections():
    quiet, nominal, bright = (_detections_of_the_f35(db) for db in (-30.0, 0.0, 10.0))
    # the flash lasts some 10 s of the pass at 1 s revisit; away from it the F-35 (C band,
    # nose-on background -27 dBsm) is out of reach beyond 30 km
    assert quiet < nominal < bright
    assert bright - quiet >= 5
