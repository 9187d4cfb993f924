"""Stone Soup interoperability, part 1: converters between iadsim and Stone Soup types.

`Stone Soup <https://stonesoup.readthedocs.io>`_ (Barr et al., "Stone Soup: announcement of
beta release of an open-source framework for tracking and state estimation", Proc. SPIE
11018, 2019) keeps states as column vectors in *derivative-interleaved* order: a 3-D
constant-velocity state built from three ``ConstantVelocity`` blocks is
``[x, vx, y, vy, z, vz]``. iadsim's :class:`~iadsim.tracking.table.TrackTable` keeps
``[e, n, u, ve, vn, vu]``. Everything here is in the same local ENU frame (m, m/s) and only
permutes: positions sit at Stone Soup indices :data:`POSITION_MAPPING`, velocities at
:data:`VELOCITY_MAPPING` (both overridable for other state vectors, e.g. constant
acceleration). Simulation time ``t_s`` (s) maps to ``epoch + timedelta(seconds=t_s)``.
The tracker adapter is in :mod:`iadsim.interop.stonesoup.tracker`. Stone Soup is an
optional dependency (``pip install iadsim[stonesoup]``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.types.detection import Detection
from stonesoup.types.groundtruth import GroundTruthPath, GroundTruthState
from stonesoup.types.multihypothesis import MultipleHypothesis
from stonesoup.types.state import GaussianState
from stonesoup.types.track import Track
from stonesoup.types.update import Update

from iadsim.geo.frames import ecef_to_enu, enu_rotation, lla_to_ecef
from iadsim.tracking.management import QUALITY_WINDOW, recent_hits
from iadsim.tracking.table import TrackTable

__all__ = [
    "EPOCH",
    "POSITION_MAPPING",
    "VELOCITY_MAPPING",
    "detections_to_stonesoup",
    "snapshots_to_ground_truth",
    "stonesoup_tracks_to_table",
    "table_to_stonesoup_tracks",
]

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
"""Default datetime of simulation time 0 (any fixed instant works; pass the scenario's
``start_time`` to get wall-clock timestamps)."""
POSITION_MAPPING = (0, 2, 4)
"""Indices of east, north, up in a Stone Soup 3-D constant-velocity state."""
VELOCITY_MAPPING = (1, 3, 5)
"""Indices of the east, north, up velocities in the same state."""
_HISTORY_BITS = 62  # as iadsim.tracking.management: bit 0 the newest opportunity


def to_datetime(time_s: float, epoch: datetime.datetime) -> datetime.datetime:
    """Stone Soup timestamp of simulation time ``time_s`` (s)."""
    return epoch + datetime.timedelta(seconds=float(time_s))


def to_seconds(when: datetime.datetime, epoch: datetime.datetime) -> float:
    """Simulation time (s) of a Stone Soup timestamp."""
    return (when - epoch).total_seconds()


# -- converters ------------------------------------------------------------------------------
def detection_list(
    z_m: np.ndarray,
    R_m2: np.ndarray,
    time_s: float,
    epoch: datetime.datetime,
    ndim_state: int,
    mapping: Sequence[int],
) -> list[Detection]:
    """Stone Soup detections, in input order, each with its own position-only model."""
    z = np.asarray(z_m, dtype=float).reshape(-1, 3)
    R = np.asarray(R_m2, dtype=float).reshape(-1, 3, 3)
    when = to_datetime(time_s, epoch)
    return [
        Detection(
            z[i].reshape(3, 1),
            timestamp=when,
            measurement_model=LinearGaussian(
                ndim_state=ndim_state, mapping=tuple(mapping), noise_covar=R[i]
            ),
            metadata={"index": i},
        )
        for i in range(z.shape[0])
    ]


def detections_to_stonesoup(
    z_m: np.ndarray,
    R_m2: np.ndarray,
    time_s: float,
    epoch: datetime.datetime = EPOCH,
    *,
    ndim_state: int = 6,
    mapping: Sequence[int] = POSITION_MAPPING,
) -> set[Detection]:
    """Position detections as Stone Soup detections, each with its own linear model.

    The model is ``z = H x + w``, ``w ~ N(0, R)``, with ``H`` picking ``mapping`` out of an
    ``ndim_state`` state (Stone Soup ``LinearGaussian``).

    Parameters
    ----------
    z_m : (n, 3) float64
        Detected ENU positions (m), e.g. a command post's converted measurements.
    R_m2 : (n, 3, 3) float64
        Their error covariances (m²).
    time_s : float
        Simulation time of the batch (s).
    epoch : datetime.datetime
        Datetime of simulation time 0.
    ndim_state : int
        Length of the Stone Soup state vector the detections measure.
    mapping : sequence of 3 int
        State indices of east, north, up.

    Returns
    -------
    set of stonesoup.types.detection.Detection
        ``metadata["index"]`` is each detection's row in ``z_m``.
    """
    return set(detection_list(z_m, R_m2, time_s, epoch, ndim_state, mapping))


def snapshots_to_ground_truth(
    tracks_table: pa.Table,
    source: str = "truth",
    *,
    origin_lat_rad: float,
    origin_lon_rad: float,
    origin_alt_m: float,
    epoch: datetime.datetime = EPOCH,
) -> dict[str, GroundTruthPath]:
    """Paths of ``tracks.parquet`` rows of one source, in the ENU frame of a chosen origin.

    Positions go geodetic (WGS 84) -> ECEF -> ENU at the origin; velocities, recorded in each
    point's own local ENU frame, are rotated ``v_origin = R_o R_pᵀ v_p`` with ``R`` the
    ECEF-to-ENU rotation of a site (:func:`iadsim.geo.frames.enu_rotation`).

    Parameters
    ----------
    tracks_table : pyarrow.Table
        Snapshot table with the columns of :data:`iadsim.engine.record.SNAPSHOT_SCHEMA`.
    source : str
        ``"truth"`` for ground truth, or a unit name for that post's recorded tracks.
    origin_lat_rad, origin_lon_rad, origin_alt_m : float
        Origin of the ENU frame (rad, rad, m above the ellipsoid).
    epoch : datetime.datetime
        Datetime of simulation time 0.

    Returns
    -------
    dict of str to stonesoup.types.groundtruth.GroundTruthPath
        Keyed by the ``id`` column; states ``[e, ve, n, vn, u, vu]`` (m, m/s) in time order,
        each with ``metadata`` ``truth``, ``side`` and ``identity``.
    """
    rows = tracks_table.filter(pc.equal(tracks_table["source"], source))
    if rows.num_rows == 0:
        return {}
    rows = rows.sort_by([("id", "ascending"), ("time_s", "ascending")])
    col = {name: rows[name].to_numpy(zero_copy_only=False) for name in rows.column_names}
    lat, lon = np.radians(col["lat_deg"]), np.radians(col["lon_deg"])
    origin_rotation = enu_rotation(origin_lat_rad, origin_lon_rad)
    origin_ecef = lla_to_ecef(origin_lat_rad, origin_lon_rad, origin_alt_m)
    pos = ecef_to_enu(lla_to_ecef(lat, lon, col["alt_m"]), origin_ecef, origin_rotation)
    vel_local = np.column_stack([col["vel_east_mps"], col["vel_north_mps"], col["vel_up_mps"]])
    vel_ecef = np.einsum("nji,nj->ni", enu_rotation(lat, lon), vel_local)
    vel = vel_ecef @ origin_rotation.T
    state = np.empty((rows.num_rows, 6))
    state[:, POSITION_MAPPING] = pos
    state[:, VELOCITY_MAPPING] = vel
    paths: dict[str, GroundTruthPath] = {}
    for i, name in enumerate(col["id"]):
        path = paths.get(name)
        if path is None:
            path = paths[name] = GroundTruthPath(id=name)
        path.append(
            GroundTruthState(
                state[i].reshape(6, 1),
                timestamp=to_datetime(col["time_s"][i], epoch),
                metadata={key: col[key][i] for key in ("truth", "side", "identity")},
            )
        )
    return paths


def detections_of(state: Any) -> list[Detection]:
    """Detections behind a track state, most probable first (none for a prediction)."""
    if not isinstance(state, Update):
        return []
    hypothesis = state.hypothesis
    if isinstance(hypothesis, MultipleHypothesis):
        used = sorted(
            (h for h in hypothesis if h),
            key=lambda h: float(getattr(h, "probability", 0.0)),
            reverse=True,
        )
        return [h.measurement for h in used]
    return [hypothesis.measurement] if hypothesis else []


def book(
    table: TrackTable,
    slot: int,
    states: Sequence[Any],
    epoch: datetime.datetime,
    now: tuple[datetime.datetime, float] | None = None,
) -> None:
    """Book ``states`` (newly appended to a track) as detection opportunities of ``slot``.

    ``now`` (datetime, seconds) gives the exact simulation time of the current batch, which
    a datetime holds only to the microsecond.

    Each appended state is one opportunity: a hit if it is an update with a detection, a
    miss otherwise; hits, consecutive misses, the history bit mask and the quality figure
    follow :mod:`iadsim.tracking.management`.
    """
    mask = (1 << _HISTORY_BITS) - 1
    for state in states:
        hit = bool(detections_of(state))
        table.history[slot] = ((int(table.history[slot]) << 1) | hit) & mask
        table.opportunities[slot] += 1
        if hit:
            table.hits[slot] += 1
            table.misses[slot] = 0
            if now is not None and state.timestamp == now[0]:
                table.last_update_s[slot] = now[1]
            else:
                table.last_update_s[slot] = to_seconds(state.timestamp, epoch)
        else:
            table.misses[slot] += 1
    window = min(int(table.opportunities[slot]), QUALITY_WINDOW)
    if window:
        hits = recent_hits(table.history[slot : slot + 1], QUALITY_WINDOW)[0]
        table.quality[slot] = hits / window


def write_state(
    table: TrackTable,
    slot: int,
    track: Any,
    epoch: datetime.datetime,
    position_mapping: Sequence[int],
    velocity_mapping: Sequence[int],
) -> None:
    """Copy a Stone Soup track's latest state (reordered to ENU) into a table slot."""
    index = list(position_mapping) + list(velocity_mapping)
    vector = np.asarray(track.state_vector, dtype=float).ravel()
    table.state[slot, :6] = vector[index]
    covar = getattr(track, "covar", None)
    if covar is not None:
        P = np.asarray(covar, dtype=float)[np.ix_(index, index)]
        table.covariance[slot, :6, :6] = 0.5 * (P + P.T)  # consumers factorise it
    table.time_s[slot] = to_seconds(track.timestamp, epoch)


