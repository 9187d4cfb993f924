"""Detection boundaries as a GeoJSON FeatureCollection (RFC 7946), written atomically.

Each :class:`~iadsim.coverage.profiles.DetectionBoundary` becomes one Feature with a
Polygon whose single exterior ring runs counter-clockwise (RFC 7946, section 3.1.6) through
the boundary points in ``[longitude, latitude]`` order (section 3.1.1), first and last
position equal. Azimuths where the threshold is never reached put the vertex on the radar
site, so a sector radar gives a wedge; runs of such vertices are merged. A boundary with no
detection at all has ``"geometry": null`` (an unlocated Feature, section 3.2). Properties:
``radar``, ``target``, ``altitude_m``, ``pd_threshold``, and the largest and the median
boundary range over the azimuths with a detection (``max_range_km``, ``median_range_km``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from iadsim.coverage.profiles import DetectionBoundary

__all__ = ["boundary_feature", "boundary_features", "write_geojson"]

_DECIMALS = 6  # about 0.1 m: finer than any terrain or range sampling here


def _ring(boundary: DetectionBoundary) -> list[list[float]] | None:
    """Closed counter-clockwise ring of [lon, lat] degrees, or None if nothing is detected."""
    if not np.any(boundary.range_m > 0.0):
        return None
    lon = np.round(np.degrees(boundary.lon_rad), _DECIMALS)
    lat = np.round(np.degrees(boundary.lat_rad), _DECIMALS)
    site = [
        round(float(np.degrees(boundary.site_lon_rad)), _DECIMALS),
        round(float(np.degrees(boundary.site_lat_rad)), _DECIMALS),
    ]
    points: list[list[float]] = []
    # Azimuth runs clockwise from north; reversing it makes the ring counter-clockwise.
    for k in range(boundary.az_rad.size - 1, -1, -1):
        point = site if boundary.range_m[k] <= 0.0 else [float(lon[k]), float(lat[k])]
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) < 3:
        return None
    return [*points, points[0]]


def boundary_feature(boundary: DetectionBoundary) -> dict[str, Any]:
    """One GeoJSON Feature for a detection boundary."""
    ring = _ring(boundary)
    detected = boundary.range_m[boundary.range_m > 0.0]
    return {
        "type": "Feature",
        "geometry": None if ring is None else {"type": "Polygon", "coordinates": [ring]},
        "properties": {
            "radar": boundary.radar,
            "target": boundary.target,
            "altitude_m": boundary.alt_m,
            "pd_threshold": boundary.pd_threshold,
            "max_range_km": round(float(detected.max()) / 1000.0, 3) if detected.size else 0.0,
            "median_range_km": (
                round(float(np.median(detected)) / 1000.0, 3) if detected.size else 0.0
            ),
        },
    }


def boundary_features(boundaries: Iterable[DetectionBoundary]) -> dict[str, Any]:
    """A FeatureCollection of detection boundaries."""
    return {"type": "FeatureCollection", "features": [boundary_feature(b) for b in boundaries]}


def write_geojson(path: str | Path, collection: dict[str, Any]) -> Path:
    """Write a GeoJSON object as UTF-8 JSON via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
