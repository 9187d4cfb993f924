"""The run tables of the report as HTML: per post, outcomes, allied and civil engagements,
air picture, and the decision log of non-engagements (hold-fire reasons)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["decision_log", "html_table", "run_tables"]

PICTURE_ROWS = (
    ("completeness", "completeness"),
    ("ambiguity", "ambiguity"),
    ("spuriousness", "spuriousness"),
    ("position error (m)", "position_error_m"),
    ("velocity error (m/s)", "velocity_error_mps"),
    ("track number changes / truth", "track_number_changes_per_truth"),
    ("identity correct", "identity_correct"),
    ("friend held suspect/hostile", "friend_held_hostile_fraction"),
    ("mean GOSPA (m)", "gospa_m_mean"),
)
"""Air-picture measures: (label, summary key), as ``iadsim run`` prints them."""
OUTCOME_COLUMNS = ("launched", "killed", "leaked", "route_ended", "airborne_at_end")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return html.escape(str(value))


def html_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "", text_columns: int = 1
) -> str:
    """A table; the first ``text_columns`` columns are left-aligned text, the rest numbers."""

    def cls(k: int) -> str:
        return ' class="text"' if k < text_columns else ""

    head = "".join(f"<th{cls(k)}>{html.escape(h)}</th>" for k, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(k)}>{_cell(v)}</td>" for k, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _km(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def post_table(post: str, account: dict[str, Any], threats: list[dict[str, Any]]) -> str:
    """One fire unit's own account (as ``iadsim run`` prints it): detections per radar,
    own tracks, link tracks, fire-control tracks, engagements, kills, rounds fired."""
    radars = list(account["radars"])
    header = [
        "threat",
        "launched",
        *(f"{r.rsplit('/', 1)[-1]} det. n, km" for r in radars),
        "tracked",
        "first track km min/mean",
        "via link (only)",
        "fire ctl track",
        "engaged",
        "killed",
        "fired",
    ]
    launched = {t["platform"]: t["launched"] for t in threats}
    rows = []
    for platform, row in account["threats"].items():
        detected = [
            f"{account['radars'][r][platform]['detected']}, "
            f"{_km(account['radars'][r][platform]['first_detection_range_km_mean'])}"
            for r in radars
        ]
        rows.append(
            [
                platform,
                launched.get(platform, "-"),
                *detected,
                row["own_tracked"],
                f"{_km(row['first_own_track_range_km_min'])}/"
                f"{_km(row['first_own_track_range_km_mean'])}",
                f"{row['link_tracked']} ({row['link_only']})",
                row["fire_control_tracked"],
                row["engaged"],
                row["killed"],
                row["interceptors_fired"],
            ]
        )
    links = ", ".join(account["datalinks"]) or "none"
    return html_table(
        header, rows, f"{post}: its own radars, tracks and engagements (links: {links})"
    )


def run_tables(summary: dict[str, Any]) -> str:
    """Every table of a run summary, as HTML."""
    parts = [
        post_table(post, account, summary["threats"])
        for post, account in summary["posts"].items()
        if account["fire_unit"]
    ]
    sensors = [post for post, account in summary["posts"].items() if not account["fire_unit"]]
    if sensors:
        parts.append(f"<p>Sensor posts (no launchers): {html.escape(', '.join(sensors))}</p>")
    outcome_rows = [
        [row["side"], row["platform"], *(row[c] for c in OUTCOME_COLUMNS)]
        for row in summary["outcomes"]
    ]
    parts.append(
        html_table(
            ["side", "platform", *(c.replace("_", " ") for c in OUTCOME_COLUMNS)],
            outcome_rows,
            "Outcomes (truth, every aircraft and missile)",
            text_columns=2,
        )
    )
    if summary["fratricide"]:
        parts.append(
            html_table(
                ["aircraft", "side", "post", "time (s)", "identity held", "rounds", "result"],
                [
                    [
                        r["truth"],
                        r["side"],
                        r["unit"],
                        f"{r['time_s']:.0f}",
                        r["identity"],
                        ", ".join(r["rounds"]),
                        r["result"],
                    ]
                    for r in summary["fratricide"]
                ],
                "Allied and civil aircraft engaged",
                text_columns=3,
            )
        )
    else:
        parts.append("<p>No allied or civil aircraft engaged.</p>")
    posts = list(summary["air_picture"])
    parts.append(
        html_table(
            ["measure", *posts],
            [
                [label, *(summary["air_picture"][p][key] for p in posts)]
                for label, key in PICTURE_ROWS
            ],
            "Air picture (SIAP measures, time-averaged, per post)",
        )
    )
    return "\n".join(parts)


def decision_log(events: list[dict[str, Any]]) -> str:
    """Each post's decisions not to engage (``hold_fire`` events): counts by reason and
    identity, then every decision in time order."""
    holds = [e for e in events if e["kind"] == "hold_fire"]
    if not holds:
        return "<p>No post held fire on a track it held suspect or hostile.</p>"
    counts = Counter(
        (e["unit"], e["detail"].get("reason", ""), e["detail"].get("identity", "")) for e in holds
    )
    summary = html_table(
        ["post", "reason", "identity held", "decisions"],
        [[*key, n] for key, n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1]))],
        "Hold-fire decisions by post and reason",
        text_columns=3,
    )
    detail = html_table(
        ["t (s)", "post", "track", "aircraft or missile", "identity held", "reason"],
        [
            [
                f"{e['t']:.1f}",
                e["unit"],
                e["detail"].get("track", e["track"]),
                e["truth"] or "(false target)",
                e["detail"].get("identity", ""),
                e["detail"].get("reason", ""),
            ]
            for e in holds
        ],
        "Every hold-fire decision",
        text_columns=0,
    )
    return summary + detail
