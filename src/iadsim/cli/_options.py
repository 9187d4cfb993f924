"""Command-line options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

CatalogOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog",
        help=(
            "User catalog file or folder of files adding or overriding catalog entries "
            "(docs/catalogs.md); repeatable, applied in order after the scenario's own."
        ),
    ),
]
"""``--catalog PATH``, repeatable: user catalogs (:mod:`iadsim.catalog.user_catalog`)."""
