"""User catalogs: YAML files that add entries to the bundled catalog or override them.

A user catalog file has the bundled catalog's sections as top-level keys (``radars``,
``launchers``, ``interceptors``, ``command_posts``, ``air_platforms``, ``airframes``,
``signatures``, ``interrogators``, ``transponders``) and an optional ``sources`` mapping of
its own source ids to citations. Each entry has the same schema and provenance fields as a
bundled one (:mod:`iadsim.catalog.models`), and every entry must give ``source``:

- a **new key** is a whole new entry, validated by its section's model;
- a **bundled key** overrides the bundled entry: the fields given replace the bundled ones
  (signatures merge into their nested pattern), the entry is validated whole again, its
  ``source`` lists the user's sources before the bundled ones, and the bundled ``ranges``
  of the fields the user set are dropped (the user's figure has its own provenance).

Files apply in order, each on the catalog the previous ones left; then the catalog-wide
checks (:func:`iadsim.catalog.loader.check_catalog`) run again, so a new air platform needs
its signature, a launcher's rounds an interceptor, and so on. Every problem is reported at
once as ``file:line: field: message`` (:class:`~iadsim.core.errors.InputError`). The user
guide is ``docs/catalogs.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from iadsim.catalog.loader import (
    DEEP_MERGED,
    SECTIONS,
    Catalog,
    CatalogError,
    _deep_merge,
    check_catalog,
    validation_problems,
)
from iadsim.core.errors import InputError, InputIssue
from iadsim.core.yaml_input import PathKey, format_path, line_of, read_yaml

__all__ = ["USER_CATALOG_SUFFIXES", "apply_user_catalogs", "catalog_files", "read_user_catalog"]

USER_CATALOG_SUFFIXES = (".yaml", ".yml")
"""File endings read from a catalog folder (in name order)."""

SOURCES_KEY = "sources"
"""The top-level key of a user catalog's own source list."""


def catalog_files(path: str | Path) -> list[Path]:
    """The catalog files a ``--catalog`` path names: the file, or a folder's YAML files.

    Parameters
    ----------
    path : str or Path
        A YAML file, or a folder whose ``*.yaml`` and ``*.yml`` files are read in name order
        (not its subfolders).

    Raises
    ------
    InputError
        When the path does not exist or a folder holds no catalog file.
    """
    folder = Path(path)
    if folder.is_dir():
        files = sorted(p for p in folder.iterdir() if p.suffix in USER_CATALOG_SUFFIXES)
        if not files:
            message = f"the folder holds no catalog file ({', '.join(USER_CATALOG_SUFFIXES)})"
            raise InputError(str(path), [InputIssue("", message)])
        return files
    if not folder.exists():
        raise InputError(str(path), [InputIssue("", "no such catalog file or folder")])
    return [folder]


def apply_user_catalogs(catalog: Catalog, paths: Iterable[str | Path]) -> Catalog:
    """The catalog with the user catalog files or folders ``paths`` applied in order.

    Raises
    ------
    InputError
        For the first file with problems, listing all of that file's problems.
    """
    for path in paths:
        for file in catalog_files(path):
            catalog = read_user_catalog(catalog, file)
    return catalog


def read_user_catalog(catalog: Catalog, file: str | Path) -> Catalog:
    """Apply one user catalog file to ``catalog``.

    Parameters
    ----------
    catalog : Catalog
        What the file adds to or overrides (the bundled catalog, or it after other files).
    file : str or Path
        The user catalog YAML file.

    Returns
    -------
    Catalog
        A new catalog; ``catalog`` is unchanged.

    Raises
    ------
    InputError
        Every problem of the file, each with its line and field path
        (``air_platforms.taurus.max_speed_m_s``).
    """
    name = str(file)
    document, lines = read_yaml(file)
    if document is None:
        raise InputError(name, [InputIssue("", "the file is empty", 1)])
    if not isinstance(document, dict):
        raise InputError(name, [InputIssue("", "expected a mapping of catalog sections", 1)])
    problems: list[tuple[PathKey, str, list[str]]] = []
    sources = _read_sources(document.get(SOURCES_KEY, {}), catalog.sources, problems)
    changed: dict[str, dict[str, Any]] = {}
    for section, entries in document.items():
        if section == SOURCES_KEY:
            continue
        if section not in SECTIONS:
            close = difflib.get_close_matches(str(section), [*SECTIONS, SOURCES_KEY], n=3)
            known = ", ".join([*SECTIONS, SOURCES_KEY])
            problems.append(
                ((section,), f"unknown catalog section; expected one of {known}", close)
            )
            continue
        if entries is None:  # an empty section: nothing to add
            continue
        if not isinstance(entries, dict):
            problems.append(((section,), "expected a mapping of entry keys to entries", []))
            continue
        bundled = catalog.section(section)
        own = changed.setdefault(section, dict(bundled))
        for key, values in entries.items():
            entry = _entry(section, str(key), values, bundled.get(key), sources, problems)
            if entry is not None:
                own[str(key)] = entry
    if not problems:
        updated = replace(catalog, **changed, sources=sources)  # type: ignore[arg-type]
        problems.extend(_catalog_problems(updated, changed))
    if problems:
        raise InputError(
            name,
            [
                InputIssue(format_path(path), message, line_of(path, lines), suggestions)
                for path, message, suggestions in problems
            ],
        )
    return updated


