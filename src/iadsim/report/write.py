"""Write the report of a run, campaign or study folder: which kind it is, and where the page
goes."""

from __future__ import annotations

from pathlib import Path

from iadsim.campaigns.store import MANIFEST_NAME
from iadsim.studies.runner import STUDY_MANIFEST

__all__ = ["REPORT_NAME", "ReportError", "write_report"]

REPORT_NAME = "report.html"
"""The page's default name, inside the folder it reports on."""


class ReportError(ValueError):
    """The folder is not a run, campaign or study folder."""


def write_report(folder: Path, out: Path | None = None, coverage: Path | None = None) -> Path:
    """Write the page for ``folder`` (a run, campaign or study folder) to ``out`` (default
    ``folder/report.html``) and return its path; ``coverage``, an ``iadsim coverage``
    folder, adds its products to a run's page.

    Raises
    ------
    ReportError
        If ``folder`` is none of the three kinds of folder.
    """
    folder = Path(folder)
    target = Path(out) if out is not None else folder / REPORT_NAME
    if (folder / STUDY_MANIFEST).is_file():
        # Checked first: a study folder also holds a summary.json (of its own kind).
        if coverage is not None:
            raise ReportError("--coverage is for a run folder's report, not a study's")
        from iadsim.report.study_report import study_report_html

        page = study_report_html(folder)
    elif (folder / MANIFEST_NAME).is_file():
        if coverage is not None:
            raise ReportError("--coverage is for a run folder's report, not a campaign's")
        from iadsim.report.campaign_report import campaign_report_html

        page = campaign_report_html(folder)
    elif (folder / "summary.json").is_file():
        from iadsim.report.run_report import run_report_html

        page = run_report_html(folder, coverage)
    else:
        raise ReportError(
            f"{folder}: neither a run folder (no summary.json), a campaign folder "
            f"(no {MANIFEST_NAME}) nor a study folder (no {STUDY_MANIFEST})"
        )
    target.write_text(page, encoding="utf-8")
    return target
