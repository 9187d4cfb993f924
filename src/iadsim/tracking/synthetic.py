"""Synthetic tracking scenes: constant-velocity targets, missed detections, uniform clutter.

Used by the tracking tests and benchmarks to feed identical ground truth and detections to
iadsim's trackers and to peer trackers (Stone Soup). Detections are Cartesian positions with
isotropic Gaussian noise; clutter is uniform over the surveillance box (a Poisson number
per scan, or a fixed number when ``poisson_clutter`` is false).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Scan", "SyntheticScene", "simulate_scans"]


@dataclass(frozen=True)
class SyntheticScene:
    """Parameters of a synthetic scene.

    Parameters
    ----------
    n_targets : int
    n_scans : int
    scan_period_s : float
    detection_probability : float
    clutter_per_scan : float
        Mean number of false detections per scan.
    extent_m : tuple of float
        Half-widths of the surveillance box in east and north, and its height (m).
    speed_std_mps : float
        Standard deviation of each horizontal velocity component (m/s).
    measurement_std_m : float
        Standard deviation of each detection coordinate (m).
    poisson_clutter : bool
        Draw the clutter count from a Poisson law (else exactly ``clutter_per_scan``).
    """

    n_targets: int = 50
    n_scans: int = 100
    scan_period_s: float = 5.0
    detection_probability: float = 0.9
    clutter_per_scan: float = 10.0
    extent_m: tuple[float, float, float] = (100e3, 100e3, 12e3)
    speed_std_mps: float = 150.0
    measurement_std_m: float = 100.0
    poisson_clutter: bool = False


@dataclass(frozen=True)
class Scan:
    """One scan of truth and detections.

    Attributes
    ----------
    time_s : float
    truth_m : (n_targets, 3) float64
        True positions.
    detections_m : (k, 3) float64
        Detected positions, targets first then clutter, shuffled.
    covariance_m2 : (k, 3, 3) float64
        Detection covariances.
    origin : (k,) int64
        Target index of each detection, -1 for clutter.
    """

    time_s: float
    truth_m: np.ndarray
    detections_m: np.ndarray
    covariance_m2: np.ndarray
    origin: np.ndarray


def simulate_scans(scene: SyntheticScene, rng: np.random.Generator) -> list[Scan]:
    """Draw the truth and the detections of every scan of ``scene``.

    Targets start uniformly in the inner half of the box with Gaussian horizontal velocity
    and fly straight and level.
    """
    half_e, half_n, height = scene.extent_m
    n = scene.n_targets
    start = np.column_stack(
        [
            rng.uniform(-half_e / 2, half_e / 2, n),
            rng.uniform(-half_n / 2, half_n / 2, n),
            rng.uniform(0.1 * height, 0.9 * height, n),
        ]
    )
    velocity = np.column_stack([rng.normal(0.0, scene.speed_std_mps, (n, 2)), np.zeros(n)])
    sigma = scene.measurement_std_m
    low = np.array([-half_e, -half_n, 0.0])
    high = np.array([half_e, half_n, height])
    scans = []
    for k in range(scene.n_scans):
        t = k * scene.scan_period_s
        truth = start + velocity * t
        seen = np.flatnonzero(rng.random(n) < scene.detection_probability)
        target_dets = truth[seen] + rng.normal(0.0, sigma, (seen.size, 3))
        n_clutter = (
            rng.poisson(scene.clutter_per_scan)
            if scene.poisson_clutter
            else round(scene.clutter_per_scan)
        )
        clutter = rng.uniform(low, high, (n_clutter, 3))
        detections = np.concatenate([target_dets, clutter])
        origin = np.concatenate([seen, np.full(n_clutter, -1)]).astype(np.int64)
        order = rng.permutation(detections.shape[0])
        covariance = np.broadcast_to(np.eye(3) * sigma**2, (order.size, 3, 3)).copy()
        scans.append(Scan(t, truth, detections[order], covariance, origin[order]))
    return scans
