"""``iadsim report`` on a run folder: the page's data, its self-containment, the command."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.report.page import fill, json_for_script
from iadsim.report.run_data import IDENTITY_CODES, run_data
from iadsim.scoring.explain import explain, read_run

SIZE_BUDGET_BYTES = 10_000_000


@pytest.fixture(scope="module")
def page(minimal_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "minimal.html"
    result = CliRunner().invoke(app, ["report", str(minimal_run), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output.replace("\n", "")
    return out.read_text("utf-8")


def _embedded(page: str) -> dict:
    match = re.search(r'<script id="run-data" type="application/json">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _markup(page: str) -> str:
    """The page without the bodies of its script elements (Leaflet's code holds a link
    for its attribution control, which the report does not show)."""
    return re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)


def test_the_page_loads_nothing_from_the_network(page):
    """No http(s) source or link in the markup, and a content security policy that allows
    none (the browser test loads it with the network off)."""
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", _markup(page))
    assert "default-src 'none'" in page
    assert "<script src" not in page
    assert "<link" not in page
    assert len(page.encode("utf-8")) < SIZE_BUDGET_BYTES


def test_each_chain_is_the_text_of_iadsim_explain(page, minimal_run):
    data = _embedded(page)
    events, tracks = read_run(minimal_run)
    assert set(data["chains"]) == {"raider", "escort"} | set(data["chains"])
    for name, lines in data["chains"].items():
        assert lines == explain(events, tracks, name)


def test_each_post_picture_holds_its_own_tracks_with_standard_identities(minimal_run):
    data = run_data(minimal_run)
    tracks = pq.read_table(minimal_run / "tracks.parquet").to_pylist()
    held = [row for row in tracks if row["source"] != "truth"]
    assert set(data["pictures"]) == {row["source"] for row in held}
    n_rows = sum(len(track["t"]) for post in data["pictures"].values() for track in post.values())
    assert n_rows == len(held)
    codes = {code for post in data["pictures"].values() for t in post.values() for code in t["id"]}
    assert codes <= set(IDENTITY_CODES.values())


def test_truth_routes_are_the_records_of_tracks_parquet(minimal_run):
    data = run_data(minimal_run)
    truth = [r for r in pq.read_table(minimal_run / "tracks.parquet").to_pylist()
             if r["source"] == "truth"]  # fmt: skip
    raider = [r for r in truth if r["id"] == "raider"]
    assert data["truth"]["raider"]["t"] == [round(r["time_s"], 1) for r in raider]
    assert data["truth"]["raider"]["lat"] == pytest.approx([r["lat_deg"] for r in raider], abs=1e-4)
    assert data["truth"]["raider"]["side"] == "red"


def test_flyouts_run_from_each_launch_to_its_end(short_run):
    data = run_data(short_run)
    events = pq.read_table(short_run / "events.parquet").to_pylist()
    launches = [e for e in events if e["kind"] == "launch"]
    assert len(data["flyouts"]) <= len(launches)
    assert data["flyouts"], "the S-400 fires in its first 10 minutes"
    for flyout in data["flyouts"]:
        assert flyout["t1"] >= flyout["t0"]
        assert flyout["end"] in (
            "kill", "miss", "self_destruct", "guidance_lost", "in flight at the end"
        )  # fmt: skip


def test_each_flyout_follows_its_recorded_path(short_run):
    """Launch point, then every step of ``interceptors.parquet``, then the end event."""
    data = run_data(short_run)
    events = pq.read_table(short_run / "events.parquet").to_pylist()
    flown = pq.read_table(short_run / "interceptors.parquet").to_pylist()
    for flyout in data["flyouts"]:
        key = (flyout["unit"], flyout["interceptor"])
        launch = next(
            e for e in events if e["kind"] == "launch" and (e["unit"], e["interceptor_id"]) == key
        )
        steps = [r for r in flown if (r["unit"], r["interceptor_id"]) == key]
        path = flyout["path"]
        assert path["t"] == sorted(path["t"])
        assert (path["t"][0], path["lat"][0]) == (round(launch["time_s"], 1),
                                                   round(launch["lat_deg"], 4))  # fmt: skip
        inner = (
            slice(1, -1) if flyout["end"] in ("kill", "miss", "self_destruct") else slice(1, None)
        )
        assert path["lat"][inner] == [round(r["lat_deg"], 4) for r in steps]
        assert path["lon"][inner] == [round(r["lon_deg"], 4) for r in steps]
        assert len(steps) > 3  # a flown path, not the straight line between two events
        assert flyout["to"] == [path["lat"][-1], path["lon"][-1]]


def test_a_folder_without_recorded_paths_gets_straight_flyouts(short_run, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(short_run, old)
    (old / "interceptors.parquet").unlink()
    for flyout in run_data(old)["flyouts"]:
        assert len(flyout["path"]["t"]) == 2
        assert flyout["path"]["lat"] == [flyout["from"][0], flyout["to"][0]]


def test_the_page_holds_tables_plots_decisions_and_assumptions(page):
    for section in ("Run tables", "Air picture over time", "Decision log", "Assumptions"):
        assert section in page
    assert "weapons free" in page  # the minimal scenario's battery is weapons free
    assert 'alt="SIAP and GOSPA per post"' in page


def test_script_json_cannot_close_its_element():
    text = json_for_script({"name": "</script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>"}


def test_fill_inserts_each_part_once_and_never_rescans_inserted_text():
    assert fill("a @X@ b @Y@", {"X": "@Y@", "Y": "y"}) == "a @Y@ b y"
    with pytest.raises(KeyError):
        fill("@MISSING@", {})


def test_a_folder_that_is_neither_run_nor_campaign_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "neither a run folder" in result.output


def test_a_campaign_page_embeds_every_figure(small_campaign, tmp_path):
    out = tmp_path / "campaign.html"
    result = CliRunner().invoke(app, ["report", str(small_campaign), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    figures = sorted(p.stem for p in (small_campaign / "report").glob("*.png"))
    assert figures
    for name in figures:
        assert f'alt="{name}" src="data:image/png;base64,' in page
    assert "<table>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", _markup(page))


def test_coverage_products_go_on_the_map_and_into_the_page(minimal_run, minimal_coverage, tmp_path):
    out = tmp_path / "with-coverage.html"
    result = CliRunner().invoke(
        app, ["report", str(minimal_run), "--coverage", str(minimal_coverage), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    data = _embedded(page)
    features = json.loads((minimal_coverage / "boundary.geojson").read_text())["features"]
    polygons = [f for f in features if f["geometry"]]
    assert len(data["coverage_boundaries"]) == len(polygons) > 0
    for boundary, feature in zip(data["coverage_boundaries"], polygons, strict=True):
        assert boundary["radar"] == feature["properties"]["radar"]
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert boundary["ring"][0] == pytest.approx([lat, lon], abs=1e-4)
    for png in minimal_coverage.glob("*.png"):
        assert f'alt="{png.name}" src="data:image/png;base64,' in page


def test_a_coverage_option_without_a_coverage_folder_exits_2(minimal_run, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(minimal_run),
            "--coverage",
            str(tmp_path),
            "--out",
            str(tmp_path / "x.html"),
        ],
    )
    assert result.exit_code == 2
    assert "not an iadsim coverage folder" in result.output
