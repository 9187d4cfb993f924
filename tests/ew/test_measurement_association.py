"""Strobes are associated by their geometry alone: ghosts of two jammers on two radars, and
a third radar's bearing that removes them (:mod:`iadsim.ew.bearing_fixes`).

The expected positions are not the locator's: they are the plane intersections of the
true bearing lines, worked out here by hand (two lines ``o_a + t d_a`` and ``o_b + u d_b``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from iadsim.ew.bearing_fixes import JammerLocator
from iadsim.geo.frames import ecef_to_enu, ecef_to_lla, enu_rotation, enu_to_ecef, lla_to_ecef
from iadsim.sensors.strobes import Strobes

POST_LAT, POST_LON = np.radians(45.0), np.radians(30.0)
ORIGIN = np.asarray(lla_to_ecef(POST_LAT, POST_LON, 0.0), np.float64).reshape(3)
ROTATION = enu_rotation(POST_LAT, POST_LON)
RADARS_KM = {"a": (-20.0, 0.0), "b": (20.0, 0.0), "c": (0.0, -30.0)}
JAMMERS_KM = [(-30.0, 100.0), (30.0, 100.0)]
SIGMA_RAD = np.radians(0.2)


def _ecef(east_km: float, north_km: float, up_m: float = 0.0) -> np.ndarray:
    return enu_to_ecef(np.array([east_km * 1e3, north_km * 1e3, up_m]), ORIGIN, ROTATION)


def _locator(names: list[str], range_m: float = 400_000.0) -> JammerLocator:
    positions = np.array([_ecef(*RADARS_KM[n]) for n in names])
    lla = np.column_stack(ecef_to_lla(positions))
    rotations = np.array([enu_rotation(lat, lon) for lat, lon in lla[:, :2]])
    return JammerLocator(
        positions,
        rotations,
        [list(range(len(names)))],
        np.array([[POST_LAT, POST_LON, 0.0]]),
        np.full(len(names), range_m),
    )


def _strobe_all(locator: JammerLocator, rng: np.random.Generator | None = None) -> None:
    """Every radar strobes every jammer (true bearings in its own frame, noise optional)."""
    for r in range(locator.radar_pos_ecef_m.shape[0]):
        for east_km, north_km in JAMMERS_KM:
            enu = ecef_to_enu(
                _ecef(east_km, north_km, 8000.0),
                locator.radar_pos_ecef_m[r],
                locator.radar_rotation[r],
            )
            bearing = float(np.arctan2(enu[0], enu[1]))
            if rng is not None:
                bearing += SIGMA_RAD * rng.standard_normal()
            locator.add(0.0, np.array([r]), np.array([bearing]), np.array([SIGMA_RAD]))


def _fixes_km(locator: JammerLocator) -> list[np.ndarray]:
    out = []
    for fix in locator.fixes(0.0):
        point = lla_to_ecef(fix.lat_rad, fix.lon_rad, 0.0)
        out.append(ecef_to_enu(np.asarray(point).reshape(3), ORIGIN, ROTATION)[:2] / 1e3)
    return out


def _crossing_km(a: tuple, ja: tuple, b: tuple, jb: tuple) -> np.ndarray:
    """Where the line from radar ``a`` through jammer ``ja`` meets that from ``b`` through
    ``jb`` (plane geometry)."""
    oa, ob = np.array(a), np.array(b)
    da, db = np.array(ja) - oa, np.array(jb) - ob
    t, _ = np.linalg.solve(np.column_stack([da, -db]), ob - oa)
    return oa + t * da


def test_strobes_carry_no_emitter_identity():
    names = {f.name for f in dataclasses.fields(Strobes)}
    assert "jammer" not in names
    assert names == {"time_s", "radar", "bearing_rad", "sigma_rad", "j_over_n_db"}


def test_two_jammers_on_two_radars_give_the_ghost_geometry_predicts():
    fixes = _fixes_km(_locator_with(["a", "b"]))
    a, b = RADARS_KM["a"], RADARS_KM["b"]
    j1, j2 = JAMMERS_KM
    ghost = _crossing_km(a, j2, b, j1)  # a's bearing of jammer 2 meets b's of jammer 1
    assert ghost == pytest.approx([0.0, 40.0], abs=1e-9)
    # The other cross pairing meets behind the radars: no candidate.
    assert _crossing_km(a, j1, b, j2)[1] < 0.0
    expected = [np.array(j1), np.array(j2), ghost]
    assert len(fixes) == 3
    for point in expected:
        assert min(np.linalg.norm(f - point) for f in fixes) < 0.5  # km (frame curvature)


def test_a_third_radar_bearing_removes_the_ghost():
    fixes = _fixes_km(_locator_with(["a", "b", "c"]))
    assert len(fixes) == 2
    for point in JAMMERS_KM:
        assert min(np.linalg.norm(f - np.array(point)) for f in fixes) < 0.5
    assert min(np.linalg.norm(f - np.array([0.0, 40.0])) for f in fixes) > 10.0


def test_crossings_beyond_instrumented_range_are_no_candidates():
    # The jammers, 100 km out, are beyond a 60 km radar's range; the ghost, 44.7 km from
    # each radar, is not, and is all that is left.
    fixes = _fixes_km(_locator_with(["a", "b"], range_m=60_000.0))
    assert len(fixes) == 1
    assert fixes[0] == pytest.approx([0.0, 40.0], abs=0.5)
    assert _fixes_km(_locator_with(["a", "b"], range_m=40_000.0)) == []


def test_noisy_fixes_from_three_radars_land_within_three_stated_errors():
    rng = np.random.default_rng(20261206)
    misses = []
    for _ in range(50):
        locator = _locator(["a", "b", "c"])
        _strobe_all(locator, rng)
        fixes = locator.fixes(0.0)
        assert len(fixes) == 2
        for fix in fixes:
            assert len(fix.radars) == 3
            point = lla_to_ecef(fix.lat_rad, fix.lon_rad, 0.0)
            east_north = ecef_to_enu(np.asarray(point).reshape(3), ORIGIN, ROTATION)[:2]
            miss = min(np.linalg.norm(east_north - 1e3 * np.array(j)) for j in JAMMERS_KM)
            misses.append(miss / fix.error_m)
    # Each within three stated errors (the semi-major axis bounds the miss's spread).
    assert max(misses) < 3.0


def _locator_with(names: list[str], range_m: float = 400_000.0) -> JammerLocator:
    locator = _locator(names, range_m)
    _strobe_all(locator)
    return locator


def test_a_radars_newer_strobe_of_a_moving_emitter_replaces_its_older_one():
    # Radar a strobes one jammer 15 s apart while it moves 1.2 deg across its bearing (as
    # a 150 m/s jammer 100 km out); b strobes it once. The older bearing of a is the same
    # emitter, not a second one: one fix, not a second crossing with b's bearing.
    locator = _locator(["a", "b"])
    east_km, north_km = JAMMERS_KM[0]
    for r, seen_s, shift_km in ((0, 0.0, -2.25), (0, 15.0, 0.0), (1, 15.0, 0.0)):
        enu = ecef_to_enu(
            _ecef(east_km + shift_km, north_km, 8000.0),
            locator.radar_pos_ecef_m[r],
            locator.radar_rotation[r],
        )
        bearing = float(np.arctan2(enu[0], enu[1]))
        locator.add(seen_s, np.array([r]), np.array([bearing]), np.array([SIGMA_RAD]))
    assert len(locator.current(0, 15.0)) == 1
    fixes = locator.fixes(15.0)
    assert len(fixes) == 1
    point = lla_to_ecef(fixes[0].lat_rad, fixes[0].lon_rad, 0.0)
    east_north = ecef_to_enu(np.asarray(point).reshape(3), ORIGIN, ROTATION)[:2] / 1e3
    assert east_north == pytest.approx([east_km, north_km], abs=0.5)
