"""The ballistic integrator against textbook results: flat-earth and Keplerian vacuum
trajectories, the J2 potential's gradient, SciPy's DOP853 on the same equations, and the
Numba kernel against its NumPy twin.

Analytic oracles, written here from the textbooks (not from the code under test):

* flat earth, vacuum: ``R = v^2 sin(2 gamma) / g``, ``h = v^2 sin^2(gamma) / (2 g)``
  (any mechanics text; e.g. Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.);
* spherical earth, vacuum (Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971,
  sec. 6.2, the free-flight range equation): with ``Q = v^2 r / mu``, ``p = r Q cos^2
  gamma``, ``e^2 = (Q sin gamma cos gamma)^2 + (1 - Q cos^2 gamma)^2``, the range angle
  between equal radii is ``psi = 2 atan2(Q sin gamma cos gamma, 1 - Q cos^2 gamma)`` and the
  apogee radius ``p / (1 - e)``; the minimum-energy flight has ``gamma = (pi - psi) / 4``
  and ``Q = 2 sin(psi/2) / (1 + sin(psi/2))``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from iadsim.geo.ellipsoid import WGS84_A_M, WGS84_GM_M3_S2, WGS84_J2
from iadsim.motion._ballistic_kernels import derivative_reference, fly_kernel, fly_reference
from iadsim.motion.ballistic import solve_flight

MU = WGS84_GM_M3_S2
A = WGS84_A_M


def equatorial_launch(speed_mps: float, gamma_rad: float) -> tuple[np.ndarray, np.ndarray]:
    """A launch on the equator heading east: the flight stays on the equatorial plane,
    where the ellipsoid is the sphere of radius ``a``."""
    pos = np.array([A, 0.0, 0.0])
    vel = speed_mps * np.array([math.sin(gamma_rad), math.cos(gamma_rad), 0.0])
    return pos, vel


def range_and_apogee(_times, states) -> tuple[float, float]:
    """Ground range on the equator (m) and greatest height above it (m) of a flight's
    ``(times, states)``."""
    end = states[-1, :3]
    angle = math.atan2(end[1], end[0])
    return A * angle, float(np.linalg.norm(states[:, :3], axis=1).max() - A)


def keplerian(speed_mps: float, gamma_rad: float, radius_m: float) -> tuple[float, float]:
    """Range angle and apogee radius of a vacuum flight between equal radii."""
    q = speed_mps**2 * radius_m / MU
    sc, cc = q * math.sin(gamma_rad) * math.cos(gamma_rad), 1.0 - q * math.cos(gamma_rad) ** 2
    psi = 2.0 * math.atan2(sc, cc)
    p = radius_m * q * math.cos(gamma_rad) ** 2
    e = math.hypot(sc, cc)
    return psi, p / (1.0 - e)


def test_short_vacuum_flight_matches_the_flat_earth_range_and_apogee():
    speed, gamma = 300.0, math.radians(40.0)
    g = MU / A**2
    times, states = fly_kernel(*equatorial_launch(speed, gamma), 0.0, 0.0, 0.05, 600.0, 0.0)
    flight_range, apogee = range_and_apogee(times, states)
    assert flight_range == pytest.approx(speed**2 * math.sin(2 * gamma) / g, rel=0.01)
    assert apogee == pytest.approx((speed * math.sin(gamma)) ** 2 / (2 * g), rel=0.01)
    assert times[-1] == pytest.approx(2 * speed * math.sin(gamma) / g, rel=0.01)


@pytest.mark.parametrize(
    ("speed", "gamma_deg"), [(2200.0, 44.0), (2600.0, 16.0), (4000.0, 30.0), (1500.0, 60.0)]
)
def test_vacuum_flight_matches_the_keplerian_range_and_apogee(speed, gamma_deg):
    gamma = math.radians(gamma_deg)
    times, states = fly_kernel(*equatorial_launch(speed, gamma), 0.0, 0.0, 0.5, 3600.0, 0.0)
    flight_range, apogee = range_and_apogee(times, states)
    psi, apogee_radius = keplerian(speed, gamma, A)
    assert flight_range == pytest.approx(A * psi, rel=1e-3)
    assert apogee == pytest.approx(apogee_radius - A, rel=1e-3)


def test_the_sphere_gives_a_longer_500_km_range_than_the_flat_earth_formula():
    """Curvature matters at SRBM ranges: the flight follows the sphere, not the flat earth."""
    speed, gamma = 2200.0, math.radians(44.0)
    times, states = fly_kernel(*equatorial_launch(speed, gamma), 0.0, 0.0, 0.5, 3600.0, 0.0)
    flight_range, _ = range_and_apogee(times, states)
    flat = speed**2 * math.sin(2 * gamma) / (MU / A**2)
    assert flight_range > 1.03 * flat  # the ground falls away under the arc


def test_minimum_energy_solution_matches_the_keplerian_optimum():
    psi = 500e3 / A
    target = (A * math.cos(psi), A * math.sin(psi), 0.0)
    flight = solve_flight((A, 0.0, 0.0), target, 0.0, 0.0, math.inf, "minimum_energy", j2=0.0)
    q = 2 * math.sin(psi / 2) / (1 + math.sin(psi / 2))
    assert flight.burnout_flight_path_rad == pytest.approx((math.pi - psi) / 4, abs=2e-3)
    assert flight.burnout_speed_mps == pytest.approx(math.sqrt(q * MU / A), rel=1e-4)


def test_solved_apogee_flight_has_the_keplerian_apogee_of_its_burnout_state():
    psi = 400e3 / A
    target = (A * math.cos(psi), A * math.sin(psi), 0.0)
    flight = solve_flight((A, 0.0, 0.0), target, 0.0, 0.0, math.inf, "apogee", 40e3, j2=0.0)
    solved_psi, apogee_radius = keplerian(
        flight.burnout_speed_mps, flight.burnout_flight_path_rad, A
    )
    assert A * solved_psi == pytest.approx(400e3, rel=1e-4)
    assert apogee_radius - A == pytest.approx(40e3, rel=1e-3)


def j2_potential(pos: np.ndarray) -> float:
    """``U = -mu/r (1 - J2 (a/r)^2 P2(z/r))``, P2(x) = (3x^2 - 1)/2 (the geopotential's
    zonal series truncated at J2; Vallado 2013, ch. 8)."""
    r = float(np.linalg.norm(pos))
    p2 = 0.5 * (3.0 * (pos[2] / r) ** 2 - 1.0)
    return -MU / r * (1.0 - WGS84_J2 * (A / r) ** 2 * p2)


def test_gravity_is_the_gradient_of_the_j2_potential():
    pos = np.array([3.9e6, 2.6e6, 4.3e6])
    numeric = np.array(
        [
            -(j2_potential(pos + h) - j2_potential(pos - h)) / 2.0
            for h in np.eye(3) * 1.0  # 1 m central differences
        ]
    )
    acceleration = derivative_reference(np.concatenate([pos, np.zeros(3)]), WGS84_J2, 0.0)[3:]
    np.testing.assert_allclose(acceleration, numeric, rtol=1e-7)


def test_fixed_step_flight_agrees_with_scipy_dop853_on_the_same_equations():
    pos, vel = equatorial_launch(2500.0, math.radians(20.0))
    inverse_beta = 1.0 / 10_000.0
    times, states = fly_kernel(pos, vel, inverse_beta, WGS84_J2, 0.5, 3600.0, 0.0)
    solution = solve_ivp(
        lambda _, y: derivative_reference(y, WGS84_J2, inverse_beta),
        (0.0, times[-1]),
        np.concatenate([pos, vel]),
        method="DOP853",
        rtol=1e-10,
        atol=1e-6,
    )
    np.testing.assert_allclose(solution.y[:3, -1], states[-1, :3], atol=1.0)
    np.testing.assert_allclose(solution.y[3:, -1], states[-1, 3:], atol=0.01)


def test_drag_shortens_the_flight_and_slows_the_impact():
    launch = equatorial_launch(2500.0, math.radians(20.0))
    vacuum = fly_kernel(*launch, 0.0, WGS84_J2, 0.5, 3600.0, 0.0)
    dragged = fly_kernel(*launch, 1.0 / 10_000.0, WGS84_J2, 0.5, 3600.0, 0.0)
    assert range_and_apogee(*dragged)[0] < 0.9 * range_and_apogee(*vacuum)[0]
    assert np.linalg.norm(dragged[1][-1, 3:]) < np.linalg.norm(vacuum[1][-1, 3:])


def test_numba_kernel_matches_its_numpy_twin():
    pos, vel = equatorial_launch(2800.0, math.radians(25.0))
    pos = pos @ np.array([[0.8, 0.0, 0.6], [0.0, 1.0, 0.0], [-0.6, 0.0, 0.8]])  # off-equator
    vel = vel @ np.array([[0.8, 0.0, 0.6], [0.0, 1.0, 0.0], [-0.6, 0.0, 0.8]])
    args = (1.0 / 8000.0, WGS84_J2, 0.5, 3600.0, 500.0)
    times, states = fly_kernel(pos, vel, *args)
    ref_times, ref_states = fly_reference(pos, vel, *args)
    np.testing.assert_allclose(times, ref_times, rtol=1e-9)
    np.testing.assert_allclose(states, ref_states, rtol=1e-9, atol=1e-6)
