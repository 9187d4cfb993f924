"""``iadsim catalog list | show``: browse the sourced catalog."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from iadsim.catalog import load_catalog
from iadsim.catalog.loader import Catalog
from iadsim.catalog.models import Sourced
from iadsim.cli._console import console, fail


def catalog_list() -> None:
    """List every catalog entry with its sources."""
    catalog = load_catalog()
    table = Table(title="iadsim catalog")
    for column in ("section", "key", "name", "sources"):
        table.add_column(column)
    for section, key, entry in catalog.entries():
        table.add_row(section, key, entry.name, ", ".join(entry.source))
    console.print(table)


def catalog_show(key: Annotated[str, typer.Argument(help="Entry key, e.g. s400/92n6e.")]) -> None:
    """Show one entry: every value, its confidence, ranges and full source citations."""
    catalog = load_catalog()
    try:
        found = catalog.find_all(key)
    except KeyError as error:
        fail(Exception(str(error).strip("\"'")))
    for section, entry in found:  # an interceptor and its airframe share a key
        _print_entry(catalog, section, entry)


def _print_entry(catalog: Catalog, section: str, entry: Sourced) -> None:
    """One entry's values (with the spread its sources give), confidence, note, sources."""
    table = Table(title=f"{entry.key}: {entry.name} ({section})", show_header=False)
    provenance = {"key", "name", "source", "confidence", "ranges", "note"}
    for field, value in entry.model_dump().items():
        if field not in provenance:
            spread = entry.ranges.get(field)
            table.add_row(
                field, f"{value}" + (f"  (sources span {list(spread)})" if spread else "")
            )
    nested = {path: spread for path, spread in entry.ranges.items() if "." in path}
    if nested:  # figures inside a field (a signature's pattern), swept by their path
        spans = (f"{path}: {list(spread)}" for path, spread in nested.items())
        table.add_row("sources span", "\n".join(spans))
    table.add_row("confidence", str(entry.confidence))
    if entry.note:
        table.add_row("note", entry.note)
    console.print(table)
    for source in entry.source:
        console.print(f"  [bold]{source}[/]: {catalog.sources[source]}", highlight=False)
