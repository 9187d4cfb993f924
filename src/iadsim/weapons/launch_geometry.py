"""Launch velocities of interceptors: straight at an aimpoint, or towards a lofted aimpoint.

ECEF frame, SI units; the loft and the launch speed are the airframe's
(:class:`iadsim.weapons.airframe.Airframe`).
"""

from __future__ import annotations

import math

import numpy as np

from iadsim.weapons.airframe import Airframe


def _norm(a: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("ij,ij->i", a, a))


def launch_velocity(pos_ecef_m, aim_ecef_m, speed_mps) -> np.ndarray:
    """Velocity of a launch straight at an aimpoint, shape (m, 3), m/s."""
    pos = np.atleast_2d(np.asarray(pos_ecef_m, dtype=float))
    direction = np.atleast_2d(np.asarray(aim_ecef_m, dtype=float)) - pos
    return direction / _norm(direction)[:, None] * np.asarray(speed_mps, dtype=float)[..., None]


MIN_LAUNCH_ELEVATION_RAD = math.radians(5.0)
"""Launches are never flatter than this above the local horizontal."""


def lofted_launch_velocity(site_ecef_m, rotation, target_ecef_m, airframe: Airframe) -> np.ndarray:
    """Launch velocity towards a lofted aimpoint above the target.

    The aimpoint is raised by ``airframe.loft_gain`` metres per metre of ground range (the
    midcourse loft), and the launch is never flatter than
    :data:`MIN_LAUNCH_ELEVATION_RAD`.

    Parameters
    ----------
    site_ecef_m : (3,) float64
        Launcher, ECEF, m.
    rotation : (3, 3) float64
        ECEF to ENU rotation at the launcher.
    target_ecef_m : (m, 3) float64
        Predicted intercept points, ECEF, m.
    airframe : Airframe

    Returns
    -------
    (m, 3) float64
        ECEF velocity, m/s, of magnitude ``airframe.launch_speed_mps``.
    """
    enu = np.einsum("ij,nj->ni", rotation, np.atleast_2d(target_ecef_m) - site_ecef_m)
    horizontal = np.hypot(enu[:, 0], enu[:, 1])
    elevation = np.arctan2(enu[:, 2] + airframe.loft_gain * horizontal, horizontal)
    elevation = np.maximum(elevation, MIN_LAUNCH_ELEVATION_RAD)
    azimuth = np.arctan2(enu[:, 0], enu[:, 1])
    direction_enu = np.stack(
        [
            np.cos(elevation) * np.sin(azimuth),
            np.cos(elevation) * np.cos(azimuth),
            np.sin(elevation),
        ],
        axis=-1,
    )
    return (direction_enu @ rotation) * airframe.launch_speed_mps
