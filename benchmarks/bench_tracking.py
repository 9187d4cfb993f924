"""Tracking speed and accuracy: iadsim's GNN tracker side by side with Stone Soup.

Both trackers get the same ground truth and the same detections (constant-velocity targets
in 3-D, Pd 0.9, uniform clutter, Cartesian detections with 100 m noise) and the same model
settings (CV, 2 m/s² process noise, 300 m/s velocity prior, chi-square gate 0.999, confirm
on the second detection, delete after 4 missed scans). Stone Soup runs as documented:
Kalman predictor/updater, Mahalanobis ``DistanceHypothesiser`` with the same gate,
``GNNWith2DAssignment`` (plain) or ``DetectionKDTreeGNN2D`` (k-d tree, the faster
configuration), ``MultiMeasurementInitiator`` and ``UpdateTimeStepsDeleter``.

Reported per configuration: CPU time per scan (single thread; BLAS pinned to one thread),
the speed ratio, and mean GOSPA (c = 1 km, p = 2, our implementation) of each tracker's
confirmed tracks against the truth, over the scans both trackers ran.

A second part checks scale: 2,000 targets seen by 10 radars (10 detection batches per 4 s
revisit, converted polar measurements, coverage-aware miss counting) must run at ≥ 10x
real time on one core.

Run: ``.venv/bin/python benchmarks/bench_tracking.py`` (full) or ``--quick``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import datetime
import time
from importlib.metadata import version

import numpy as np
from scipy.stats import chi2

from iadsim.tracking.measurements import converted_measurement, enu_to_spherical
from iadsim.tracking.metrics import mean_gospa
from iadsim.tracking.synthetic import SyntheticScene, simulate_scans
from iadsim.tracking.tracker import GnnTracker, TrackerConfig

GOSPA_C_M = 1000.0
ACCEL_STD_MPS2 = 2.0
SPEED_PRIOR_MPS = 300.0
GATE_PROBABILITY = 0.999
MAX_MISSES = 4
# k-d tree search radii for Stone Soup: well beyond the 0.999 gate of a confirmed track
# (predicted position std ~200 m, 4 missed scans ~1 km) and of a two-point tentative track
KD_RADIUS_CONFIRMED_M = 5e3
KD_RADIUS_TENTATIVE_M = 12e3


def run_ours(scans):
    """Our GNN tracker; returns CPU seconds per scan and confirmed positions per scan."""
    tracker = GnnTracker(
        TrackerConfig(
            process_noise_mps2=ACCEL_STD_MPS2,
            initial_speed_std_mps=SPEED_PRIOR_MPS,
            gate_probability=GATE_PROBABILITY,
            confirm_m=2,
            confirm_n=3,
            max_misses=MAX_MISSES,
        )
    )
    table = tracker.new_table(256)
    estimates = []
    elapsed = 0.0
    for scan in scans:
        start = time.process_time()
        tracker.step(table, scan.time_s, scan.detections_m, scan.covariance_m2)
        elapsed += time.process_time() - start
        estimates.append(table.state[table.active & table.confirmed, :3].copy())
    return elapsed / len(scans), estimates


def run_stonesoup(scans, kd_tree: bool):
    """Stone Soup's GNN tracker loop (as ``MultiTargetTracker.__next__``), timed per scan."""
    from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
    from stonesoup.dataassociator.tree import DetectionKDTreeGNN2D
    from stonesoup.deleter.time import UpdateTimeStepsDeleter
    from stonesoup.hypothesiser.distance import DistanceHypothesiser
    from stonesoup.initiator.simple import MultiMeasurementInitiator
    from stonesoup.measures import Mahalanobis
    from stonesoup.models.measurement.linear import LinearGaussian
    from stonesoup.models.transition.linear import (
        CombinedLinearGaussianTransitionModel,
        ConstantVelocity,
    )
    from stonesoup.predictor.kalman import KalmanPredictor
    from stonesoup.types.detection import Detection
    from stonesoup.types.state import GaussianState
    from stonesoup.updater.kalman import KalmanUpdater

    period = scans[1].time_s - scans[0].time_s
    # continuous white-noise acceleration with the same per-step variance as our DWNA
    transition = CombinedLinearGaussianTransitionModel(
        [ConstantVelocity(ACCEL_STD_MPS2**2 * period)] * 3
    )
    noise = scans[0].covariance_m2[0]
    model = LinearGaussian(ndim_state=6, mapping=(0, 2, 4), noise_covar=noise)
    predictor = KalmanPredictor(transition)
    updater = KalmanUpdater(model)
    gate = float(np.sqrt(chi2.ppf(GATE_PROBABILITY, 3)))
    hypothesiser = DistanceHypothesiser(predictor, updater, Mahalanobis(), missed_distance=gate)

    def associator(radius_m):
        if not kd_tree:
            return GNNWith2DAssignment(hypothesiser)
        # Stone Soup's covariance multiplier scales a variance (m²), so a fixed radius is
        # the tight choice: a superset of the Mahalanobis gate of these tracks.
        return DetectionKDTreeGNN2D(
            hypothesiser=hypothesiser, predictor=predictor, updater=updater, max_distance=radius_m
        )

    prior = GaussianState(
        np.zeros((6, 1)),
        np.diag([0.0, SPEED_PRIOR_MPS, 0.0, SPEED_PRIOR_MPS, 0, SPEED_PRIOR_MPS]) ** 2,
    )
    initiator = MultiMeasurementInitiator(
        prior_state=prior,
        deleter=UpdateTimeStepsDeleter(2),
        data_associator=associator(KD_RADIUS_TENTATIVE_M),
        updater=updater,
        measurement_model=model,
        min_points=2,
    )
    deleter = UpdateTimeStepsDeleter(MAX_MISSES)
    main_associator = associator(KD_RADIUS_CONFIRMED_M)
    epoch = datetime.datetime(2024, 1, 1)
    tracks: set = set()
    estimates = []
    elapsed = 0.0
    for scan in scans:
        when = epoch + datetime.timedelta(seconds=scan.time_s)
        detections = {
            Detection(z.reshape(-1, 1), timestamp=when, measurement_model=model)
            for z in scan.detections_m
        }
        start = time.process_time()
        associations = main_associator.associate(tracks, detections, when)
        used = set()
        for track, hypothesis in associations.items():
            if hypothesis:
                track.append(updater.update(hypothesis))
                used.add(hypothesis.measurement)
            else:
                track.append(hypothesis.prediction)
        tracks -= deleter.delete_tracks(tracks)
        tracks |= initiator.initiate(detections - used, when)
        elapsed += time.process_time() - start
        estimates.append(
            np.array([np.ravel(t.state_vector)[[0, 2, 4]] for t in tracks]).reshape(-1, 3)
        )
    return elapsed / len(scans), estimates


