"""Points in polygons drawn on the map (no-fire zones, corridors), in degrees at the edge."""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path as MplPath


def inside_polygon(ring_lonlat_deg: np.ndarray, lat_rad, lon_rad) -> np.ndarray:
    """Whether points lie inside a polygon ring (planar in longitude and latitude).

    Parameters
    ----------
    ring_lonlat_deg : (k, 2) float64
        Vertices as (longitude, latitude) in degrees.
    lat_rad, lon_rad : array_like, same shape
        Points, radians.

    Returns
    -------
    ndarray of bool, the points' shape
    """
    lat = np.asarray(lat_rad, dtype=float)
    points = np.column_stack([np.degrees(np.ravel(lon_rad)), np.degrees(lat.ravel())])
    return MplPath(ring_lonlat_deg).contains_points(points).reshape(lat.shape)
