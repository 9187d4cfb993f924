"""Point labels never overlap, even for points on top of one another."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from iadsim.viz.labels import CANDIDATE_OFFSETS_PT, place_labels


def _axes():
    figure = Figure(figsize=(6, 5), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    figure.canvas.draw()
    return figure, ax


def test_labels_of_coincident_points_do_not_overlap():
    """Six names on one spot (a post on an air base, say) and a cluster near it."""
    figure, ax = _axes()
    labels = [(f"site-{k}-long-name", 5.0, 5.0) for k in range(6)]
    labels += [(f"near-{k}", 5.0 + 0.1 * k, 5.2) for k in range(4)]
    drawn = place_labels(ax, labels)
    assert len(drawn) >= 8
    renderer = figure.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in drawn]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    axes_box = ax.get_window_extent(renderer)
    assert all(axes_box.contains(b.x0, b.y0) and axes_box.contains(b.x1, b.y1) for b in boxes)


def test_a_label_with_no_clear_place_is_left_out_not_overlapped():
    figure, ax = _axes()
    labels = [("x" * 12, 5.0, 5.0)] * (len(CANDIDATE_OFFSETS_PT) + 5)
    drawn = place_labels(ax, labels, fontsize=14)
    assert len(drawn) < len(labels)
    renderer = figure.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in drawn]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert len(ax.texts) == len(drawn)


def test_labels_keep_clear_of_boxes_to_avoid():
    figure, ax = _axes()
    renderer = figure.canvas.get_renderer()
    first = place_labels(ax, [("blocker", 5.0, 5.0)])[0]
    blocker = first.get_window_extent(renderer)
    second = place_labels(ax, [("other", 5.0, 5.0)], avoid=[blocker])
    assert second and not second[0].get_window_extent(renderer).overlaps(blocker)
