"""Names from user files that become folder names: safe by construction."""

from __future__ import annotations

import re

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
"""One folder name: starts with a letter or digit; letters, digits, ``. _ -``; at most 80."""


def is_safe_name(name: str) -> bool:
    """True if ``name`` can be one folder under ``runs/``: no separators, ``..`` or controls."""
    return SAFE_NAME.fullmatch(name) is not None and ".." not in name
