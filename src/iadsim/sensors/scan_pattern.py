"""Where a radar looks: azimuth intervals, and the interval a rotating beam sweeps in a step.

A rotating surveillance radar (a turning antenna or a rotating phased array) points its beam
at the azimuth

    phi(t) = 2 pi (t - t_north) / T_rev   (mod 2 pi, clockwise from north)

with ``T_rev`` the rotation period (the catalog's ``revisit_s``) and ``t_north`` the time
the beam passes north. During a step ``[t, t + dt)`` it sweeps the interval
``[phi(t), phi(t) + 2 pi dt / T_rev)``; a target is looked at in the step during which the
beam crosses its azimuth, so the detections of one rotation are spread over the rotation
instead of arriving all at once (Skolnik, *Introduction to Radar Systems*, 3rd ed., 2001,
sec. 2.5: hits per scan and time on target). The beam passage is resolved to the step: a
detection is stamped with the time of the step in which the beam crossed the target.

An electronically scanned sector radar searches its whole sector every revisit; its
interval is the sector (:meth:`AzimuthInterval.sector`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

TWO_PI = 2.0 * math.pi
_ANGLE_TOLERANCE_RAD = 1e-12
FULL_CIRCLE_RAD = TWO_PI - _ANGLE_TOLERANCE_RAD
"""An interval at least this wide covers every azimuth (:attr:`AzimuthInterval.is_full_circle`)."""


@dataclass(frozen=True)
class AzimuthInterval:
    """The azimuths from ``start_rad`` clockwise through ``extent_rad``.

    Parameters
    ----------
    start_rad : float
        First azimuth of the interval, clockwise from north, rad.
    extent_rad : float
        Width of the interval, rad; ``2 pi`` or more is the full circle.
    """

    start_rad: float
    extent_rad: float

    @classmethod
    def sector(cls, facing_rad: float, width_rad: float) -> AzimuthInterval:
        """The sector of ``width_rad`` centred on the boresight ``facing_rad``."""
        return cls((facing_rad - width_rad / 2.0) % TWO_PI, width_rad)

    @classmethod
    def swept(
        cls, time_s: float, dt_s: float, rotation_period_s: float, north_time_s: float
    ) -> AzimuthInterval:
        """The interval a rotating beam sweeps during ``[time_s, time_s + dt_s)``.

        Parameters
        ----------
        time_s, dt_s : float
            Start and length of the step, s.
        rotation_period_s : float
            Time of one full turn, s.
        north_time_s : float
            A time at which the beam points north, s.
        """
        turns = (time_s - north_time_s) / rotation_period_s
        # turns % 1.0 is turns - floor(turns) to the bit, and the test below min(extent,
        # 2 pi): operators, not the calls of math.floor and min, every step of every radar.
        extent = TWO_PI * dt_s / rotation_period_s
        return cls(TWO_PI * (turns % 1.0), TWO_PI if extent > TWO_PI else extent)

    @property
    def is_full_circle(self) -> bool:
        """True when the interval covers every azimuth."""
        return self.extent_rad >= FULL_CIRCLE_RAD

    def contains(self, az_rad: np.ndarray) -> np.ndarray:
        """Whether each azimuth lies in the interval (both ends included).

        Parameters
        ----------
        az_rad : (n,) float64
            Azimuths clockwise from north, rad (any turn).

        Returns
        -------
        (n,) bool
        """
        az_rad = np.asarray(az_rad, dtype=float)
        if self.extent_rad >= FULL_CIRCLE_RAD:  # is_full_circle
            return np.ones(az_rad.shape, dtype=bool)
        offset = np.mod(az_rad - self.start_rad + _ANGLE_TOLERANCE_RAD, TWO_PI)
        return offset <= self.extent_rad + 2.0 * _ANGLE_TOLERANCE_RAD

    def sample(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` azimuths uniform over the interval, in ``[0, 2 pi)``, rad."""
        return np.mod(
            self.start_rad + rng.uniform(0.0, min(self.extent_rad, TWO_PI), count), TWO_PI
        )
