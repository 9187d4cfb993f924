"""Build the bundled country borders: ``borders_region.geojson`` and ``borders_world.geojson``.

Source: Natural Earth 4.1.0 Admin 0 countries (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as redistributed in TopoJSON by the
npm package ``world-atlas@2.0.2`` (files ``countries-10m.json`` and ``countries-50m.json``;
package ISC licence). Natural Earth draws de facto boundaries and keeps some areas as their
own map units (N. Cyprus, the Cyprus UN buffer zone, the UK Sovereign Base Areas, Kosovo,
Somaliland, ...); they are kept as separate features here, with Natural Earth's ADM0_A3
codes where ISO 3166-1 has none.

Two layers, read together by :func:`iadsim.geo.borders.load_borders`:

* ``region``: the 1:10m outlines clipped to the Turkey box (30-48 N, 18-52 E), simplified
  to 0.002 deg (about 200 m);
* ``world``: the 1:50m outlines of the whole world *outside* that box (clipped to the four
  boxes west, east, south and north of it), simplified to 0.01 deg (about 1 km).

Get the package without installing it (it is not a dependency of iadsim), and pycountry for
the ISO 3166-1 numeric to alpha-3 codes of the world layer (used by this script only)::

    mkdir -p /tmp/wa && cd /tmp/wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip download --no-deps pycountry -d /tmp/pyc && cd /tmp/pyc && unzip -o -q pycountry-*.whl
    python scripts/make_borders.py region /tmp/wa/package/countries-10m.json
    PYTHONPATH=/tmp/pyc python scripts/make_borders.py world /tmp/wa/package/countries-50m.json

Steps: decode the quantised, delta-encoded TopoJSON arcs; simplify each shared arc once
with Douglas-Peucker (so neighbours keep a common border); assemble rings; bring rings that
cross the antimeridian (world-atlas 2 keeps them whole, for spherical drawing) into
-180..180 deg, closing rings around a pole along the pole; clip them to the layer's boxes
(Sutherland-Hodgman); write a GeoJSON FeatureCollection of MultiPolygons with ``name``,
``iso_a3`` and ``iso_n3`` properties, coordinates rounded to 1e-4 deg (region) or 1e-3 deg
(world, about 100 m, a tenth of its simplification tolerance).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

# ISO 3166-1 numeric -> alpha-3 for the countries that reach the region box.
ISO_N3_TO_A3 = {
    "008": "ALB", "031": "AZE", "051": "ARM", "070": "BIH", "100": "BGR", "191": "HRV",
    "196": "CYP", "268": "GEO", "275": "PSE", "300": "GRC", "348": "HUN", "364": "IRN",
    "368": "IRQ", "376": "ISR", "380": "ITA", "398": "KAZ", "400": "JOR", "414": "KWT",
    "422": "LBN", "434": "LBY", "498": "MDA", "499": "MNE", "642": "ROU", "643": "RUS",
    "682": "SAU", "688": "SRB", "703": "SVK", "760": "SYR", "792": "TUR", "795": "TKM",
    "804": "UKR", "807": "MKD", "818": "EGY",
}  # fmt: skip
# Natural Earth ADM0_A3 codes for map units without an ISO 3166-1 code.
NATURAL_EARTH_A3 = {
    "N. Cyprus": "CYN",
    "Cyprus U.N. Buffer Zone": "CNM",
    "Dhekelia": "ESB",
    "Akrotiri": "WSB",
    "Kosovo": "KOS",
    "Somaliland": "SOL",
    "Siachen Glacier": "KAS",
    "Indian Ocean Ter.": "IOA",
    "Ashmore and Cartier Is.": "ATC",  # shares Australia's ISO numeric code in world-atlas
    "Baikonur": "KAB",
    "USNB Guantanamo Bay": "USG",
    "Coral Sea Is.": "CSI",
    "Spratly Is.": "PGA",
    "Clipperton I.": "CLP",
    "Bajo Nuevo Bank": "BJN",
    "Serranilla Bank": "SER",
    "Scarborough Reef": "SCR",
}
REGION_BOX = (18.0, 52.0, 30.0, 48.0)
"""The Turkey box of the 1:10m layer: (lon_min, lon_max, lat_min, lat_max), degrees."""

ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
    "(Admin 0 countries 1:{scale}, v4.1.0, public domain), via the npm package world-atlas "
    "2.0.2; simplified and clipped by iadsim scripts/make_borders.py."
)


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates of every arc of a quantised TopoJSON topology."""
    scale = np.asarray(topology["transform"]["scale"], dtype=np.float64)
    translate = np.asarray(topology["transform"]["translate"], dtype=np.float64)
    return [
        np.cumsum(np.asarray(arc, dtype=np.float64), axis=0) * scale + translate
        for arc in topology["arcs"]
    ]


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Vertices needed to stay within ``tolerance`` of the line (Douglas & Peucker, 1973)."""
    n = len(points)
    if n < 3:
        return points
    if np.allclose(points[0], points[-1]):
        # A closed arc: split at the vertex farthest from the start and simplify both halves.
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        if far in (0, n - 1):
            return points[[0, -1]]
        first = douglas_peucker(points[: far + 1], tolerance)
        second = douglas_peucker(points[far:], tolerance)
        return np.vstack([first, second[1:]])
    keep = np.zeros(n, dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, n - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        segment = points[end] - points[start]
        rel = points[start + 1 : end] - points[start]
        length = np.hypot(*segment)
        distance = np.abs(segment[0] * rel[:, 1] - segment[1] * rel[:, 0]) / length
        k = int(np.argmax(distance))
        if distance[k] > tolerance:
            mid = start + 1 + k
            keep[mid] = True
            stack += [(start, mid), (mid, end)]
    return points[keep]


def assemble_ring(arc_indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join TopoJSON arcs (negative index = reversed arc ``~i``) into one closed ring."""
    parts = []
    for k, index in enumerate(arc_indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.vstack(parts)


def clip_ring(ring: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Sutherland-Hodgman clip of a closed ring to ``(lon_min, lon_max, lat_min, lat_max)``."""
    lon_min, lon_max, lat_min, lat_max = box
    points = ring[:-1]
    for axis, limit, keep_above in (
        (0, lon_min, True),
        (0, lon_max, False),
        (1, lat_min, True),
        (1, lat_max, False),
    ):
        if len(points) == 0:
            break
        inside = points[:, axis] >= limit if keep_above else points[:, axis] <= limit
        output = []
        for k in range(len(points)):
            current, previous = points[k], points[k - 1]
            if inside[k] != inside[k - 1]:
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                output.append(previous + t * (current - previous))
            if inside[k]:
                output.append(current)
        points = np.asarray(output).reshape(-1, 2)
    if len(points) < 3:
        return np.empty((0, 2))
    return np.vstack([points, points[:1]])


def unwrap_ring(ring: np.ndarray) -> list[np.ndarray]:
    """A ring as one or more rings within -180..180 deg of longitude.

    world-atlas 2 keeps rings that cross the antimeridian whole (a step from 179 to -179
    deg). The longitudes are unwrapped (no step over 180 deg); a ring that then does not
    close (it goes once around a pole, as Antarctica does) is closed along the pole; the
    result is clipped to the world window and to the windows one turn east and west.
    """
    turns = np.concatenate([[0.0], np.cumsum(-np.rint(np.diff(ring[:, 0]) / 360.0))])
    lon = ring[:, 0] + 360.0 * turns
    unwrapped = np.column_stack([lon, ring[:, 1]])
    if abs(lon[-1] - lon[0]) > 180.0:
        pole = -90.0 if ring[:, 1].mean() < 0.0 else 90.0
        unwrapped = np.vstack([unwrapped, [[lon[-1], pole], [lon[0], pole], unwrapped[0]]])
    if lon.min() >= -180.0 and lon.max() <= 180.0 and len(unwrapped) == len(ring):
        return [ring]
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        shifted = unwrapped + np.array([shift, 0.0])
        if shifted[:, 0].max() <= -180.0 or shifted[:, 0].min() >= 180.0:
            continue
        piece = clip_ring(shifted, (-180.0, 180.0, -90.0, 90.0))
        if len(piece) >= 4:
            pieces.append(piece)
    return pieces


def pole_cap(ring: np.ndarray) -> bool:
    """Whether a ring lies wholly within 0.01 deg of a pole (a cap of no area on the plane)."""
    return bool(np.abs(ring[:, 1]).min() >= 89.99)


Box = tuple[float, float, float, float]


def outside_boxes(box: Box) -> list[Box]:
    """The world outside ``box`` as four boxes: west, east (all latitudes), south, north."""
    lon_min, lon_max, lat_min, lat_max = box
    return [
        (-180.0, lon_min, -90.0, 90.0),
        (lon_max, 180.0, -90.0, 90.0),
        (lon_min, lon_max, -90.0, lat_min),
        (lon_min, lon_max, lat_max, 90.0),
    ]


def alpha3(name: str, iso_n3: str | None, table: dict[str, str]) -> str:
    """ISO 3166-1 alpha-3 (or Natural Earth ADM0_A3) code of a world-atlas feature."""
    code = NATURAL_EARTH_A3.get(name) or (table.get(iso_n3) if iso_n3 else None)
    if code is None:
        msg = f"no alpha-3 code for {name!r} (id {iso_n3}); add it to the tables"
        raise SystemExit(msg)
    return code


def build_features(
    topology: dict,
    tolerance_deg: float,
    boxes: list[tuple[float, float, float, float]],
    table: dict[str, str],
    decimals: int,
) -> list[dict]:
    """GeoJSON features of every country, its rings clipped to each of ``boxes`` and
    rounded to ``decimals`` decimal places of a degree."""
    arcs = [douglas_peucker(arc, tolerance_deg) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        clipped = []
        for polygon in polygons:
            whole = [
                [p for p in unwrap_ring(assemble_ring(ring_arcs, arcs)) if not pole_cap(p)]
                for ring_arcs in polygon
            ]
            if not whole[0] and len(whole) > 1:
                # world-atlas draws Antarctica as a cap around the pole with the coast as its
                # hole (spherical winding); on the plane, the coast closed along the pole is
                # the outline.
                whole = whole[1:]
            for box in boxes:
                # The first ring is the outline, the others holes (GeoJSON, RFC 7946, 3.1.6).
                for outline in whole[0]:
                    rings = [clip_ring(outline, box)]
                    rings += [clip_ring(hole, box) for holes in whole[1:] for hole in holes]
                    if len(rings[0]) >= 4:
                        kept = [r for r in rings if len(r) >= 4]
                        clipped.append([np.round(r, decimals).tolist() for r in kept])
        if not clipped:
            continue
        iso_n3 = geometry.get("id")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "iso_a3": alpha3(name, iso_n3, table),
                    "iso_n3": iso_n3 or "",
                },
                "geometry": {"type": "MultiPolygon", "coordinates": clipped},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a3"])
    return features


def iso_table() -> dict[str, str]:
    """ISO 3166-1 numeric -> alpha-3 for every country, from pycountry (build time only)."""
    try:
        import pycountry
    except ImportError:
        msg = "the world layer needs pycountry on PYTHONPATH (see the module docstring)"
        raise SystemExit(msg) from None
    return {c.numeric: c.alpha_3 for c in pycountry.countries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", choices=("region", "world"))
    parser.add_argument("topojson", type=Path, help="world-atlas countries-10m/-50m.json")
    parser.add_argument("--out", type=Path, help="default: src/iadsim/geo/data/borders_<layer>")
    parser.add_argument(
        "--tolerance-deg", type=float, help="Douglas-Peucker tolerance (0.002 region, 0.01 world)"
    )
    args = parser.parse_args()
    data = Path(__file__).resolve().parents[1] / "src/iadsim/geo/data"
    out = args.out or data / f"borders_{args.layer}.geojson"
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    if args.layer == "region":
        tolerance, boxes, table, scale, decimals = 0.002, [REGION_BOX], ISO_N3_TO_A3, "10m", 4
        bbox = [REGION_BOX[0], REGION_BOX[2], REGION_BOX[1], REGION_BOX[3]]
    else:
        tolerance, boxes, table, scale = 0.01, outside_boxes(REGION_BOX), iso_table(), "50m"
        decimals = 3
        bbox = [-180.0, -90.0, 180.0, 90.0]
    tolerance = args.tolerance_deg if args.tolerance_deg is not None else tolerance
    features = build_features(topology, tolerance, boxes, table, decimals)
    collection = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION.format(scale=scale),
        "bbox": bbox,
        "features": features,
    }
    out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    n_points = sum(
        len(ring) for f in features for poly in f["geometry"]["coordinates"] for ring in poly
    )
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB): {len(features)} countries, "
        f"{n_points} points"
    )


if __name__ == "__main__":
    main()
