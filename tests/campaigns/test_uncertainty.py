"""Latin hypercube sampling of catalog uncertainty ranges."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.campaigns.campaign import build_points
from iadsim.campaigns.catalog_uncertainty import catalog_uncertainty_ranges
from iadsim.campaigns.sweep import SweepError, apply_point
from iadsim.campaigns.uncertainty import catalog_path, latin_hypercube_points
from iadsim.catalog import load_catalog
from iadsim.scenario.loader import load_document, validate_document
from iadsim.sensors.signature import signature_table

RANGES = {"f35a.rcs_scale": (0.25, 4.0, "log"), "catalog.s400.power_scale": (0.8, 1.2)}


def _strata(values, low, high, n):
    return np.floor(n * (np.asarray(values) - low) / (high - low)).astype(int)


def test_each_stratum_of_each_range_holds_exactly_one_sample():
    n = 13
    points = latin_hypercube_points(RANGES, n, seed=4)
    assert len(points) == n
    assert list(points[0]) == ["catalog.f35a.rcs_scale", "catalog.s400.power_scale"]
    rcs = np.array([p["catalog.f35a.rcs_scale"] for p in points])
    power = np.array([p["catalog.s400.power_scale"] for p in points])
    assert rcs.min() >= 0.25 and rcs.max() <= 4.0
    assert power.min() >= 0.8 and power.max() <= 1.2
    # McKay et al. (1979): one sample per equal-probability stratum, in log space for "log".
    assert sorted(_strata(np.log(rcs), np.log(0.25), np.log(4.0), n)) == list(range(n))
    assert sorted(_strata(power, 0.8, 1.2, n)) == list(range(n))


def test_same_seed_same_points_other_seed_other_points():
    assert latin_hypercube_points(RANGES, 5, 1) == latin_hypercube_points(RANGES, 5, 1)
    assert latin_hypercube_points(RANGES, 5, 1) != latin_hypercube_points(RANGES, 5, 2)


@pytest.mark.parametrize(
    "ranges",
    [
        {"f35a.rcs_scale": (2.0, 1.0)},
        {"f35a.rcs_scale": (0.0, 1.0, "log")},
        {"f35a.rcs_scale": (0.0, 1.0, "cubic")},
        {"rcs_scale": (0.0, 1.0)},
        {},
    ],
)
def test_bad_ranges_are_rejected(ranges):
    with pytest.raises(SweepError):
        latin_hypercube_points(ranges, 3, 0)


def test_catalog_path():
    assert catalog_path("f35a.rcs_scale") == catalog_path("catalog.f35a.rcs_scale")


def test_sampled_points_cross_the_sweep_grid_and_become_catalog_overrides():
    doc = {"raid": {"count": 2}}
    _, points = build_points(
        doc, ["raid.count=2,4"], uncertainty_ranges=RANGES, sample_uncertainty=3, seed=8
    )
    assert len(points) == 6
    assert [p["raid.count"] for p in points] == [2, 2, 2, 4, 4, 4]
    samples = [p["catalog.f35a.rcs_scale"] for p in points]
    assert samples[:3] == samples[3:]  # the same design at every grid point
    again = build_points(doc, [], uncertainty_ranges=RANGES, sample_uncertainty=3, seed=8)[1]
    assert [p["catalog.f35a.rcs_scale"] for p in again] == samples[:3]


def test_signature_pattern_ranges_are_sampled_into_valid_overrides():
    ranges = catalog_uncertainty_ranges(load_catalog(), ["f35a"])
    # the catalog's spread of the F-35A's leading-edge flash level (edge treatment 10-20 dB)
    assert ranges["f35a.pattern.lobes.leading_edges.offset_db"] == (-5.0, 5.0, "linear")
    assert ranges["f35a.pattern.band_offset_db.L"] == (3.0, 12.0, "linear")
    document = load_document("tests/data/scenarios/minimal.yaml")
    _, points = build_points(document, [], uncertainty_ranges=ranges, sample_uncertainty=4)
    offsets = []
    for point in points:
        _, catalog = validate_document(apply_point(document, point), "minimal.yaml")
        lobe = catalog.signatures["f35a"].pattern.lobes["leading_edges"]
        offsets.append(lobe.offset_db)
        assert lobe.offset_db == point["catalog.f35a.pattern.lobes.leading_edges.offset_db"]
        assert len(catalog.signatures["f35a"].pattern.lobes) == 4  # merged, not replaced
        signature_table(catalog)
    assert len(set(offsets)) == 4 and all(-5.0 <= o <= 5.0 for o in offsets)
