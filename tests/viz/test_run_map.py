"""The run map's radar-horizon rings."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.viz.run_map import horizon_ring_m


def test_the_horizon_ring_uses_heights_above_the_ground():
    """92N6E on a 25 m mast, target 1,000 m above the ground, 4/3 earth:
    sqrt(2 k R 25) + sqrt(2 k R 1000) = 20.6 + 130.4 = 151.0 km (Skolnik 2001, eq. 8.1), not
    the 253 km that adding the plateau site's height above sea level gave."""
    spec = load_catalog().radars["s400/92n6e"]
    k_r = 4.0 / 3.0 * 6_378_137.0
    expected = np.sqrt(2 * k_r * 25.0) + np.sqrt(2 * k_r * 1000.0)
    assert horizon_ring_m(spec, 25.0) == pytest.approx(expected, rel=1e-3)
    assert horizon_ring_m(spec, 25.0) == pytest.approx(151_000.0, abs=300.0)
