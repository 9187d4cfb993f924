"""The look pre-test's view verdicts: where it says a candidate is in view (or beyond the
horizon), could_see says so too, point by point, for points crowded within a few margins of
every limit it decides (range, elevation, sweep, the horizon, a raster's rows and phase
window, a track dwell's beam); and LookPretest.visible is could_see's answer, to the bit."""

from __future__ import annotations

import numpy as np
import pytest
from tests.sensors.radar_fixtures import make_radar

from iadsim.c2.picture._kernels import IN_VIEW, NEAR_AN_EDGE, OUT_OF_VIEW, _surely_searched
from iadsim.c2.picture.look_pretest import LOOK_MARGIN_RAD, PHASE_MARGIN, LookPretest
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import RasterLook
from iadsim.sensors.track_dwells import BeamLook, SearchAndTrackLook
from iadsim.sensors.visibility import could_see
from iadsim.tracking.pruning import PostFrame
from iadsim.tracking.table import TrackTable

ECEF = PostFrame(np.zeros(3), np.eye(3), 0.0)
"""ECEF itself as the post's frame."""


def _ridge_grid() -> ElevationGrid:
    """A 1,500 m ridge over 39.75-39.8 N on sea-level ground around the test radar."""
    heights = np.zeros((151, 201))
    heights[75:81, :] = 1500.0
    return ElevationGrid(
        np.radians(39.0), np.radians(32.0), np.radians(0.01), np.radians(0.01), heights, "ridge"
    )


def _points(radar, az, el, range_m) -> np.ndarray:
    """ECEF points at these azimuths, elevations (rad) and ranges (m) from the radar."""
    enu = np.stack(
        [
            range_m * np.cos(el) * np.sin(az),
            range_m * np.cos(el) * np.cos(az),
            range_m * np.sin(el),
        ],
        axis=1,
    )
    return enu @ radar.rotation + radar.pos_ecef_m


def _table(points: np.ndarray) -> TrackTable:
    """A track table holding still tracks at ``points`` (ECEF), one per slot."""
    from iadsim.core.registry import TRACKERS
    from iadsim.engine.world import TRACKER_CONFIG

    table = TRACKERS.get("gnn")(TRACKER_CONFIG).new_table(len(points))
    table.allocate(len(points))
    table.state[:, :3] = points
    table.state[:, 3:6] = 0.0
    table.time_s[:] = 0.0
    return table


def _assert_verdicts_agree(radar, look, points, terrain) -> np.ndarray:
    """Each decided verdict is could_see's coverage answer; visible is could_see; returns
    the verdicts."""
    table = _table(points)
    pretest = LookPretest()
    count = pretest.found_live(radar, look, table, 0.0, ECEF, np.full(len(points), -np.inf))
    candidates = pretest.found_ecef_m[:count].copy()
    verdict = pretest._found_view[:count].copy()
    in_view = could_see(radar, candidates, look, None)
    assert in_view[verdict == IN_VIEW].all()
    assert not in_view[verdict == OUT_OF_VIEW].any()
    np.testing.assert_array_equal(
        pretest.visible(radar, look, count, terrain), could_see(radar, candidates, look, terrain)
    )
    # No point could_see passes is left out of the candidates.
    seen = np.flatnonzero(could_see(radar, points, look, terrain))
    assert np.isin(seen, pretest.found[:count]).all()
    return verdict


@pytest.mark.parametrize("with_terrain", [False, True])
def test_the_verdicts_of_a_sweep_are_could_sees_at_every_limit(with_terrain):
    rng = np.random.default_rng(1)
    radar = make_radar(max_range_m=250e3)
    limits = radar._view_constants
    n = 800
    start, extent = 1.0, 0.6
    az = rng.uniform(0.0, 2.0 * np.pi, n)
    el = rng.uniform(-0.05, 0.5, n)
    range_m = rng.uniform(100.0, 1.2 * limits[13], n)
    k = n // 4
    range_m[:k] = limits[13] * (1.0 + rng.normal(0.0, 1e-7, k))  # the maximum range
    el[k : 2 * k] = limits[14] + rng.normal(0.0, 3e-6, k)  # the lowest elevation
    edges = rng.choice([start, start + extent], k)
    az[2 * k : 3 * k] = edges + rng.normal(0.0, 3e-6, k)  # the sweep's edges
    # Low points far out: the horizon.
    range_m[3 * k :] = rng.uniform(20e3, 150e3, n - 3 * k)
    el[3 * k :] = rng.normal(0.0, 0.003, n - 3 * k)
    points = _points(radar, az, el, range_m)
    terrain = _ridge_grid() if with_terrain else None
    looks = (AzimuthInterval(start, extent), None, AzimuthInterval(0.0, 2.0 * np.pi))
    verdicts = np.concatenate(
        [_assert_verdicts_agree(radar, look, points, terrain) for look in looks]
    )
    assert (verdicts == IN_VIEW).sum() > 100
    assert (verdicts == OUT_OF_VIEW).sum() > 10
    assert (verdicts == NEAR_AN_EDGE).sum() > 10


