"""The sourced catalog: provenance complete, references consistent, overrides surgical."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from typer.testing import CliRunner

from iadsim.catalog import CatalogError, load_catalog
from iadsim.catalog.loader import ENTRIES_KEY, SECTIONS
from iadsim.catalog.models import value_at
from iadsim.cli import app


def raw(name: str) -> dict:
    """A catalog data file read directly, bypassing the loader."""
    text = resources.files("iadsim.catalog").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_entry_cites_sources_that_exist():
    sources = raw("sources.yaml")["sources"]
    count = 0
    for section in SECTIONS:
        for key, entry in raw(f"{section}.yaml")[ENTRIES_KEY.get(section, section)].items():
            assert entry["source"], f"{section}.{key} cites no source"
            missing = [s for s in entry["source"] if s not in sources]
            assert not missing, f"{section}.{key}: unknown sources {missing}"
            count += 1
    assert count >= 15


def test_every_source_has_a_citation_text():
    for source_id, text in raw("sources.yaml")["sources"].items():
        assert isinstance(text, str) and len(text) > 5, source_id


def test_every_launcher_capacity_names_an_interceptor():
    interceptors = raw("interceptors.yaml")["interceptors"]
    for key, launcher in raw("launchers.yaml")["launchers"].items():
        assert launcher["capacity"], key
        for name, count in launcher["capacity"].items():
            assert name in interceptors, f"launchers.{key}: {name}"
            assert isinstance(count, int) and count > 0


def test_loader_keeps_every_raw_entry(catalog):
    for section in SECTIONS:
        assert set(catalog.section(section)) == set(
            raw(f"{section}.yaml")[ENTRIES_KEY.get(section, section)]
        )


def test_radar_envelopes_are_ordered(catalog):
    for key, radar in catalog.radars.items():
        assert radar.min_range_m < radar.max_range_m, key
        assert radar.min_elevation_deg < radar.max_elevation_deg, key
        assert radar.reference_pfa < radar.reference_pd, key


def test_interceptor_envelopes_are_ordered(catalog):
    for key, missile in catalog.interceptors.items():
        assert missile.min_range_m < missile.max_range_m, key
        assert missile.min_altitude_m < missile.max_altitude_m, key
        assert missile.average_speed_m_s > 0, key


def test_declared_ranges_name_real_fields(catalog):
    for section, key, entry in catalog.entries():
        for field in entry.ranges:
            if "." in field:  # a figure inside a signature's pattern
                assert isinstance(value_at(entry, field), float), f"{section}.{key}: {field}"
            else:
                assert field in type(entry).model_fields, f"{section}.{key}: {field}"
            low, high = entry.ranges[field]
            assert low <= high


def test_with_overrides_changes_only_the_named_field(catalog):
    changed = catalog.with_overrides({"f35a": {"rcs_scale": 2.0}})
    assert changed.air_platforms["f35a"].rcs_scale == 2.0
    before = catalog.air_platforms["f35a"].model_dump()
    after = changed.air_platforms["f35a"].model_dump()
    assert {k for k in before if before[k] != after[k]} == {"rcs_scale"}
    for section, key, entry in catalog.entries():
        if (section, key) != ("air_platforms", "f35a"):
            assert changed.section(section)[key] == entry
    # The original catalog is untouched.
    assert catalog.air_platforms["f35a"].rcs_scale == 1.0
    assert load_catalog().air_platforms["f35a"].rcs_scale == 1.0


def test_with_overrides_validates_the_new_value(catalog):
    with pytest.raises(CatalogError):
        catalog.with_overrides({"f35a": {"rcs_scale": -1.0}})
    with pytest.raises(CatalogError):
        catalog.with_overrides({"s400/92n6e": {"no_such_field": 1.0}})
    with pytest.raises(CatalogError, match="no catalog entry 'f35'"):
        catalog.with_overrides({"f35": {"rcs_scale": 2.0}})


@pytest.mark.parametrize(("typo", "meant"), [("s400/92n6", "s400/92n6e"), ("f35", "f35a")])
def test_find_suggests_close_names(catalog, typo, meant):
    with pytest.raises(KeyError) as caught:
        catalog.find(typo)
    assert meant in str(caught.value)


def test_find_returns_section_and_entry(catalog):
    section, entry = catalog.find("patriot/m903")
    assert section == "launchers"
    assert entry.key == "patriot/m903"


def test_catalog_show_prints_values_and_full_sources():
    result = CliRunner().invoke(app, ["catalog", "show", "s400/92n6e"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    entry = raw("radars.yaml")["radars"]["s400/92n6e"]
    sources = raw("sources.yaml")["sources"]
    for source_id in entry["source"]:
        assert f"{source_id}: {sources[source_id]}" in result.output
    assert "detection_range_m" in result.output
    assert "400000" in result.output


def test_catalog_list_names_every_entry():
    result = CliRunner().invoke(app, ["catalog", "list"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for section in SECTIONS:
        for key in raw(f"{section}.yaml")[ENTRIES_KEY.get(section, section)]:
            assert key in result.output


def test_an_interceptor_key_overrides_its_airframe_too(catalog):
    changed = catalog.with_overrides(
        {"s400/48n6e3": {"max_flight_time_s": 60.0, "single_shot_pk_vs_aircraft": 0.5}}
    )
    assert changed.airframes["s400/48n6e3"].max_flight_time_s == 60.0
    assert changed.interceptors["s400/48n6e3"].single_shot_pk_vs_aircraft == 0.5
    assert catalog.airframes["s400/48n6e3"].max_flight_time_s == 230.0
    assert changed.airframes["s400/40n6e"] == catalog.airframes["s400/40n6e"]


def test_every_airframe_flies_an_interceptor_and_cites_sources(catalog):
    assert set(catalog.airframes) <= set(catalog.interceptors)
    assert catalog.flyout_airframes == frozenset(catalog.airframes)
    for key, airframe in catalog.airframes.items():
        assert airframe.source, key
        assert airframe.propellant_mass_kg < airframe.launch_mass_kg, key


def test_a_rotating_radar_can_be_overridden(catalog):
    """Its defaults are not given fields: an override of a rotating radar is not refused for
    search_pulses, a field only an electronically scanned radar may be given."""
    changed = catalog.with_overrides({"s400/91n6e": {"reference_rcs_m2": 10.0}})
    before, after = catalog.radars["s400/91n6e"], changed.radars["s400/91n6e"]
    assert (before.reference_rcs_m2, after.reference_rcs_m2) == (4.0, 10.0)
    assert after.model_dump(exclude={"reference_rcs_m2"}) == before.model_dump(
        exclude={"reference_rcs_m2"}
    )
    # The same stated range against a 10 m2 instead of a 4 m2 target: by the R^4 law
    # (Skolnik 2001, eq. 2.1) the range against 4 m2 falls by (4 / 10)^(1/4) = 0.795.
    from iadsim.sensors.radar_equation import range_constant_m2

    ratio = (range_constant_m2(after.detection_range_m, after.reference_rcs_m2) * 4.0) ** 0.25 / (
        range_constant_m2(before.detection_range_m, before.reference_rcs_m2) * 4.0
    ) ** 0.25
    assert ratio == pytest.approx(0.7953, abs=1e-4)
    with pytest.raises(CatalogError, match="search_pulses"):
        catalog.with_overrides({"s400/91n6e": {"search_pulses": 2}})
