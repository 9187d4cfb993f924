"""Benchmark: full target-sensor detection evaluations per second, through the engine's chain.

One evaluation = SNR of one radar-target path by :mod:`iadsim.sensors.chain` (radar
equation in reference form plus the radar's signal effects: clear-air attenuation by range
and elevation), single-look Pd for the target's Swerling case, and a uniform draw for the
detected flag: what :meth:`iadsim.sensors.radar.Radar.detect` and the coverage maps run.
The chain runs on 1e6 paths; a per-pair Python loop (math module, radar equation and
Swerling 1 only) runs on a smaller sample in the same process, and the ratio is printed.
Also times the general exact :func:`iadsim.sensors.detection.pd` for Swerling 0 and 3 with
10 pulses, for scale.

Run: ``.venv/bin/python benchmarks/bench_detection.py``
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.sensors import chain
from iadsim.sensors.detection import pd
from iadsim.sensors.radar import Radar

N_PAIRS = 1_000_000
N_LOOP = 50_000
REPEATS = 7


def best_time_s(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """Smallest wall time of several runs (least disturbed by other processes)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time the chain and the loop and print evaluations per second."""
    rng = np.random.default_rng(20240601)
    spec = load_catalog().radars["s400/91n6e"]
    radar = Radar(0, "bench", spec, math.radians(39.9), math.radians(32.8), 1000.0)
    pfa = spec.reference_pfa

    aer = np.stack(
        [
            rng.uniform(0.0, 2.0 * np.pi, N_PAIRS),
            np.radians(rng.uniform(0.0, 30.0, N_PAIRS)),
            rng.uniform(5e3, 600e3, N_PAIRS),
        ],
        axis=-1,
    )
    rcs_m2 = rng.lognormal(0.0, 2.0, N_PAIRS)
    swerling = np.ones(N_PAIRS, dtype=np.int64)
    target_pos = chain.paths_from_aer(radar, aer).target_pos_ecef_m

    def vectorised() -> np.ndarray:
        paths = chain.paths_from_aer(radar, aer, target_pos)
        snr = chain.snr_db(radar, paths, rcs_m2)
        return rng.random(N_PAIRS) < chain.detection_probability(radar, snr, swerling)

    # The loop: the radar equation alone (C sigma / R^4) and the Swerling 1 closed form.
    constant = 10.0 ** (radar.reference_snr_db / 10.0) * spec.detection_range_m**4
    constant /= spec.reference_rcs_m2
    loop_range = aer[:N_LOOP, 2].tolist()
    loop_rcs = rcs_m2[:N_LOOP].tolist()

    def per_pair_loop() -> None:
        draws = rng.random(N_LOOP).tolist()
        flags = [False] * N_LOOP
        for i in range(N_LOOP):
            snr = constant * loop_rcs[i] / loop_range[i] ** 4
            flags[i] = draws[i] < math.pow(pfa, 1.0 / (1.0 + snr))

    # The chain without signal effects is the loop's radar equation: same Pd before timing.
    bare = Radar(0, "bench", spec, radar.lat_rad, radar.lon_rad, radar.alt_m, signal_effects=())
    sample = chain.paths_from_aer(bare, aer[:N_LOOP], target_pos[:N_LOOP])
    chain_pd = chain.detection_probability(bare, chain.snr_db(bare, sample, rcs_m2[:N_LOOP]), 1)
    snr_loop = constant * rcs_m2[:N_LOOP] / aer[:N_LOOP, 2] ** 4
    assert np.allclose(chain_pd, pfa ** (1.0 / (1.0 + snr_loop)), rtol=1e-9, atol=0.0)

    vector_s = best_time_s(vectorised)
    loop_s = best_time_s(per_pair_loop, repeats=3)
    vector_rate = N_PAIRS / vector_s
    loop_rate = N_LOOP / loop_s
    print(f"paths (sensor chain)        : {N_PAIRS:,}")
    print(
        f"sensor chain, 1 core        : {vector_rate:,.0f} evaluations/s ({vector_s * 1e3:.1f} ms)"
    )
    print(f"per-pair Python loop (math) : {loop_rate:,.0f} evaluations/s (on {N_LOOP:,} pairs)")
    print(f"speed-up                    : {vector_rate / loop_rate:,.1f}x")
    print(f"target >= 5e6/s             : {'met' if vector_rate >= 5e6 else 'NOT met'}")

    snr_db = rng.uniform(-5.0, 25.0, 100_000)
    for case in (0, 1, 3, 4):
        seconds = best_time_s(lambda case=case: pd(snr_db, pfa, 10, case), repeats=3)
        print(f"exact pd(), Swerling {case}, N=10 : {snr_db.size / seconds:,.0f} evaluations/s")


if __name__ == "__main__":
    main()
