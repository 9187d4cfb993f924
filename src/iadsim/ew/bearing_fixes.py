"""Jammer fixes: a post triangulates the strobes of its radars and of its link partners.

Each post keeps, for every jammer, the latest strobe of each radar it hears from: its own
radars, and the radars of the posts it shares a data link with. When two or more of those
radars, at sites at least :data:`MIN_BASELINE_M` apart, strobed the jammer within the
last :data:`STROBE_WINDOW_S`, the post intersects the bearings in its own east-north plane
(:func:`iadsim.ew.triangulation.triangulate`) and records a fix, at most once per
:data:`FIX_INTERVAL_S` for each jammer.

Assumptions: a radar's bearing is taken as horizontal in its own frame and carried into
the post's frame as the direction to a point :data:`PROJECTION_RANGE_M` out (the two
frames differ by the meridian convergence over the baseline, a fraction of a degree);
strobes are associated to their jammer without error (in practice by its bearing, its
spectrum and its timing), so the ghost intersections of several jammers seen by several
radars are not modelled. A fix enters the post's picture as a position measurement
(:meth:`~iadsim.c2.picture.post_picture.CommandPostPicture.ingest_fix`) at an assumed
height :data:`ASSUMED_ALTITUDE_M`, with the fix's covariance and that height's error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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
    "MIN_BASELINE_M",
    "PROJECTION_RANGE_M",
    "STROBE_WINDOW_S",
    "JammerFix",
    "JammerLocator",
]

STROBE_WINDOW_S = 20.0
"""Oldest strobe a fix uses, s (D: spans a 10 s rotation and a 15 s search frame)."""
FIX_INTERVAL_S = 10.0
"""Least time between two fixes of one jammer by one post, s (D)."""
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


@dataclass(frozen=True)
class JammerFix:
    """One post's triangulated position of one jammer.

    Attributes
    ----------
    post : int
        Index of the post.
    jammer : int
        Row of the jammer in the run's :class:`~iadsim.ew.jammers.JammerSet`.
    lat_rad, lon_rad : float
        Position of the fix.
    error_m : float
        Semi-major axis of its one-sigma error ellipse, m.
    radars : tuple of int
        Radars whose strobes it used.
    covariance_m2 : (2, 2) float64
        Error covariance in the post's east-north plane, m^2.
    """

    post: int
    jammer: int
    lat_rad: float
    lon_rad: float
    error_m: float
    radars: tuple[int, ...]
    covariance_m2: np.ndarray

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
    """

    radar_pos_ecef_m: np.ndarray
    radar_rotation: np.ndarray
    heard: list[list[int]]
    post_lla: np.ndarray
    latest: dict[tuple[int, int], tuple[float, float, float]] = field(default_factory=dict)
    """(radar, jammer) -> (time, bearing, sigma) of the latest strobe."""
    last_fix_s: dict[tuple[int, int], float] = field(default_factory=dict)

    def add(self, time_s: float, radar: np.ndarray, jammer: np.ndarray, bearing_rad: np.ndarray,
            sigma_rad: np.ndarray) -> None:  # fmt: skip
        """Keep the strobes of a look (arrays ``(k,)`` as in
        :class:`~iadsim.sensors.strobes.Strobes`)."""
        for r, j, b, s in zip(radar, jammer, bearing_rad, sigma_rad, strict=True):
            self.latest[int(r), int(j)] = (float(time_s), float(b), float(s))

    def fixes(self, time_s: float) -> list[JammerFix]:
        """The fixes due at ``time_s``; a strobe ``a`` seconds old counts with an extra
        ``a * ASSUMED_SPEED_MPS`` metres of miss."""
        found: list[JammerFix] = []
        jammers = sorted({j for _, j in self.latest})
        for post, radars in enumerate(self.heard):
            for jammer in jammers:
                if time_s - self.last_fix_s.get((post, jammer), -np.inf) < FIX_INTERVAL_S:
                    continue
                used = [
                    r
                    for r in radars
                    if (r, jammer) in self.latest
                    and time_s - self.latest[r, jammer][0] <= STROBE_WINDOW_S
                ]
                fix = self._fix(post, used, jammer, time_s)
                if fix is None:
                    continue
                self.last_fix_s[post, jammer] = time_s
                found.append(fix)
        return found

    def _fix(self, post: int, radars: list[int], jammer: int, time_s: float) -> JammerFix | None:
        sites = self.radar_pos_ecef_m[radars]
        if len(radars) < 2 or np.ptp(sites, axis=0).max(initial=0.0) < MIN_BASELINE_M:
            return None
        lat, lon, alt = self.post_lla[post]
        rotation = enu_rotation(lat, lon)
        origin = np.asarray(lla_to_ecef(lat, lon, alt), np.float64).reshape(3)
        bearings, sigmas, origins, extra = [], [], [], []
        for r in radars:
            seen_s, bearing, sigma = self.latest[r, jammer]
            extra.append((time_s - seen_s) * ASSUMED_SPEED_MPS)
            far_enu = aer_to_enu(np.array([bearing]), np.zeros(1), np.array([PROJECTION_RANGE_M]))
            far = enu_to_ecef(far_enu, self.radar_pos_ecef_m[r], self.radar_rotation[r])
            ends = ecef_to_enu(np.vstack([self.radar_pos_ecef_m[r], far.reshape(3)]), origin,
                               rotation)  # fmt: skip
            origins.append(ends[0, :2])
            east, north = ends[1, :2] - ends[0, :2]
            bearings.append(np.arctan2(east, north))
            sigmas.append(sigma)
        result: BearingFix | None = triangulate(np.array(origins), bearings, sigmas, extra)
        if result is None:
            return None
        point = enu_to_ecef(np.array([[*result.position_m, 0.0]]), origin, rotation)
        fix_lat, fix_lon, _ = ecef_to_lla(point.reshape(1, 3))
        return JammerFix(
            post,
            jammer,
            float(fix_lat[0]),
            float(fix_lon[0]),
            result.error_m,
            tuple(radars),
            result.covariance_m2,
        )
