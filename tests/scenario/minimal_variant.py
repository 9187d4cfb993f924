"""The minimal test scenario, edited for one test and written to its temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "minimal.yaml"


def write_minimal_variant(tmp_path: Path, edit: Callable[[dict], None]) -> Path:
    """``minimal.yaml`` with ``edit`` applied to its document, as ``tmp_path/scenario.yaml``."""
    document = yaml.safe_load(MINIMAL.read_text())
    edit(document)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path
