"""Colours shared by the exporters: truth by side, tracks by the identity their post held."""

from __future__ import annotations

SIDE_COLOURS = {"red": "#d62728", "nato": "#1f4e9c", "turkey": "#17a2b8", "civil": "#6c6c6c"}
"""Truth colours by side, those of the run map (:data:`iadsim.viz.run_map.SIDE_COLOURS`,
not imported so an export does not load Matplotlib; a test keeps the two equal)."""

IDENTITY_COLOURS = {
    "hostile": "#d62728",
    "suspect": "#ff7f0e",
    "unknown": "#ffd700",
    "pending": "#bcbcbc",
    "assumed_friend": "#17becf",
    "friend": "#1f77b4",
    "neutral": "#2ca02c",
}
"""Track colours by identity, after the NATO APP-6 colour convention (friend blue, hostile
red, neutral green, unknown yellow); suspect, pending and assumed friend in nearby shades."""
INTERCEPTOR_COLOUR = "#000000"
OTHER_COLOUR = "#9467bd"
"""Any side or identity not listed."""
MARKER_COLOURS = {"kill": "#000000", "miss": "#7f7f7f", "leak": "#d62728"}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three 0-255 integers."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def side_colour(side: str) -> str:
    """The run map's colour of a side (``#rrggbb``)."""
    return SIDE_COLOURS.get(side, OTHER_COLOUR)


def identity_colour(identity: str) -> str:
    """The colour of a track identity (``#rrggbb``)."""
    return IDENTITY_COLOURS.get(identity, OTHER_COLOUR)
