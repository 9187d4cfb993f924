"""One sensor chain: coverage maps and the simulation give the same Pd, with the same effects.

Oracles: the simulation's own detection draws (binomial frequency), the textbook radar
equation in ratio form with the Swerling 1 single-pulse closed form
``Pd = Pfa ** (1 / (1 + SNR))`` (Skolnik 2001, eqs. 2.1 and 2.60), the clear-air loss
integrated numerically along the refracted ray (scipy ``quad``, not the closed form the
code uses), the ITU-R P.676 sea-level attenuation at 10 GHz, and the R^4 law for a
constant extra loss: ``R' / R = 10 ** (-L_dB / 40)``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate

from iadsim.catalog import load_catalog
from iadsim.core.errors import InputError
from iadsim.core.registry import SIGNAL_EFFECTS
from iadsim.coverage.maps import pd_at_points, pd_map
from iadsim.coverage.profiles import detection_boundaries
from iadsim.engine.world import build_radars
from iadsim.geo.frames import ecef_to_enu, enu_to_aer, lla_to_ecef
from iadsim.geo.terrain import load_bundled
from iadsim.geo.terrain_obstacle import DominantObstacle, dominant_obstacle
from iadsim.scenario.loader import load_document, validate_document
from iadsim.scoring.replication import run_simulation
from iadsim.sensors import chain
from iadsim.sensors.aspect import aspect_angles
from iadsim.sensors.radar import Radar, TargetView
from iadsim.sensors.signature import load_signatures

rad = np.radians
MINIMAL = Path(__file__).parents[1] / "data" / "scenarios" / "minimal.yaml"
SITE_DEG = (39.9, 32.8, 1000.0)
TARGET = "f35a"


class ToyLoss:
    """A toy signal effect: the same loss on every path (a stand-in for a jammer)."""

    def __init__(self, loss_db: float = 20.0) -> None:
        self.loss_db = float(loss_db)

    def snr_change_db(self, paths):
        return np.full(paths.range_m.shape, -self.loss_db)


@pytest.fixture
def toy_loss():
    SIGNAL_EFFECTS.register("toy_loss", ToyLoss)
    yield "toy_loss"
    SIGNAL_EFFECTS.unregister("toy_loss")


def s400_radar(**changes) -> Radar:
    spec = load_catalog().radars["s400/92n6e"]
    lat, lon, ground = SITE_DEG
    radar = Radar(0, "92n6e", spec, rad(lat), rad(lon), ground + spec.antenna_height_m)
    return dataclasses.replace(radar, **changes)


def nose_on_view(
    radar: Radar, lat_rad, lon_rad, alt_m, copies: int, target: str = TARGET
) -> TargetView:
    """What the simulation hands a radar: ``copies`` targets at one point flying at it."""
    signatures = load_signatures()
    index = signatures.index(target)
    pos = lla_to_ecef(lat_rad, lon_rad, alt_m).reshape(1, 3)
    up = pos[0] / np.linalg.norm(pos[0])
    los = radar.pos_ecef_m - pos[0]
    velocity = (los - np.dot(los, up) * up)[None, :]
    az, el = aspect_angles(pos, velocity, radar.pos_ecef_m)
    rcs = signatures.rcs_m2(np.array([index]), az, el, radar.spec.frequency_hz)
    return TargetView(
        np.repeat(pos, copies, axis=0),
        np.full(copies, alt_m),
        np.full(copies, rcs[0]),
        np.full(copies, int(signatures.swerling[index])),
        np.ones(copies, bool),
        np.repeat(velocity, copies, axis=0),
    )


# --- (a) a coverage cell and the simulation agree ---------------------------------------


@pytest.mark.parametrize(
    ("bearing_deg", "ground_km", "alt_m"), [(0.0, 60.0, 8000.0), (20.0, 80.0, 15000.0)]
)
def test_coverage_cell_pd_equals_the_simulation_pd_for_the_same_geometry(
    bearing_deg, ground_km, alt_m
):
    radar = s400_radar()
    north, east = np.cos(rad(bearing_deg)), np.sin(rad(bearing_deg))
    lat = radar.lat_rad + ground_km * 1e3 * north / 6_371_000.0
    lon = radar.lon_rad + ground_km * 1e3 * east / (6_371_000.0 * np.cos(radar.lat_rad))
    cell = pd_at_points(
        radar, np.array([lat]), np.array([lon]), np.array([alt_m]), load_signatures(), TARGET
    )[0]
    assert 0.05 < cell < 0.95  # a cell where the elevation term matters to Pd
    # The simulation: its view of the target, its coverage test and its detection draws.
    copies = 200_000
    view = nose_on_view(radar, lat, lon, alt_m, copies)
    visible, aer = radar.in_coverage(view)
    assert visible.all()
    snr = radar.snr_db(aer[:1, 2], view.rcs_m2[:1], aer[:1, 1], aer[:1, 0])
    exact = chain.detection_probability(radar, snr, view.swerling[:1])[0]
    assert cell == pytest.approx(exact, abs=1e-9)
    batch = radar.detect(view, aer, visible, 0.0, np.random.default_rng(11))
    frequency = np.count_nonzero(batch.truth >= 0) / copies
    assert frequency == pytest.approx(cell, abs=4.0 * np.sqrt(cell * (1 - cell) / copies))


def test_coverage_includes_the_elevation_term_of_the_clear_air_loss():
    """With the 92N6E's statement moved in to 50 km, a target 60 km out: on a low path it
    crosses more air than the 50 km horizontal reference path and loses Pd; on a steep path
    (12 km up) it crosses less and keeps the catalog's R^4 law. Coverage sees both."""
    spec = load_catalog().radars["s400/92n6e"].model_copy(update={"detection_range_m": 50_000.0})
    radar, bare = s400_radar(spec=spec), s400_radar(spec=spec, signal_effects=())
    lat, lon = np.array([radar.lat_rad + rad(0.54)]), np.array([radar.lon_rad])  # 60 km
    for alt_m, loses in ((radar.alt_m + 300.0, True), (12_000.0, False)):
        args = (lat, lon, np.array([alt_m]), load_signatures(), TARGET)
        with_air, without = pd_at_points(radar, *args)[0], pd_at_points(bare, *args)[0]
        if loses:
            assert with_air < 0.999 * without
        else:
            assert with_air == pytest.approx(without, abs=1e-12)


