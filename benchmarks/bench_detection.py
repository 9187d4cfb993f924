"""Benchmark: full target-sensor detection evaluations per second.

One evaluation = SNR from range and RCS by the reference-form radar equation, Swerling 1
single-look Pd, and a uniform draw for the detected flag. The vectorised kernel
(:func:`iadsim.sensors._detection_kernels.detect_swerling1`) runs on 1e6 pairs; the
per-pair Python loop (math module) runs on a smaller sample in the same process, and the
ratio is printed. Also times the general exact :func:`iadsim.sensors.detection.pd` for
Swerling 0 and 3 with 10 pulses, for scale.

Run: ``.venv/bin/python benchmarks/bench_detection.py``
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from iadsim.sensors._detection_kernels import detect_swerling1, detect_swerling1_reference
from iadsim.sensors.detection import pd
from iadsim.sensors.radar_equation import radar_constant_m2, reference_snr_db

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
    """Time the vectorised and the loop paths and print evaluations per second."""
    rng = np.random.default_rng(20240601)
    pfa = 1e-6
    ref_snr = float(reference_snr_db(0.9, pfa, 1, 1))  # 400 km at 3 m^2, Pd 0.9
    constant = float(radar_constant_m2(400e3, 3.0, ref_snr))
    log_pfa = math.log(pfa)

    range_m = rng.uniform(5e3, 600e3, N_PAIRS)
    rcs_m2 = rng.lognormal(0.0, 2.0, N_PAIRS)
    pd_buffer = np.empty(N_PAIRS)
    uniform_buffer = np.empty(N_PAIRS)

    def vectorised() -> None:
        rng.random(out=uniform_buffer)
        detect_swerling1(range_m, rcs_m2, constant, log_pfa, uniform_buffer, pd_out=pd_buffer)

    loop_range = range_m[:N_LOOP].tolist()
    loop_rcs = rcs_m2[:N_LOOP].tolist()

    def per_pair_loop() -> None:
        draws = rng.random(N_LOOP).tolist()
        flags = [False] * N_LOOP
        for i in range(N_LOOP):
            snr = constant * loop_rcs[i] / loop_range[i] ** 4
            flags[i] = draws[i] < math.pow(pfa, 1.0 / (1.0 + snr))

    # Same results on the common sample before timing anything.
    draws = rng.random(N_LOOP)
    fast_flags, fast_pd = detect_swerling1(
        range_m[:N_LOOP], rcs_m2[:N_LOOP], constant, log_pfa, draws
    )
    slow_flags, slow_pd = detect_swerling1_reference(
        range_m[:N_LOOP], rcs_m2[:N_LOOP], constant, pfa, draws
    )
    assert np.allclose(fast_pd, slow_pd, rtol=1e-12, atol=0.0)
    assert np.array_equal(fast_flags, slow_flags) or np.mean(fast_flags != slow_flags) < 1e-4

    vector_s = best_time_s(vectorised)
    loop_s = best_time_s(per_pair_loop, repeats=3)
    vector_rate = N_PAIRS / vector_s
    loop_rate = N_LOOP / loop_s
    print(f"pairs (vectorised)          : {N_PAIRS:,}")
    print(
        f"vectorised numpy, 1 core    : {vector_rate:,.0f} evaluations/s ({vector_s * 1e3:.1f} ms)"
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