def stonesoup_tracks_to_table(
    tracks: Iterable[Any],
    table: TrackTable,
    epoch: datetime.datetime = EPOCH,
    *,
    confirmed: bool = True,
    position_mapping: Sequence[int] = POSITION_MAPPING,
    velocity_mapping: Sequence[int] = VELOCITY_MAPPING,
) -> dict[str, int]:
    """Add Stone Soup tracks to a track table, one new row each (fresh table ids).

    A row holds the track's latest state and covariance (reordered to
    ``[e, n, u, ve, vn, vu]``), ``created_s`` / ``time_s`` from its first / latest state,
    and a booking of every state as a detection opportunity (updates with a detection are
    hits): ``hits``, ``misses`` (consecutive, newest last), ``opportunities``, ``history``,
    ``quality`` and ``last_update_s``.

    Parameters
    ----------
    tracks : iterable of stonesoup.types.track.Track
        Tracks with Gaussian states; rows are added in iteration order.
    table : TrackTable
        Table with ``state_dim >= 6``, modified in place.
    epoch : datetime.datetime
        Datetime of simulation time 0.
    confirmed : bool
        Value of the rows' ``confirmed`` flag.
    position_mapping, velocity_mapping : sequence of 3 int
        Stone Soup state indices of the ENU position and velocity.

    Returns
    -------
    dict of str to int
        Stone Soup track id -> table track id.
    """
    tracks = list(tracks)
    ids: dict[str, int] = {}
    if not tracks:
        return ids
    created = min(to_seconds(track.states[0].timestamp, epoch) for track in tracks)
    slots = table.allocate(len(tracks), created)
    for slot, track in zip(slots, tracks, strict=True):
        table.created_s[slot] = to_seconds(track.states[0].timestamp, epoch)
        table.last_update_s[slot] = table.created_s[slot]
        table.confirmed[slot] = confirmed
        write_state(table, slot, track, epoch, position_mapping, velocity_mapping)
        book(table, slot, track.states, epoch)
        ids[track.id] = int(table.track_id[slot])
    return ids


