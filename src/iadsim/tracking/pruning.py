"""Deletion of tracks that no longer follow anything real: stale, under ground, too fast.

A tracker deletes a track on the evidence of the looks it is given (missed opportunities
inside a radar's coverage, :mod:`iadsim.tracking.management`). A track that has left every
radar's coverage gets no look at all, so that evidence never comes: it coasts on its last
velocity, through the ground if it was diving, for as long as the run lasts. Operational
trackers therefore also drop tracks by age and by plausibility (Blackman & Popoli,
*Design and Analysis of Modern Tracking Systems*, Artech House 1999, sect. 9.2 and 9.4:
deletion when the time since the last update exceeds a few scan periods, and when the
state leaves the physically possible region). Three rules, each a mask over tracks:

- **stale**: ``t - t_last > k T_revisit``, with ``T_revisit`` the revisit time of the
  slowest radar that has updated the track and ``k`` a number of revisits;
- **under ground**: the track's extrapolated height is below the terrain by more than a
  tolerance plus ``n`` standard deviations of its vertical position; for a track that is
  descending (by ``n`` standard deviations of its vertical speed) and has gone a whole
  revisit without a detection, by more than the tolerance alone: the radar's silence is
  what a target that met the ground would produce, so the estimate's spread no longer
  speaks for it (a diving missile's track after impact or kill). A level low flier whose
  height estimate is merely noisy keeps the benefit of its spread;
- **too fast**: the speed, less ``n`` standard deviations of it along the velocity, exceeds
  a maximum speed no air target reaches.

:func:`doomed_mask` applies the three to a post's live tracks in one compiled pass
(:mod:`iadsim.tracking._pruning_kernels`); :func:`doomed_reference` is its NumPy twin, built
from the masks below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from iadsim.geo.frames import ecef_to_lla, enu_to_ecef
from iadsim.tracking._pruning_kernels import doomed_kernel

if TYPE_CHECKING:
    from iadsim.geo.terrain import ElevationGrid

__all__ = [
    "MEAN_EARTH_RADIUS_M",
    "PostFrame",
    "PruningRules",
    "approximate_height_m",
    "doomed_among",
    "doomed_mask",
    "doomed_reference",
    "extrapolate",
    "highest_ground_m",
    "stale_mask",
    "too_fast_mask",
    "under_ground_mask",
]


@dataclass(frozen=True)
class PruningRules:
    """Settings of the three deletion rules.

    Parameters
    ----------
    coast_revisits : float
        A track is stale after this many revisit times of the slowest radar that updated
        it without a detection. Assumption: 4 (range 3-5, the "few missed scans" of
        Blackman & Popoli 1999, sect. 9.4); with the tracker's own ``max_misses = 4`` it
        deletes inside a radar's coverage as the miss count does, and outside it too.
    max_speed_mps : float
        Speed no track may have, m/s. Assumption: 8,000 m/s (range 5,000-8,000): above
        low-Earth-orbit speed (about 7,800 m/s), so above any ballistic re-entry vehicle of
        the catalog (S-400 claim: targets up to 4,800 m/s, public-parameters S7/S10/S12).
    terrain_tolerance_m : float
        Depth below the terrain tolerated besides the track's own uncertainty, m.
        Assumption: 150 m (range 100-300): a 1 arc-minute terrain grid's error in rough
        relief plus the geoid-ellipsoid separation (about 30-40 m over Turkey) that the
        MSL terrain heights do not remove.
    sigmas : float
        Standard deviations of the track's estimate granted before a rule fires.
        Assumption: 3 (a 99.7 % one-sided bound would be 2.75).
    """

    coast_revisits: float = 4.0
    max_speed_mps: float = 8000.0
    terrain_tolerance_m: float = 150.0
    sigmas: float = 3.0

    def __post_init__(self) -> None:
        for name in ("coast_revisits", "max_speed_mps", "terrain_tolerance_m", "sigmas"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0.0):
                msg = f"{name} must be finite and >= 0, got {value!r}"
                raise ValueError(msg)


MEAN_EARTH_RADIUS_M = 6_371_008.8
"""Mean radius of the WGS-84 ellipsoid, ``(2a + b) / 3`` (Moritz, Geodetic Reference
System 1980, J. Geodesy 74, 2000), m."""


def approximate_height_m(pos_enu_m: np.ndarray, origin_height_m: float) -> np.ndarray:
    """Height of ENU points over a sphere, ``h ≈ h0 + u + (e² + n²) / (2 R)``, ``(n,)`` m.

    The drop of a spherical Earth under a tangent plane at horizontal distance ``d`` is
    ``d² / (2 R)`` to first order; the ellipsoid's radii of curvature differ from the mean
    by under 1 %, so within 400 km the error is below 150 m. Used only to skip the exact
    (geodetic) test for tracks far above any ground.
    """
    horizontal2 = pos_enu_m[:, 0] ** 2 + pos_enu_m[:, 1] ** 2
    return origin_height_m + pos_enu_m[:, 2] + horizontal2 / (2.0 * MEAN_EARTH_RADIUS_M)


def stale_mask(
    last_update_s: np.ndarray, revisit_s: np.ndarray, t_s: float, coast_revisits: float
) -> np.ndarray:
    """Tracks with no detection for more than ``coast_revisits`` revisits.

    Parameters
    ----------
    last_update_s : (n,) float64
        Time of each track's last associated detection, s.
    revisit_s : (n,) float64
        Revisit time of the slowest radar that updated each track, s.
    t_s : float
        Now, s.
    coast_revisits : float

    Returns
    -------
    (n,) bool
    """
    return (t_s - np.asarray(last_update_s)) > coast_revisits * np.asarray(revisit_s)


def extrapolate(
    state: np.ndarray, covariance: np.ndarray, dt_s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Constant-velocity extrapolation of position and its covariance without process noise.

    ``p' = p + v dt``, ``P'_pp = P_pp + dt (P_pv + P_vp) + dt² P_vv`` (the position block of
    ``F P Fᵀ`` with ``F = [[I, dt I], [0, I]]``, Bar-Shalom, Li & Kirubarajan 2001,
    eq. 6.3.2-2); without ``Q`` the covariance is a lower bound, so the rules that use it
    err towards keeping a track.

    Parameters
    ----------
    state : (n, d) float64
        ``[e, n, u, ve, vn, vu, ...]``, m and m/s.
    covariance : (n, d, d) float64
    dt_s : (n,) float64
        Time from each state's epoch to now, s.

    Returns
    -------
    pos_m : (n, 3) float64
    pos_cov_m2 : (n, 3, 3) float64
    """
    dt = np.asarray(dt_s, dtype=float)[:, None]
    pos = state[:, :3] + state[:, 3:6] * dt
    cross = covariance[:, :3, 3:6]
    dt3 = dt[:, :, None]
    pos_cov = (
        covariance[:, :3, :3]
        + dt3 * (cross + np.swapaxes(cross, -1, -2))
        + dt3**2 * covariance[:, 3:6, 3:6]
    )
    return pos, pos_cov


