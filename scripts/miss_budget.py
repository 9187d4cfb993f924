"""Miss-distance distributions of bundled runs beside the analytic adjoint budget.

For each (interceptor, target class) in the ``miss_distances`` of the given run folders'
``summary.json``, prints the simulated p50/p90 of homing intercepts and the Rayleigh p50/p90
of Zarchan's linear single-lag PN loop (:mod:`iadsim.weapons.miss_budget`) with the
airframe's navigation ratio, autopilot lag and seeker noise, the representative target's
glint (:data:`~iadsim.weapons.seeker.GLINT_FRACTION_OF_SIZE` of its size) and a closing
speed of the interceptor's mean speed plus the target's top speed, homing from the
RCS-scaled lock-on range. The linear loop has no target acceleration, no acceleration
limit and no heading error: it is the noise floor of the miss.

Usage: ``python scripts/miss_budget.py RUN_FOLDER [RUN_FOLDER ...]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from iadsim.catalog import load_catalog
from iadsim.weapons._flyout_kernels import TERMINAL_GUIDANCE_STEP_S
from iadsim.weapons.flyout import load_airframes
from iadsim.weapons.miss_budget import HomingLoop, rayleigh_percentile
from iadsim.weapons.seeker import (
    GLINT_CORRELATION_TIME_S,
    GLINT_FRACTION_OF_SIZE,
    acquisition_range_m,
)

TARGET = {"aircraft": "su35", "cruise_missile": "kalibr", "ballistic_missile": "iskander"}
"""Representative target of each class."""


def budget(interceptor: str, target_class: str) -> tuple[float, float, float]:
    """Analytic (sigma, p50, p90) of the miss, m."""
    airframe = load_airframes()[interceptor]
    target = load_catalog().air_platforms[TARGET[target_class]]
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


if __name__ == "__main__":
    main(sys.argv[1:])
