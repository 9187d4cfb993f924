"""Unit conversions used at the edges (scenario files, reports). SI inside."""

from __future__ import annotations

KNOT_MPS = 1852.0 / 3600.0
"""One knot in metres per second (international nautical mile, 1852 m)."""
