"""The terminal: one console for results, one for errors, and how a user error ends.

Text that comes from the user (scenario names, unit names, paths, messages quoting input)
goes through :func:`shown` before it reaches the terminal: it is escaped so Rich does not
read it as markup (``name: "[/]x"`` would raise), stripped of control characters and lone
surrogates (which could move the cursor or fail to encode), and truncated (Rich takes
seconds to lay out tens of kilobytes).
"""

from __future__ import annotations

import sys
import unicodedata

import typer
from rich.console import Console
from rich.markup import escape

console = Console(width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True)

SHOWN_CHARACTERS = 200
"""Longest user text shown in one place; longer text ends with an ellipsis."""

ERROR_LINES = 40
"""Most lines of one error message shown; the rest are counted."""


def shown(text: object, limit: int = SHOWN_CHARACTERS) -> str:
    """User text made safe to print as Rich markup: escaped, visible, bounded.

    Parameters
    ----------
    text : object
        Anything; converted with ``str``.
    limit : int
        Characters kept before an ellipsis.

    Returns
    -------
    str
        Control and format characters become ``\\xNN``-style escapes, lone surrogates
        ``\\udXXX``; the result is Rich-escaped.
    """
    raw = str(text)
    clipped = raw[:limit]
    visible = "".join(
        c.encode("unicode_escape").decode("ascii")
        if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c != "\n"
        else c
        for c in clipped
    )
    if len(raw) > limit:
        visible += f"… ({len(raw) - limit} more characters)"
    return escape(visible)


def fail(error: Exception) -> None:
    """Print a user error without a traceback and exit with code 2."""
    lines = str(error).splitlines() or [type(error).__name__]
    text = "\n".join(shown(line, 4 * SHOWN_CHARACTERS) for line in lines[:ERROR_LINES])
    if len(lines) > ERROR_LINES:
        text += f"\n… and {len(lines) - ERROR_LINES} more lines"
    errors.print(f"[bold red]error:[/] {text}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code=2)
