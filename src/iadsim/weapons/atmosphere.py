"""U.S. Standard Atmosphere 1976, lower 86 km, vectorised over altitude.

The model is the one of *U.S. Standard Atmosphere, 1976* (NOAA-S/T 76-1562, NASA-TM-X-74335,
U.S. Government Printing Office, Washington D.C., 1976), section 1.2: seven layers in which
the molecular-scale temperature is linear in *geopotential* altitude ``H``,

    T(H) = T_b + L_b (H - H_b),

and hydrostatic equilibrium of a perfect gas gives the pressure (eqs. 33a and 33b)

    P = P_b [T_b / T]^(g0 M0 / (R* L_b))           if L_b != 0,
    P = P_b exp(-g0 M0 (H - H_b) / (R* T_b))       if L_b == 0,

with the density ``rho = P M0 / (R* T)`` (eq. 42) and the speed of sound
``a = sqrt(gamma R* T / M0)`` (eq. 50). Geometric altitude ``Z`` and geopotential altitude are
related by ``H = r0 Z / (r0 + Z)`` with ``r0 = 6356.766 km`` (eq. 18).

Above 84.852 km geopotential (86 km geometric) the 1976 model changes form (kinetic temperature,
diffusive separation); this module continues the top layer isothermally instead, which keeps
the density decaying exponentially. Drag there is negligible for interceptor flyouts, and the
module is not meant for orbital work. Below -5 km the first layer is extrapolated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

G0_MPS2 = 9.80665
"""Standard gravity used to define geopotential (1976 standard, Table 2)."""
GAS_CONSTANT_J_KMOL_K = 8.31432e3
"""Universal gas constant R* as adopted by the 1976 standard (Table 2)."""
MOLAR_MASS_KG_KMOL = 28.9644
"""Sea-level mean molecular weight M0 of air (1976 standard, Table 2)."""
GAMMA = 1.4
"""Ratio of specific heats of air (1976 standard, eq. 50)."""
EARTH_RADIUS_GEOPOTENTIAL_M = 6356766.0
"""Effective earth radius r0 used for the geopotential altitude (1976 standard, eq. 18)."""

SPECIFIC_GAS_CONSTANT_J_KG_K = GAS_CONSTANT_J_KMOL_K / MOLAR_MASS_KG_KMOL

# Layer bases (geopotential m) and lapse rates (K/m), 1976 standard Table 4. The last row is
# the isothermal continuation above 84.852 km described in the module docstring.
_BASE_GEOPOTENTIAL_M = np.array(
    [0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0]
)
_LAPSE_K_PER_M = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3, 0.0])
_SEA_LEVEL_TEMPERATURE_K = 288.15
_SEA_LEVEL_PRESSURE_PA = 101325.0
_HYDROSTATIC_K_PER_M = G0_MPS2 * MOLAR_MASS_KG_KMOL / GAS_CONSTANT_J_KMOL_K  # g0 M0 / R*


def _layer_bases() -> tuple[np.ndarray, np.ndarray]:
    """Temperature and pressure at each layer base, integrated upward from sea level."""
    temperature = np.empty_like(_BASE_GEOPOTENTIAL_M)
    pressure = np.empty_like(_BASE_GEOPOTENTIAL_M)
    temperature[0] = _SEA_LEVEL_TEMPERATURE_K
    pressure[0] = _SEA_LEVEL_PRESSURE_PA
    for i in range(1, _BASE_GEOPOTENTIAL_M.size):
        thickness = _BASE_GEOPOTENTIAL_M[i] - _BASE_GEOPOTENTIAL_M[i - 1]
        lapse = _LAPSE_K_PER_M[i - 1]
        temperature[i] = temperature[i - 1] + lapse * thickness
        if lapse == 0.0:
            ratio = np.exp(-_HYDROSTATIC_K_PER_M * thickness / temperature[i - 1])
        else:
            ratio = (temperature[i - 1] / temperature[i]) ** (_HYDROSTATIC_K_PER_M / lapse)
        pressure[i] = pressure[i - 1] * ratio
    return temperature, pressure


_BASE_TEMPERATURE_K, _BASE_PRESSURE_PA = _layer_bases()
# Exponent g0 M0 / (R* L) per layer, 0 where the layer is isothermal (unused there).
_EXPONENT = np.divide(
    _HYDROSTATIC_K_PER_M,
    _LAPSE_K_PER_M,
    out=np.zeros_like(_LAPSE_K_PER_M),
    where=_LAPSE_K_PER_M != 0.0,
)


class AtmosphereState(NamedTuple):
    """Standard-atmosphere properties at a set of altitudes (all arrays of the input shape)."""

    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    density_kg_m3: np.ndarray
    speed_of_sound_mps: np.ndarray


def geopotential_altitude_m(geometric_altitude_m):
    """Geopotential altitude from geometric altitude, ``H = r0 Z / (r0 + Z)`` (1976, eq. 18).

    Parameters
    ----------
    geometric_altitude_m : array_like, shape (...)
        Height above mean sea level, m.

    Returns
    -------
    ndarray, shape (...)
        Geopotential altitude, geopotential m.
    """
    z = np.asarray(geometric_altitude_m, dtype=float)
    return EARTH_RADIUS_GEOPOTENTIAL_M * z / (EARTH_RADIUS_GEOPOTENTIAL_M + z)


def geometric_altitude_m(geopotential_altitude_m):
    """Inverse of :func:`geopotential_altitude_m`, ``Z = r0 H / (r0 - H)``."""
    h = np.asarray(geopotential_altitude_m, dtype=float)
    return EARTH_RADIUS_GEOPOTENTIAL_M * h / (EARTH_RADIUS_GEOPOTENTIAL_M - h)


def us1976(altitude_m) -> AtmosphereState:
    """Temperature, pressure, density and speed of sound of the 1976 standard atmosphere.

    Parameters
    ----------
    altitude_m : array_like, shape (...)
        Geometric height above mean sea level, m. Values below -5 km extrapolate the
        troposphere; values above 86 km use the isothermal continuation (module docstring).

    Returns
    -------
    AtmosphereState
        Arrays of shape (...): temperature (K), pressure (Pa), density (kg/m^3) and speed of
        sound (m/s).

    Notes
    -----
    Equations 18, 23, 33a/b, 42 and 50 of *U.S. Standard Atmosphere, 1976* (NOAA-S/T 76-1562),
    quoted in the module docstring.
    """
    h = np.maximum(geopotential_altitude_m(altitude_m), -5000.0)
    layer = np.clip(np.searchsorted(_BASE_GEOPOTENTIAL_M, h, side="right") - 1, 0, 7)
    base_h = _BASE_GEOPOTENTIAL_M[layer]
    base_t = _BASE_TEMPERATURE_K[layer]
    lapse = _LAPSE_K_PER_M[layer]
    temperature = base_t + lapse * (h - base_h)
    isothermal = lapse == 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gradient_ratio = (base_t / temperature) ** _EXPONENT[layer]
        isothermal_ratio = np.exp(-_HYDROSTATIC_K_PER_M * (h - base_h) / base_t)
    pressure = _BASE_PRESSURE_PA[layer] * np.where(isothermal, isothermal_ratio, gradient_ratio)
    density = pressure / (SPECIFIC_GAS_CONSTANT_J_KG_K * temperature)
    speed_of_sound = np.sqrt(GAMMA * SPECIFIC_GAS_CONSTANT_J_KG_K * temperature)
    return AtmosphereState(temperature, pressure, density, speed_of_sound)


def density_kg_m3(altitude_m):
    """Air density of the 1976 standard atmosphere at geometric altitude, kg/m^3."""
    return us1976(altitude_m).density_kg_m3


def speed_of_sound_mps(altitude_m):
    """Speed of sound of the 1976 standard atmosphere at geometric altitude, m/s."""
    return us1976(altitude_m).speed_of_sound_mps


@njit(cache=True)
def density_and_speed_of_sound(altitude_m: float) -> tuple[float, float]:
    """Scalar twin of :func:`us1976` for compiled kernels: density (kg/m^3), sound speed (m/s).

    Same equations and layer constants as :func:`us1976`; a test compares the two.
    """
    h = max(
        EARTH_RADIUS_GEOPOTENTIAL_M * altitude_m / (EARTH_RADIUS_GEOPOTENTIAL_M + altitude_m),
        -5000.0,
    )
    layer = 0
    for i in range(1, _BASE_GEOPOTENTIAL_M.size):
        if h >= _BASE_GEOPOTENTIAL_M[i]:
            layer = i
    base_t = _BASE_TEMPERATURE_K[layer]
    lapse = _LAPSE_K_PER_M[layer]
    dh = h - _BASE_GEOPOTENTIAL_M[layer]
    temperature = base_t + lapse * dh
    if lapse == 0.0:
        ratio = np.exp(-_HYDROSTATIC_K_PER_M * dh / base_t)
    else:
        ratio = (base_t / temperature) ** _EXPONENT[layer]
    pressure = _BASE_PRESSURE_PA[layer] * ratio
    density = pressure / (SPECIFIC_GAS_CONSTANT_J_KG_K * temperature)
    return density, np.sqrt(GAMMA * SPECIFIC_GAS_CONSTANT_J_KG_K * temperature)