def table_to_stonesoup_tracks(
    table: TrackTable,
    slots: np.ndarray | None = None,
    epoch: datetime.datetime = EPOCH,
) -> list[Track]:
    """Live table rows as one-state Stone Soup tracks (inverse of the state part above).

    Parameters
    ----------
    table : TrackTable
    slots : (k,) int64, optional
        Rows to convert; default every live row, ascending.
    epoch : datetime.datetime

    Returns
    -------
    list of stonesoup.types.track.Track
        ``id`` is the table track id as a string; one ``GaussianState`` ``[e, ve, n, vn, u,
        vu]`` at the row's ``time_s``; ``metadata["confirmed"]`` the row's flag.
    """
    slots = table.active_slots() if slots is None else np.asarray(slots, dtype=np.int64)
    index = list(POSITION_MAPPING) + list(VELOCITY_MAPPING)
    tracks = []
    for slot in slots:
        vector = np.empty(6)
        vector[index] = table.state[slot, :6]
        covar = np.empty((6, 6))
        covar[np.ix_(index, index)] = table.covariance[slot, :6, :6]
        state = GaussianState(
            vector.reshape(6, 1), covar, timestamp=to_datetime(table.time_s[slot], epoch)
        )
        track = Track([state], id=str(int(table.track_id[slot])))
        track.metadata["confirmed"] = bool(table.confirmed[slot])
        tracks.append(track)
    return tracks
