"""How good each command post's air picture was: SIAP measures and GOSPA over time.

Computed from ``tracks.parquet`` (truth and each post's picture at the record rate: its
confirmed tracks and, for a post on a data link, the remote tracks it holds). A track is
associated with the truth it follows (the label of the detections that built it, at the post
or at the reporting post); a track that follows no aircraft present at that time is
spurious. Truths count where they are inside the post's coverage (a circle around it); an
associated track outside that circle is no error. The measures follow the Single
Integrated Air Picture attributes (SIAP System Engineering Task Force, *SIAP Attributes
Version 2.0*, 2003; Votruba, "Single Integrated Air Picture (SIAP) metrics
implementation", NPS thesis, 2001), as Stone Soup's ``SIAPMetrics`` also does:

- completeness: fraction of truths in the post's coverage held by at least one track;
- ambiguity: tracks per held truth (1 is ideal), wherever the truth is;
- spuriousness: fraction of tracks that follow no truth;
- positional and velocity accuracy: mean error of associated tracks (m, m/s);
- continuity: mean number of track-number changes per held truth (0 is ideal);
- identification: fraction of associated tracks with a correct identity (friend or
  assumed friend for own and allied aircraft, neutral for civil, suspect or hostile for
  the enemy), and the friend misidentification: how often, and how long in total, an
  own or allied aircraft was held suspect or hostile.

GOSPA (Rahmathullah, García-Fernández & Svensson, FUSION 2017) with ``alpha = 2``, its
localisation, missed and false parts, and OSPA (Schuhmacher, Vo & Vo 2008) are given per
record time, between the truths and the tracks inside the coverage circle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from iadsim.geo.frames import lla_to_ecef
from iadsim.tracking.metrics import gospa, ospa

GOSPA_CUTOFF_M = 10_000.0
"""GOSPA/OSPA cut-off distance c, m."""
CORRECT_IDENTITIES = {
    "friendly": {"friend", "assumed_friend"},
    "civil": {"neutral", "friend", "assumed_friend"},
    "hostile": {"suspect", "hostile"},
}
"""Identities counted correct for each kind of truth."""


@dataclass(frozen=True)
class PostCoverage:
    """Where a post can see: truths within ``range_m`` of ``(lat_deg, lon_deg)`` count."""

    unit: str
    lat_deg: float
    lon_deg: float
    range_m: float


def _ecef(table: pa.Table) -> np.ndarray:
    return lla_to_ecef(
        np.radians(table["lat_deg"].to_numpy()),
        np.radians(table["lon_deg"].to_numpy()),
        table["alt_m"].to_numpy(),
    ).reshape(-1, 3)


def _velocity(table: pa.Table) -> np.ndarray:
    return np.stack(
        [table[c].to_numpy() for c in ("vel_east_mps", "vel_north_mps", "vel_up_mps")], axis=-1
    )


def picture_metrics(
    tracks: pa.Table,
    posts: list[PostCoverage],
    truth_kind: dict[str, str],
    record_interval_s: float,
) -> tuple[pa.Table, dict[str, dict[str, float]]]:
    """SIAP measures and GOSPA of every post.

    Parameters
    ----------
    tracks : pyarrow.Table
        ``tracks.parquet`` content.
    posts : list of PostCoverage
    truth_kind : dict
        Truth name -> ``"friendly"``, ``"civil"`` or ``"hostile"`` (from the post's side).
    record_interval_s : float
        Time between snapshots, s (for durations).

    Returns
    -------
    per_time : pyarrow.Table
        One row per post and record time (the ``picture_metrics.parquet`` columns).
    summary : dict
        Post -> time-averaged measures.
    """
    source = tracks["source"].to_numpy(zero_copy_only=False)
    times = tracks["time_s"].to_numpy()
    ids = tracks["id"].to_numpy(zero_copy_only=False)
    labels = tracks["truth"].to_numpy(zero_copy_only=False)
    identity = tracks["identity"].to_numpy(zero_copy_only=False)
    pos, vel = _ecef(tracks), _velocity(tracks)
    is_truth = source == "truth"
    rows_out: dict[str, list] = {}
    summary = {}
    for post in posts:
        centre = lla_to_ecef(np.radians(post.lat_deg), np.radians(post.lon_deg), 0.0)
        inside = np.linalg.norm(pos - centre, axis=1) <= post.range_m
        mine = source == post.unit
        series = _post_series(
            post.unit,
            np.unique(times),
            times,
            is_truth,
            inside,
            mine,
            labels,
            identity,
            pos,
            vel,
            truth_kind,
        )
        for key, values in series.items():
            rows_out.setdefault(key, []).extend(values)
        summary[post.unit] = _summarise(
            series, ids[mine], labels[mine], identity[mine], truth_kind, record_interval_s
        )
    return pa.table(rows_out), summary


def _post_series(
    unit, record_times, times, is_truth, inside, mine, labels, identity, pos, vel, truth_kind
) -> dict[str, list]:
    keys = (
        "time_s",
        "unit",
        "gospa_m",
        "gospa_localisation_m2",
        "gospa_missed_m2",
        "gospa_false_m2",
        "ospa_m",
        "truths",
        "tracks",
        "completeness",
        "ambiguity",
        "spuriousness",
        "position_error_m",
        "velocity_error_mps",
        "identity_correct",
    )
    series: dict[str, list] = {k: [] for k in keys}
    # Each record time's rows, in row order (a stable sort by time, cut where it changes):
    # the rows a mask ``times == t`` would select, without a mask over the table per time.
    by_time = np.argsort(times, kind="stable")
    bounds = np.searchsorted(times[by_time], record_times, side="left").tolist()
    ends = np.searchsorted(times[by_time], record_times, side="right").tolist()
    truth_inside = is_truth & inside
    for t, start, end in zip(record_times, bounds, ends, strict=True):
        now = by_time[start:end]
        all_truth_rows = now[is_truth[now]]
        truth_rows = now[truth_inside[now]]
        track_rows = now[mine[now]]
        tracks_inside = pos[track_rows[inside[track_rows]]]
        result = gospa(pos[truth_rows], tracks_inside, GOSPA_CUTOFF_M)
        truth_index = dict(zip(labels[all_truth_rows], all_truth_rows.tolist(), strict=True))
        associated = [
            (r, truth_index[label])
            for r, label in zip(track_rows.tolist(), labels[track_rows], strict=True)
            if label in truth_index
        ]
        visible = set(labels[truth_rows])
        held = {labels[r] for r, _ in associated}
        n_truth, n_track = truth_rows.size, track_rows.size
        track_of = [r for r, _ in associated]
        truth_of = [q for _, q in associated]
        # np.linalg.norm of a vector is sqrt(x.dot(x)): the same dot, without its wrapper.
        errors = [math.sqrt(d.dot(d)) for d in pos[track_of] - pos[truth_of]]
        speed_errors = [math.sqrt(d.dot(d)) for d in vel[track_of] - vel[truth_of]]
        correct = [identity[r] in CORRECT_IDENTITIES[truth_kind[labels[r]]] for r in track_of]
        values = (
            t,
            unit,
            result.distance,
            result.localisation,
            result.missed,
            result.false,
            ospa(pos[truth_rows], tracks_inside, GOSPA_CUTOFF_M),
            n_truth,
            n_track,
            len(held & visible) / n_truth if n_truth else np.nan,
            len(associated) / len(held) if held else np.nan,
            1.0 - len(associated) / n_track if n_track else np.nan,
            _mean(errors) if errors else np.nan,
            _mean(speed_errors) if speed_errors else np.nan,
            _mean(correct) if correct else np.nan,
        )
        for key, value in zip(keys, values, strict=True):
            series[key].append(value)
    return series


def _mean(values: list) -> float:
    """``float(np.mean(values))`` of a non-empty list of floats or bools: the same sum
    (pairwise, in float64) divided by the count, without ``np.mean``'s dispatch."""
    array = np.array(values, dtype=float)
    return float(np.add.reduce(array) / array.size)


def _summarise(series, track_ids, labels, identity, truth_kind, record_interval_s) -> dict:
    def mean(key: str) -> float | None:
        values = np.array(series[key], dtype=float)
        values = values[np.isfinite(values)]
        return round(float(values.mean()), 3) if values.size else None

    followed = labels != ""
    changes = [
        len(set(track_ids[followed & (labels == name)])) - 1 for name in set(labels[followed])
    ]
    friendly = np.array([truth_kind.get(name) == "friendly" for name in labels], dtype=bool)
    misheld = friendly & np.isin(identity, ["suspect", "hostile"])
    return {
        "gospa_m_mean": mean("gospa_m"),
        "ospa_m_mean": mean("ospa_m"),
        "completeness": mean("completeness"),
        "ambiguity": mean("ambiguity"),
        "spuriousness": mean("spuriousness"),
        "position_error_m": mean("position_error_m"),
        "velocity_error_mps": mean("velocity_error_mps"),
        "track_number_changes_per_truth": round(float(np.mean(changes)), 3) if changes else None,
        "identity_correct": mean("identity_correct"),
        "friend_held_hostile_fraction": round(float(misheld.sum() / friendly.sum()), 3)
        if friendly.any()
        else None,
        "friend_held_hostile_time_s": round(float(misheld.sum() * record_interval_s), 3),
    }
