"""Write studies/s400-sees-fighters.yaml (question 1): routes, conditions and variants.

Routes. Head-on: a straight inbound leg on the bearing of the 92N6E's boresight, 400 km
to 5 km from the post. Crossing: a logarithmic spiral about the post, r = r0 exp(-k theta)
with k = tan(30 deg), so the line of sight stays within 30 deg of the aircraft's beam (the
angle between the velocity and the tangent of a log spiral is atan(k)), waypoints every 10
deg of bearing. Its path from r0 to r1 is (r0 - r1) sqrt(1 + k^2) / k = 2 (r0 - r1) long
(arc length of a log spiral), so at 515 kt (265 m/s) a spiral from 400 km takes 45 min: at
10 km and 3 km above ground it starts at 400 km (the battalion sees that far up) and the
run's 40 min end it near 80 km; at 300 m it starts at 150 km and ends at 20 km (16 min),
because a 300 m aircraft is below the battalion's radar horizon until some 65-100 km
(smooth earth, 4/3 radius, 96L6E on its 39 m tower: 4.12 (sqrt(45) + sqrt(300)) = 99 km;
Skolnik, Introduction to Radar Systems, 3rd ed., eq. 8.46) and a spiral from 400 km would
come inside it only in its last minutes. Positions on a sphere of the WGS-84 mean radius
(destination-point formula; the route is notional, its error is metres). Each variant's
``duration_min`` is its route's flight time plus 2 min (at most 40), so no run simulates an
empty sky after the aircraft has landed.

Conditions: the catalog's disputed figures, crossed. RCS: the low, nominal and high ends of
the public ranges (air_platforms.yaml: F-35A 0.001-0.01 m2, nominal 0.0015, S4, S47;
F-16C 1-5 m2, nominal 2, S2, S4) as ``rcs_scale`` multipliers of the whole signature
pattern. Radars: the reference target of the S-400 radars' stated ranges, which no source
gives (S370): 1 m2 (more sensitive radars), the catalog's 4 m2, 10 m2 (less sensitive),
as ``reference_rcs_m2`` overrides of all three radars.

Run: python scripts/q1_routes.py            (writes the study file)
     python scripts/q1_routes.py --check    (exit 1 if the file differs from what it writes)
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

POST = (40.0789, 32.5656)
R_EARTH_M = 6_371_008.8
SPEED_KT = 515
SPEED_MPS = SPEED_KT * 1852.0 / 3600.0
BORESIGHT_DEG = 45.0
K = math.tan(math.radians(30.0))
SCENARIO_MIN = 40.0
RADARS = ("s400/91n6e", "s400/92n6e", "s400/96l6e")
TARGET = Path(__file__).resolve().parents[1] / "studies" / "s400-sees-fighters.yaml"

# (name, description, F-35A scale, F-16C scale): scales of the catalog's nominal RCS.
RCS_LEVELS = (
    ("rcs-low", "low end of the public RCS ranges (F-35A 0.001 m2, F-16C 1 m2)", 0.6667, 0.5),
    ("rcs-nominal", "the catalog's nominal RCS (F-35A 0.0015 m2, F-16C 2 m2)", None, None),
    ("rcs-high", "high end of the public RCS ranges (F-35A 0.01 m2, F-16C 5 m2)", 6.667, 2.5),
)
# (name, description, reference target m2 of the stated ranges; None: the catalog's 4 m2).
RADAR_LEVELS = (
    ("radars-low", "the radars' stated ranges against a 10 m2 target (S370)", 10.0),
    ("radars-nominal", "the catalog's reference target, 4 m2", None),
    ("radars-high", "the radars' stated ranges against a 1 m2 target (S370)", 1.0),
)
# (name, altitude above ground m, aspect, spiral start and end km for crossing routes)
GEOMETRIES = (
    ("head-on-10km", 10000, "head-on", None),
    ("head-on-3km", 3000, "head-on", None),
    ("head-on-300m", 300, "head-on", None),
    ("crossing-10km", 10000, "crossing", (400.0, 40.0)),
    ("crossing-3km", 3000, "crossing", (400.0, 40.0)),
    ("crossing-300m", 300, "crossing", (150.0, 20.0)),
)


def destination(lat_deg: float, lon_deg: float, bearing_deg: float, dist_m: float):
    """Destination point on a sphere (Williams, Aviation Formulary, 'lat/lon given radial
    and distance')."""
    lat1, lon1, b = map(math.radians, (lat_deg, lon_deg, bearing_deg))
    d = dist_m / R_EARTH_M
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


def route(points, alt_m: float) -> str:
    rows = [
        f"{{lat_deg: {lat:.4f}, lon_deg: {lon:.4f}, alt_m: {alt_m:g}, speed_kt: {SPEED_KT}}}"
        for lat, lon in points
    ]
    return "[" + ", ".join(rows) + "]"


def head_on():
    """Waypoints and path length (m) of the head-on leg."""
    return [destination(*POST, BORESIGHT_DEG, r) for r in (400e3, 5e3)], 395e3


def crossing(start_km: float = 400.0, end_km: float = 40.0):
    """Waypoints every 10 deg of the spiral from ``start_km`` until inside ``end_km``, and
    its path length (m)."""
    points, theta, r = [], 0.0, start_km * 1e3
    while r >= end_km * 1e3:
        points.append(destination(*POST, math.degrees(theta), r))
        theta += math.radians(10.0)
        r = start_km * 1e3 * math.exp(-K * theta)
    last = start_km * 1e3 * math.exp(-K * (theta - math.radians(10.0)))
    return points, (start_km * 1e3 - last) * math.sqrt(1.0 + K * K) / K


def duration_min(path_m: float) -> float:
    """Flight time of the route plus 2 min, whole minutes, at most the scenario's 40."""
    return float(min(SCENARIO_MIN, math.ceil(path_m / SPEED_MPS / 60.0) + 2))


def conditions() -> list[str]:
    lines = ["    conditions:"]
    for rcs, rcs_text, f35, f16 in RCS_LEVELS:
        for radar, radar_text, reference in RADAR_LEVELS:
            patches = []
            if f35 is not None:
                patches += [f"catalog.f35a.rcs_scale: {f35}", f"catalog.f16c.rcs_scale: {f16}"]
            if reference is not None:
                patches += [f"catalog.{key}.reference_rcs_m2: {reference}" for key in RADARS]
            lines += [
                f"      - name: {rcs}-{radar}",
                f"        description: {rcs_text[0].upper()}{rcs_text[1:]}; {radar_text}.",
            ]
            if patches:
                lines.append("        patches:")
                lines += [f"          {patch}" for patch in patches]
    return lines


def question(name: str, alt_m: int, aspect: str, spiral) -> list[str]:
    points, length = head_on() if spiral is None else crossing(*spiral)
    where = f"{alt_m / 1000:g} km" if alt_m >= 1000 else f"{alt_m} m"
    lines = [
        f"  - name: q1-{name}",
        f"    title: First own-track range, {aspect}, {where} above ground",
        "    baseline: f35a",
        *conditions(),
        "    variants:",
    ]
    for variant, text in (("f35a", "F-35A."), ("f16c", "F-16C on the same route.")):
        lines += [
            f"      - name: {variant}",
            f"        description: {text}",
            "        patches:",
            f"          duration_min: {duration_min(length):g}",
        ]
        if variant == "f16c":
            lines.append("          air_tracks.subject.type: f16c")
        lines.append(f"          air_tracks.subject.route: {route(points, alt_m)}")
    lines += [
        "    measures:",
        "      - first_own_track_range_km_s400-murted",
        "      - own_tracked_aircraft_s400-murted",
    ]
    return lines


HEADER = """\
# Question 1 of the article: what the S-400 battalion's own radars make of an F-35A and an
# F-16C. Written by scripts/q1_routes.py (edit that, not this file; its docstring derives
# the routes). First own-track range (true range from the post when it first holds a
# confirmed track from its own radars) by altitude above ground (10 km, 3 km, 300 m) and
# aspect (head-on down the 92N6E's boresight; crossing, a spiral within 30 deg of beam),
# each question comparing the two aircraft on the same route under nine conditions, the
# catalog's disputed figures crossed:
#   rcs-low / -nominal / -high      the low end, nominal and high end of the public RCS
#                                   ranges (F-35A 0.001 / 0.0015 / 0.01 m2, F-16C 1 / 2 /
#                                   5 m2) as multipliers of the whole signature pattern
#                                   (catalog/data/air_platforms.yaml: S2, S4, S47)
#   radars-low / -nominal / -high   the target of the S-400 radars' stated ranges, which no
#                                   source gives: 10 / 4 (catalog) / 1 m2 (sources.yaml S370)
# The aspect and band shape of the patterns is the catalog's (notional for the F-35A).
# A first-track range equal to the route's start (400 km; 150 km for the 300 m crossing)
# is censored: the aircraft was tracked as soon as it appeared.
# It is also question 1 of studies/turkey-s400.yaml, which includes it.
#
# replications: 2 (6 questions x 9 conditions x 2 aircraft = 108 variant runs, 216
# replications of about 0.4 s of CPU each, docs/studies.md). For the distributions proper:
# iadsim study studies/s400-sees-fighters.yaml --replications 100 --workers 2
schema_version: 1
name: s400-sees-fighters
description: >-
  First own-track range of an F-35A and an F-16C by the S-400 battalion's own radars, by
  altitude and aspect, over the catalog's disputed radar cross sections and the disputed
  reference target of the radars' stated ranges.
scenario: scenarios/s400-sees-fighters.yaml
seed: 20190712
replications: 2
questions:
"""


def study_text() -> str:
    lines = [HEADER.rstrip("\n")]
    for geometry in GEOMETRIES:
        lines += question(*geometry)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = study_text()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if TARGET.read_text("utf-8") == text else 1)
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
