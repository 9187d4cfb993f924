"""Passive detection of emitting radars: the one-way (beacon) equation.

The power a receiver's antenna delivers from a radar's main beam at range R is
(NAWCWD, *Electronic Warfare and Radar Systems Engineering Handbook*, sec. 4-3, one-way
radar equation; Adamy, *EW 101*, ch. 2)::

    P_r = P_t G_t G_r lambda^2 / ((4 pi R)^2 L)

with P_t the peak transmitter power, G_t and G_r the transmitting and receiving antenna
gains, lambda the wavelength and L (>= 1) the losses of both sides. In decibels,
P_r[dBm] = P_t[dBm] + G_t + G_r - L - (20 log10(f[MHz] R[km]) + 32.45), the handbook's
one-way free-space loss. A receiver (radar warning receiver or ELINT) detects the radar
when P_r reaches its sensitivity, the radar radiates, its frequency lies in the
receiver's band, and each is above the other's radar horizon (4/3 earth).

The transmitter is taken to point its main beam at the receiver: the intercept of a
scanning or electronically steered beam's main lobe at least once per scan, an upper bound
on the detection range (assumption).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.sensors.diffraction import SPEED_OF_LIGHT_MPS

__all__ = [
    "EARTH_RADIUS_4_3_M",
    "PassiveReceivers",
    "free_space_loss_db",
    "received_power_dbm",
    "received_power_w",
    "within_horizon",
]

EARTH_RADIUS_4_3_M = 4.0 / 3.0 * 6_371_008.8
"""Effective earth radius of a standard atmosphere (4/3 earth; Skolnik sec. 8.2), m."""


def received_power_w(
    peak_power_w: np.ndarray,
    tx_gain_dbi: np.ndarray,
    rx_gain_dbi: np.ndarray,
    frequency_hz: np.ndarray,
    range_m: np.ndarray,
    losses_db: np.ndarray | float = 0.0,
) -> np.ndarray:
    """One-way received power, W: ``Pt Gt Gr lambda^2 / ((4 pi R)^2 L)``.

    Parameters
    ----------
    peak_power_w : array_like
        Peak transmitter power, W.
    tx_gain_dbi, rx_gain_dbi : array_like
        Antenna gains of transmitter and receiver towards each other, dBi.
    frequency_hz : array_like
        Carrier frequency, Hz.
    range_m : array_like
        Distance between the antennas, m (> 0).
    losses_db : array_like
        Losses of both sides, dB (>= 0).

    Returns
    -------
    ndarray
        Received power at the receiver input, W (broadcast shape of the inputs).
    """
    wavelength_m = SPEED_OF_LIGHT_MPS / np.asarray(frequency_hz, dtype=float)
    gains = 10.0 ** ((np.asarray(tx_gain_dbi) + np.asarray(rx_gain_dbi) - losses_db) / 10.0)
    spread = (4.0 * np.pi * np.asarray(range_m, dtype=float)) ** 2
    return np.asarray(peak_power_w) * gains * wavelength_m**2 / spread


def received_power_dbm(*args: np.ndarray | float) -> np.ndarray:
    """:func:`received_power_w` in dBm (same arguments)."""
    return 10.0 * np.log10(received_power_w(*args) * 1000.0)  # type: ignore[arg-type]


def free_space_loss_db(frequency_hz: float, range_m: float) -> float:
    """One-way free-space loss, dB: ``20 log10(4 pi R / lambda)``."""
    return float(20.0 * np.log10(4.0 * np.pi * range_m * frequency_hz / SPEED_OF_LIGHT_MPS))


def within_horizon(height_a_m: np.ndarray, height_b_m: np.ndarray, range_m: np.ndarray):
    """Whether two points at these heights above the surface see each other over a smooth
    4/3 earth: ``R <= sqrt(2 k a h_a) + sqrt(2 k a h_b)`` (Skolnik sec. 8.2)."""
    a = np.sqrt(2.0 * EARTH_RADIUS_4_3_M * np.maximum(height_a_m, 0.0))
    b = np.sqrt(2.0 * EARTH_RADIUS_4_3_M * np.maximum(height_b_m, 0.0))
    return np.asarray(range_m) <= a + b


@dataclass
class PassiveReceivers:
    """The passive receivers of a run and which emitters each holds now.

    Attributes
    ----------
    names : list of m str
    kinds : list of m str
        ``rwr`` or ``elint`` (a label in the events).
    carrier : (m,) int64
        Air entity carrying each receiver, -1 for a fixed one.
    fixed_ecef_m : (m, 3) float64
        Position of a fixed receiver (ignored for a carried one), m.
    fixed_height_m : (m,) float64
        Height of a fixed receiver above the surface, m.
    sensitivity_dbm, gain_dbi, losses_db : (m,) float64
    band_hz : (m, 2) float64
    interval_s : (m,) float64
    held : (m, k) bool
        Which of the ``k`` emitters each receiver detects now.
    next_s : (m,) float64
        Next time each receiver looks, s.
    """

    names: list[str]
    kinds: list[str]
    carrier: np.ndarray
    fixed_ecef_m: np.ndarray
    fixed_height_m: np.ndarray
    sensitivity_dbm: np.ndarray
    gain_dbi: np.ndarray
    losses_db: np.ndarray
    band_hz: np.ndarray
    interval_s: np.ndarray
    held: np.ndarray
    next_s: np.ndarray

    def look(
        self,
        t: float,
        receiver_ecef_m: np.ndarray,
        receiver_height_m: np.ndarray,
        present: np.ndarray,
        emitter_ecef_m: np.ndarray,
        emitter_height_m: np.ndarray,
        peak_power_w: np.ndarray,
        gain_dbi: np.ndarray,
        frequency_hz: np.ndarray,
        radiating: np.ndarray,
    ) -> tuple[list[tuple[int, int, float]], list[tuple[int, int]]]:
        """Receivers due at ``t`` look at the ``k`` emitters.

        Parameters
        ----------
        receiver_ecef_m : (m, 3) float64
            Receivers' positions now, m.
        receiver_height_m : (m,) float64
            Their heights above the surface, m.
        present : (m,) bool
            Receivers working now (a carried one while its carrier flies).
        emitter_ecef_m : (k, 3), emitter_height_m : (k,)
            Emitter antennas, m.
        peak_power_w, gain_dbi, frequency_hz : (k,) float64
        radiating : (k,) bool

        Returns
        -------
        gained : list of (receiver, emitter, power_dbm)
            Emitters a receiver detects now and did not at its last look.
        lost : list of (receiver, emitter)
            Emitters it detected at its last look and does not now.
        """
        gained: list[tuple[int, int, float]] = []
        lost: list[tuple[int, int]] = []
        for r in np.flatnonzero(t >= self.next_s):
            self.next_s[r] += self.interval_s[r]
            now = np.zeros(len(radiating), dtype=bool)
            power = np.full(len(radiating), -np.inf)
            if present[r] and len(radiating):
                range_m = np.linalg.norm(emitter_ecef_m - receiver_ecef_m[r], axis=1)
                range_m = np.maximum(range_m, 1.0)
                power = received_power_dbm(
                    peak_power_w,
                    gain_dbi,
                    np.full(len(radiating), self.gain_dbi[r]),
                    frequency_hz,
                    range_m,
                    float(self.losses_db[r]),
                )
                low, high = self.band_hz[r]
                in_band = (frequency_hz >= low) & (frequency_hz <= high)
                seen = within_horizon(emitter_height_m, receiver_height_m[r], range_m)
                now = radiating & in_band & seen & (power >= self.sensitivity_dbm[r])
            for k in np.flatnonzero(now & ~self.held[r]):
                gained.append((int(r), int(k), float(power[k])))
            for k in np.flatnonzero(~now & self.held[r]):
                lost.append((int(r), int(k)))
            self.held[r] = now
        return gained, lost
