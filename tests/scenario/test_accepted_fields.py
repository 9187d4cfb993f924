"""Nothing accepted and ignored: removed fields are errors that say why; kept ones are read.

Each bad file is a one-edit variant of ``tests/data/scenarios/minimal.yaml`` (the helpers of
``test_bad_input``), checked through :func:`load_scenario` (file, line, field path) and
``iadsim validate`` (exit code 2).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from pydantic import BaseModel
from tests.scenario.test_bad_input import Case, write_variant
from typer.testing import CliRunner

import iadsim.catalog.models as catalog_models
import iadsim.scenario.schema as schema
from iadsim.c2.doctrine import engagement_channels
from iadsim.catalog import CatalogError, load_catalog
from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.scenario.loader import load_scenario
from iadsim.scenario.schema import Doctrine

SRC = Path(schema.__file__).resolve().parents[1]
UNIT_LINE = "    position: {lat_deg: 40.0, lon_deg: 32.5, alt_m: 900}\n    radars:\n"

CASES = {
    "engage_categories": Case(
        UNIT_LINE,
        "    doctrine: {engage_categories: [fighter]}\n" + UNIT_LINE,
        "fire_units[0].doctrine",
        "'engage_categories' is no longer a scenario field",
    ),
    "salvo_under_shoot_look_shoot": Case(
        UNIT_LINE,
        "    doctrine: {policy: shoot_look_shoot, salvo: 2}\n" + UNIT_LINE,
        "fire_units[0].doctrine.salvo",
        "use policy shoot_shoot for salvos",
    ),
    "faster_than_the_platform": Case(
        "        alt_m: 100\n        speed_kt: 530\n      - lat_deg: 40.0",
        "        alt_m: 100\n        speed_kt: 900\n      - lat_deg: 40.0",
        "air_tracks[0].route[0].speed_kt",
        "faster than the maximum speed of kalibr",
        line_text="speed_kt: 900",
    ),
    "interceptor_without_airframe": Case(
        "patriot/pac3_mse: 12",
        "patriot/pac3_cri: 12",
        "fire_units[0].launchers[0].load.patriot/pac3_cri",
        "has no flyout airframe",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rejected_with_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_variant(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    issues = [i for i in caught.value.issues if i.field_path == case.field_path]
    assert issues, [i.field_path for i in caught.value.issues]
    assert case.message in issues[0].message
    assert issues[0].line == line
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_removed_catalog_field_in_an_override_says_why():
    with pytest.raises(CatalogError, match="'band' is no longer a catalog field"):
        load_catalog().with_overrides({"patriot/mpq65": {"band": "C"}})


def test_salvo_defaults_to_the_policy():
    assert Doctrine().rounds_per_engagement == 1
    assert Doctrine(policy="shoot_shoot").rounds_per_engagement == 2
    assert Doctrine(policy="shoot_shoot", salvo=3).rounds_per_engagement == 3
    assert Doctrine(policy="shoot_look_shoot", salvo=1).rounds_per_engagement == 1


def test_engagement_channels_take_the_fewer_of_post_and_radar():
    catalog = load_catalog()
    radar = catalog.radars["patriot/mpq65"]
    small_post = catalog.command_posts["patriot/ecs"].model_copy(update={"simultaneous_targets": 2})
    assert engagement_channels(radar, small_post, {7: 1}) == (1, radar.guidance_missiles - 1)
    large_post = catalog.command_posts["nato/e3_mission_crew"]
    targets, _ = engagement_channels(radar, large_post, {})
    assert targets == radar.guidance_targets


READ_THROUGH = {
    ("Scenario", "duration_min"): "duration_s",
    ("Scenario", "schema_version"): "the loader's version check (Literal[1])",
    ("Scenario", "description"): "free text for the reader, like a comment",
    ("Doctrine", "policy"): "rounds_per_engagement",
    ("Doctrine", "salvo"): "rounds_per_engagement",
    ("RadarType", "beamwidth_deg"): "beamwidth_rad",
    ("Waypoint", "speed_kt"): "speed_mps",
    ("TerminalManoeuvre", "accel_g"): "accel_mps2",
    ("AirPlatformType", "max_bank_deg"): "max_bank_rad",
    # Provenance of a signature table, for the reader (iadsim catalog show):
    ("SignatureBand", "ieee_band_hz"): "the IEEE 521 span the band's frequency represents",
    ("SignatureAnchor", "band"): "where the public anchor figure was given",
    ("SignatureAnchor", "range_m2"): "the spread of public figures around the anchor",
    ("SignatureType", "catalog_ref"): "the entry of public-parameters.yaml it comes from",
    ("SignatureType", "swerling_note"): "why the platform has its Swerling case",
    ("SignatureType", "notional"): "labels the aspect and band shape as notional",
    ("SignatureLobe", "note"): "how the lobe's figures were derived, for the reader",
}
"""Fields read only through a property of their model (or documentation by nature)."""


def _model_fields():
    for module in (schema, catalog_models):
        for name, model in vars(module).items():
            if (
                inspect.isclass(model)
                and issubclass(model, BaseModel)
                and model.__module__ == module.__name__
            ):
                # Provenance (name, source, confidence, ranges, note) is for the reader.
                sourced = issubclass(model, catalog_models.Sourced)
                provenance = set(catalog_models.Sourced.model_fields) if sourced else set()
                for field in model.model_fields:
                    if field not in provenance:
                        yield name, field


def test_every_schema_and_catalog_field_is_read_somewhere():
    """A field no module reads (outside its own model file) is accepted and ignored."""
    models = {Path(schema.__file__).resolve(), Path(catalog_models.__file__).resolve()}
    text = "\n".join(p.read_text("utf-8") for p in SRC.rglob("*.py") if p.resolve() not in models)
    unread = [
        (model, field)
        for model, field in _model_fields()
        if (model, field) not in READ_THROUGH
        and not re.search(rf"\.{field}\b|[\"']{field}[\"']", text)
    ]
    assert unread == []


def test_the_single_lethal_radius_gave_way_to_radii_by_target_class():
    with pytest.raises(CatalogError, match="lethal_radius_vs_aircraft_m"):
        load_catalog().with_overrides({"s400/48n6e3": {"lethal_radius_m": 20.0}})


@pytest.mark.parametrize(
    ("field", "value"),
    [("warhead", "nuclear"), ("reliability", 1.5), ("lethal_radius_vs_ballistic_missile_m", 0.0)],
)
def test_end_game_catalog_fields_are_validated(field, value):
    with pytest.raises(CatalogError, match=field):
        load_catalog().with_overrides({"s400/48n6e3": {field: value}})


def test_an_illuminator_range_is_refused_for_an_active_seeker():
    with pytest.raises(CatalogError, match="semi-active"):
        load_catalog().with_overrides({"s400/9m96e2": {"seeker_illuminator_range_m": 5.0e4}})
