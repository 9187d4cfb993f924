"""Every Python example in the README and docs/ runs as written, from the repository root.

Each fenced ``python`` block is run on its own in a fresh interpreter (a block must import
what it uses), in a scratch copy of the working directory's ``scenarios/`` so examples that
write ``runs/...`` leave nothing in the checkout. An example that prints figures is also
checked against the figures its page quotes, where the page quotes them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
NEEDS = {"stonesoup": "stonesoup"}
"""An example that imports this module is skipped when it is not installed."""


def examples() -> list[pytest.param]:
    found = []
    for page in PAGES:
        for index, match in enumerate(FENCE.finditer(page.read_text("utf-8"))):
            code = match.group(1)
            marks = [pytest.mark.slow] if "run_campaign" in code or "Simulation(" in code else []
            name = f"{page.relative_to(ROOT)}#{index + 1}"
            found.append(pytest.param(code, id=name, marks=marks))
    return found


def run_example(code: str, workdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "120"},
        check=False,
    )


@pytest.mark.parametrize("code", examples())
def test_example_runs(code, tmp_path):
    for module, package in NEEDS.items():
        if f"import {module}" in code or f"from {module}" in code:
            pytest.importorskip(package)
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    (tmp_path / "src").symlink_to(ROOT / "src")  # examples that read package data files
    result = run_example(code, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DIFFERS" not in result.stdout  # signatures.md: tables reproduced from the model


def test_the_signal_effect_example_prints_the_figures_its_page_quotes(tmp_path):
    page = (ROOT / "docs" / "coverage.md").read_text("utf-8")
    code = next(m.group(1) for m in FENCE.finditer(page) if "BarrageNoise" in m.group(1))
    quoted = re.search(r"without \(([\d.]+)\) and with \(([\d.]+)\)", code)
    assert quoted is not None
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    result = run_example(code, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = [float(x) for x in re.findall(r"\[([\d.]+)\]", result.stdout)]
    assert [round(p, 2) for p in printed] == [float(quoted[1]), float(quoted[2])]


def test_the_ballistic_example_prints_the_figures_its_page_quotes(tmp_path):
    page = (ROOT / "docs" / "models" / "ballistic.md").read_text("utf-8")
    code = next(m.group(1) for m in FENCE.finditer(page) if "scenario_flight" in m.group(1))
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    result = run_example(code, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    quoted = " ".join(page.split("```")[-1].split())  # the prose after the example
    for line in result.stdout.splitlines():
        assert " ".join(line.split()) in quoted, line