def test_the_verdicts_of_a_raster_and_its_beams_are_could_sees_at_every_limit():
    rng = np.random.default_rng(2)
    for facing_deg, coverage_deg in ((30.0, 120.0), (200.0, 360.0)):
        radar = make_radar(
            facing_deg=facing_deg,
            scan_mode="electronic",
            azimuth_coverage_deg=coverage_deg,
            beamwidth_deg=2.0,
        )
        raster = radar.search_raster
        assert raster is not None
        limits = radar._view_constants
        n = 600
        half = raster.half_sector_rad
        az = raster.facing_rad + rng.uniform(-half, half, n)
        el = rng.uniform(limits[14], min(limits[15], 0.6), n)
        range_m = rng.uniform(5e3, 150e3, n)
        k = n // 3
        rows = rng.integers(0, len(raster.row_low_rad), k)
        el[:k] = raster.row_low_rad[rows] + rng.normal(0.0, 2e-6, k)  # the rows' edges
        beam_az, beam_el = az[k : k + 3].copy(), el[k : k + 3].copy()
        width = radar.spec.beamwidth_rad
        beam = rng.integers(0, 3, k)
        turn = rng.uniform(0.0, 2.0 * np.pi, k)
        off = width + rng.normal(0.0, 2e-6, k)  # the beams' edges
        az[k : 2 * k] = beam_az[beam] + off * np.cos(turn) / np.cos(beam_el[beam])
        el[k : 2 * k] = beam_el[beam] + off * np.sin(turn)
        points = _points(radar, az, el, range_m)
        beams = BeamLook(beam_az, beam_el, width, 0.0)
        for start, extent in ((0.3, 0.05), (0.9, 0.2), (0.1, 0.5), (0.0, 1.0)):
            search = RasterLook(raster, start, extent)
            for look in (search, SearchAndTrackLook(search, beams)):
                verdict = _assert_verdicts_agree(radar, look, points, _ridge_grid())
                assert (verdict == IN_VIEW).sum() > 0


def test_surely_searched_is_never_said_of_a_phase_outside_the_window():
    """Windows placed within a few phase margins of each point's phase, on either side of
    either edge: a point the kernel calls surely searched is inside RasterLook's window."""
    radar = make_radar(
        facing_deg=80.0, scan_mode="electronic", azimuth_coverage_deg=120.0, beamwidth_deg=1.0
    )
    raster = radar.search_raster
    _, terms, rows = LookPretest()._raster(raster)
    rng = np.random.default_rng(3)
    n = 300
    half = 1.05 * raster.half_sector_rad
    az = (raster.facing_rad + rng.uniform(-half, half, n)) % (2.0 * np.pi)
    el = rng.uniform(raster.row_low_rad[0] - 0.01, raster.row_low_rad[-1] + 0.05, n)
    phase = raster.phase(az, el)
    sure = 0
    for i in range(n):
        for extent in (0.05, 0.3):
            for into in (-3e-9, -1e-10, 1e-10, 3e-9, 0.01):
                for start in ((phase[i] - into) % 1.0, (phase[i] - extent + into) % 1.0):
                    look = RasterLook(raster, start, extent)
                    exact = look.contains(az[i : i + 1], el[i : i + 1])[0]
                    if _surely_searched(
                        az[i], el[i], start, extent, terms, rows, LOOK_MARGIN_RAD, PHASE_MARGIN
                    ):
                        sure += 1
                        assert exact
    assert sure > 500
