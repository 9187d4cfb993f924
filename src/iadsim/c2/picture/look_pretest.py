"""Which tracks a radar's look may cover: a cheap, conservative pre-test.

A post asks, for every look of every radar, which of its tracks the radar could have
detected (:func:`~iadsim.sensors.visibility.could_see`), to book misses only for those.
Most tracks are outside most looks: outside a rotating beam's sweep, outside the share of
an electronically scanned radar's search frame and its track dwells, outside a sector or
beyond the range. :func:`look_candidates_kernel` drops such tracks in one compiled pass,
so that ``could_see`` (element by element) runs on the few left, and not at all when none
is. It keeps every track ``could_see`` may pass: each of its tests
(:meth:`~iadsim.sensors.radar.Radar.in_view`: range and elevation limits, sector, sweep,
raster phase, track-dwell beams) is widened by :data:`LOOK_MARGIN_RAD`,
:data:`RANGE_MARGIN` and :data:`PHASE_MARGIN`, far above the last-place differences of two
computations. The same pass then tells, for most of the tracks left, what the coverage
tests and the smooth-earth horizon answer (:func:`~iadsim.c2.picture._kernels.view_verdict`,
each test narrowed or widened by the same margins): :meth:`LookPretest.visible` then only
tests their terrain, and asks ``could_see`` itself when a track lies near an edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from iadsim.c2.picture._kernels import (
    IN_VIEW,
    NEAR_AN_EDGE,
    OUT_OF_VIEW,
    live_track_candidates_kernel,
    look_candidates_kernel,
    track_candidates_kernel,
)
from iadsim.sensors.radar import Radar
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import RasterLook, SearchRaster
from iadsim.sensors.track_dwells import Look, SearchAndTrackLook
from iadsim.sensors.visibility import clear_of_terrain, could_see
from iadsim.tracking.pruning import PostFrame
from iadsim.tracking.table import TrackTable

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid

__all__ = ["LOOK_MARGIN_RAD", "NEAR_M", "PHASE_MARGIN", "RANGE_MARGIN", "LookPretest"]

LOOK_MARGIN_RAD = 1e-6
"""Widening (narrowing, for a verdict of in view) of every angle limit, each side (rad)."""
RANGE_MARGIN = 1e-9
"""Relative widening (narrowing) of the range limits and of the horizon's range."""
PHASE_MARGIN = 1e-9
"""Widening of a raster look's share of the frame, each side (fraction of the frame)."""
NEAR_M = 1000.0
"""Points closer than this horizontally to the radar (m) pass every angle test and are
left to ``could_see``: their azimuth and elevation are ill-conditioned."""

_MARGINS = np.array([LOOK_MARGIN_RAD, RANGE_MARGIN, PHASE_MARGIN, NEAR_M])
_MARGINS.flags.writeable = False
_NO_BEAMS = np.zeros(0)
_NO_BEAMS.flags.writeable = False
_NO_RASTER = (np.zeros(7), np.zeros((0, 2)))