# --- (d) the chain's SNR against the textbook value at one point ------------------------


def textbook_loss_db(range_m, el_rad, antenna_alt_m):
    """Two-way clear-air loss at 10 GHz by quadrature along h(r) = h0 + r sin el + r^2/(2ka)."""
    sea_level_db_per_m = {5_000.0: 8.2e-6, 1_700.0: 6.0e-6}  # ITU-R P.676: O2, H2O at 10 GHz
    k_a = 4.0 / 3.0 * 6_371_000.0

    def height_m(r):
        return antenna_alt_m + r * np.sin(el_rad) + r * r / (2 * k_a)

    total = 0.0
    for scale_m, gamma in sea_level_db_per_m.items():
        value, _ = integrate.quad(lambda r, s=scale_m: np.exp(-height_m(r) / s), 0.0, range_m)
        total += gamma * value
    return 2.0 * total


def test_coverage_snr_is_the_radar_equation_less_the_extra_air_at_one_point():
    """The 92N6E with its statement moved in to 100 km, a target 230 km out at 9 km: its
    path crosses more air than the reference path, and loses the difference."""
    spec = load_catalog().radars["s400/92n6e"].model_copy(update={"detection_range_m": 100e3})
    radar = s400_radar(spec=spec)
    lat, lon, alt = radar.lat_rad + rad(2.0), radar.lon_rad + rad(0.5), 9_000.0
    enu = ecef_to_enu(lla_to_ecef(lat, lon, alt), radar.pos_ecef_m, radar.rotation)
    _, el, range_m = (float(v) for v in enu_to_aer(enu))
    rcs = 300.0
    air_db = textbook_loss_db(range_m, el, radar.alt_m) - textbook_loss_db(
        spec.detection_range_m, 0.0, radar.alt_m
    )
    assert air_db > 0.1
    # Swerling 1 reference: SNR_ref = ln(Pfa) / ln(Pd_ref) - 1 (Richards 2014, eq. 6.54).
    snr_ref = np.log(spec.reference_pfa) / np.log(spec.reference_pd) - 1.0
    snr = snr_ref * (rcs / spec.reference_rcs_m2) * (spec.detection_range_m / range_m) ** 4
    snr_db = 10.0 * np.log10(snr) - air_db
    table = _constant_rcs_table(rcs)
    got = pd_at_points(radar, np.array([lat]), np.array([lon]), np.array([alt]), table, "ref")
    expected = spec.reference_pfa ** (1.0 / (1.0 + 10.0 ** (snr_db / 10.0)))
    assert 0.1 < expected < 0.99
    assert got[0] == pytest.approx(expected, abs=2e-4)


def _constant_rcs_table(rcs_m2: float):
    from iadsim.sensors.signature import SignatureTable

    return SignatureTable(
        names=("ref",),
        band_names=("S", "X"),
        freq_hz=np.array([3e9, 1e10]),
        az_grid_rad=rad(np.array([0.0, 180.0])),
        el_grid_rad=rad(np.array([-90.0, 0.0, 90.0])),
        rcs_dbsm=np.full((1, 2, 3, 2), 10.0 * np.log10(rcs_m2)),
        swerling=np.array([1]),
        rcs_scale=np.array([1.0]),
    )


# --- (b) a toy signal effect changes a run and a coverage map alike ---------------------


def test_a_constant_loss_shrinks_the_detection_boundary_by_the_r4_law():
    loss_db = 20.0
    table = _constant_rcs_table(4.0)
    radars = [s400_radar(signal_effects=()), s400_radar(signal_effects=(ToyLoss(loss_db),))]
    boundaries = [
        detection_boundaries(
            [r], "ref", [10_000.0], table, n_azimuths=8, range_step_m=100.0, pd_threshold=0.5
        )[0]
        for r in radars
    ]
    inside = boundaries[0].range_m > 0  # azimuths in the sector
    ratio = boundaries[1].range_m[inside] / boundaries[0].range_m[inside]
    np.testing.assert_allclose(ratio, 10.0 ** (-loss_db / 40.0), rtol=2e-3)


