"""The run map: coverage per post, outcome symbols, legend outside the data."""

from __future__ import annotations


def test_the_run_map_draws_sectors_per_post_losses_and_route_ends(tmp_path, monkeypatch):
    """Every distinct outcome symbol and one coverage entry per post reach the legend, which
    sits outside the map; the 92N6E's 90 deg sector is drawn as a sector (closed at its
    site), not a ring."""
    import json

    import matplotlib.axes
    import pyarrow as pa

    from iadsim.report.layout import run_layout
    from iadsim.scenario.loader import load_scenario
    from iadsim.viz import run_map

    scenario, catalog = load_scenario("scenarios/turkey-s400-ankara.yaml")
    layout = run_layout(scenario, catalog, None)
    sector = next(r for p in layout["posts"] for r in p["radars"] if r["type"] == "s400/92n6e")[
        "footprints"
    ]["1000"]
    site = [round(layout["posts"][0]["lat_deg"], 4), round(layout["posts"][0]["lon_deg"], 4)]
    assert sector[0] == sector[-1] == site
    truth = {"time_s": [0.0, 0.0, 0.0], "source": ["truth"] * 3,
             "id": ["red-1", "friend-1", "liner-1"], "truth": ["red-1", "friend-1", "liner-1"],
             "side": ["red", "nato", "civil"], "identity": [""] * 3,
             "lat_deg": [40.5, 40.3, 39.8], "lon_deg": [32.7, 32.9, 33.1],
             "alt_m": [100.0] * 3, "vel_east_mps": [0.0] * 3, "vel_north_mps": [0.0] * 3,
             "vel_up_mps": [0.0] * 3}  # fmt: skip
    events = {"time_s": [1.0, 2.0, 3.0, 4.0], "kind": ["kill", "kill", "leak", "route_end"],
              "unit": ["s400-murted", "s400-murted", "", ""], "track_id": [-1] * 4,
              "truth": ["red-1", "friend-1", "red-1", "liner-1"], "interceptor_id": [-1] * 4,
              "engagement_id": [-1] * 4, "lat_deg": [40.5, 40.3, 40.0, 39.8],
              "lon_deg": [32.7, 32.9, 32.8, 33.1], "alt_m": [0.0] * 4,
              "detail": ["{}"] * 4}  # fmt: skip
    legends = []
    original = matplotlib.axes.Axes.legend

    def spy(self, *args, **kwargs):
        legend = original(self, *args, **kwargs)
        legends.append((kwargs, [t.get_text() for t in legend.get_texts()]))
        return legend

    monkeypatch.setattr(matplotlib.axes.Axes, "legend", spy)
    path = tmp_path / "map.png"
    run_map.draw_run_map(
        path,
        scenario,
        catalog,
        pa.table(events),
        pa.table(truth),
        None,
        json.loads(json.dumps(layout)),
    )
    assert path.read_bytes()[:4] == b"\x89PNG"
    ((kwargs, texts),) = legends
    assert kwargs["bbox_to_anchor"][0] > 1.0  # outside the axes, right of the data
    for label in ("kill (threat)", "allied or civil aircraft lost", "leak", "route ended"):
        assert label in texts
    assert any(t.startswith("s400-murted: radar sectors") for t in texts)
    assert any(t.startswith("s400-murted: interceptor max ranges") for t in texts)
