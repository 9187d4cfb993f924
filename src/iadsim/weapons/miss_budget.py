"""Analytic miss-distance budget of the end-game: the adjoint of the linear homing loop.

Zarchan's linearised single-lag proportional-navigation loop (*Tactical and Strategic
Missile Guidance*, 6th ed., AIAA 2012, ch. 2-4 and ch. 6, S101), per axis normal to the line
of sight, sampled at the seeker's interval ``dt`` as the flyout samples it:

- relative position ``y`` and rate: ``y'' = -n_L`` (no target acceleration);
- measured LOS angle ``l_k = (y_k + g_k) / (V_c t_go) + a_k`` with glint ``g`` (a first-order
  Gauss-Markov position error of one-sigma ``sigma_g``, correlation time ``tau_g``) and white
  angle noise ``a_k`` of one-sigma ``sqrt(sigma_a^2 + (sigma_t (R / R_acq)^k)^2)`` rad;
- LOS rate by first difference, ``(l_k - l_{k-1}) / dt`` (none on the first sample after
  lock-on), and command ``n_c = N' V_c l_dot`` held over the sample;
- achieved acceleration through the first-order autopilot lag ``T``, integrated exactly over
  the sample with the command held (``n_L(s) = n_c + (n_L,k - n_c) e^(-s/T)``, and its
  first and second integrals for ``y'`` and ``y``), as the flyout integrates it.

The exact hold-and-lag discretisation matters: an Euler update (``y`` from the previous
``y'``, ``y'`` from the previous ``n_L``) adds about one and a half samples of delay and
overstates the sampled loop's glint miss by 5-8 % at ``T = 0.2-0.5 s`` and 100 Hz.

The loop is linear in the noise, so the miss ``y`` at ``t_go = 0`` is Gaussian with zero
mean; its variance is the sum over noise samples of the squared impulse response, which the
adjoint (the transposed loop run backwards from the miss, Zarchan ch. 4) gives for all
sample times in one backward pass. Two equal, independent axes make the miss distance
Rayleigh: median ``sigma sqrt(2 ln 2)``, 90th percentile ``sigma sqrt(2 ln 10)``.

Optionally (a what-if: the flyout has no radome) a radome boresight-error slope ``R``
refracts the measured LOS by ``R`` times the look angle off the body axis, ``lambda* =
lambda + R (lambda - theta)``, with the body attitude ``theta = gamma + alpha``, the flight
path angle ``gamma = -y' / V_m`` and the angle of attack ``alpha = T_alpha n_L / V_m``
(Zarchan, radome chapter: the parasitic loop through the missile's own turn; it may
destabilise the loop where ``|R| T_alpha`` is large against ``T``, i.e. at altitude).

This is a check on the 3-DOF flyout (:mod:`iadsim.weapons.flyout`), not part of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HomingLoop:
    """The linear loop's parameters.

    Attributes
    ----------
    closing_speed_mps : float
        ``V_c``, m/s.
    homing_time_s : float
        Time from lock-on to intercept, s.
    navigation_ratio : float
        ``N'``.
    time_constant_s : float
        Autopilot lag ``T``, s.
    sample_s : float
        Seeker sample interval, s.
    glint_m, glint_correlation_s : float
        Glint one-sigma (m) and correlation time (s).
    angle_noise_rad, thermal_noise_rad : float
        Range-independent and receiver angle noise (the latter at lock-on), one-sigma per
        sample, rad.
    thermal_power : float
        ``k``: 2 for an active seeker, 1 for a semi-active one.
    radome_slope : float
        Boresight-error slope ``R`` of the radome (dimensionless; 0: none). Not in the
        flyout: a what-if of the budget (see the module docstring).
    turning_time_constant_s : float
        ``T_alpha = alpha V_m / n_L``, s, for the radome term.
    missile_speed_mps : float
        ``V_m``, m/s, for the radome term (default: the closing speed).
    """

    closing_speed_mps: float
    homing_time_s: float
    navigation_ratio: float
    time_constant_s: float
    sample_s: float = 0.01
    glint_m: float = 0.0
    glint_correlation_s: float = 0.1
    angle_noise_rad: float = 0.0
    thermal_noise_rad: float = 0.0
    thermal_power: float = 2.0
    radome_slope: float = 0.0
    turning_time_constant_s: float = 0.0
    missile_speed_mps: float | None = None

    def matrices(self) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """Per-sample transition ``Phi_k`` (5, 5) and noise input ``Gamma_k`` (5, 2), and the
        initial covariance (5, 5), of the state ``[y, y', n_L, g, l_prev]`` with the noise
        ``[w_k, a_k]`` in units of one standard deviation."""
        dt, vc, tau = self.sample_s, self.closing_speed_mps, self.time_constant_s
        steps = round(self.homing_time_s / dt)
        phi_g = math.exp(-dt / self.glint_correlation_s)
        decay = math.exp(-dt / tau) if tau > 0.0 else 0.0
        # n_L(s) = c + (n_L - c) e^(-s/T) over the sample: its integral and double integral
        # are c dt + (n_L - c) i1 and c dt^2/2 + (n_L - c) i2.
        i1 = tau * (1.0 - decay)
        i2 = tau * (dt - i1)
        gain = self.navigation_ratio * vc / dt
        acquisition = vc * self.homing_time_s
        r, t_alpha = self.radome_slope, self.turning_time_constant_s
        vm = self.missile_speed_mps or vc
        transitions, inputs = [], []
        for k in range(steps):
            t_go = (steps - k) * dt
            range_m = vc * t_go
            sigma = math.hypot(
                self.angle_noise_rad,
                self.thermal_noise_rad * (range_m / acquisition) ** self.thermal_power,
            )
            # Measured LOS l_k = h (y + g) + a_k, h = 1 / (V_c t_go); with a radome,
            # l_k = (1 + R) h (y + g) - R theta + a_k, theta = -y' / V_m + T_alpha n_L / V_m.
            h = 1.0 / range_m
            measure = np.array([h * (1.0 + r), r / vm, -r * t_alpha / vm, h * (1.0 + r), 0.0])
            # n_c = gain (l_k - l_prev): in units of the state (row) and of a_k (scalar);
            # the first look after lock-on gives no rate and no command.
            first = k == 0
            command = np.zeros(5) if first else gain * (measure - np.eye(5)[4])
            command_noise = 0.0 if first else gain * sigma
            phi = np.zeros((5, 5))
            gamma = np.zeros((5, 2))
            # y' <- y' - [c dt + (n_L - c) i1];  y <- y + y' dt - [c dt^2/2 + (n_L - c) i2]
            phi[0, 0], phi[0, 1], phi[0, 2] = 1.0, dt, -i2
            phi[0] -= (0.5 * dt * dt - i2) * command
            gamma[0, 1] = -(0.5 * dt * dt - i2) * command_noise
            phi[1, 1], phi[1, 2] = 1.0, -i1
            phi[1] -= (dt - i1) * command
            gamma[1, 1] = -(dt - i1) * command_noise
            # n_L <- c + (n_L - c) e^(-dt/T)
            phi[2, 2] = decay
            phi[2] += (1.0 - decay) * command
            gamma[2, 1] = (1.0 - decay) * command_noise
            phi[3, 3] = phi_g
            gamma[3, 0] = self.glint_m * math.sqrt(1.0 - phi_g * phi_g)
            phi[4] = measure
            gamma[4, 1] = sigma
            transitions.append(phi)
            inputs.append(gamma)
        initial = np.zeros((5, 5))
        initial[3, 3] = self.glint_m**2  # glint starts stationary at lock-on
        return transitions, inputs, initial

    def miss_sigma_m(self) -> float:
        """One-axis rms miss, m, by the adjoint: ``sum_k |lambda_{k+1}^T Gamma_k|^2`` plus the
        initial state's share ``lambda_0^T P_0 lambda_0``."""
        transitions, inputs, initial = self.matrices()
        adjoint = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
        variance = 0.0
        for phi, gamma in zip(reversed(transitions), reversed(inputs), strict=True):
            response = adjoint @ gamma
            variance += float(response @ response)
            adjoint = adjoint @ phi
        variance += float(adjoint @ initial @ adjoint)
        return math.sqrt(variance)


def rayleigh_percentile(sigma_m: float, q: float) -> float:
    """``q``-quantile (0 < q < 1) of the distance of a circular Gaussian miss of per-axis
    one-sigma ``sigma_m``: ``sigma sqrt(-2 ln(1 - q))``."""
    return sigma_m * math.sqrt(-2.0 * math.log(1.0 - q))
