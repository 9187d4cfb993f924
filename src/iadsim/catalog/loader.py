"""Load the sourced catalog shipped in ``iadsim/catalog/data``.

The catalog is read once per process (it is immutable) and can be copied with overrides
(``Catalog.with_overrides``) for sweeps and uncertainty sampling.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ValidationError

from iadsim.catalog.models import (
    AirframeType,
    AirPlatformType,
    AntiRadiationMissileType,
    CommandPostType,
    DecoyType,
    EmitterType,
    InterceptorType,
    InterrogatorType,
    JammerType,
    LauncherType,
    RadarType,
    SignatureGrid,
    SignatureType,
    Sourced,
    TransponderType,
)
from iadsim.core.yaml_input import parse_yaml

SECTIONS: dict[str, type[Sourced]] = {
    "radars": RadarType,
    "launchers": LauncherType,
    "interceptors": InterceptorType,
    "command_posts": CommandPostType,
    "air_platforms": AirPlatformType,
    "airframes": AirframeType,
    "signatures": SignatureType,
    "interrogators": InterrogatorType,
    "transponders": TransponderType,
    "jammers": JammerType,
    "emitters": EmitterType,
    "anti_radiation_missiles": AntiRadiationMissileType,
    "decoys": DecoyType,
}
"""Catalog sections and the entry model of each: the file ``<section>.yaml`` holds the
entries under the key ``<section>`` (``targets`` for signatures). An airframe has the key of
the interceptor it flies, a signature that of its air platform."""

ENTRIES_KEY = {"signatures": "targets"}
"""The key that holds a section's entries in its file, where it is not the section's name."""


class CatalogError(Exception):
    """A catalog file is invalid (a packaging bug, or a bad user override)."""


OverrideProblem = tuple[tuple[str | int, ...], str, list[str]]
"""``(path, message, suggestions)``; the path starts at the entry key: ``(key, field)``."""

NOT_OVERRIDABLE = ("key", "name", "source", "confidence", "ranges", "note")
"""Identity and provenance of an entry: an override changes figures, not where they came from."""


class CatalogOverrideError(CatalogError):
    """Catalog overrides that do not give valid entries; every problem, each with its path."""

    def __init__(self, problems: list[OverrideProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m, _ in problems))


@dataclass(frozen=True)
class Catalog:
    """All catalog entries by section and key, plus the source list."""

    radars: dict[str, RadarType]
    launchers: dict[str, LauncherType]
    interceptors: dict[str, InterceptorType]
    command_posts: dict[str, CommandPostType]
    air_platforms: dict[str, AirPlatformType]
    airframes: dict[str, AirframeType]
    signatures: dict[str, SignatureType]
    interrogators: dict[str, InterrogatorType]
    transponders: dict[str, TransponderType]
    jammers: dict[str, JammerType]
    signature_grid: SignatureGrid
    sources: dict[str, str] = field(default_factory=dict)
    emitters: dict[str, EmitterType] = field(default_factory=dict)
    anti_radiation_missiles: dict[str, AntiRadiationMissileType] = field(default_factory=dict)
    decoys: dict[str, DecoyType] = field(default_factory=dict)

    @property
    def flyout_airframes(self) -> frozenset[str]:
        """Interceptor keys with a flyout airframe."""
        return frozenset(self.airframes)

    def section(self, name: str) -> dict[str, Any]:
        """Entries of one section by key."""
        return getattr(self, name)

    def entries(self) -> list[tuple[str, str, Sourced]]:
        """``(section, key, entry)`` for every entry, sorted."""
        return [
            (section, key, entry)
            for section in SECTIONS
            for key, entry in sorted(self.section(section).items())
        ]

    def find(self, key: str) -> tuple[str, Sourced]:
        """Return ``(section, entry)`` for a key, its first section if it is in two.

        Raises
        ------
        KeyError
            With the closest keys in its message when no entry has that key.
        """
        return self.find_all(key)[0]

    def find_all(self, key: str) -> list[tuple[str, Sourced]]:
        """Every ``(section, entry)`` with this key: one, or an interceptor and its airframe.

        Raises
        ------
        KeyError
            With the closest keys in its message when no entry has that key.
        """
        found = [(s, self.section(s)[key]) for s in SECTIONS if key in self.section(s)]
        if not found:
            all_keys = sorted({k for _, k, _ in self.entries()})
            close = difflib.get_close_matches(key, all_keys, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no catalog entry {key!r}{hint}")
        return found

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> Catalog:
        """Copy of the catalog with fields of some entries replaced.

        Each changed entry is validated whole, with the bounds and cross-field checks of its
        model (a ``min_range_m`` above the ``max_range_m`` it keeps is an error too).

        Parameters
        ----------
        overrides : dict
            ``{entry_key: {field: value}}``, e.g. ``{"f35a": {"rcs_scale": 2.0}}``.

        Raises
        ------
        CatalogOverrideError
            Naming each bad key or field by its path ``(key, field)``.
        """
        changed: dict[str, Any] = {}
        problems: list[OverrideProblem] = []
        for key, fields in overrides.items():
            try:
                found = self.find_all(key)
            except KeyError:
                keys = sorted({k for _, k, _ in self.entries()})
                close = difflib.get_close_matches(str(key), keys, n=3, cutoff=0.5)
                problems.append(((key,), f"no catalog entry {key!r}", close))
                continue
            fixed = [name for name in fields if name in NOT_OVERRIDABLE]
            for name in fixed:
                problems.append(((key, name), f"{name!r} cannot be overridden", []))
            if fixed:
                continue
            for section, entry, own in _split_fields(found, fields):
                merge = _deep_merge if section in DEEP_MERGED else dict.__or__
                try:
                    # Only the fields the entry was given: a default re-applies, and a
                    # validator that rejects a field given where it does not belong
                    # (search_pulses on a rotating radar) is not tripped by its default.
                    new_entry = type(entry).model_validate(
                        merge(entry.model_dump(exclude_unset=True), own)
                    )
                except ValidationError as error:
                    problems.extend(validation_problems((key,), own, type(entry), error))
                    continue
                changed.setdefault(section, dict(self.section(section)))[key] = new_entry
        if problems:
            raise CatalogOverrideError(problems)
        catalog = replace(self, **changed)
        for key in changed.get("signatures", {}):
            try:
                _check_signature(key, catalog.signatures[key], catalog)
            except CatalogError as error:
                problems.append(((key, "pattern"), str(error), []))
        if problems:
            raise CatalogOverrideError(problems)
        return catalog


DEEP_MERGED = frozenset({"signatures"})
"""Sections whose overrides merge into nested mappings: ``{f35a: {pattern: {lobes:
{leading_edges: {offset_db: 3}}}}}`` changes that one figure and keeps the rest of the
pattern (elsewhere a mapping-valued field is replaced whole, as a launcher's capacity)."""


def _deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` written in, mapping into mapping; other values replace."""
    merged = dict(base)
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _deep_merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def _split_fields(
    found: list[tuple[str, Sourced]], fields: dict[str, Any]
) -> list[tuple[str, Sourced, dict[str, Any]]]:
    """The overridden fields of one key by the entry that has them (an interceptor or its
    airframe); a field no entry has goes to the first, whose validation names it unknown."""
    split: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        owner = next((s for s, e in found if name in type(e).model_fields), found[0][0])
        split.setdefault(owner, {})[name] = value
    return [(s, e, split[s]) for s, e in found if s in split]


def validation_problems(
    path: tuple[str | int, ...],
    fields: Mapping[str, Any],
    model: type[BaseModel],
    error: ValidationError,
) -> list[OverrideProblem]:
    """Pydantic errors of one catalog entry as ``(path, message, suggestions)``.

    ``path`` leads to the entry (``(key,)`` for an override, ``(section, key)`` in a user
    catalog) and ``fields`` are the fields the user wrote. An error of the whole entry (a
    cross-field check) is put on the first written field its message names, since that is
    the one to fix; an unknown field gets the closest field names as suggestions.
    """
    problems: list[OverrideProblem] = []
    for item in error.errors():
        loc = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        suggestions: list[str] = []
        if item["type"] == "extra_forbidden":
            message = "unknown field"
            if len(loc) == 1:
                suggestions = difflib.get_close_matches(str(loc[0]), list(model.model_fields), n=3)
        elif item["type"] not in ("missing", "value_error") and "input" in item:
            shown = repr(item["input"])
            message += f" (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
        if not loc:
            named = [name for name in fields if name in message]
            loc = (named[0],) if named else ()
        problems.append(((*path, *loc), message, suggestions))
    return problems


def read_data_file(name: str) -> dict[str, Any]:
    """One bundled catalog data file as plain data, through the hardened YAML reader.

    The same reader as for scenarios (:mod:`iadsim.core.yaml_input`): duplicate keys, tags
    and merge keys in catalog data are errors too, not silent overrides.
    """
    text = resources.files("iadsim.catalog").joinpath("data", name).read_text("utf-8")
    document, _ = parse_yaml(text, f"catalog/data/{name}")
    return document or {}


def _parse_section(section: str, raw: dict[str, Any]) -> dict[str, BaseModel]:
    model = SECTIONS[section]
    entries: dict[str, BaseModel] = {}
    for key, values in (raw.get(ENTRIES_KEY.get(section, section)) or {}).items():
        try:
            entries[key] = model.model_validate({"key": key, **values})
        except ValidationError as error:
            raise CatalogError(f"catalog/data/{section}.yaml: {key}: {error}") from None
    return entries


@cache
def load_catalog() -> Catalog:
    """Read and validate the bundled catalog (cached: entries are immutable)."""
    raw = {section: read_data_file(f"{section}.yaml") for section in SECTIONS}
    parsed = {section: _parse_section(section, raw[section]) for section in SECTIONS}
    grid_raw = raw["signatures"]
    try:
        grid = SignatureGrid.model_validate({**grid_raw["grid"], "bands": grid_raw["bands"]})
    except ValidationError as error:
        raise CatalogError(f"catalog/data/signatures.yaml: grid or bands: {error}") from None
    sources = read_data_file("sources.yaml").get("sources", {})
    catalog = Catalog(**parsed, signature_grid=grid, sources=sources)  # type: ignore[arg-type]
    check_catalog(catalog)
    return catalog


def check_catalog(catalog: Catalog) -> None:
    """Check what no single entry can: cited source ids exist, launcher loads and airframes
    name interceptors, and each air platform has a signature on the grid, anchored on the
    platform's ``rcs_m2``.

    Raises
    ------
    CatalogError
        Naming the entry and field.
    """
    for section, key, entry in catalog.entries():
        unknown = [s for s in entry.source if s not in catalog.sources]
        if unknown:
            raise CatalogError(f"{section}.{key}: unknown source ids {unknown}")
    for key, launcher in catalog.launchers.items():
        for interceptor in launcher.capacity:
            if interceptor not in catalog.interceptors:
                raise CatalogError(f"launchers.{key}: unknown interceptor {interceptor!r}")
    for key in catalog.airframes:
        if key not in catalog.interceptors:
            raise CatalogError(f"airframes.{key}: no interceptor has this key")
    for key, post in catalog.command_posts.items():
        if post.interrogator not in catalog.interrogators:
            raise CatalogError(f"command_posts.{key}: unknown interrogator {post.interrogator!r}")
    for key in catalog.emitters:
        if key not in catalog.radars:
            raise CatalogError(f"emitters.{key}: no radar has this key")
    for section, category in (
        ("anti_radiation_missiles", "anti_radiation_missile"),
        ("decoys", "decoy"),
    ):
        keys = {k for k, p in catalog.air_platforms.items() if p.category == category}
        if set(catalog.section(section)) != keys:
            odd = sorted(set(catalog.section(section)) ^ keys)
            raise CatalogError(
                f"{section} and the air platforms of category {category} must have the same "
                f"keys; differ: {odd}"
            )
    if set(catalog.signatures) != set(catalog.air_platforms):
        odd = sorted(set(catalog.signatures) ^ set(catalog.air_platforms))
        raise CatalogError(f"signatures and air_platforms must have the same keys; differ: {odd}")
    for key, signature in catalog.signatures.items():
        _check_signature(key, signature, catalog)


def _check_signature(key: str, signature: SignatureType, catalog: Catalog) -> None:
    """Every per-band table of the pattern has one value per band of the grid; the anchor
    is the platform's."""
    bands = [band.name for band in catalog.signature_grid.bands]
    for path, table in signature.pattern.band_tables().items():
        if sorted(table) != sorted(bands):
            raise CatalogError(
                f"signatures.{key}.pattern.{path}: bands {sorted(table)}, expected {bands}"
            )
    anchor_band = signature.anchor.band
    if signature.pattern.band_offset_db.get(anchor_band) != 0.0:
        raise CatalogError(
            f"signatures.{key}.pattern.band_offset_db.{anchor_band}: must be 0, the band of "
            "the anchor (anchor.band, one of the grid's bands)"
        )
    platform_m2 = catalog.air_platforms[key].rcs_m2
    if abs(signature.anchor.rcs_m2 - platform_m2) > 1e-9 * platform_m2:
        raise CatalogError(
            f"signatures.{key}.anchor.rcs_m2 ({signature.anchor.rcs_m2:g}) differs from "
            f"air_platforms.{key}.rcs_m2 ({platform_m2:g})"
        )
