"""Errors that reach the user: bad input, named by file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InputIssue:
    """One problem found in a user file.

    Parameters
    ----------
    field_path : str
        Dotted path of the offending field, e.g. ``fire_units[0].radars[1].type``.
    message : str
        What is wrong and what was expected.
    line : int or None
        1-based line in the file where the field (or its parent) starts.
    suggestions : list of str
        Closest valid names, when a name was misspelt.
    """

    field_path: str
    message: str
    line: int | None = None
    suggestions: list[str] = field(default_factory=list)

    def format(self, file: str) -> str:
        """Return ``file:line: field: message`` with suggestions appended."""
        where = f"{file}:{self.line}" if self.line else file
        text = f"{where}: {self.field_path or '<top>'}: {self.message}"
        if self.suggestions:
            text += f" (did you mean {', '.join(repr(s) for s in self.suggestions)}?)"
        return text


class InputError(Exception):
    """Invalid user input; the CLI prints it without a traceback and exits with code 2."""

    exit_code = 2

    def __init__(self, file: str, issues: list[InputIssue]):
        self.file = file
        self.issues = issues
        super().__init__("\n".join(issue.format(file) for issue in issues))
