"""End-game miss distances of the flyout against the adjoint of the linear homing loop.

The oracle is Zarchan's single time-constant homing loop (*Tactical and Strategic Missile
Guidance*, 6th ed., AIAA 2012, ch. 3 and ch. 4 "Method of adjoints", ch. 6 noise): relative
lateral separation ``y``, proportional navigation on the seeker's LOS angle
``lambda* = y / (V_c t_go) + v`` through the guidance and flight-control transfer function
``n_L / lambda* = N' V_c s / (1 + s T)``:

    y'' = n_T - n_L,   n_L = N' V_c (lambda* - q) / T,   q' = (lambda* - q) / T.

Its adjoint, integrated here with SciPy from ``t_go = 0``, gives the miss from a heading
error, from a target step manoeuvre and the RMS miss from white angle noise. The simulator
flies the same engagements in 3-D (no gravity, no drag: constant speed) with the seeker's
own measurements and the autopilot lag of the production kernel, sampled every 0.5 ms (2 ms
for noise) so that it stands for the continuous loop (at the production 100 Hz the sampled
loop misses by 15-30 % more at ``t_F / T = 4``, a real effect of sampled guidance); nothing
of the simulator is used by the oracle.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from iadsim.weapons.flyout import Airframe, FlyoutOptions, FlyoutState, step
from iadsim.weapons.miss_budget import HomingLoop
from iadsim.weapons.seeker import GLINT_CORRELATION_TIME_S

IDEAL = FlyoutOptions(
    gravity="none", earth_rotation=False, gravity_compensation=False, arming_time_s=0.0
)
SPEED_MPS = 1000.0  # missile speed; the target is at rest, so V_c = V_m
DT_S = 0.0005
"""Guidance sample of the checks against the continuous loop, s."""


def adjoint(nav: float, lag_s: float, closing_mps: float, flight_s: float):
    """Adjoint of the single-lag loop at ``t_go = t_F``.

    Returns ``d miss / d y'(0)`` (heading error), ``d miss / d n_T`` (step manoeuvre),
    ``integral of (p . b_v)^2 over t_go`` (white angle noise) and ``d miss / d q(0)`` (an
    error of the filter's initial state).
    """

    def rhs(t_go, z):
        p_y, p_v, p_q = z[:3]
        # A(t)^T p with t_go = t_F - t (states y, y', q)
        a_vy = -nav / (lag_s * t_go)
        a_qy = 1.0 / (closing_mps * t_go * lag_s)
        d_p_y = a_vy * p_v + a_qy * p_q
        d_p_v = p_y
        d_p_q = nav * closing_mps / lag_s * p_v - p_q / lag_s
        noise_gain = -nav * closing_mps / lag_s * p_v + p_q / lag_s
        return [d_p_y, d_p_v, d_p_q, p_v, noise_gain**2]

    start = 1e-9
    solution = solve_ivp(
        rhs, (start, flight_s), [1.0, start, 0.0, 0.0, 0.0], method="LSODA", rtol=1e-10,
        atol=1e-12,
    )  # fmt: skip
    _, p_v, p_q, maneuver, noise = solution.y[:, -1]
    return p_v, maneuver, noise, p_q


def ideal_airframe(nav: float, lag_s: float, angle_noise_rad: float = 0.0) -> Airframe:
    return Airframe(
        key="ideal-lag",
        launch_mass_kg=100.0,
        propellant_mass_kg=0.0,
        boost_thrust_n=0.0,
        boost_time_s=0.0,
        reference_area_m2=0.0,
        drag_mach=(0.0,),
        drag_cd0=(0.0,),
        max_load_factor_g=math.inf,
        max_flight_time_s=100.0,
        min_speed_mps=0.0,
        navigation_constant=nav,
        autopilot_time_constant_s=lag_s,
        seeker_angle_noise_rad=angle_noise_rad,
    )


def fly(
    airframe, count, flight_s, heading_error_rad=0.0, target_accel_mps2=0.0, seed=None,
    dt_s=DT_S, glint_m=None,
):  # fmt: skip
    """``count`` missiles from one point at a target at rest ``V_m t_F`` ahead (or pulling
    ``target_accel_mps2`` normal to the LOS from launch); their miss distances."""
    origin = np.array([7.0e6, 0.0, 0.0])
    ahead, side = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])
    state = FlyoutState(count)
    velocity = SPEED_MPS * (
        math.cos(heading_error_rad) * ahead + math.sin(heading_error_rad) * side
    )
    state.launch(airframe, np.repeat(origin[None], count, 0), np.repeat(velocity[None], count, 0))
    target = np.repeat((origin + SPEED_MPS * flight_s * ahead)[None], count, 0)
    target_vel = np.zeros((count, 3))
    rng = None if seed is None else np.random.default_rng(seed)
    miss = np.full(count, np.nan)
    for _ in range(round(2 * flight_s / dt_s)):
        events = step(
            state, target, target_vel, True, dt_s, glint_m=glint_m, seeker_rng=rng, options=IDEAL
        )
        miss[events.slot] = events.miss_distance_m
        # exact constant-acceleration motion of the manoeuvring target over the step
        target = target + target_vel * dt_s + 0.5 * target_accel_mps2 * dt_s**2 * side
        target_vel = target_vel + target_accel_mps2 * dt_s * side
        if not state.active.any():
            break
    assert np.isfinite(miss).all()
    return miss


@pytest.mark.parametrize(("nav", "lag_s", "flight_s"), [(3.0, 0.5, 2.0), (4.0, 0.5, 3.0)])
def test_heading_error_miss_matches_the_adjoint(nav, lag_s, flight_s):
    heading_error = math.radians(2.0)
    sensitivity, _, _, _ = adjoint(nav, lag_s, SPEED_MPS, flight_s)
    expected = abs(sensitivity * SPEED_MPS * heading_error)
    miss = fly(ideal_airframe(nav, lag_s), 1, flight_s, heading_error_rad=heading_error)
    assert expected > 0.1  # the lag leaves a miss to measure
    assert miss[0] == pytest.approx(expected, rel=0.06)


@pytest.mark.parametrize(("nav", "lag_s", "flight_s"), [(3.0, 0.5, 2.0), (4.0, 0.3, 2.0)])
def test_step_manoeuvre_miss_matches_the_adjoint(nav, lag_s, flight_s):
    accel = 5.0 * 9.80665
    _, sensitivity, _, _ = adjoint(nav, lag_s, SPEED_MPS, flight_s)
    expected = abs(sensitivity * accel)
    miss = fly(ideal_airframe(nav, lag_s), 1, flight_s, target_accel_mps2=accel)
    assert expected > 0.1
    assert miss[0] == pytest.approx(expected, rel=0.06)


def test_lag_free_loop_leaves_no_miss_from_the_integration_step():
    """Without lag or noise the kernel's own miss is interpolation error only (< 1 mm)."""
    miss = fly(ideal_airframe(4.0, 0.0), 1, 3.0, heading_error_rad=math.radians(5.0))
    assert miss[0] < 1e-3


@pytest.mark.parametrize(("lag_s", "flight_s"), [(0.5, 4.0), (1.0, 5.0)])
def test_rms_miss_from_angle_noise_matches_the_adjoint(lag_s, flight_s):
    """White angle noise of spectral density ``Phi = sigma^2 dt`` gives ``sigma_miss^2 =
    Phi * integral (p . b_v)^2 dt_go`` (Zarchan ch. 6), plus the seeker's first look: it has
    no rate yet, so its noise stays in the LOS reference like an error of the filter's
    initial state, ``(sigma p_q(t_F))^2``. Sampled at 2 ms (200 missiles, two axes each).

    The flyout is held to the adjoint of the same loop sampled at 2 ms
    (:class:`~iadsim.weapons.miss_budget.HomingLoop`) within three standard errors of a
    sample rms of ``2 n`` Gaussian axes (``1 / sqrt(4 n)`` each), and that to the continuous
    adjoint within 10 % (sampling at 2 ms adds 6-9 % here: the sampled loop's last samples,
    where the gain ``N' / t_go`` outruns the sample rate)."""
    nav, sigma_rad, dt_s, count = 4.0, 2.0e-3, 0.002, 200
    _, _, integral, p_q = adjoint(nav, lag_s, SPEED_MPS, flight_s)
    continuous = math.sqrt(sigma_rad**2 * dt_s * integral + (sigma_rad * p_q) ** 2)
    sampled = HomingLoop(
        SPEED_MPS, flight_s, nav, lag_s, sample_s=dt_s, angle_noise_rad=sigma_rad
    ).miss_sigma_m()
    assert sampled == pytest.approx(continuous, rel=0.10)
    miss = fly(ideal_airframe(nav, lag_s, sigma_rad), count, flight_s, seed=11, dt_s=dt_s)
    # two independent axes normal to the LOS: E[miss^2] = 2 sigma^2
    rms = math.sqrt(np.mean(miss**2) / 2.0)
    assert rms == pytest.approx(sampled, rel=3.0 / math.sqrt(4 * count))


def test_noise_driven_miss_grows_as_the_square_root_of_the_spectral_density():
    """The loop is linear in the noise: the same draws at twice the sigma (four times
    ``Phi``) give twice the miss."""
    nav, lag_s, flight_s, sigma_rad = 4.0, 0.5, 4.0, 1.0e-3
    miss = fly(ideal_airframe(nav, lag_s, sigma_rad), 100, flight_s, seed=11, dt_s=0.002)
    doubled = fly(ideal_airframe(nav, lag_s, 2 * sigma_rad), 100, flight_s, seed=11, dt_s=0.002)
    rms, rms_doubled = np.sqrt(np.mean(miss**2)), np.sqrt(np.mean(doubled**2))
    assert rms > 0.005
    assert rms_doubled == pytest.approx(2.0 * rms, rel=0.03)


@pytest.mark.parametrize(("nav", "lag_s", "flight_s"), [(4.0, 0.3, 4.0), (3.0, 0.5, 4.0)])
def test_rms_miss_from_glint_matches_the_sampled_adjoint(nav, lag_s, flight_s):
    """Correlated glint at the production 100 Hz against the adjoint of the same sampled loop
    (:class:`~iadsim.weapons.miss_budget.HomingLoop`, itself checked against a forward Monte
    Carlo of the linear loop and Zarchan's ``sqrt(Phi_g / T)`` scaling). The LOS lies along
    a coordinate axis, where a glint offset kept in a LOS-normal basis picked per sample lost
    its correlation (the flyout then missed by 0.80-0.85 of the adjoint). The sample rms of
    ``2 n`` Gaussian axes has a relative standard error ``1 / sqrt(4 n)``: three of them."""
    count, glint_m, dt_s = 400, 1.0, 0.01
    loop = HomingLoop(
        SPEED_MPS, flight_s, nav, lag_s, sample_s=dt_s, glint_m=glint_m,
        glint_correlation_s=GLINT_CORRELATION_TIME_S,
    )  # fmt: skip
    miss = fly(ideal_airframe(nav, lag_s), count, flight_s, seed=5, dt_s=dt_s, glint_m=glint_m)
    rms = math.sqrt(np.mean(miss**2) / 2.0)
    assert rms == pytest.approx(loop.miss_sigma_m(), rel=3.0 / math.sqrt(4 * count))
