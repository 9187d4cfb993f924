"""First-detection ranges of the F-35A and F-16C by the S-400's own radars, and the search
frame times of the 92N6E and MPQ-65, each beside its hand calculation (issue 13).

**Hand calculation of R50.** The catalog states each radar's sensitivity as a range
``R_ref`` at which a Swerling 1 target of mean RCS ``sigma_ref`` is detected with
``Pd_ref = 0.5`` in one look. By the radar equation (Skolnik, *Introduction to Radar
Systems*, 3rd ed., 2001, eq. 2.1) the SNR goes as ``sigma / R^4``, so the range at which
a target of mean RCS ``sigma`` has the same single-look Pd of 0.5 is::

    R50 = R_ref (sigma / sigma_ref)^(1/4)

``sigma`` is the target's nose-on mean RCS in the radar's band, read from the catalog's
signature entry: ``anchor x 10^(band_offset_db / 10)``, the band offset interpolated
linearly in ``ln f`` between the table's bands (the convention of ``signatures.yaml``); the
aspect lobes add nothing nose-on (each lies 34 deg or more off the nose, a few degrees
wide). R50 ignores the smooth-earth horizon, which is printed beside it (4/3 earth,
``sqrt(2 k a h_radar) + sqrt(2 k a h_target)`` with heights above the site's ground), and
the terrain, whose effect is printed too: the range from which the straight ray from the
radar to the route clears the run's terrain for good.

**Cumulative R50.** A first detection is the first success of many looks, each with the
single-look Pd of its range; the range at which the chance of at least one success reaches
0.5 (one independent Swerling 1 draw per revisit along the route, :func:`cumulative_r50_m`)
is the hand figure to set beside the simulated median.

**Simulation.** A head-on route per aircraft type: the S-400 post of the bundled scenario
(91N6E, 92N6E facing 45 deg on its 25 m mast, 96L6E on its 39 m mast, at Murted), and one
aircraft of each type flying straight at it from 450 km at 10,000 m and 480 kt, the F-35A
on a bearing of 40 deg and the F-16C on 50 deg (inside the 92N6E's 90 deg sector). The
first detection of each aircraft by each radar (``first_detection`` events) is taken over
several seeds. A first detection comes before R50 is reached whenever one of the earlier
looks, each with a lower Pd, happens to succeed: the cumulative probability over many looks
passes 0.5 well outside R50.

**Frame times.** Beam positions times dwell (:mod:`iadsim.sensors.timeline`): rows of one
beamwidth from the lowest elevation up, ``N_az = 2 sin(A/2) / theta`` positions per row,
a dwell of ``n`` pulses of ``2 R_row / c`` with ``R_row`` the range at which a target at the
search ceiling crosses the row (4/3 earth), capped at the radar's maximum range; beside it
the simulated radar's ``revisit_s`` and the crude count with every dwell at full range.

Usage::

    PYTHONPATH=src python scripts/first_detection_ranges.py [--seeds 5] [--no-sim]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "iadsim" / "catalog" / "data"
SPEED_OF_LIGHT_MPS = 299_792_458.0
K_EARTH_RADIUS_M = 4.0 / 3.0 * 6_378_137.0
"""4/3 of the WGS-84 equatorial radius: the standard effective-earth radius, m."""

S400_RADARS = ("s400/91n6e", "s400/96l6e", "s400/92n6e")
AIRCRAFT = ("f35a", "f16c")
FRAME_RADARS = ("s400/92n6e", "patriot/mpq65")

SITE = {"lat_deg": 40.0789, "lon_deg": 32.5656, "alt_m": 856.0}  # Murted, as bundled
MASTS_M = {"s400/91n6e": None, "s400/92n6e": 25.0, "s400/96l6e": 39.0}
ROUTE_ALT_M = 10_000.0
ROUTE_START_KM = 450.0
ROUTE_END_KM = 20.0
SPEED_KT = 480.0
BEARINGS_DEG = {"f35a": 40.0, "f16c": 50.0}


def _yaml(name: str) -> dict:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def nose_on_rcs_m2(target: str, frequency_hz: float, signatures: dict | None = None) -> float:
    """Mean nose-on RCS of a catalog target at a frequency, m², from ``signatures.yaml``:
    anchor times the band offset, interpolated linearly in ``ln f`` and clamped at the
    table's first and last bands."""
    signatures = signatures if signatures is not None else _yaml("signatures.yaml")
    entry = signatures["targets"][target]
    bands = sorted(signatures["bands"], key=lambda band: band["freq_hz"])
    offsets = entry["pattern"]["band_offset_db"]
    log_f = [math.log(band["freq_hz"]) for band in bands]
    values = [float(offsets[band["name"]]) for band in bands]
    offset_db = float(np.interp(math.log(frequency_hz), log_f, values))
    return float(entry["anchor"]["rcs_m2"]) * 10.0 ** (offset_db / 10.0)


