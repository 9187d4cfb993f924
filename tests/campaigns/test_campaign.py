"""Campaign runs: determinism across workers, seeds, retries, manifest checks, resume."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from tests.campaigns import mc_toys

from iadsim.campaigns.campaign import (
    CampaignError,
    load_results,
    replication_seed,
    run_campaign,
)
from iadsim.campaigns.store import RESULTS_DIR

DOC = {"name": "toy", "raid": {"count": 6, "pk": 0.7}, "air_tracks": [{"name": "raid1"}]}
SWEEP = ("raid.count=4,8",)


def _rows(out_dir):
    return load_results(out_dir).to_pylist()


def test_seed_of_replication_k_is_the_kth_spawned_child():
    children = np.random.SeedSequence(42).spawn(5)
    for k, child in enumerate(children):
        expected = int(child.generate_state(1, dtype=np.uint64)[0]) >> 1
        assert replication_seed(42, 3, k) == expected
    independent = np.random.SeedSequence(42, spawn_key=(3, 4)).generate_state(1, np.uint64)
    assert replication_seed(42, 3, 4, common_random_numbers=False) == int(independent[0]) >> 1
    assert replication_seed(42, 2, 4, common_random_numbers=False) != replication_seed(
        42, 3, 4, common_random_numbers=False
    )


def test_results_are_identical_with_one_and_two_workers(tmp_path):
    one = run_campaign(
        DOC,
        "h",
        12,
        7,
        out_dir=tmp_path / "one",
        sweeps=SWEEP,
        replicate=mc_toys.normal_replicate,
        progress=False,
    )
    two = run_campaign(
        DOC,
        "h",
        12,
        7,
        out_dir=tmp_path / "two",
        sweeps=SWEEP,
        workers=2,
        replicate="tests.campaigns.mc_toys.normal_replicate",
        progress=False,
        flush_rows=5,
    )
    assert one.n_ran == two.n_ran == 24
    first, second = load_results(tmp_path / "one"), load_results(tmp_path / "two")
    assert first.num_rows == 24
    mc_toys.assert_same_rows(first, second)
    rows = first.to_pylist()
    assert [(r["point"], r["replication"]) for r in rows] == [
        (p, k) for p in range(2) for k in range(12)
    ]
    assert {r["sweep.raid.count"] for r in rows} == {4, 8}
    # Every row's values are what the replicate gives for that point's document and seed.
    for row in rows:
        doc = {**DOC, "raid": {**DOC["raid"], "count": row["sweep.raid.count"]}}
        expected = mc_toys.normal_replicate(doc, row["seed"])
        assert row["seed"] == replication_seed(7, row["point"], row["replication"])
        assert row["leakers"] == expected["leakers"]
        assert row["siap_completeness"] == expected["siap_completeness"]


def test_common_random_numbers_give_each_point_the_same_seeds(tmp_path):
    run_campaign(
        DOC,
        "h",
        5,
        3,
        out_dir=tmp_path,
        sweeps=SWEEP,
        replicate=mc_toys.normal_replicate,
        progress=False,
    )
    rows = _rows(tmp_path)
    seeds = {p: [r["seed"] for r in rows if r["point"] == p] for p in (0, 1)}
    assert seeds[0] == seeds[1]
    assert len(set(seeds[0])) == 5


def test_failing_replication_is_retried_once_then_recorded(tmp_path):
    summary = run_campaign(
        DOC, "h", 30, 11, out_dir=tmp_path, replicate=mc_toys.failing_replicate, progress=False
    )
    rows = _rows(tmp_path)
    failed = [r for r in rows if r["status"] == "failed"]
    expected_failed = {k for k in range(30) if replication_seed(11, 0, k) % 3 == 0}
    assert expected_failed, "the seed should give at least one failing replication"
    assert {r["replication"] for r in failed} == expected_failed
    assert summary.n_failed == len(expected_failed)
    assert len(rows) == 30
    for row in failed:
        assert row["attempts"] == 2
        assert "toy failure for seed" in row["error"]
        assert row["leakers"] is None
    assert all(r["attempts"] == 1 and r["error"] is None for r in rows if r["status"] == "ok")


def test_replication_that_fails_once_succeeds_on_retry(tmp_path):
    doc = {**DOC, "marker_dir": str(tmp_path)}
    run_campaign(
        doc,
        "h",
        4,
        1,
        out_dir=tmp_path / "out",
        replicate=mc_toys.flaky_replicate,
        progress=False,
    )
    rows = _rows(tmp_path / "out")
    assert [r["status"] for r in rows] == ["ok"] * 4
    assert [r["attempts"] for r in rows] == [2] * 4


def test_no_retries_records_the_first_failure(tmp_path):
    doc = {**DOC, "marker_dir": str(tmp_path)}
    run_campaign(
        doc,
        "h",
        3,
        1,
        out_dir=tmp_path / "out",
        replicate=mc_toys.flaky_replicate,
        progress=False,
        retries=0,
    )
    rows = _rows(tmp_path / "out")
    assert [r["status"] for r in rows] == ["failed"] * 3
    assert "first attempt fails" in rows[0]["error"]


def test_replicate_cannot_change_the_document_of_other_replications(tmp_path):
    run_campaign(
        DOC, "h", 4, 1, out_dir=tmp_path, replicate=mc_toys.mutating_replicate, progress=False
    )
    assert {r["interceptors_fired"] >= 6 for r in _rows(tmp_path)} == {True}


def test_rerun_with_another_seed_or_scenario_is_refused(tmp_path):
    kwargs = {"out_dir": tmp_path, "replicate": mc_toys.normal_replicate, "progress": False}
    run_campaign(DOC, "hash-a", 2, 5, **kwargs)
    with pytest.raises(CampaignError, match="seed"):
        run_campaign(DOC, "hash-a", 2, 6, **kwargs)
    with pytest.raises(CampaignError, match="scenario_hash"):
        run_campaign(DOC, "hash-b", 2, 5, **kwargs)
    with pytest.raises(CampaignError, match="points"):
        run_campaign(DOC, "hash-a", 2, 5, sweeps=SWEEP, **kwargs)
    assert len(_rows(tmp_path)) == 2


def test_rerun_runs_only_missing_replications_and_can_extend(tmp_path):
    kwargs = {"out_dir": tmp_path, "replicate": mc_toys.normal_replicate, "progress": False}
    first = run_campaign(DOC, "h", 5, 2, sweeps=SWEEP, **kwargs)
    again = run_campaign(DOC, "h", 5, 2, sweeps=SWEEP, **kwargs)
    more = run_campaign(DOC, "h", 8, 2, sweeps=SWEEP, **kwargs)
    assert (first.n_ran, again.n_ran, again.n_already_done) == (10, 0, 10)
    assert (more.n_ran, more.n_already_done) == (6, 10)
    fresh = tmp_path / "fresh"
    run_campaign(DOC, "h", 8, 2, sweeps=SWEEP, **{**kwargs, "out_dir": fresh})
    mc_toys.assert_same_rows(load_results(tmp_path), load_results(fresh))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["runs"] == 8
    assert manifest["seed"] == 2
    assert manifest["sweeps"] == [{"path": "raid.count", "values": [4, 8]}]


def test_a_replication_that_kills_its_worker_is_recorded_and_others_are_not(tmp_path):
    runs = 10
    crashing = {k for k in range(runs) if replication_seed(4, 0, k) % 7 == 0}
    assert len(crashing) == 1, "seed 4 should make exactly one replication crash"
    run_campaign(
        DOC,
        "h",
        runs,
        4,
        out_dir=tmp_path,
        workers=2,
        replicate="tests.campaigns.mc_toys.crashing_replicate",
        progress=False,
    )
    rows = _rows(tmp_path)
    assert len(rows) == runs
    assert {r["replication"] for r in rows if r["status"] == "failed"} == crashing
    failed = next(r for r in rows if r["status"] == "failed")
    assert "worker process died" in failed["error"]


def test_part_files_hold_each_replication_once(tmp_path):
    run_campaign(
        DOC,
        "h",
        9,
        1,
        out_dir=tmp_path,
        replicate=mc_toys.normal_replicate,
        progress=False,
        flush_rows=2,
    )
    parts = sorted((tmp_path / RESULTS_DIR).glob("part-*.parquet"))
    assert len(parts) == 5
    keys = [
        (p, k)
        for part in parts
        for p, k in zip(
            pq.read_table(part).column("point").to_pylist(),
            pq.read_table(part).column("replication").to_pylist(),
            strict=True,
        )
    ]
    assert sorted(keys) == [(0, k) for k in range(9)]


def test_local_function_is_refused_for_worker_processes(tmp_path):
    def local_replicate(_doc, seed):
        return {"x": seed}

    with pytest.raises(CampaignError, match="module-level"):
        run_campaign(DOC, "h", 2, 1, out_dir=tmp_path, workers=2, replicate=local_replicate)


def test_unknown_replicate_name_is_a_clear_error(tmp_path):
    with pytest.raises(CampaignError, match="cannot import"):
        run_campaign(DOC, "h", 2, 1, out_dir=tmp_path, replicate="no_such_module.replicate")


def test_sweep_and_uncertainty_values_reach_the_replicate(tmp_path):
    run_campaign(
        DOC,
        "h",
        2,
        5,
        out_dir=tmp_path,
        sweeps=["raid.count=3,9"],
        uncertainty_ranges={"f35a.rcs_scale": (0.5, 2.0)},
        sample_uncertainty=3,
        replicate=mc_toys.echo_replicate,
        progress=False,
    )
    rows = _rows(tmp_path)
    assert len(rows) == 2 * 3 * 2
    for row in rows:
        assert row["rcs_scale_seen"] == row["sweep.catalog.f35a.rcs_scale"]
        assert row["count_seen"] == row["sweep.raid.count"]
        assert 0.5 <= row["rcs_scale_seen"] <= 2.0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["uncertainty"] == {"samples": 3, "ranges": {"f35a.rcs_scale": [0.5, 2.0]}}
    assert len(manifest["points"]) == 6


def test_a_shared_pool_broken_by_a_crash_serves_the_next_campaign(tmp_path):
    """Campaigns that share one pool (as a study's do): a worker killed in the first is
    recorded as there, and the second runs on the replaced pool with all rows ok."""
    from iadsim.campaigns.workers import SharedPool

    runs = 10
    crashing = {k for k in range(runs) if replication_seed(4, 0, k) % 7 == 0}
    with SharedPool(2) as pool:
        for name, replicate in (
            ("crashing", "tests.campaigns.mc_toys.crashing_replicate"),
            ("normal", "tests.campaigns.mc_toys.normal_replicate"),
        ):
            run_campaign(
                DOC,
                "h",
                runs,
                4,
                out_dir=tmp_path / name,
                replicate=replicate,
                progress=False,
                pool=pool,
            )
        assert pool._executor is not None  # left running between campaigns
    assert pool._executor is None  # shut down at the end
    rows = _rows(tmp_path / "crashing")
    assert {r["replication"] for r in rows if r["status"] == "failed"} == crashing
    assert [r["status"] for r in _rows(tmp_path / "normal")] == ["ok"] * runs


def test_shared_results_fill_a_campaign_of_the_same_document_and_never_another(tmp_path):
    """share_results gives a new folder the source's rows (its campaign then runs only the
    missing replications, with the rows it would compute), and leaves a folder that holds a
    different campaign untouched, so that running it still stops instead of mixing."""
    from iadsim.campaigns.store import share_results

    def run(folder, runs, doc=DOC):
        return run_campaign(
            doc, None, runs, 7, out_dir=folder, replicate=mc_toys.normal_replicate, progress=False
        )

    run(tmp_path / "source", 4)
    assert share_results(tmp_path / "source", tmp_path / "copy") > 0
    summary = run(tmp_path / "copy", 6)
    assert (summary.n_already_done, summary.n_ran) == (4, 2)
    run(tmp_path / "alone", 6)
    # as JSON text, where NaN equals NaN
    assert json.dumps(_rows(tmp_path / "copy")) == json.dumps(_rows(tmp_path / "alone"))

    other = {**DOC, "raid": {"count": 3, "pk": 0.5}}
    run(tmp_path / "other", 2, other)
    before = sorted(p.name for p in (tmp_path / "other" / RESULTS_DIR).iterdir())
    assert share_results(tmp_path / "source", tmp_path / "other") == 0
    assert sorted(p.name for p in (tmp_path / "other" / RESULTS_DIR).iterdir()) == before
    with pytest.raises(CampaignError, match="different campaign"):
        run(tmp_path / "other", 2)
