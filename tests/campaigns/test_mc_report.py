"""``make_report``: tables and figures of a finished campaign."""

from __future__ import annotations

import csv
import json

import matplotlib.image
import pytest
from scipy import stats
from tests.campaigns import mc_toys

from iadsim.campaigns.campaign import CampaignError, load_results, run_campaign
from iadsim.campaigns.report import make_report
from iadsim.campaigns.store import MANIFEST_NAME

DOC = {
    "name": "toy-raid",
    "description": "Six threats against one battery.",
    "raid": {"count": 6, "pk": 0.5},
}


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
        [
            "allied_engaged.png",
            "leakers.png",
            "P_allied_engaged_gt0.png",
            "P_leakers_gt0.png",
            "siap_completeness.png",
        ]
    )
    for figure in report.figures:
        image = matplotlib.image.imread(figure)
        assert image.shape[0] > 200 and image.shape[1] > 300
    with report.csv.open() as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3 * 5
    # The proportion of replications with an allied aircraft engaged, against scipy.
    results = load_results(tmp_path).to_pylist()
    for point in range(3):
        engaged = [r["allied_engaged"] for r in results if r["point"] == point]
        reference = stats.binomtest(sum(engaged), len(engaged)).proportion_ci(method="wilson")
        row = next(
            r for r in rows if r["measure"] == "P(allied_engaged>0)" and int(r["point"]) == point
        )
        assert float(row["mean"]) == pytest.approx(sum(engaged) / len(engaged))
        assert float(row["ci_low"]) == pytest.approx(reference.low)
        assert float(row["ci_high"]) == pytest.approx(reference.high)
        count = next(
            r for r in rows if r["measure"] == "allied_engaged" and int(r["point"]) == point
        )
        assert (count["kind"], count["unit"], count["variant"]) == (
            "count",
            "aircraft",
            f"raid.pk={(0.3, 0.6, 0.9)[point]}",
        )
        assert count["flags"] == "small-n"  # 20 runs
    text = report.markdown.read_text()
    assert "## leakers (count, threats)" in text
    assert "## allied_engaged (count, aircraft)" in text
    assert "## P(allied_engaged>0) (proportion)" in text
    assert "## siap_completeness (ratio)" in text
    assert "swept `raid.pk`: 0.3, 0.6, 0.9" in text
    assert "| point | raid.pk | n | failed | mean | 95% CI | flags |" in text


def test_report_of_a_single_point_draws_proportion_bars_and_histograms(tmp_path):
    _campaign(tmp_path, sweeps=())
    report = make_report(tmp_path, measures=["allied_engaged", "kills"], n_resamples=200)
    names = {path.name for path in report.figures}
    assert names == {"proportions.png", "allied_engaged.png", "kills.png"}
    assert all(path.exists() for path in report.figures)
    text = report.markdown.read_text()
    assert "| 0 | scenario as written | 20 | 0 |" in text


def test_report_header_names_the_scenario_seed_and_runs(tmp_path):
    _campaign(tmp_path, sweeps=(), runs=4)
    text = make_report(tmp_path, measures=["leakers"], n_resamples=200).markdown.read_text()
    assert text.startswith("# Monte Carlo campaign report: toy-raid\n")
    assert "- scenario: **toy-raid**: Six threats against one battery." in text
    assert "- campaign seed: 3 (common-random-numbers seeding)" in text
    assert "replications per point: 4" in text
    assert "- measures: declared by `tests.campaigns.mc_toys:normal_replicate`" in text
    assert "Threats of the raid not killed." in text  # the declared description


def test_four_runs_are_flagged_in_the_table_and_the_legend(tmp_path):
    # With pk = 1 every threat is killed: leakers is 0 in all four runs.
    run_campaign(
        {**DOC, "raid": {"count": 6, "pk": 1.0}},
        "h",
        4,
        3,
        out_dir=tmp_path,
        replicate=mc_toys.normal_replicate,
        progress=False,
    )
    report = make_report(tmp_path, measures=["leakers", "kills"], n_resamples=200)
    text = report.markdown.read_text()
    assert "| 0 | scenario as written | 4 | 0 | 0 | [0, 0] | small-n, degenerate |" in text
    assert "| 0 | scenario as written | 4 | 0 | 6 | [6, 6] | small-n, degenerate |" in text
    assert "- `small-n`: fewer than 30 values" in text
    assert "- `degenerate`: zero-width interval" in text
    assert "- `failed`" not in text  # only the flags that occur are explained
    with report.csv.open() as stream:
        flags = {row["measure"]: row["flags"] for row in csv.DictReader(stream)}
    assert flags == {
        "leakers": "small-n;degenerate",
        "kills": "small-n;degenerate",
        "P(leakers>0)": "small-n",  # Wilson: [0, 0.49], not of zero width
    }


def _forget_declarations(out_dir):
    """Make the manifest look like one written before scenarios and measures were recorded."""
    path = out_dir / MANIFEST_NAME
    manifest = json.loads(path.read_text())
    del manifest["scenario"], manifest["measures"]
    path.write_text(json.dumps(manifest))


def test_an_old_manifest_without_declarations_is_reported_as_undeclared(tmp_path):
    _campaign(tmp_path, sweeps=(), runs=4)
    _forget_declarations(tmp_path)
    report = make_report(tmp_path, measures=["allied_engaged", "leakers"], n_resamples=200)
    text = report.markdown.read_text()
    assert text.startswith("# Monte Carlo campaign report\n")
    assert "- scenario: not recorded" in text
    assert "- measures: not recorded" in text
    assert "## allied_engaged (undeclared)" in text
    assert "**Undeclared:** the replicate did not declare this measure" in text
    assert "## P(allied_engaged>0) (proportion)" in text
    # Given the declarations, the same folder is reported by kind.
    declared = make_report(
        tmp_path,
        measures=["allied_engaged"],
        declarations=mc_toys.TOY_MEASURES,
        n_resamples=200,
    )
    assert "## allied_engaged (count, aircraft)" in declared.markdown.read_text()


def test_resuming_an_old_campaign_records_its_scenario_and_declarations(tmp_path):
    _campaign(tmp_path, sweeps=(), runs=2)
    _forget_declarations(tmp_path)
    _campaign(tmp_path, sweeps=(), runs=3)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["scenario"] == {"name": "toy-raid", "description": DOC["description"]}
    assert [m["name"] for m in manifest["measures"]] == [m.name for m in mc_toys.TOY_MEASURES]


def test_measures_of_a_replicate_that_declares_none_are_undeclared(tmp_path):
    run_campaign(DOC, "h", 3, 1, out_dir=tmp_path, replicate=mc_toys.echo_replicate, progress=False)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["measures"] is None
    text = make_report(tmp_path, n_resamples=200).markdown.read_text()
    assert "- measures: none: `tests.campaigns.mc_toys:echo_replicate` declares no measures" in text
    assert "## count_seen (undeclared)" in text


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
