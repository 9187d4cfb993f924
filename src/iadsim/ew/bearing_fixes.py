"""Jammer fixes: a post associates and triangulates strobes by their geometry alone.

A strobe names its radar, time, bearing, error and ``J / N``, not its jammer
(:mod:`iadsim.sensors.strobes`), so a post must find which strobes of different radars
see the same emitter. Each post keeps the strobes of its own radars and of the radars of
the posts it shares a data link with, for :data:`STROBE_WINDOW_S`; a strobe counts only
if no newer strobe of its radar lies within three sigma of it plus the bearing a jammer
could sweep meanwhile, ``age * ASSUMED_SPEED_MPS / SAME_EMITTER_RANGE_M`` (the same
emitter seen on a later sweep; a moving emitter's strobes chain so, and only its newest
counts). At most once per :data:`FIX_INTERVAL_S`
the post then, in its own east-north plane:

1. intersects every pair of strobes of two radars at least :data:`MIN_BASELINE_M` apart
   (:func:`iadsim.ew.triangulation.triangulate`), keeping the candidates that lie in
   front of both radars and inside both radars' instrumented range;
2. extends each candidate with the bearing of every further radar that passes through it:
   the one whose normalised miss ``r^2 / ((d s)^2 + (a v)^2)`` is least and under the
   chi-square gate :data:`GATE_PROBABILITY` with one degree of freedom, refitted; the
   refit keeps the bearing only if the sum of the normalised misses stays under the gate
   with ``k - 2`` degrees of freedom (``k`` bearings, two unknowns; Bar-Shalom, Li and
   Kirubarajan, *Estimation with Applications to Tracking and Navigation*, 2001,
   sect. 1.5 and 5.4 on chi-square gates);
3. resolves the ambiguity: candidates supported by more bearings go first, and a
   candidate sharing a strobe with an accepted one of three or more bearings is dropped
   (each strobe comes from one emitter). Candidates of only two bearings do not consume
   their strobes: two radars cannot tell the true crossings of two jammers from the
   ghosts where the bearing of one meets that of the other, so all of them are fixes.

Assumptions: a radar's bearing is taken as horizontal in its own frame and carried into
the post's frame as the direction to a point :data:`PROJECTION_RANGE_M` out (the two
frames differ by the meridian convergence over the baseline, a fraction of a degree). A
fix enters the post's picture as a position measurement
(:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.ingest_fix`) at an assumed
height :data:`ASSUMED_ALTITUDE_M`, with the fix's covariance and that height's error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import chi2

from iadsim.ew.triangulation import BearingFix, triangulate
from iadsim.geo.frames import (
    aer_to_enu,
    ecef_to_enu,
    ecef_to_lla,
    enu_rotation,
    enu_to_ecef,
    lla_to_ecef,
)

__all__ = [
    "ALTITUDE_SIGMA_M",
    "ASSUMED_ALTITUDE_M",
    "ASSUMED_SPEED_MPS",
    "FIX_INTERVAL_S",
    "GATE_PROBABILITY",
    "MIN_BASELINE_M",
    "PROJECTION_RANGE_M",
    "SAME_EMITTER_RANGE_M",
    "STROBE_WINDOW_S",
    "JammerFix",
    "JammerLocator",
]

STROBE_WINDOW_S = 20.0
"""Oldest strobe a fix uses, s (D: spans a 10 s rotation and a 15 s search frame)."""
FIX_INTERVAL_S = 10.0
"""Least time between two rounds of fixes by one post, s (D)."""
MIN_BASELINE_M = 1000.0
"""Shortest distance between two radar sites whose bearings are intersected, m (D)."""
ASSUMED_SPEED_MPS = 250.0
"""Speed a jammer is assumed to move at between an older strobe and the fix, m/s (D: a
jet's cruise); an older bearing's line is trusted less by ``age * speed`` metres."""
ASSUMED_ALTITUDE_M = 8000.0
"""Height given to a fix, which bearings alone leave open, m (D: where stand-off and escort
jammers work); its one-sigma error is :data:`ALTITUDE_SIGMA_M`."""
ALTITUDE_SIGMA_M = 4000.0
PROJECTION_RANGE_M = 100_000.0
"""Range of the point that carries a bearing from a radar's frame to the post's, m."""
GATE_PROBABILITY = 0.99
"""Probability that a true bearing passes the chi-square gates (D: the usual 99 %)."""
SAME_EMITTER_RANGE_M = 50_000.0
"""Range at which a jammer flying :data:`ASSUMED_SPEED_MPS` across the line of sight sets
the fastest bearing change a radar's newer strobe may show and still replace an older one
as the same emitter, m (D: 0.29 deg/s; stand-off jammers work farther out)."""


@dataclass(frozen=True)
class JammerFix:
    """One post's triangulated position of an emitter (a jammer, or a ghost).

    Attributes
    ----------
    post : int
        Index of the post.
    lat_rad, lon_rad : float
        Position of the fix.
    error_m : float
        Semi-major axis of its one-sigma error ellipse, m.
    radars : tuple of int
        Radars whose strobes it used, one bearing each.
    covariance_m2 : (2, 2) float64
        Error covariance in the post's east-north plane, m^2.
    chi_square : float
        Sum of the normalised bearing misses (0 with two bearings).
    """

    post: int
    lat_rad: float
    lon_rad: float
    error_m: float
    radars: tuple[int, ...]
    covariance_m2: np.ndarray
    chi_square: float = 0.0

    def pos_ecef_m(self) -> np.ndarray:
        """The fix at :data:`ASSUMED_ALTITUDE_M`, ECEF, m."""
        return np.asarray(
            lla_to_ecef(self.lat_rad, self.lon_rad, ASSUMED_ALTITUDE_M), np.float64
        ).reshape(3)

    def covariance_enu_m2(self) -> np.ndarray:
        """Its error covariance in the post's ENU frame with the height's, m^2."""
        covariance = np.zeros((3, 3))
        covariance[:2, :2] = self.covariance_m2
        covariance[2, 2] = ALTITUDE_SIGMA_M**2
        return covariance


@dataclass(frozen=True)
class _Line:
    """One strobe in a post's east-north plane."""

    radar: int
    origin_m: np.ndarray  # (2,) east, north, m
    bearing_rad: float
    sigma_rad: float
    extra_m: float  # age * ASSUMED_SPEED_MPS


@dataclass(frozen=True)
class _Candidate:
    lines: tuple[int, ...]  # indices into the post's lines
    fix: BearingFix
    chi_square: float


@dataclass
class JammerLocator:
    """The strobes each post hears and the fixes it makes (module notes).

    Parameters
    ----------
    radar_pos_ecef_m : (n_radars, 3) float64
        Radar antenna positions, ECEF, m (ground radars; airborne ones are not fixed from).
    radar_rotation : (n_radars, 3, 3) float64
        ECEF to each radar's ENU frame.
    heard : list of list of int
        For each post, the radars whose strobes reach it.
    post_lla : (n_posts, 3) float64
        Each post's site: latitude (rad), longitude (rad), height (m).
    radar_range_m : (n_radars,) float64, optional
        Each radar's instrumented range, m; a crossing farther from a radar whose bearing
        it uses is no candidate. Unlimited when omitted.
    """

    radar_pos_ecef_m: np.ndarray
    radar_rotation: np.ndarray
    heard: list[list[int]]
    post_lla: np.ndarray
    radar_range_m: np.ndarray | None = None
    recent: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)
    """radar -> (time, bearing, sigma) of its strobes, oldest first."""
    last_fix_s: dict[int, float] = field(default_factory=dict)

    def add(self, time_s: float, radar: np.ndarray, bearing_rad: np.ndarray,
            sigma_rad: np.ndarray) -> None:  # fmt: skip
        """Keep the strobes of a look (arrays ``(k,)`` as in
        :class:`~iadsim.sensors.strobes.Strobes`)."""
        for r, b, s in zip(radar, bearing_rad, sigma_rad, strict=True):
            kept = self.recent.setdefault(int(r), [])
            kept[:] = [x for x in kept if time_s - x[0] <= STROBE_WINDOW_S]
            kept.append((float(time_s), float(b), float(s)))

    def current(self, radar: int, time_s: float) -> list[tuple[float, float, float]]:
        """The radar's strobes a fix at ``time_s`` may use: within the window, and none with
        a newer strobe of the radar within the same-emitter gate (module notes)."""
        fresh = [x for x in self.recent.get(radar, []) if time_s - x[0] <= STROBE_WINDOW_S]
        self.recent[radar] = fresh
        rate = ASSUMED_SPEED_MPS / SAME_EMITTER_RANGE_M
        return [
            (seen_s, bearing, sigma)
            for k, (seen_s, bearing, sigma) in enumerate(fresh)
            if all(
                abs(np.angle(np.exp(1j * (bearing - b))))
                > 3.0 * np.hypot(sigma, s) + rate * (later_s - seen_s)
                for later_s, b, s in fresh[k + 1 :]
            )
        ]

    def fixes(self, time_s: float) -> list[JammerFix]:
        """The fixes due at ``time_s`` from every post (module notes)."""
        found: list[JammerFix] = []
        for post, radars in enumerate(self.heard):
            if time_s - self.last_fix_s.get(post, -np.inf) < FIX_INTERVAL_S:
                continue
            fixes = self._post_fixes(post, radars, time_s)
            if fixes:
                self.last_fix_s[post] = time_s
                found.extend(fixes)
        return found

    def _post_fixes(self, post: int, radars: list[int], time_s: float) -> list[JammerFix]:
        lat, lon, alt = self.post_lla[post]
        rotation = enu_rotation(lat, lon)
        origin = np.asarray(lla_to_ecef(lat, lon, alt), np.float64).reshape(3)
        lines = [
            self._line(r, seen_s, bearing, sigma, time_s, origin, rotation)
            for r in radars
            for seen_s, bearing, sigma in self.current(r, time_s)
        ]
        candidates: dict[tuple[int, ...], _Candidate] = {}
        for i in range(len(lines)):
            for j in range(i + 1, len(lines)):
                pair = self._pair(lines, i, j)
                if pair is not None:
                    grown = self._extend(lines, pair)
                    candidates.setdefault(grown.lines, grown)
        ordered = sorted(candidates.values(), key=lambda c: (-len(c.lines), c.chi_square, c.lines))
        consumed: set[int] = set()
        accepted: list[_Candidate] = []
        for candidate in ordered:
            if consumed.intersection(candidate.lines):
                continue
            accepted.append(candidate)
            if len(candidate.lines) >= 3:
                consumed.update(candidate.lines)
        return [self._fix(post, lines, c, origin, rotation) for c in accepted]

    def _line(self, radar: int, seen_s: float, bearing: float, sigma: float, time_s: float,
              origin: np.ndarray, rotation: np.ndarray) -> _Line:  # fmt: skip
        """A radar's bearing carried into the post's east-north plane."""
        far_enu = aer_to_enu(np.array([bearing]), np.zeros(1), np.array([PROJECTION_RANGE_M]))
        far = enu_to_ecef(far_enu, self.radar_pos_ecef_m[radar], self.radar_rotation[radar])
        ends = ecef_to_enu(np.vstack([self.radar_pos_ecef_m[radar], far.reshape(3)]), origin,
                           rotation)  # fmt: skip
        east, north = ends[1, :2] - ends[0, :2]
        return _Line(radar, ends[0, :2], float(np.arctan2(east, north)), sigma,
                     (time_s - seen_s) * ASSUMED_SPEED_MPS)  # fmt: skip

    def _solve(self, lines: list[_Line], rows: tuple[int, ...]) -> _Candidate | None:
        """Intersect the lines ``rows``; None when they do not cross in front of every
        radar, or cross beyond one's instrumented range."""
        chosen = [lines[k] for k in rows]
        fix = triangulate(
            np.array([line.origin_m for line in chosen]),
            [line.bearing_rad for line in chosen],
            [line.sigma_rad for line in chosen],
            [line.extra_m for line in chosen],
        )
        if fix is None:
            return None
        misses = [self._miss(line, fix.position_m) for line in chosen]
        if self.radar_range_m is not None:
            for line in chosen:
                if np.linalg.norm(fix.position_m - line.origin_m) > self.radar_range_m[line.radar]:
                    return None
        return _Candidate(rows, fix, float(sum(misses)))

    def _pair(self, lines: list[_Line], i: int, j: int) -> _Candidate | None:
        a, b = lines[i], lines[j]
        if a.radar == b.radar or np.linalg.norm(a.origin_m - b.origin_m) < MIN_BASELINE_M:
            return None
        return self._solve(lines, (i, j))

    def _extend(self, lines: list[_Line], candidate: _Candidate) -> _Candidate:
        """Add, radar by radar, the bearing that passes through the candidate (step 2)."""
        one = float(chi2.ppf(GATE_PROBABILITY, 1))
        used = {lines[k].radar for k in candidate.lines}
        for radar in sorted({line.radar for line in lines} - used):
            misses = [
                (self._miss(line, candidate.fix.position_m), k)
                for k, line in enumerate(lines)
                if line.radar == radar
            ]
            best, k = min(misses)
            if best > one:
                continue
            grown = self._solve(lines, tuple(sorted((*candidate.lines, k))))
            if grown is None:
                continue
            if grown.chi_square <= chi2.ppf(GATE_PROBABILITY, len(grown.lines) - 2):
                candidate = grown
        return candidate

    @staticmethod
    def _miss(line: _Line, point_m: np.ndarray) -> float:
        """Normalised squared miss of ``point_m`` from the line (module notes, step 2)."""
        offset = point_m - line.origin_m
        normal = np.array([np.cos(line.bearing_rad), -np.sin(line.bearing_rad)])
        along = np.array([np.sin(line.bearing_rad), np.cos(line.bearing_rad)]) @ offset
        if along <= 0.0:
            return np.inf
        variance = (np.linalg.norm(offset) * line.sigma_rad) ** 2 + line.extra_m**2
        return float((normal @ offset) ** 2 / variance)

    def _fix(self, post: int, lines: list[_Line], candidate: _Candidate, origin: np.ndarray,
             rotation: np.ndarray) -> JammerFix:  # fmt: skip
        result = candidate.fix
        point = enu_to_ecef(np.array([[*result.position_m, 0.0]]), origin, rotation)
        fix_lat, fix_lon, _ = ecef_to_lla(point.reshape(1, 3))
        return JammerFix(
            post,
            float(fix_lat[0]),
            float(fix_lon[0]),
            result.error_m,
            tuple(lines[k].radar for k in candidate.lines),
            result.covariance_m2,
            candidate.chi_square,
        )
