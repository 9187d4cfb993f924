"""At each catalog radar's reference point the simulation detects with the catalog's Pd.

The existing check (tests/sensors/test_radar.py) evaluates the sensor chain's SNR on the
reference path. This one goes through what a run does: a target of the reference RCS and
Swerling case placed by pymap3d (independent of iadsim.geo) at the reference range (less
1e-9 of it: it is also the maximum range of some radars) on the radar's boresight, at zero
elevation (so its path crosses the reference path's air and no more), through
:meth:`Radar.in_coverage` and :meth:`Radar.detect` with every default signal effect. The
Pd the look reports must equal the catalog's, and the fraction of 40,000 independent draws
detected must match it within 4 binomial standard deviations (0.01 at Pd 0.5).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.sensors.radar_fixtures import SITE, targets_at

from iadsim.catalog.loader import load_catalog
from iadsim.sensors.radar import Radar

DRAWS = 40_000


@pytest.mark.parametrize("key", sorted(load_catalog().radars))
def test_the_simulated_pd_at_the_reference_point_is_the_catalog_pd(key):
    spec = load_catalog().radars[key]
    lat, lon, alt = SITE
    radar = Radar(0, key, spec, np.radians(lat), np.radians(lon), alt, 0.0)
    targets = targets_at(
        np.zeros(DRAWS), 0.0, spec.detection_range_m * (1.0 - 1e-9), spec.reference_rcs_m2,
        spec.reference_swerling,
    )  # fmt: skip
    visible, aer = radar.in_coverage(targets)
    assert visible.all(), "the reference point must be inside the radar's coverage"
    seen = {}

    def observe(snr_db, pd, hit):
        seen.update(snr_db=snr_db, pd=pd, hit=hit)

    radar.detect(targets, aer, visible, 0.0, np.random.default_rng(13), observe=observe)
    np.testing.assert_allclose(seen["pd"], spec.reference_pd, rtol=1e-6)
    sigma = np.sqrt(spec.reference_pd * (1.0 - spec.reference_pd) / DRAWS)
    assert abs(seen["hit"].mean() - spec.reference_pd) < 4.0 * sigma
