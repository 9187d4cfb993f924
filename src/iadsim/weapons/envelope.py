"""Launch acceptability region tables computed from flyouts, cached per interceptor type.

A table holds, on a grid of (ground range, target altitude) around the launcher, the time of
flight to a stationary point and the missile speed on arrival, obtained by flying one guided
interceptor to every grid point at once with :func:`iadsim.weapons.flyout.step`. A point is
reachable when the missile gets there (within a miss tolerance, before its maximum flight time,
without hitting the ground) at no less than the airframe's minimum speed. Lookups interpolate
bilinearly, so the kinematic boundary falls between grid points where the interpolated arrival
speed crosses the minimum speed.

The flyouts start from a notional launcher at 40 deg N, 33 deg E, on the ellipsoid, heading
north; the table depends on the site only through earth rotation and gravity, which change the
times of flight by well under a percent. Targets are stationary: this is the kinematic
envelope; the fire-control logic that leads a moving target turns it into a launch window
with the predicted intercept point.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import astuple, dataclass, field
from pathlib import Path

import numpy as np
import pyproj

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.weapons._envelope_kernels import bilinear_kernel, reachable_kernel
from iadsim.weapons._flyout_model import MAX_FLIGHT_TIME, MIN_SPEED
from iadsim.weapons.flyout import (
    Airframe,
    EndReason,
    FlyoutOptions,
    FlyoutState,
    lofted_launch_velocity,
    step,
)

DEFAULT_ALTITUDES_M = (
    50.0,
    500.0,
    1000.0,
    2000.0,
    3000.0,
    5000.0,
    7500.0,
    10000.0,
    12500.0,
    15000.0,
    20000.0,
    25000.0,
    30000.0,
    35000.0,
)
"""Target altitudes of the default grid, m."""

_SITE_LAT_RAD = math.radians(40.0)
_SITE_LON_RAD = math.radians(33.0)
_CACHE_VERSION = "envelope-v1"
_TIME_MARGIN = 1.25


@dataclass(frozen=True, eq=False)
class EnvelopeTable:
    """Time of flight and arrival speed on a (ground range, altitude) grid for one airframe.

    Attributes
    ----------
    airframe_key : str
    ground_range_m : ndarray, shape (n_range,)
        Increasing ground ranges (along the ellipsoid) from the launcher, m.
    altitude_m : ndarray, shape (n_alt,)
        Increasing target heights above the ellipsoid, m.
    time_of_flight_grid_s : ndarray, shape (n_range, n_alt)
        Time of flight to each grid point, s; NaN where the missile never got there.
    arrival_speed_grid_mps : ndarray, shape (n_range, n_alt)
        Missile speed on arrival, m/s; NaN where it never got there.
    min_speed_mps, max_flight_time_s : float
        Reachability thresholds of the airframe.
    """

    airframe_key: str
    ground_range_m: np.ndarray
    altitude_m: np.ndarray
    time_of_flight_grid_s: np.ndarray
    arrival_speed_grid_mps: np.ndarray
    min_speed_mps: float
    max_flight_time_s: float

    def _bilinear(self, grid: np.ndarray, ground_range_m, altitude_m) -> np.ndarray:
        # Compiled lookup (same arithmetic as its NumPy twin, see _envelope_kernels).
        r = np.asarray(ground_range_m, dtype=float)
        h = np.asarray(altitude_m, dtype=float)
        if r.shape != h.shape:
            r, h = np.broadcast_arrays(r, h)
        value = bilinear_kernel(grid, self.ground_range_m, self.altitude_m, r.ravel(), h.ravel())
        return value.reshape(r.shape)

    def time_of_flight_s(self, ground_range_m, altitude_m) -> np.ndarray:
        """Bilinear time of flight, s, shape of the broadcast inputs; NaN where unknown."""
        return self._bilinear(self.time_of_flight_grid_s, ground_range_m, altitude_m)

    def arrival_speed_mps(self, ground_range_m, altitude_m) -> np.ndarray:
        """Bilinear missile speed on arrival, m/s; NaN where unknown."""
        return self._bilinear(self.arrival_speed_grid_mps, ground_range_m, altitude_m)

    def reachable(self, ground_range_m, altitude_m) -> np.ndarray:
        """Whether a stationary point can be engaged, bool array of the broadcast shape: the
        time of flight within the maximum flight time and the arrival speed at least the
        minimum speed (both known)."""
        r = np.asarray(ground_range_m, dtype=float)
        h = np.asarray(altitude_m, dtype=float)
        if r.shape != h.shape:
            r, h = np.broadcast_arrays(r, h)
        # Both lookups and both tests in one compiled call (see _envelope_kernels).
        ok = reachable_kernel(
            self.time_of_flight_grid_s,
            self.arrival_speed_grid_mps,
            self.ground_range_m,
            self.altitude_m,
            r.ravel(),
            h.ravel(),
            float(self.max_flight_time_s),
            float(self.min_speed_mps),
        )
        return ok.reshape(r.shape)

    def max_ground_range_m(self, altitude_m) -> np.ndarray:
        """Largest reachable ground range at each altitude (0 where none), m.

        The boundary is placed where the interpolated arrival speed (or time of flight) crosses
        its limit between the last reachable and the first unreachable grid range.
        """
        h = np.atleast_1d(np.asarray(altitude_m, dtype=float))
        out = np.zeros(h.shape)
        for n, altitude in enumerate(h):
            rows = np.broadcast_to(altitude, self.ground_range_m.shape)
            ok = self.reachable(self.ground_range_m, rows)
            if not ok.any():
                continue
            last = int(np.flatnonzero(ok)[-1])
            out[n] = self.ground_range_m[last]
            if last + 1 < self.ground_range_m.size:
                out[n] = self._boundary(last, altitude)
        return out if np.ndim(altitude_m) else out[0]

    def _boundary(self, last: int, altitude: float) -> float:
        r0, r1 = self.ground_range_m[last], self.ground_range_m[last + 1]
        pair = np.array([r0, r1])
        speed = self.arrival_speed_mps(pair, altitude)
        tof = self.time_of_flight_s(pair, altitude)
        fractions = [1.0]
        if np.all(np.isfinite(speed)) and speed[1] < self.min_speed_mps < speed[0]:
            fractions.append((speed[0] - self.min_speed_mps) / (speed[0] - speed[1]))
        if np.all(np.isfinite(tof)) and tof[0] < self.max_flight_time_s < tof[1]:
            fractions.append((self.max_flight_time_s - tof[0]) / (tof[1] - tof[0]))
        if not np.all(np.isfinite(speed)):
            fractions.append(0.0)
        return float(r0 + (r1 - r0) * min(fractions))


def default_ground_ranges_m(airframe: Airframe, n_ranges: int = 40) -> np.ndarray:
    """Default range grid: up to the distance flown at the mean speed for the maximum time."""
    reach = airframe.mean_speed_mps * airframe.max_flight_time_s
    return np.linspace(reach / n_ranges, reach, n_ranges)


def build_envelope(
    airframe: Airframe,
    ground_range_m=None,
    altitude_m=DEFAULT_ALTITUDES_M,
    *,
    dt_s: float = 0.1,
    miss_tolerance_m: float = 30.0,
    options: FlyoutOptions = FlyoutOptions(),  # noqa: B008 (frozen, immutable default)
) -> EnvelopeTable:
    """Fly one interceptor to every grid point at once and tabulate the results.

    Parameters
    ----------
    airframe : Airframe
    ground_range_m : array_like, shape (n_range,), optional
        Increasing ground ranges, m (default :func:`default_ground_ranges_m`).
    altitude_m : array_like, shape (n_alt,)
        Increasing target altitudes, m.
    dt_s : float
        Integration step, s.
    miss_tolerance_m : float
        Closest approaches farther than this count as not arrived.
    options : FlyoutOptions

    Returns
    -------
    EnvelopeTable
    """
    ranges = np.asarray(
        default_ground_ranges_m(airframe) if ground_range_m is None else ground_range_m,
        dtype=float,
    )
    alts = np.asarray(altitude_m, dtype=float)
    grid_r, grid_h = (a.ravel() for a in np.meshgrid(ranges, alts, indexing="ij"))
    n = grid_r.size

    lon_deg, lat_deg, _ = pyproj.Geod(ellps="WGS84").fwd(
        np.full(n, math.degrees(_SITE_LON_RAD)),
        np.full(n, math.degrees(_SITE_LAT_RAD)),
        np.zeros(n),
        grid_r,
    )
    points = lla_to_ecef(np.radians(lat_deg), np.radians(lon_deg), grid_h)
    site = lla_to_ecef(_SITE_LAT_RAD, _SITE_LON_RAD, 0.0)
    rotation = enu_rotation(_SITE_LAT_RAD, _SITE_LON_RAD)

    state = FlyoutState(n)
    # A fresh table gives the grid points slots 0..n-1, the rows of ``tof`` and ``speed``.
    state.launch(airframe, site, lofted_launch_velocity(site, rotation, points, airframe))
    # Fly on below the minimum speed and past the maximum time, so that arrival speed and time
    # of flight are known just beyond the boundary and the lookups can interpolate across it.
    state.params[:, MIN_SPEED] = 0.0
    state.params[:, MAX_FLIGHT_TIME] = airframe.max_flight_time_s * _TIME_MARGIN

    tof = np.full(n, np.nan)
    speed = np.full(n, np.nan)
    zero = np.zeros((n, 3))
    for _ in range(math.ceil(airframe.max_flight_time_s * _TIME_MARGIN / dt_s) + 1):
        if not state.active.any():
            break
        events = step(state, points, zero, True, dt_s, options=options)
        hit = (events.reason == EndReason.CLOSEST_APPROACH) & (
            events.miss_distance_m <= miss_tolerance_m
        )
        tof[events.slot[hit]] = events.time_since_launch_s[hit]
        speed[events.slot[hit]] = events.speed_mps[hit]

    shape = (ranges.size, alts.size)
    return EnvelopeTable(
        airframe_key=airframe.key,
        ground_range_m=ranges,
        altitude_m=alts,
        time_of_flight_grid_s=tof.reshape(shape),
        arrival_speed_grid_mps=speed.reshape(shape),
        min_speed_mps=airframe.min_speed_mps,
        max_flight_time_s=airframe.max_flight_time_s,
    )


def default_cache_dir() -> Path:
    """User cache folder for envelope tables (``$XDG_CACHE_HOME/iadsim/envelopes``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iadsim" / "envelopes"


@dataclass
class EnvelopeCache:
    """Envelope tables built on demand and kept per airframe (and grid).

    Parameters
    ----------
    disk_dir : Path or None
        Also store tables as ``.npz`` files in this folder and read them back in later runs
        (e.g. :func:`default_cache_dir`); ``None`` (the default) keeps them in memory only.
    read_only : bool
        Read tables from ``disk_dir`` but never write there (the bundled tables).
    dt_s, miss_tolerance_m, options :
        Passed to :func:`build_envelope`.
    """

    disk_dir: Path | None = None
    read_only: bool = False
    dt_s: float = 0.1
    miss_tolerance_m: float = 30.0
    options: FlyoutOptions = field(default_factory=FlyoutOptions)
    _tables: dict[tuple, EnvelopeTable] = field(default_factory=dict, repr=False)

    def get(self, airframe: Airframe, ground_range_m=None, altitude_m=DEFAULT_ALTITUDES_M):
        """The table of ``airframe`` on the given grid, built at most once per cache."""
        ranges = np.asarray(
            default_ground_ranges_m(airframe) if ground_range_m is None else ground_range_m,
            dtype=float,
        )
        alts = np.asarray(altitude_m, dtype=float)
        key = (
            airframe,
            tuple(ranges.tolist()),
            tuple(alts.tolist()),
            self.dt_s,
            self.miss_tolerance_m,
            self.options,
        )
        table = self._tables.get(key)
        if table is None:
            table = self._load(key) if self.disk_dir is not None else None
            if table is None:
                table = build_envelope(
                    airframe,
                    ranges,
                    alts,
                    dt_s=self.dt_s,
                    miss_tolerance_m=self.miss_tolerance_m,
                    options=self.options,
                )
                if self.disk_dir is not None and not self.read_only:
                    self._save(key, table)
            self._tables[key] = table
        return table

    def __len__(self) -> int:
        return len(self._tables)

    def _path(self, key: tuple) -> Path:
        airframe, ranges, alts, dt, tolerance, options = key
        text = repr((_CACHE_VERSION, astuple(airframe), ranges, alts, dt, tolerance, options))
        digest = hashlib.sha256(text.encode()).hexdigest()[:24]
        assert self.disk_dir is not None
        return Path(self.disk_dir) / f"{airframe.key.replace('/', '_')}-{digest}.npz"

    def _load(self, key: tuple) -> EnvelopeTable | None:
        path = self._path(key)
        if not path.exists():
            return None
        with np.load(path) as data:
            return EnvelopeTable(
                airframe_key=key[0].key,
                ground_range_m=data["ground_range_m"],
                altitude_m=data["altitude_m"],
                time_of_flight_grid_s=data["time_of_flight_grid_s"],
                arrival_speed_grid_mps=data["arrival_speed_grid_mps"],
                min_speed_mps=float(data["min_speed_mps"]),
                max_flight_time_s=float(data["max_flight_time_s"]),
            )

    def _save(self, key: tuple, table: EnvelopeTable) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            ground_range_m=table.ground_range_m,
            altitude_m=table.altitude_m,
            time_of_flight_grid_s=table.time_of_flight_grid_s,
            arrival_speed_grid_mps=table.arrival_speed_grid_mps,
            min_speed_mps=table.min_speed_mps,
            max_flight_time_s=table.max_flight_time_s,
        )
        tmp.replace(path)


BUNDLED_DIR = Path(__file__).with_name("data") / "envelopes"
"""Default-grid tables shipped with the package (``scripts/make_envelopes.py``)."""
_BUNDLED = EnvelopeCache(disk_dir=BUNDLED_DIR, read_only=True)


def envelope_for(airframe: Airframe) -> EnvelopeTable:
    """The default-grid table of an airframe: the shipped one when it matches, else built.

    Shipped files are named by a hash of the airframe's parameters, so a changed airframe
    never reads a stale table; it is built (a few seconds) and kept for the process.
    """
    return _BUNDLED.get(airframe)
