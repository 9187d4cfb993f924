"""Track dwells of a multifunction radar: beams pointed at the tracks it holds.

Besides its search raster (:mod:`iadsim.sensors.timeline`), a multifunction fire-control
radar points a beam at the predicted position of each track it holds, once per
``track_update_s``. A track dwell is one coherent processing interval, the interval
``T_cpi = lambda / (2 dv)`` its velocity resolution ``dv`` comes from (Richards,
*Fundamentals of Radar Signal Processing*, 2nd ed., 2014, sec. 5.2), so it puts
``T_cpi / t_ref`` times the energy of the catalog's reference look on the target, with
``t_ref`` the search dwell at the maximum range (the look the catalog's detection range is
stated for). A target off the beam's axis by ``theta`` loses the two-way gain of a Gaussian
beam (Barton, *Radar System Analysis and Modeling*, 2005, sec. 5.3, beamshape loss):

    L(theta) = 2 * 12.04 (theta / theta_3dB)^2   dB

so the SNR of a target in a track dwell is the search SNR plus
``10 log10(T_cpi / t_ref) - L(theta)``; targets more than one beamwidth off every beam's axis
are not in the dwell.

**Time budget.** Track dwells take ``N T_cpi / track_update_s`` of the radar's time for
``N`` tracks, and the search raster gets the rest, so its frame stretches by
``1 / (1 - share)``. The radar holds at most ``tracked_targets`` tracks, and no more than
fit in :data:`MAX_TRACK_SHARE` of its time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from iadsim.sensors._dwell_schedule_kernels import due_dwells_kernel
from iadsim.sensors._track_dwell_kernels import (
    kept_snr_change_kernel,
    nearest_axis_cosine_kernel,
)
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import SPEED_OF_LIGHT_MPS, RasterLook

if TYPE_CHECKING:
    from iadsim.catalog.models import RadarType
    from iadsim.sensors.radar import Radar

__all__ = [
    "MAX_TRACK_SHARE",
    "NO_DWELLS",
    "BeamLook",
    "DwellRequest",
    "Look",
    "SearchAndTrackLook",
    "TrackDwellSchedule",
    "track_capacity",
    "track_dwell_gain_db",
    "track_dwell_s",
]

MAX_TRACK_SHARE = 0.5
"""Largest share of a multifunction radar's time given to track dwells (notional)."""
GAUSSIAN_TWO_WAY_DB = 2.0 * 10.0 * math.log10(math.e) * 4.0 * math.log(2.0)
"""Two-way beamshape loss coefficient of a Gaussian beam, dB per (theta / theta_3dB)^2."""


def track_dwell_s(spec: RadarType) -> float:
    """Duration of one track dwell: the coherent interval ``lambda / (2 dv)``, s."""
    assert spec.velocity_resolution_mps is not None
    return SPEED_OF_LIGHT_MPS / spec.frequency_hz / (2.0 * spec.velocity_resolution_mps)


def track_dwell_gain_db(spec: RadarType) -> float:
    """Energy of a track dwell over the catalog's reference look, dB (module doc)."""
    reference_s = spec.search_pulses * 2.0 * spec.max_range_m / SPEED_OF_LIGHT_MPS
    return 10.0 * math.log10(track_dwell_s(spec) / reference_s)


def track_capacity(spec: RadarType) -> int:
    """Tracks the radar can hold: ``tracked_targets``, and no more than fit in
    :data:`MAX_TRACK_SHARE` of its time at one dwell each per ``track_update_s``."""
    assert spec.track_update_s is not None
    fit = math.floor(MAX_TRACK_SHARE * spec.track_update_s / track_dwell_s(spec))
    return min(spec.tracked_targets, fit)


