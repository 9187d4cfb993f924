"""``make_report``: tables and figures of a finished campaign."""

from __future__ import annotations

import csv

import matplotlib.image
import pytest
from scipy import stats
from tests.campaigns import mc_toys

from iadsim.campaigns.campaign import CampaignError, load_results, run_campaign
from iadsim.campaigns.report import make_report

DOC = {"raid": {"count": 6, "pk": 0.5}}


def _campaign(out_dir, sweeps=("raid.pk=0.3,0.6,0.9",), runs=20):
    run_campaign(
        DOC,
        "h",
        runs,
        3,
        out_dir=out_dir,
        sweeps=sweeps,
        replicate=mc_toys.normal_replicate,
        progress=False,
    )


def test_report_of_a_sweep_writes_tables_and_one_figure_per_measure(tmp_path):
    _campaign(tmp_path)
    measures = ["allied_engaged", "leakers", "siap_completeness"]
    report = make_report(tmp_path, measures=measures, n_resamples=500)
    names = sorted(path.name for path in report.figures)
    assert names == sorted(
        ["allied_engaged.png", "leakers.png", "P_leakers_gt0.png", "siap_completeness.png"]
    )
    for figure in report.figures:
        image = matplotlib.image.imread(figure)
        assert image.shape[0] > 200 and image.shape[1] > 300
    with report.csv.open() as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3 * 4
    # The proportion of replications with an allied aircraft engaged, against scipy.
    results = load_results(tmp_path).to_pylist()
    for point in range(3):
        engaged = [r["allied_engaged"] for r in results if r["point"] == point]
        reference = stats.binomtest(sum(engaged), len(engaged)).proportion_ci(method="wilson")
        row = next(r for r in rows if r["measure"] == "allied_engaged" and int(r["point"]) == point)
        assert float(row["mean"]) == pytest.approx(sum(engaged) / len(engaged))
        assert float(row["ci_low"]) == pytest.approx(reference.low)
        assert float(row["ci_high"]) == pytest.approx(reference.high)
    text = report.markdown.read_text()
    assert "## leakers (mean)" in text
    assert "## allied_engaged (proportion)" in text
    assert "swept `raid.pk`: 0.3, 0.6, 0.9" in text


def test_report_of_a_single_point_draws_proportion_bars_and_histograms(tmp_path):
    _campaign(tmp_path, sweeps=())
    report = make_report(tmp_path, measures=["allied_engaged", "kills"], n_resamples=200)
    names = {path.name for path in report.figures}
    assert names == {"proportions.png", "kills.png"}
    assert all(path.exists() for path in report.figures)


def test_report_of_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(CampaignError, match="not a campaign"):
        make_report(tmp_path)


def test_report_lists_failed_replications(tmp_path):
    run_campaign(
        DOC,
        "h",
        12,
        11,
        out_dir=tmp_path,
        replicate=mc_toys.failing_replicate,
        progress=False,
    )
    report = make_report(tmp_path, measures=["leakers"], n_resamples=200)
    text = report.markdown.read_text()
    assert "## Failed replications" in text
    assert "RuntimeError: toy failure for seed" in text
