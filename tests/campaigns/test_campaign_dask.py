"""The Dask distributed path gives the same rows as the local process pool."""

from __future__ import annotations

import pytest
from tests.campaigns import mc_toys

from iadsim.campaigns.campaign import CampaignError, load_results, run_campaign

distributed = pytest.importorskip("distributed")

DOC = {"raid": {"count": 6, "pk": 0.5}, "air_tracks": [{"name": "raid1", "count": 2}]}
SWEEPS = ("air_tracks.raid1.count=2,4", "raid.pk=0.4,0.8")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,
    ) as local_cluster:
        yield local_cluster


def test_dask_cluster_gives_the_same_rows_as_the_local_pool(tmp_path, cluster):
    common = {
        "sweeps": SWEEPS,
        "progress": False,
        "replicate": "tests.campaigns.mc_toys.failing_replicate",
    }
    via_dask = run_campaign(
        DOC, "h", 6, 21, out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address, **common
    )
    run_campaign(DOC, "h", 6, 21, out_dir=tmp_path / "pool", workers=2, **common)
    dask_rows, pool_rows = load_results(tmp_path / "dask"), load_results(tmp_path / "pool")
    assert via_dask.n_ran == dask_rows.num_rows == 4 * 6
    assert "failed" in dask_rows.column("status").to_pylist()  # retries run on workers too
    mc_toys.assert_same_rows(dask_rows, pool_rows)


def test_dask_workers_that_cannot_import_the_replicate_stop_the_campaign(tmp_path, cluster):
    with (
        distributed.Client(cluster.scheduler_address) as client,
        pytest.raises(CampaignError, match="cannot load the replicate"),
    ):
        run_campaign(
            DOC,
            "h",
            2,
            1,
            out_dir=tmp_path,
            scheduler=client,
            replicate="no_such_module.replicate",
            progress=False,
        )
