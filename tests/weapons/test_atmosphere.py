"""U.S. Standard Atmosphere 1976 against the published tables.

Reference: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 / NASA-TM-X-74335 (U.S. GPO,
1976): Table 4 (layer bases, geopotential altitude) and Table I (geometric altitude, metric
units). Values are quoted with the five significant digits of the tables.
"""

import numpy as np
import pytest

from iadsim.weapons.atmosphere import (
    density_and_speed_of_sound,
    density_kg_m3,
    geometric_altitude_m,
    geopotential_altitude_m,
    speed_of_sound_mps,
    us1976,
)

# Layer bases, 1976 Table 4: geopotential m -> (temperature K, pressure Pa).
LAYER_BASES = {
    0.0: (288.15, 101325.0),
    11000.0: (216.65, 22632.06),
    20000.0: (216.65, 5474.889),
    32000.0: (228.65, 868.0187),
    47000.0: (270.65, 110.9063),
    51000.0: (270.65, 66.93887),
    71000.0: (214.65, 3.956420),
}

# Table I, geometric altitude m -> (temperature K, pressure Pa, density kg/m^3).
GEOMETRIC_TABLE = {
    5000.0: (255.676, 5.4048e4, 7.3643e-1),
    11000.0: (216.774, 2.2700e4, 3.6480e-1),
    20000.0: (216.650, 5.5293e3, 8.8910e-2),
    30000.0: (226.509, 1.1970e3, 1.8410e-2),
    50000.0: (270.650, 7.9779e1, 1.0269e-3),
    80000.0: (198.639, 1.0524e0, 1.8458e-5),
}


@pytest.mark.parametrize(("h_geopotential", "expected"), LAYER_BASES.items())
def test_layer_base_temperature_and_pressure_match_table_4(h_geopotential, expected):
    state = us1976(geometric_altitude_m(h_geopotential))
    assert state.temperature_k == pytest.approx(expected[0], abs=1e-6)
    assert state.pressure_pa == pytest.approx(expected[1], rel=2e-6)


@pytest.mark.parametrize(("z", "expected"), GEOMETRIC_TABLE.items())
def test_geometric_altitude_values_match_table_i(z, expected):
    state = us1976(z)
    assert state.temperature_k == pytest.approx(expected[0], abs=1e-3)
    assert state.pressure_pa == pytest.approx(expected[1], rel=1e-4)
    assert state.density_kg_m3 == pytest.approx(expected[2], rel=1e-4)


def test_commonly_quoted_densities_and_sound_speed():
    # Sea level and 5 km (geometric); 11 and 20 km are the usual geopotential-table entries.
    assert density_kg_m3(0.0) == pytest.approx(1.2250, rel=1e-4)
    assert density_kg_m3(5000.0) == pytest.approx(0.7364, rel=1e-4)
    tropopause = geometric_altitude_m(np.array([11000.0, 20000.0]))
    assert density_kg_m3(tropopause) == pytest.approx([0.3639, 0.08803], rel=2e-4)
    assert speed_of_sound_mps(tropopause) == pytest.approx([295.07, 295.07], abs=0.01)
    assert speed_of_sound_mps(0.0) == pytest.approx(340.29, abs=0.01)


def test_geopotential_altitude_of_11_km_geometric_is_10981_m():
    # Table I lists H = 10 981 m beside Z = 11 000 m.
    assert geopotential_altitude_m(11000.0) == pytest.approx(10981.0, abs=0.5)
    z = np.linspace(-2000.0, 90000.0, 7)
    assert geometric_altitude_m(geopotential_altitude_m(z)) == pytest.approx(z, abs=1e-6)


def test_vectorised_over_any_shape_and_monotone_density():
    z = np.linspace(0.0, 80000.0, 24).reshape(4, 6)
    state = us1976(z)
    assert state.density_kg_m3.shape == (4, 6)
    assert np.all(np.diff(state.density_kg_m3.ravel()) < 0)
    assert np.all(np.diff(state.pressure_pa.ravel()) < 0)


def test_density_keeps_falling_above_86_km():
    high = density_kg_m3(np.array([86000.0, 100000.0, 150000.0]))
    assert np.all(np.diff(high) < 0) and np.all(high > 0)


def test_compiled_scalar_twin_matches_vectorised_model():
    z = np.linspace(-6000.0, 150000.0, 301)
    state = us1976(z)
    twin = np.array([density_and_speed_of_sound(float(x)) for x in z])
    np.testing.assert_allclose(twin[:, 0], state.density_kg_m3, rtol=1e-12)
    np.testing.assert_allclose(twin[:, 1], state.speed_of_sound_mps, rtol=1e-12)
