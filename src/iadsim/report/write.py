"""Write the report of a run or campaign folder: which kind it is, and where the page goes."""

from __future__ import annotations

from pathlib import Path

from iadsim.campaigns.store import MANIFEST_NAME

__all__ = ["REPORT_NAME", "ReportError", "write_report"]

REPORT_NAME = "report.html"
"""The page's default name, inside the folder it reports on."""


class ReportError(ValueError):
    """The folder is neither a run folder nor a campaign folder."""


def write_report(folder: Path, out: Path | None = None, coverage: Path | None = None) -> Path:
    """Write the page for ``folder`` (a run or campaign folder) to ``out`` (default
    ``folder/report.html``) and return its path; ``coverage``, an ``iadsim coverage``
    folder, adds its products to a run's page.

    Raises
    ------
    ReportError
        If ``folder`` is neither kind of folder.
    """
    folder = Path(folder)
    target = Path(out) if out is not None else folder / REPORT_NAME
    if (folder / MANIFEST_NAME).is_file():
        if coverage is not None:
            raise ReportError("--coverage is for a run folder's report, not a campaign's")
        from iadsim.report.campaign_report import campaign_report_html

        page = campaign_report_html(folder)
    elif (folder / "summary.json").is_file():
        from iadsim.report.run_report import run_report_html

        page = run_report_html(folder, coverage)
    else:
        raise ReportError(
            f"{folder}: neither a run folder (no summary.json) nor a campaign folder "
            f"(no {MANIFEST_NAME})"
        )
    target.write_text(page, encoding="utf-8")
    return target
