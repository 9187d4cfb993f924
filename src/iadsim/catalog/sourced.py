"""What every catalog entry shares: its provenance (:class:`Sourced`) and the input limits.

Every entry keeps its sources, confidence codes and the ranges its sources disagree over;
:func:`value_at` reads a dotted path inside an entry (the names of those ranges).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from iadsim.core.input_model import InputModel

MAX_FALSE_ALARMS_PER_SCAN = 1000.0
"""Most false alarms a radar may draw per scan of its sector on average
(``reference_pfa`` times its range-azimuth cells): each one is a detection for the tracker
to process. The bundled radars draw at most 2.4; a beamwidth of 1e-9 deg asked for 1e9."""
MAX_RANGE_M = 1.0e7
"""Longest radar or interceptor range, m (10,000 km: over-the-horizon radars reach 3,000 km)."""
MAX_MAST_M = 100.0
"""Tallest radar mast, m (the 40V6MD tower raises an antenna to about 39 m)."""
MAX_SPEED_M_S = 1.0e4
"""Fastest air platform or interceptor, m/s (an ICBM re-enters at about 7 km/s)."""


class Sourced(InputModel):
    """Provenance shared by all entries.

    ``ranges`` holds the spread reported by sources for fields where they disagree; analyses
    sweep over it (``iadsim mc --sample-uncertainty``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    key: str = ""
    name: str
    source: list[str] = Field(min_length=1)
    confidence: str | dict[str, str] = "D"
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    note: str = ""

    removed_fields: ClassVar[dict[str, str]] = {}
    """Fields no model read, taken out of the catalog: name -> why (the error's text)."""

    @model_validator(mode="before")
    @classmethod
    def _reject_removed(cls, data: Any) -> Any:
        """A removed field is an error that says why, not a silent no-op."""
        if isinstance(data, dict):
            for name, why in cls.removed_fields.items():
                if name in data:
                    msg = f"{name!r} is no longer a catalog field: {why}"
                    raise ValueError(msg)
            for name in data.get("ranges") or {}:
                if name.split(".")[0] not in cls.model_fields:
                    msg = f"ranges names {name!r}, which is not a field of this entry"
                    raise ValueError(msg)
        return data


def value_at(model: BaseModel, path: str) -> Any:
    """The value at a dotted path inside a model (fields, then mapping keys); None if absent."""
    node: Any = model
    for segment in path.split("."):
        if isinstance(node, BaseModel):
            node = getattr(node, segment, None)
        elif isinstance(node, dict):
            node = node.get(segment)
        else:
            return None
    return node
