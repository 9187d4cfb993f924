"""The rounding of every number in a run summary, so that summaries compare exactly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DECIMALS = 3
"""Decimals kept in summaries (1 m in a range in km, 1 ms in a time in s)."""


def rounded(value: float | None) -> float | None:
    """``value`` to :data:`DECIMALS` decimals; None for None, NaN or infinity."""
    return None if value is None or not np.isfinite(value) else round(float(value), DECIMALS)


def mean_or_none(values: Sequence[float]) -> float | None:
    """Rounded mean of ``values``, None when there are none."""
    return rounded(float(np.mean(values))) if len(values) else None


def min_or_none(values: Sequence[float]) -> float | None:
    """Rounded minimum of ``values``, None when there are none."""
    return rounded(float(np.min(values))) if len(values) else None