def compare(n_targets, clutter, n_scans, stonesoup_scans, plain_too, seed=0):
    """One size/clutter case; prints one line per peer configuration."""
    scene = SyntheticScene(
        n_targets=n_targets,
        n_scans=n_scans,
        clutter_per_scan=clutter,
        extent_m=(100e3 * np.sqrt(n_targets / 50), 100e3 * np.sqrt(n_targets / 50), 12e3),
    )
    scans = simulate_scans(scene, np.random.default_rng(seed))
    ours_s, ours_est = run_ours(scans)
    truths = [scan.truth_m for scan in scans]
    peers = [("kd-tree GNN", True)] + ([("plain GNN", False)] if plain_too else [])
    k = min(stonesoup_scans, n_scans)
    ours_gospa_k = mean_gospa(truths[:k], ours_est[:k], GOSPA_C_M)
    ours_gospa_all = mean_gospa(truths, ours_est, GOSPA_C_M)
    for name, kd in peers:
        ss_s, ss_est = run_stonesoup(scans[:k], kd)
        ss_gospa = mean_gospa(truths[:k], ss_est, GOSPA_C_M)
        print(
            f"{n_targets:>6} {clutter:>5.0f} {name:>12} {k:>5} "
            f"{ours_s * 1e3:>9.2f} {ss_s * 1e3:>10.1f} {ss_s / ours_s:>7.1f}x "
            f"{ours_gospa_k:>9.0f} {ss_gospa:>9.0f} {ours_gospa_all:>9.0f}",
            flush=True,
        )


