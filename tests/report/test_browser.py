"""The report in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium) loads each page from disk with the network off.

Without Chromium these tests skip, naming what is missing; with ``IADSIM_REQUIRE_BROWSER=1``
(set by ``.ci/run``) they fail instead, so CI cannot pass by skipping them. Set
``IADSIM_SCREENSHOT_DIR`` to keep the screenshots (``docs/images`` for the README's).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from tests.conftest import BUNDLED
from typer.testing import CliRunner

from iadsim.cli import app

pytestmark = pytest.mark.browser

MID_RAID_S = 900.0
"""Map screenshot time for the bundled runs (15 min into the raid)."""


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed to drive chromium (pip install -e '.[test]')"
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser")):
        return "no chromium on PATH (apt-get install chromium chromium-driver)"
    if not shutil.which("chromedriver"):
        return "no chromedriver on PATH (apt-get install chromium-driver)"
    return None


def _skip_or_fail(missing: str | None) -> None:
    """Skip with the reason, or fail where the browser is required (CI)."""
    if missing is None:
        return
    if os.environ.get("IADSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"IADSIM_REQUIRE_BROWSER=1 but {missing}")
    pytest.skip(missing)


@pytest.mark.parametrize(
    ("required", "outcome"), [("1", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_a_missing_browser_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("IADSIM_REQUIRE_BROWSER", required)
    missing = _missing()
    assert missing is not None and "chromium" in missing
    with pytest.raises(outcome, match="chromium"):
        _skip_or_fail(missing)


@pytest.fixture(scope="module")
def browser():
    _skip_or_fail(_missing())
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1440,1000",
        # Belt and braces: any request that got past the page's policy goes nowhere.
        "--proxy-server=127.0.0.1:9",
    ):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    yield driver
    driver.quit()


def _open(driver, page: Path) -> list[dict]:
    """Load ``page`` from disk; the console's messages (read once, so a later read
    holds only what came after)."""
    driver.get(page.resolve().as_uri())
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(0.5)
    return driver.get_log("browser")


def _errors(log: list[dict]) -> list[str]:
    return [entry["message"] for entry in log if entry["level"] in ("SEVERE", "ERROR")]


def _save(element, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IADSIM_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    element.parent.execute_script("arguments[0].scrollIntoView()", element)
    element.screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def _report(folder: Path, tmp_path: Path, *options: str) -> Path:
    out = tmp_path / f"{folder.name}.html"
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def _marker_positions(driver) -> dict[str, str]:
    return driver.execute_script(
        "const out = {};"
        "for (const m of document.querySelectorAll('.truth-marker'))"
        "  out[m.title] = m.style.transform;"
        "return out;"
    )


def _slide_to(driver, time_s: float) -> None:
    """Move the time slider as a user's drag does: set its value, fire its input event."""
    slider = driver.find_element("id", "time-slider")
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        slider,
        str(time_s),
    )


def _check_run_page(driver, page: Path, tmp_path: Path, name: str, mid_s: float) -> None:
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
    )

    assert _errors(_open(driver, page)) == []
    assert driver.execute_script("return window.iadsimReport !== undefined")
    # The slider moves entities.
    _slide_to(driver, mid_s / 2)
    before = _marker_positions(driver)
    _slide_to(driver, mid_s)
    after = _marker_positions(driver)
    moved = [n for n in set(before) & set(after) if before[n] != after[n]]
    assert moved, "no aircraft moved when the slider moved"
    assert driver.find_element("id", "clock").text.startswith(f"t = {mid_s:.0f} s")
    _save(driver.find_element("id", "viewer-section"), f"report-{name}-map.png", tmp_path)
    # A click on an entity opens its explain chain.
    chain = driver.find_element("id", "chain")
    clicked = None
    for marker in driver.find_elements("css selector", ".truth-marker"):
        try:
            marker.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            continue  # under another marker, or outside the map's view
        clicked = marker.get_attribute("title")
        break
    assert clicked is not None, "no aircraft marker could be clicked"
    shown = chain.get_attribute("data-entity")
    assert shown, "the click opened no chain"
    assert chain.text.splitlines()[0].startswith(f"{shown}:")
    assert "timeline:" in chain.text
    _save(driver.find_element("id", "side"), f"report-{name}-explain.png", tmp_path)
    # The timeline filters by kind, and a row moves the map's clock to its time.
    kind = driver.execute_script(
        "const k = document.getElementById('filter-kind');"
        "const kinds = [...k.options].map(o => o.value).filter(v => v);"
        "k.value = kinds.includes('launch') ? 'launch' : kinds[0];"
        "k.dispatchEvent(new Event('change')); return k.value;"
    )
    cells = driver.execute_script(
        "return [...document.querySelectorAll('#timeline tbody tr')]"
        ".filter(r => r.style.display !== 'none')"
        ".map(r => [...r.children].map(c => c.textContent));"
    )
    assert cells
    assert {row[1] for row in cells} == {kind}
    rows = driver.find_elements("css selector", "#timeline tbody tr")
    rows = [r for r in rows if r.is_displayed()]
    assert len(rows) == len(cells)
    if rows:
        driver.execute_script("arguments[0].scrollIntoView()", rows[0])
        rows[0].click()
        t_row = float(cells[0][0])
        assert float(driver.execute_script("return window.iadsimReport.now()")) == pytest.approx(
            t_row
        )
    timeline = driver.find_element("id", "timeline-section")
    _save(timeline, f"report-{name}-timeline.png", tmp_path)
    assert _errors(driver.get_log("browser")) == []


