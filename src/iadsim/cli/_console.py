"""The terminal: one console for results, one for errors, and how a user error ends."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

console = Console(width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True)


def fail(error: Exception) -> None:
    """Print a user error without a traceback and exit with code 2."""
    # Escaped: the message quotes user text, which must not be read as Rich markup.
    errors.print(
        f"[bold red]error:[/] {escape(str(error))}", highlight=False, markup=True, soft_wrap=True
    )
    raise typer.Exit(code=2)
