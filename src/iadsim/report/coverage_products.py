"""The products of ``iadsim coverage`` for the report: each radar's detection boundary per
altitude (``boundary.geojson``, drawn on the map) and its figures (embedded)."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

__all__ = ["CoverageFolderError", "coverage_boundaries", "coverage_figures_html"]


class CoverageFolderError(ValueError):
    """The folder holds no ``boundary.geojson`` of ``iadsim coverage``."""


def coverage_boundaries(folder: Path) -> list[dict[str, Any]]:
    """The detection boundaries of a coverage folder, as ``{radar, target, altitude_m,
    pd_threshold, ring: [[lat, lon], ...]}`` (rings in degrees, rounded to 1e-4 deg).

    Raises
    ------
    CoverageFolderError
        If ``folder/boundary.geojson`` is missing or unreadable.
    """
    path = Path(folder) / "boundary.geojson"
    try:
        collection = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise CoverageFolderError(f"{folder}: not an iadsim coverage folder ({error})") from None
    out = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") != "Polygon":
            continue  # no cell reached the threshold at that altitude
        props = feature["properties"]
        out.append(
            {
                "radar": props["radar"],
                "target": props["target"],
                "altitude_m": props["altitude_m"],
                "pd_threshold": props["pd_threshold"],
                "ring": [[round(lat, 4), round(lon, 4)] for lon, lat in geometry["coordinates"][0]],
            }
        )
    return out


def coverage_figures_html(folder: Path) -> str:
    """Every PNG figure of a coverage folder, embedded, with its file name as caption."""
    parts = []
    for path in sorted(Path(folder).glob("*.png")):
        uri = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        name = html.escape(path.name)
        parts.append(
            f'<figure><img class="plot" alt="{name}" src="{uri}"><figcaption>{name}'
            "</figcaption></figure>"
        )
    return "\n".join(parts)