def under_ground_mask(
    height_m: np.ndarray,
    terrain_m: np.ndarray,
    up_variance_m2: np.ndarray,
    tolerance_m: float,
    sigmas: float,
    coasting: np.ndarray | None = None,
) -> np.ndarray:
    """Tracks below the terrain beyond their uncertainty: ``h + n σ_up < h_terrain - tol``,
    with ``n = 0`` for ``coasting`` tracks.

    Parameters
    ----------
    height_m : (n,) float64
        Track heights, m (the same datum as ``terrain_m``, within the tolerance).
    terrain_m : (n,) float64
        Terrain height under each track, m.
    up_variance_m2 : (n,) float64
        Variance of each track's position along the local vertical, m².
    tolerance_m, sigmas : float
    coasting : (n,) bool, optional
        Tracks judged on the tolerance alone: descending tracks without a detection for a
        whole revisit (default: none).

    Returns
    -------
    (n,) bool
    """
    up_std = np.sqrt(np.maximum(np.asarray(up_variance_m2, dtype=float), 0.0))
    margin = sigmas * up_std
    if coasting is not None:
        margin = np.where(coasting, 0.0, margin)
    return np.asarray(height_m) + margin < np.asarray(terrain_m) - tolerance_m


def too_fast_mask(
    velocity_mps: np.ndarray, velocity_cov_m2ps2: np.ndarray, max_speed_mps: float, sigmas: float
) -> np.ndarray:
    """Tracks faster than ``max_speed_mps`` beyond their uncertainty: ``|v| - n σ_v > v_max``.

    ``σ_v² = uᵀ P_vv u`` with ``u = v / |v|`` is the variance of the speed to first order
    (the same bound the identification uses for "ballistic speed").

    Parameters
    ----------
    velocity_mps : (n, 3) float64
    velocity_cov_m2ps2 : (n, 3, 3) float64
    max_speed_mps, sigmas : float

    Returns
    -------
    (n,) bool
    """
    speed = np.linalg.norm(velocity_mps, axis=1)
    direction = velocity_mps / np.maximum(speed, 1e-9)[:, None]
    variance = np.einsum("ni,nij,nj->n", direction, velocity_cov_m2ps2, direction)
    return speed - sigmas * np.sqrt(np.maximum(variance, 0.0)) > max_speed_mps


