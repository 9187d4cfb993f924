"""``iadsim catalog list | show``: browse the sourced catalog."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from iadsim.catalog import load_catalog
from iadsim.catalog.loader import Catalog
from iadsim.catalog.models import Sourced
from iadsim.cli._console import console, fail, shown
from iadsim.cli._options import CatalogOption
from iadsim.core.errors import InputError


def _catalog(paths: CatalogOption) -> Catalog:
    """The bundled catalog with the ``--catalog`` user catalogs applied."""
    from iadsim.catalog.user_catalog import apply_user_catalogs

    try:
        return apply_user_catalogs(load_catalog(), paths or ())
    except InputError as error:
        fail(error)
        raise  # unreachable: fail exits


def catalog_list(catalog: CatalogOption = None) -> None:
    """List every catalog entry with its sources (with --catalog: and the user's)."""
    entries = _catalog(catalog)
    table = Table(title="iadsim catalog")
    for column in ("section", "key", "name", "sources"):
        table.add_column(column)
    for section, key, entry in entries.entries():  # user text: shown() escapes markup
        table.add_row(section, shown(key), shown(entry.name), shown(", ".join(entry.source)))
    console.print(table)


def catalog_show(
    key: Annotated[str, typer.Argument(help="Entry key, e.g. s400/92n6e.")],
    catalog: CatalogOption = None,
) -> None:
    """Show one entry: every value, its confidence, ranges and full source citations."""
    entries = _catalog(catalog)
    try:
        found = entries.find_all(key)
    except KeyError as error:
        fail(Exception(str(error).strip("\"'")))
    for section, entry in found:  # an interceptor and its airframe share a key
        _print_entry(entries, section, entry)


def _print_entry(catalog: Catalog, section: str, entry: Sourced) -> None:
    """One entry's values (with the spread its sources give), confidence, note, sources."""
    table = Table(title=f"{shown(entry.key)}: {shown(entry.name)} ({section})", show_header=False)
    provenance = {"key", "name", "source", "confidence", "ranges", "note"}
    for field, value in entry.model_dump().items():
        if field not in provenance:
            spread = entry.ranges.get(field)
            table.add_row(
                field,
                shown(f"{value}" + (f"  (sources span {list(spread)})" if spread else ""), 2000),
            )
    nested = {path: spread for path, spread in entry.ranges.items() if "." in path}
    if nested:  # figures inside a field (a signature's pattern), swept by their path
        spans = (f"{path}: {list(spread)}" for path, spread in nested.items())
        table.add_row("sources span", "\n".join(spans))
    table.add_row("confidence", shown(entry.confidence, 2000))
    if entry.note:
        table.add_row("note", shown(entry.note, 2000))
    console.print(table)
    for source in entry.source:
        citation = shown(catalog.sources[source], 2000)
        console.print(f"  [bold]{shown(source)}[/]: {citation}", highlight=False)
