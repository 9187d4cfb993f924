"""Country borders worldwide and point-in-country tests.

The bundled outlines come in two layers, both Natural Earth Admin 0 (v4.1.0, public
domain), built by ``scripts/make_borders.py``:

* ``geo/data/borders_region.geojson``: 1:10m outlines clipped to the Turkey box
  (:data:`REGION_BOX_DEG`), simplified to 0.002 deg (about 200 m);
* ``geo/data/borders_world.geojson``: 1:50m outlines of the rest of the world (clipped to
  the four boxes around the Turkey box), simplified to 0.01 deg (about 1 km), with rings
  that cross the antimeridian cut there and Antarctica closed along the South Pole.

:func:`load_borders` joins them country by country, so each country is one set of rings:
the fine ones inside the box and the coarse ones outside it. Natural Earth draws de facto
boundaries and keeps some map units apart: northern Cyprus (``CYN``), the UN buffer zone
(``CNM``), the UK Sovereign Base Areas (``WSB``, ``ESB``), Kosovo (``KOS``), Somaliland
(``SOL``) and a few others are their own features with Natural Earth ADM0_A3 codes; every
other ``iso_a3`` is ISO 3166-1 alpha-3.

Point-in-polygon uses the even-odd rule over all rings of a country (so holes count out)
through :meth:`matplotlib.path.Path.contains_points`, in plain lon/lat degrees (fine for
polygons whose edges are short compared with the earth's curvature).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
from matplotlib.path import Path as MplPath
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "REGION_BOX_DEG",
    "Country",
    "country_at",
    "country_contains_deg",
    "load_borders",
    "point_in_country",
]

REGION_BOX_DEG = (18.0, 52.0, 30.0, 48.0)
"""Box of the fine (1:10m) layer: (lon_min, lon_max, lat_min, lat_max), degrees."""


class Country(NamedTuple):
    """One country (or Natural Earth map unit).

    Attributes
    ----------
    name : str
        Natural Earth short name, e.g. ``"Turkey"``.
    iso_a3 : str
        ISO 3166-1 alpha-3 code (Natural Earth ADM0_A3 where ISO has none).
    rings_lonlat_deg : list of (n, 2) float64 arrays
        Closed rings (first point repeated last), columns longitude, latitude in degrees;
        outlines and holes alike.
    """

    name: str
    iso_a3: str
    rings_lonlat_deg: list[NDArray[np.float64]]


def load_borders(path: str | Path | None = None) -> list[Country]:
    """Read country outlines from a GeoJSON FeatureCollection (default: the bundled ones).

    Parameters
    ----------
    path : str or Path, optional
        A GeoJSON file whose features have ``name`` and ``iso_a3`` properties and Polygon
        or MultiPolygon geometries in lon/lat degrees. Default: the bundled world outlines,
        1:10m inside :data:`REGION_BOX_DEG` and 1:50m elsewhere, one entry per country.

    Returns
    -------
    list of Country
        In file order (bundled: sorted by code).

    Raises
    ------
    ValueError
        A feature without ``iso_a3`` or with another geometry type (names the file).
    """
    if path is None:
        return list(_bundled_borders())
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _bundled_borders() -> tuple[Country, ...]:
    """Both bundled layers joined by code (read once per process; the arrays are shared)."""
    joined: dict[str, Country] = {}
    for name in ("borders_region.geojson", "borders_world.geojson"):
        ref = resources.files("iadsim.geo").joinpath(f"data/{name}")
        for country in _parse(ref.read_text(encoding="utf-8"), f"bundled {name}"):
            known = joined.get(country.iso_a3)
            rings = country.rings_lonlat_deg if known is None else known.rings_lonlat_deg
            if known is not None:
                rings = rings + country.rings_lonlat_deg
            name_first = country.name if known is None else known.name
            joined[country.iso_a3] = Country(name_first, country.iso_a3, rings)
    for country in joined.values():
        for ring in country.rings_lonlat_deg:
            ring.flags.writeable = False
    return tuple(joined[code] for code in sorted(joined))


def _parse(text: str, where: str) -> list[Country]:
    """Countries of one GeoJSON FeatureCollection text; ``where`` names it in errors."""
    countries = []
    for index, feature in enumerate(json.loads(text)["features"]):
        properties, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        if "iso_a3" not in properties or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            msg = f"{where}: features[{index}] needs an iso_a3 property and (Multi)Polygon geometry"
            raise ValueError(msg)
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [np.asarray(ring, dtype=np.float64) for polygon in polygons for ring in polygon]
        countries.append(Country(properties.get("name", ""), properties["iso_a3"], rings))
    return countries


def country_contains_deg(
    country: Country, lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Even-odd containment of points in all rings of one country (degrees, for figures).

    Parameters
    ----------
    country : Country
    lon_deg, lat_deg : (n,) float64
        Points in degrees, longitudes in (-180, 180].

    Returns
    -------
    (n,) bool
    """
    inside = np.zeros(lon_deg.shape, dtype=bool)
    for ring in country.rings_lonlat_deg:
        lon_lo, lat_lo = ring.min(axis=0)
        lon_hi, lat_hi = ring.max(axis=0)
        near = (lon_deg >= lon_lo) & (lon_deg <= lon_hi) & (lat_deg >= lat_lo) & (lat_deg <= lat_hi)
        if not near.any():
            continue
        points = np.column_stack([lon_deg[near], lat_deg[near]])
        inside[near] ^= MplPath(ring).contains_points(points)
    return inside


