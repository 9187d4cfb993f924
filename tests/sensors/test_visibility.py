"""could_see: coverage, then the terrain ray of the points still in view. Its one geodetic
conversion per call must give what converting the points in view again gives."""

from __future__ import annotations

import numpy as np
from tests.sensors.radar_fixtures import make_radar

from iadsim.geo.frames import ecef_to_lla, lla_to_ecef
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.visibility import could_see


def _ridge_grid() -> ElevationGrid:
    """A 1,500 m ridge running north-south 0.3 deg east of the radar site (39.5 N, 33 E), on
    sea-level ground."""
    lat = np.radians(np.arange(38.0, 41.0 + 1e-9, 1.0 / 60.0))
    lon = np.radians(np.arange(31.5, 34.5 + 1e-9, 1.0 / 60.0))
    heights = np.where(np.abs(np.degrees(lon) - 33.3) < 0.05, 1500.0, 0.0)
    return ElevationGrid(
        lat[0], lon[0], lat[1] - lat[0], lon[1] - lon[0], np.tile(heights, (lat.size, 1))
    )


def test_could_see_is_coverage_and_a_clear_ray_from_the_points_in_view():
    radar = make_radar(max_range_m=250e3)
    grid = _ridge_grid()
    rng = np.random.default_rng(8)
    n = 200
    # Random points, then one 300 m high behind the ridge (51 km east: the ray passes the
    # ridge 26 km out at about 160 m) and one at 300 m 34 km west in the open.
    lat = np.radians(np.append(39.5 + rng.uniform(-1.2, 1.2, n), [39.5, 39.5]))
    lon = np.radians(np.append(33.0 + rng.uniform(-1.2, 1.2, n), [33.6, 32.6]))
    alt = np.append(rng.uniform(50.0, 6000.0, n), [300.0, 300.0])
    points = lla_to_ecef(lat, lon, alt)
    got = could_see(radar, points, None, grid)
    # The reference: the two tests one after the other, converting the points in view.
    want = radar.in_view(points)
    rows = np.flatnonzero(want)
    p_lat, p_lon, p_alt = ecef_to_lla(points[rows])
    want[rows] = terrain_clear(
        radar.lat_rad, radar.lon_rad, radar.alt_m, p_lat, p_lon, p_alt, grid, radar.k_factor
    )
    np.testing.assert_array_equal(got, want)
    # The ridge hides the low point behind it, not the one in the open, nor any point in
    # view west of it (sea-level ground there).
    assert radar.in_view(points)[-2:].all()
    assert got[-2:].tolist() == [False, True]
    west = (np.degrees(lon) < 33.2) & radar.in_view(points)
    assert west.sum() > 50 and got[west].all()
    assert could_see(radar, points, None, None).tolist() == radar.in_view(points).tolist()
