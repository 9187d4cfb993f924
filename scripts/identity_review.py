"""Identity review of a bundled scenario: which allied aircraft a post held suspect or
hostile, by which rule, and how the fratricide result moves with the weapon control status
and the allied jets' IFF modes (issue 13).

For each variant (the first fire unit's ``weapon_control`` free or tight; the ``nato``
side's jets answering Mode 5 only, or Mode 5 and Mode 3/C) the scenario is edited as a user
would edit it, run with ``iadsim run`` at its own seed, and read back:

- every ``identity`` event of the first fire unit on an allied aircraft (side neither
  ``red`` nor ``civil``) whose new identity is suspect or hostile, with the rule that
  decided it (``detail.reason``, :class:`iadsim.c2.picture.identification.IdentityReason`),
  summarised per aircraft as the first time and the rules seen;
- ``totals.allied_engaged`` and ``totals.friendly_lost_to_own_fire`` of ``summary.json``,
  and the threats killed.

It exits 1 if any allied aircraft is ever declared hostile by a kinematic or profile rule
(:data:`KINEMATIC_OR_PROFILE`) rather than by an identification authority's declaration.
Usage::

    PYTHONPATH=src python scripts/identity_review.py [--scenario turkey-s400-ankara]
        [--variants free:mode5 free:mode3c tight:mode5 tight:mode3c] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("free:mode5", "free:mode3c", "tight:mode5", "tight:mode3c")
KINEMATIC_OR_PROFILE = frozenset(
    {"ballistic_trajectory", "high_speed", "inbound", "no_criteria", "not_interrogated"}
)
"""Rules that read only a track's kinematics or profile (or the absence of evidence): under
STANAG 1241 none of them alone may make an allied aircraft hostile."""


def run_variant(scenario: str, variant: str, folder: Path) -> Path:
    """Run the scenario edited for ``variant`` (``WEAPON_CONTROL:mode5|mode3c``) into a run
    folder under ``folder``; returns the run folder."""
    weapon_control, modes = variant.split(":")
    document = yaml.safe_load((ROOT / "scenarios" / f"{scenario}.yaml").read_text("utf-8"))
    document["fire_units"][0]["weapon_control"] = weapon_control
    document["sides"]["nato"]["iff_modes"] = ["mode5", "mode3c"] if modes == "mode3c" else ["mode5"]
    name = f"{scenario}-{weapon_control}-{modes}"
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    out = folder / name
    command = [sys.executable, "-m", "iadsim", "run", str(path), "--out", str(out), "--no-map",
               "--no-looks"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, env=dict(os.environ), cwd=ROOT)
    return out


def review(run_folder: Path, unit: str) -> dict:
    """The allied aircraft held suspect or hostile by ``unit`` in a run, with the rules, and
    the run's fratricide totals."""
    import pyarrow.parquet as pq

    tracks = pq.read_table(run_folder / "tracks.parquet", columns=["source", "truth", "side"])
    data = tracks.to_pydict()
    sides = {t: s for src, t, s in zip(data["source"], data["truth"], data["side"], strict=True)
             if src == "truth"}  # fmt: skip
    allied = {name for name, side in sides.items() if side not in ("red", "civil")}
    held: dict[str, dict] = {}
    for row in pq.read_table(run_folder / "events.parquet").to_pylist():
        if row["kind"] != "identity" or row["unit"] != unit or row["truth"] not in allied:
            continue
        detail = json.loads(row["detail"])
        if detail["new"] not in ("suspect", "hostile"):
            continue
        entry = held.setdefault(
            row["truth"],
            {"side": sides[row["truth"]], "first_s": row["time_s"], "suspect": set(),
             "hostile": set()},
        )  # fmt: skip
        entry[detail["new"]].add(detail.get("reason", "?"))
    summary = json.loads((run_folder / "summary.json").read_text("utf-8"))
    totals = summary["totals"]
    return {
        "held": held,
        "allied_engaged": totals["allied_engaged"],
        "allied_lost": totals["friendly_lost_to_own_fire"],
        "threats_killed": totals["threats_killed"],
        "threats_launched": totals["threats_launched"],
    }


def kinematic_hostiles(result: dict) -> list[str]:
    """Allied aircraft declared hostile by a kinematic or profile rule."""
    return sorted(
        name for name, entry in result["held"].items() if entry["hostile"] & KINEMATIC_OR_PROFILE
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="turkey-s400-ankara")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--keep", type=Path, default=None, help="keep the run folders here")
    args = parser.parse_args()
    from iadsim.scenario.loader import load_scenario

    scenario, _ = load_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml")
    unit = scenario.fire_units[0].name
    failed = False
    table = [
        "| weapon control | NATO jets answer | allied held suspect | allied declared hostile "
        "| allied engaged | allied shot down | threats killed |",
        "|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep if args.keep is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for variant in args.variants:
            result = review(run_variant(args.scenario, variant, folder), unit)
            weapon_control, modes = variant.split(":")
            answers = "Mode 5 + Mode 3/C" if modes == "mode3c" else "Mode 5 only"
            print(f"## {args.scenario}, weapons {weapon_control}, NATO jets answer {answers}")
            for name, entry in sorted(result["held"].items()):
                rules = "; ".join(
                    f"{identity} by {', '.join(sorted(entry[identity]))}"
                    for identity in ("suspect", "hostile")
                    if entry[identity]
                )
                print(f"  {name} ({entry['side']}): first at {entry['first_s']:.0f} s; {rules}")
            bad = kinematic_hostiles(result)
            if bad:
                print(f"  ALLIED HOSTILE BY A KINEMATIC OR PROFILE RULE: {', '.join(bad)}")
                failed = True
            hostile = [n for n, e in result["held"].items() if e["hostile"]]
            table.append(
                f"| {weapon_control} | {answers} | {len(result['held'])} | {len(hostile)} "
                f"| {result['allied_engaged']} "
                f"| {result['allied_lost']} "
                f"| {result['threats_killed']} of {result['threats_launched']} |"
            )
    print()
    print("\n".join(table))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