def _read_sources(
    raw: Any, known: dict[str, str], problems: list[tuple[PathKey, str, list[str]]]
) -> dict[str, str]:
    """The bundled source list plus the file's own; a bundled id cannot be redefined."""
    sources = dict(known)
    if not isinstance(raw, dict):
        problems.append(((SOURCES_KEY,), "expected a mapping of source ids to citations", []))
        return sources
    for source_id, citation in raw.items():
        path: PathKey = (SOURCES_KEY, source_id)
        if not isinstance(source_id, str) or not isinstance(citation, str) or not citation:
            problems.append((path, "expected a source id with a citation (text)", []))
        elif source_id in known and known[source_id] != citation:
            message = f"source id {source_id!r} is a bundled source; give yours another id"
            problems.append((path, message, []))
        else:
            sources[source_id] = citation
    return sources


def _entry(
    section: str,
    key: str,
    values: Any,
    bundled: Any,
    sources: dict[str, str],
    problems: list[tuple[PathKey, str, list[str]]],
) -> Any:
    """One validated entry of the file, or None after recording its problems."""
    path: PathKey = (section, key)
    if not isinstance(values, dict):
        problems.append((path, "expected a mapping of fields", []))
        return None
    if "key" in values:
        problems.append(((*path, "key"), "the entry's key is its name in the file", []))
        return None
    source = values.get("source")
    if source is None:
        message = "every user catalog entry needs a source (a list of source ids)"
        problems.append(((*path, "source"), message, []))
        return None
    if not isinstance(source, list) or not source or not all(isinstance(s, str) for s in source):
        message = f"expected a non-empty list of source ids, e.g. [U1] (got {source!r:.60})"
        problems.append(((*path, "source"), message, []))
        return None
    model = SECTIONS[section]
    data: dict[str, Any] = {"key": key, **values}
    if bundled is not None:
        data = _override(section, bundled.model_dump(), values)
    try:
        entry = model.model_validate(data)
    except ValidationError as error:
        problems.extend(validation_problems(path, values, model, error))
        return None
    for i, source_id in enumerate(values["source"]):
        if source_id not in sources:
            close = difflib.get_close_matches(source_id, list(sources), n=3)
            message = f"unknown source id {source_id!r}; define it under sources:"
            problems.append(((*path, "source", i), message, close))
    return entry


def _override(section: str, base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A bundled entry (dumped) with the user's fields written in."""
    merge = _deep_merge if section in DEEP_MERGED else dict.__or__
    data: dict[str, Any] = merge(base, values)
    user_sources = list(values["source"])
    data["source"] = user_sources + [s for s in base["source"] if s not in user_sources]
    kept = {name: span for name, span in base["ranges"].items() if name.split(".")[0] not in values}
    data["ranges"] = kept | (values.get("ranges") or {})
    return data


def _catalog_problems(
    catalog: Catalog, changed: dict[str, dict[str, Any]]
) -> list[tuple[PathKey, str, list[str]]]:
    """Checks across entries, named at the user's entry where one is to blame."""
    problems: list[tuple[PathKey, str, list[str]]] = []
    platforms, signatures = set(catalog.air_platforms), set(catalog.signatures)
    for key in sorted(platforms - signatures):
        message = f"a new air platform needs a signature of the same key (signatures.{key})"
        problems.append((("air_platforms", key), message, []))
    for key in sorted(signatures - platforms):
        message = f"a signature needs an air platform of the same key (air_platforms.{key})"
        problems.append((("signatures", key), message, []))
    for key, launcher in changed.get("launchers", {}).items():
        for interceptor in launcher.capacity:
            if interceptor not in catalog.interceptors:
                message = f"unknown interceptor {interceptor!r}"
                close = difflib.get_close_matches(interceptor, list(catalog.interceptors), n=3)
                problems.append((("launchers", key, "capacity", interceptor), message, close))
    if problems:
        return problems
    try:
        check_catalog(catalog)
    except CatalogError as error:
        where, _, message = str(error).partition(": ")
        problems.append((_error_path(where), message or str(error), []))
    return problems


def _error_path(where: str) -> PathKey:
    """``signatures.taurus.pattern.band_offset_db`` -> a path the line map knows."""
    parts: Sequence[str] = where.split(".")
    if parts and parts[0] in SECTIONS:
        return tuple(parts)
    return ()