def scenario_with(effects):
    """The minimal scenario, its raider at 1500 m (the Patriot sees it from about 99 s)."""
    document = load_document(MINIMAL)
    for waypoint in document["air_tracks"][0]["route"]:
        waypoint["alt_m"] = 1500.0
    if effects is not None:
        document["signal_effects"] = effects
    return validate_document(document, "minimal.yaml")


def test_a_registered_toy_effect_changes_detections_in_a_run_and_in_coverage(toy_loss):
    plain, catalog = scenario_with(None)
    lossy, _ = scenario_with([{"name": toy_loss, "loss_db": 20.0}])
    radars, _ = build_radars(lossy, catalog)
    assert all(isinstance(r.signal_effects[-1], ToyLoss) for r in radars)
    # The run: targets are first seen later, or not at all.
    first_plain = run_simulation(plain, catalog).simulation.first_detection_s
    first_lossy = run_simulation(lossy, catalog).simulation.first_detection_s
    seen = np.isfinite(first_plain)
    assert seen.any()
    assert np.all(first_lossy[seen] >= first_plain[seen])
    assert np.any(first_lossy[seen] > first_plain[seen])
    # The coverage map of the same scenario's radars: less Pd everywhere it was not 0 or 1.
    signatures = load_signatures()
    maps = [
        pd_map(build_radars(s, catalog)[0], TARGET, [3000.0], signatures, n_cells=40)
        for s in (plain, lossy)
    ]
    assert maps[1].pd.sum() < 0.5 * maps[0].pd.sum()


def test_a_misspelt_signal_effect_is_a_field_error_with_a_suggestion():
    document = load_document(MINIMAL)
    document["signal_effects"] = [{"name": "clear_air_atenuation"}]
    with pytest.raises(InputError) as caught:
        validate_document(document, "minimal.yaml")
    (issue,) = caught.value.issues
    assert issue.field_path == "signal_effects[0].name"
    assert "did you mean 'clear_air_attenuation'" in issue.message


def test_bad_settings_of_a_signal_effect_are_an_input_error(toy_loss):
    document = load_document(MINIMAL)
    document["signal_effects"] = [{"name": toy_loss, "loss_dB": 3.0}]
    with pytest.raises(InputError) as caught:
        validate_document(document, "minimal.yaml")
    (issue,) = caught.value.issues
    assert issue.field_path.startswith("signal_effects[0]")
    assert "loss_dB" in issue.message


def test_a_scenario_without_signal_effects_gets_the_default_chain():
    scenario, catalog = scenario_with(None)
    radars, _ = build_radars(scenario, catalog)
    assert [type(e).__name__ for r in radars for e in r.signal_effects] == [
        "ClearAirAttenuation",
        "TerrainDiffraction",
        "GroundClutter",
        "DopplerNotch",
    ] * len(radars)


def test_a_coverage_cell_behind_terrain_has_the_simulations_pd_with_diffraction():
    """An F-16C 150 m above the hills west of the site, where its path grazes them: the
    map cell (terrain given) and the simulation's draws (with the obstacle the sensing
    stage finds) agree, and the knife-edge loss is what brings Pd into (0.05, 0.95)."""
    terrain = load_bundled()
    radar = s400_radar(facing_rad=1.5 * np.pi)
    bare = dataclasses.replace(radar, signal_effects=chain.default_signal_effects()[:1])
    signatures = load_signatures()
    found = None
    for ground_km in np.arange(20.0, 120.0, 5.0):
        lat = np.array([radar.lat_rad])
        lon = np.array([radar.lon_rad - ground_km * 1e3 / (6_371_000.0 * np.cos(lat[0]))])
        alt = terrain.surface_height_m(lat, lon) + 150.0
        args = (lat, lon, alt, signatures, "f16c")
        cell = pd_at_points(radar, *args, terrain=terrain)[0]
        if 0.05 < cell < 0.95 and pd_at_points(bare, *args)[0] > cell + 0.5:
            found = lat[0], lon[0], alt[0], cell
            break
    assert found is not None
    lat, lon, alt, cell = found
    copies = 200_000
    view = nose_on_view(radar, lat, lon, alt, copies, "f16c")
    edge = dominant_obstacle(radar.lat_rad, radar.lon_rad, radar.alt_m, lat, lon, alt, terrain)
    obstacle = DominantObstacle(
        *(np.full(copies, float(value)) for value in (edge.height_m, edge.d1_m, edge.d2_m))
    )
    view = dataclasses.replace(view, obstacle=obstacle)
    visible, aer = radar.in_coverage(view)
    assert visible.all()
    batch = radar.detect(view, aer, visible, 0.0, np.random.default_rng(3))
    frequency = np.count_nonzero(batch.truth >= 0) / copies
    assert frequency == pytest.approx(cell, abs=4.0 * np.sqrt(cell * (1 - cell) / copies))
