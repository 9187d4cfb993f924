"""The autopilot: a first-order lag from command to achieved acceleration, and its limit.

Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., AIAA 2012, ch. 3 (single
time-constant flight control system). Vectorised forms and scalar ``njit`` twins for the
compiled flyout kernel.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def lag_response(achieved, command, elapsed_s, time_constant_s):
    """First-order autopilot lag: achieved lateral acceleration after ``elapsed_s``.

    ``da/dt = (a_c - a) / T`` with the command held, so ``a(t) = a_c + (a_0 - a_c) e^(-t/T)``
    (Zarchan ch. 3, single time-constant flight control system ``1 / (1 + sT)``); ``T = 0``
    follows the command at once.

    Parameters
    ----------
    achieved, command : ndarray, (n, 3)
        Achieved acceleration at the step start and the held command, m/s^2.
    elapsed_s : float
    time_constant_s : ndarray, (n,)

    Returns
    -------
    ndarray, (n, 3)
    """
    with np.errstate(divide="ignore", over="ignore"):
        decay = np.where(time_constant_s > 0.0, np.exp(-elapsed_s / time_constant_s), 0.0)
    return command + (achieved - command) * decay[:, None]


def limited(acceleration: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``acceleration`` (n, 3) scaled down where its magnitude exceeds ``limit`` (n,)."""
    magnitude = np.sqrt(np.einsum("ij,ij->i", acceleration, acceleration))
    scale = np.where(magnitude > limit, limit / np.maximum(magnitude, 1e-12), 1.0)
    return acceleration * scale[:, None]


@njit(cache=True)
def lag_scalar(a0: float, c: float, elapsed: float, tau: float) -> float:
    """Scalar twin of :func:`lag_response`, one component."""
    return c + (a0 - c) * (np.exp(-elapsed / tau) if tau > 0.0 else 0.0)


@njit(cache=True)
def limited_scalar(a, limit: float):
    """Scalar twin of :func:`limited`."""
    magnitude = np.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])
    scale = limit / max(magnitude, 1e-12) if magnitude > limit else 1.0
    return a[0] * scale, a[1] * scale, a[2] * scale
