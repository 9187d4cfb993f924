"""End-game Monte Carlo of one interceptor against one catalog target, many missiles at once.

The full flyout (airframe, loft, drag, load limit, autopilot lag) with the seeker's angle
noise and glint (:data:`~iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE` of the target's
``size_m``) and its RCS-scaled lock-on, against the target flying level inbound onto the
launcher (50 m for cruise missiles and drones, 10 km otherwise, at its catalog top speed),
launched when it is 15-60 km out. Prints the homing misses' p50/p90 and per-axis rms beside
the adjoint budget of ``scripts/miss_budget.py`` against the same target: many more
intercepts than bundled runs give, to tell a small-sample median from the end-game's own.

Usage: ``python scripts/endgame_mc.py INTERCEPTOR TARGET [COUNT] [SEED]``, e.g.
``python scripts/endgame_mc.py patriot/pac2_gem_t kalibr 200``.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.weapons.class_envelope import SITE_LAT_DEG, SITE_LON_DEG, level_inbound_path
from iadsim.weapons.flyout import (
    EndReason,
    FlyoutState,
    load_airframes,
    lofted_launch_velocity,
    step,
)
from iadsim.weapons.guidance import predicted_intercept_point
from iadsim.weapons.lethality import CLASS_OF_CATEGORY
from iadsim.weapons.seeker import GLINT_FRACTION_OF_SIZE

DT_S = 0.1


def homing_misses(interceptor: str, target: str, count: int, seed: int) -> np.ndarray:
    """Miss distances of the homing intercepts, m."""
    airframe = load_airframes()[interceptor]
    platform = load_catalog().air_platforms[target]
    target_class = CLASS_OF_CATEGORY[platform.category]
    if target_class == "ballistic_missile":
        raise SystemExit(f"{target}: level flight only (aircraft, cruise missiles, drones)")
    low = target_class == "cruise_missile"
    path = level_inbound_path(70_000.0, 50.0 if low else 10_000.0, platform.max_speed_m_s)
    rng = np.random.default_rng(seed)
    start = (70_000.0 - np.array([60_000.0, 15_000.0])) / platform.max_speed_m_s
    launch_s = rng.uniform(start[0], start[1], count)
    lat, lon = math.radians(SITE_LAT_DEG), math.radians(SITE_LON_DEG)
    site = lla_to_ecef(lat, lon, 0.0)
    pos, vel = path.state_at(launch_s)
    aim, _, _ = predicted_intercept_point(
        pos, vel, np.broadcast_to(site, (count, 3)), airframe.mean_speed_mps
    )
    state = FlyoutState(count)
    state.launch(
        airframe, site, lofted_launch_velocity(site, enu_rotation(lat, lon), aim, airframe)
    )
    miss = np.full(count, np.nan)
    homing = np.zeros(count, dtype=bool)
    glint = GLINT_FRACTION_OF_SIZE * platform.size_m
    rcs = platform.rcs_m2 * platform.rcs_scale
    for k in range(math.ceil(airframe.max_flight_time_s / DT_S) + 1):
        if not state.active.any():
            break
        pos, vel = path.state_at(launch_s + k * DT_S)
        events = step(state, pos, vel, True, DT_S, target_rcs_m2=rcs, glint_m=glint, seeker_rng=rng)
        closest = events.reason == EndReason.CLOSEST_APPROACH
        miss[events.slot[closest]] = events.miss_distance_m[closest]
        homing[events.slot[closest]] = events.homing[closest]
    return miss[homing & np.isfinite(miss)]


def main(argv: list[str]) -> None:
    from miss_budget import budget  # scripts/ is on the path when run as a script

    interceptor, target = argv[0], argv[1]
    count = int(argv[2]) if len(argv) > 2 else 200
    seed = int(argv[3]) if len(argv) > 3 else 1
    misses = homing_misses(interceptor, target, count, seed)
    category = load_catalog().air_platforms[target].category
    sigma, p50, p90 = budget(interceptor, CLASS_OF_CATEGORY[category], target)
    q50, q90 = np.percentile(misses, [50, 90])
    # per-axis rms (two axes normal to the LOS) and its standard error 1 / sqrt(4 n)
    rms = float(np.sqrt(np.mean(misses**2) / 2.0))
    print(
        f"{interceptor} vs {target}: n {misses.size} of {count}, p50 {q50:.2f} m, "
        f"p90 {q90:.2f} m, per-axis rms {rms:.3f} m +- {rms / np.sqrt(4 * misses.size):.3f} "
        f"(adjoint against {target}: p50 {p50:.2f} m, p90 {p90:.2f} m, sigma {sigma:.3f} m)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
