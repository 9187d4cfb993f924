"""``iadsim report STUDY_DIR``: the page of a study folder, its tables against the raw
replications, its figures, its self-containment, and the command's errors."""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.campaigns import mc_toys
from typer.testing import CliRunner

from iadsim.campaigns.campaign import run_campaign
from iadsim.cli import app
from iadsim.report.study_plots import _spread
from iadsim.report.study_report import number_text

TOY_VARIANTS = {"pk-low": 0.3, "pk-high": 0.8}
TOY_MEASURES = ["kills", "leakers", "interceptors_fired"]


def _report_page(folder, out) -> str:
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "MB)" in result.output
    return out.read_text("utf-8")


@pytest.fixture(scope="module")
def page(small_study, tmp_path_factory):
    return _report_page(small_study, tmp_path_factory.mktemp("study-report") / "tiny.html")


@pytest.fixture(scope="module")
def toy_study(tmp_path_factory):
    """A study folder whose two variants are toy campaigns (a binomial raid, kill
    probability 0.3 or 0.8, 12 replications, the same seeds): values that differ between
    variants and replications, so that a mixed-up row or pairing shows."""
    folder = tmp_path_factory.mktemp("toy-study")
    runs = []
    for variant, pk in TOY_VARIANTS.items():
        run_campaign(
            {"name": variant, "raid": {"count": 6, "pk": pk}},
            "h-" + variant,
            12,
            5,
            out_dir=folder / "q" / variant,
            replicate=mc_toys.normal_replicate,
            progress=False,
        )
        runs.append(
            {
                "condition": "",
                "variant": variant,
                "description": f"kill probability {pk}",
                "condition_description": "",
                "folder": f"q/{variant}",
                "document_hash": "h-" + variant,
                "looks_key": variant,
            }
        )
    manifest = {
        "format": "iadsim-study/1",
        "name": "toy",
        "description": "Two kill probabilities.",
        "scenario": "toy.yaml",
        "seed": 5,
        "replications": 12,
        "seeding": "common-random-numbers",
        "questions": [
            {
                "name": "q",
                "title": "Does a better interceptor kill more?",
                "baseline": "pk-low",
                "measures": TOY_MEASURES,
                "exposure": None,
                "runs": runs,
            }
        ],
    }
    (folder / "study.json").write_text(json.dumps(manifest), "utf-8")
    return folder


@pytest.fixture(scope="module")
def toy_page(toy_study, tmp_path_factory):
    return _report_page(toy_study, tmp_path_factory.mktemp("study-report") / "toy.html")


def _raw(folder, variant: str) -> pa.Table:
    """The campaign's own result rows, by seed (read with pyarrow, not the study code)."""
    parts = sorted((folder / "q" / variant / "results").glob("*.parquet"))
    return pa.concat_tables([pq.read_table(p) for p in parts]).sort_by("seed")


def _row(page: str, variant: str) -> list[str]:
    """The cells of the headline table's row of ``variant`` (first table of the page)."""
    table = re.search(r"<table>.*?</table>", page, re.S)
    assert table is not None
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells and cells[0].split(" ")[0] == variant:
            return cells
    raise AssertionError(f"no row for {variant}")


def test_number_text_rounds_and_brackets_only_finite_intervals():
    assert number_text(0.5, 0.1, 0.9) == "0.5 [0.1, 0.9]"
    assert number_text(1234.56, 1000.2, 1500.7) == "1235 [1000, 1501]"
    assert number_text(2.0, math.nan, math.nan) == "2"
    assert number_text(math.nan, 0.0, 1.0) == "-"
    assert number_text(None) == "-"


def test_equal_values_are_spread_evenly_and_lone_values_stay_on_the_row():
    assert _spread([1.0, 2.0, 1.0, 1.0]) == pytest.approx([-0.3, 0.0, 0.0, 0.3])
    assert _spread([5.0]) == [0.0]


def test_the_headline_table_gives_each_variants_mean_of_its_replications(toy_study, toy_page):
    header = re.findall(
        r"<th(?: [^>]*)?>(.*?)</th>", re.search(r"<thead>.*?</thead>", toy_page).group(0)
    )
    assert header == [
        "variant",
        "ok / run",
        "kills (threats)",
        "leakers (threats)",
        "interceptors_fired (interceptors)",
    ]
    means = {}
    for variant in TOY_VARIANTS:
        cells = _row(toy_page, variant)
        assert cells[1] == "12 / 12"
        raw = _raw(toy_study, variant)
        for k, measure in enumerate(TOY_MEASURES):
            means[variant, measure] = float(np.mean(raw.column(measure).to_numpy()))
            assert cells[2 + k].split(" ")[0] == number_text(means[variant, measure])
            low, high = (float(x) for x in cells[2 + k].split(" ", 1)[1].strip("[]").split(","))
            assert low <= means[variant, measure] <= high
    assert means["pk-high", "kills"] > means["pk-low", "kills"]  # the rows are not swapped
    assert "(baseline)" in _row(toy_page, "pk-low")[0]


def test_the_differences_table_pairs_replications_by_seed(toy_study, toy_page):
    low, high = _raw(toy_study, "pk-low"), _raw(toy_study, "pk-high")
    assert low.column("seed").to_pylist() == high.column("seed").to_pylist()
    tables = re.findall(r"<table>.*?</table>", toy_page, re.S)
    assert len(tables) == 2
    for measure in TOY_MEASURES:
        paired = high.column(measure).to_numpy() - low.column(measure).to_numpy()
        row = next(r for r in tables[1].split("<tr>") if f">{measure} (" in r)
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        assert cells[0] == "pk-high - pk-low"
        assert cells[2] == "12"
        assert cells[3].split(" ")[0] == number_text(float(np.mean(paired)))


def test_the_page_embeds_its_figures_and_needs_no_network(small_study, page):
    summary = json.loads((small_study / "summary.json").read_text("utf-8"))
    assert any(p.endswith("-aspect.png") for p in summary["plots"])
    names = ["iff-variants"] + [p.split("/")[-1].removesuffix(".png") for p in summary["plots"]]
    for name in names:
        assert f'alt="{name}" src="data:image/png;base64,' in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "Escort squawking Mode 5 only" in page  # the question's title
    assert "first look" in page  # 2 replications: the small-sample caveat
    # Each question says its base scenario (questions of one study may have their own).
    manifest = json.loads((small_study / "study.json").read_text("utf-8"))
    (question,) = manifest["questions"]
    assert question["scenario"] == "../scenarios/minimal.yaml"
    assert len(question["scenario_hash"]) == 64
    assert "Base scenario <code>../scenarios/minimal.yaml</code>" in page


def test_a_study_with_no_finished_replication_exits_2(small_study, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(small_study / "study.json", empty / "study.json")
    result = CliRunner().invoke(app, ["report", str(empty)])
    assert result.exit_code == 2
    assert "no finished replication" in result.output


def test_coverage_is_refused_for_a_study(small_study, tmp_path):
    result = CliRunner().invoke(app, ["report", str(small_study), "--coverage", str(tmp_path)])
    assert result.exit_code == 2
    assert "study" in result.output