def r50_m(reference_range_m: float, reference_rcs_m2: float, rcs_m2: float) -> float:
    """Range of single-look Pd = Pd_ref for a target of mean RCS ``rcs_m2``, m:
    ``R_ref (sigma / sigma_ref)^(1/4)``."""
    return reference_range_m * (rcs_m2 / reference_rcs_m2) ** 0.25


def cumulative_r50_m(
    reference_range_m: float,
    reference_rcs_m2: float,
    rcs_m2: float,
    pfa: float,
    revisit_s: float,
    start_m: float = ROUTE_START_KM * 1e3,
    speed_mps: float = SPEED_KT * 1852.0 / 3600.0,
) -> float:
    """Range at which the chance of at least one detection reaches 0.5 on a head-on route,
    m: one look per revisit from ``start_m`` inwards, each an independent Swerling 1 draw
    (scan-to-scan fluctuation) with ``Pd = Pfa^(1/(1+SNR))`` (Richards 2014, eq. 6.54) and
    ``SNR = SNR_ref (sigma / sigma_ref) (R_ref / R)^4``; ``1 - prod(1 - Pd_k) >= 0.5``.
    Ignores the horizon and the terrain, like R50; NaN if never reached."""
    snr_ref = math.log(pfa) / math.log(0.5) - 1.0
    ranges = np.arange(start_m, 0.0, -speed_mps * revisit_s)
    snr = snr_ref * rcs_m2 / reference_rcs_m2 * (reference_range_m / ranges) ** 4
    missed = np.cumprod(1.0 - pfa ** (1.0 / (1.0 + snr)))
    reached = np.flatnonzero(missed <= 0.5)
    return float(ranges[reached[0]]) if reached.size else float("nan")


def horizon_m(antenna_agl_m: float, target_agl_m: float) -> float:
    """Smooth 4/3-earth radar horizon, m: ``sqrt(2 k a h_r) + sqrt(2 k a h_t)``."""
    return math.sqrt(2.0 * K_EARTH_RADIUS_M * antenna_agl_m) + math.sqrt(
        2.0 * K_EARTH_RADIUS_M * target_agl_m
    )


def hand_r50_table(radars: dict | None = None, signatures: dict | None = None) -> list[dict]:
    """R50 of every S-400 radar against every aircraft type, by hand (module notes)."""
    radars = radars if radars is not None else _yaml("radars.yaml")["radars"]
    rows = []
    for key in S400_RADARS:
        spec = radars[key]
        if float(spec["reference_pd"]) != 0.5:
            msg = f"{key}: reference_pd {spec['reference_pd']} is not 0.5; R50 needs the Pd law"
            raise ValueError(msg)
        antenna_agl = MASTS_M[key] if MASTS_M[key] is not None else spec["antenna_height_m"]
        revisit_s = (
            hand_frame_s(spec)["frame_s"]
            if spec["scan_mode"] == "electronic"
            else float(spec["revisit_s"])
        )
        for target in AIRCRAFT:
            rcs = nose_on_rcs_m2(target, float(spec["frequency_hz"]), signatures)
            rows.append(
                {
                    "radar": key,
                    "target": target,
                    "frequency_ghz": float(spec["frequency_hz"]) / 1e9,
                    "rcs_m2": rcs,
                    "r50_km": r50_m(
                        float(spec["detection_range_m"]), float(spec["reference_rcs_m2"]), rcs
                    )
                    / 1e3,
                    "revisit_s": revisit_s,
                    "cumulative_r50_km": cumulative_r50_m(
                        float(spec["detection_range_m"]),
                        float(spec["reference_rcs_m2"]),
                        rcs,
                        float(spec["reference_pfa"]),
                        revisit_s,
                    )
                    / 1e3,
                    "max_range_km": float(spec["max_range_m"]) / 1e3,
                    "horizon_km": horizon_m(float(antenna_agl), ROUTE_ALT_M - SITE["alt_m"]) / 1e3,
                }
            )
    return rows


