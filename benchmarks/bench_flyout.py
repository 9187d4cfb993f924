"""Benchmark: interceptor flyout missile-steps per second, batched against one at a time.

1000 interceptors of the five catalog types fly at once against crossing targets with
:func:`iadsim.weapons.flyout.step` (full model: J2 gravity, earth rotation, standard
atmosphere, RK4, midcourse and terminal PN, fuzing), with the compiled kernel and with its
vectorised NumPy reference twin. The baseline, measured in the same run, is a per-missile
Python loop: one single-slot state per missile, stepped one after the other (what an
object-per-missile simulator does). Also times building one envelope table.

Run: ``.venv/bin/python benchmarks/bench_flyout.py``
"""

from __future__ import annotations

import math
import time

import numpy as np

from iadsim.geo.frames import enu_rotation, enu_to_ecef, lla_to_ecef
from iadsim.weapons.envelope import build_envelope
from iadsim.weapons.flyout import FlyoutOptions, FlyoutState, launch_velocity, load_airframes, step

N_MISSILES = 1000
N_STEPS = 60
N_LOOP_MISSILES = 100
DT_S = 0.05
LAT_RAD, LON_RAD = math.radians(39.9), math.radians(32.8)


def scenario(n: int) -> tuple[FlyoutState, np.ndarray, np.ndarray, list]:
    """``n`` missiles launched toward crossing targets 20-60 km away, and their airframes."""
    rng = np.random.default_rng(0)
    site = lla_to_ecef(LAT_RAD, LON_RAD, 0.0)
    rotation = enu_rotation(LAT_RAD, LON_RAD)
    targets_enu = np.column_stack(
        [rng.uniform(-30e3, 30e3, n), rng.uniform(20e3, 60e3, n), rng.uniform(1e3, 15e3, n)]
    )
    targets = enu_to_ecef(targets_enu, site, rotation)
    velocity = np.einsum(
        "ji,nj->ni",
        rotation,
        np.column_stack([rng.uniform(-250, 250, n), -rng.uniform(0, 300, n), np.zeros(n)]),
    )
    catalog = list(load_airframes().values())
    airframes = [catalog[i % len(catalog)] for i in range(n)]
    state = FlyoutState(n)
    for i, airframe in enumerate(airframes):
        aim = targets[i] + 10e3 * rotation[2]
        state.launch(airframe, site, launch_velocity(site, aim, airframe.launch_speed_mps))
    return state, targets, velocity, airframes


def batched_rate(options: FlyoutOptions) -> float:
    state, targets, velocity, _ = scenario(N_MISSILES)
    step(state, targets, velocity, True, DT_S, options=options)  # compile / warm up
    started = time.perf_counter()
    for _ in range(N_STEPS):
        step(state, targets, velocity, True, DT_S, options=options)
        targets = targets + velocity * DT_S
    return N_MISSILES * N_STEPS / (time.perf_counter() - started)


def loop_rate(options: FlyoutOptions) -> float:
    state, targets, velocity, airframes = scenario(N_LOOP_MISSILES)
    singles = []
    for i, airframe in enumerate(airframes):
        single = FlyoutState(1)
        single.launch(airframe, state.pos_ecef_m[i], state.vel_ecef_mps[i])
        singles.append(single)
    step(singles[0], targets[0], velocity[0], True, DT_S, options=options)  # warm up
    started = time.perf_counter()
    for _ in range(N_STEPS):
        for i, single in enumerate(singles):
            step(single, targets[i], velocity[i], True, DT_S, options=options)
        targets = targets + velocity * DT_S
    return N_LOOP_MISSILES * N_STEPS / (time.perf_counter() - started)


def main() -> None:
    compiled = FlyoutOptions(backend="compiled")
    reference = FlyoutOptions(backend="reference")
    loop = loop_rate(compiled)
    print(f"per-missile Python loop ({N_LOOP_MISSILES} missiles): {loop:12,.0f} missile-steps/s")
    for name, options in (("compiled kernel", compiled), ("NumPy reference", reference)):
        rate = batched_rate(options)
        print(
            f"batched {N_MISSILES} missiles, {name}: {rate:12,.0f} missile-steps/s"
            f"  ({rate / loop:6.1f}x the loop)"
        )
    airframe = load_airframes()["s400/48n6e3"]
    started = time.perf_counter()
    table = build_envelope(airframe, np.linspace(10e3, 300e3, 30), dt_s=0.1)
    print(
        f"envelope table 48N6E3, {table.time_of_flight_grid_s.size} grid points: "
        f"{time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