class LookPretest:
    """The pre-test, with the terms of each search raster it has met kept (a raster does
    not change during a run)."""

    def __init__(self) -> None:
        self._rasters: dict[int, tuple[SearchRaster, np.ndarray, np.ndarray]] = {}
        self._last_raster: tuple[SearchRaster | None, np.ndarray, np.ndarray] = (None, *_NO_RASTER)
        self._look_terms_buffer = np.zeros(8)
        self.found = np.zeros(0, dtype=np.int64)
        """Rows (or slots) of the last call's candidates, in its first ``m`` entries."""
        self.found_ecef_m = np.zeros((0, 3))
        """Their positions extrapolated to the look's time, ECEF, m, ``(>= m, 3)``."""
        self._found_geodetic = np.zeros((3, 0))  # their latitudes, longitudes, heights
        self._found_view = np.zeros(0, dtype=np.int8)  # their view verdicts
        self._held_state, self._held_epoch_s = np.zeros((0, 6)), np.zeros(0)  # see held
        self._none_seen = np.zeros(0, dtype=bool)  # seen_among's answer of none, grown

    def candidate_rows(
        self,
        radar: Radar,
        look: Look | None,
        state: np.ndarray,
        epoch_s: np.ndarray,
        slots: np.ndarray,
        time_s: float,
        frame: PostFrame,
    ) -> np.ndarray:
        """Indices into ``slots`` ``(k,)`` of the tracks the look may cover, ascending.

        Parameters
        ----------
        radar : Radar
        look : Look or None
            What the radar looked at; None: its whole sector.
        state : (capacity, >= 6) float64
            Track states ``[e, n, u, ve, vn, vu, ...]`` in ``frame``, m and m/s.
        epoch_s : (capacity,) float64
            Epoch of each state, s; states are extrapolated at constant velocity to
            ``time_s``.
        slots : (k,) int64
        time_s : float
        frame : PostFrame
        """
        return look_candidates_kernel(
            state,
            epoch_s,
            slots,
            float(time_s),
            frame.origin_ecef_m,
            frame.rotation,
            *self._look_terms(radar, look),
        )

    def candidates_in_ecef(
        self,
        radar: Radar,
        look: Look | None,
        state: np.ndarray,
        epoch_s: np.ndarray,
        slots: np.ndarray,
        time_s: float,
        frame: PostFrame,
        unseen_s: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`candidate_rows` less the tracks with a finite ``unseen_s``
        ``(capacity,)`` (none of them expected to be seen), and the candidates' positions
        extrapolated to ``time_s``, ECEF, ``(m, 3)`` m (as ``enu_to_ecef`` gives them):
        copies of what :meth:`found_among` leaves in :attr:`found` and
        :attr:`found_ecef_m`."""
        count = self.found_among(radar, look, state, epoch_s, slots, time_s, frame, unseen_s)
        return self.found[:count].copy(), self.found_ecef_m[:count].copy()

    def found_among(
        self,
        radar: Radar,
        look: Look | None,
        state: np.ndarray,
        epoch_s: np.ndarray,
        slots: np.ndarray,
        time_s: float,
        frame: PostFrame,
        unseen_s: np.ndarray,
    ) -> int:
        """The number ``m`` of candidates among ``slots`` (:meth:`candidates_in_ecef`),
        their rows in ``slots`` left in ``found[:m]`` and their positions in
        ``found_ecef_m[:m]`` until the next call (no array is made for a look with none)."""
        if self.found.shape[0] < slots.shape[0]:
            self._grow_buffers(slots.shape[0])
        return track_candidates_kernel(
            state,
            epoch_s,
            slots,
            float(time_s),
            frame.origin_ecef_m,
            frame.rotation,
            *self._look_terms(radar, look),
            unseen_s,
            self.found,
            self.found_ecef_m,
            self._found_geodetic,
            self._found_view,
        )

    def found_live(
        self,
        radar: Radar,
        look: Look | None,
        table: TrackTable,
        time_s: float,
        frame: PostFrame,
        unseen_s: np.ndarray,
    ) -> int:
        """:meth:`found_among` of the live tracks of ``table`` (their states held at its
        ``time_s``), with their slots (not rows) left in ``found[:m]``; no array is made
        for a look with none."""
        if self.found.shape[0] < table.active.shape[0]:
            self._grow_buffers(table.active.shape[0])
        return live_track_candidates_kernel(
            table.state,
            table.time_s,
            table.active,
            float(time_s),
            frame.origin_ecef_m,
            frame.rotation,
            *self._look_terms(radar, look),
            unseen_s,
            self.found,
            self.found_ecef_m,
            self._found_geodetic,
            self._found_view,
        )

    def visible(
        self, radar: Radar, look: Look | None, count: int, terrain: ElevationGrid | None
    ) -> np.ndarray:
        """:func:`~iadsim.sensors.visibility.could_see` of the last call's ``count``
        candidates, ``(count,) bool``, to the bit: where the pre-test decided each one's
        coverage (:func:`~iadsim.c2.picture._kernels.view_verdict`), only the terrain of
        those in view is tested, from the geodetic positions it kept; otherwise
        ``could_see`` itself."""
        verdict = self._found_view[:count]
        if NEAR_AN_EDGE in verdict:
            return could_see(radar, self.found_ecef_m[:count], look, terrain)
        if OUT_OF_VIEW not in verdict and terrain is not None:  # most looks: all in view
            lat, lon, alt = self._found_geodetic[:, :count]
            return clear_of_terrain(radar, lat, lon, alt, terrain)
        seen = verdict == IN_VIEW
        rows = seen.nonzero()[0]
        if rows.size and terrain is not None:
            lat, lon, alt = self._found_geodetic[:, rows]
            seen[rows] = clear_of_terrain(radar, lat, lon, alt, terrain)
        return seen

    def seen_among(
        self,
        radar: Radar,
        look: Look | None,
        time_s: float,
        frame: PostFrame,
        terrain: ElevationGrid | None,
        unseen_s: np.ndarray,
        state: np.ndarray,
        epoch_s: np.ndarray,
        slots: np.ndarray,
    ) -> np.ndarray:
        """Whether the radar could have seen the tracks ``slots`` ``(k,) int64`` in its
        look at ``time_s``, ``(k,) bool``: :func:`~iadsim.sensors.visibility.could_see` of
        the :meth:`found_among` candidates (:meth:`visible`), False for the others; a
        read-only view of all False, nothing made, where none is a candidate (most looks).
        The arguments are those of :meth:`found_among`, ``slots`` last so that a post can
        hand the tracker this method with the others bound.
        """
        k = slots.size
        count = self.found_among(radar, look, state, epoch_s, slots, time_s, frame, unseen_s)
        if count == 0:
            if self._none_seen.size < k:
                self._none_seen = np.zeros(2 * k, dtype=bool)
                self._none_seen.flags.writeable = False
            return self._none_seen[:k]
        # could_see is element by element: the rows the pre-test leaves out are not visible.
        seen = np.zeros(k, dtype=bool)
        seen[self.found[:count]] = self.visible(radar, look, count, terrain)
        return seen

    def held(self, table: TrackTable) -> tuple[np.ndarray, np.ndarray]:
        """Copies of ``table.state[:, :6]`` and ``table.time_s`` as they are now, written
        into the pre-test's own arrays (none made per look): valid until the next call."""
        state, epoch_s = self._held_state, self._held_epoch_s
        if epoch_s.shape[0] != table.time_s.shape[0]:  # a new or grown table
            state = self._held_state = np.empty((table.time_s.shape[0], 6))
            epoch_s = self._held_epoch_s = np.empty(table.time_s.shape[0])
        state[...] = table.state[:, :6]
        epoch_s[...] = table.time_s
        return state, epoch_s

    def _grow_buffers(self, size: int) -> None:
        """Grow :attr:`found` and :attr:`found_ecef_m` to hold ``size`` candidates and more."""
        self.found = np.zeros(2 * size, dtype=np.int64)
        self.found_ecef_m = np.zeros((2 * size, 3))
        self._found_geodetic = np.zeros((3, 2 * size))
        self._found_view = np.zeros(2 * size, dtype=np.int8)

    def _look_terms(
        self, radar: Radar, look: Look | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The kernel's terms of the radar and its look: ``radar_terms``, ``look_terms``,
        ``raster_terms``, ``raster_rows``, ``beam_az_rad``, ``beam_el_rad`` and
        ``margins`` (:func:`~iadsim.c2.picture._kernels.look_candidates_kernel`)."""
        search: RasterLook | None = None
        beam_az, beam_el, beamwidth = _NO_BEAMS, _NO_BEAMS, 0.0
        # 1.0: a look whose points view_verdict may decide (its exact type is known)
        sweep, decided = (0.0, 0.0, 0.0), 1.0
        # Types compared by identity, without an isinstance call per look (a subclass would
        # be pre-tested as the whole sector: more candidates, never fewer).
        if type(look) is AzimuthInterval:
            # Tested even when it is the full circle: widened, it then drops no azimuth.
            sweep = (look.start_rad, look.extent_rad, 1.0)
        elif type(look) is RasterLook:
            search = look
        elif type(look) is SearchAndTrackLook:
            search = look.search
            beam_az, beam_el = look.track.az_rad, look.track.el_rad
            beamwidth = look.track.beamwidth_rad
        elif look is not None:
            decided = 0.0
        if search is None:
            window = (0.0, 0.0, 0.0)
            raster_terms, raster_rows = _NO_RASTER
        else:
            window = (search.start, search.extent, 1.0)
            last = self._last_raster  # most looks: the raster of the look before
            if last[0] is not search.raster:
                last = self._last_raster = self._raster(search.raster)
            raster_terms, raster_rows = last[1], last[2]
        # Written into the pre-test's own array, read by the kernel at once (no array made
        # per look); item by item, which is cheaper than from one tuple.
        terms = self._look_terms_buffer
        terms[0], terms[1], terms[2] = sweep
        terms[3], terms[4], terms[5] = window
        terms[6] = beamwidth
        terms[7] = decided
        return (
            radar._view_constants,
            self._look_terms_buffer,
            raster_terms,
            raster_rows,
            beam_az,
            beam_el,
            _MARGINS,
        )

    def _raster(self, raster: SearchRaster) -> tuple[SearchRaster, np.ndarray, np.ndarray]:
        """The raster with the kernel's ``raster_terms`` ``(7,)`` and ``raster_rows``
        ``(m, 2)`` of it (the quantities of
        :meth:`~iadsim.sensors.timeline.SearchRaster.phase`)."""
        cached = self._rasters.get(id(raster))
        if cached is None or cached[0] is not raster:
            rows = len(raster.row_low_rad)
            beam = (raster.row_low_rad[1] - raster.row_low_rad[0]) if rows > 1 else 1.0
            half = raster.half_sector_rad
            terms = np.array(
                [
                    rows,
                    raster.row_low_rad[0],
                    beam,
                    raster.facing_rad,
                    half,
                    1.0 if half < np.pi / 2.0 else 0.0,
                    np.sin(half),
                ]
            )
            share = np.diff(np.append(raster.row_start, 1.0))
            cached = (raster, terms, np.column_stack([raster.row_start, share]))
            self._rasters[id(raster)] = cached
        return cached


def look_candidates(radar: Radar, look: Look | None, points_ecef_m: np.ndarray) -> np.ndarray:
    """Rows of ``points_ecef_m`` ``(n, 3)`` that the look may cover, ascending
    (:meth:`LookPretest.candidate_rows` of fixed points)."""
    points = np.asarray(points_ecef_m, dtype=np.float64).reshape(-1, 3)
    state = np.concatenate([points, np.zeros_like(points)], axis=1)
    # ECEF itself as the frame: origin 0, identity rotation, epoch now.
    ecef = PostFrame(np.zeros(3), np.eye(3), 0.0)
    slots = np.arange(len(points))
    return LookPretest().candidate_rows(radar, look, state, np.zeros(len(points)), slots, 0.0, ecef)