@dataclass(frozen=True)
class BeamLook:
    """The beams of one step's track dwells.

    Parameters
    ----------
    az_rad, el_rad : (k,) float64
        Beam axes (the tracks' predicted directions from the radar), rad.
    beamwidth_rad : float
    gain_db : float
        :func:`track_dwell_gain_db` of the radar.
    """

    az_rad: np.ndarray
    el_rad: np.ndarray
    beamwidth_rad: float
    gain_db: float

    def off_axis_rad(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Angle from each direction to the nearest beam axis, ``(n,)`` rad."""
        if self.az_rad.size == 0:
            return np.full(np.shape(az_rad), np.inf)
        # Each step's beams are tested once (the coverage test keeps its angles for the
        # detections), so their elevations' sines and cosines are not kept. The sines and
        # cosines are NumPy's; the products, the nearest axis and the clip are compiled
        # (nearest_axis_cosine_reference's bits, without its small array operations).
        nearest = nearest_axis_cosine_kernel(
            np.sin(el_rad),
            np.cos(el_rad),
            np.sin(self.el_rad),
            np.cos(self.el_rad),
            np.cos(az_rad[:, None] - self.az_rad[None, :]),
        )
        return np.arccos(nearest)

    @classmethod
    def idle(cls, spec: RadarType) -> BeamLook:
        """The beams of a step without dwells of a radar of type ``spec``: none, with its
        beamwidth and :func:`track_dwell_gain_db` (what :meth:`toward` keeps)."""
        return cls(_NO_AXES_RAD, _NO_AXES_RAD, spec.beamwidth_rad, track_dwell_gain_db(spec))

    def toward(self, radar: Radar, pointing_ecef_m: np.ndarray) -> BeamLook:
        """Beams of this beamwidth and gain pointed from ``radar`` at ``pointing_ecef_m``
        (k, 3) float64, ECEF, m (the radar's type's gain, computed once in :meth:`idle`)."""
        east, north, up = radar.rotation @ (pointing_ecef_m - radar.pos_ecef_m).T
        return BeamLook(
            np.arctan2(east, north),
            np.arctan2(up, np.hypot(east, north)),
            self.beamwidth_rad,
            self.gain_db,
        )

    def contains(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Whether each direction lies within one beamwidth of a beam axis, ``(n,) bool``."""
        return self.off_axis_rad(az_rad, el_rad) < self.beamwidth_rad

    def snr_change_db(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Dwell gain less the beamshape loss off the nearest axis, ``(n,)`` dB."""
        return self.snr_change_off_axis_db(self.off_axis_rad(az_rad, el_rad))

    def snr_change_off_axis_db(self, off_axis_rad: np.ndarray) -> np.ndarray:
        """:meth:`snr_change_db` of directions ``off_axis_rad`` (n,) rad off the nearest
        axis (:meth:`off_axis_rad`), ``(n,)`` dB."""
        ratio = off_axis_rad / self.beamwidth_rad
        return self.gain_db - GAUSSIAN_TWO_WAY_DB * ratio**2


@dataclass(frozen=True)
class SearchAndTrackLook:
    """One step of a multifunction radar: its share of the search frame and its track
    dwells. A target in both gets the better of the two looks."""

    search: RasterLook
    track: BeamLook

    def contains(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Whether the search or a track dwell covered each direction, ``(n,) bool``."""
        searched = self.search.contains(az_rad, el_rad)
        if not self.track.az_rad.size:  # no dwell this step: no direction is off-axis < bw
            return searched
        return searched | self.track.contains(az_rad, el_rad)

    def covers(self, points: np.ndarray, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """:meth:`contains` of the directions of ``points`` (m,) int64 (sorted indices of
        the look's targets), remembering each one's search test and off-axis angle for
        :meth:`snr_change_db` of the same look (the coverage test and the detections then
        compute them once)."""
        searched = self.search.contains(az_rad, el_rad)
        if not self.track.az_rad.size:  # no dwell this step: no direction is off-axis < bw
            self.__dict__["_covered"] = (points, searched, None)
            return searched
        off_axis = self.track.off_axis_rad(az_rad, el_rad)
        self.__dict__["_covered"] = (points, searched, off_axis)
        return searched | (off_axis < self.track.beamwidth_rad)

    def snr_change_db(
        self, az_rad: np.ndarray, el_rad: np.ndarray, points: np.ndarray | None = None
    ) -> np.ndarray:
        """SNR change of the better look at each direction over a search look, ``(n,)`` dB.

        ``points`` (n,) int64: the directions' target indices; where all are among those
        of the look's last :meth:`covers` call, its tests are reused; otherwise (or None)
        they are tested here.
        """
        covered = self.__dict__.get("_covered")
        if covered is not None and points is not None and covered[0].size:
            # The remembered tests serve only points the last covers() call tested (a
            # point past the last tested one finds the last, which differs from it):
            # compiled, the same bits as kept_snr_change_reference.
            track = self.track
            out = np.empty(len(points))
            if kept_snr_change_kernel(
                covered[0],
                covered[1],
                _NO_AXES_RAD if covered[2] is None else covered[2],
                points,
                track.gain_db,
                track.beamwidth_rad,
                GAUSSIAN_TWO_WAY_DB,
                out,
            ):
                return out
        in_search = self.search.contains(az_rad, el_rad)
        off_axis = self.track.off_axis_rad(az_rad, el_rad) if self.track.az_rad.size else None
        searched = np.where(in_search, 0.0, -np.inf)
        if off_axis is None:  # no dwell: the track change is -inf, max is searched
            return searched
        return np.maximum(self.track.snr_change_off_axis_db(off_axis), searched)

    @property
    def extent_rad(self) -> float:
        """The search's share of the sector (false alarms come from the search)."""
        return self.search.extent_rad

    def sample(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """False-alarm azimuths of the search, rad."""
        return self.search.sample(count, rng)


@dataclass(frozen=True)
class DwellRequest:
    """The track dwells a post asks of its multifunction radar in one step.

    Parameters
    ----------
    pointing_ecef_m : (k, 3) float64
        Predicted positions of the tracks due a dwell now, ECEF, m.
    held : int
        Tracks the radar holds (each costs one dwell per ``track_update_s``).
    time_share : float
        Share of the radar's time its held tracks take,
        ``held * track_dwell_s / track_update_s`` (module doc).
    """

    pointing_ecef_m: np.ndarray
    held: int
    time_share: float


class TrackDwellSchedule:
    """Which tracks of its post a multifunction radar holds, and when each is due a dwell.

    The radar holds the confirmed tracks in its view, nearest first, up to
    :func:`track_capacity`; a track it takes up gets a dwell at once, then one every
    ``track_update_s`` while it stays held.

    Parameters
    ----------
    spec : RadarType
        With ``track_update_s`` and ``tracked_targets``.
    """

    def __init__(self, spec: RadarType) -> None:
        assert spec.track_update_s is not None
        self.update_s = spec.track_update_s
        self.dwell_s = track_dwell_s(spec)
        self.capacity = track_capacity(spec)
        # The held tracks and their dues, nearest first: the first ``_held`` rows of one of
        # two buffers, the other taking the next step's (the kernel reads one, writes the
        # other).
        size = max(self.capacity, 0)
        self._ids = (np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64))
        self._due_s = (np.empty(size), np.empty(size))
        self._due_rows = np.empty(size, dtype=np.int64)
        self._current = 0
        self._held = 0

    @property
    def next_due_s(self) -> dict[int, float]:
        """When each held track is due its next dwell, s, by track id (nearest first)."""
        ids, due_s = self._ids[self._current], self._due_s[self._current]
        return dict(zip(ids[: self._held].tolist(), due_s[: self._held].tolist(), strict=True))

    def request(
        self,
        t: float,
        track_ids: np.ndarray,
        pointing_ecef_m: np.ndarray,
        range_m: np.ndarray,
    ) -> DwellRequest:
        """The dwells due at ``t``.

        Parameters
        ----------
        t : float
            Time of the step, s.
        track_ids : (m,) int64
            Confirmed tracks in the radar's view.
        pointing_ecef_m : (m, 3) float64
            Their predicted positions at ``t``, ECEF, m.
        range_m : (m,) float64
            Their predicted ranges from the radar, m.
        """
        if not len(track_ids):  # nothing held, nothing due (most steps): forget the dues
            self._held = 0
            return NO_DWELLS
        # Compiled (due_dwells_reference's held tracks and dues, without its small calls).
        previous, current = self._current, 1 - self._current
        count, due = due_dwells_kernel(
            float(t),
            track_ids,
            range_m,
            self.capacity,
            float(self.update_s),
            self._ids[previous][: self._held],
            self._due_s[previous][: self._held],
            self._ids[current],
            self._due_s[current],
            self._due_rows,
        )
        self._current, self._held = current, count
        share = count * self.dwell_s / self.update_s
        if not due:
            return DwellRequest(_NO_POINTING_ECEF_M, count, share)
        return DwellRequest(pointing_ecef_m[self._due_rows[:due]], count, share)


_NO_POINTING_ECEF_M = np.empty((0, 3))
_NO_POINTING_ECEF_M.flags.writeable = False
_NO_AXES_RAD = np.empty(0)
_NO_AXES_RAD.flags.writeable = False
NO_DWELLS = DwellRequest(_NO_POINTING_ECEF_M, 0, 0.0)
"""The request of a radar that holds no track: shared, as it never changes."""


Look = AzimuthInterval | RasterLook | SearchAndTrackLook
"""What one look covers: a rotating beam's sweep, a share of a search raster's frame, or
that share with the track dwells of the step."""
