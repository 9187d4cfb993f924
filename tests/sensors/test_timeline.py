"""Search timelines: frame times against a hand calculation, and one look per frame.

The hand calculation (the one in the catalog's notes) counts beam positions and dwells
independently of the module: the instrumented range of each row comes from the exact
law-of-cosines height on a 4/3 earth, solved with SciPy's root finder, not from the
module's parabolic closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from tests.sensors.radar_fixtures import make_spec

from iadsim.catalog.loader import load_catalog
from iadsim.catalog.models import RadarType
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import RasterLook, SearchRaster

C = 299_792_458.0
EARTH_M = 4.0 / 3.0 * 6_378_137.0


def _exact_range_m(elevation_rad, ceiling_m, max_range_m):
    """Range at which a ray at ``elevation_rad`` reaches ``ceiling_m`` on a 4/3 earth."""

    def height(r):
        return math.sqrt(r * r + EARTH_M**2 + 2 * r * EARTH_M * math.sin(elevation_rad)) - EARTH_M

    if height(max_range_m) <= ceiling_m:
        return max_range_m
    return brentq(lambda r: height(r) - ceiling_m, 1.0, max_range_m)


def _hand_frame_s(beam_deg, low_deg, high_deg, sector_deg, max_range_m, ceiling_m, pulses):
    rows = round((high_deg - low_deg) / beam_deg)
    positions = 2 * math.sin(math.radians(sector_deg) / 2) / math.radians(beam_deg)
    total = 0.0
    for row in range(rows):
        elevation = math.radians(max(low_deg + row * beam_deg, 0.0))
        total += pulses * 2 * _exact_range_m(elevation, ceiling_m, max_range_m) / C
    return positions * total


@pytest.mark.parametrize(
    ("key", "hand"),
    [
        ("s400/92n6e", (0.5, -1.0, 75.0, 90.0, 400_000.0, 30_000.0, 1)),
        ("patriot/mpq65", (1.0, -1.0, 80.0, 90.0, 180_000.0, 24_000.0, 1)),
    ],
)
def test_frame_time_matches_the_hand_count_of_beams_and_dwells(key, hand):
    spec = load_catalog().radars[key]
    raster = SearchRaster.from_spec(spec)
    assert raster.frame_s == pytest.approx(_hand_frame_s(*hand), rel=0.01)


def test_the_92n6e_frame_is_far_longer_than_its_former_two_second_revisit():
    # 162 positions x 152 rows; the 24 lowest rows dwell 2.67 ms (400 km): 15.4 s.
    raster = SearchRaster.from_spec(load_catalog().radars["s400/92n6e"])
    assert raster.azimuth_positions == pytest.approx(162.06, abs=0.01)
    assert len(raster.row_low_rad) == 152
    assert raster.row_dwell_s[0] == pytest.approx(2 * 400e3 / C)
    assert 15.0 < raster.frame_s < 16.0


def test_more_pulses_per_dwell_lengthen_the_frame_in_proportion():
    one = SearchRaster.from_spec(make_spec(scan_mode="electronic", azimuth_coverage_deg=90.0))
    four = SearchRaster.from_spec(
        make_spec(scan_mode="electronic", azimuth_coverage_deg=90.0, search_pulses=4)
    )
    assert four.frame_s == pytest.approx(4 * one.frame_s)


def test_the_raster_reaches_rows_from_the_bottom_up_and_sweeps_each_row_across_the_sector():
    raster = SearchRaster.from_spec(make_spec(scan_mode="electronic", azimuth_coverage_deg=90.0))
    az = np.radians([-40.0, 0.0, 40.0, -40.0, 40.0])
    el = np.radians([1.2, 1.2, 1.2, 30.2, 30.2])
    phase = raster.phase(np.mod(az, 2 * np.pi), el)
    assert phase[0] < phase[1] < phase[2] < phase[3] < phase[4]
    assert np.all((phase >= 0.0) & (phase < 1.0))


def test_every_direction_in_the_sector_is_looked_at_once_per_frame():
    spec = make_spec(scan_mode="electronic", azimuth_coverage_deg=90.0)
    raster = SearchRaster.from_spec(spec)
    rng = np.random.default_rng(5)
    az = np.mod(np.radians(rng.uniform(-45.0, 45.0, 500)), 2 * np.pi)
    el = np.radians(rng.uniform(spec.min_elevation_deg, spec.max_elevation_deg, 500))
    dt = raster.frame_s / 37.3  # steps that do not divide the frame
    looks, start = np.zeros(500, dtype=int), 0.61
    for _ in range(373):  # ten frames
        looks += RasterLook(raster, start, dt / raster.frame_s).contains(az, el)
        start = (start + dt / raster.frame_s) % 1.0
    assert np.all(np.isin(looks, (10, 11)))  # a boundary may be counted at both ends


def test_a_rotating_radar_takes_no_search_timeline_and_a_sector_radar_no_revisit():
    with pytest.raises(ValueError, match="search_pulses is for electronically"):
        make_spec(search_pulses=2)
    fields = make_spec().model_dump(exclude_unset=True) | {"scan_mode": "electronic"}
    with pytest.raises(ValueError, match="instead of revisit_s"):
        RadarType.model_validate(fields)


@pytest.mark.parametrize("sector_deg", [90.0, 240.0])
def test_the_compiled_phase_matches_its_numpy_twin_to_the_bit(sector_deg):
    raster = SearchRaster.from_spec(
        make_spec(scan_mode="electronic", azimuth_coverage_deg=sector_deg), facing_rad=0.7
    )
    rng = np.random.default_rng(11)
    az = np.concatenate(
        [
            rng.uniform(-7.0, 7.0, 400),  # any turn, outside the sector too
            np.mod(0.7 + np.array([-1.0, 1.0, 0.0]) * raster.half_sector_rad, 2 * np.pi),
        ]
    )
    el = np.concatenate(
        [rng.uniform(-0.2, 1.6, 400), raster.row_low_rad[[0, 1, -1]]]  # on row edges too
    )
    np.testing.assert_array_equal(raster.phase(az, el), raster.phase_reference(az, el))
    np.testing.assert_array_equal(raster.phase(az[:0], el[:0]), np.zeros(0))


def test_a_raster_look_contains_the_directions_its_phase_window_holds():
    raster = SearchRaster.from_spec(make_spec(scan_mode="electronic", azimuth_coverage_deg=90.0))
    rng = np.random.default_rng(12)
    az = np.mod(np.radians(rng.uniform(-45.0, 45.0, 300)), 2 * np.pi)
    el = np.radians(rng.uniform(0.0, 60.0, 300))
    for start, extent in [(0.0, 0.3), (0.9, 0.2), (0.5, 1.0), (0.25, 1.5)]:
        look = RasterLook(raster, start, extent)
        window = AzimuthInterval(2 * np.pi * start, 2 * np.pi * min(extent, 1.0))
        expected = window.contains(2 * np.pi * raster.phase_reference(az, el))
        np.testing.assert_array_equal(look.contains(az, el), expected)
