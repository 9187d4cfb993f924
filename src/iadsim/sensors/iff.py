"""Identification friend or foe as a sensor: interrogators, transponders, replies, garbling.

An interrogator (the secondary channel co-mounted on a surveillance radar, as SSR antennas
sit on primary radars) interrogates, once per ``interval_s``, every azimuth of its sector
out to ``max_range_m``; each transponder in that volume and in line of sight answers in
every mode that it is set to and that the interrogator uses. What comes back is a batch of
*replies*: measured range and azimuth, the mode, and the reply's code (the Mode 3/A code or
Mode 5 platform number, discrete per aircraft). Replies carry no track number: the post
correlates them with its tracks by position (:mod:`iadsim.c2.picture.iff_correlation`).

Figures and rules:

- **Reply per scan.** The beam dwells on a transponder for ``hits_per_scan`` interrogations
  (3 to 5 for a rotating SSR, catalog S89); each is answered with probability
  ``reply_probability`` (a transponder's minimum triggering level is defined at a 90 %
  reply rate, catalog S91). The scan yields a reply in a mode when at least one
  interrogation of it is answered: ``P = 1 - (1 - p) ** hits``.
- **Failure.** A transponder fails at an exponentially distributed time of rate
  ``failure_rate_per_h`` (constant hazard, MTBF ``1 / rate``) and is silent from then on.
- **Garbling.** Pulse replies to one mode's interrogation that reach the interrogator within
  one reply length of each other, from inside one beamwidth, overlap and are not decoded
  (synchronous garble). A Mode 3/A-C reply lasts from framing pulse F1 to F2, 20.3 µs,
  plus the 0.45 µs of F2 (ICAO Annex 10 Vol IV, 3.1.1.6; catalog S87), so two aircraft
  closer than ``c * 20.75 µs / 2 = 3.11 km`` in slant range and within the beam garble
  each other: the 1.7 NM of the SSR handbooks, where Mode S, being addressed to one
  aircraft at a time, does not garble (catalog S88). Both garbled replies are lost (no
  degarbling is modelled). Mode 5 is a cryptographically secured version of Mode S
  (catalog S94): its replies are taken not to garble (:data:`GARBLE_FREE_MODES`); Mode 4's
  three-pulse reply and national modes garble like Mode 3/A-C (the Mode 4 and 5 waveforms
  are not public, STANAG 4193 being restricted: assumptions).
- **Altitude.** A Mode C reply reports the pressure altitude and a Mode 5 (Level 2) reply
  the aircraft's position (catalog S94); both are read as the altitude, with the
  transponder's ``sigma_alt_m``. Mode 4 and national replies report none (NaN).
- **Secure modes.** Mode 5 and Mode 4 replies are cryptographically authenticated: only an
  interrogator holding the keys reads them (the article's standalone S-400 does not). A
  Mode 3/A-C reply authenticates nothing.

Masks: transponder and interrogator modes are bit masks over
:data:`iadsim.scenario.basics.IFF_MODES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from iadsim.geo.frames import ecef_to_enu, enu_rotation, enu_to_azimuth_range, lla_to_ecef
from iadsim.scenario.basics import IFF_MODES
from iadsim.sensors._garble_kernels import garble_kernel

SECURE_MODES = ("mode5", "mode4")
"""Modes whose reply authenticates a friend (STANAG 4193 family)."""

SPEED_OF_LIGHT_MPS = 299_792_458.0
REPLY_LENGTH_S = 20.3e-6 + 0.45e-6
"""Mode 3/A-C reply from the leading edge of F1 to the end of F2 (ICAO Annex 10 Vol IV,
3.1.1.6: framing pulses 20.3 µs apart, each 0.45 µs long)."""
GARBLE_RANGE_M = SPEED_OF_LIGHT_MPS * REPLY_LENGTH_S / 2.0
"""Slant-range separation under which two replies in one beam overlap: 3,110 m (1.68 NM)."""
GARBLE_FREE_MODES = ("mode5",)
"""Modes addressed to one aircraft at a time (Mode S techniques): no synchronous garble."""
ALTITUDE_MODES = ("mode5", "mode3c")
"""Modes whose reply reports the altitude (Mode C; Mode 5 Level 2 position)."""


def mode_mask(modes: Iterable[str]) -> int:
    """Bit mask of a set of IFF modes."""
    return sum(1 << IFF_MODES.index(mode) for mode in set(modes))


SECURE_MASK = mode_mask(SECURE_MODES)
CIVIL_MASK = mode_mask(["mode3c"])
ALTITUDE_MASK = mode_mask(ALTITUDE_MODES)


def reply_probability_per_scan(reply_probability: np.ndarray, hits_per_scan: int) -> np.ndarray:
    """Probability that at least one of ``hits_per_scan`` interrogations is answered.

    ``1 - (1 - p) ** n``, the interrogations of one beam dwell being answered independently.

    Parameters
    ----------
    reply_probability : (n,) float64
        Per-interrogation reply probability of each transponder.
    hits_per_scan : int
        Interrogations per beam dwell.

    Returns
    -------
    (n,) float64
    """
    return 1.0 - (1.0 - np.asarray(reply_probability, dtype=float)) ** hits_per_scan


def garbled(
    range_m: np.ndarray,
    az_rad: np.ndarray,
    beamwidth_rad: float,
    garble_range_m: float = GARBLE_RANGE_M,
) -> np.ndarray:
    """Which replies overlap another reply of the same interrogation (synchronous garble).

    Two replies garble when their slant ranges differ by less than ``garble_range_m`` (they
    arrive within one reply length) and their azimuths by less than ``beamwidth_rad`` (both
    transponders are in the beam at once).

    Parameters
    ----------
    range_m, az_rad : (n,) float64
        True slant range (m) and azimuth (rad, clockwise from north) of each replying
        transponder, all answering the same mode.
    beamwidth_rad : float
        Interrogator beamwidth, rad.
    garble_range_m : float
        Range separation of one reply length, m.

    Returns
    -------
    (n,) bool
        True where the reply is garbled (lost).
    """
    r = np.asarray(range_m, dtype=float)
    if r.size < 2:
        return np.zeros(r.size, dtype=bool)
    a = np.asarray(az_rad, dtype=float)
    turn = np.exp(1j * (a[:, None] - a[None, :]))
    d_az = np.arctan2(turn.imag, turn.real)  # np.angle's arithmetic, unwrapped
    # The comparisons compiled (garble_reference's result, without its small array calls).
    return garble_kernel(r, d_az, float(beamwidth_rad), float(garble_range_m))


@dataclass(frozen=True)
class Transponders:
    """The transponders of the air entities, one row per entity.

    Attributes
    ----------
    modes : (n,) int64
        Modes each answers (bit mask; 0: no transponder, or switched off).
    reply_probability : (n,) float64
        Probability of answering one interrogation.
    failure_s : (n,) float64
        Time the transponder fails and falls silent, s (``inf``: not within the run).
    code : (n,) int64
        Code its replies carry (Mode 3/A code or Mode 5 platform number), discrete per
        aircraft; a post compares codes, it does not look them up.
    sigma_alt_m : (n,) float64
        One-sigma error of the altitude it reports (Mode C, Mode 5), m.
    """

    modes: np.ndarray
    reply_probability: np.ndarray
    failure_s: np.ndarray
    code: np.ndarray
    sigma_alt_m: np.ndarray

    @classmethod
    def fitted(
        cls,
        modes: np.ndarray,
        reply_probability: np.ndarray,
        failure_rate_per_h: np.ndarray,
        sigma_alt_m: np.ndarray,
        rng: np.random.Generator,
    ) -> Transponders:
        """Transponders with failure times drawn from their failure rates.

        Parameters
        ----------
        modes : (n,) int64
        reply_probability : (n,) float64
        failure_rate_per_h : (n,) float64
            Constant hazard, failures per hour of operation (0: never fails).
        sigma_alt_m : (n,) float64
        rng : numpy.random.Generator
            The run's transponder stream (one exponential draw per entity).
        """
        modes = np.asarray(modes, dtype=np.int64)
        rate_per_s = np.asarray(failure_rate_per_h, dtype=float) / 3600.0
        draw = rng.exponential(1.0, size=modes.size)
        with np.errstate(divide="ignore"):
            failure_s = np.where(rate_per_s > 0, draw / np.maximum(rate_per_s, 1e-300), np.inf)
        return cls(
            modes,
            np.asarray(reply_probability, dtype=float),
            failure_s,
            np.arange(1, modes.size + 1, dtype=np.int64),
            np.asarray(sigma_alt_m, dtype=float),
        )

    def per_scan_probability(self, hits_per_scan: int) -> np.ndarray:
        """:func:`reply_probability_per_scan` of every transponder, ``(n,) float64``, kept
        per ``hits_per_scan`` (the transponders do not change within a run)."""
        kept = self._per_scan_probability
        if hits_per_scan not in kept:
            kept[hits_per_scan] = reply_probability_per_scan(self.reply_probability, hits_per_scan)
        return kept[hits_per_scan]

    @cached_property
    def _per_scan_probability(self) -> dict[int, np.ndarray]:
        return {}

    @cached_property
    def answers(self) -> tuple[np.ndarray, ...]:
        """Whether each transponder answers each mode: one ``(n,) bool`` per mode of
        :data:`~iadsim.scenario.basics.IFF_MODES`, in that order."""
        return tuple((self.modes & (1 << index)) != 0 for index in range(len(IFF_MODES)))


@dataclass(frozen=True)
class IffTargets:
    """What an interrogator interrogates: the air entities and their transponders.

    Attributes
    ----------
    pos_ecef_m : (n, 3) float64
        True positions, ECEF, m.
    alt_m : (n,) float64
        True altitudes, m (what an altitude-reporting reply reports, with its error).
    present : (n,) bool
        Flying, not destroyed, and not the interrogator's own carrier.
    transponders : Transponders
    """

    pos_ecef_m: np.ndarray
    alt_m: np.ndarray
    present: np.ndarray
    transponders: Transponders


@dataclass(frozen=True)
class ReplyBatch:
    """The decoded replies of one interrogation scan.

    Attributes
    ----------
    time_s : float
    mode : (n,) int64
        Index of the reply's mode in :data:`~iadsim.scenario.basics.IFF_MODES`.
    range_m, az_rad : (n,) float64
        Measured slant range (m) and azimuth (rad, clockwise from north) at the antenna.
    sigma_range_m, sigma_az_rad : (n,) float64
        Their one-sigma errors.
    alt_m, sigma_alt_m : (n,) float64
        Reported altitude and its one-sigma error, m (NaN: the mode reports none).
    code : (n,) int64
        The reply's code.
    truth : (n,) int64
        Entity that replied (scoring and tests only; a post must not read it).
    garbled_truth : (k,) int64
        Entities whose replies were garbled in this scan (scoring only).
    """

    time_s: float
    mode: np.ndarray
    range_m: np.ndarray
    az_rad: np.ndarray
    sigma_range_m: np.ndarray
    sigma_az_rad: np.ndarray
    alt_m: np.ndarray
    sigma_alt_m: np.ndarray
    code: np.ndarray
    truth: np.ndarray
    garbled_truth: np.ndarray

    def __len__(self) -> int:
        return len(self.mode)

    def subset(self, rows: np.ndarray) -> ReplyBatch:
        """The replies selected by ``rows`` (``(n,) bool`` or indices), same scan time; the
        garbled entities stay with every subset (scoring only)."""
        return replace(
            self,
            mode=self.mode[rows],
            range_m=self.range_m[rows],
            az_rad=self.az_rad[rows],
            sigma_range_m=self.sigma_range_m[rows],
            sigma_az_rad=self.sigma_az_rad[rows],
            alt_m=self.alt_m[rows],
            sigma_alt_m=self.sigma_alt_m[rows],
            code=self.code[rows],
            truth=self.truth[rows],
        )

    @property
    def secure(self) -> np.ndarray:
        """``(n,) bool``: the reply is in a secure mode (Mode 5 or 4)."""
        return ((1 << self.mode) & SECURE_MASK) != 0

    @property
    def civil(self) -> np.ndarray:
        """``(n,) bool``: the reply is a Mode 3/A-C reply."""
        return ((1 << self.mode) & CIVIL_MASK) != 0


@dataclass(frozen=True)
class Interrogator:
    """An IFF interrogator at one antenna position (a sensor: truth in, replies out).

    Parameters
    ----------
    name : str
    modes : int
        Modes it interrogates and can read (bit mask): a secure mode only with its keys.
    max_range_m : float
        Instrumented range, m.
    facing_rad, sector_rad : float
        Centre and width of the azimuth sector, rad (``2 pi``: all round).
    interval_s : float
        Time between scans of the sector, s (a rotating antenna's period).
    hits_per_scan : int
        Interrogations per beam dwell on a target.
    beamwidth_rad : float
        Azimuth beamwidth (the garble window), rad.
    sigma_range_m, sigma_az_rad : float
        One-sigma errors of a decoded reply's range (m) and azimuth (rad).
    lat_rad, lon_rad, alt_m : float
        Antenna position (height above the ellipsoid, m).
    """

    name: str
    modes: int
    max_range_m: float
    facing_rad: float
    sector_rad: float
    interval_s: float
    hits_per_scan: int
    beamwidth_rad: float
    sigma_range_m: float
    sigma_az_rad: float
    lat_rad: float
    lon_rad: float
    alt_m: float

    @cached_property
    def pos_ecef_m(self) -> np.ndarray:
        """Antenna position, ECEF, ``(3,)`` m."""
        return lla_to_ecef(self.lat_rad, self.lon_rad, self.alt_m)

    @cached_property
    def rotation(self) -> np.ndarray:
        """ECEF-to-ENU rotation at the antenna, ``(3, 3)``."""
        return enu_rotation(self.lat_rad, self.lon_rad)

    @cached_property
    def _read_modes(self) -> tuple[tuple[int, bool], ...]:
        """``(index in IFF_MODES, garbles)`` of each mode it interrogates, in that order."""
        return tuple(
            (index, name not in GARBLE_FREE_MODES)
            for index, name in enumerate(IFF_MODES)
            if self.modes & (1 << index)
        )

    @cached_property
    def _mode_indices(self) -> np.ndarray:
        """``(k,) int64``: the index in IFF_MODES of each mode of :attr:`_read_modes`."""
        return np.array([index for index, _ in self._read_modes], np.int64)

    def moved(self, lat_rad: float, lon_rad: float, alt_m: float) -> Interrogator:
        """The same interrogator at another antenna position (an airborne one's carrier).

        What :func:`dataclasses.replace` gives, built as a copy of this one's fields (an
        airborne interrogator moves at each scan): the properties kept from this one are
        those that do not depend on the position; the position's are computed anew.
        """
        moved = object.__new__(Interrogator)
        fields = moved.__dict__
        fields.update(self.__dict__)
        fields.pop("pos_ecef_m", None)
        fields.pop("rotation", None)
        fields["lat_rad"], fields["lon_rad"], fields["alt_m"] = lat_rad, lon_rad, alt_m
        return moved

    @cached_property
    def all_round(self) -> bool:
        """The sector is all round: :meth:`in_sector` holds for every azimuth."""
        return self.sector_rad >= 2.0 * np.pi

    def in_sector(self, az_rad: np.ndarray) -> np.ndarray:
        """Whether azimuths (rad) lie in the sector, ``(n,) bool``."""
        if self.all_round:
            return np.ones(np.shape(az_rad), dtype=bool)
        offset = np.angle(np.exp(1j * (np.asarray(az_rad) - self.facing_rad)))
        return np.abs(offset) <= self.sector_rad / 2.0

    def scan(
        self,
        targets: IffTargets,
        time_s: float,
        rng: np.random.Generator,
        visible: np.ndarray | None = None,
        look: object | None = None,
    ) -> ReplyBatch:
        """Interrogate the sector once: the replies decoded, with their measurement errors.

        Parameters
        ----------
        targets : IffTargets
            Not modified.
        time_s : float
            Time of the scan, s.
        rng : numpy.random.Generator
            This interrogator's stream: reply draws, then measurement noise.
        visible : (n,) bool, optional
            Line of sight from the antenna (terrain and earth curvature).
        look : None
            Accepted for the :class:`~iadsim.core.contracts.Sensor` signature; an
            interrogator always scans its whole sector.
        """
        del look
        transponders = targets.transponders
        enu = ecef_to_enu(targets.pos_ecef_m, self.pos_ecef_m, self.rotation)
        az, slant = enu_to_azimuth_range(enu)
        covered = np.asarray(targets.present, dtype=bool) & (slant <= self.max_range_m)
        if not self.all_round:
            covered &= self.in_sector(az)
        if visible is not None:
            covered &= np.asarray(visible, dtype=bool)
        covered &= time_s < transponders.failure_s
        p_scan = transponders.per_scan_probability(self.hits_per_scan)
        answers = transponders.answers
        rows, sizes, lost = [], [], []
        for index, garbles in self._read_modes:
            asked = (covered & answers[index]).nonzero()[0]
            replied = asked[rng.random(asked.size) < p_scan[asked]]
            if garbles and replied.size > 1:  # one reply cannot garble
                overlap = garbled(slant[replied], az[replied], self.beamwidth_rad)
                lost.append(replied[overlap])
                replied = replied[~overlap]
            rows.append(replied)
            sizes.append(replied.size)
        row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        mode = self._mode_indices.repeat(sizes)
        n = row.size
        range_m = slant[row] + self.sigma_range_m * rng.standard_normal(n)
        az_rad = np.mod(az[row] + self.sigma_az_rad * rng.standard_normal(n), 2.0 * np.pi)
        reports = ((1 << mode) & ALTITUDE_MASK) != 0
        sigma_alt = np.where(reports, transponders.sigma_alt_m[row], np.nan)
        alt_m = np.asarray(targets.alt_m, dtype=float)[row] + sigma_alt * rng.standard_normal(n)
        return ReplyBatch(
            float(time_s),
            mode,
            range_m,
            az_rad,
            np.full(n, self.sigma_range_m),
            np.full(n, self.sigma_az_rad),
            alt_m,
            sigma_alt,
            transponders.code[row],
            row.astype(np.int64),
            np.concatenate(lost) if lost else np.zeros(0, dtype=np.int64),
        )