def hand_frame_s(spec: dict) -> dict:
    """Search frame of an electronically scanned radar by hand (module notes), s."""
    beam = math.radians(float(spec["beamwidth_deg"]))
    low, high = float(spec["min_elevation_deg"]), float(spec["max_elevation_deg"])
    n_rows = math.ceil(round((high - low) / float(spec["beamwidth_deg"]), 9))
    half_sector = math.radians(min(float(spec["azimuth_coverage_deg"]), 360.0)) / 2.0
    positions = 2.0 * math.sin(min(half_sector, math.pi / 2.0)) / beam
    if half_sector > math.pi / 2.0:  # not used by the two sector radars here
        positions = 2.0 * math.pi / beam
    ceiling = float(spec["search_ceiling_m"])
    max_range = float(spec["max_range_m"])
    pulses = int(spec.get("search_pulses", 1))
    dwells = []
    for row in range(n_rows):
        s = math.sin(math.radians(low + row * float(spec["beamwidth_deg"])))
        reach = K_EARTH_RADIUS_M * (math.sqrt(s * s + 2.0 * ceiling / K_EARTH_RADIUS_M) - s)
        dwells.append(pulses * 2.0 * min(max_range, reach) / SPEED_OF_LIGHT_MPS)
    full_dwell = pulses * 2.0 * max_range / SPEED_OF_LIGHT_MPS
    return {
        "rows": n_rows,
        "positions_per_row": positions,
        "beam_positions": n_rows * positions,
        "lowest_dwell_ms": dwells[0] * 1e3,
        "frame_s": positions * sum(dwells),
        "frame_all_full_range_s": n_rows * positions * full_dwell,
    }


def _destination(lat_deg: float, lon_deg: float, bearing_deg: float, distance_m: float):
    """Great-circle destination on a sphere of the mean radius (deg, deg)."""
    radius = 6_371_008.8
    lat, lon, b = map(math.radians, (lat_deg, lon_deg, bearing_deg))
    d = distance_m / radius
    lat2 = math.asin(math.sin(lat) * math.cos(d) + math.cos(lat) * math.sin(d) * math.cos(b))
    lon2 = lon + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat), math.cos(d) - math.sin(lat) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


def head_on_scenario(seed: int) -> dict:
    """The head-on scenario document (module notes)."""
    tracks = []
    for target in AIRCRAFT:
        start = _destination(SITE["lat_deg"], SITE["lon_deg"], BEARINGS_DEG[target],
                             ROUTE_START_KM * 1e3)  # fmt: skip
        end = _destination(SITE["lat_deg"], SITE["lon_deg"], BEARINGS_DEG[target],
                           ROUTE_END_KM * 1e3)  # fmt: skip
        tracks.append(
            {
                "name": f"{target}-head-on",
                "side": "red",
                "type": target,
                "start_s": 0,
                "route": [
                    {"lat_deg": p[0], "lon_deg": p[1], "alt_m": ROUTE_ALT_M, "speed_kt": SPEED_KT}
                    for p in (start, end)
                ],
            }
        )
    duration_s = (ROUTE_START_KM - ROUTE_END_KM) * 1e3 / (SPEED_KT * 1852.0 / 3600.0)
    return {
        "schema_version": 1,
        "name": "first-detection-head-on",
        "description": "S-400 radars of the bundled post against head-on F-35A and F-16C.",
        "start_time": "2026-06-01T05:00:00Z",
        "duration_min": math.ceil(duration_s / 60.0),
        "time_step_s": 1.0,
        "record_interval_s": 60.0,
        "seed": seed,
        "sides": {
            "turkey": {"iff_modes": [], "hostile_to": ["red"]},
            "red": {"iff_modes": [], "hostile_to": ["turkey"]},
        },
        "fire_units": [
            {
                "name": "s400-murted",
                "side": "turkey",
                "command_post": "s400/55k6e",
                "position": dict(SITE),
                "on_datalink": False,
                "radars": [
                    {"type": "s400/91n6e"},
                    {"type": "s400/92n6e", "facing_deg": 45, "mast_m": 25},
                    {"type": "s400/96l6e", "mast_m": 39},
                ],
            }
        ],
        "air_tracks": tracks,
    }