@dataclass(frozen=True)
class PostFrame:
    """A post's ENU frame: ECEF origin ``(3,)`` m, rotation ``(3, 3)`` (``enu = R d_ecef``)
    and the origin's ellipsoidal height, m. The arrays are held as float64 in C order, as
    the compiled pruning takes them."""

    origin_ecef_m: np.ndarray
    rotation: np.ndarray
    origin_height_m: float

    def __post_init__(self) -> None:
        for name in ("origin_ecef_m", "rotation"):
            array = np.ascontiguousarray(getattr(self, name), dtype=np.float64)
            object.__setattr__(self, name, array)


def highest_ground_m(terrain: ElevationGrid | None) -> float:
    """The highest terrain sample, m (0 without terrain or samples)."""
    if terrain is None:
        return 0.0
    heights = np.asarray(terrain.heights_m, dtype=float)
    return float(np.nanmax(heights)) if np.isfinite(heights).any() else 0.0


def doomed_mask(
    state: np.ndarray,
    covariance: np.ndarray,
    time_s: np.ndarray,
    last_update_s: np.ndarray,
    revisit_s: np.ndarray,
    t_s: float,
    rules: PruningRules,
    frame: PostFrame,
    terrain: ElevationGrid | None,
    highest_ground: float,
) -> np.ndarray:
    """Which tracks any of the three rules deletes now, ``(n,) bool``.

    Parameters
    ----------
    state : (n, d) float64
        Track states ``[e, n, u, ve, vn, vu, ...]`` in the post frame, m and m/s.
    covariance : (n, d, d) float64
    time_s, last_update_s : (n,) float64
        Epoch of each state and time of its last detection, s.
    revisit_s : (n,) float64
        Revisit time of the slowest radar that updated each track, s.
    t_s : float
        Now, s.
    rules : PruningRules
    frame : PostFrame
    terrain : ElevationGrid or None
        Ground under the tracks (MSL heights, sea level where missing); None: the ellipsoid.
    highest_ground : float
        :func:`highest_ground_m` of ``terrain`` (computed once per post).
    """
    state = np.ascontiguousarray(state, dtype=np.float64)
    return doomed_among(
        state,
        np.ascontiguousarray(covariance, dtype=np.float64),
        np.ascontiguousarray(time_s, dtype=np.float64),
        np.ascontiguousarray(last_update_s, dtype=np.float64),
        np.ascontiguousarray(revisit_s, dtype=np.float64),
        np.arange(state.shape[0]),
        t_s,
        rules,
        frame,
        terrain,
        highest_ground,
    )


