"""``iadsim report MC_DIR``: one self-contained HTML page for a campaign or study folder.

The tables and figures are those of ``iadsim mc-report``
(:func:`iadsim.campaigns.report.make_report`: per sweep point and variant, the mean and
its confidence interval, interval plots against swept values, distributions for a single
point), gathered into one page with the figures embedded.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from iadsim.campaigns.report import make_report
from iadsim.report.page import fill, package_text

__all__ = ["campaign_report_html", "markdown_to_html"]


def _inline(text: str) -> str:
    """Escape, then render ``**bold**`` and ```code``` (the only inline marks used)."""
    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def markdown_to_html(markdown: str, figures: dict[str, str]) -> str:
    """The subset of Markdown that ``summary.md`` uses (headings, bullet lists, pipe
    tables, paragraphs) as HTML; after each ``## measure`` section, that measure's figure
    from ``figures`` (name -> data URI) when there is one."""
    out: list[str] = []
    lines = markdown.splitlines()
    k = 0
    section: str | None = None

    def close_section() -> None:
        if section is not None and section in figures:
            out.append(f'<img class="plot" alt="{html.escape(section)}" src="{figures[section]}">')

    while k < len(lines):
        line = lines[k]
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            title = line[level:].strip()
            if level == 2:
                close_section()
                section = title.split(" ", 1)[0]
            out.append(f"<h{level + 1}>{_inline(title)}</h{level + 1}>")
            k += 1
        elif line.startswith("- "):
            items = []
            while k < len(lines) and lines[k].startswith("- "):
                items.append(f"<li>{_inline(lines[k][2:])}</li>")
                k += 1
            out.append("<ul>" + "".join(items) + "</ul>")
        elif line.startswith("|"):
            rows = []
            while k < len(lines) and lines[k].startswith("|"):
                cells = [c.strip() for c in lines[k].strip().strip("|").split("|")]
                if not all(set(c) <= {"-", ":"} for c in cells):
                    rows.append(cells)
                k += 1
            head = "".join(f"<th>{_inline(c)}</th>" for c in rows[0])
            body = "".join(
                "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>"
                for row in rows[1:]
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
            k += 1
        else:
            k += 1
    close_section()
    return "\n".join(out)


def campaign_report_html(folder: Path) -> str:
    """The report page of a campaign folder (its ``report/`` tables are rewritten)."""
    report = make_report(folder)
    figures = {
        path.stem: "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        for path in report.figures
    }
    body = markdown_to_html(report.markdown.read_text("utf-8"), figures)
    shown = set(re.findall(r'alt="([^"]+)"', body))
    extra = "".join(
        f'<h3>{html.escape(name)}</h3><img class="plot" alt="{html.escape(name)}" src="{uri}">'
        for name, uri in figures.items()
        if name not in shown
    )
    return fill(
        package_text("static/campaign.html"),
        {
            "TITLE": html.escape(folder.name),
            "REPORT_CSS": package_text("static/report.css"),
            "BODY": body + extra,
        },
    )
