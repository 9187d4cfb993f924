"""Assemble one self-contained HTML page: vendored Leaflet, the viewer's script and style,
the run's data as JSON, and the tables and figures, all inline (no network at all)."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

__all__ = ["fill", "json_for_script", "package_text"]

_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def package_text(name: str) -> str:
    """A text file of the report package (``static/...`` or ``vendor/...``)."""
    return resources.files("iadsim.report").joinpath(name).read_text("utf-8")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<`` can end the
    element or open a comment (escaped as ``\\u003c``, which JSON reads back unchanged)."""
    return json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


def fill(template: str, parts: dict[str, str]) -> str:
    """Replace each ``@NAME@`` (capitals and underscores) of ``template`` with
    ``parts[NAME]``, in one pass, so that text inserted for one name is never searched for
    another.

    Raises
    ------
    KeyError
        If the template names a part not given.
    """
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], template)