def doomed_among(
    state: np.ndarray,
    covariance: np.ndarray,
    time_s: np.ndarray,
    last_update_s: np.ndarray,
    revisit_s: np.ndarray,
    slots: np.ndarray,
    t_s: float,
    rules: PruningRules,
    frame: PostFrame,
    terrain: ElevationGrid | None,
    highest_ground: float,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`doomed_mask` of the tracks ``slots`` ``(k,) int64`` of whole columns (float64,
    C order, as a track table holds them: ``state (c, d)``, ``covariance (c, d, d)``, the
    others ``(c,)``), without gathering their rows; ``(k,) bool``, written into ``out``
    where given (a caller's reused array, saving the boxing of a new one)."""
    grid = terrain
    if out is None:
        out = np.empty(slots.shape[0], dtype=bool)
    doomed_kernel(
        state,
        covariance,
        time_s,
        last_update_s,
        revisit_s,
        slots,
        float(t_s),
        float(rules.coast_revisits),
        float(rules.max_speed_mps),
        float(rules.terrain_tolerance_m),
        float(rules.sigmas),
        frame.origin_ecef_m,
        frame.rotation,
        float(frame.origin_height_m),
        float(highest_ground),
        MEAN_EARTH_RADIUS_M,
        grid.heights_m if grid is not None else np.zeros((0, 0)),
        float(grid.lat0_rad) if grid is not None else 0.0,
        float(grid.lon0_rad) if grid is not None else 0.0,
        float(grid.dlat_rad) if grid is not None else 1.0,
        float(grid.dlon_rad) if grid is not None else 1.0,
        out,
    )
    return out


def doomed_reference(
    state: np.ndarray,
    covariance: np.ndarray,
    time_s: np.ndarray,
    last_update_s: np.ndarray,
    revisit_s: np.ndarray,
    t_s: float,
    rules: PruningRules,
    frame: PostFrame,
    terrain: ElevationGrid | None,
) -> np.ndarray:
    """NumPy twin of :func:`doomed_mask` (every rule on every track; no height pre-test).

    The under-ground rule waives the spread for tracks that have gone a revisit without a
    detection (``t - t_last > T_revisit``) and are descending: ``v_up + n σ_vup < 0`` along
    the local vertical at the track.
    """
    stale = stale_mask(last_update_s, revisit_s, t_s, rules.coast_revisits)
    fast = too_fast_mask(state[:, 3:6], covariance[:, 3:6, 3:6], rules.max_speed_mps, rules.sigmas)
    pos, pos_cov = extrapolate(state, covariance, t_s - time_s)
    lat, lon, height = ecef_to_lla(enu_to_ecef(pos, frame.origin_ecef_m, frame.rotation))
    ground = terrain.surface_height_m(lat, lon) if terrain is not None else np.zeros_like(height)
    # The local up unit vector (third row of the ENU rotation at the track) in the post frame.
    up_ecef = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], 1)
    up = up_ecef @ frame.rotation.T
    up_variance = np.einsum("ni,nij,nj->n", up, pos_cov, up)
    climb = np.einsum("ni,ni->n", up, state[:, 3:6])
    climb_std = np.sqrt(np.einsum("ni,nij,nj->n", up, covariance[:, 3:6, 3:6], up))
    coasting = stale_mask(last_update_s, revisit_s, t_s, 1.0)
    diving = coasting & (climb + rules.sigmas * climb_std < 0.0)
    under = under_ground_mask(
        height, ground, up_variance, rules.terrain_tolerance_m, rules.sigmas, diving
    )
    return stale | fast | under