def terrain_clear_from_km(simulation, step_km: float = 1.0) -> dict[tuple[str, str], float]:
    """Range (km) from which the straight 4/3-earth ray from each radar to each head-on
    route at 10,000 m clears the run's terrain for good (NaN: never inside 450 km)."""
    from iadsim.geo.line_of_sight import terrain_clearance_m

    ranges_km = np.arange(ROUTE_START_KM, ROUTE_END_KM, -step_km)
    found = {}
    for radar in simulation.radars:
        key = next(k for k in S400_RADARS if k in radar.name)
        for target in AIRCRAFT:
            points = [
                _destination(SITE["lat_deg"], SITE["lon_deg"], BEARINGS_DEG[target], r * 1e3)
                for r in ranges_km
            ]
            lat, lon = np.radians(np.array(points)).T
            clearance = terrain_clearance_m(
                radar.lat_rad, radar.lon_rad, radar.alt_m, lat, lon,
                np.full(lat.size, ROUTE_ALT_M), simulation.terrain, radar.k_factor,
            )  # fmt: skip
            masked = np.flatnonzero(clearance <= 0.0)
            last = masked.max() if masked.size else -1
            found[key, target] = float(ranges_km[last + 1]) if last + 1 < ranges_km.size else np.nan
    return found


def simulated_first_detections(
    seeds: list[int],
) -> tuple[dict[tuple[str, str], list[float]], dict[tuple[str, str], float]]:
    """First-detection range (km) of each aircraft by each S-400 radar, per seed; and
    :func:`terrain_clear_from_km` of the runs' terrain."""
    import json

    from iadsim.engine.simulation import Simulation
    from iadsim.scenario.loader import load_scenario

    found: dict[tuple[str, str], list[float]] = {}
    clear: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            path = Path(folder) / f"head-on-{seed}.yaml"
            path.write_text(yaml.safe_dump(head_on_scenario(seed)), encoding="utf-8")
            scenario, catalog = load_scenario(path)
            simulation = Simulation(scenario, catalog)
            if not clear:
                clear = terrain_clear_from_km(simulation)
            recorder = simulation.run()
            events = recorder.events
            for k, kind in enumerate(events["kind"]):
                if kind != "first_detection":
                    continue
                detail = json.loads(events["detail"][k])
                radar = next(key for key in S400_RADARS if key in detail["radar"])
                target = next(t for t in AIRCRAFT if events["truth"][k].startswith(t))
                found.setdefault((radar, target), []).append(float(detail["range_km"]))
    return found, clear


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="runs per route (seeds 1..N)")
    parser.add_argument("--no-sim", action="store_true", help="hand calculations only")
    args = parser.parse_args()
    radars = _yaml("radars.yaml")["radars"]

    simulated, clear = (
        ({}, {}) if args.no_sim else simulated_first_detections(list(range(1, args.seeds + 1)))
    )
    print("First detection, head-on at 10,000 m, 480 kt (nose-on mean RCS in the radar's band)")
    print(
        "radar        target  f GHz  sigma m2   R50 hand km  cum. R50 km  horizon km  max km  "
        "terrain-clear from km  simulated first detection km (median [min-max] over seeds)"
    )
    for row in hand_r50_table(radars):
        ranges = simulated.get((row["radar"], row["target"]), [])
        sim = (
            f"{np.median(ranges):6.1f} [{min(ranges):.1f}-{max(ranges):.1f}] n={len(ranges)}"
            if ranges
            else ("(not run)" if args.no_sim else "none")
        )
        print(
            f"{row['radar']:12s} {row['target']:6s} {row['frequency_ghz']:5.1f}  "
            f"{row['rcs_m2']:8.4f}  {row['r50_km']:11.1f}  {row['cumulative_r50_km']:11.1f}  "
            f"{row['horizon_km']:10.1f}  "
            f"{row['max_range_km']:6.0f}  "
            f"{clear.get((row['radar'], row['target']), np.nan):21.0f}  {sim}"
        )
    print()
    print("Search frame time: beam positions x dwell (hand) and the simulated radar's")
    print("radar          rows x positions = beams   lowest dwell ms  frame hand s  "
          "frame sim s  all dwells at max range s")  # fmt: skip
    from iadsim.catalog.loader import load_catalog
    from iadsim.sensors.radar import Radar

    catalog = load_catalog()
    for key in FRAME_RADARS:
        hand = hand_frame_s(radars[key])
        simulated_frame = Radar(0, key, catalog.radars[key], 0.7, 0.57, 900.0).revisit_s
        print(
            f"{key:14s} {hand['rows']:4d} x {hand['positions_per_row']:6.1f} = "
            f"{hand['beam_positions']:7.0f}  {hand['lowest_dwell_ms']:15.2f}  "
            f"{hand['frame_s']:12.2f}  {simulated_frame:11.2f}  "
            f"{hand['frame_all_full_range_s']:24.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
