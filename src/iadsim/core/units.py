"""Unit conversions used at the edges (scenario files, reports). SI inside."""

from __future__ import annotations

import math

import numpy as np

KNOT_MPS = 1852.0 / 3600.0
"""One knot in metres per second (international nautical mile, 1852 m)."""
FOOT_M = 0.3048
"""One international foot in metres."""
NAUTICAL_MILE_M = 1852.0
DEG = math.pi / 180.0
"""One degree in radians."""


def db_to_linear(value_db):
    """Power ratio from decibels: ``10 ** (dB / 10)``."""
    return 10.0 ** (value_db / 10.0)


def linear_to_db(value):
    """Decibels from a power ratio: ``10 log10(x)``."""
    return 10.0 * np.log10(value)