def scale_check(n_targets=2000, n_radars=10, revisit_s=4.0, sim_s=60.0, seed=1):
    """Targets over a 10-radar network; returns the real-time factor on one core."""
    rng = np.random.default_rng(seed)
    half = 300e3
    start = np.column_stack(
        [rng.uniform(-half, half, (n_targets, 2)), rng.uniform(1e3, 12e3, n_targets)]
    )
    velocity = np.column_stack([rng.normal(0, 150, (n_targets, 2)), np.zeros(n_targets)])
    angle = np.linspace(0, 2 * np.pi, n_radars, endpoint=False)
    radars = np.column_stack([0.6 * half * np.sin(angle), 0.6 * half * np.cos(angle), 0 * angle])
    coverage_m = 320e3
    sigmas = (50.0, np.radians(0.3), np.radians(0.5))
    tracker = GnnTracker(TrackerConfig(process_noise_mps2=5.0, max_misses=3))
    table = tracker.new_table(4096)
    batches = round(sim_s / revisit_s) * n_radars
    warmup = 3 * n_radars
    elapsed = 0.0
    for b in range(batches):
        radar = b % n_radars
        t = b * revisit_s / n_radars
        truth = start + velocity * t
        offset = truth - radars[radar]
        in_view = np.linalg.norm(offset[:, :2], axis=1) < coverage_m
        seen = in_view & (rng.random(n_targets) < 0.9)
        r, az, el = enu_to_spherical(offset[seen])
        noisy = [
            v + s * rng.standard_normal(v.size) for v, s in zip((r, az, el), sigmas, strict=True)
        ]
        clutter_r = rng.uniform(5e3, coverage_m, 10)
        noisy = [
            np.concatenate([noisy[0], clutter_r]),
            np.concatenate([noisy[1], rng.uniform(-np.pi, np.pi, 10)]),
            np.concatenate([noisy[2], np.arctan2(rng.uniform(1e3, 12e3, 10), clutter_r)]),
        ]
        z, R = converted_measurement(*noisy, *sigmas)
        start_cpu = time.process_time()
        gap = table.state[:, :2] - radars[radar, :2]
        expected = table.active & (np.hypot(gap[:, 0], gap[:, 1]) < coverage_m)
        tracker.step(table, t, z + radars[radar], R, expected=expected)
        if b >= warmup:
            elapsed += time.process_time() - start_cpu
    simulated = (batches - warmup) * revisit_s / n_radars
    live = table.active_slots()
    return simulated / elapsed, elapsed, simulated, int(table.confirmed[live].sum()), live.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--clutter", type=float, nargs="+", default=[10, 100])
    parser.add_argument("--scans", type=int, default=100)
    parser.add_argument(
        "--stonesoup-scans",
        type=int,
        default=None,
        help="scans given to Stone Soup (default: all up to 200 targets, 12 above)",
    )
    parser.add_argument("--quick", action="store_true", help="sizes 50 and 200, 30 scans")
    parser.add_argument("--plain", action="store_true", help="also time plain GNNWith2DAssignment")
    parser.add_argument("--no-scale", action="store_true", help="skip the 2,000-track check")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.scans = [s for s in args.sizes if s <= 200] or [50], 30
    print(f"stonesoup {version('stonesoup')}, numpy {np.__version__}; CPU time per scan, 1 thread")
    print(
        f"{'targets':>6} {'FA':>5} {'Stone Soup':>12} {'scans':>5} {'ours ms':>9} "
        f"{'theirs ms':>10} {'ratio':>8} {'GOSPA us':>9} {'GOSPA SS':>9} {'us, all':>9}"
    )
    for n in args.sizes:
        for clutter in args.clutter:
            k = args.stonesoup_scans or (args.scans if n <= 200 else 12)
            compare(n, clutter, args.scans, k, args.plain)
    if not args.no_scale:
        factor, cpu, simulated, confirmed, live = scale_check(sim_s=40.0 if args.quick else 80.0)
        print(
            f"scale: 2000 targets, 10 radars, 4 s revisit: {simulated:.0f} s simulated in "
            f"{cpu:.2f} s CPU = {factor:.1f}x real time (bar 10x); "
            f"{confirmed} confirmed of {live} live tracks"
        )


if __name__ == "__main__":
    main()