def point_in_country(
    lat_rad: ArrayLike,
    lon_rad: ArrayLike,
    iso_a3: str | Sequence[str],
    borders: list[Country] | None = None,
) -> NDArray[np.bool_]:
    """Whether points lie inside a country (or inside any of several).

    Parameters
    ----------
    lat_rad, lon_rad : array_like, broadcastable
        Points, radians.
    iso_a3 : str or sequence of str
        Code(s) as in :class:`Country`, e.g. ``"TUR"`` or ``("CYP", "CYN")``.
    borders : list of Country, optional
        Default: the bundled borders (read once per process).

    Returns
    -------
    ndarray of bool, broadcast shape

    Raises
    ------
    KeyError
        An unknown code.
    """
    borders = load_borders() if borders is None else borders
    codes = {iso_a3} if isinstance(iso_a3, str) else set(iso_a3)
    unknown = codes - {c.iso_a3 for c in borders}
    if unknown:
        raise KeyError(f"unknown country code(s) {sorted(unknown)}")
    lat, lon = np.broadcast_arrays(
        np.asarray(lat_rad, dtype=float), np.asarray(lon_rad, dtype=float)
    )
    lat_deg = np.degrees(lat).ravel()
    # Bring longitudes to (-180, 180], the range the outlines use.
    lon_deg = (180.0 - np.mod(180.0 - np.degrees(lon), 360.0)).ravel()
    inside = np.zeros(lat_deg.shape, dtype=bool)
    for country in borders:
        if country.iso_a3 in codes:
            inside |= country_contains_deg(country, lon_deg, lat_deg)
    return inside.reshape(lat.shape)


def country_at(
    lat_rad: ArrayLike, lon_rad: ArrayLike, borders: list[Country] | None = None
) -> NDArray[np.str_]:
    """The ``iso_a3`` code of the country containing each point, ``""`` where none (sea).

    Parameters
    ----------
    lat_rad, lon_rad : array_like, broadcastable
        Points, radians.
    borders : list of Country, optional
        Default: the bundled borders.

    Returns
    -------
    ndarray of str, broadcast shape
    """
    borders = load_borders() if borders is None else borders
    lat, lon = np.broadcast_arrays(
        np.asarray(lat_rad, dtype=float), np.asarray(lon_rad, dtype=float)
    )
    lat_deg = np.degrees(lat).ravel()
    lon_deg = (180.0 - np.mod(180.0 - np.degrees(lon), 360.0)).ravel()
    codes = np.full(lat_deg.shape, "", dtype="<U3")
    for country in borders:
        codes[country_contains_deg(country, lon_deg, lat_deg)] = country.iso_a3
    return codes.reshape(lat.shape)
