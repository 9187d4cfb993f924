"""Build the bundled country borders ``src/iadsim/geo/data/borders_region.geojson``.

Source: Natural Earth 4.1.0 Admin 0 countries at 1:10m (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as redistributed in TopoJSON by the
npm package ``world-atlas@2.0.2`` (file ``countries-10m.json``; package ISC licence).
Natural Earth draws de facto boundaries and keeps some areas as their own map units
(N. Cyprus, the Cyprus UN buffer zone, the UK Sovereign Base Areas, Kosovo); they are kept
as separate features here, with Natural Earth's ADM0_A3 codes where ISO 3166-1 has none.

Get the package without installing it (it is not a dependency of iadsim)::

    mkdir -p /tmp/wa && cd /tmp/wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_borders.py /tmp/wa/package/countries-10m.json

Steps: decode the quantised, delta-encoded TopoJSON arcs; simplify each shared arc once
with Douglas-Peucker (so neighbours keep a common border); assemble rings; clip them to
the region box (Sutherland-Hodgman); write a GeoJSON FeatureCollection of MultiPolygons
with ``name``, ``iso_a3`` and ``iso_n3`` properties, coordinates rounded to 1e-4 deg.
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
}

ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
    "(Admin 0 countries 1:10m, v4.1.0, public domain), via the npm package world-atlas "
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-10m.json")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "src/iadsim/geo/data/borders_region.geojson",
    )
    parser.add_argument(
        "--box",
        type=float,
        nargs=4,
        default=(18.0, 52.0, 30.0, 48.0),
        metavar=("LON_MIN", "LON_MAX", "LAT_MIN", "LAT_MAX"),
    )
    parser.add_argument("--tolerance-deg", type=float, default=0.002)
    args = parser.parse_args()
    box = tuple(args.box)

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    arcs = [douglas_peucker(arc, args.tolerance_deg) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        clipped = []
        for polygon in polygons:
            rings = [clip_ring(assemble_ring(ring_arcs, arcs), box) for ring_arcs in polygon]
            # The first ring is the outline, the others holes (GeoJSON, RFC 7946, 3.1.6).
            if len(rings[0]) >= 4:
                clipped.append([np.round(r, 4).tolist() for r in rings if len(r) >= 4])
        if not clipped:
            continue
        iso_n3 = geometry.get("id")
        iso_a3 = ISO_N3_TO_A3.get(iso_n3) if iso_n3 else NATURAL_EARTH_A3.get(name)
        if iso_a3 is None:
            msg = f"no alpha-3 code for {name!r} (id {iso_n3}); add it to the tables"
            raise SystemExit(msg)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_a3": iso_a3, "iso_n3": iso_n3 or ""},
                "geometry": {"type": "MultiPolygon", "coordinates": clipped},
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a3"])
    collection = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "bbox": [box[0], box[2], box[1], box[3]],
        "features": features,
    }
    args.out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    n_points = sum(
        len(ring) for f in features for poly in f["geometry"]["coordinates"] for ring in poly
    )
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): {len(features)} countries, "
        f"{n_points} points"
    )


if __name__ == "__main__":
    main()
