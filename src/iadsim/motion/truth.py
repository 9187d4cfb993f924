"""The truth of one instant: where every air entity is, for sensors to observe and scoring."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TruthState:
    """Truth of all air entities at one instant.

    Attributes
    ----------
    pos_ecef_m, vel_ecef_mps : (n, 3) float64
        ECEF position (m) and velocity (m/s).
    lla : (n, 3) float64
        Geodetic latitude and longitude (rad) and height above the ellipsoid (m).
    present : (n,) bool
        Flying and not destroyed.
    """

    pos_ecef_m: np.ndarray
    vel_ecef_mps: np.ndarray
    lla: np.ndarray
    present: np.ndarray
