"""A sanity band against the real world: a study's drone kill share beside published figures.

Issue 17, point 7. A generic night raid of Shahed-class drones
(``studies/ukraine-band/``) is run over replications; this module turns the study's
per-variant estimates of ``kills`` and ``leakers_<platform>`` into shares of the drones
launched, and sets them beside the 2024 figures of the Ukraine data set
(:data:`UKRAINE_2024_SHAHED`; catalog sources S340-S342) as a Markdown table for
``docs/validation/ukraine-band.md``. It compares; it fits nothing.

The share of a variant is the mean over replications of ``kills / N`` with ``N`` the
drones the scenario launches (fixed), so its 95 % interval is the study's bootstrap
interval of the mean kills divided by ``N`` (a linear map keeps a percentile interval).
The published shares are ratios of yearly totals, ``destroyed / launched``, with no
interval: the data set gives counts, not a sampling model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from iadsim.studies.analysis import analyse_study

__all__ = [
    "UKRAINE_2024_SHAHED",
    "BandRow",
    "PublishedFigures",
    "band_markdown",
    "band_rows",
    "launched_count",
    "published_markdown",
]


@dataclass(frozen=True)
class PublishedFigures:
    """Yearly totals of a published data set of drone attacks.

    Attributes
    ----------
    label : str
        What the figures are, in words.
    launched : int
        Drones launched (counted by the defender), drones.
    destroyed : int
        Drones the defender reports destroyed, drones.
    lost_to_ew : int
        Drones the defender reports lost to electronic warfare, drones.
    sources : tuple of str
        Catalog source ids (``sources.yaml``).
    """

    label: str
    launched: int
    destroyed: int
    lost_to_ew: int
    sources: tuple[str, ...]

    @property
    def share_destroyed(self) -> float:
        """``destroyed / launched``, dimensionless."""
        return self.destroyed / self.launched

    @property
    def share_lost_to_ew(self) -> float:
        """``lost_to_ew / launched``, dimensionless."""
        return self.lost_to_ew / self.launched

    @property
    def share_not_reaching(self) -> float:
        """``(destroyed + lost_to_ew) / launched``: drones that did not reach a target."""
        return (self.destroyed + self.lost_to_ew) / self.launched


UKRAINE_2024_SHAHED = PublishedFigures(
    label="Ukraine data set (Ivaniuk, ODC-BY 1.0), Shahed-type drones, 2024",
    launched=11_081,
    destroyed=7_552,
    lost_to_ew=2_737,
    sources=("S340", "S341", "S342"),
)
"""The 2024 Shahed-type totals of "Massive Missile Attacks on Ukraine" (S340, S341)."""


@dataclass(frozen=True)
class BandRow:
    """One variant's shares of the drones launched, with 95 % intervals.

    Attributes
    ----------
    variant : str
    replications : int
        Replications that finished.
    launched : int
        Drones of the platform the scenario launches per replication.
    destroyed, destroyed_low, destroyed_high : float
        Mean share killed by the defence and its 95 % interval, dimensionless in [0, 1].
    leaked, leaked_low, leaked_high : float
        Mean share that reached the end of its route alive, and its interval.
    """

    variant: str
    replications: int
    launched: int
    destroyed: float
    destroyed_low: float
    destroyed_high: float
    leaked: float
    leaked_low: float
    leaked_high: float


def launched_count(scenario_doc: Mapping[str, Any], platform: str) -> int:
    """Aircraft of type ``platform`` a scenario document launches.

    Parameters
    ----------
    scenario_doc : mapping
        A scenario as a plain document (``air_tracks`` entries with ``type`` and an
        optional ``count``, default 1).
    platform : str
        Catalog platform key, e.g. ``"shahed136"``.

    Returns
    -------
    int
        Sum of ``count`` over the air tracks of that type.
    """
    return sum(
        int(track.get("count", 1))
        for track in scenario_doc.get("air_tracks", [])
        if track.get("type") == platform
    )


def _estimate(table: pa.Table, variant: str, measure: str) -> tuple[int, float, float, float]:
    rows = table.filter(
        pc.and_(
            pc.equal(table.column("variant"), variant), pc.equal(table.column("measure"), measure)
        )
    ).to_pylist()
    if len(rows) != 1:
        raise ValueError(f"expected one estimate of {measure!r} for {variant!r}, got {len(rows)}")
    row = rows[0]
    return int(row["n"]), float(row["mean"]), float(row["ci_low"]), float(row["ci_high"])


def band_rows(
    study_dir: str | Path, question: str, launched: int, platform: str = "shahed136"
) -> list[BandRow]:
    """Per-variant shares destroyed and leaked from a study folder.

    Parameters
    ----------
    study_dir : str or Path
        Folder of a (partly) finished ``iadsim study`` whose question measures ``kills``
        and ``leakers_<platform>``, and whose scenario has no other threats.
    question : str
        The question's name.
    launched : int
        Drones launched per replication (:func:`launched_count`), > 0.
    platform : str
        The drones' catalog platform key.

    Returns
    -------
    list of BandRow
        In the order the study ran the variants.
    """
    if launched <= 0:
        raise ValueError(f"launched must be positive, got {launched}")
    estimates = analyse_study(study_dir).estimates
    estimates = estimates.filter(pc.equal(estimates.column("question"), question))
    variants = list(dict.fromkeys(estimates.column("variant").to_pylist()))
    rows = []
    for variant in variants:
        n, kills, kills_low, kills_high = _estimate(estimates, variant, "kills")
        _, leak, leak_low, leak_high = _estimate(estimates, variant, f"leakers_{platform}")
        rows.append(
            BandRow(
                variant=variant,
                replications=n,
                launched=launched,
                destroyed=kills / launched,
                destroyed_low=kills_low / launched,
                destroyed_high=kills_high / launched,
                leaked=leak / launched,
                leaked_low=leak_low / launched,
                leaked_high=leak_high / launched,
            )
        )
    return rows


def _pct(share: float) -> str:
    """``share`` in per cent to 0.1; an undefined share (NaN, too few replications) as "-"."""
    if share != share:
        return "-"
    return f"{100.0 * share:.1f} %"


def band_markdown(rows: list[BandRow]) -> str:
    """The simulated shares as a Markdown table (one row per variant).

    Parameters
    ----------
    rows : list of BandRow

    Returns
    -------
    str
        Table text ending in a newline.
    """
    lines = [
        "| variant | replications | drones per raid | destroyed (95 % interval) "
        "| reached the city (95 % interval) |",
        "|---|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.variant} | {row.replications} | {row.launched} "
            f"| {_pct(row.destroyed)} ({_pct(row.destroyed_low)} to {_pct(row.destroyed_high)}) "
            f"| {_pct(row.leaked)} ({_pct(row.leaked_low)} to {_pct(row.leaked_high)}) |"
        )
    return "\n".join(lines) + "\n"


def published_markdown(figures: PublishedFigures = UKRAINE_2024_SHAHED) -> str:
    """The published totals and shares as a Markdown table.

    Parameters
    ----------
    figures : PublishedFigures

    Returns
    -------
    str
        Table text ending in a newline.
    """
    n = figures.launched
    lines = [
        "| 2024, Shahed-type drones | count | share of launched |",
        "|---|---:|---:|",
        f"| launched | {n:,} | 100 % |",
        f"| destroyed | {figures.destroyed:,} | {_pct(figures.share_destroyed)} |",
        f"| lost to electronic warfare | {figures.lost_to_ew:,} "
        f"| {_pct(figures.share_lost_to_ew)} |",
        f"| not reaching a target (destroyed + EW) | {figures.destroyed + figures.lost_to_ew:,} "
        f"| {_pct(figures.share_not_reaching)} |",
    ]
    return "\n".join(lines) + "\n"
