"""Doctrine constraints on engagements: no-fire areas, the magazine reserve, fire channels.

No-fire areas are where a unit must not intercept: named polygons of the scenario (an
allied air corridor, a city) and whole countries whose airspace the unit may not fire into
(over a neighbour's territory). The test is on the predicted intercept point, where the
debris falls (cf. JP 3-01, airspace control measures and weapons engagement zones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import CommandPostType, RadarType
from iadsim.geo.areas import inside_polygon
from iadsim.geo.borders import Country, point_in_country


@dataclass(frozen=True)
class NoFireAreas:
    """Polygons and countries a unit must not intercept over.

    Parameters
    ----------
    zones : sequence of (k, 2) float arrays
        Polygon rings as (lon_deg, lat_deg) vertices.
    countries : tuple of str
        ISO 3166 alpha-3 codes (Natural Earth's, e.g. ``GRC``, ``SYR``).
    borders : list of Country
        Outlines to test the countries against.
    """

    zones: Sequence[np.ndarray] = ()
    countries: tuple[str, ...] = ()
    borders: Sequence[Country] = ()

    def forbidden(self, lat_rad: np.ndarray, lon_rad: np.ndarray) -> np.ndarray:
        """Whether points (radians, any shape) lie in a no-fire area."""
        lat = np.asarray(lat_rad, dtype=float)
        lon = np.asarray(lon_rad, dtype=float)
        inside = np.zeros(lat.shape, dtype=bool)
        if self.countries:
            inside |= point_in_country(lat, lon, self.countries, list(self.borders))
        for ring in self.zones:
            inside |= inside_polygon(ring, lat, lon)
        return inside


def usable_rounds(stock: np.ndarray, initial: np.ndarray, reserve_fraction: float) -> np.ndarray:
    """Rounds a unit may commit now, keeping ``reserve_fraction`` of each type's initial load.

    Parameters
    ----------
    stock, initial : (m,) int64
        Rounds left and rounds loaded at the start, by interceptor type.
    reserve_fraction : float
        In [0, 1).
    """
    return np.maximum(stock - reserve_rounds(initial, reserve_fraction), 0)


def reserve_rounds(initial: np.ndarray, reserve_fraction: float) -> np.ndarray:
    """Rounds of each type kept back: ``floor(reserve_fraction * initial)``, ``(m,)`` int64
    (:func:`usable_rounds` commits the rest of the stock)."""
    return np.array([math.floor(reserve_fraction * n) for n in initial], dtype=np.int64)


def engagement_channels(
    fire_control: RadarType, post: CommandPostType, engaged: dict[int, int]
) -> tuple[int, int]:
    """Targets and missiles a fire unit can still add to its engagements.

    A unit engages at most ``min(post.simultaneous_targets, fire_control.guidance_targets)``
    targets at once (the command post's capacity or the radar's guidance channels, whichever
    is fewer) and guides at most ``fire_control.guidance_missiles`` missiles.

    Parameters
    ----------
    fire_control : RadarType
    post : CommandPostType
    engaged : dict of int -> int
        Track id -> interceptors in flight or awaiting assessment.

    Returns
    -------
    targets, missiles : int
        Free channels (may be negative if a limit was lowered mid-run).
    """
    targets = min(post.simultaneous_targets, fire_control.guidance_targets)
    return targets - len(engaged), fire_control.guidance_missiles - sum(engaged.values())