def test_the_minimal_run_report_works_offline(browser, minimal_run, minimal_coverage, tmp_path):
    """With the products of ``iadsim coverage`` on its map and in the page."""
    page = _report(minimal_run, tmp_path, "--coverage", str(minimal_coverage))
    _check_run_page(browser, page, tmp_path, "minimal", 60.0)


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_run_report_works_offline(browser, bundled_runs, name, tmp_path):
    folder, _ = bundled_runs[name]
    page = _report(folder, tmp_path)
    assert page.stat().st_size < 10_000_000
    _check_run_page(browser, page, tmp_path, name, MID_RAID_S)


def test_a_campaign_report_works_offline(browser, small_campaign, tmp_path):
    page = _report(small_campaign, tmp_path)
    assert _errors(_open(browser, page)) == []
    images = browser.find_elements("css selector", "img.plot")
    assert images
    assert all(browser.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)


def test_a_study_report_works_offline(browser, small_study, tmp_path):
    """2 variants x 2 replications of the minimal scenario: tables and every figure load."""
    page = _report(small_study, tmp_path)
    assert _errors(_open(browser, page)) == []
    images = browser.find_elements("css selector", "img.plot")
    assert len(images) >= 3  # per-variant distributions, differences, collected aspect
    assert all(browser.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)
    assert len(browser.find_elements("css selector", "section.question table")) == 2
    _save(browser.find_element("css selector", "section.question"), "report-study.png", tmp_path)
    assert _errors(browser.get_log("browser")) == []


def _busiest_flyout_time(page: Path, start_s: float, stop_s: float) -> tuple[float, int]:
    """The whole second in [start, stop] with the most interceptors in flight, and how many."""
    import json
    import re

    found = re.search(
        r'<script id="run-data" type="application/json">(.*?)</script>',
        page.read_text("utf-8"),
        re.S,
    )
    assert found is not None
    flyouts = json.loads(found.group(1))["flyouts"]
    counts = {
        t: sum(f["t0"] < t < f["t1"] for f in flyouts) for t in range(int(start_s), int(stop_s))
    }
    best = max(counts, key=lambda t: (counts[t], -t))
    return float(best), counts[best]


@pytest.mark.slow
def test_docs_screenshots_of_the_s400_report(browser, bundled_runs, tmp_path):
    """The README's screenshots (``IADSIM_SCREENSHOT_DIR=docs/images``): the bundled S-400
    run's map mid-raid with interceptors in flight along their recorded paths, the timeline,
    and the explain panel of an allied aircraft the S-400 shot down."""
    import json

    folder, _ = bundled_runs["turkey-s400-ankara"]
    page = _report(folder, tmp_path)
    assert page.stat().st_size < 10_000_000
    assert _errors(_open(browser, page)) == []
    when, flying = _busiest_flyout_time(page, 600.0, 1500.0)
    assert flying > 0
    _slide_to(browser, when)
    # Each interceptor in flight is a dark red line with more than two points: the
    # recorded path, not the straight line between launch and end.
    points = browser.execute_script(
        "return [...document.querySelectorAll('path[stroke=\"#8b0000\"]')]"
        ".map(p => (p.getAttribute('d') || '').split(/[ML]/).length - 1);"
    )
    assert max(points) > 2
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    engaged = [r["truth"] for r in summary["fratricide"]]
    lost = [r["truth"] for r in summary["fratricide"] if r["result"] == "kill"]
    name = (lost or engaged)[0]
    browser.execute_script("window.iadsimReport.showChain(arguments[0])", name)
    assert browser.find_element("id", "chain").get_attribute("data-entity") == name
    _save(browser.find_element("id", "viewer-section"), "report-map.png", tmp_path)
    _save(browser.find_element("id", "side"), "report-explain.png", tmp_path)
    _save(browser.find_element("id", "timeline-section"), "report-timeline.png", tmp_path)
    assert _errors(browser.get_log("browser")) == []
