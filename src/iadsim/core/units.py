"""Unit conversions used at the edges (scenario files, reports). SI inside."""

from __future__ import annotations

KNOT_MPS = 1852.0 / 3600.0
"""One knot in metres per second (international nautical mile, 1852 m)."""
STANDARD_GRAVITY_MPS2 = 9.80665
"""Standard acceleration of gravity g_n, m/s^2 (3rd CGPM, 1901): a load of 1 g."""
