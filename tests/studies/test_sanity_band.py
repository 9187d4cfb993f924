"""The Ukraine sanity band (issue 17, point 7): published figures, the study, the page."""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from iadsim.studies.outputs import write_study_outputs
from iadsim.studies.runner import run_study
from iadsim.studies.sanity_band import (
    UKRAINE_2024_SHAHED,
    band_markdown,
    band_rows,
    launched_count,
    published_markdown,
)
from iadsim.studies.schema import load_study

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "studies" / "ukraine-band" / "study.yaml"
PAGE = ROOT / "docs" / "validation" / "ukraine-band.md"
SOURCES = ROOT / "src" / "iadsim" / "catalog" / "data" / "sources.yaml"


def test_published_shares_are_the_data_sets_ratios():
    # The figures (S341) and their ratios by exact arithmetic, rounded by hand:
    # 7552/11081 = 0.68153, 2737/11081 = 0.24700, 10289/11081 = 0.92853.
    figures = UKRAINE_2024_SHAHED
    assert (figures.launched, figures.destroyed, figures.lost_to_ew) == (11081, 7552, 2737)
    assert figures.share_destroyed == pytest.approx(float(Fraction(7552, 11081)), abs=1e-12)
    assert round(100 * figures.share_destroyed, 1) == 68.2
    assert round(100 * figures.share_lost_to_ew, 1) == 24.7
    assert round(100 * figures.share_not_reaching, 1) == 92.9
    text = SOURCES.read_text("utf-8")
    for source in figures.sources:
        assert f"\n  {source}: " in text, source
    assert all(n in text for n in ("11,081", "7,552", "2,737", "ODC-BY 1.0"))


def test_the_study_is_valid_and_launches_36_drones():
    loaded = load_study(STUDY)
    assert launched_count(loaded.scenario_doc, "shahed136") == 36  # 3 streams of 12
    assert launched_count(loaded.scenario_doc, "kalibr") == 0
    tracks = loaded.scenario_doc["air_tracks"]
    assert {track["type"] for track in tracks} == {"shahed136"}  # no other threats
    question = loaded.study.questions[0]
    assert {"kills", "leakers_shahed136"} <= set(question.measures)


def test_launched_count_defaults_count_to_one():
    doc = {"air_tracks": [{"type": "shahed136"}, {"type": "shahed136", "count": 4}]}
    assert launched_count(doc, "shahed136") == 5
    with pytest.raises(ValueError, match="launched must be positive"):
        band_rows(ROOT, "q", 0)


@pytest.mark.slow
def test_a_short_study_gives_shares_that_match_its_kills(tmp_path):
    # The raid cut to its first 12 minutes, one replication per variant: the outer layer
    # engages the leading drones, so the share destroyed is a real fraction of the 36.
    loaded = load_study(STUDY)
    doc = {**loaded.scenario_doc, "duration_min": 12}
    short = dataclasses.replace(loaded, scenario_doc=doc)
    summary = run_study(short, tmp_path, replications=1, progress=False)
    assert summary.n_failed == 0
    write_study_outputs(tmp_path)
    rows = band_rows(tmp_path, "night-raid", 36)
    assert [row.variant for row in rows] == ["layered", "outer-layer-only"]
    results = pq.read_table(tmp_path / "results.parquet")
    for row in rows:
        mine = results.filter(pc.equal(results.column("variant"), row.variant)).to_pylist()
        assert len(mine) == 1 and row.replications == 1
        assert row.destroyed == pytest.approx(mine[0]["kills"] / 36)
        assert row.leaked == pytest.approx(mine[0]["leakers_shahed136"] / 36)
        assert 0.0 < row.destroyed <= 1.0
        assert 0.0 <= row.destroyed + row.leaked <= 1.0
    table = band_markdown(rows)
    assert "| layered | 1 | 36 |" in table
    assert "(- to -)" in table  # one replication: no interval


def test_the_page_quotes_the_data_set_and_a_band_table():
    page = PAGE.read_text("utf-8")
    assert published_markdown() in page  # the figures exactly as the code states them
    for text in ("68.2 %", "24.7 %", "92.9 %", "ODC-BY 1.0", "Ivaniuk", "S340"):
        assert text in page, text
    assert "iadsim study studies/ukraine-band/study.yaml" in page
    assert "scripts/ukraine_band.py" in page
    rows = re.findall(
        r"^\| (layered|outer-layer-only) \| (\d+) \| 36 \| ([\d.]+) % \(([\d.]+) % to ([\d.]+) %\)",
        page,
        re.MULTILINE,
    )
    assert {row[0] for row in rows} == {"layered", "outer-layer-only"}
    for _, n, mean, low, high in rows:
        assert int(n) >= 2
        assert 0.0 <= float(low) <= float(mean) <= float(high) <= 100.0
