"""Check the bundled scenarios for ghost tracks: below the terrain, or coasting for long.

Runs each bundled scenario in process and, after every step, reads every post's own track
table (not the fused picture: remote tracks are the link's business). For each live
confirmed track it measures

- the coast, ``t - last_update_s``: time since a detection was last associated (s), also
  in revisits of the slowest radar of the post;
- the height above the terrain, ``alt - h_terrain`` (m; records more than 0.1 m below
  the terrain are counted), with ``alt`` the track's
  ellipsoidal height and ``h_terrain`` the run's terrain (sea level where there is none),
  and the same in standard deviations of the track's vertical position.

It prints the worst cases per scenario and exits 1 when a track coasts for more than
``--max-revisits`` revisits or lies below the terrain by more than ``--max-sigmas`` vertical
standard deviations plus ``--tolerance-m``, or, with ``--max-depth-m``, deeper than that at
all. Usage::

    PYTHONPATH=src python scripts/check_ghost_tracks.py [scenario names...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from iadsim.engine.simulation import Simulation
from iadsim.geo.frames import ecef_to_lla
from iadsim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
UNDER_M = 0.1
"""Depth under the terrain (m) from which a record counts as below it (round-off aside)."""
BUNDLED = ("turkey-s400-ankara", "turkey-patriot-ankara", "turkey-s400-ankara-corridor")


def worst_tracks(name: str, tolerance_m: float, sigmas: float) -> dict:
    """Worst coast (s, revisits), lowest track (m above terrain) and the most a track lies
    below ``terrain - tolerance_m - sigmas * sigma_up`` (m, <= 0 when none does)."""
    scenario, catalog = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    simulation = Simulation(scenario, catalog)
    worst = {
        "coast_s": 0.0,
        "coast_revisits": 0.0,
        "agl_m": np.inf,
        "agl_up_std_m": np.nan,
        "agl_at": "",
        "excess_m": -np.inf,
        "under_records": 0,
        "records": 0,
    }

    def inspect(after_s: float) -> None:
        t = after_s - scenario.time_step_s  # the step just run
        for unit in simulation.units:
            picture = unit.picture
            slots = picture.confirmed_slots()
            if slots.size == 0:
                continue
            revisit_s = max(simulation.radars[r].revisit_s for r in unit.radars)
            coast = t - picture.table.last_update_s[slots]
            worst["coast_s"] = max(worst["coast_s"], float(coast.max()))
            worst["coast_revisits"] = max(worst["coast_revisits"], float(coast.max() / revisit_s))
            lat, lon, alt = ecef_to_lla(picture.positions_ecef_m(slots))
            agl = alt - simulation.terrain.surface_height_m(lat, lon)
            worst["records"] += int(agl.size)
            worst["under_records"] += int(np.count_nonzero(agl < -UNDER_M))
            up_std = np.sqrt(picture.table.covariance[slots, 2, 2])
            lowest = int(np.argmin(agl))
            if agl[lowest] < worst["agl_m"]:
                worst["agl_m"], worst["agl_up_std_m"] = float(agl[lowest]), float(up_std[lowest])
                truth = picture.column("truth")[slots[lowest]]
                worst["agl_at"] = (
                    f"{unit.name} track {picture.table.track_id[slots[lowest]]} at {t:.0f} s "
                    f"({simulation.entities.name[truth] if truth >= 0 else 'false alarm'})"
                )
            # Below the terrain by more than the tolerance plus k vertical sigmas (the
            # post's vertical: within 200 km it differs from the local one by < 2 deg).
            depth = -(agl + tolerance_m + sigmas * up_std)
            worst["excess_m"] = max(worst["excess_m"], float(depth.max()))

    simulation.run(inspect)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=BUNDLED)
    parser.add_argument("--max-revisits", type=float, default=4.0)
    parser.add_argument("--max-sigmas", type=float, default=3.0)
    parser.add_argument("--tolerance-m", type=float, default=150.0)
    parser.add_argument(
        "--max-depth-m",
        type=float,
        default=None,
        help="also fail when a track lies deeper than this under the terrain (m), "
        "whatever its spread (the terrain constraint of iadsim.tracking.terrain_constraint)",
    )
    args = parser.parse_args()
    failed = False
    for name in args.names:
        worst = worst_tracks(name, args.tolerance_m, args.max_sigmas)
        print(
            f"{name}: worst coast {worst['coast_s']:.0f} s ({worst['coast_revisits']:.1f} "
            f"revisits); lowest track {worst['agl_m']:.0f} m above terrain, sigma_up "
            f"{worst['agl_up_std_m']:.0f} m, {worst['agl_at']}; deepest beyond tolerance "
            f"+ {args.max_sigmas:g} sigma: {max(worst['excess_m'], 0.0):.0f} m; "
            f"{worst['under_records']} of {worst['records']} confirmed-track records "
            f"(post, step, track) more than {UNDER_M:g} m below the terrain"
        )
        failed |= worst["coast_revisits"] > args.max_revisits
        failed |= worst["excess_m"] > 0.0
        if args.max_depth_m is not None:
            failed |= worst["agl_m"] < -args.max_depth_m
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
