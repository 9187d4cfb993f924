"""The chain of one aircraft or missile through a run, from its run folder's files.

Answers "why did iskander-02 leak?": which radar of which post saw it first and when
(``first_detection``), when each post first held a track on it from its own radars, the
link or a fire-control radar (``first_track``, ``fire_control_track``), which tracks each
post held on it (``tracks.parquet``), its identity changes and their
rules, why posts held fire (``hold_fire``), its engagements round by round
(:mod:`iadsim.scoring.engagements`), and how it ended.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.scoring.engagements import Engagement, engagements

TIMELINE_KINDS = (
    "first_detection",
    "first_track",
    "fire_control_track",
    "identity",
    "hold_fire",
    "engage",
    "launch",
    "guidance_lost",
    "kill",
    "miss",
    "self_destruct",
    "abort",
    "leak",
    "route_end",
)
"""Event kinds shown in the chain, in time order."""
SUGGESTIONS = 5
"""Close names offered for an unknown name."""


class RunFolderError(ValueError):
    """The folder is not a readable run folder."""


class UnknownNameError(ValueError):
    """No aircraft or missile of that name in the run; ``suggestions`` are close names."""

    def __init__(self, name: str, suggestions: list[str], known: int):
        self.suggestions = suggestions
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "no close name"
        super().__init__(
            f"no aircraft or missile named {name!r} in this run ({known} known); {hint}"
        )


def read_run(folder: Path) -> tuple[pa.Table, pa.Table]:
    """``events.parquet`` and ``tracks.parquet`` of a run folder.

    Raises
    ------
    RunFolderError
        If either is missing or unreadable, or the events predate engagement ids.
    """
    for name in ("events.parquet", "tracks.parquet"):
        if not (Path(folder) / name).is_file():
            raise RunFolderError(f"{folder}: not a run folder (no {name})")
    try:
        events = pq.read_table(Path(folder) / "events.parquet")
        tracks = pq.read_table(Path(folder) / "tracks.parquet")
    except (OSError, pa.ArrowException) as error:
        raise RunFolderError(f"{folder}: not a run folder ({error})") from None
    if "engagement_id" not in events.column_names:
        raise RunFolderError(f"{folder}: written by an older iadsim (no engagement_id); rerun it")
    return events, tracks


def truth_names(events: pa.Table, tracks: pa.Table) -> list[str]:
    """Every aircraft and missile of the run, sorted."""
    truth = tracks.filter(pc.equal(tracks["source"], "truth"))["id"].to_pylist()
    return sorted(set(truth) | set(events["truth"].to_pylist()) - {""})


def explain(events: pa.Table, tracks: pa.Table, name: str) -> list[str]:
    """The chain of ``name`` as lines of text.

    Raises
    ------
    UnknownNameError
        If no aircraft or missile has that name.
    """
    known = truth_names(events, tracks)
    if name not in known:
        close = difflib.get_close_matches(name, known, n=SUGGESTIONS, cutoff=0.6)
        raise UnknownNameError(name, close, len(known))
    own = [e for e in engagements(events) if e.truth == name]
    ids = {e.engagement_id for e in own}
    spans = _spans(tracks, name)
    rows = [
        row
        for row in events.to_pylist()
        if row["kind"] in TIMELINE_KINDS
        and (row["truth"] == name or row["engagement_id"] in ids or _on_a_held_track(row, spans))
    ]
    return [
        _headline(name, rows),
        "",
        "tracks held (post, track, first and last record on it, identities):",
        *_tracks(spans),
        "",
        "timeline:",
        *(_timeline_line(row, name) for row in rows),
        "",
        "engagements:",
        *([_engagement_line(e) for e in own] or ["  none"]),
        "",
        "hold-fire reasons (decisions, per post):",
        *_holds([row for row in rows if row["truth"] == name]),
    ]


def _on_a_held_track(row: dict, spans: dict[tuple[str, str], list]) -> bool:
    """An identity or hold-fire row of a track that followed the entity at some record
    (before it stopped doing so): a track can swap from one target to another."""
    if row["kind"] not in ("identity", "hold_fire"):
        return False
    track = json.loads(row["detail"]).get("track", str(row["track_id"]))
    span = spans.get((row["unit"], track))
    return span is not None and row["time_s"] <= span[1]


def _headline(name: str, rows: list[dict]) -> str:
    for row in rows:
        if row["kind"] == "kill":
            return (
                f"{name}: killed at {row['time_s']:.1f} s by {row['unit']} "
                f"(engagement {row['engagement_id']}, interceptor {row['interceptor_id']})"
            )
        if row["kind"] in ("leak", "route_end"):
            ended = "leaked" if row["kind"] == "leak" else "ended its route"
            return f"{name}: {ended} at {row['time_s']:.1f} s"
    return f"{name}: still flying at the end of the run"


def _spans(tracks: pa.Table, name: str) -> dict[tuple[str, str], list]:
    """(post, track id) -> [first s, last s, identities in turn] of the records on ``name``."""
    held = tracks.filter(
        pc.and_(pc.equal(tracks["truth"], name), pc.not_equal(tracks["source"], "truth"))
    )
    spans: dict[tuple[str, str], list] = {}
    for row in held.select(["time_s", "source", "id", "identity"]).to_pylist():
        span = spans.setdefault((row["source"], row["id"]), [row["time_s"], row["time_s"], []])
        span[1] = row["time_s"]
        if not span[2] or span[2][-1] != row["identity"]:
            span[2].append(row["identity"])
    return spans


def _tracks(spans: dict[tuple[str, str], list]) -> list[str]:
    lines = [
        f"  {source:<22} {track:<24} {first:8.1f} s to {last:8.1f} s  {' -> '.join(ids)}"
        for (source, track), (first, last, ids) in sorted(spans.items(), key=lambda kv: kv[1][0])
    ]
    return lines or ["  none (no post held a confirmed track on it)"]


def _timeline_line(row: dict, name: str) -> str:
    detail = json.loads(row["detail"])
    kind = row["kind"]
    track = detail.get("track", str(row["track_id"]) if row["track_id"] >= 0 else "")
    if kind == "first_detection":
        what = f"first detected by {detail['radar']} at {detail['range_km']:.1f} km"
    elif kind == "first_track":
        source = detail["radar"] if detail["source"] == "own" else f"link {detail['link']}"
        what = f"first {detail['source']} track ({source}) at {detail['range_km']:.1f} km"
    elif kind == "fire_control_track":
        what = f"fire-control track ({detail['radar']}) at {detail['range_km']:.1f} km"
    elif kind == "identity":
        what = f"identity {detail['old']} -> {detail['new']} ({detail['reason']})"
    elif kind == "hold_fire":
        what = f"hold fire: {detail['reason']} (held {detail['identity']})"
    elif kind == "engage":
        what = (
            f"engagement {row['engagement_id']}: {detail['rounds']} x {detail['interceptor']}"
            f" (identity {detail['identity']}, threat value {detail['threat_value']:g})"
        )
    elif kind in ("launch", "guidance_lost", "kill", "miss", "self_destruct", "abort"):
        what = f"{kind}, engagement {row['engagement_id']}"
        if row["interceptor_id"] >= 0:
            what += f", interceptor {row['interceptor_id']}"
        if "miss_distance_m" in detail:
            what += f", miss distance {detail['miss_distance_m']:g} m"
        if "reason" in detail:
            what += f" ({detail['reason']})"
    else:
        what = kind
    if row["truth"] != name and row["engagement_id"] < 0:
        what += f" [track then on {row['truth'] or 'a false target'}]"
    return f"  {row['time_s']:8.1f} s  {row['unit']:<22} {track:<24} {what}".rstrip()


def _engagement_line(engagement: Engagement) -> str:
    rounds = ", ".join(
        r.outcome.name.lower()
        + (f" {r.miss_distance_m:g} m" if r.miss_distance_m == r.miss_distance_m else "")
        + (" after guidance lost" if r.guidance_lost else "")
        for r in engagement.rounds
    )
    return (
        f"  {engagement.engagement_id:>4}  {engagement.time_s:8.1f} s  {engagement.unit}"
        f" track {engagement.track_id}: {engagement.ordered} x {engagement.interceptor}"
        f" -> {rounds}; result {engagement.result.name.lower()}"
    )


def _holds(rows: list[dict]) -> list[str]:
    counts: dict[str, Counter] = {}
    last: dict[str, str] = {}
    for row in rows:
        if row["kind"] == "hold_fire":
            reason = json.loads(row["detail"])["reason"]
            counts.setdefault(row["unit"], Counter())[reason] += 1
            last[row["unit"]] = reason
    lines = []
    for unit, counter in counts.items():
        reasons = ", ".join(f"{reason} x{n}" for reason, n in counter.most_common())
        lines.append(f"  {unit}: last {last[unit]}; changes: {reasons}")
    return lines or ["  none (no post with launchers held it suspect or hostile unengaged)"]
