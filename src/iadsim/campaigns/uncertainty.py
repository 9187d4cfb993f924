"""Sampling of catalog uncertainty ranges: ``--sample-uncertainty M``.

Every catalog number carries a public-source range (DESIGN.md, "Public figures with
provenance"). To propagate that uncertainty to the measures of effectiveness, a campaign
draws ``M`` joint settings of the uncertain parameters by Latin hypercube sampling and runs
each as a sweep point (``catalog.<entry>.<field>`` overrides, see :mod:`.sweep`).

Latin hypercube sampling (McKay, Beckman & Conover 1979, *Technometrics* 21(2):239-245)
splits each of the ``d`` ranges into ``M`` equal-probability strata and puts exactly one
sample in each stratum of each dimension, which covers each range evenly with far fewer
samples than a full grid. The design comes from :class:`scipy.stats.qmc.LatinHypercube`
with a fixed seed, so the same seed gives the same points. A range may be declared
``"log"`` (uniform in the logarithm), which suits scale factors such as ``rcs_scale``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from iadsim.campaigns.sweep import SweepError

__all__ = ["UncertainRange", "catalog_path", "latin_hypercube_points", "parse_range"]

UncertainRange = tuple[float, float] | tuple[float, float, str]
"""``(low, high)`` sampled uniformly, or ``(low, high, "log")`` uniformly in log."""

_SCALES = ("linear", "log")


def catalog_path(name: str) -> str:
    """Return the sweep path of a catalog parameter name.

    Parameters
    ----------
    name : str
        ``"f35a.rcs_scale"`` or already ``"catalog.f35a.rcs_scale"``.

    Returns
    -------
    str
        ``"catalog.f35a.rcs_scale"``.
    """
    if name.startswith("catalog."):
        name = name.removeprefix("catalog.")
    if name.count(".") < 1 or any(not part for part in name.split(".")):
        raise SweepError(f"uncertain parameter {name!r} must look like <entry>.<field>")
    return f"catalog.{name}"


def parse_range(name: str, spec: Sequence[Any]) -> tuple[float, float, str]:
    """Check one declared range and return ``(low, high, scale)``.

    Raises
    ------
    SweepError
        If the bounds are not finite, ``low > high``, the scale is unknown, or a log range
        does not lie above zero.
    """
    if len(spec) not in (2, 3):
        raise SweepError(f"range of {name!r} must be (low, high) or (low, high, 'log')")
    low, high = float(spec[0]), float(spec[1])
    scale = str(spec[2]) if len(spec) == 3 else "linear"
    if scale not in _SCALES:
        raise SweepError(f"range of {name!r}: scale {scale!r} is not one of {_SCALES}")
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise SweepError(f"range of {name!r} must have finite low <= high, got {spec!r}")
    if scale == "log" and low <= 0.0:
        raise SweepError(f"log range of {name!r} must be above zero, got {spec!r}")
    return low, high, scale


def latin_hypercube_points(
    ranges: Mapping[str, Sequence[Any]], n_samples: int, seed: int | np.random.SeedSequence
) -> list[dict[str, float]]:
    """Draw ``n_samples`` Latin hypercube points over the declared ranges.

    Parameters
    ----------
    ranges : mapping
        ``{"f35a.rcs_scale": (0.5, 2.0, "log"), "s400_92n6e.peak_power_scale": (0.8, 1.2)}``;
        keys with or without the ``catalog.`` prefix.
    n_samples : int
        Number of points ``M`` (at least 1).
    seed : int or numpy.random.SeedSequence
        Seed of the design; the same seed gives the same points.

    Returns
    -------
    list of dict
        ``M`` mappings ``{"catalog.<entry>.<field>": value}``, keys in the order of
        ``ranges``; each value lies in its ``[low, high]``.

    Notes
    -----
    Sample ``i`` of dimension ``j`` is ``low_j + u_ij (high_j - low_j)`` (linear) or
    ``exp(log low_j + u_ij (log high_j - log low_j))`` (log), with ``u`` the unit-cube LHS
    design of McKay et al. (1979) from :class:`scipy.stats.qmc.LatinHypercube`.
    """
    if n_samples < 1:
        raise SweepError(f"--sample-uncertainty needs at least 1 sample, got {n_samples}")
    if not ranges:
        raise SweepError("--sample-uncertainty needs at least one declared uncertainty range")
    names = [catalog_path(name) for name in ranges]
    if len(set(names)) != len(names):
        raise SweepError("an uncertain parameter is declared twice")
    bounds = [parse_range(name, spec) for name, spec in zip(names, ranges.values(), strict=True)]
    # Imported here: scipy.stats takes about a second to import, and worker processes that
    # import this package to run replications never sample.
    from scipy.stats import qmc

    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed))
    unit = sampler.random(n_samples)  # (n_samples, d) in [0, 1)
    columns = []
    for j, (low, high, scale) in enumerate(bounds):
        if scale == "log":
            columns.append(np.exp(np.log(low) + unit[:, j] * (np.log(high) - np.log(low))))
        else:
            columns.append(low + unit[:, j] * (high - low))
    values = np.column_stack(columns)
    return [{name: float(values[i, j]) for j, name in enumerate(names)} for i in range(n_samples)]
