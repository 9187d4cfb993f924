"""Threat evaluation: how soon and how badly each track threatens a defended asset.

A track threatens an asset when its constant-velocity closest approach passes within
``threat_radius_m``. Its threat value is the asset's value discounted by the time to go,
``v / (1 + t_go / t_half)``; tracks that threaten nothing keep a small residual value
(they may still be attacking something undeclared). Ranking by time to go is the classic
rule (Roux & van Vuuren, "Threat evaluation and weapon assignment decision support: a
review", ORiON 23(2), 2007); the discount turns it into the values the weapon-target
assignment maximises. The threat type enters through what the post can see of it, its
kinematics: a ballistic speed weighs :data:`BALLISTIC_WEIGHT`, a fast low flyer (a cruise
missile's profile) :data:`LOW_FAST_WEIGHT`, anything else 1 (notional weights, D).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from iadsim.c2._kinematics_kernels import closest_approach_kernel, threat_kernel
from iadsim.core.kinematics import vector_norm

BALLISTIC_SPEED_MPS = 800.0
BALLISTIC_WEIGHT = 2.0
LOW_FAST_SPEED_MPS = 150.0
LOW_FAST_HEIGHT_M = 1500.0
LOW_FAST_WEIGHT = 1.5


class TargetClass(IntEnum):
    """What a track's kinematics say it is, as far as doctrine cares."""

    AIRCRAFT = 0
    CRUISE_MISSILE = 1
    BALLISTIC = 2


_AIRCRAFT = int(TargetClass.AIRCRAFT)
_CRUISE_MISSILE = int(TargetClass.CRUISE_MISSILE)
_BALLISTIC = int(TargetClass.BALLISTIC)
CLASS_WEIGHT = np.array([1.0, LOW_FAST_WEIGHT, BALLISTIC_WEIGHT])
"""Threat weight of each :class:`TargetClass`, indexed by its value."""


def target_class(vel_mps: np.ndarray, height_m: np.ndarray) -> np.ndarray:
    """Class of each track from its estimated kinematics: ballistic above
    :data:`BALLISTIC_SPEED_MPS`, a cruise missile when fast and low, else an aircraft.

    Parameters
    ----------
    vel_mps : (n, 3) float64
    height_m : (n,) float64
        Height above the post's site, m.

    Returns
    -------
    (n,) int64
        :class:`TargetClass` values.
    """
    speed = vector_norm(vel_mps)
    low_fast = (speed > LOW_FAST_SPEED_MPS) & (height_m < LOW_FAST_HEIGHT_M)
    return np.where(
        speed > BALLISTIC_SPEED_MPS, _BALLISTIC, np.where(low_fast, _CRUISE_MISSILE, _AIRCRAFT)
    ).astype(np.int64)


def kinematic_weight(vel_mps: np.ndarray, height_m: np.ndarray) -> np.ndarray:
    """Threat-type weight from kinematics (:func:`target_class`), ``(n,)``."""
    return CLASS_WEIGHT[target_class(vel_mps, height_m)]


@dataclass(frozen=True)
class ThreatAssessment:
    """Threat figures for ``n`` tracks.

    Attributes
    ----------
    time_to_go_s : (n,) float64
        Time to the closest approach of the most urgent threatened asset (``inf``: none).
    asset : (n,) int64
        That asset's index (-1: none).
    value : (n,) float64
        Threat value (asset value units).
    """

    time_to_go_s: np.ndarray
    asset: np.ndarray
    value: np.ndarray

    def ranking(self) -> np.ndarray:
        """Track rows, most threatening first (ties: lower row first, deterministic)."""
        return np.lexsort((np.arange(len(self.value)), -self.value))


def evaluate_threats(
    pos_m: np.ndarray,
    vel_mps: np.ndarray,
    asset_pos_m: np.ndarray,
    asset_value: np.ndarray,
    threat_radius_m: float = 20_000.0,
    half_value_time_s: float = 600.0,
    residual_fraction: float = 0.1,
    track_class: np.ndarray | None = None,
) -> ThreatAssessment:
    """Evaluate threats of tracks against defended assets.

    Parameters
    ----------
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's local frame.
    asset_pos_m : (k, 3) float64
    asset_value : (k,) float64
    threat_radius_m : float
        Closest approach within which an asset counts as threatened.
    half_value_time_s : float
        Time to go at which the value is halved.
    residual_fraction : float
        Value of a track that threatens no asset, as a fraction of the smallest asset value.
    track_class : (n,) int64, optional
        :func:`target_class` of the tracks when the caller has it already; computed here
        otherwise.
    """
    n = len(pos_m)
    if n == 0 or len(asset_pos_m) == 0:
        return ThreatAssessment(np.full(n, np.inf), np.full(n, -1), np.ones(n))
    weight = (
        kinematic_weight(vel_mps, pos_m[:, 2]) if track_class is None else CLASS_WEIGHT[track_class]
    )
    # One compiled pass; evaluate_threats_reference is its NumPy twin (same bits).
    time_to_go, asset, value = threat_kernel(
        pos_m,
        vel_mps,
        asset_pos_m,
        asset_value,
        weight,
        float(threat_radius_m),
        float(half_value_time_s),
        residual_fraction * asset_value.min(),
    )
    return ThreatAssessment(time_to_go, asset, value)


def evaluate_threats_reference(
    pos_m: np.ndarray,
    vel_mps: np.ndarray,
    asset_pos_m: np.ndarray,
    asset_value: np.ndarray,
    threat_radius_m: float = 20_000.0,
    half_value_time_s: float = 600.0,
    residual_fraction: float = 0.1,
    track_class: np.ndarray | None = None,
) -> ThreatAssessment:
    """NumPy twin of :func:`evaluate_threats` (same parameters, same bits)."""
    n = len(pos_m)
    if n == 0 or len(asset_pos_m) == 0:
        return ThreatAssessment(np.full(n, np.inf), np.full(n, -1), np.ones(n))
    cpa, time_s = closest_approach_kernel(pos_m, vel_mps, asset_pos_m)
    go = np.where(cpa < threat_radius_m, time_s, np.inf)
    asset = np.argmin(go, axis=1)
    time_to_go = go[np.arange(n), asset]
    threatened = np.isfinite(time_to_go)
    value = np.where(
        threatened,
        asset_value[asset] / (1.0 + np.where(threatened, time_to_go, 0.0) / half_value_time_s),
        residual_fraction * asset_value.min(),
    ) * (
        kinematic_weight(vel_mps, pos_m[:, 2]) if track_class is None else CLASS_WEIGHT[track_class]
    )
    return ThreatAssessment(time_to_go, np.where(threatened, asset, -1), value)
