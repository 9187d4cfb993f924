"""The EA-18G Growler air platform (issue 16, point 4): sourced, its public figures, and a
jamming aircraft the scenario's jammers can ride."""

from __future__ import annotations

from pathlib import Path

import pytest

from iadsim.catalog import load_catalog
from iadsim.scenario.loader import load_document, validate_document

OWN_SOURCES = {f"S{n}" for n in range(330, 340)}
JAMMING = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "jamming.yaml"


@pytest.mark.parametrize("section", ["air_platforms", "signatures"])
def test_the_growler_cites_public_sources_and_says_how_it_derived_the_rest(section):
    catalog = load_catalog()
    entry = catalog.section(section)["ea18g"]
    assert set(entry.source) & OWN_SOURCES, entry.source
    assert all(source in catalog.sources for source in entry.source)
    assert "(D)" in entry.note or "D)" in entry.note  # the RCS is an assumption, labelled


def test_public_figures_are_the_sources_figures():
    catalog = load_catalog()
    growler = catalog.air_platforms["ea18g"]
    # S330: 18.31 m long; Mach 1.8 at altitude, 1.8 x 295.07 m/s (ISA 216.65 K) = 531 m/s
    assert growler.size_m == 18.31
    assert growler.max_speed_m_s == pytest.approx(1.8 * 295.07, abs=1.0)
    assert growler.category == "support"  # it jams, it does not strike
    # derived nose-on RCS inside its swept range, one figure in both files
    low, high = growler.ranges["rcs_m2"]
    assert low <= growler.rcs_m2 <= high
    assert catalog.signatures["ea18g"].anchor.rcs_m2 == growler.rcs_m2
    # a podded Growler shows a radar more than the clean fighters of the catalog
    assert growler.rcs_m2 > catalog.air_platforms["f16c"].rcs_m2


@pytest.mark.parametrize("pod", ["ea18g/alq99", "ea18g/ngj-mb"])
def test_both_pods_ride_a_growler_in_a_scenario(pod):
    doc = load_document(JAMMING)
    growler = next(t for t in doc["air_tracks"] if t["name"] == "growler")
    growler["type"] = "ea18g"
    doc["jammers"][0]["type"] = pod
    validate_document(doc, "growler.yaml")  # raises on any problem
