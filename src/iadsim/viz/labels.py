"""Point labels that never overlap one another: each label tries a few positions around its
point and takes the first whose box (in display pixels, as rendered) is clear of the boxes
already placed; a label with no clear position is left out rather than drawn over another."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.patheffects as path_effects
from matplotlib.axes import Axes
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

__all__ = ["CANDIDATE_OFFSETS_PT", "place_labels"]

CANDIDATE_OFFSETS_PT = (
    (6, 4, "left", "bottom"),
    (6, -4, "left", "top"),
    (-6, 4, "right", "bottom"),
    (-6, -4, "right", "top"),
    (0, 9, "center", "bottom"),
    (0, -9, "center", "top"),
    (12, 14, "left", "bottom"),
    (12, -14, "left", "top"),
    (-12, 14, "right", "bottom"),
    (-12, -14, "right", "top"),
    (0, 20, "center", "bottom"),
    (0, -20, "center", "top"),
)
"""(dx, dy in points, horizontal and vertical alignment) tried in turn for each label."""
_PAD_PX = 1.5


def place_labels(
    ax: Axes,
    labels: Sequence[tuple[str, float, float]],
    fontsize: float = 7.0,
    avoid: Sequence[Bbox] = (),
) -> list[Annotation]:
    """Annotate ``(text, x, y)`` points in data coordinates without overlaps.

    Parameters
    ----------
    ax : Axes
        Axes whose limits and aspect are final (boxes are measured as rendered).
    labels : sequence of (text, x, y)
        Placed in order: earlier labels win the better positions.
    fontsize : float
        Points.
    avoid : sequence of Bbox
        Display-pixel boxes the labels must also keep clear of (e.g. a legend).

    Returns
    -------
    list of Annotation
        The labels drawn (those with no clear position are left out).
    """
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvas
    axes_box = ax.get_window_extent(renderer)
    placed: list[Bbox] = list(avoid)
    drawn = []
    halo = [path_effects.withStroke(linewidth=2.5, foreground="white", alpha=0.8)]
    for text, x, y in labels:
        for dx, dy, ha, va in CANDIDATE_OFFSETS_PT:
            annotation = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                zorder=7,
                path_effects=halo,
            )
            box = annotation.get_window_extent(renderer).expanded(1.0, 1.0).padded(_PAD_PX)
            inside = axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                drawn.append(annotation)
                break
            annotation.remove()
    return drawn
