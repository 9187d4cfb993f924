"""Miss-distance distributions of bundled runs beside the analytic adjoint budget.

For each (interceptor, target class) in the ``miss_distances`` of the given run folders'
``summary.json``, prints the simulated p50/p90 of homing intercepts and the Rayleigh p50/p90
of Zarchan's linear single-lag PN loop (:mod:`iadsim.weapons.miss_budget`) with the
airframe's navigation ratio, autopilot lag and seeker noise, the representative target's
glint (:data:`~iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE` of its size) and a closing
speed of the interceptor's mean speed plus the target's top speed, homing from the
RCS-scaled lock-on range. The linear loop has no target acceleration, no acceleration
limit and no heading error: it is the noise floor of the miss.

Usage: ``python scripts/miss_budget.py RUN_FOLDER [RUN_FOLDER ...]``; with ``--pool`` first,
the homing misses of all the folders (e.g. one scenario over many seeds) are pooled per
(interceptor, target class) from their ``events.parquet`` before the percentiles are taken
(each folder's scenario is read from ``scenarios/<name>.yaml`` to know its targets' class).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from iadsim.catalog import load_catalog
from iadsim.scenario.loader import load_scenario
from iadsim.weapons._flyout_model import TERMINAL_GUIDANCE_STEP_S
from iadsim.weapons.flyout import load_airframes
from iadsim.weapons.lethality import CLASS_OF_CATEGORY
from iadsim.weapons.miss_budget import HomingLoop, rayleigh_percentile
from iadsim.weapons.seeker import (
    GLINT_CORRELATION_TIME_S,
    GLINT_FRACTION_OF_SIZE,
    acquisition_range_m,
)

TARGET = {"aircraft": "su35", "cruise_missile": "kalibr", "ballistic_missile": "iskander"}
"""Representative target of each class."""


def budget(
    interceptor: str, target_class: str, target: str | None = None
) -> tuple[float, float, float]:
    """Analytic (sigma, p50, p90) of the miss, m, against ``target`` (a catalog platform;
    default: the class's representative, :data:`TARGET`)."""
    airframe = load_airframes()[interceptor]
    target = load_catalog().air_platforms[target or TARGET[target_class]]
    closing = airframe.mean_speed_mps + target.max_speed_m_s
    lock_on = float(
        acquisition_range_m(
            airframe.seeker_acquisition_range_m,
            airframe.seeker_reference_rcs_m2,
            target.rcs_m2 * target.rcs_scale,
            airframe.active_seeker,
            0.0,
            1.0,
        )
    )
    loop = HomingLoop(
        closing_speed_mps=closing,
        homing_time_s=min(lock_on / closing, 30.0),
        navigation_ratio=airframe.navigation_constant,
        time_constant_s=airframe.autopilot_time_constant_s,
        sample_s=TERMINAL_GUIDANCE_STEP_S,
        glint_m=GLINT_FRACTION_OF_SIZE * target.size_m,
        glint_correlation_s=GLINT_CORRELATION_TIME_S,
        angle_noise_rad=airframe.seeker_angle_noise_rad,
        thermal_noise_rad=airframe.seeker_thermal_noise_rad,
        thermal_power=2.0 if airframe.active_seeker else 1.0,
    )
    sigma = loop.miss_sigma_m()
    return sigma, rayleigh_percentile(sigma, 0.5), rayleigh_percentile(sigma, 0.9)


def main(folders: list[str]) -> None:
    print("run | interceptor | class | n | sim p50 m | sim p90 m | adjoint p50 m | adjoint p90 m")
    for folder in folders:
        summary = json.loads((Path(folder) / "summary.json").read_text())
        for row in summary["miss_distances"]:
            _, p50, p90 = budget(row["interceptor"], row["target_class"])
            print(
                f"{summary['scenario']} | {row['interceptor']} | {row['target_class']} | "
                f"{row['homing_intercepts']} | {row['miss_p50_m']} | {row['miss_p90_m']} | "
                f"{p50:.2f} | {p90:.2f}"
            )


def homing_misses(
    folder: str | Path, by: str = "class"
) -> dict[tuple[str, str], dict[tuple, float]]:
    """Miss distances of a run's homing intercepts by (interceptor, target), m: the target's
    class (``by="class"``) or its platform type (``by="platform"``).

    Each keyed by (seed, target, time) so that an intercept two runs share (the corridor
    variant repeats the plain S-400 scenario's early engagements under the same seed)
    counts once when folders are pooled.
    """
    seed = json.loads((Path(folder) / "summary.json").read_text())["seed"]
    layout = json.loads((Path(folder) / "layout.json").read_text())
    scenario, catalog = load_scenario(Path("scenarios") / f"{layout['scenario']}.yaml")
    names = sorted(((t.name, t.type) for t in scenario.air_tracks), key=lambda p: -len(p[0]))

    def target_of(truth: str) -> str | None:
        for name, platform in names:  # entities are "<track>" or "<track>-NN"
            if truth == name or truth.startswith(name + "-"):
                if by == "platform":
                    return platform
                return CLASS_OF_CATEGORY.get(catalog.air_platforms[platform].category)
        return None

    rows = pq.read_table(Path(folder) / "events.parquet").to_pylist()
    interceptor_of = {
        r["interceptor_id"]: json.loads(r["detail"])["interceptor"]
        for r in rows
        if r["kind"] == "launch"
    }
    out: dict[tuple[str, str], dict[tuple, float]] = defaultdict(dict)
    for r in rows:
        if r["kind"] not in ("kill", "miss"):
            continue
        detail = json.loads(r["detail"])
        target = target_of(r["truth"] or "")
        if detail.get("homing") and "miss_distance_m" in detail and target is not None:
            key = (interceptor_of[r["interceptor_id"]], target)
            out[key][seed, r["truth"], round(r["time_s"], 3)] = detail["miss_distance_m"]
    return out


def pooled(folders: list[str]) -> None:
    unique: dict[tuple[str, str], dict[tuple, float]] = defaultdict(dict)
    for folder in folders:
        for key, values in homing_misses(folder).items():
            unique[key].update(values)
    misses = {key: list(values.values()) for key, values in unique.items()}
    print("interceptor | class | runs | n | sim p50 m | sim p90 m | adjoint p50 m | adjoint p90 m")
    for (interceptor, klass), values in sorted(misses.items()):
        _, p50, p90 = budget(interceptor, klass)
        q50, q90 = np.percentile(values, [50, 90])
        print(
            f"{interceptor} | {klass} | {len(folders)} | {len(values)} | {q50:.2f} | "
            f"{q90:.2f} | {p50:.2f} | {p90:.2f}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pool"]:
        pooled(sys.argv[2:])
    else:
        main(sys.argv[1:])
