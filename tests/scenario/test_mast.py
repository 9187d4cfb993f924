"""A radar placed on a mast: its antenna height reaches the horizon and the terrain test, and
a mast the radar type cannot have is rejected with file, line, field and exit code 2."""

from __future__ import annotations

import math

import numpy as np
import pymap3d
import pytest
from tests.scenario.test_bad_input import Case, write_variant
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.engine.world import build_radars
from iadsim.scenario.loader import load_scenario, validate_document
from iadsim.sensors.radar import TargetView

SITE = (41.2, 29.1)  # Black Sea coast: a sea-level site, heights above the smooth earth
TARGET_ALT_M = 50.0  # a cruise missile


def _unit(mast_m):
    radar = {"type": "s400/96l6e"} | ({} if mast_m is None else {"mast_m": mast_m})
    return {
        "name": f"post-{mast_m}",
        "side": "blue",
        "command_post": "s400/55k6e",
        "position": {"lat_deg": SITE[0], "lon_deg": SITE[1], "alt_m": 0.0},
        "radars": [radar],
    }


def _radars():
    document = {
        "schema_version": 1,
        "name": "mast",
        "start_time": "2026-06-01T05:00:00Z",
        "duration_min": 1,
        "sides": {"blue": {"iff_modes": ["mode5"]}},
        "fire_units": [_unit(None), _unit(39.0)],
        "air_tracks": [
            {
                "name": "jet",
                "side": "blue",
                "type": "f16c",
                "route": [
                    {"lat_deg": 41.5, "lon_deg": 29.1, "alt_m": 5000.0, "speed_kt": 400},
                    {"lat_deg": 41.9, "lon_deg": 29.1, "alt_m": 5000.0, "speed_kt": 400},
                ],
            }
        ],
    }
    scenario, catalog = validate_document(document, "mast")
    radars, _ = build_radars(scenario, catalog)
    return radars, catalog.radars["s400/96l6e"]


def _farthest_visible_km(radar) -> float:
    """Greatest ground range, 10 m steps due north, at which a 50 m target is in coverage."""
    ground_m = np.arange(20_000.0, 80_000.0, 10.0)
    lat, lon, _ = pymap3d.aer2geodetic(0.0, 0.0, ground_m, *SITE, 0.0)
    pos = np.column_stack(pymap3d.geodetic2ecef(lat, lon, np.full(ground_m.size, TARGET_ALT_M)))
    n = ground_m.size
    view = TargetView(pos, np.full(n, TARGET_ALT_M), np.ones(n), np.ones(n, int), np.ones(n, bool))
    visible, _ = radar.in_coverage(view)
    return float(ground_m[visible].max()) / 1000.0


def test_the_mast_raises_the_antenna_to_its_height():
    (trailer, mast), spec = _radars()
    assert trailer.alt_m == pytest.approx(spec.antenna_height_m)
    assert mast.alt_m == pytest.approx(39.0)


def test_the_mast_raises_the_radar_horizon_by_the_hand_computed_amount():
    (trailer, mast), spec = _radars()

    # 4/3 earth, heights in m: d = 4.12 km (sqrt(h_antenna) + sqrt(h_target)) (Skolnik eq. 8.1)
    def horizon_km(h_m):
        return 4.12 * (math.sqrt(h_m) + math.sqrt(TARGET_ALT_M))

    # 39.23 km on the trailer, 54.86 km on the 40V6MD: the mast adds 15.64 km
    expected_gain_km = horizon_km(39.0) - horizon_km(spec.antenna_height_m)
    assert expected_gain_km == pytest.approx(15.64, abs=0.005)
    for radar, height in ((trailer, spec.antenna_height_m), (mast, 39.0)):
        # 4.12 is sqrt(2 k R) for R = 6371 km; the model's WGS-84 radius and the target's
        # ground range (not slant) differ by under 0.3 %
        assert _farthest_visible_km(radar) == pytest.approx(horizon_km(height), rel=3e-3)
    gain_km = _farthest_visible_km(mast) - _farthest_visible_km(trailer)
    assert gain_km == pytest.approx(expected_gain_km, rel=5e-3)


CASES = {
    "mast_on_a_radar_without_one": Case(
        "        facing_deg: 0\n",
        "        facing_deg: 0\n        mast_m: 30\n",
        "fire_units[0].radars[0].mast_m",
        "patriot/mpq65 has no mast",
        line_text="mast_m: 30",
    ),
    "mast_taller_than_the_type_allows": Case(
        "      - type: patriot/mpq65\n        facing_deg: 0\n",
        "      - type: s400/96l6e\n        mast_m: 60\n",
        "fire_units[0].radars[0].mast_m",
        "60 m is outside the 25-39 m a mast gives a s400/96l6e",
        line_text="mast_m: 60",
    ),
    "mast_below_zero": Case(
        "        facing_deg: 0\n",
        "        facing_deg: 0\n        mast_m: -5\n",
        "fire_units[0].radars[0].mast_m",
        "greater than 0",
        line_text="mast_m: -5",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_mast_is_reported_with_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    issues = [i for i in caught.value.issues if i.field_path == case.field_path]
    assert issues, [(i.field_path, i.message) for i in caught.value.issues]
    assert case.message in issues[0].message
    assert issues[0].line == line
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output
