"""Ballistic flights played back: sampled once, interpolated for every entity at once.

Each flight (:mod:`iadsim.motion.ballistic`) is sampled every :data:`~iadsim.motion.ballistic.
STEP_S` with position and velocity; between samples both are the cubic Hermite interpolant
of the two samples' positions and velocities (Burden & Faires, *Numerical Analysis*, 9th ed.,
2011, sec. 3.4), whose error is of the order of ``|r''''| h^4 / 384`` (millimetres here).
The burnout is a sample, so no interval spans the end of the boost.

An optional terminal manoeuvre (a notional weave, an assumption) adds for the last
``duration`` seconds before impact an offset ``A (1 - cos(w tau))`` along the horizontal
normal to the flight's plane, ``w = 2 pi / period``, ``A = a / w^2`` for a peak lateral
acceleration ``a``; the duration is a whole number of periods, so the weave starts and ends
on the ballistic path with no offset and no lateral speed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.geo.frames import ecef_to_lla
from iadsim.motion.ballistic import BallisticFlight


@dataclass(frozen=True)
class TerminalWeave:
    """A weave over the last ``periods * period_s`` seconds of a flight.

    Attributes
    ----------
    accel_mps2 : float
        Peak lateral acceleration, m/s^2.
    period_s : float
    periods : int
    """

    accel_mps2: float
    period_s: float
    periods: int


@dataclass(frozen=True)
class BallisticTable:
    """Sampled flights of ``n`` entities, padded to ``k`` samples.

    Attributes
    ----------
    start_s, end_s : (n,) float64
        Launch and impact times, s.
    times_s : (n, k) float64
        Sample times, s (padding repeats the last).
    states : (n, k, 6) float64
        ECEF position (m) and velocity (m/s) at each sample.
    count : (n,) int64
        Samples of each flight.
    step_s : float
        Sample spacing (the last interval of each flight may be shorter), s.
    weave_axis : (n, 3) float64
        Unit vector of the weave's offset (horizontal, normal to the flight's plane).
    weave_amplitude_m, weave_rate_rad_s, weave_start_s : (n,) float64
        ``A``, ``w`` and the time the weave starts (``inf`` for none).
    """

    start_s: np.ndarray
    end_s: np.ndarray
    times_s: np.ndarray
    states: np.ndarray
    count: np.ndarray
    step_s: float
    weave_axis: np.ndarray
    weave_amplitude_m: np.ndarray
    weave_rate_rad_s: np.ndarray
    weave_start_s: np.ndarray

    @classmethod
    def from_flights(
        cls,
        flights: list[BallisticFlight],
        start_s: np.ndarray,
        weaves: list[TerminalWeave | None],
        step_s: float,
    ) -> BallisticTable:
        """Build the table.

        Parameters
        ----------
        flights : list of BallisticFlight
            One per entity (entities of a raid share one).
        start_s : (n,) float
            Launch time of each entity, s.
        weaves : list of TerminalWeave or None
        step_s : float
            Sample spacing of the flights, s.
        """
        n = len(flights)
        k = max(len(f.times_s) for f in flights)
        times = np.zeros((n, k))
        states = np.zeros((n, k, 6))
        count = np.array([len(f.times_s) for f in flights], dtype=np.int64)
        axis = np.zeros((n, 3))
        amplitude = np.zeros(n)
        rate = np.zeros(n)
        weave_start = np.full(n, np.inf)
        start = np.asarray(start_s, dtype=float)
        for i, (flight, weave) in enumerate(zip(flights, weaves, strict=True)):
            m = count[i]
            times[i, :m] = start[i] + flight.times_s
            times[i, m:] = times[i, m - 1]
            states[i, :m] = flight.states
            states[i, m:] = flight.states[-1]
            launch, impact = flight.states[0, :3], flight.states[-1, :3]
            normal = np.cross(launch, impact)
            axis[i] = normal / np.linalg.norm(normal)
            if weave is not None:
                rate[i] = 2.0 * np.pi / weave.period_s
                amplitude[i] = weave.accel_mps2 / rate[i] ** 2
                weave_start[i] = times[i, m - 1] - weave.periods * weave.period_s
        return cls(
            start, times[np.arange(n), count - 1], times, states, count, step_s, axis,
            amplitude, rate, weave_start,
        )  # fmt: skip

    def states_at(
        self, times_s: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Positions and velocities of all entities at each of ``times_s``.

        Entities before launch are held at the launch point, after impact at the impact
        point, with zero velocity; ``flying`` says which are airborne.

        Parameters
        ----------
        times_s : (T,) float64

        Returns
        -------
        pos_ecef_m, vel_ecef_mps : (T, n, 3) float64
        lla : (T, n, 3) float64
            Latitude (rad), longitude (rad), height above the ellipsoid (m).
        flying : (T, n) bool
        """
        t = np.asarray(times_s, dtype=np.float64)[:, None]
        clamped = np.clip(t, self.start_s, self.end_s)
        index = np.floor((clamped - self.start_s) / self.step_s).astype(np.int64)
        index = np.clip(index, 0, self.count - 2)
        rows = np.broadcast_to(np.arange(len(self.start_s)), index.shape)
        t0, t1 = self.times_s[rows, index], self.times_s[rows, index + 1]
        s0, s1 = self.states[rows, index], self.states[rows, index + 1]
        h = np.where(t1 > t0, t1 - t0, 1.0)[..., None]
        s = ((clamped - t0) / h[..., 0])[..., None]
        p0, v0, p1, v1 = s0[..., :3], s0[..., 3:], s1[..., :3], s1[..., 3:]
        pos = (
            (2 * s**3 - 3 * s**2 + 1) * p0
            + (s**3 - 2 * s**2 + s) * h * v0
            + (-2 * s**3 + 3 * s**2) * p1
            + (s**3 - s**2) * h * v1
        )
        vel = (
            (6 * s**2 - 6 * s) * p0 / h
            + (3 * s**2 - 4 * s + 1) * v0
            + (-6 * s**2 + 6 * s) * p1 / h
            + (3 * s**2 - 2 * s) * v1
        )
        tau = np.maximum(clamped - self.weave_start_s, 0.0)
        phase = self.weave_rate_rad_s * tau
        offset = self.weave_amplitude_m * (1.0 - np.cos(phase))
        lateral_speed = self.weave_amplitude_m * self.weave_rate_rad_s * np.sin(phase)
        pos = pos + offset[..., None] * self.weave_axis
        vel = vel + lateral_speed[..., None] * self.weave_axis
        flying = (t >= self.start_s) & (t < self.end_s)
        vel = np.where(flying[..., None], vel, 0.0)
        lat, lon, alt = ecef_to_lla(pos.reshape(-1, 3))
        lla = np.stack([lat, lon, alt], axis=-1).reshape(pos.shape)
        return pos, vel, lla, flying
