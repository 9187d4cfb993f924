"""Export a finished run to other viewers: CZML (CesiumJS), KML (Google Earth), ACMI
(Tacview). One module per format, each drawing the same :class:`RunRecord`."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from iadsim.export.acmi import write_acmi
from iadsim.export.czml import write_czml
from iadsim.export.kml import write_kml
from iadsim.export.run_record import RunRecord, read_run_record, run_record

__all__ = [
    "FORMATS",
    "ExportError",
    "RunRecord",
    "default_path",
    "export_run",
    "read_run_record",
    "run_record",
]

FORMATS: dict[str, tuple[str, Callable[[RunRecord, Path], None]]] = {
    "czml": (".czml", write_czml),
    "kml": (".kml", write_kml),
    "acmi": (".txt.acmi", write_acmi),
}
"""Format name -> (file suffix, writer)."""


class ExportError(ValueError):
    """The export cannot be written where asked."""


def default_path(run_dir: Path, record: RunRecord, format_name: str) -> Path:
    """``RUN_DIR/<scenario><suffix>``, e.g. ``runs/x/x.czml``."""
    return Path(run_dir) / f"{record.scenario}{FORMATS[format_name][0]}"


def export_run(record: RunRecord, format_name: str, path: Path) -> Path:
    """Write ``record`` in ``format_name`` to ``path``, whole or not at all: into a
    temporary file beside it, then renamed over it.

    Raises
    ------
    ExportError
        If ``path`` is a folder or a link, or its folder does not exist or cannot be written.
    """
    path = Path(path)
    if path.is_symlink() or path.is_dir():
        raise ExportError(f"{path}: is a folder or a link; give a file path")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: folder {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ExportError(f"{path}: cannot write there ({error.strerror})") from None
    os.close(handle)
    try:
        FORMATS[format_name][1](record, Path(temporary))
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path
