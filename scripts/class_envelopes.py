"""Maximum intercept ground range of every catalog interceptor by target class, from flyouts.

Flies each airframe against the representative aircraft (10 km, 250 m/s), cruise missile
(50 m, 250 m/s) and Iskander-class ballistic flight of :mod:`iadsim.weapons.class_envelope`
and compares the farthest intercept with the sourced limit: the catalog ``max_range_m``
against aircraft and cruise missiles, ``max_range_vs_ballistic_m`` (S261) against ballistic
missiles. Prints a Markdown table; with ``--write FILE`` it also replaces the table between
the ``<!-- class-envelopes -->`` markers of FILE (docs/models/envelopes.md).

Usage: ``python scripts/class_envelopes.py [--write docs/models/envelopes.md]``
"""

from __future__ import annotations

import math
import re
import sys
import time
from pathlib import Path

from iadsim.catalog import load_catalog
from iadsim.weapons.class_envelope import TARGET_CLASSES, class_envelopes

MARK = "<!-- class-envelopes -->"
TOLERANCE = 0.10


def explanation(target_class: str, simulated_m: float, sourced_m: float, altitude_m: float) -> str:
    """Why a simulated range is more than 10 % from its sourced limit ("within 10 %" if not).

    The letters refer to the notes of docs/models/envelopes.md.
    """
    ratio = simulated_m / sourced_m
    if abs(ratio - 1.0) <= TOLERANCE:
        return "within 10 %"
    if target_class == "ballistic_missile" and ratio > 1.0:
        return "kinematic reach beyond the published figure (A): the S261 cap binds"
    if target_class == "ballistic_missile":
        return "energy-limited short of the S-400 system figure (C)"
    if target_class == "cruise_missile" and ratio < 1.0:
        return "energy lost diving to 50 m (B)"
    slant = math.sqrt(max(sourced_m**2 - altitude_m**2, 0.0))
    if abs(simulated_m / slant - 1.0) <= TOLERANCE:
        return f"catalog range is slant: ground {slant / 1000:.1f} km at this height (D)"
    return "unexplained"


def _km(value_m: float) -> str:
    return f"{value_m / 1000:.1f} km" if value_m >= 1000 else f"{value_m:.0f} m"


def rows() -> list[str]:
    catalog = load_catalog()
    table = class_envelopes()
    lines = [
        "| interceptor | target class | max intercept ground range | at altitude | "
        "time of flight | sourced limit | ratio | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (key, target_class), result in table.items():
        entry = catalog.interceptors[key]
        if target_class == "ballistic_missile":
            sourced, what = entry.max_range_vs_ballistic_m, "vs ballistic"
        else:
            sourced, what = entry.max_range_m, "max range"
        simulated = result.max_ground_range_m
        lines.append(
            f"| {key} | {target_class.replace('_', ' ')} | {simulated / 1000:.1f} km | "
            f"{_km(result.altitude_m)} | {result.time_of_flight_s:.0f} s | "
            f"{sourced / 1000:.0f} km ({what}) | {simulated / sourced:.2f} | "
            f"{explanation(target_class, simulated, sourced, result.altitude_m)} |"
        )
    assert {t for _, t in table} == set(TARGET_CLASSES)
    return lines


def main(argv: list[str]) -> None:
    start = time.perf_counter()
    text = "\n".join(rows())
    print(text)
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    if argv[:1] == ["--write"]:
        write_table(Path(argv[1]), text)


def write_table(path: Path, text: str) -> None:
    """Replace what lies between the two markers of ``path`` by ``text``."""
    doc = path.read_text()
    pattern = re.compile(f"{MARK}\n(?:.*?\n)?{MARK}", re.S)
    if not pattern.search(doc):
        raise SystemExit(f"{path}: no pair of {MARK} markers")
    path.write_text(pattern.sub(lambda _: f"{MARK}\n{text}\n{MARK}", doc))


if __name__ == "__main__":
    main(sys.argv[1:])
