"""Static figures of a study: paired differences per question, collected-aspect polars."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["collected_aspect_figure", "differences_figure"]


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def differences_figure(differences: pa.Table, question: str, path: Path) -> Path | None:
    """Forest plot of the paired differences of one question (one panel per measure).

    Each row is a variant (under a condition) minus the baseline, its mean and 95 %
    interval; the vertical line is no difference. None if the question has no rows.
    """
    rows = differences.filter(pc.equal(differences.column("question"), question)).to_pylist()
    if not rows:
        return None
    plt = _pyplot()
    measures = list(dict.fromkeys(row["measure"] for row in rows))
    labels = list(
        dict.fromkeys(
            f"{row['variant']}" + (f" ({row['condition']})" if row["condition"] else "")
            for row in rows
        )
    )
    columns = min(4, len(measures))
    grid_rows = math.ceil(len(measures) / columns)
    figure, axes = plt.subplots(
        grid_rows,
        columns,
        figsize=(3.4 * columns + 2.5, (0.3 * len(labels) + 1.2) * grid_rows + 0.4),
        squeeze=False,
    )
    for axis in axes.flat[len(measures) :]:
        axis.set_visible(False)
    for number, (axis, measure) in enumerate(zip(axes.flat, measures, strict=False)):
        for row in rows:
            if row["measure"] != measure:
                continue
            label = f"{row['variant']}" + (f" ({row['condition']})" if row["condition"] else "")
            y = labels.index(label)
            mean, low, high = row["difference"], row["ci_low"], row["ci_high"]
            if math.isfinite(low) and math.isfinite(high):
                axis.plot([low, high], [y, y], color="tab:blue", lw=2)
            axis.plot([mean], [y], "o", color="tab:blue")
        axis.axvline(0.0, color="0.5", lw=1, ls="--")
        unit = next((r["unit"] for r in rows if r["measure"] == measure), "")
        axis.set_title(measure, fontsize=8)
        axis.set_xlabel(f"difference ({unit})" if unit else "difference", fontsize=7)
        axis.tick_params(labelsize=7)
        axis.set_ylim(len(labels) - 0.5, -0.5)
        if number % columns == 0:
            axis.set_yticks(range(len(labels)), labels)
        else:
            axis.set_yticks(range(len(labels)), [""] * len(labels))
    figure.suptitle(
        f"{question}: paired differences from {rows[0]['baseline']}, 95 % intervals", fontsize=9
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def collected_aspect_figure(
    exposure: pa.Table, title: str, platforms: list[str], azimuth_bin_deg: float, path: Path
) -> Path | None:
    """Polar "collected aspect" plot: time in coverage and time detected by aspect azimuth.

    One row per (variant, platform) present in ``exposure`` (variants in order of
    appearance, platforms in the order given), one column per radar band; each bar is the
    time per aircraft and replication (summed over the band's radars and over elevation),
    light for time in coverage, dark for time held by detections, an orange outline for the
    time the radar's post held a track on the aircraft (when known), on one radial scale per
    band so that rows compare. Azimuth 0 (nose-on) is up, 90 (right wing) to the right.
    None if the table is empty.
    """
    if exposure.num_rows == 0:
        return None
    plt = _pyplot()
    bands = sorted(set(exposure.column("band").to_pylist()))
    variants = (
        list(dict.fromkeys(exposure.column("variant").to_pylist()))
        if "variant" in exposure.column_names
        else [None]
    )
    panels = []
    for variant in variants:
        of_variant = (
            exposure
            if variant is None
            else exposure.filter(pc.equal(exposure.column("variant"), variant))
        )
        n_seeds = max(1, len(set(of_variant.column("seed").to_pylist())))
        for platform in platforms:
            rows = of_variant.filter(pc.equal(of_variant.column("platform"), platform))
            if rows.num_rows:
                n_aircraft = len(set(rows.column("target").to_pylist()))
                label = platform if variant is None else f"{platform} ({variant})"
                # minutes per aircraft and replication
                panels.append((label, rows, 1.0 / (n_seeds * n_aircraft * 60.0)))
    figure, axes = plt.subplots(
        len(panels),
        len(bands),
        subplot_kw={"projection": "polar"},
        figsize=(3.0 * len(bands), 3.0 * len(panels) + 0.6),
        squeeze=False,
    )
    width = np.radians(azimuth_bin_deg)
    top = dict.fromkeys(bands, 0.0)
    for row, (label, rows, scale) in enumerate(panels):
        for column, band in enumerate(bands):
            axis = axes[row][column]
            of_band = rows.filter(pc.equal(rows.column("band"), band))
            bins = of_band.group_by("az_bin_deg").aggregate(
                [("look_time_s", "sum"), ("detected_time_s", "sum"), ("tracked_time_s", "sum")]
            )
            centres = np.radians(
                np.asarray(bins.column("az_bin_deg").to_pylist(), dtype=float) + azimuth_bin_deg / 2
            )
            covered = np.asarray(bins.column("look_time_s_sum").to_pylist(), dtype=float) * scale
            held = np.asarray(bins.column("detected_time_s_sum").to_pylist(), dtype=float) * scale
            top[band] = max(top[band], float(covered.max(initial=0.0)))
            axis.set_theta_zero_location("N")
            axis.set_theta_direction(-1)
            axis.bar(
                centres, covered, width=width, color="tab:blue", alpha=0.3, label="in coverage"
            )
            axis.bar(centres, held, width=width, color="tab:blue", alpha=0.9, label="detected")
            tracked = bins.column("tracked_time_s_sum").to_pylist()
            if any(value is not None for value in tracked):
                tracked_min = np.array([v or 0.0 for v in tracked], dtype=float) * scale
                axis.bar(
                    centres,
                    tracked_min,
                    width=width,
                    fill=False,
                    edgecolor="tab:orange",
                    lw=1.2,
                    label="tracked by the radar's post",
                )
            axis.set_title(f"{label}, {band} band", fontsize=8)
            axis.tick_params(labelsize=6)
    for column, band in enumerate(bands):
        for row in range(len(panels)):
            axes[row][column].set_ylim(0.0, top[band] * 1.05 or 1.0)
    axes[0][0].legend(fontsize=6, loc="lower left", bbox_to_anchor=(-0.3, -0.25))
    figure.suptitle(f"{title}\nminutes per aircraft by aspect azimuth (0 = nose)", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
